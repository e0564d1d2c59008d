"""Staff accounts, console sessions and the audit log in PostgreSQL (`bot/core/staff_accounts.py`;
the rows are those of `bot/storage/staff.py`), so every console and `waspada staff add` on any
machine share one account list, one lock per account and one audit log.

Failure counts are written as the core decides them (read, then set), as on SQLite: two log-ins
to one account on two consoles in the same instant may count as one failure. The lock still
comes within a failure or two, and scrypt's ~50 ms per try keeps guessing slow either way.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.staff_accounts import AuditEntry, PasswordHash, StaffAccount, StaffSession
from bot.storage.postgres.database import PostgresDatabase


class PostgresStaffStore:
    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db

    def add_account(self, name: str, password: PasswordHash, now: datetime) -> bool:
        """False if the name is taken (the old password stays)."""
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO staff_accounts (name, password_hash, salt, scrypt_n, scrypt_r, "
                "scrypt_p, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (name) DO NOTHING",
                [
                    name,
                    password.hash_hex,
                    password.salt_hex,
                    password.n,
                    password.r,
                    password.p,
                    now,
                ],
            )
        return cursor.rowcount == 1

    def remove_account(self, name: str) -> bool:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM staff_sessions WHERE name = %s", [name])
            cursor = conn.execute("DELETE FROM staff_accounts WHERE name = %s", [name])
        return cursor.rowcount == 1

    def account(self, name: str) -> StaffAccount | None:
        with self._db.transaction() as conn:
            row = conn.execute("SELECT * FROM staff_accounts WHERE name = %s", [name]).fetchone()
        if row is None:
            return None
        return StaffAccount(
            name=row["name"],
            password=PasswordHash(
                row["password_hash"], row["salt"], row["scrypt_n"], row["scrypt_r"], row["scrypt_p"]
            ),
            failed_logins=row["failed_logins"],
            locked_until=row["locked_until"],
        )

    def count_accounts(self) -> int:
        with self._db.transaction() as conn:
            row = conn.execute("SELECT count(*) AS n FROM staff_accounts").fetchone()
        return int(row["n"]) if row else 0

    def set_failures(self, name: str, failures: int, locked_until: datetime | None) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE staff_accounts SET failed_logins = %s, locked_until = %s WHERE name = %s",
                [failures, locked_until, name],
            )

    def open_session(self, hashed: str, session: StaffSession, now: datetime) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM staff_sessions WHERE expires_at <= %s", [now])
            conn.execute(
                "INSERT INTO staff_sessions (token_hash, name, csrf_token, created_at, expires_at)"
                " VALUES (%s, %s, %s, %s, %s)",
                [hashed, session.name, session.csrf_token, now, session.expires_at],
            )

    def session(self, hashed: str) -> StaffSession | None:
        """The session of a cookie's hash, while its account exists; expiry is the caller's."""
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT s.name, s.csrf_token, s.expires_at FROM staff_sessions s "
                "JOIN staff_accounts a ON a.name = s.name WHERE s.token_hash = %s",
                [hashed],
            ).fetchone()
        if row is None:
            return None
        return StaffSession(row["name"], row["csrf_token"], row["expires_at"])

    def close_session(self, hashed: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM staff_sessions WHERE token_hash = %s", [hashed])

    def audit(self, entry: AuditEntry) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO staff_audit (at, actor, action, detail) VALUES (%s, %s, %s, %s)",
                [entry.at, entry.actor, entry.action, entry.detail],
            )

    def recent_audit(self, limit: int) -> list[AuditEntry]:
        """Newest first, in the order written (ties in time keep it)."""
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT at, actor, action, detail FROM staff_audit ORDER BY audit_id DESC LIMIT %s",
                [limit],
            ).fetchall()
        return [AuditEntry(r["at"], r["actor"], r["action"], r["detail"] or "") for r in rows]
