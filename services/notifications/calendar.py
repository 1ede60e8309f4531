"""iCalendar (RFC 5545) invites, written by hand: a dozen lines of the standard
are all Twoshot needs, and the tests read them back with icalendar, an
independent parser. Times are UTC, so no VTIMEZONE is needed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 §3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _param(value: str) -> str:
    """A parameter value: no line breaks or quotes; quoted if it has : ; or ,."""
    clean = "".join(c for c in value if c >= " " and c != '"')
    return f'"{clean}"' if any(c in clean for c in ":;,") else clean


def _utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF + space,
    never splitting a UTF-8 character."""
    if line.isascii():     # one octet a character: cut by length
        return "\r\n ".join([line[:75], *(line[i:i + 74] for i in range(75, len(line), 74))])
    if len(line.encode("utf-8")) <= 75:
        return line
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str
    partstat: str = "NEEDS-ACTION"   # NEEDS-ACTION, ACCEPTED, DECLINED
    rsvp: bool = False


@dataclass(frozen=True)
class CalendarInvite:
    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str
    location: str
    organizer_name: str
    organizer_email: str
    attendees: tuple[Attendee, ...]
    status: str = "CONFIRMED"       # TENTATIVE, CONFIRMED, CANCELLED
    method: str = "REQUEST"         # REQUEST, CANCEL

    def to_ics(self, stamp: datetime) -> str:
        lines = [
            "BEGIN:VCALENDAR", "PRODID:-//Twoshot//Critique sessions//EN", "VERSION:2.0",
            "CALSCALE:GREGORIAN", f"METHOD:{self.method}", "BEGIN:VEVENT",
            f"UID:{self.uid}", f"SEQUENCE:{self.sequence}", f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(self.start)}", f"DTEND:{_utc(self.end)}",
            f"SUMMARY:{escape_text(self.summary)}", f"DESCRIPTION:{escape_text(self.description)}",
            f"LOCATION:{escape_text(self.location)}", f"STATUS:{self.status}",
            f"ORGANIZER;CN={_param(self.organizer_name)}:mailto:{self.organizer_email}",
        ]
        for a in self.attendees:
            lines.append(f"ATTENDEE;CN={_param(a.name)};ROLE=REQ-PARTICIPANT;PARTSTAT={a.partstat};"
                         f"RSVP={'TRUE' if a.rsvp else 'FALSE'}:mailto:{a.email}")
        lines += ["END:VEVENT", "END:VCALENDAR"]
        return "\r\n".join(fold(line) for line in lines) + "\r\n"
