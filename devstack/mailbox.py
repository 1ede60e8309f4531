"""A local SMTP server (aiosmtpd) that keeps what it receives, with a page that
lists it and a JSON API (``/api/messages``) for tests and curious developers.

Run: ``python -m devstack.mailbox --smtp-port 1025 --http-port 8025``.
"""
from __future__ import annotations

import argparse
import asyncio
import email
import email.policy
import html
import json
import signal
import threading
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller
from flask import Flask, jsonify, request
from werkzeug.serving import make_server


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
        if self.refuse:
            return "451 4.3.0 Mailbox temporarily refusing mail"
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
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


def parse(msg, mail_from: str, rcpt_tos: list[str]) -> dict:
    text = html_body = None
    attachments = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if part.get_filename() or part.get_content_disposition() == "attachment":
            payload = part.get_payload(decode=True) or b""
            attachments.append({
                "filename": part.get_filename(), "content_type": ctype,
                "params": dict((part.get_params() or [])[1:]),
                "content": payload.decode(part.get_content_charset() or "utf-8", errors="replace"),
            })
        elif ctype == "text/plain" and text is None:
            text = part.get_content()
        elif ctype == "text/html" and html_body is None:
            html_body = part.get_content()
    return {
        "id": uuid.uuid4().hex, "received_at": time.time(), "mail_from": mail_from, "recipients": rcpt_tos,
        "from": str(msg.get("From", "")), "to": str(msg.get("To", "")), "subject": str(msg.get("Subject", "")),
        "message_id": str(msg.get("Message-ID", "")), "headers": {k: str(v) for k, v in msg.items()},
        "text": text or "", "html": html_body or "", "attachments": attachments,
    }


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
        rows = "".join(
            f"<li><strong>{html.escape(m['subject'])}</strong><br>to {html.escape(', '.join(m['recipients']))}"
            f" · {len(m['attachments'])} attachment(s)<details><summary>text</summary>"
            f"<pre>{html.escape(m['text'])}</pre></details></li>"
            for m in reversed(mailbox.all()))
        return (f"<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>"
                f"<title>Twoshot mailbox</title><h1>Mailbox ({len(mailbox.all())})</h1>"
                f"<p>Everything Twoshot sent; JSON at <a href='/api/messages'>/api/messages</a>.</p>"
                f"<ol>{rows}</ol>")

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
