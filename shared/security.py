"""Signed, expiring tokens for the links people click in emails.

A token names one action on one object (``accept`` session ``s1``); the salt keeps
an accept token from being replayed as a decline. Single use is the owner's job:
the state machine refuses a second accept.
"""
from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class InvalidLink(Exception):
    """The link was tampered with, is for another action, or has expired."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class LinkSigner:
    def __init__(self, secret_key: str, namespace: str):
        self._secret = secret_key
        self._namespace = namespace

    def _serializer(self, action: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self._secret, salt=f"{self._namespace}:{action}")

    def sign(self, action: str, subject) -> str:
        return self._serializer(action).dumps(subject)

    def verify(self, action: str, token: str, max_age_s: int) -> Any:
        """The subject the token names; raises ``InvalidLink``."""
        return self.verify_issued(action, token, max_age_s)[0]

    def verify_issued(self, action: str, token: str, max_age_s: int) -> tuple[Any, float]:
        """The subject the token names and when it was signed (epoch seconds, whole);
        raises ``InvalidLink``."""
        try:
            subject, issued = self._serializer(action).loads(token, max_age=max_age_s, return_timestamp=True)
            return subject, issued.timestamp()
        except SignatureExpired as exc:
            raise InvalidLink("expired") from exc
        except BadSignature as exc:
            raise InvalidLink("invalid") from exc
