"""The SMTP mailer against a real SMTP server (aiosmtpd on a free port): connections are
reused, Nagle is off, and a connection the server dropped is opened again before anything
of the message was accepted, so the message arrives exactly once."""
import socket
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller

from devstack.stack import free_port
from services.notifications.mailer import SmtpMailer, write_message
from services.notifications.messages import Email
from shared.config import StackSettings
from shared.outbox import Outbox
from shared.store import UnitOfWork

pytestmark = pytest.mark.integration

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class Server:
    """Counts connections (one EHLO each) and keeps what it received."""

    def __init__(self):
        self.connections = 0
        self.subjects: list[str] = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        subject = next(line for line in envelope.content.decode().splitlines() if line.startswith("Subject:"))
        self.subjects.append(subject.split(": ", 1)[1])
        return "250 OK"


class Relay:
    """The server, which can be restarted on the same port (a new controller each time)."""

    def __init__(self):
        self.handler, self.port = Server(), free_port()
        self.controller: Controller | None = None
        self.start()

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    relay = Relay()
    yield relay.handler, relay, relay.port
    relay.stop()


def message(i: int):
    email = Email(kind="invite", recipient_role="mentor", to_name="Ama Owusu", to_email="ama@example.org",
                  subject=f"message {i}", text="Hello", html="<p>Hello</p>")
    return write_message(email, "Twoshot <sessions@twoshot.test>", f"seed-{i}", NOW)


def test_messages_share_one_connection_with_nagle_off(smtp):
    handler, _, port = smtp
    mailer = SmtpMailer(StackSettings(smtp_port=port, mail_per_connection=100))
    for i in range(5):
        mailer.send(message(i))
    assert handler.subjects == [f"message {i}" for i in range(5)]
    assert handler.connections == 1
    conn = mailer._local.conn
    assert conn.smtp.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    mailer.close()


def test_a_connection_is_replaced_after_its_share_of_messages(smtp):
    handler, _, port = smtp
    mailer = SmtpMailer(StackSettings(smtp_port=port, mail_per_connection=2))
    for i in range(5):
        mailer.send(message(i))
    assert len(handler.subjects) == 5
    assert handler.connections == 3
    mailer.close()


def test_a_connection_the_server_dropped_is_opened_again_and_the_message_arrives_once(smtp):
    handler, relay, port = smtp
    mailer = SmtpMailer(StackSettings(smtp_port=port))
    mailer.send(message(1))
    relay.stop()            # the relay restarts: the open connection is dead
    relay.start()
    mailer.send(message(2))
    assert handler.subjects == ["message 1", "message 2"]
    assert handler.connections == 2
    mailer.close()


def test_a_waiting_sender_wakes_when_an_email_is_queued_not_on_a_timer(redis_client):
    """The enqueue's own transaction wakes a sender blocked on the queue (any process),
    and a sender with nothing queued sleeps the whole timeout."""
    import threading

    from services.notifications.repository import MailQueue
    queue = MailQueue(redis_client)
    assert queue.wait_for_mail(0.2) is False            # nothing queued: the timeout runs out
    woke: list[bool] = []
    waiter = threading.Thread(target=lambda: woke.append(queue.wait_for_mail(30)))
    waiter.start()
    uow = UnitOfWork(redis_client, Outbox(redis_client, "tests"))
    entry = {"email": {}, "request_id": "r1", "session_id": "", "topic": "t", "event": "{}"}
    queue.enqueue_all(uow, [("mail-1", entry, 0.0)])
    uow.commit()
    waiter.join(10)
    assert woke == [True] and not waiter.is_alive()
    assert [mail_id for mail_id, _, _ in queue.claim(now=1e12)] == ["mail-1"]


def test_an_email_that_may_wait_lets_time_critical_mail_queued_after_it_go_first(redis_client):
    """A request's acknowledgement is queued ``after_s`` late: an invite queued after it is
    claimed before it, and it is claimed once its time comes; a sender's mark that it died
    after the commit point comes back with the claim."""
    import time

    from services.notifications.repository import MailQueue
    queue = MailQueue(redis_client, lease_s=60)
    entry = {"email": {}, "request_id": "r1", "session_id": "", "topic": "t", "event": "{}"}
    uow = UnitOfWork(redis_client, Outbox(redis_client, "tests"))
    queue.enqueue_all(uow, [("ack", entry, 5.0)])
    queue.enqueue_all(uow, [("invite", entry, 0.0)])
    uow.commit()
    assert redis_client.llen("notifications:mail:wake") == 1, "only the email due now wakes a sender"
    queue.committing("invite")
    now = time.time()
    assert [(m, committing) for m, _, committing in queue.claim(now)] == [("invite", True)]
    assert [(m, committing) for m, _, committing in queue.claim(now + 6)] == [("ack", False)]


def test_a_claim_is_one_round_trip_and_drops_what_another_sender_finished(redis_client):
    """Claiming leases what is due and reads its entries and marks inside Redis: one round
    trip. An email another sender finished meanwhile (its entry gone) leaves the due set
    instead of coming back; what was sent already is never queued again."""
    from services.notifications.repository import MailQueue
    queue = MailQueue(redis_client, lease_s=60)
    entry = {"email": {}, "request_id": "r1", "session_id": "", "topic": "t", "event": "{}"}
    uow = UnitOfWork(redis_client, Outbox(redis_client, "tests"))
    queue.enqueue_all(uow, [("a", entry, 0.0), ("b", {**entry, "request_id": "r2"}, 0.0), ("c", entry, 0.0)])
    uow.commit()
    assert redis_client.llen("notifications:mail:wake") == 3, "one wake-up per email due now"
    redis_client.hdel("notifications:mail", "c")        # finished by another sender
    queue.committing("b")
    sent = []
    connection = redis_client.connection_pool.get_connection()
    original = connection.send_packed_command
    connection.send_packed_command = lambda *a, **k: (sent.append(a), original(*a, **k))[1]
    redis_client.connection_pool.release(connection)
    claimed = queue.claim(now=1e12, limit=10)
    assert len(sent) == 1, sent
    assert [(m, e["request_id"], committing) for m, e, committing in claimed] == [("a", "r1", False),
                                                                                  ("b", "r2", True)]
    assert redis_client.zrange("notifications:mail:due", 0, -1) == ["a", "b"]
    assert queue.claim(now=1e12 + 30, limit=10) == [], "leased: not due again before the lease ends"

    pipe = redis_client.pipeline(transaction=True)
    queue.finish(pipe, "a", "r1", {"status": "sent"}, sent=True)
    pipe.execute()
    uow = UnitOfWork(redis_client, Outbox(redis_client, "tests"))
    queue.enqueue_all(uow, [("a", entry, 0.0), ("d", entry, 5.0)])    # "a" handled again: not queued twice
    uow.commit()
    assert sorted(redis_client.hkeys("notifications:mail")) == ["b", "d"]


def test_a_commit_mark_redis_kept_while_the_sender_saw_it_fail_is_cleared_once_redis_is_back(redis_client):
    """Redis went away just as a sender wrote its commit mark: the write landed but its
    answer was lost, so the sender sent no final "." and the server has no message. The
    mark must go before the email is claimed again, or the next sender records it as
    sent, unconfirmed, and it is never sent (the Redis SIGTERM drill lost an invite so)."""
    import random
    import time
    from types import SimpleNamespace

    import redis as redis_lib

    from services.notifications.handlers import _not_committed
    from services.notifications.repository import MailQueue
    from shared.resilience import Backoff

    queue = MailQueue(redis_client, lease_s=60)
    uow = UnitOfWork(redis_client, Outbox(redis_client, "tests"))
    entry = {"email": {}, "request_id": "r1", "session_id": "", "topic": "t", "event": "{}"}
    queue.enqueue_all(uow, [("invite", entry, 0.0)])
    uow.commit()
    queue.committing("invite")

    class AwayAWhile:
        """The queue while Redis comes back: the first two deletes fail to connect."""
        failures = 0

        def uncommit(self, mail_id):
            if self.failures < 2:
                self.failures += 1
                raise redis_lib.ConnectionError("Error 111 connecting. Connection refused.")
            queue.uncommit(mail_id)

    class Ceiling(random.Random):
        """No jitter: each delay is the backoff's ceiling."""

        def uniform(self, a, b):
            return b

    mail = AwayAWhile()
    pauses: list[float] = []
    _not_committed(SimpleNamespace(mail=mail, runtime=SimpleNamespace(settings=StackSettings())), "invite",
                   pause=pauses.append, backoff=Backoff(0.1, 2.0, _random=Ceiling()))
    assert mail.failures == 2 and pauses == [0.1, 0.2]
    assert [(m, committing) for m, _, committing in queue.claim(time.time())] == [("invite", False)]


def test_a_mark_that_cannot_be_cleared_for_another_reason_is_not_waited_on():
    from types import SimpleNamespace

    from services.notifications.handlers import _not_committed

    class Broken:
        def uncommit(self, mail_id):
            raise ValueError("not an outage")

    with pytest.raises(ValueError):
        _not_committed(SimpleNamespace(mail=Broken(), runtime=SimpleNamespace(settings=StackSettings())), "m",
                       pause=lambda s: pytest.fail("waited"))
