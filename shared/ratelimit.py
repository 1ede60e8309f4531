"""Abuse limits on every HTTP side (Flask-Limiter, counted in Redis).

- ``public``: a mark on each public POST view (the trainee form and its JSON
  twin, mentor sign-up, link actions, erasure requests): at most
  ``RATE_LIMIT_PER_ADDRESS`` per client address and ``RATE_LIMIT_PER_EMAIL`` per email
  address named in the form or JSON body. A refused request never reaches the view, so
  nothing is stored. Views are marked in module-level blueprints; ``Limits.guard_public``
  wraps the marked ones when the app is put together (``shared.web.service_app``).
- Staff sign-in (``SignInLimit``): every attempt (a token, a sign-in password) takes a
  place per client address *and* per account before the credentials are checked, in
  one Redis script, and gives it back when they were right. So parallel bursts, and many
  addresses against one account, get no more than ``RATE_LIMIT_STAFF_FAILURES`` wrong
  attempts; past the limit even a right token waits.

Counts live in Redis, so every gunicorn worker and replica shares them. While Redis is
away the limits are skipped (the views answer 503 anyway). The client address is the
TCP peer, or the one ``TRUSTED_PROXY_HOPS`` proxies reported (werkzeug's ProxyFix):
never a header taken on trust.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

import redis
from flask import Flask, Response, make_response, render_template, request
from flask_limiter import Limiter, RateLimitExceeded

from shared import i18n
from shared.config import Settings
from shared.openapi import json_payload, problem

log = logging.getLogger(__name__)
EXTENSION = "twoshot_limits"


def client_address() -> str:
    return request.remote_addr or "unknown"


def _named_email() -> str:
    """The email address a public POST is about (form field or JSON), normalised and
    hashed so the counter's key in Redis does not hold the address itself."""
    email = request.form.get("email", "")
    if not email and request.is_json:
        body = json_payload()
        email = body.get("email", "") if isinstance(body, dict) and isinstance(body.get("email"), str) else ""
    email = email.strip().lower()
    return hashlib.sha256(email.encode()).hexdigest()[:32] if email else ""


# KEYS: one sorted set of attempts per (window, address) and (window, account).
# ARGV: now, the limit, the window's seconds, this attempt's id. 1: allowed (counted in
# every set), 0: one of them is full (nothing counted).
_ATTEMPT = """
local now, limit, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
for _, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= limit then return 0 end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('EXPIRE', key, math.ceil(window))
end
return 1
"""


class TooManyAttempts(Exception):
    """Past the sign-in limit for this address or this account."""


class SignInLimit:
    """Wrong staff credentials, counted per address and per account, atomically: an
    attempt is counted *before* the credentials are checked (so a burst cannot slip in
    between a check and its count), and uncounted when they were right."""

    def __init__(self, settings: Settings):
        from limits import parse_many
        self._settings = settings
        self._items = parse_many(settings.rate_limit_staff_failures)
        # Built here, whole, before any request thread sees it (a client connects on its
        # first command, not now). Built lazily, a burst of first sign-ins once found the
        # client set and its script not yet: a TypeError, taken for "Redis away", let
        # two guesses past the limit.
        self._redis = redis.Redis.from_url(settings.redis_url, socket_timeout=settings.redis_timeout_s,
                                           socket_connect_timeout=settings.redis_timeout_s)
        self._script = self._redis.register_script(_ATTEMPT)

    def _keys(self, item, account: str) -> list[str]:
        span = f"{item.amount}per{item.get_expiry()}"
        digest = hashlib.sha256(account.strip().lower().encode()).hexdigest()[:32]
        return [f"twoshot:signin:{span}:address:{client_address()}", f"twoshot:signin:{span}:account:{digest}"]

    def attempt(self, account: str) -> str:
        """Count one attempt at ``account`` from this address; its id, to ``succeeded``
        with. Raises ``TooManyAttempts`` past the limit (nothing counted then)."""
        if not self._settings.rate_limits_enabled:
            return ""
        attempt = secrets.token_hex(8)
        try:
            taken = list[str]()
            for item in self._items:
                keys = self._keys(item, account)
                if not self._script(keys=keys, args=[time.time(), item.amount, item.get_expiry(), attempt]):
                    for earlier in taken:     # the other windows give their place back
                        self._redis.zrem(earlier, attempt)
                    raise TooManyAttempts(str(item))
                taken.extend(keys)
        except redis.RedisError:
            # Redis away: the views answer 503 themselves; a limit never turns into a 500.
            log.warning("sign-in limit not counted (Redis away)")
            return ""
        return attempt

    def succeeded(self, account: str, attempt: str) -> None:
        """The credentials were right: the attempt does not count."""
        if not attempt:
            return
        try:
            for item in self._items:
                for key in self._keys(item, account):
                    self._redis.zrem(key, attempt)
        except redis.RedisError:
            log.warning("sign-in attempt not given back (Redis away)")


def too_many_response() -> Response:
    return _too_many(None)


class Limits:
    def __init__(self, app: Flask, settings: Settings, service: str):
        self._settings = settings
        timeouts: dict[str, Any] = {"socket_timeout": settings.redis_timeout_s,
                                    "socket_connect_timeout": settings.redis_timeout_s}
        self.limiter = Limiter(
            key_func=client_address, app=app, storage_uri=settings.redis_url, storage_options=timeouts,
            strategy="moving-window", headers_enabled=True, swallow_errors=True,
            key_prefix=f"twoshot:limits:{service}", enabled=settings.rate_limits_enabled,
        )
        self.sign_ins = SignInLimit(settings)
        app.register_error_handler(RateLimitExceeded, _too_many)

    def guard_public(self, app: Flask) -> None:
        """Put the public limits on every view marked ``@public`` (after its blueprints are
        registered: the mark travels through ``functools.wraps``)."""
        for endpoint, view in list(app.view_functions.items()):
            if getattr(view, PUBLIC_MARK, False):
                app.view_functions[endpoint] = self.public(view)

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


PUBLIC_MARK = "twoshot_public"


def public(view: Callable) -> Callable:
    """Mark a public POST view for the abuse limits (``Limits.guard_public`` applies them)."""
    setattr(view, PUBLIC_MARK, True)
    return view


def install(app: Flask, settings: Settings, service: str) -> Limits:
    limits = Limits(app, settings, service)
    app.extensions[EXTENSION] = limits
    return limits


def limits_of(app: Flask) -> Limits:
    return app.extensions[EXTENSION]


def _too_many(exc: RateLimitExceeded | None) -> Response:
    """429 in the reader's language: a problem body for JSON clients, else a page.
    Flask-Limiter adds ``Retry-After`` to it."""
    from shared.web import page_locale, wants_json
    loc = page_locale()
    log.warning("rate limit reached", extra={"path": request.path,
                                             "limit": str(exc.limit.limit) if exc else "staff sign-in"})
    if wants_json():
        response = problem(429, i18n.t("too_many_body", loc), loc)
    else:
        response = make_response(render_template("unavailable.html", lang=loc,
                                                  unavailable=i18n.t("too_many_body", loc),
                                                  unavailable_title=i18n.t("too_many_title", loc)))
    response.status_code = 429
    if exc is None:
        response.headers["Retry-After"] = "60"
    return response
