"""The signed links a mentor gets by email to confirm a sign-up and to manage their
profile. Intake serves the pages; notifications puts the manage link in every email a
mentor gets, so both build it here from the shared secret."""
from __future__ import annotations

from urllib.parse import urlencode

from shared.config import Settings
from shared.security import InvalidLink, LinkSigner

CONFIRM_TTL_S = 7 * 24 * 3600     # a sign-up waits this long for its confirmation
NAMESPACE = "mentors"


class MentorLinks:
    def __init__(self, settings: Settings):
        self._signer = LinkSigner(settings.signing_key, NAMESPACE)
        self._base = settings.public_base_url.rstrip("/")
        self.manage_ttl_s = settings.link_ttl_days * 24 * 3600

    def confirm_url(self, mentor_id: str) -> str:
        return f"{self._base}/mentors/confirm?{urlencode({'token': self._signer.sign('confirm', mentor_id)})}"

    def manage_url(self, mentor_id: str) -> str:
        return f"{self._base}/mentors/manage?{urlencode({'token': self._signer.sign('manage', mentor_id)})}"

    def confirmed(self, token: str) -> str:
        """The mentor id a confirmation token names; raises ``InvalidLink``."""
        return self._signer.verify("confirm", token, CONFIRM_TTL_S)

    def managed(self, token: str, valid_from: float | None = None) -> str:
        """The mentor id a manage token names; raises ``InvalidLink`` (``superseded`` for
        a link signed before ``valid_from``: a newer one was sent, or all were revoked)."""
        mentor_id, issued = self._signer.verify_issued("manage", token, self.manage_ttl_s)
        if valid_from is not None and issued < valid_from:
            raise InvalidLink("superseded")
        return mentor_id
