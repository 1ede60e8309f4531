"""Abuse limits on every HTTP side (Flask-Limiter, counted in Redis).

- ``public``: a view decorator for each public POST (the trainee form and its JSON
  twin, mentor sign-up, link actions, erasure requests): at most
  ``RATE_LIMIT_PER_ADDRESS`` per client address and ``RATE_LIMIT_PER_EMAIL`` per email
  address named in the form or JSON body. A refused request never reaches the view, so
  nothing is stored.
- Failed staff authentication: a request that presents credentials (a token, a sign-in
  password) on any other route counts when it is answered 401, per client address
  (``RATE_LIMIT_STAFF_FAILURES``); past the limit even a right token waits.

Counts live in Redis, so every gunicorn worker and replica shares them. While Redis is
away the limits are skipped (the views answer 503 anyway). The client address is the
TCP peer, or the one ``TRUSTED_PROXY_HOPS`` proxies reported (werkzeug's ProxyFix):
never a header taken on trust.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, make_response, render_template, request
from flask_limiter import Limiter, RateLimitExceeded

from shared import i18n
from shared.config import Settings
from shared.openapi import problem

log = logging.getLogger(__name__)
EXTENSION = "twoshot_limits"


def client_address() -> str:
    return request.remote_addr or "unknown"


def _named_email() -> str:
    """The email address a public POST is about (form field or JSON), normalised and
    hashed so the counter's key in Redis does not hold the address itself."""
    email = request.form.get("email", "")
    if not email and request.is_json:
        body = request.get_json(silent=True)
        email = body.get("email", "") if isinstance(body, dict) and isinstance(body.get("email"), str) else ""
    email = email.strip().lower()
    return hashlib.sha256(email.encode()).hexdigest()[:32] if email else ""


def _presents_credentials() -> bool:
    """A staff token in the header, or a sign-in form's password."""
    if "Authorization" in request.headers:
        return True
    return request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded" \
        and "password" in request.form


class Limits:
    def __init__(self, app: Flask, settings: Settings, service: str):
        self._settings = settings
        timeouts: dict[str, Any] = {"socket_timeout": settings.redis_timeout_s,
                                    "socket_connect_timeout": settings.redis_timeout_s}
        self.limiter = Limiter(
            key_func=client_address, app=app, storage_uri=settings.redis_url, storage_options=timeouts,
            strategy="moving-window", headers_enabled=True, swallow_errors=True,
            key_prefix=f"twoshot:limits:{service}", enabled=settings.rate_limits_enabled,
            default_limits=[settings.rate_limit_staff_failures],
            default_limits_deduct_when=lambda response: response.status_code == 401,
            # Only requests that present credentials are counted (and cost a Redis round
            # trip): a trainee's page view or a health probe never touches the counters.
            default_limits_exempt_when=lambda: not _presents_credentials(),
        )
        app.register_error_handler(RateLimitExceeded, _too_many)

    def public(self, view: Callable) -> Callable:
        """Per client address and per email named in the body, POST only."""
        per_email = self.limiter.limit(self._settings.rate_limit_per_email, key_func=_named_email,
                                       exempt_when=lambda: not _named_email(), methods=["POST"],
                                       scope="email")
        per_address = self.limiter.limit(self._settings.rate_limit_per_address, key_func=client_address,
                                         methods=["POST"], scope="address")
        return per_address(per_email(view))

    def exempt(self, target) -> None:
        self.limiter.exempt(target)


def install(app: Flask, settings: Settings, service: str) -> Limits:
    limits = Limits(app, settings, service)
    app.extensions[EXTENSION] = limits
    return limits


def limits_of(app: Flask) -> Limits:
    return app.extensions[EXTENSION]


def _too_many(exc: RateLimitExceeded) -> Response:
    """429 in the reader's language: a problem body for JSON clients, else a page.
    Flask-Limiter adds ``Retry-After`` to it."""
    from shared.web import page_locale, wants_json
    loc = page_locale()
    log.warning("rate limit reached", extra={"path": request.path, "limit": str(exc.limit.limit)})
    if wants_json():
        response = problem(429, i18n.t("too_many_body", loc))
    else:
        response = make_response(render_template("unavailable.html", lang=loc,
                                                  unavailable=i18n.t("too_many_body", loc),
                                                  unavailable_title=i18n.t("too_many_title", loc)))
    response.status_code = 429
    return response
