"""What each email says. Pure: builds ``Email`` values; the mailer sends them.

Every time is shown in the recipient's own time zone, with the zone named.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from services.notifications.calendar import Attendee, CalendarInvite


@dataclass(frozen=True)
class Email:
    kind: str                 # e.g. "invite", "confirmed"
    recipient_role: str       # "mentor" or "trainee"
    to_name: str
    to_email: str
    subject: str
    text: str
    html: str
    ics: str | None = None
    ics_method: str = "REQUEST"


def local_time(iso: str, tz: str) -> str:
    return datetime.fromisoformat(iso).astimezone(ZoneInfo(tz)).strftime("%a %d %b %Y, %H:%M %Z")


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def _html(paragraphs: list[str], links: list[tuple[str, str]] = ()) -> str:
    """Paragraphs of already-escaped HTML, then big tap-friendly buttons."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    buttons = "".join(
        f'<p><a href="{html.escape(url)}" style="display:inline-block;padding:12px 20px;'
        f'background:#114b8a;color:#fff;text-decoration:none;border-radius:4px;font-weight:600">'
        f"{html.escape(label)}</a></p>" for label, url in links)
    return (f'<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:16px;'
            f'line-height:1.5;max-width:36rem">{body}{buttons}</body></html>')


def _invite(session: dict, stamp_status: str, mentor_partstat: str, organizer: tuple[str, str],
            description: str) -> CalendarInvite:
    mentor, trainee = session["mentor"], session["trainee"]
    return CalendarInvite(
        uid=f"{session['session_id']}@twoshot", sequence=session["sequence"],
        start=datetime.fromisoformat(session["start"]), end=datetime.fromisoformat(session["end"]),
        summary=f"Twoshot critique session ({session['discipline']}): {mentor['name']} & {trainee['name']}",
        description=description, location=session["video_url"],
        organizer_name=organizer[0], organizer_email=organizer[1],
        attendees=(Attendee(mentor["name"], mentor["email"], mentor_partstat, rsvp=True),
                   Attendee(trainee["name"], trainee["email"], "ACCEPTED")),
        status=stamp_status)


def mentor_invite(session: dict, organizer: tuple[str, str], stamp: datetime) -> Email:
    mentor, trainee = session["mentor"], session["trainee"]
    when = local_time(session["start"], mentor["timezone"])
    expires = local_time(session["expires_at"], mentor["timezone"])
    e = html.escape
    skills = ", ".join(session.get("focus_skills") or []) or "—"
    text = (
        f"Hello {first_name(mentor['name'])},\n\n"
        f"{trainee['name']} ({trainee['country']}) would like a {session['discipline']} critique session with you.\n"
        f"They want to work on: {skills}\n"
        f"In their words: {session.get('goals') or '—'}\n"
        + (f"Their work sample: {session['reel_url']}\n" if session.get("reel_url") else "")
        + f"\nProposed time: {when} (60 minutes, in your time zone, {mentor['timezone']}).\n"
        f"Video room: {session['video_url']}\n\n"
        f"Accept: {session['accept_url']}\n"
        f"Decline: {session['decline_url']}\n\n"
        f"Please answer by {expires}.\n\n— Twoshot\n")
    body = _html([
        f"Hello {e(first_name(mentor['name']))},",
        f"<strong>{e(trainee['name'])}</strong> ({e(trainee['country'])}) would like a "
        f"<strong>{e(session['discipline'])}</strong> critique session with you.",
        f"They want to work on: {e(skills)}<br>In their words: <em>{e(session.get('goals') or '—')}</em>"
        + (f'<br>Work sample: <a href="{e(session["reel_url"])}">{e(session["reel_url"])}</a>'
           if session.get("reel_url") else ""),
        f"Proposed time: <strong>{e(when)}</strong> (60 minutes, in your time zone, {e(mentor['timezone'])}).",
        f"Please answer by {e(expires)}.",
    ], [("Accept", session["accept_url"]), ("Decline", session["decline_url"])])
    description = (f"Critique session with {trainee['name']}. Video room: {session['video_url']}\n"
                   f"Accept: {session['accept_url']}\nDecline: {session['decline_url']}")
    ics = _invite(session, "TENTATIVE", "NEEDS-ACTION", organizer, description).to_ics(stamp)
    return Email("invite", "mentor", mentor["name"], mentor["email"],
                 f"Critique session request from {trainee['name']} — {when}", text, body, ics)


def confirmations(session: dict, organizer: tuple[str, str], stamp: datetime) -> list[Email]:
    """The confirmed invite, to the mentor and to the trainee, each in their own time zone."""
    mentor, trainee = session["mentor"], session["trainee"]
    description = f"Twoshot critique session. Video room: {session['video_url']}"
    ics = _invite(session, "CONFIRMED", "ACCEPTED", organizer, description).to_ics(stamp)
    out = []
    for role, person, other in (("mentor", mentor, trainee), ("trainee", trainee, mentor)):
        when = local_time(session["start"], person["timezone"])
        text = (f"Hello {first_name(person['name'])},\n\n"
                f"Your {session['discipline']} critique session with {other['name']} is confirmed.\n"
                f"When: {when} (your time zone, {person['timezone']}).\n"
                f"Video room: {session['video_url']}\n\n"
                f"The attached invitation adds it to your calendar.\n\n— Twoshot\n")
        body = _html([
            f"Hello {html.escape(first_name(person['name']))},",
            f"Your {html.escape(session['discipline'])} critique session with "
            f"<strong>{html.escape(other['name'])}</strong> is confirmed.",
            f"When: <strong>{html.escape(when)}</strong> (your time zone, {html.escape(person['timezone'])}).",
            "The attached invitation adds it to your calendar.",
        ], [("Join the video room", session["video_url"])])
        out.append(Email("confirmed", role, person["name"], person["email"],
                         f"Confirmed: critique session with {other['name']} — {when}", text, body, ics))
    return out
