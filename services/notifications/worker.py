"""Notifications' worker: the consumer queues emails; sender threads send them, so a
slow or absent SMTP server never holds up the Kafka loop (whose poll interval is short).
Run: ``python -m services.notifications.worker``."""
import logging
import threading

from services.notifications.bootstrap import Notifications, bootstrap
from services.notifications.handlers import event_handlers, send_due
from shared import metrics
from shared.pacing import Every
from shared.resilience import OutageLog, is_infrastructure_error
from shared.runtime import run_worker

log = logging.getLogger(__name__)

BATCH = 5            # emails one sender claims at a time: enough to keep it busy, few enough to share
WAIT_S = 1.0         # the longest a sender sleeps: retries that fall due are sent within this
GAUGE_S = 5.0        # how often a sender reads the queue's depth for the gauge


def send_forever(notifications: Notifications, stop: threading.Event, outage: OutageLog) -> None:
    """One sender: send what is due on this thread's SMTP connection; when nothing is,
    sleep until an email is queued (any process's enqueue wakes it) or ``WAIT_S``."""
    gauge = Every(GAUGE_S, lambda: metrics.MAIL_QUEUE.set(notifications.mail.pending()))
    try:
        while not stop.is_set():
            try:
                claimed = send_due(notifications, limit=BATCH)
                gauge()
                outage.ok()
                if claimed < BATCH:
                    # Nothing more was due when it claimed; what is queued from now on
                    # leaves a wake token, so looking again at once would find nothing.
                    notifications.mail.wait_for_mail(WAIT_S)
            except Exception as exc:
                if is_infrastructure_error(exc):
                    outage.failed(exc)      # Redis away: one line when it goes, one when it is back
                else:
                    log.exception("mail sender failed; trying again")
                stop.wait(WAIT_S)
    finally:
        notifications.mailer.close()


def main() -> None:
    notifications = bootstrap()
    stop = threading.Event()
    outage = OutageLog(log, "mail senders", metrics.OUTAGE_WAITS.labels("mail-senders"))
    senders = [threading.Thread(target=send_forever, args=(notifications, stop, outage), name=f"mail-sender-{i}",
                                daemon=True)
               for i in range(max(1, notifications.runtime.settings.mail_senders))]
    for thread in senders:
        thread.start()
    try:
        run_worker(notifications.runtime, event_handlers(notifications))
    finally:
        stop.set()
        for thread in senders:
            thread.join(15)


if __name__ == "__main__":
    main()
