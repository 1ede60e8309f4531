"""A local SMTP server (aiosmtpd) that keeps what it receives, with a page that
lists it and a JSON API (``/api/messages``) for tests and curious developers.

Run: ``python -m devstack.mailbox --smtp-port 1025 --http-port 8025``.
"""
from __future__ import annotations

import argparse
import asyncio
import email
import email.policy
import json
import re
import signal
import threading
import time
import uuid
from email.header import decode_header, make_header
from pathlib import Path

from aiosmtpd.controller import Controller
from flask import Flask, Response, abort, jsonify, render_template_string, request
from werkzeug.serving import make_server

from shared.markup import linkify


class Mailbox:
    """Messages received, newest last. Thread-safe. With ``store``, every message is
    appended to that file (JSON lines) and read back at start, so the mailbox keeps
    what it received across restarts, like the rest of the local state."""

    def __init__(self, store: Path | None = None):
        self._lock = threading.Lock()
        self._store = store
        self._messages: list[dict] = []
        if store is not None and store.exists():
            with open(store, encoding="utf-8") as lines:
                self._messages = [json.loads(line) for line in lines if line.strip()]
        self.refuse = False  # tests turn SMTP delivery off and on again
        self.hold_reply_s = 0.0  # tests hold the final reply, as a slow or distant server would

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        if self.refuse:   # as real relays do, the answer names the recipient
            return f"451 4.3.0 <{', '.join(envelope.rcpt_tos)}>: mailbox temporarily refusing mail"
        # compat32 and our own header decoding: the default policy's parser cost 5.9 ms of
        # CPU per invite, more than the notifications worker spends sending it (0012-cpu).
        msg = email.message_from_bytes(envelope.content, policy=email.policy.compat32)
        self.add(parse(msg, envelope.mail_from, list(envelope.rcpt_tos)))
        if self.hold_reply_s:
            await asyncio.sleep(self.hold_reply_s)
        return "250 OK"

    def add(self, entry: dict) -> None:
        with self._lock:
            if self._store is not None:
                with open(self._store, "a", encoding="utf-8") as out:
                    out.write(json.dumps(entry) + "\n")
            self._messages.append(entry)

    def all(self) -> list[dict]:
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()
            if self._store is not None:
                self._store.write_text("")


def _header(value) -> str:
    """A header as a person reads it: unfolded, RFC 2047 words decoded."""
    return str(make_header(decode_header(re.sub(r"\r?\n[ \t]", " ", str(value))))) if value else ""


def parse(msg, mail_from: str, rcpt_tos: list[str]) -> dict:
    text = html_body = None
    attachments = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        content = (part.get_payload(decode=True) or b"").decode(part.get_content_charset() or "utf-8",
                                                                 errors="replace")
        if part.get_filename() or part.get_content_disposition() == "attachment":
            attachments.append({"filename": part.get_filename(), "content_type": ctype,
                                "params": dict((part.get_params() or [])[1:]), "content": content})
        elif ctype == "text/plain" and text is None:
            text = content
        elif ctype == "text/html" and html_body is None:
            html_body = content
    return {
        "id": uuid.uuid4().hex, "received_at": time.time(), "mail_from": mail_from, "recipients": rcpt_tos,
        "from": _header(msg.get("From")), "to": _header(msg.get("To")), "subject": _header(msg.get("Subject")),
        "message_id": _header(msg.get("Message-ID")), "headers": {k: _header(v) for k, v in msg.items()},
        "text": text or "", "html": html_body or "", "attachments": attachments,
    }


_STYLE = """<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:48rem;padding:1rem;color:#1b1b1b}
a{color:#114b8a}li{margin:.7rem 0}.meta{color:#4a4a4a;font-size:.9rem}pre{white-space:pre-wrap;word-break:break-word}
iframe{width:100%;height:32rem;border:1px solid #ccc;border-radius:4px}</style>"""

_INDEX = """<!doctype html><html lang="en"><head>""" + _STYLE + """<title>Twoshot mailbox</title></head><body><main>
<h1>Mailbox ({{ messages|length }})</h1>
<p>Everything Twoshot sent, newest first; kept across restarts of <code>make run</code>.
JSON at <a href="/api/messages">/api/messages</a>.</p>
<ol reversed>{% for m in messages %}<li><a href="/messages/{{ m.id }}"><strong>{{ m.subject }}</strong></a>
<br><span class="meta">to {{ m.recipients|join(", ") }} · {{ when(m.received_at) }}
{% if m.attachments %} · {{ m.attachments|length }} attachment(s){% endif %}</span></li>{% endfor %}</ol>
</main></body></html>"""

_MESSAGE = """<!doctype html><html lang="en"><head>""" + _STYLE + """<title>{{ m.subject }}</title></head><body><main>
<p><a href="/">← Mailbox</a></p>
<h1>{{ m.subject }}</h1>
<p class="meta">From {{ m.from }}<br>To {{ m.to }}<br>{{ when(m.received_at) }}</p>
{% for a in m.attachments %}<p><a href="/messages/{{ m.id }}/attachments/{{ loop.index0 }}" download>Download
{{ a.filename or "attachment" }}</a> ({{ a.content_type }})</p>{% endfor %}
{% if m.html %}<h2>As the recipient sees it</h2>
<iframe src="/messages/{{ m.id }}/html" title="The email as its recipient sees it"></iframe>{% endif %}
<h2>Plain text</h2><pre>{{ text }}</pre>
</main></body></html>"""


def _when(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts))


def create_app(mailbox: Mailbox) -> Flask:
    app = Flask(__name__)

    @app.get("/api/messages")
    def messages():
        to = request.args.get("to")
        items = [m for m in mailbox.all() if not to or to in m["recipients"]]
        return jsonify(messages=items, count=len(items))

    @app.delete("/api/messages")
    def clear():
        mailbox.clear()
        return "", 204

    @app.post("/api/refuse")
    def refuse():
        mailbox.refuse = bool((request.get_json(silent=True) or {}).get("refuse"))
        return jsonify(refuse=mailbox.refuse)

    @app.post("/api/hold-reply")
    def hold_reply():
        mailbox.hold_reply_s = float((request.get_json(silent=True) or {}).get("seconds", 0))
        return jsonify(hold_reply_s=mailbox.hold_reply_s)

    @app.get("/")
    def index():
        return render_template_string(_INDEX, messages=list(reversed(mailbox.all())), when=_when)

    def find(message_id: str) -> dict:
        found = next((m for m in mailbox.all() if m["id"] == message_id), None)
        if found is None:
            abort(404)
        return found

    @app.get("/messages/<message_id>")
    def show(message_id: str):
        m = find(message_id)
        return render_template_string(_MESSAGE, m=m, when=_when, text=linkify(m["text"], line_breaks=False))

    @app.get("/messages/<message_id>/html")
    def show_html(message_id: str):
        """The HTML part as the recipient's mail app shows it: in a sandbox, no scripts."""
        response = Response(find(message_id)["html"], mimetype="text/html")
        response.headers["Content-Security-Policy"] = "sandbox allow-popups allow-popups-to-escape-sandbox"
        return response

    @app.get("/messages/<message_id>/attachments/<int:index>")
    def attachment(message_id: str, index: int):
        attachments = find(message_id)["attachments"]
        if not 0 <= index < len(attachments):
            abort(404)
        a = attachments[index]
        return Response(a["content"], mimetype=a["content_type"],
                        headers={"Content-Disposition": f'attachment; filename="{a["filename"] or "attachment"}"'})

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--http-port", type=int, default=8025)
    parser.add_argument("--store", type=Path, help="keep messages in this file (JSON lines) across restarts")
    args = parser.parse_args()
    mailbox = Mailbox(args.store)
    controller = Controller(mailbox, hostname=args.host, port=args.smtp_port)
    controller.start()
    server = make_server(args.host, args.http_port, create_app(mailbox), threaded=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
