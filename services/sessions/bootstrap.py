"""Sessions' composition root."""
from __future__ import annotations

from dataclasses import dataclass

from services.sessions.repository import SessionRepository
from shared.config import SessionsSettings
from shared.runtime import Runtime, build_runtime
from shared.security import LinkSigner


@dataclass
class Sessions:
    runtime: Runtime[SessionsSettings]
    repository: SessionRepository
    links: LinkSigner

    @property
    def settings(self) -> SessionsSettings:
        return self.runtime.settings


def bootstrap(settings: SessionsSettings | None = None, redis_client=None) -> Sessions:
    runtime = build_runtime(settings or SessionsSettings.from_env(), "sessions", redis_client)
    return Sessions(runtime, SessionRepository(runtime.redis), LinkSigner(runtime.settings.signing_key, "sessions"))
