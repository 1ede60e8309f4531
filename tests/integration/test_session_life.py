"""A session's whole life through the running services: expiry, reminders, another
time proposed, rescheduling, cancelling, critique and rating, duplicate events and an
SMTP server that goes away. The tests move the clock by firing the sessions service's
timers with a chosen ``now`` against the stack's own Redis and broker."""
import json
import re
import signal
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta

import icalendar
import pytest
import redis
import vobject

from services.sessions.handlers import run_due_timers
from shared.events import deserialize
from shared.privacy import KeyRing, Sealer
from shared.staff import StaffAccounts
from tests.conftest import poll, unique_email
from tests.contract import check_answer
from tests.integration.test_flow import get, get_json, post
from tests.kafka_tools import committed, producer, read_topic

pytestmark = pytest.mark.integration

ALL_DAY = [{"day": d, "start": "00:00", "end": "24:00"} for d in range(7)]
# Each flow speaks a language no other test uses: a trainee left waiting by one test would
# otherwise (rightly) be offered another test's new mentor through matching's waitlist.
# Taken elsewhere: am, ha, yo, de (test_flow), zu, sw, ig, pl (test_matching_admin), ml (e2e),
# ps, ne, nl (test_erasure), ta (test_metrics), so (e2e mentor pages), km, mn, my (e2e console),
# ff, wo (e2e Arabic and Swahili). Not yet taken: ln, rw.
# test_mentorship's flows take theirs from this list too: 17 for both modules (10 + 7; none left).
# Languages with no catalogue, so each person is written to in English (the locale).
_languages = iter(["cs", "bn", "fa", "hi", "id", "it", "ru", "te", "th", "tl", "tr", "uk", "ur", "vi", "zh", "ja",
                   "ko"])


class Flow:
    """One trainee and their mentors, with a language nobody else in the stack speaks."""

    def __init__(self, stack, mail, mentors=1, locale="en"):
        self.stack, self.mail = stack, mail
        self.language = next(_languages)
        self.mentors = [self._mentor(i) for i in range(mentors)]
        self.trainee = unique_email("trainee")
        status, body = post(stack.url("intake") + "/api/requests", {
            "name": "Awa Ndiaye", "email": self.trainee, "country": "SN", "timezone": "Africa/Dakar",
            "languages": [self.language], "discipline": "camera", "focus_skills": ["focus pulling"],
            "goals": "Sharper pulls on documentary shoots", "availability": ALL_DAY, "locale": locale})
        assert status == 201, body
        self.request_id = json.loads(body)["id"]

    def _mentor(self, i):
        email = unique_email(f"mentor{i}")
        status, body = post(
            self.stack.url("intake") + "/api/mentors",
            {
                "name": f"Mentor {i} Diallo",
                "email": email,
                "country": "FR",
                "timezone": "Europe/Paris",
                "languages": [self.language],
                "disciplines": ["camera"],
                "skills": [{"name": "focus pulling", "level": 5 - i}],
                "monthly_capacity": 3,
                "availability": ALL_DAY,
            },
            token=self.stack.staff_token(),
        )
        assert status == 201, body
        mentor_id = json.loads(body)["id"]
        poll(lambda: _known(self.stack, mentor_id), timeout=30)
        return email

    def status(self):
        return get_json(f"{self.stack.url('intake')}/api/requests/{self.request_id}")

    def wait_status(self, step):
        return poll(lambda: (s := self.status())["status"] == step and s, timeout=30)


def _known(stack, mentor_id):
    try:
        url = f"{stack.url('matching')}/api/mentors/{mentor_id}"
        return get_json(url, stack.staff_token("viewer"))["id"] == mentor_id
    except Exception:   # 404 until matching has the profile
        return False


def link(message, label):
    text = message["text"].replace("\r\n", "\n")
    return re.search(rf"^{re.escape(label)}: (\S+)$", text, re.M).group(1)


def click(url, **form):
    token = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["token"][0]
    return post(url.split("?")[0], form={"token": token, **form})


def session_id_of(url):
    return urllib.parse.urlparse(url).path.split("/")[2]


def ics_of(message):
    return next(a for a in message["attachments"] if a["content_type"] == "text/calendar")


def confirmed(flow):
    invite = flow.mail.wait_for(1, to=flow.mentors[0])[0]
    status, page = click(link(invite, "Accept"))
    assert status == 200 and "Session confirmed" in page
    flow.mail.wait_for(1, to=flow.trainee, about_sessions=True)
    return session_id_of(link(invite, "Accept"))


def queued(stack, request_id: str, attempted: bool = False, role: str | None = None) -> list[dict]:
    """Emails for ``request_id`` still in notifications' queue (tried at least once, if asked)."""
    client = redis.Redis.from_url(stack.redis, decode_responses=True)
    try:
        entries = [json.loads(raw) for raw in client.hvals("notifications:mail")]
    finally:
        client.close()
    return [e for e in entries if e["request_id"] == request_id and (not attempted or e["attempts"] >= 1)
            and (role is None or e["email"]["recipient_role"] == role)]


def subjects(mail, to):
    return [m["subject"] for m in mail.messages(to)]


def test_an_unanswered_invite_is_reminded_then_expires_and_the_next_mentor_is_invited(full_stack, mail, clock):
    flow = Flow(full_stack, mail, mentors=2)
    first = mail.wait_for(1, to=flow.mentors[0])[0]
    session_id = session_id_of(link(first, "Accept"))
    timers = clock.repository.timers(session_id)
    assert set(timers) == {"expire", "invite_reminder"}

    # Other tests' sessions share this stack, so their due timers fire too: count ≥ 1.
    assert run_due_timers(clock, datetime.fromtimestamp(timers["invite_reminder"] + 1).astimezone()) >= 1
    reminder = mail.wait_for(2, to=flow.mentors[0])[-1]
    assert reminder["subject"].startswith("Reminder: Awa Ndiaye is waiting for your answer")
    assert link(reminder, "Accept")  # the reminder carries the answer links again
    assert "Please answer by" in reminder["text"]   # and restates the deadline the invite gave
    deadline = re.search(r"Please answer by (.+?)\.", first["text"]).group(1)
    assert deadline in reminder["text"]

    assert run_due_timers(clock, datetime.fromtimestamp(timers["expire"] + 1).astimezone()) >= 1
    assert run_due_timers(clock, datetime.fromtimestamp(timers["expire"] + 1).astimezone()) == 0   # fires once
    assert clock.repository.get(session_id).state == "expired" and clock.repository.timers(session_id) == {}
    second = mail.wait_for(1, to=flow.mentors[1])[0]
    assert second["subject"].startswith("Critique session request from Awa Ndiaye")
    status, page = click(link(first, "Accept"))
    assert status == 409 and "This invitation expired without an answer." in page and 'data-state="expired"' in page
    status, page = get(link(first, "Accept"))    # opened again: says so, and shows no form it would refuse
    assert status == 409 and 'data-state="expired"' in page and "<form" not in page
    steps = [e["step"] for e in flow.wait_status("invited")["timeline"]]
    assert "declined" in steps and steps.count("matched") == 2


def test_a_confirmed_session_is_reminded_24h_and_1h_before_once_each(full_stack, mail, clock):
    flow = Flow(full_stack, mail)
    session_id = confirmed(flow)
    timers = clock.repository.timers(session_id)
    start = datetime.fromisoformat(clock.repository.get(session_id).start)
    assert timers["remind_24h"] == (start - timedelta(hours=24)).timestamp()
    assert timers["remind_1h"] == (start - timedelta(hours=1)).timestamp()

    run_due_timers(clock, start - timedelta(hours=24) + timedelta(seconds=1))
    assert "remind_24h" not in clock.repository.timers(session_id)    # fired, and removed as it fired
    run_due_timers(clock, start - timedelta(hours=24) + timedelta(seconds=2))
    for to in (flow.mentors[0], flow.trainee):
        poll(lambda to=to: any("tomorrow" in s for s in subjects(mail, to)), timeout=30)
    run_due_timers(clock, start - timedelta(minutes=59))
    assert "remind_1h" not in clock.repository.timers(session_id)
    for to in (flow.mentors[0], flow.trainee):
        poll(lambda to=to: any("in one hour" in s for s in subjects(mail, to)), timeout=30)
    # Each timer is removed in the transaction that fires it, so no second reminder event
    # exists to be sent: the counts below are final.
    for to in (flow.mentors[0], flow.trainee):
        got = subjects(mail, to)
        assert sum("tomorrow" in s for s in got) == 1 and sum("in one hour" in s for s in got) == 1


def test_the_mentor_proposes_another_time_and_the_trainee_accepts_it(full_stack, mail, clock):
    flow = Flow(full_stack, mail)
    invite = mail.wait_for(1, to=flow.mentors[0])[0]
    propose = link(invite, "Propose another time")
    with urllib.request.urlopen(propose, timeout=10) as r:
        choices = re.findall(r'name="start" value="([^"]+)"', r.read().decode())
    assert len(choices) >= 2
    status, page = click(propose, start=choices[1])
    assert status == 200 and "Time proposed" in page, page
    offer = mail.wait_for(1, to=flow.trainee, about_sessions=True)[0]
    assert "proposes a time" in offer["subject"]
    status, page = click(link(offer, "Accept"))
    assert status == 200 and "Session confirmed" in page
    confirmation = next(m for m in mail.wait_for(2, to=flow.mentors[0]) if m["subject"].startswith("Confirmed"))
    event = next(iter(icalendar.Calendar.from_ical(ics_of(confirmation)["content"]).walk("VEVENT")))
    assert event.decoded("DTSTART") == datetime.fromisoformat(choices[1]) and int(event["SEQUENCE"]) == 1
    assert flow.wait_status("confirmed")


def written(flow, count: int) -> list[tuple[str, str, str, bool]]:
    """(event, by, text, shared) of what the pair wrote about the request, as staff read it,
    once ``count`` are there (checked against the API's documented answer)."""
    url = f"{flow.stack.url('matching')}/api/admin/requests/{flow.request_id}/messages"

    def read():
        body = get_json(url, token=flow.stack.staff_token("viewer"))
        check_answer(flow.stack.url("matching"), "GET", f"/api/admin/requests/{flow.request_id}/messages", 200, body)
        return len(body["messages"]) >= count and body["messages"]
    return [(m["event"], m["by"], m["text"], m["shared"]) for m in poll(read, timeout=30)]


def _subjects_starting(mail, to, prefix: str, count: int = 1) -> list[dict]:
    return poll(lambda: (found := [m for m in mail.messages(to) if m["subject"].startswith(prefix)])
                and len(found) >= count and found, timeout=30)


def test_a_confirmed_session_moves_only_when_the_other_person_accepts_the_new_time(full_stack, mail, clock):
    flow = Flow(full_stack, mail)
    confirmed(flow)
    trainee_mail = mail.wait_for(1, to=flow.trainee, about_sessions=True)[0]
    original = next(iter(icalendar.Calendar.from_ical(ics_of(trainee_mail)["content"]).walk("VEVENT")))
    move = link(trainee_mail, "Choose another time")
    with urllib.request.urlopen(move, timeout=10) as r:
        choices = re.findall(r'name="start" value="([^"]+)"', r.read().decode())
    status, page = click(move, start=choices[-1], reason="our shoot moved to the morning")
    assert status == 200 and "New time asked for" in page and "stays as it is" in page

    # Asked, not moved: the mentor reads the ask and the trainee's words; no calendar changes.
    [ask] = _subjects_starting(mail, flow.mentors[0], "Awa Ndiaye asks to move")
    assert "our shoot moved to the morning" in ask["text"] and not ask["attachments"]
    assert flow.wait_status("confirmed")["timeline"][-1]["step"] == "confirmed"
    assert not [m for to in (flow.mentors[0], flow.trainee) for m in mail.messages(to)
                if m["subject"].startswith("New time")]

    # The mentor keeps the current time, with a note: the trainee hears it, and nothing moved.
    status, page = click(link(ask, "Keep the current time"), reason="I am on set that week")
    assert status == 200 and "The session stays as it is" in page
    [kept] = _subjects_starting(mail, flow.trainee, "Mentor 0 Diallo keeps your critique session")
    assert "I am on set that week" in kept["text"] and "so your session stays on" in kept["text"]
    status, page = get(link(ask, "Accept the new time"))
    assert status == 409 and "confirmed for" in page and "<form" not in page, "that ask was answered"
    # Staff read both notes on the request, with who wrote them and who else reads them.
    assert written(flow, 2) == [("session.move_proposed", "trainee", "our shoot moved to the morning", True),
                                ("session.move_declined", "mentor", "I am on set that week", True)]

    # Asked again, and accepted: now both get the calendar update (same UID, one SEQUENCE up).
    assert click(move, start=choices[-1])[0] == 200
    again = _subjects_starting(mail, flow.mentors[0], "Awa Ndiaye asks to move", count=2)[-1]
    status, page = click(link(again, "Accept the new time"))
    assert status == 200 and "Session moved" in page
    for to in (flow.mentors[0], flow.trainee):
        [moved] = _subjects_starting(mail, to, "New time")
        ics = ics_of(moved)["content"]
        a = next(iter(icalendar.Calendar.from_ical(ics).walk("VEVENT")))
        b = vobject.readOne(ics).vevent
        assert str(a["UID"]) == b.uid.value == str(original["UID"])
        assert int(a["SEQUENCE"]) == int(b.sequence.value) == int(original["SEQUENCE"]) + 1
        assert a.decoded("DTSTART") == b.dtstart.value == datetime.fromisoformat(choices[-1])
        # The trainee asked: she reads that the mentor accepted; the mentor, that she accepted it.
        assert ("Mentor 0 Diallo accepted the new time: your critique session on camera" if to == flow.trainee
                else "You accepted the new time Awa Ndiaye asked for") in moved["text"]
    # The first confirmation's links are from before the move: refused, saying why and where the
    # session stands now; the newest email's links work.
    old_cancel = link(trainee_mail, "Cancel")
    for url in (move, old_cancel):
        status, page = get(url)
        assert status == 409 and 'data-done="superseded"' in page and "from an older email" in page, page
        assert "confirmed for" in page and "<form" not in page
    status, _ = click(old_cancel, reason="an old email")
    assert status == 409 and flow.wait_status("confirmed")
    newest = next(m for m in mail.messages(flow.trainee) if m["subject"].startswith("New time"))
    assert get(link(newest, "Cancel"))[0] == 200


def test_a_mentor_who_cancels_sends_a_calendar_cancel_to_both_and_the_next_mentor_is_asked(full_stack, mail, clock):
    flow = Flow(full_stack, mail, mentors=2)
    confirmed(flow)
    mentor_mail = next(m for m in mail.messages(flow.mentors[0]) if m["subject"].startswith("Confirmed"))
    status, page = click(link(mentor_mail, "Cancel"), reason="family emergency")
    assert status == 200 and "Session cancelled" in page
    assert written(flow, 1) == [("session.cancelled", "mentor", "family emergency", True)]
    for to in (flow.mentors[0], flow.trainee):
        cancel = poll(lambda to=to: [m for m in mail.messages(to) if m["subject"].startswith("Cancelled")], timeout=30)[
            0
        ]
        att = ics_of(cancel)
        assert att["params"].get("method") == "CANCEL"
        cal = vobject.readOne(att["content"])
        assert cal.method.value == "CANCEL" and cal.vevent.status.value == "CANCELLED"
        assert cal.vevent.uid.value == f"{session_id_of(link(mentor_mail, 'Cancel'))}@twoshot"
    assert mail.wait_for(1, to=flow.mentors[1])[0]["subject"].startswith("Critique session request")
    # The trainee's page no longer ticks "confirmed": the new mentor's invitation is where it stands.
    def steps():
        with urllib.request.urlopen(f"{full_stack.url('intake')}/requests/{flow.request_id}", timeout=10) as r:
            page = r.read().decode()
        return {step: state for state, step in re.findall(r'<li class="(done|todo)" data-step="(\w+)"', page)}
    now = poll(lambda: (s := steps())["invited"] == "done" and s, timeout=30)
    assert now["confirmed"] == "todo" and now["matched"] == "done"


def test_after_the_session_the_mentor_critiques_and_the_trainee_rates(full_stack, mail, clock):
    flow = Flow(full_stack, mail, locale="fr")
    session_id = confirmed(flow)
    end = datetime.fromisoformat(clock.repository.get(session_id).end)
    run_due_timers(clock, end + timedelta(seconds=1))  # the reminders before it fire too; then "complete"
    ask = poll(
        lambda: [m for m in mail.messages(flow.mentors[0]) if "Write your critique" in m["subject"]], timeout=30
    )[0]
    rate = poll(lambda: [m for m in mail.messages(flow.trainee) if m["subject"].startswith("Évaluez")], timeout=30)[0]

    critique = link(ask, "Write the critique")
    status, page = click(critique, notes="this is not a time code", next_steps="short")
    assert status == 422 and 'id="score_0-error"' in page and 'id="notes-error"' in page
    assert 'id="next_steps-error"' in page
    status, page = click(critique, score_0="4", comment_0="strong frames", score_1="3", score_2="5", score_3="2",
                         notes="00:42 focus buzzes on the wide\n01:25 - soft focus on the close-up",
                         next_steps="Practise pulls with marks and a monitor; shoot a test with the 85 mm.")
    assert status == 200 and "Critique sent" in page
    status, page = click(critique, score_0="1", score_1="1", score_2="1", score_3="1", next_steps="again and again")
    assert status == 409 and "The critique of this session was already sent." in page
    status, page = get(critique)        # a used critique link never opens an empty form again
    assert status == 409 and 'data-done="critique"' in page and "<select" not in page
    assert "/mentorships/" in page      # the way on: the pair's page

    ready = poll(
        lambda: [m for m in mail.messages(flow.trainee) if "a rédigé votre critique" in m["subject"]], timeout=30
    )[0]
    # The rubric in her language (she chose French), her mentor's words as written.
    assert "Composition: 4/5 — strong frames\r\nExposition: 3/5" in ready["text"]
    assert "01:25  soft focus on the close-up" in ready["text"]
    status_page = flow.wait_status("critiqued")
    assert status_page["timeline"][-1]["detail"]["notes"][0] == {"at": "00:42", "note": "focus buzzes on the wide"}

    status, page = click(link(rate, "Évaluer la séance"), rating="5", comment="Merci !")
    assert status == 200 and "Merci pour votre note" in page      # her page, in French
    assert flow.wait_status("rated")["timeline"][-1]["message"].endswith("(5/5).")
    token = StaffAccounts(redis.Redis.from_url(full_stack.redis, decode_responses=True)).create("Analyst", "viewer")
    req = urllib.request.Request(f"{full_stack.url('matching')}/api/admin/fairness-report",
                                 headers={"Authorization": f"Bearer {token}"})

    def report():
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)
    assert poll(lambda: report()["critiques_by_mentor_group"].get("Europe", 0) >= 1, timeout=30)   # matching heard it


def test_the_same_event_delivered_twice_sends_one_email(full_stack, mail, clock):
    flow = Flow(full_stack, mail)
    mail.wait_for(1, to=flow.mentors[0])
    records = read_topic(full_stack.bootstrap_servers, "twoshot.session", expect=1, timeout=10)
    sealer = Sealer(KeyRing(redis.Redis.from_url(full_stack.redis, decode_responses=True)))
    opened = [(r, deserialize(r.value, sealer)) for r in records]
    invited = [r for r, e in opened if e.type == "session.invited" and e.data["mentor"]["email"] == flow.mentors[0]]
    p = producer(full_stack.bootstrap_servers)
    again = p.send("twoshot.session", key=invited[0].key, value=invited[0].value).get(timeout=10)
    p.close()
    # Evidence the duplicate was consumed: notifications committed past it.
    poll(lambda: committed(full_stack.bootstrap_servers, "twoshot-notifications",
                           "twoshot.session").get(again.partition, 0) > again.offset, timeout=30)
    assert len(mail.messages(flow.mentors[0])) == 1


def test_while_smtp_is_down_emails_wait_and_all_arrive_once_it_is_back(full_stack, mail, clock):
    mail.refuse(True)
    flow = Flow(full_stack, mail)
    poll(lambda: queued(full_stack, flow.request_id, attempted=True), timeout=30)   # tried and refused
    assert mail.messages(flow.mentors[0]) == []
    mail.refuse(False)
    invite = mail.wait_for(1, to=flow.mentors[0], timeout=30)[0]
    poll(lambda: not queued(full_stack, flow.request_id), timeout=30)   # out of the queue: nothing left to resend
    assert len(mail.messages(flow.mentors[0])) == 1 and invite["subject"].startswith("Critique session request")


def test_an_email_that_cannot_be_sent_ends_in_notification_failed_and_the_dead_letter_topic(full_stack, mail, clock):
    mail.refuse(True)
    flow = Flow(full_stack, mail)

    def failed():
        return [json.loads(r.value) for r in read_topic(full_stack.bootstrap_servers, "twoshot.notification", timeout=2)
                if json.loads(r.value)["type"] == "notification.failed"
                and json.loads(r.value)["data"]["request_id"] == flow.request_id
                and json.loads(r.value)["data"]["recipient_role"] == "mentor"]   # the invite's (not the request's page)
    raw = poll(failed, timeout=60)[0]
    # The relay named the mentor's address; the event carries none, and its error is
    # sealed with the mentor's key (erasure makes it unreadable).
    assert "$sealed" in raw["data"]["error"] and flow.mentors[0] not in json.dumps(raw)
    sealer = Sealer(KeyRing(redis.Redis.from_url(full_stack.redis, decode_responses=True)))
    event = deserialize(json.dumps(raw).encode(), sealer)
    assert "451" in event.data["error"] and "<recipient>" in event.data["error"] and "@" not in event.data["error"]
    assert event.data["recipient_role"] == "mentor"
    dead = [r for r in read_topic(full_stack.bootstrap_servers, "twoshot.session.dlq", expect=1, timeout=10)
            if json.loads(r.value)["data"].get("request_id") == flow.request_id]
    reason = dict(dead[0].headers)["dlq.reason"]
    assert dead and b"failed after 5 attempts" in reason and flow.mentors[0].encode() not in reason
    client = redis.Redis.from_url(full_stack.redis, decode_responses=True)
    stored = poll(lambda: client.lrange(f"matching:emails:{flow.request_id}", 0, -1), timeout=30)
    assert all(flow.mentors[0] not in line for line in stored)       # matching's copy has no address either
    mail.refuse(False)


def test_a_worker_that_dies_right_after_sending_does_not_send_again(full_stack, mail, clock):
    """The SMTP server has the message but holds its reply; the notifications worker is
    killed while it waits. Its successor must not send the email a second time."""
    mail.hold_reply(8)
    flow = Flow(full_stack, mail)
    mail.wait_for(1, to=flow.mentors[0], timeout=30)          # stored by the server, reply still held
    full_stack.stop_process("notifications-worker", signal.SIGKILL)
    mail.hold_reply(0)
    full_stack.start_worker("notifications")
    token = StaffAccounts(redis.Redis.from_url(full_stack.redis, decode_responses=True)).create("Ops", "viewer")

    def logged():
        req = urllib.request.Request(
            f"{full_stack.url('notifications')}/api/admin/requests/{flow.request_id}/deliveries",
            headers={"Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            body = json.load(r)
        check_answer(full_stack.url("notifications"), "GET", f"/api/admin/requests/{flow.request_id}/deliveries",
                     200, body)
        return [d for d in body["deliveries"] if d["recipient_role"] == "mentor"]
    entry = poll(logged, timeout=60)[0]
    assert entry["status"] == "sent, unconfirmed" and entry["kind"] == "invite"
    # Logged in the transaction that took it off the queue: no sender can take it again.
    assert not queued(full_stack, flow.request_id, role="mentor")
    assert len(mail.messages(flow.mentors[0])) == 1


def test_the_delivery_log_is_for_staff_only(full_stack, mail, clock):
    url = f"{full_stack.url('notifications')}/api/admin/requests/anything/deliveries"
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url, timeout=10)
    with err.value:
        assert err.value.code == 401
