"""Staff accounts of the console: passwords, log-in with a lock, sessions with a CSRF token, and
the audit log. Standard library only; `bot/storage/staff.py` keeps the rows.

| event                                  | outcome                      | audit action   |
|----------------------------------------|------------------------------|----------------|
| right password, not locked             | a new session                | `log-in`       |
| unknown name or wrong password         | "name or password is wrong"  | `failed log-in`|
| 5th failure in a row for an account    | locked for 15 minutes        | `lock`         |
| any password while locked              | "locked, try later"          | `failed log-in`|
| log-out                                | the session row is deleted   | `log-out`      |

Unknown names and wrong passwords get the same message, and both pay for one scrypt run; an
unknown name is locked after the same failures as a real one (in memory: it has no row), so
neither the message nor the lock tells which names exist. Cookies are random; only their
SHA-256 is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol

from bot.core.ports import Clock

MIN_PASSWORD_CHARS = 12
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
_UNKNOWN_KEPT = 1000
SESSION_FOR = timedelta(hours=12)
# scrypt's cost: 2**15 × 8 × 1 needs 32 MiB and ~50 ms; stored per account, so it can grow.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


@dataclass(frozen=True)
class PasswordHash:
    hash_hex: str
    salt_hex: str
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r * p, dklen=32
    )


def hash_password(password: str) -> PasswordHash:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return PasswordHash(digest.hex(), salt.hex())


def password_matches(password: str, stored: PasswordHash) -> bool:
    digest = _scrypt(password, bytes.fromhex(stored.salt_hex), stored.n, stored.r, stored.p)
    return hmac.compare_digest(digest.hex(), stored.hash_hex)


_DECOY = hash_password("not a password: makes unknown names cost as much as known ones")


def password_problem(name: str, password: str) -> str | None:
    if not name.strip() or len(name) > 64 or any(c.isspace() for c in name):
        return "The name must be 1-64 characters without spaces."
    if len(password) < MIN_PASSWORD_CHARS:
        return f"The password must be at least {MIN_PASSWORD_CHARS} characters long."
    return None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StaffAccount:
    name: str
    password: PasswordHash
    failed_logins: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True)
class StaffSession:
    name: str
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    detail: str = ""


class StaffStore(Protocol):
    def add_account(self, name: str, password: PasswordHash, now: datetime) -> bool: ...
    def remove_account(self, name: str) -> bool: ...
    def account(self, name: str) -> StaffAccount | None: ...
    def count_accounts(self) -> int: ...
    def set_failures(self, name: str, failures: int, locked_until: datetime | None) -> None: ...
    def open_session(self, hashed: str, session: StaffSession, now: datetime) -> None: ...
    def session(self, hashed: str) -> StaffSession | None: ...
    def close_session(self, hashed: str) -> None: ...
    def audit(self, entry: AuditEntry) -> None: ...
    def recent_audit(self, limit: int) -> list[AuditEntry]: ...


class LogIn(Enum):
    OK = "ok"
    REFUSED = "refused"
    LOCKED = "locked"


@dataclass(frozen=True)
class LogInResult:
    outcome: LogIn
    token: str | None = None


class StaffAuth:
    def __init__(self, store: StaffStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        # Unknown name → (failures, locked until), oldest first; bounded, so guessing costs no disk.
        self._unknown: dict[str, tuple[int, datetime | None]] = {}

    def log_in(self, name: str, password: str) -> LogInResult:
        now = self._clock.now()
        account = self._store.account(name)
        if account is None:
            password_matches(password, _DECOY)
            # Not the typed name: it is often a password typed into the wrong field.
            self._store.audit(AuditEntry(now, "(unknown name)", "failed log-in"))
            return LogInResult(self._unknown_failure(name, now))
        if account.locked_until is not None and now < account.locked_until:
            self._store.audit(AuditEntry(now, name, "failed log-in", "account locked"))
            return LogInResult(LogIn.LOCKED)
        if not password_matches(password, account.password):
            failures = (0 if account.locked_until else account.failed_logins) + 1
            if failures >= MAX_FAILURES:
                self._store.set_failures(name, 0, now + LOCK_FOR)
                self._store.audit(AuditEntry(now, name, "failed log-in", "wrong password"))
                self._store.audit(AuditEntry(now, name, "lock", f"{MAX_FAILURES} failures"))
                return LogInResult(LogIn.LOCKED)
            self._store.set_failures(name, failures, None)
            self._store.audit(AuditEntry(now, name, "failed log-in", "wrong password"))
            return LogInResult(LogIn.REFUSED)
        self._store.set_failures(name, 0, None)
        token = secrets.token_urlsafe(32)
        session = StaffSession(name, secrets.token_urlsafe(32), now + SESSION_FOR)
        self._store.open_session(token_hash(token), session, now)
        self._store.audit(AuditEntry(now, name, "log-in"))
        return LogInResult(LogIn.OK, token)

    def _unknown_failure(self, name: str, now: datetime) -> LogIn:
        failures, until = self._unknown.pop(name, (0, None))
        if until is not None and now < until:
            outcome = LogIn.LOCKED
        else:
            failures = (0 if until else failures) + 1
            until = now + LOCK_FOR if failures >= MAX_FAILURES else None
            failures = 0 if until else failures
            outcome = LogIn.LOCKED if until else LogIn.REFUSED
        self._unknown[name] = (failures, until)
        while len(self._unknown) > _UNKNOWN_KEPT:
            del self._unknown[next(iter(self._unknown))]
        return outcome

    def session(self, token: str | None) -> StaffSession | None:
        if not token:
            return None
        found = self._store.session(token_hash(token))
        if found is None or found.expires_at <= self._clock.now():
            return None
        return found

    def log_out(self, token: str, session: StaffSession) -> None:
        self._store.close_session(token_hash(token))
        self._store.audit(AuditEntry(self._clock.now(), session.name, "log-out"))

    def record(self, actor: str, action: str, detail: str = "") -> None:
        self._store.audit(AuditEntry(self._clock.now(), actor, action, detail))

    @staticmethod
    def csrf_ok(session: StaffSession, sent: str | None) -> bool:
        return sent is not None and hmac.compare_digest(
            session.csrf_token.encode(), sent.encode("utf-8", "replace")
        )
