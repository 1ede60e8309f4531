"""What each event says to whom, in the recipient's language and time zone. Pure:
builds ``Email`` values; the mail queue sends them.

Trainees get the language they chose on the form; mentors their first listed language
among English, French, Spanish and Portuguese (else English). Calendar invites keep one
UID per session; a move raises SEQUENCE so calendars update the event in place, and a
cancellation is METHOD:CANCEL with the same UID.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from jinja2 import Environment, PackageLoader, select_autoescape

from services.notifications.calendar import Attendee, CalendarInvite
from shared.catalogue import direction
from shared.geo import country_name
from shared.i18n import discipline, locale_for, reasons, t, term, when
from shared.markup import linkify


@dataclass(frozen=True)
class Email:
    kind: str                 # e.g. "invite", "confirmed", "reminder_24h"
    recipient_role: str       # "mentor" or "trainee"
    to_name: str
    to_email: str
    subject: str
    text: str
    html: str
    ics: str | None = None
    ics_method: str = "REQUEST"
    locale: str = "en"
    to_id: str = ""           # the recipient's person id: erasure finds their mail by it

    @property
    def may_wait(self) -> bool:
        """Nobody waits on it to act (a request's acknowledgement): when senders are busy,
        time-critical mail queued in the next ``MAIL_MAY_WAIT_S`` goes first."""
        return self.kind in MAY_WAIT


# The kinds of email nobody waits on to act (Email.may_wait).
MAY_WAIT = frozenset({"request_received"})


def locale_of(person: dict, role: str) -> str:
    return locale_for(person.get("languages", []), person.get("locale") if role == "trainee" else None)


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


_TEMPLATES = Environment(loader=PackageLoader("services.notifications", "templates"),
                         autoescape=select_autoescape(["html"]))
_TEMPLATES.filters["linkify"] = linkify
_TEMPLATES.globals["direction"] = direction


def _html(loc: str, subject: str, hello: str, lines: list[str], buttons: list[tuple[str, str]]) -> str:
    """The HTML part: a page of its own (lang, title, viewport), links a thumb can hit."""
    return _TEMPLATES.get_template("email.html").render(lang=loc, subject=subject, hello=hello, lines=lines,
                                                        buttons=buttons, signoff=t("signoff", loc))


def _mail(kind: str, role: str, person: dict, subject: str, lines: list[str], buttons: list[tuple[str, str]],
          ics: str | None = None, method: str = "REQUEST") -> Email:
    """``lines`` are plain text; they are escaped for the HTML part."""
    loc = locale_of(person, role)
    hello = t("hello", loc, name=first_name(person["name"]))
    text = "\n\n".join([hello, *lines, *[f"{label}: {url}" for label, url in buttons], t("signoff", loc)]) + "\n"
    subject = " ".join(subject.split())
    body = _html(loc, subject, hello, lines, buttons)
    return Email(kind, role, person["name"], person["email"], subject, text, body, ics, method, loc,
                 person.get("id", ""))


def _calendar(d: dict, organizer: tuple[str, str], stamp: datetime, status: str, mentor_partstat: str,
              method: str = "REQUEST", reader: str = "mentor", trainee_partstat: str = "ACCEPTED") -> str:
    """The calendar file ``reader`` (mentor or trainee) gets: their own address, and the
    other person's name at a programme address, never that person's private one."""
    mentor, trainee = d["mentor"], d["trainee"]
    mentor_addr = mentor["email"] if reader == "mentor" else _programme_address(organizer, d, "mentor")
    trainee_addr = trainee["email"] if reader == "trainee" else _programme_address(organizer, d, "trainee")
    return CalendarInvite(
        uid=f"{d['session_id']}@twoshot", sequence=d["sequence"],
        start=datetime.fromisoformat(d["start"]), end=datetime.fromisoformat(d["end"]),
        summary=f"Twoshot critique session ({d['discipline']}): {mentor['name']} & {trainee['name']}",
        description=f"Twoshot critique session. Video room: {d['video_url']}", location=d["video_url"],
        organizer_name=organizer[0], organizer_email=organizer[1],
        # RSVP=FALSE: answers come through the signed links, so calendar apps must not
        # offer a "Yes" that would mail the organizer address nobody reads (decision 0003).
        attendees=(Attendee(mentor["name"], mentor_addr, mentor_partstat, rsvp=False),
                   Attendee(trainee["name"], trainee_addr, trainee_partstat)),
        status=status, method=method).to_ics(stamp)


def _programme_address(organizer: tuple[str, str], d: dict, role: str) -> str:
    """The programme's own address, tagged with the session and the role (sub-addressing):
    what a calendar app shows for the other person, and where a reply would go."""
    local, _, domain = organizer[1].partition("@")
    return f"{local}+{role}-{d['session_id'][:12]}@{domain}"


def _both(d: dict):
    yield "mentor", d["mentor"], d["trainee"]
    yield "trainee", d["trainee"], d["mentor"]


def _message(d: dict, reader: str, author: str, other: dict, loc: str, key: str = "reason") -> list[str]:
    """What ``author`` typed with their change (``d[key]``), for the other person only."""
    message = (d.get(key) or "").strip()
    quoted = message and author in ("mentor", "trainee") and reader != author   # never the programme's own notes
    return [t("their_message", loc, other=other["name"], message=message)] if quoted else []


def _links(d: dict, role: str, loc: str, *actions: str) -> list[tuple[str, str]]:
    labels = {"accept": "accept", "decline": "decline", "propose": "propose", "accept-slot": "accept",
              "decline-slot": "decline", "reschedule": "reschedule", "cancel": "cancel",
              "accept-move": "move_accept", "decline-move": "move_keep",
              "critique": "write_critique", "rate": "rate"}
    mine = d.get("links", {}).get(role, {})
    return [(t(labels[a], loc), mine[a]) for a in actions if a in mine]


def mentor_invite(d: dict, organizer, stamp, kind: str = "invite") -> list[Email]:
    mentor, trainee = d["mentor"], d["trainee"]
    loc = locale_of(mentor, "mentor")
    at = when(d["start"], mentor["timezone"], loc)
    lines = [t("invite_intro", loc, trainee=trainee["name"], country=country_name(trainee["country"], loc),
               discipline=discipline(d["discipline"], loc)),
             t("wants", loc, skills=", ".join(d.get("focus_skills") or []) or "—") + "\n"
             + t("in_their_words", loc, goals=d.get("goals") or "—")
             + ("\n" + t("sample", loc, url=d["reel_url"]) if d.get("reel_url") else ""),
             t("proposed_time", loc, when=at, minutes=_minutes(d)),
             f"{t('video_room', loc)}: {d['video_url']}"]
    why = reasons(d.get("why") or [], "mentor", loc, trainee["name"])
    if why:
        lines.append(t("why_title", loc) + ":\n" + "\n".join(f"• {line}" for line in why))
    if d.get("expires_at"):
        lines.append(t("answer_by", loc, when=when(d["expires_at"], mentor["timezone"], loc)))
    subject = t("expiring_subject" if kind == "invite_expiring" else "invite_subject", loc,
                trainee=trainee["name"], when=at)
    ics = _calendar(d, organizer, stamp, "TENTATIVE", "NEEDS-ACTION") if kind == "invite" else None
    return [
        _mail(kind, "mentor", mentor, subject, lines, _links(d, "mentor", loc, "accept", "decline", "propose"), ics)
    ]


def _minutes(d: dict) -> int:
    return int((datetime.fromisoformat(d["end"]) - datetime.fromisoformat(d["start"])).total_seconds() // 60)


def confirmations(d: dict, organizer, stamp, kind: str = "confirmed", by: str = "") -> list[Email]:
    """Confirmed or moved: both get the invite (same UID; a move has a higher SEQUENCE)."""
    out = []
    for role, person, other in _both(d):
        ics = _calendar(d, organizer, stamp, "CONFIRMED", "ACCEPTED", reader=role)
        loc = locale_of(person, role)
        at = when(d["start"], person["timezone"], loc)
        if kind == "rescheduled":
            key = "moved_body_self" if by == role else "moved_body"
            subject, first = t("moved_subject", loc, other=other["name"], when=at), \
                t(key, loc, discipline=discipline(d["discipline"], loc), other=other["name"], when=at)
        else:
            subject, first = t("confirmed_subject", loc, other=other["name"], when=at), \
                t("confirmed_body", loc, discipline=discipline(d["discipline"], loc), other=other["name"],
                  when=at)
        lines = [first, *_message(d, role, by, other, loc), f"{t('video_room', loc)}: {d['video_url']}",
                 t("calendar_note", loc)]
        buttons = [(t("join", loc), d["video_url"]), *_links(d, role, loc, "reschedule", "cancel")]
        out.append(_mail(kind, role, person, subject, lines, buttons, ics))
    return out


def _move_reader(d: dict):
    """Who reads about a new time (the one of the pair who is not ``by``), in their language
    and zone: (role, person, other, locale, the session's time, the time asked for)."""
    role, person, other = next((r, p, o) for r, p, o in _both(d) if r != d["by"])
    loc = locale_of(person, role)
    return (role, person, other, loc, when(d["start"], person["timezone"], loc),
            when(d["proposed_start"], person["timezone"], loc))


def move_asked(d: dict) -> list[Email]:
    """A new time one of the pair asks for: the other person answers; until they accept,
    the session stays where it is (no calendar change yet)."""
    role, person, other, loc, now_at, new_at = _move_reader(d)
    return [_mail("move_asked", role, person, t("move_subject", loc, other=other["name"], when=new_at),
                  [t("move_body", loc, other=other["name"], discipline=discipline(d["discipline"], loc),
                     now=now_at, new=new_at),
                   *_message(d, role, d["by"], other, loc)],
                  _links(d, role, loc, "accept-move", "decline-move"))]


def move_kept(d: dict) -> list[Email]:
    """The other person keeps the current time: whoever asked hears it, with their message."""
    role, person, other, loc, now_at, new_at = _move_reader(d)
    return [_mail("move_kept", role, person, t("move_kept_subject", loc, other=other["name"], when=now_at),
                  [t("move_kept_body", loc, other=other["name"], now=now_at, new=new_at),
                   *_message(d, role, d["by"], other, loc)],
                  [(t("join", loc), d["video_url"]), *_links(d, role, loc, "reschedule", "cancel")])]


def cancellations(d: dict, organizer, stamp, by: str) -> list[Email]:
    # Whoever cancelled declined; the other had said yes (the programme cancelling declines
    # for nobody).
    mentor_state, trainee_state = ("DECLINED" if by == "mentor" else "ACCEPTED",
                                   "DECLINED" if by == "trainee" else "ACCEPTED")
    out = []
    for role, person, other in _both(d):
        ics = _calendar(d, organizer, stamp, "CANCELLED", mentor_state, method="CANCEL", reader=role,
                        trainee_partstat=trainee_state)
        loc = locale_of(person, role)
        at = when(d["start"], person["timezone"], loc)
        key = "cancel_body_self" if by == role else ("cancel_body" if by in ("mentor", "trainee")
                                                     else "cancel_body_programme")
        lines = [t(key, loc, discipline=discipline(d["discipline"], loc), other=other["name"], when=at),
                 *_message(d, role, by, other, loc), t("calendar_note", loc)]
        out.append(_mail("cancelled", role, person, t("cancel_subject", loc, other=other["name"], when=at),
                         lines, [], ics, "CANCEL"))
    return out


def slot_proposal(d: dict) -> list[Email]:
    """A time the mentor proposes: another one for an invite, or the pair's next session."""
    trainee, mentor = d["trainee"], d["mentor"]
    loc = locale_of(trainee, "trainee")
    at = when(d["start"], trainee["timezone"], loc)
    body = "fu_proposed_body" if d.get("booked_by") == "mentor" else "slot_body"
    return [_mail("slot_proposed", "trainee", trainee, t("slot_subject", loc, other=mentor["name"], when=at),
                  [t(body, loc, other=mentor["name"], when=at), *_message(d, "trainee", "mentor", mentor, loc)],
                  _links(d, "trainee", loc, "accept-slot", "decline-slot"))]


def reminders(d: dict, kind: str) -> list[Email]:
    out = []
    for role, person, other in _both(d):
        loc = locale_of(person, role)
        at = when(d["start"], person["timezone"], loc)
        lead = t("lead_24h" if kind == "starts_in_24h" else "lead_1h", loc)
        out.append(_mail(f"reminder_{kind}", role, person,
                         t("soon_subject", loc, other=other["name"], lead=lead, when=at),
                         [t("confirmed_body", loc, discipline=discipline(d["discipline"], loc),
                            other=other["name"], when=at)],
                         [(t("join", loc), d["video_url"]), *_links(d, role, loc, "reschedule", "cancel")]))
    return out


def after_session(d: dict) -> list[Email]:
    mentor, trainee = d["mentor"], d["trainee"]
    ml, tl = locale_of(mentor, "mentor"), locale_of(trainee, "trainee")
    return [
        _mail("critique_request", "mentor", mentor, t("critique_subject", ml, other=trainee["name"]),
              [t("critique_body", ml, other=trainee["name"])], _links(d, "mentor", ml, "critique")),
        _mail("rating_request", "trainee", trainee, t("rate_subject", tl, other=mentor["name"]),
              [t("rate_body", tl, other=mentor["name"])], _links(d, "trainee", tl, "rate")),
    ]


def critique_for_trainee(d: dict) -> list[Email]:
    trainee, mentor = d["trainee"], d["mentor"]
    loc = locale_of(trainee, "trainee")
    rubric = "\n".join(
        f"{term(line['criterion'], loc).capitalize()}: {line['score']}/5"
        + (f" — {line['comment']}" if line.get("comment") else "")
        for line in d["rubric"]
    )
    notes = "\n".join(f"{n['at']}  {n['note']}" for n in d["notes"])
    lines = [rubric]
    if notes:
        lines.append(f"{t('notes', loc)}:\n{notes}")
    lines.append(f"{t('next_steps', loc)}:\n{d['next_steps']}")
    updates = [" · ".join(x for x in (u.get("equipment"), u.get("setting"), u.get("value"), u.get("link")) if x)
               for u in d.get("updates") or []]
    if updates:
        lines.append(f"{t('mp_updates', loc)}:\n" + "\n".join(f"• {u}" for u in updates))
    page = d.get("links", {}).get("trainee", {}).get("mentoring")
    return [_mail("critique", "trainee", trainee, t("critique_ready_subject", loc, other=mentor["name"]), lines,
                  [(t("book_next", loc), page)] if page else [])]


def request_received(d: dict, status_url: str) -> list[Email]:
    """The trainee's way back to their request's page, sent as soon as it is accepted: a
    closed tab or another phone never leaves them without it."""
    trainee = d["trainee"]
    loc = locale_of(trainee, "trainee")
    lines = [t("received_body", loc, discipline=discipline(d["discipline"], loc))]
    if d.get("cohort"):
        lines.append(t("received_cohort", loc, code=d["cohort"]))
    lines.append(t("received_keep", loc))
    return [_mail("request_received", "trainee", trainee, t("received_subject", loc), lines,
                  [(t("received_button", loc), status_url)])]


def compose(event_type: str, d: dict, organizer: tuple[str, str], stamp: datetime,
            status_url: str = "", manage_url: str = "") -> list[Email]:
    """Every email an event sends; trainees' carry the link to their request's page,
    mentors' the link to manage their profile (pause, edit, erase), and once a pair meets
    on, each one's link to their mentoring page."""
    if event_type == "mentorship.requested":
        return request_received(d, status_url)      # the page's link is the email itself
    emails = _compose(event_type, d, organizer, stamp)
    out = []
    for e in emails:
        mine = d.get("links", {}).get(e.recipient_role, {})
        if mine.get("mentoring"):
            e = _with_footer(e, t(f"mentoring_footer_{e.recipient_role}", e.locale, url=mine["mentoring"]))
        if mine.get("mentees"):
            e = _with_footer(e, t("mentees_footer", e.locale, url=mine["mentees"]))
        if e.recipient_role == "trainee" and status_url:
            e = _with_footer(e, t("status_link", e.locale, url=status_url))
        elif e.recipient_role == "mentor" and manage_url:
            e = _with_footer(e, t("manage_link_note", e.locale, url=manage_url))
        out.append(e)
    return out


def follow_up_declined(d: dict) -> list[Email]:
    """A follow-up one of the pair declined or let expire: the other hears, and books again."""
    role = "mentor" if d.get("by") == "trainee" else "trainee"
    person, other = (d["mentor"], d["trainee"]) if role == "mentor" else (d["trainee"], d["mentor"])
    loc = locale_of(person, role)
    at = when(d["start"], person["timezone"], loc)
    return [_mail("follow_up_declined", role, person, t("fu_declined_subject", loc, other=other["name"], when=at),
                  [t("fu_declined_body", loc, other=other["name"], when=at),
                   *_message(d, role, d.get("by", "mentor"), other, loc, key="message")],
                  [(t("book_next", loc), d["links"][role]["mentoring"])])]


def mentorship_ended(d: dict) -> list[Email]:
    """Both hear how it ended; the other person reads the reason only if its author shared it."""
    out = []
    for role, person, other in _both(d):
        loc = locale_of(person, role)
        if d["by"] == role:
            lines = [t("ended_body_self", loc, other=other["name"])]
        elif d["by"] in ("trainee", "mentor"):
            lines = [t("ended_body_other", loc, other=other["name"])]
            if d.get("reason_shared") and d.get("reason"):
                lines.append(t("ended_reason", loc, reason=d["reason"]))
        else:
            lines = [t(f"ended_body_{d['by']}", loc, other=other["name"])]
        if role == "trainee" and d.get("rematch"):
            lines.append(t("ended_rematch", loc))
        buttons = [(t("mentoring_page", loc), d["links"][role]["mentoring"])]
        if d["links"][role].get("survey"):     # a short closing survey, read by staff only
            lines.append(t("survey_ask", loc))
            buttons.insert(0, (t("survey_button", loc), d["links"][role]["survey"]))
        out.append(_mail("mentorship_ended", role, person, t("ended_subject", loc, other=other["name"]), lines,
                         buttons))
    return out


def nudge(d: dict) -> list[Email]:
    out = []
    for role, person, other in _both(d):
        loc = locale_of(person, role)
        out.append(_mail("nudge", role, person, t("nudge_subject", loc, other=other["name"]),
                         [t("nudge_body", loc, other=other["name"], weeks=d["quiet_weeks"])],
                         [(t("book_next", loc), d["links"][role]["mentoring"])]))
    return out


def profile_link(d: dict) -> Email:
    """A mentor's confirmation link (sign-up) or manage link (an address already known)."""
    loc = d.get("locale") or "en"
    person = {"id": d["mentor_id"], "name": d["name"], "email": d["email"], "languages": [loc], "locale": loc}
    if d["kind"] == "confirm":
        return _mail("mentor_confirm", "mentor", person, t("confirm_subject", loc), [t("confirm_body", loc)],
                     [(t("confirm_button", loc), d["url"])])
    return _mail("mentor_manage", "mentor", person, t("manage_subject", loc), [t("manage_body", loc)],
                 [(t("manage_link", loc), d["url"])])


def _with_footer(email: Email, line: str) -> Email:
    html_line = f'<p class="footer">{linkify(line)}</p>'
    return replace(
        email, text=email.text + "\n" + line + "\n", html=email.html.replace("<!-- footer -->", html_line)
    )


def _compose(event_type: str, d: dict, organizer: tuple[str, str], stamp: datetime) -> list[Email]:
    match event_type:
        case "session.invited":
            return mentor_invite(d, organizer, stamp)
        case "session.confirmed":
            return confirmations(d, organizer, stamp)
        case "session.rescheduled":
            return confirmations(d, organizer, stamp, "rescheduled", d["by"])
        case "session.cancelled":
            return cancellations(d, organizer, stamp, d["by"])
        case "session.move_proposed":
            return move_asked(d)
        case "session.move_declined":
            return move_kept(d)
        case "session.slot_proposed":
            return slot_proposal(d)
        case "session.reminder":
            return mentor_invite(d, organizer, stamp, "invite_expiring") if d["kind"] == "invite_expiring" \
                else reminders(d, d["kind"])
        case "session.completed":
            return after_session(d)
        case "critique.submitted":
            return critique_for_trainee(d)
        case "session.declined" | "session.expired" if d.get("follow_up") and d.get("trainee"):
            return follow_up_declined(d)
        case "mentorship.ended":
            return mentorship_ended(d)
        case "mentorship.nudged":
            return nudge(d)
    return []
