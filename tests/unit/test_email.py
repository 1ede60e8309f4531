from datetime import datetime, timezone
from email import message_from_bytes, policy

import icalendar

from services.notifications import messages
from services.notifications.calendar import fold
from services.notifications.mailer import build_message

STAMP = datetime(2026, 11, 21, 8, 0, tzinfo=timezone.utc)
ORGANIZER = ("Twoshot", "sessions@twoshot.test")


def session(**kw):
    base = {
        "session_id": "s1", "request_id": "r1", "match_id": "m1", "discipline": "camera", "sequence": 0,
        "mentor": {"id": "m", "name": "Inès Lefèvre", "email": "ines@example.org", "timezone": "Europe/Paris",
                   "country": "FR"},
        "trainee": {"id": "t", "name": "Ama Owusu", "email": "ama@example.org", "timezone": "Africa/Accra",
                    "country": "GH"},
        "start": "2026-11-24T18:00:00+00:00", "end": "2026-11-24T19:00:00+00:00",
        "video_url": "https://meet.example.org/twoshot-abc", "accept_url": "https://s.test/a?token=x",
        "decline_url": "https://s.test/d?token=y", "expires_at": "2026-11-24T08:00:00+00:00",
        "focus_skills": ["focus pulling"], "goals": "Night work; long lenses, wide open", "reel_url": "",
    }
    base.update(kw)
    return base


def test_the_mentor_invite_carries_a_calendar_request_that_icalendar_reads():
    email = messages.mentor_invite(session(), ORGANIZER, STAMP)
    cal = icalendar.Calendar.from_ical(email.ics)
    event = next(iter(cal.walk("VEVENT")))
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "s1@twoshot"
    assert event.decoded("DTSTART") == datetime(2026, 11, 24, 18, tzinfo=timezone.utc)
    assert event.decoded("DTEND") == datetime(2026, 11, 24, 19, tzinfo=timezone.utc)
    assert event.decoded("DTSTAMP") == STAMP
    assert str(event["ORGANIZER"]) == "mailto:sessions@twoshot.test"
    assert {str(a) for a in event["ATTENDEE"]} == {"mailto:ines@example.org", "mailto:ama@example.org"}
    assert "https://meet.example.org/twoshot-abc" in str(event["DESCRIPTION"])


def test_times_are_shown_in_each_recipients_own_time_zone():
    mentor_mail, trainee_mail = messages.confirmations(session(), ORGANIZER, STAMP)
    assert "19:00 CET" in mentor_mail.subject        # Paris, UTC+1 in November
    assert "18:00 GMT" in trainee_mail.subject       # Accra, UTC+0


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_a_name_with_a_newline_cannot_inject_a_header():
    evil = session(mentor={**session()["mentor"], "name": "Eve\r\nBcc: victim@example.org"})
    email = messages.mentor_invite(evil, ORGANIZER, STAMP)
    raw = build_message(email, "Twoshot <sessions@twoshot.test>", "n1", STAMP).as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Bcc"] is None and "victim" not in str(parsed["To"]).split("<")[1]
    cal = icalendar.Calendar.from_ical(email.ics)  # and the calendar still parses
    assert len(list(cal.walk("VEVENT"))) == 1


def test_html_is_escaped():
    email = messages.mentor_invite(session(goals="<script>alert(1)</script>"), ORGANIZER, STAMP)
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html


def test_the_message_has_text_html_and_the_invite_attached():
    email = messages.mentor_invite(session(), ORGANIZER, STAMP)
    parsed = message_from_bytes(build_message(email, "Twoshot <sessions@twoshot.test>", "n1", STAMP).as_bytes(),
                                policy=policy.default)
    types = [p.get_content_type() for p in parsed.walk() if not p.is_multipart()]
    assert types == ["text/plain", "text/html", "text/calendar"]
    ics_part = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"][0]
    assert ics_part.get_param("method") == "REQUEST" and ics_part.get_filename() == "invite.ics"
