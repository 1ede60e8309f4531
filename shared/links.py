"""The signed links a mentor gets by email to confirm a sign-up and to manage their
profile. Intake serves the pages; notifications puts the manage link in every email a
mentor gets, so both build it here from the shared secret."""
from __future__ import annotations

import math
import time
from urllib.parse import urlencode

from shared.config import MentorLinkSettings
from shared.security import InvalidLink, LinkSigner

CONFIRM_TTL_S = 7 * 24 * 3600     # a sign-up waits this long for its confirmation
NAMESPACE = "mentors"


class MentorLinks:
    def __init__(self, settings: MentorLinkSettings):
        self._signer = LinkSigner(settings.signing_key, NAMESPACE)
        self._base = settings.public_base_url.rstrip("/")
        self.manage_ttl_s = settings.link_ttl_days * 24 * 3600

    def confirm_url(self, mentor_id: str) -> str:
        return f"{self._base}/mentors/confirm?{urlencode({'token': self._signer.sign('confirm', mentor_id)})}"

    def manage_url(self, mentor_id: str) -> str:
        # The time is signed inside, to the millisecond: a newer link retires older ones
        # even within one second (itsdangerous's own stamp is whole seconds).
        token = self._signer.sign("manage", [mentor_id, math.ceil(time.time() * 1000) / 1000])
        return f"{self._base}/mentors/manage?{urlencode({'token': token})}"

    def confirmed(self, token: str) -> str:
        """The mentor id a confirmation token names; raises ``InvalidLink``."""
        return self._signer.verify("confirm", token, CONFIRM_TTL_S)

    def managed(self, token: str, valid_from: float | None = None) -> str:
        """The mentor id a manage token names; raises ``InvalidLink`` (``superseded`` for
        a link signed before ``valid_from``: a newer one was sent, or all were revoked)."""
        subject, issued = self._signer.verify_issued("manage", token, self.manage_ttl_s)
        if isinstance(subject, list) and len(subject) == 2:
            mentor_id, issued = str(subject[0]), float(subject[1])
        elif isinstance(subject, str):
            mentor_id = subject             # a link from before links carried their time
        else:
            raise InvalidLink("invalid")
        if valid_from is not None and issued < valid_from:
            raise InvalidLink("superseded")
        return mentor_id
