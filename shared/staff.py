"""Programme staff accounts for the admin endpoints of every service: a bearer token
each, with a role, an optional expiry, and a revocation mark.

Tokens are 256-bit random secrets, so a SHA-256 of each is what is stored (a slow hash
protects guessable passwords, not random keys); a presented token is compared with the
stored hash in constant time. From the command line (``python -m shared.staff``):
``add NAME ROLE [--expires-days N] [--login L]`` creates an account and prints its token
once; ``password ID`` sets the password for the browser console (read from standard
input, hashed with argon2id); ``list`` shows every account; ``revoke ID`` ends an
account at once (token and browser sessions); ``rotate ID`` gives it a new token.
"""
from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import json
import os
import secrets
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES = ("viewer", "editor")   # an editor can do everything a viewer can
NS = "twoshot:staff"


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    role: str

    def can(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def account(self) -> str:
        """How the audit log names who did something: the name and the account id."""
        return f"{self.name} [{self.id}]"


class UnknownAccount(LookupError):
    pass


_HASHER = PasswordHasher()       # argon2id, the library's (RFC 9106) defaults
_DUMMY = _HASHER.hash("an account that does not exist")
MIN_PASSWORD = 12


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


class StaffAccounts:
    def __init__(self, redis_client):
        self._redis = redis_client

    def create(self, name: str, role: str, expires_days: float | None = None, login: str | None = None) -> str:
        """Create an account; returns its token (shown once, never stored)."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        login = (login or "").strip().lower() or None
        if login and self._by_login(login) is not None:
            raise ValueError(f"the login {login!r} is taken")
        staff_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        expires = (_now() + timedelta(days=expires_days)).isoformat() if expires_days else None
        self._redis.hset(NS, staff_id, json.dumps({"name": name, "role": role, "digest": _digest(secret),
                                                   "created_at": _now().isoformat(), "expires_at": expires,
                                                   "revoked_at": None, "login": login, "epoch": 0}))
        return f"{staff_id}.{secret}"

    # --- the browser console: login and password -------------------------------------
    def _by_login(self, login: str) -> tuple[str, dict] | None:
        for staff_id, raw in self._redis.hgetall(NS).items():
            record = json.loads(raw)
            if record.get("login") == login:
                return staff_id, record
        return None

    def set_password(self, staff_id: str, password: str) -> None:
        """Set (or change) the console password; every browser session of the account ends."""
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"a password has at least {MIN_PASSWORD} characters")
        record = self._get(staff_id)
        record.update(password=_HASHER.hash(password), epoch=record.get("epoch", 0) + 1)
        self._redis.hset(NS, staff_id, json.dumps(record))

    def sign_in(self, login: str, password: str) -> tuple[StaffMember, int] | None:
        """The member and their session epoch, or None. An unknown login costs the same
        hash as a known one, so timing does not tell which logins exist."""
        found = self._by_login(login.strip().lower())
        stored = found[1].get("password") if found else None
        try:
            ok = _HASHER.verify(stored or _DUMMY, password) and stored is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or found is None or not self._active(found[1]):
            return None
        staff_id, record = found
        return StaffMember(staff_id, record["name"], record["role"]), record.get("epoch", 0)

    def session(self, staff_id: str, epoch: int) -> StaffMember | None:
        """The member a browser session names, while the account is active and the
        session is of its current epoch (a new password or a revocation ends it)."""
        raw = self._redis.hget(NS, staff_id)
        record = json.loads(raw) if raw else None
        if record is None or not self._active(record) or record.get("epoch", 0) != epoch:
            return None
        return StaffMember(staff_id, record["name"], record["role"])

    def _get(self, staff_id: str) -> dict:
        raw = self._redis.hget(NS, staff_id)
        if raw is None:
            raise UnknownAccount(staff_id)
        return json.loads(raw)

    def revoke(self, staff_id: str) -> None:
        record = self._get(staff_id)
        record["revoked_at"] = _now().isoformat()
        record["epoch"] = record.get("epoch", 0) + 1
        self._redis.hset(NS, staff_id, json.dumps(record))

    def rotate(self, staff_id: str) -> str:
        """A new token for the same account (same name, role and expiry); the old one stops working."""
        record, secret = self._get(staff_id), secrets.token_urlsafe(32)
        if record.get("revoked_at"):
            raise UnknownAccount(f"{staff_id} is revoked")
        record.update(digest=_digest(secret), rotated_at=_now().isoformat())
        self._redis.hset(NS, staff_id, json.dumps(record))
        return f"{staff_id}.{secret}"

    def list(self) -> list[dict]:
        out = []
        for staff_id, raw in sorted(self._redis.hgetall(NS).items()):
            record = json.loads(raw)
            record.pop("digest", None)
            record.pop("password", None)
            out.append({"id": staff_id, **record, "active": self._active(record)})
        return out

    @staticmethod
    def _active(record: dict) -> bool:
        expires = record.get("expires_at")
        return not record.get("revoked_at") and (not expires or datetime.fromisoformat(expires) > _now())

    def authenticate(self, token: str) -> StaffMember | None:
        staff_id, _, secret = token.partition(".")
        raw = self._redis.hget(NS, staff_id) if staff_id and secret else None
        # Compare even when there is no such account, so timing says nothing either way.
        stored = json.loads(raw) if raw else {"digest": _digest(secrets.token_urlsafe(32))}
        if not hmac.compare_digest(_digest(secret), stored["digest"]) or raw is None or not self._active(stored):
            return None
        return StaffMember(staff_id, stored["name"], stored["role"])


def main(argv: list[str] | None = None) -> int:
    from shared.config import Settings
    from shared.store import make_redis
    parser = argparse.ArgumentParser(prog="python -m shared.staff", description="Programme staff accounts.")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="create a staff account and print its token (once)")
    add.add_argument("name")
    add.add_argument("role", choices=ROLES)
    add.add_argument("--expires-days", type=float, default=None, help="the token stops working after this")
    add.add_argument("--login", default=None, help="a login for the browser console (then: password ID)")
    password = sub.add_parser("password", help="set the console password (asked, or read from standard input)")
    password.add_argument("id")
    sub.add_parser("list", help="every account: id, name, role, expiry, whether it is active")
    revoke = sub.add_parser("revoke", help="end an account now")
    revoke.add_argument("id")
    rotate = sub.add_parser("rotate", help="a new token for an account; the old one stops working")
    rotate.add_argument("id")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if not os.environ.get("REDIS_URL") and os.environ.get("REDIS_PORT"):
        # The same Redis `make run` starts when its ports are moved (REDIS_PORT=…).
        settings = settings.with_overrides(redis_url=f"redis://127.0.0.1:{os.environ['REDIS_PORT']}/0")
    accounts = StaffAccounts(make_redis(settings))
    try:
        if args.command == "add":
            token = accounts.create(args.name, args.role, args.expires_days, args.login)
            staff_id = token.split(".")[0]
            print(f"id:    {staff_id}\ntoken: {token}   (shown once; keep it secret)")
            if args.login:
                print(f"next:  python -m shared.staff password {staff_id}   (the console password)")
            print(f"redis: {settings.redis_url}", file=sys.stderr)
        elif args.command == "password":
            secret = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
            accounts.set_password(args.id, secret)
            print(f"password set for {args.id}; its browser sessions have ended")
        elif args.command == "list":
            for a in accounts.list():
                print(f"{a['id']}  {a['role']:<6}  {'active' if a['active'] else 'inactive':<8}  "
                      f"expires {a.get('expires_at') or 'never'}  revoked {a.get('revoked_at') or 'no'}  {a['name']}")
        elif args.command == "revoke":
            accounts.revoke(args.id)
            print(f"revoked {args.id}")
        else:
            print(accounts.rotate(args.id))
    except UnknownAccount as exc:
        print(f"no such active account: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
