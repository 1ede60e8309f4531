"""The message ``write_message`` writes, read back by the standard library's parser
(``email.policy.default``): every name, subject and part comes back as written, with no
defect, in lines a relay accepts, whatever the language (decision 0012, step 22)."""
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.utils import formataddr

import pytest

from services.notifications import messages
from services.notifications.mailer import write_message
from shared.catalogue import locales
from tests.unit.test_email import FROM, ORGANIZER, STAMP, session

NOW = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _header_lines(data: bytes):
    """Every header line of the message and of each of its parts."""
    in_header = True
    for line in data.decode("ascii").split("\r\n"):
        if line.startswith("--=_"):
            in_header = not line.endswith("--")
        elif not line:
            in_header = False
        elif in_header:
            yield line


def _email(**kw) -> messages.Email:
    base = {"kind": "invite", "recipient_role": "mentor", "to_name": "Ama Owusu", "to_email": "ama@example.org",
            "subject": "Critique session", "text": "Hello\n", "html": "<p>Hello</p>\n"}
    return messages.Email(**{**base, **kw})


AWKWARD = [
    _email(),
    _email(to_name="Owusu, Ama \"AO\"", subject="A plain subject " + "word " * 30),       # quoted name, folded
    _email(to_name="محمد عبد الرحمن بن عبد العزيز الفلاني", subject="طلب جلسة نقد " * 8, locale="ar"),
    _email(to_name="Wanjiru 🎬 Kamau", subject="🎥" * 40, text="ünïcödé\n" * 50),
    _email(to_name="Nguyễn Thị Minh Khai", subject="Phiên phê bình — thứ Ba", text="x" * 2000),  # a long ASCII line
    _email(text=".starts with a dot\r\n..two\rcr only\n", html="<p>.dot</p>",
           ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", ics_method="CANCEL"),
    _email(to_name="Eve\r\nBcc: victim@example.org", subject="Hi\nBcc: victim@example.org"),
    _email(to_name="Nguyễn Thị Minh Khai Trần", to_email="nguyen.thi.minh.khai@production-crew.example.org"),
]


def _composed() -> list[messages.Email]:
    out = []
    for loc in locales():
        trainee = {**session()["trainee"], "locale": loc}
        mentor = {**session()["mentor"], "languages": [loc]}
        out += messages.compose("session.invited", session(trainee=trainee, mentor=mentor), ORGANIZER, STAMP)
        out += messages.compose("session.confirmed", session(trainee=trainee, mentor=mentor), ORGANIZER, STAMP)
    return out


def _read(email: messages.Email, seed: str = "seed"):
    mail = write_message(email, FROM, seed, NOW)
    return mail, message_from_bytes(mail.data, policy=policy.default)


@pytest.mark.parametrize("email", AWKWARD + _composed(), ids=lambda e: f"{e.locale}-{e.kind}-{e.to_name[:12]}")
def test_everything_written_reads_back_as_it_was_meant(email):
    mail, parsed = _read(email)
    assert mail.data.isascii() and b"\n" not in mail.data.replace(b"\r\n", b"")     # CRLF only
    assert all(not part.defects for part in parsed.walk())
    flat = " ".join(email.to_name.split())
    [to] = parsed["To"].addresses
    assert to.addr_spec == email.to_email
    # The name as RFC 2047 reads it (adjacent encoded-words joined as they are); CPython's
    # address parser puts a space between them, so it is read here with decode_header.
    raw_to = message_from_bytes(mail.data, policy=policy.compat32)["To"]
    assert str(make_header(decode_header(raw_to))) == (
        formataddr((flat, email.to_email)) if flat.isascii() else f"{flat} <{email.to_email}>")
    assert " ".join(to.display_name.split()) == flat
    assert parsed["From"].addresses[0].addr_spec == "sessions@twoshot.test"
    assert str(parsed["Subject"]) == " ".join(email.subject.split())
    assert parsed["Bcc"] is None and parsed["Date"].datetime == NOW
    assert (parsed["Content-Language"], parsed["X-Twoshot-Kind"], parsed["Auto-Submitted"]) == (
        email.locale, email.kind, "auto-generated")
    assert all(len(line) <= 78 for line in _header_lines(mail.data)), list(_header_lines(mail.data))
    assert max(len(line) for line in mail.data.split(b"\r\n")) <= 998
    leaves = [p for p in parsed.walk() if not p.is_multipart()]
    assert [p.get_content_type() for p in leaves] == ["text/plain", "text/html"] + (
        ["text/calendar"] if email.ics else [])
    assert _normal(leaves[0].get_content()) == _normal(email.text)
    assert _normal(leaves[1].get_content()) == _normal(email.html)
    if email.ics:
        assert _normal(leaves[2].get_content()) == _normal(email.ics)
        assert (leaves[2].get_param("method"), leaves[2].get_filename()) == (email.ics_method, "invite.ics")
    assert (envelope := (mail.sender, mail.recipient)) == ("sessions@twoshot.test", email.to_email), envelope


def test_the_same_notification_is_the_same_message_and_another_is_not():
    email = _email(ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    first, again, other = (write_message(email, FROM, seed, NOW) for seed in ("n1", "n1", "n2"))
    assert first == again and first.message_id != other.message_id
    assert message_from_bytes(first.data, policy=policy.default)["Message-ID"] == first.message_id


def test_a_text_that_needs_no_encoding_goes_as_it_is():
    mail, parsed = _read(_email(text="Plain words.\n", html="<p>Plain</p>"))
    assert b"Content-Transfer-Encoding: 7bit" in mail.data and b"Plain words." in mail.data
    assert parsed.get_content_type() == "multipart/alternative"      # no calendar: no outer mixed part
