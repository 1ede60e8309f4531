"""A background thread per process. A thread does not survive ``fork``, and gunicorn
forks its workers after the app is built, so a thread is started on first use in
each process, and again if it died."""
from __future__ import annotations

import os
import threading
from collections.abc import Callable


class ProcessThread:
    def __init__(self, target: Callable[[], None], name: str):
        self._target = target
        self._name = name
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def ensure_started(self) -> None:
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._target, name=self._name, daemon=True)
                self._thread.start()

    def join(self, timeout_s: float) -> None:
        """Wait for this process's thread, if it started one."""
        if self._thread is not None and self._pid == os.getpid():
            self._thread.join(timeout_s)
