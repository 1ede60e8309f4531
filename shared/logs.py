"""JSON logs, one object a line, carrying the correlation id of the work in hand."""
from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sys
from datetime import UTC, datetime

_correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="")

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


@contextlib.contextmanager
def correlation(correlation_id: str):
    token = _correlation_id.set(correlation_id or "")
    try:
        yield
    finally:
        _correlation_id.reset(token)


def bind_correlation(correlation_id: str) -> contextvars.Token:
    """Set the correlation id of the work in hand; give the token back to ``unbind_correlation``."""
    return _correlation_id.set(correlation_id or "")


def unbind_correlation(token: contextvars.Token) -> None:
    _correlation_id.reset(token)


def current_correlation() -> str:
    """The correlation id of the work in hand (an HTTP request, an event), or ""."""
    return _correlation_id.get()


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        cid = _correlation_id.get()
        if cid:
            out["correlation_id"] = cid
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # kafka-python is chatty at INFO about every connection.
    logging.getLogger("kafka").setLevel(logging.WARNING)
