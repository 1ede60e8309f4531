from datetime import UTC, datetime
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from services.notifications import messages
from services.notifications.calendar import fold
from services.notifications.mailer import write_message
from shared.i18n import when

STAMP = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
ORGANIZER = ("Twoshot", "sessions@twoshot.test")
FROM = "Twoshot <sessions@twoshot.test>"


def session(**kw):
    base = {
        "session_id": "s1", "request_id": "r1", "match_id": "m1", "discipline": "camera", "sequence": 0,
        "mentor": {"id": "m", "name": "Inès Lefèvre", "email": "ines@example.org", "timezone": "Europe/Paris",
                   "country": "FR", "languages": ["fr", "en"]},
        "trainee": {"id": "t", "name": "Ama Owusu", "email": "ama@example.org", "timezone": "Africa/Accra",
                    "country": "GH", "languages": ["en"], "locale": "pt"},
        "start": "2026-11-24T18:00:00+00:00", "end": "2026-11-24T19:00:00+00:00",
        "video_url": "https://meet.example.org/twoshot-abc", "accept_url": "https://s.test/a?token=x",
        "decline_url": "https://s.test/d?token=y", "expires_at": "2026-11-24T08:00:00+00:00",
        "focus_skills": ["focus pulling"], "goals": "Night work; long lenses, wide open", "reel_url": "",
        "links": {"mentor": {"accept": "https://s.test/a?token=x", "decline": "https://s.test/d?token=y",
                             "propose": "https://s.test/p?token=z", "cancel": "https://s.test/c?m",
                             "reschedule": "https://s.test/r?m"},
                  "trainee": {"cancel": "https://s.test/c?t", "reschedule": "https://s.test/r?t"}},
    }
    base.update(kw)
    return base


def parse_both(ics: str):
    """The same calendar through two independent parsers."""
    a = next(iter(icalendar.Calendar.from_ical(ics).walk("VEVENT")))
    b = vobject.readOne(ics).vevent
    return a, b


def test_the_mentor_invite_is_a_calendar_request_both_parsers_read_alike():
    [email] = messages.compose("session.invited", session(), ORGANIZER, STAMP)
    cal = icalendar.Calendar.from_ical(email.ics)
    a, b = parse_both(email.ics)
    assert str(cal["METHOD"]) == "REQUEST" == vobject.readOne(email.ics).method.value
    assert str(a["UID"]) == b.uid.value == "s1@twoshot"
    assert a.decoded("DTSTART") == b.dtstart.value == datetime(2026, 11, 24, 18, tzinfo=UTC)
    assert a.decoded("DTEND") == b.dtend.value == datetime(2026, 11, 24, 19, tzinfo=UTC)
    assert a.decoded("DTSTAMP") == b.dtstamp.value == STAMP
    # The mentor's file has her own address and the trainee's name at the programme's
    # address: never the trainee's private one.
    attendees = {str(x) for x in a["ATTENDEE"]}
    assert attendees == {x.value for x in b.attendee_list}
    assert "mailto:ines@example.org" in attendees and "mailto:ama@example.org" not in attendees
    assert any(x.startswith(f"mailto:{ORGANIZER[1].split('@')[0]}+trainee-") for x in attendees)
    assert "https://meet.example.org/twoshot-abc" in b.description.value


def test_a_move_keeps_the_uid_and_raises_the_sequence_and_a_cancel_is_method_cancel():
    moved = messages.compose("session.rescheduled", session(sequence=1, by="trainee",
                                                            start="2026-11-25T18:00:00+00:00",
                                                            end="2026-11-25T19:00:00+00:00"), ORGANIZER, STAMP)
    cancelled = messages.compose("session.cancelled", session(sequence=2, by="mentor"), ORGANIZER, STAMP)
    for email in moved:
        a, b = parse_both(email.ics)
        assert (str(a["UID"]), int(a["SEQUENCE"]), b.sequence.value) == ("s1@twoshot", 1, "1")
    for email in cancelled:
        a, b = parse_both(email.ics)
        assert email.ics_method == "CANCEL" and vobject.readOne(email.ics).method.value == "CANCEL"
        assert str(a["UID"]) == "s1@twoshot" and int(a["SEQUENCE"]) == 2 and b.status.value == "CANCELLED"
    assert {e.recipient_role for e in moved} == {e.recipient_role for e in cancelled} == {"mentor", "trainee"}


def zone(tz: str, instant: datetime) -> str:
    """"(Europe/Paris, UTC+01:00)": the offset in force in ``tz`` at ``instant``, from the
    time-zone database, not written in by hand."""
    offset = instant.astimezone(ZoneInfo(tz)).strftime("%z")
    return f"({tz}, UTC{offset[:3]}:{offset[3:]})"


def test_each_person_reads_their_own_language_and_time_zone():
    mentor_mail, trainee_mail = messages.compose("session.confirmed", session(), ORGANIZER, STAMP)
    assert mentor_mail.locale == "fr" and mentor_mail.subject.startswith("Confirmé")
    start = datetime.fromisoformat(session()["start"])
    assert f"mardi 24 novembre 2026 à 19:00 {zone('Europe/Paris', start)}" in mentor_mail.subject
    assert trainee_mail.locale == "pt" and trainee_mail.subject.startswith("Confirmada")
    assert f"terça-feira, 24 de novembro de 2026, 18:00 {zone('Africa/Accra', start)}" in trainee_mail.subject
    assert "Cancelar" in trainee_mail.text and "https://s.test/c?t" in trainee_mail.text   # her own links


@pytest.mark.parametrize("locale,expected", [("en", "Tuesday 24 November 2026, 13:00"),
                                             ("es", "martes 24 de noviembre de 2026, 13:00")])
def test_dates_are_written_the_way_each_language_writes_them(locale, expected):
    assert when("2026-11-24T18:00:00+00:00", "America/Bogota", locale).startswith(expected)


def test_a_mentor_whose_languages_are_not_offered_reads_english():
    d = session(mentor={**session()["mentor"], "languages": ["ja", "ko"]})
    [email] = messages.compose("session.invited", d, ORGANIZER, STAMP)
    assert email.locale == "en" and email.subject.startswith("Critique session request")


@pytest.mark.parametrize("line", ["SUMMARY:" + "é" * 100, "DESCRIPTION:" + "x" * 200, "UID:" + "y" * 71,
                                  "UID:" + "y" * 72])
def test_long_lines_fold_at_75_octets_without_splitting_a_character(line):
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts) and all(p.startswith(" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == line
    assert (len(parts) == 1) == (len(line.encode()) <= 75) and len(parts[0].encode()) >= 74   # folded only when long


def test_a_name_with_a_newline_cannot_inject_a_header():
    evil = session(mentor={**session()["mentor"], "name": "Eve\r\nBcc: victim@example.org"})
    [email] = messages.compose("session.invited", evil, ORGANIZER, STAMP)
    parsed = message_from_bytes(write_message(email, FROM, "n1", STAMP).data, policy=policy.default)
    assert parsed["Bcc"] is None and "victim" not in str(parsed["To"]).split("<")[1]
    assert parse_both(email.ics)   # and the calendar still parses, twice


def test_html_is_escaped():
    [email] = messages.compose("session.invited", session(goals="<script>alert(1)</script>"), ORGANIZER, STAMP)
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html


def test_the_message_has_text_html_the_invite_and_a_stable_message_id():
    [email] = messages.compose("session.invited", session(), ORGANIZER, STAMP)
    first = message_from_bytes(write_message(email, FROM, "event-1:mentor:invite", STAMP).data,
                               policy=policy.default)
    again = write_message(email, FROM, "event-1:mentor:invite", STAMP)
    types = [p.get_content_type() for p in first.walk() if not p.is_multipart()]
    assert types == ["text/plain", "text/html", "text/calendar"]
    ics_part = next(p for p in first.walk() if p.get_content_type() == "text/calendar")
    assert ics_part.get_param("method") == "REQUEST" and ics_part.get_filename() == "invite.ics"
    assert first["Message-ID"] == again.message_id and first["Content-Language"] == "fr"
    # Names and the subject read back as written (base64 encoded-words, folded within 78).
    assert str(first["Subject"]) == email.subject and str(first["To"]) == "Inès Lefèvre <ines@example.org>"
    head = again.data.decode("ascii").split("\r\n\r\n", 1)[0]
    assert "=?utf-8?b?" in head and all(len(line) <= 78 for line in head.split("\r\n"))
    # Each part's text comes back whole: the boundaries, named, occur nowhere in a body.
    assert first.get_body(("plain",)).get_content().replace("\r\n", "\n") == email.text.replace("\r\n", "\n")


def test_the_critique_email_carries_scores_time_codes_and_next_steps():
    d = {**session(), "rubric": [{"criterion": "composition", "score": 4, "comment": "strong frames"}],
         "notes": [{"at": "01:25", "note": "focus drifts"}], "next_steps": "Practise pulls with marks."}
    [email] = messages.compose("critique.submitted", d, ORGANIZER, STAMP)
    assert email.recipient_role == "trainee" and email.locale == "pt"
    assert "Composição: 4/5 — strong frames" in email.text and "01:25  focus drifts" in email.text
    assert "Practise pulls with marks." in email.text


def test_lines_that_start_with_a_dot_are_stuffed_and_line_ends_are_crlf():
    from services.notifications.mailer import _dot_stuffed
    assert _dot_stuffed(b"a\n.b\r\n..c\rd") == b"a\r\n..b\r\n...c\r\nd\r\n"


def test_trainees_emails_link_to_their_request_page_in_their_language():
    mentor_mail, trainee_mail = messages.compose("session.confirmed", session(), ORGANIZER, STAMP,
                                                 status_url="https://twoshot.test/requests/r1")
    assert "A página do seu pedido (estado, crítica): https://twoshot.test/requests/r1" in trainee_mail.text
    assert "https://twoshot.test/requests/r1" in trainee_mail.html
    assert "requests/r1" not in mentor_mail.text        # the request page is the trainee's


def test_each_calendar_file_shows_its_reader_only_their_own_private_address():
    for email in messages.compose("session.confirmed", session(), ORGANIZER, STAMP):
        text = email.ics.replace("\r\n ", "")
        own, other = ("ines@example.org", "ama@example.org") if email.recipient_role == "mentor" \
            else ("ama@example.org", "ines@example.org")
        assert f"mailto:{own}" in text and other not in text, email.recipient_role


def test_a_cancellation_marks_whoever_cancelled_as_declined_and_the_other_as_accepted():
    for by, declined, accepted in (("trainee", "ama", "inès"), ("mentor", "inès", "ama")):
        for email in messages.compose("session.cancelled", session(sequence=2, by=by), ORGANIZER, STAMP):
            a, _ = parse_both(email.ics)
            states = {str(x.params["CN"]).split()[0].lower(): str(x.params["PARTSTAT"]) for x in a["ATTENDEE"]}
            assert states[declined] == "DECLINED" and states[accepted] == "ACCEPTED", (by, states)
