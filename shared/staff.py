"""Programme staff accounts for the admin endpoints of every service: a bearer token
each, with a role.

Tokens are 256-bit random secrets, so a SHA-256 of each is what is stored (a slow hash
protects guessable passwords, not random keys); a presented token is compared with the
stored hash in constant time. ``python -m shared.staff add NAME ROLE``
creates an account and prints its token once.
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import secrets
import sys
from dataclasses import dataclass

ROLES = ("viewer", "editor")   # an editor can do everything a viewer can
NS = "twoshot:staff"


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    role: str

    def can(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class StaffAccounts:
    def __init__(self, redis_client):
        self._redis = redis_client

    def create(self, name: str, role: str) -> str:
        """Create an account; returns its token (shown once, never stored)."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        staff_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        self._redis.hset(NS, staff_id, json.dumps({"name": name, "role": role, "digest": _digest(secret)}))
        return f"{staff_id}.{secret}"

    def authenticate(self, token: str) -> StaffMember | None:
        staff_id, _, secret = token.partition(".")
        raw = self._redis.hget(NS, staff_id) if staff_id and secret else None
        # Compare even when there is no such account, so timing says nothing either way.
        stored = json.loads(raw) if raw else {"digest": _digest(secrets.token_urlsafe(32))}
        if not hmac.compare_digest(_digest(secret), stored["digest"]) or raw is None:
            return None
        return StaffMember(staff_id, stored["name"], stored["role"])


def main(argv: list[str] | None = None) -> int:
    from shared.config import Settings
    from shared.store import make_redis
    parser = argparse.ArgumentParser(prog="python -m shared.staff")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="create a staff account and print its token")
    add.add_argument("name")
    add.add_argument("role", choices=ROLES)
    args = parser.parse_args(argv)
    token = StaffAccounts(make_redis(Settings.from_env())).create(args.name, args.role)
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
