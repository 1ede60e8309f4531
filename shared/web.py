"""What every HTTP side shares: health probes, JSON errors, CSRF, correlation ids."""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
import uuid
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

import redis.exceptions
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    make_response,
    render_template,
    request,
    session,
)
from jinja2 import ChoiceLoader, PackageLoader
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from shared import i18n, metrics, ratelimit
from shared.catalogue import direction
from shared.config import Settings
from shared.logs import bind_correlation, unbind_correlation
from shared.openapi import JsonApi, page_locale, problem
from shared.ratelimit import TooManyAttempts, limits_of, too_many_response

log = logging.getLogger(__name__)

_SAFE_CORRELATION_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

T = TypeVar("T")
SERVICE, STAFF = "twoshot.service", "twoshot.staff"   # app.extensions keys

# How long a client should wait before trying again while Redis is away.
RETRY_AFTER_S = 5


def health_blueprint(ready: Callable[[], dict[str, bool]],
                     advisories: Callable[[], dict[str, bool]] | None = None, service: str = "") -> Blueprint:
    """``/healthz``: the process answers. ``/readyz``: what it cannot serve without
    answers (``checks``; one failing → 503), and what it can do without for a while is
    reported as ``warnings`` without flipping readiness (the broker: requests wait in the
    outbox; SMTP: emails wait in the queue). ``/metrics``: Prometheus."""
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    def healthz():
        # Which service answers: a start-up check must not take another program on the
        # port (a worker's metrics server answers 200 to any path) for this one.
        return {"status": "ok", "service": service}

    @bp.get("/metrics")
    def metrics_page():
        body, content_type = metrics.exposition()
        return Response(body, content_type=content_type)

    @bp.get("/readyz")
    def readyz():
        checks = ready()
        ok = all(checks.values())
        warnings = [name for name, fine in (advisories() if advisories else {}).items() if not fine]
        return (jsonify(status="ok" if ok else "unavailable", service=service, checks=checks, warnings=warnings),
                200 if ok else 503)

    return bp


def service_app(import_name: str, settings: Settings, ready: Callable[[], dict[str, bool]], *,
                service: object, blueprints: Iterable[Blueprint] = (), api: JsonApi | None = None,
                staff: Any = None, max_content_length: int = 256 * 1024,
                advisories: Callable[[], dict[str, bool]] | None = None, public_url: str = "") -> Flask:
    """A Flask app with what every Twoshot HTTP side has: health probes, JSON errors
    under /api/, correlation ids, security headers, the shared templates, CSRF and abuse
    limits; then the service's own ``blueprints`` and ``api``. Their views reach the
    service's objects through ``service(Kind)`` and staff accounts through
    ``staff_only``. Refuses a default secret outside development; cookies are ``Secure``
    when the service's public address (``public_url``) is https."""
    settings.require_safe_secrets()
    app = Flask(import_name)
    app.config.update(SECRET_KEY=settings.signing_key, MAX_CONTENT_LENGTH=max_content_length,
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=public_url.startswith("https://"))
    app.extensions[SERVICE], app.extensions[STAFF] = service, staff
    if settings.trusted_proxy_hops > 0:
        hops = settings.trusted_proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    install_common(app)
    health = health_blueprint(ready, advisories, _service_of(app))
    app.register_blueprint(health)
    limits = ratelimit.install(app, settings, _service_of(app))
    limits.exempt(health)
    for bp in blueprints:
        app.register_blueprint(bp)
    if api is not None:
        api.init_app(app)
    limits.guard_public(app)
    return app


def service(kind: type[T]) -> T:
    """The object this app serves (its composition root's ``Intake``, ``Matching`` …),
    for views in module-level blueprints."""
    found = current_app.extensions[SERVICE]
    if not isinstance(found, kind):
        raise TypeError(f"this app serves {type(found).__name__}, not {kind.__name__}")
    return found


def _service_of(app: Flask) -> str:
    return app.import_name.split(".")[1] if app.import_name.startswith("services.") else app.import_name


def install_common(app: Flask) -> None:
    """Correlation ids, JSON errors under /api/, security headers, CSRF for forms, and
    request counts and latency by route template (so a path with an id is one series)."""
    service = _service_of(app)

    @app.before_request
    def _started():
        g.started = time.perf_counter()

    @app.after_request
    def _measured(response):
        route = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
        metrics.HTTP_REQUESTS.labels(service, route, request.method, str(response.status_code)).inc()
        if "started" in g:
            metrics.HTTP_LATENCY.labels(service, route, request.method).observe(time.perf_counter() - g.started)
        return response

    @app.before_request
    def _correlation():
        # A caller's id is kept only if it is a short token of safe characters: it is
        # echoed in a header, written in JSON logs and carried by every event it causes.
        sent = request.headers.get("X-Correlation-ID", "")
        g.correlation_id = sent if _SAFE_CORRELATION_ID.fullmatch(sent) else str(uuid.uuid4())
        g.correlation_token = bind_correlation(g.correlation_id)

    @app.teardown_request
    def _forget_correlation(_exc):
        # A server thread serves many requests: never let one's id reach the next's events.
        token = g.pop("correlation_token", None)
        if token is not None:
            unbind_correlation(token)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers["X-Correlation-ID"] = g.get("correlation_id", "")
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if not wants_json() or exc.code is None:
            return exc
        response = problem(exc.code, exc.description or "")
        for name, value in exc.get_headers():
            if name.lower() != "content-type":   # e.g. Allow on a 405
                response.headers[name] = value
        return response

    @app.errorhandler(redis.exceptions.ConnectionError)
    @app.errorhandler(redis.exceptions.TimeoutError)
    def _store_unavailable(exc: Exception):
        log.warning("Redis is away; answered 503", extra={"error": f"{type(exc).__name__}: {exc}",
                                                          "path": request.path})
        return unavailable()

    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["new_form_id"] = new_form_id
    app.jinja_env.globals["discipline"] = i18n.discipline
    app.jinja_env.globals["direction"] = direction     # <html dir>: right to left for Arabic
    # Each service's own templates first, then the shared base layout.
    own = [app.jinja_loader] if app.jinja_loader is not None else []
    app.jinja_loader = ChoiceLoader([*own, PackageLoader("shared", "templates")])


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def unavailable(page: str | None = None, **context):
    """503 with ``Retry-After`` while a dependency is away: a problem body (RFC 9457) for
    JSON clients, else ``page`` (default: a short page) in the reader's language. Nothing
    was stored: every write is one transaction, so it either happened or did not."""
    if wants_json():
        locale = page_locale()
        response = problem(503, i18n.t("unavailable_body", locale), locale)
    else:
        loc = context.pop("lang", None) or page_locale()
        response = make_response(render_template(page or "unavailable.html", lang=loc,
                                                 unavailable=i18n.t("unavailable_body", loc),
                                                 unavailable_title=i18n.t("unavailable_title", loc), **context))
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def csrf_token() -> str:
    """The form token for this browser session (synchroniser-token pattern)."""
    if "_csrf" not in session:
        session["_csrf"] = secrets.token_urlsafe(32)
    return session["_csrf"]


def new_form_id() -> str:
    """A one-time token for one rendered form (kept when the form comes back with errors)."""
    return request.form.get("form_id") or secrets.token_urlsafe(16)


def session_once(form_id: str) -> str:
    """What makes a form's send unique: this browser session's token and the form's own."""
    return hashlib.sha256(f"{session.get('_csrf', '')}|{form_id}".encode()).hexdigest()


def check_csrf() -> None:
    # Compared as bytes: compare_digest refuses a str with non-ASCII characters (a 500
    # before); any such token is simply wrong, so it gets the same 400.
    sent = request.form.get("csrf_token", "").encode("utf-8", "surrogateescape")
    expected = str(session.get("_csrf", "")).encode("utf-8")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="The form has expired or was not sent from this site. "
                               "Please reload the page and submit again.")


def staff_only(role: str):
    """``@staff_only("editor")`` on a JSON view: 401 without a valid staff token, 403 with
    the wrong role; the staff member is ``g.staff`` inside the view. The accounts are the
    app's (``service_app(staff=...)``)."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            token = header[7:] if header.startswith("Bearer ") else ""
            member = None
            if header:
                # Counted before it is checked, per address and per account (the
                # token's id): a burst gets no more wrong tries than the limit.
                limit, account = limits_of(current_app).sign_ins, token.partition(".")[0]
                try:
                    attempt = limit.attempt(account)
                except TooManyAttempts:
                    return too_many_response()
                member = current_app.extensions[STAFF].authenticate(token) if token else None
                if member is not None:
                    limit.succeeded(account, attempt)
            if member is None:
                response = problem(401, "Send a staff token: Authorization: Bearer …")
                response.headers["WWW-Authenticate"] = 'Bearer realm="twoshot-admin"'
                return response
            if not member.can(role):
                return problem(403, f"This needs the {role} role; you are {member.role}.")
            g.staff = member
            return view(*args, **kwargs)
        return wrapper
    return decorate
