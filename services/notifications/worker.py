"""Notifications' worker: the consumer queues emails; a sender thread sends them, so a
slow or absent SMTP server never holds up the Kafka loop (whose poll interval is short).
Run: ``python -m services.notifications.worker``."""
import logging
import threading

from services.notifications.bootstrap import bootstrap
from services.notifications.handlers import event_handlers, send_due
from shared import metrics
from shared.runtime import run_worker

log = logging.getLogger(__name__)


def main() -> None:
    notifications = bootstrap()
    stop = threading.Event()

    def sender():
        while not stop.is_set():
            try:
                send_due(notifications)
                metrics.MAIL_QUEUE.set(notifications.mail.pending())
            except Exception:
                log.exception("mail sender failed; trying again")
            stop.wait(0.2)

    thread = threading.Thread(target=sender, name="mail-sender", daemon=True)
    thread.start()
    try:
        run_worker(notifications.runtime, event_handlers(notifications))
    finally:
        stop.set()
        thread.join(15)


if __name__ == "__main__":
    main()
