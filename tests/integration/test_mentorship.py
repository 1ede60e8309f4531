"""Mentoring that goes on, through the running services: the pair formed by a first
confirmed session, follow-ups the trainee books, a capacity that counts each pair once,
the nudge after quiet weeks, the end of the term, an end with a new mentor, and a mentor
who leaves. The tests move the clock by firing sessions' timers with a chosen ``now``."""
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta

import pytest
import redis

from services.matching.repository import MatchingRepository
from services.sessions import mentoring
from services.sessions.handlers import run_due_timers
from services.sessions.mentorship import add_months
from shared.events import make_event, serialize
from shared.privacy import KeyRing, Sealer
from tests.conftest import poll
from tests.integration.test_flow import post
from tests.integration.test_session_life import Flow, click, confirmed, link
from tests.kafka_tools import producer

pytestmark = pytest.mark.integration


def mentoring_url(flow) -> str:
    """The trainee's mentoring page, from the status page (it is in every email too)."""
    status = poll(lambda: next((e for e in flow.status()["timeline"] if e["step"] == "mentoring"), None), timeout=30)
    return status["detail"]["mentoring_url"]


def mentorships_of(stack, request_id):
    client = redis.Redis.from_url(stack.redis, decode_responses=True)
    try:
        return [json.loads(client.get(f"sessions:mentorship:{i}"))
                for i in client.lrange(f"sessions:request:{request_id}:mentorships", 0, -1)]
    finally:
        client.close()


def page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode()


def act(url: str, **form):
    """POST a mentoring page's form; returns (status, the page it redirects to, or the page)."""
    token = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["token"][0]
    return post(url.split("?")[0], form={"token": token, **form})


def offered(html: str) -> list[str]:
    return re.findall(r'name="start" value="([^"]+)"', html)


def fire_until(clock, now: datetime, done, timeout: float = 30):
    """Fire sessions' timers at ``now`` until ``done()`` holds (other tests' timers fire too)."""
    return poll(lambda: (run_due_timers(clock, now), done())[1], timeout=timeout)


def test_a_first_confirmed_session_forms_a_mentorship_and_the_trainee_books_the_next(full_stack, mail, clock):
    flow = Flow(full_stack, mail, locale="pt")
    first = confirmed(flow)
    url = mentoring_url(flow)
    (m,) = mentorships_of(full_stack, flow.request_id)
    assert m["state"] == "active" and m["session_ids"] == [first]
    assert datetime.fromisoformat(m["term_ends_at"]) == add_months(datetime.fromisoformat(m["started_at"]), 6)
    # Every later email to the trainee leads to the page (the confirmation already did).
    confirmation = [x for x in mail.messages(flow.trainee) if "mentoria" in x["text"]]
    assert confirmation and url.split("?")[0] in confirmation[0]["text"].replace("=\r\n", "")

    html = page(url)
    assert 'lang="pt"' in html and "Marcar a próxima sessão" in html
    choices = offered(html)
    assert choices, "times both are free are offered"
    first_start = clock.repository.get(first).start
    assert first_start not in choices   # the pair's own session is never offered again

    # The time of a session either of them holds is refused, whatever the form says.
    status, body = act(url, action="book", start=first_start)
    assert status == 409 and "acabou de ser ocupado" in body

    status, body = act(url, action="book", start=choices[0])
    assert status == 200 and 'data-done="book"' in body     # followed the 303 back to the page
    invites = poll(lambda: (found := [x for x in mail.messages(flow.mentors[0])
                                      if x["subject"].startswith("Critique session request")]) and len(found) == 2
                   and found, timeout=30)
    # Staff see the follow-up waiting on the mentor, and it goes once answered.
    health = f"{full_stack.url('matching')}/api/admin/mentorship-health"
    staff = full_stack.staff_token("viewer")

    def waiting(on: str | None):
        rows = [w for w in _get(health, staff)["waiting_follow_ups"] if w["mentorship_id"] == m["id"]]
        return rows if on is None else [w for w in rows if w["waiting_on"] == on]
    (row,) = poll(lambda: waiting("mentor"), timeout=30)
    assert row["start"] == choices[0] and row["days_waiting"] == 0 and row["reminded"] is False
    # The mentor is reminded before the answer-by time, and staff see that too.
    fire_until(clock, datetime.fromisoformat(row["expires_at"]) - timedelta(minutes=1),
               lambda: (w := waiting("mentor")) and w[0]["reminded"])
    poll(lambda: [x for x in mail.messages(flow.mentors[0])
                  if x["subject"] == "Reminder: Awa Ndiaye is waiting for your answer"], timeout=30)
    second = link(invites[-1], "Accept")
    assert click(second)[0] == 200
    poll(lambda: not waiting(None), timeout=30)
    # The mentor's page of every mentee, from the footer of the pair's emails.
    mentees = re.search(r"(http\S+/mentors/\w+/mentees\?token=\S+)", invites[-1]["text"].replace("=\r\n", ""))
    html = page(mentees.group(1))
    assert "Awa Ndiaye" in html and 'data-state="active"' in html and "Next session:" in html
    (m,) = mentorships_of(full_stack, flow.request_id)
    assert len(m["session_ids"]) == 2 and m["last_session_at"] == choices[0]
    # Follow-ups live on the mentoring page, not in the request's steps.
    assert [e["step"] for e in flow.status()["timeline"]].count("confirmed") == 1
    assert choices[0] not in offered(page(url))

    # The pair's choices: a cadence from the offered ones, a pause that stops booking, a resume.
    status, body = act(url, action="cadence", weeks="4")
    assert status == 200 and '<option value="4" selected>' in body
    assert act(url, action="cadence", weeks="3")[0] == 409     # not one of 2, 4 or 6
    status, body = act(url, action="pause")
    assert 'data-state="paused"' in body and not offered(body)
    assert act(url, action="book", start=choices[-1])[0] == 409
    assert 'data-state="active"' in act(url, action="resume")[1]

    # The mentor books from the pair's page: the trainee answers it as a proposed time, in
    # Portuguese. A "no" reaches the mentor, who proposes again; a "yes" confirms it.
    mentor_url = re.search(r"(http\S+/mentorships/\w+/mentor\?token=\S+)",
                           invites[-1]["text"].replace("=\r\n", "")).group(1)
    html = page(mentor_url)
    mentor_choices = offered(html)
    assert 'id="book"' in html and choices[0] not in mentor_choices and len(mentor_choices) >= 2
    for attempt, start in enumerate(mentor_choices[:2]):
        status, body = act(mentor_url, action="book", start=start)
        assert status == 200 and 'data-done="book"' in body
        proposal = poll(lambda n=attempt + 1: (found := [x for x in mail.messages(flow.trainee)
                                                         if "propõe a sua próxima sessão" in x["text"]])
                        and len(found) == n and found, timeout=30)[-1]
        assert poll(lambda: waiting("trainee"), timeout=30)    # staff: waiting on the trainee now
        if attempt == 0:
            assert click(link(proposal, "Recusar"), reason="Tenho rodagem nesse dia")[0] == 200
            told = poll(lambda: [x for x in mail.messages(flow.mentors[0])
                                 if x["subject"].startswith("Awa Ndiaye cannot make")], timeout=30)
            assert "/mentorships/" in told[0]["text"].replace("=\r\n", "")   # back to the pair's page
            assert "Awa Ndiaye wrote: “Tenho rodagem nesse dia”" in told[0]["text"]   # what she typed reaches him
        else:
            assert click(link(proposal, "Aceitar"))[0] == 200
    poll(lambda: len(mentorships_of(full_stack, flow.request_id)[0]["session_ids"]) == 4
         and clock.repository.get(mentorships_of(full_stack, flow.request_id)[0]["session_ids"][-1]).state
         == "confirmed", timeout=30)
    (m,) = mentorships_of(full_stack, flow.request_id)
    assert [clock.repository.get(i).booked_by for i in m["session_ids"]] == ["", "trainee", "mentor", "mentor"]
    poll(lambda: not waiting(None), timeout=30)
    assert mentor_choices[1] not in offered(page(mentor_url))   # now the pair's, so never offered again


def test_two_bookings_of_one_time_at_once_make_one_session(full_stack, mail, clock):
    flow = Flow(full_stack, mail)
    confirmed(flow)
    (m,) = mentorships_of(full_stack, flow.request_id)
    start = offered(page(mentoring_url(flow)))[0]
    results: list = []

    def book():
        try:
            results.append(mentoring.book_follow_up(clock, m["id"], "trainee", start).id)
        except Exception as exc:     # the loser's answer: that time was just taken
            results.append(getattr(exc, "code", repr(exc)))
    threads = [threading.Thread(target=book) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(r for r in results if r == "slot_taken") == ["slot_taken"] * 3, results
    (m,) = mentorships_of(full_stack, flow.request_id)
    assert len(m["session_ids"]) == 2


def test_a_pair_counts_once_against_capacity_is_freed_when_it_ends_and_staff_see_why(full_stack, mail, clock):
    flow = Flow(full_stack, mail)
    confirmed(flow)
    (m,) = mentorships_of(full_stack, flow.request_id)
    mentor_id = m["mentor"]["id"]
    repo = MatchingRepository(redis.Redis.from_url(full_stack.redis, decode_responses=True))
    # The month the proposal counted in (not today's: a run at a month's last second stays right).
    proposed = datetime.fromisoformat(repo.proposals(flow.request_id)[-1]["at"])
    month, later = proposed.strftime("%Y-%m"), add_months(proposed.replace(day=1), 1).strftime("%Y-%m")
    poll(lambda: repo.active_mentees(mentor_id) == 1, timeout=30)
    # This month through the proposal, later months as an active mentee: never twice.
    assert repo.active_load(month).get(mentor_id) == 1
    assert repo.active_load(later).get(mentor_id) == 1

    # The same start, delivered again as a new event (a replay), counts nothing more.
    started = {"mentorship_id": m["id"], "request_id": flow.request_id, "mentor": m["mentor"],
               "trainee": m["trainee"], "discipline": "camera", "started_at": m["started_at"],
               "term_ends_at": m["term_ends_at"], "links": {}}
    client = redis.Redis.from_url(full_stack.redis, decode_responses=True)
    event = make_event("mentorship.started", m["id"], started, "test")
    p = producer(full_stack.bootstrap_servers)
    p.send("twoshot.mentorship", key=m["id"].encode(), value=serialize(event, Sealer(KeyRing(client)))).get(10)
    p.close()
    poll(lambda: client.exists(f"twoshot-matching:processed:{event.id}"), timeout=30)   # matching handled it
    assert repo.active_load(later).get(mentor_id) == 1 and repo.active_mentees(mentor_id) == 1

    status, _ = act(mentoring_url(flow), action="end", reason="=HYPERLINK(\"x\") too busy")
    assert status == 200
    poll(lambda: repo.active_mentees(mentor_id) == 0, timeout=30)
    assert repo.active_load(later).get(mentor_id, 0) == 0
    # Its first session was still to come: cancelled with it, so this month is freed too.
    poll(lambda: repo.active_load(month).get(mentor_id, 0) == 0, timeout=30)

    # Staff see the early end and its reason in the mentorship health (groups and reasons, not who).
    url = f"{full_stack.url('matching')}/api/admin/mentorship-health"
    token = full_stack.staff_token("viewer")

    def ended_here(report):
        return [r for r in report["ended_early"]["reasons"] if "too busy" in r["reason"]]
    report = poll(lambda: (r := _get(url, token)) and ended_here(r) and r, timeout=30)
    assert report["pairs"] >= 1 and report["ended_early"]["by"]["trainee"] >= 1
    europe = report["by_mentor_group"]["Europe"]
    assert europe["pairs"] >= 1 and europe["ended_early"] >= 1 and europe["continuation"]["n"] == europe["pairs"]
    csv_text = _get(url + "?table=by_mentor_group", token, raw=True)
    assert csv_text.splitlines()[0].startswith("group,") and "continuation_ci95_low" in csv_text
    assert m["id"] not in json.dumps(_get(url, token))
    status, _ = _status(url + "?table=nope", token)
    assert status == 422


def test_quiet_weeks_nudge_both_and_the_term_ends_the_mentorship(full_stack, mail, clock):
    flow = Flow(full_stack, mail, locale="fr")
    first = confirmed(flow)
    (m,) = mentorships_of(full_stack, flow.request_id)
    quiet = datetime.fromisoformat(clock.repository.get(first).start) + timedelta(weeks=6, seconds=1)
    fire_until(clock, quiet, lambda: [x for x in mail.messages(flow.trainee) if "Prochaine séance" in x["subject"]])
    nudge = poll(lambda: [x for x in mail.messages(flow.mentors[0]) if "next session" in x["subject"]], timeout=30)
    assert "6 weeks" in nudge[0]["text"] and "/mentorships/" in nudge[0]["text"].replace("=\r\n", "")

    term_end = datetime.fromisoformat(m["term_ends_at"]) + timedelta(seconds=1)
    fire_until(clock, term_end, lambda: mentorships_of(full_stack, flow.request_id)[0]["state"] == "ended")
    (m,) = mentorships_of(full_stack, flow.request_id)
    assert m["ended_by"] == "term" and not m["rematch"]
    ended = poll(lambda: [x for x in mail.messages(flow.trainee) if "est terminé" in x["subject"]], timeout=30)
    assert "arrivé à son terme" in ended[0]["text"]
    assert flow.wait_status("ended")["timeline"][-1]["key"] == "st_ended_term"
    # Nothing more is booked after the term.
    assert act(mentoring_url(flow), action="book", start="2030-01-01T10:00:00+00:00")[0] == 409

    # The end's email asks both for a short closing survey, in each one's language.
    survey_url = re.search(r"(http\S+/survey/trainee\?token=\S+)", ended[0]["text"].replace("=\r\n", "")).group(1)
    form = page(survey_url)
    assert 'lang="fr"' in form and "Comment s&#39;est passé votre mentorat" in form
    status, body = act(survey_url, comment="Les retours sur l'exposition m'ont servi")   # nothing chosen
    assert status == 422 and 'id="useful-error"' in body and "Choisissez de 1 à 5." in body
    assert "Les retours sur l&#39;exposition m&#39;ont servi" in body      # what was typed is kept
    status, body = act(survey_url, useful="4", again="yes", comment="Les retours sur l'exposition m'ont servi")
    assert status == 200 and 'data-done="survey"' in body and "<textarea" not in body
    # A used link says the answers arrived; it never shows the form again, and a repeat adds nothing.
    assert 'data-done="survey"' in page(survey_url)
    assert act(survey_url, useful="1", again="no")[0] == 200
    assert mentorships_of(full_stack, flow.request_id)[0]["survey"]["trainee"]["useful"] == 4
    mentor_mail = poll(lambda: [x for x in mail.messages(flow.mentors[0]) if "/survey/mentor?" in
                                x["text"].replace("=\r\n", "")], timeout=30)
    assert "Answer the closing survey" in mentor_mail[0]["text"]     # his own, in his language
    # Staff read it beside how the pair went; the other person never does.
    report = poll(lambda: (r := _get(f"{full_stack.url('matching')}/api/admin/mentorship-health",
                                     full_stack.staff_token("viewer")))
                  and any("l'exposition" in c["comment"] for c in r["survey"]["comments"]) and r, timeout=30)
    assert report["survey"]["trainee"]["answers"] >= 1
    assert not [x for x in mail.messages(flow.mentors[0]) if "l'exposition" in x["text"]]


def test_the_trainee_ends_with_a_private_reason_and_gets_a_new_mentor_not_the_first(full_stack, mail, clock):
    flow = Flow(full_stack, mail, mentors=2)
    confirmed(flow)
    first_mentor = mentorships_of(full_stack, flow.request_id)[0]["mentor"]["id"]
    status, body = act(mentoring_url(flow), action="end", reason="our schedules never fit", rematch="1")
    assert status == 200 and 'data-state="ended"' in body
    # The second mentor is invited; the first hears it ended, without the private reason.
    invite = flow.mail.wait_for(1, to=flow.mentors[1])[0]
    assert "Accept" in invite["text"]
    # The first session was still to come: called off, so the first mentor's month is freed.
    repo = MatchingRepository(redis.Redis.from_url(full_stack.redis, decode_responses=True))
    first_month = next(p["at"][:7] for p in repo.proposals(flow.request_id) if p["mentor"]["id"] == first_mentor)
    poll(lambda: repo.active_load(first_month).get(first_mentor, 0) == 0 and repo.active_mentees(first_mentor) == 0,
         timeout=30)
    # Both the cancellation and the end are handled by now: one new proposal, not two.
    proposed = [p["mentor"]["id"] for p in repo.proposals(flow.request_id)]
    assert len(proposed) == 2 and proposed[0] == first_mentor != proposed[1]
    told = poll(lambda: [x for x in mail.messages(flow.mentors[0]) if "has ended" in x["subject"]], timeout=30)
    assert "schedules" not in told[0]["text"]
    assert flow.wait_status("invited")
    # The new pair's first session forms a second mentorship on the same page: history carries over.
    assert click(link(invite, "Accept"))[0] == 200
    poll(lambda: len(mentorships_of(full_stack, flow.request_id)) == 2, timeout=30)
    old, new = mentorships_of(full_stack, flow.request_id)
    assert old["mentor"]["id"] == first_mentor != new["mentor"]["id"]
    html = page(mentoring_url(flow))
    assert "Earlier mentorship with Mentor 0 Diallo" in html


def test_a_mentor_who_leaves_ends_their_mentorships_and_the_trainee_is_offered_another(full_stack, mail, clock):
    flow = Flow(full_stack, mail, mentors=2)
    confirmed(flow)
    assert len(mentorships_of(full_stack, flow.request_id)) == 1
    status, body = post(f"{full_stack.url('intake')}/api/admin/erasures",
                        {"mentor_email": flow.mentors[0]}, token=full_stack.staff_token())
    assert status in (201, 202), body
    poll(lambda: mentorships_of(full_stack, flow.request_id)[0]["state"] == "ended", timeout=60)
    assert mentorships_of(full_stack, flow.request_id)[0]["ended_by"] == "programme"
    flow.mail.wait_for(1, to=flow.mentors[1])
    told = poll(lambda: [x for x in mail.messages(flow.trainee) if "has ended" in x["subject"]], timeout=30)
    assert "new mentor" in told[0]["text"]



def _get(url, token, raw=False):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        body = r.read().decode()
    return body if raw else json.loads(body)


def _status(url, token):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_critiques_build_the_pairs_history_scores_and_technical_updates(full_stack, mail, clock):
    flow = Flow(full_stack, mail)
    first = confirmed(flow)
    end = datetime.fromisoformat(clock.repository.get(first).end)
    fire_until(clock, end + timedelta(seconds=1), lambda: clock.repository.get(first).state == "completed")
    ask = poll(lambda: [x for x in mail.messages(flow.mentors[0]) if "Write your critique" in x["subject"]],
               timeout=30)[0]
    critique = link(ask, "Write the critique")
    status, body = click(critique, score_0="4", score_1="3", score_2="5", score_3="2",
                         notes="00:42 focus buzzes on the wide\n1:02:03 plan the final pull",
                         next_steps="Practise pulls with marks; test the 85 mm at T2.",
                         update_equipment_0="ARRI Alexa Mini LF", update_setting_0="exposure index",
                         update_value_0="EI 800 for night exteriors", update_link_0="not a link")
    assert status == 422 and 'id="update_link_0-error"' in body     # a bad link is refused, nothing stored
    status, _ = click(critique, score_0="4", score_1="3", score_2="5", score_3="2",
                      notes="00:42 focus buzzes on the wide\n1:02:03 plan the final pull",
                      next_steps="Practise pulls with marks; test the 85 mm at T2.",
                      update_equipment_0="ARRI Alexa Mini LF", update_setting_0="exposure index",
                      update_value_0="EI 800 for night exteriors", update_link_0="https://example.org/ei")
    assert status == 200

    html = page(mentoring_url(flow))
    assert html.count("<polyline") == 4 and 'id="scores-table"' in html      # one line per rubric criterion
    assert "<td>4</td>" in html and "1:02:03" in html
    assert "ARRI Alexa Mini LF" in html and "EI 800 for night exteriors" in html
    assert 'href="https://example.org/ei"' in html

    # The mentor marks the first note addressed; the trainee's page shows it.
    mentor_url = re.search(r"(http\S+/mentorships/\w+/mentor\?token=\S+)", ask["text"].replace("=\r\n", "")).group(1)
    status, body = act(mentor_url, action="addressed", note=f"{first}:0")
    assert status == 200 and "(addressed)" in body
    assert page(mentoring_url(flow)).count("(addressed)") == 1
    assert act(mentor_url, action="addressed", note="someone-elses-session:0")[0] == 404


def test_what_a_producer_checked_reads_the_same_without_checking_it_again(full_stack):
    """Every valid record the services wrote so far (sessions, mentorships, critiques,
    surveys, emails) says its producer checked it, and read on trust it is the very event a
    full validation gives, sealed fields opened alike. (Other tests' poison on the same
    bus is left out: it is not valid.)"""
    from shared.contracts import ALL_TOPICS
    from shared.events import InvalidEvent, deserialize, was_checked
    from tests.kafka_tools import read_everything
    sealer = Sealer(KeyRing(redis.Redis.from_url(full_stack.redis)))
    services = {"intake", "matching", "sessions", "notifications"}
    seen = set()
    for record in read_everything(full_stack.bootstrap_servers, ALL_TOPICS):
        try:
            full = deserialize(record.value, sealer, trust=False)
        except InvalidEvent:
            continue
        if full.source not in services:
            continue          # written by a test, as a replay or a forgery would be
        assert was_checked(json.loads(record.value)), full.type
        assert deserialize(record.value, sealer) == full
        seen.add(full.type)
    assert len(seen) >= 12, seen
