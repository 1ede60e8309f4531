"""Sessions' HTTP side: the pages behind the links in a mentor's invite.

A GET only shows the question; the answer is a POST. Mail scanners and link
previews fetch GET links, and must never accept or decline for the mentor.
Run: ``gunicorn -c deploy/gunicorn.conf.py 'services.sessions.app:create_app()'``.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, render_template, request

from services.sessions import handlers
from services.sessions.bootstrap import Sessions, bootstrap
from services.sessions.domain import SessionError
from shared.config import Settings
from shared.security import InvalidLink
from shared.web import service_app

_LINK_PROBLEMS = {
    "expired": "This link has expired. Invitations can be answered for a limited time.",
    "invalid": "This link is not valid. Use the link from your most recent email, in full.",
}


def create_app(config: Mapping | None = None, sessions: Sessions | None = None) -> Flask:
    settings = Settings.from_env(**dict(config or {}))
    sessions = sessions or bootstrap(settings)
    app = service_app(__name__, settings.secret_key, sessions.runtime.ready, max_content_length=64 * 1024)

    def local(iso: str, tz: str) -> str:
        return datetime.fromisoformat(iso).astimezone(ZoneInfo(tz)).strftime("%A %d %B %Y, %H:%M (%Z)")

    app.jinja_env.filters["local"] = local

    def problem(exc: Exception):
        if isinstance(exc, InvalidLink):
            return render_template("problem.html", message=_LINK_PROBLEMS[exc.reason]), 403
        status = {"not_found": 404, "wrong_session": 403}.get(exc.code, 409)
        return render_template("problem.html", message=str(exc)), status

    @app.route("/sessions/<session_id>/<any(accept, decline):action>", methods=["GET"])
    def confirm_page(session_id: str, action: str):
        token = request.args.get("token", "")
        try:
            session = handlers.verify_link(sessions, session_id, action, token)
            if session.state != "invited":
                raise SessionError("already_answered", f"You already {session.state} this invitation.")
        except (InvalidLink, SessionError) as exc:
            return problem(exc)
        return render_template("answer.html", session=session, action=action, token=token)

    @app.route("/sessions/<session_id>/<any(accept, decline):action>", methods=["POST"])
    def answer(session_id: str, action: str):
        token = request.form.get("token", "")
        reason = request.form.get("reason", "").strip()[:1000]
        try:
            session = handlers.answer(sessions, session_id, action, token, reason)
        except (InvalidLink, SessionError) as exc:
            return problem(exc)
        return render_template("answered.html", session=session)

    return app
