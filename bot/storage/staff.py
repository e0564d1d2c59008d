"""Staff accounts, console sessions and the audit log in SQLite (`bot/core/staff_accounts.py`)."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from bot.core.staff_accounts import AuditEntry, PasswordHash, StaffAccount, StaffSession
from bot.storage.database import write_transaction
from bot.storage.timestamps import iso, parse_iso


class SqliteStaffStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def add_account(self, name: str, password: PasswordHash, now: datetime) -> bool:
        """False if the name is taken (the old password stays)."""
        with write_transaction(self._db) as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO staff_accounts (name, password_hash, salt, scrypt_n, "
                "scrypt_r, scrypt_p, created_at, failed_logins) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                [
                    name,
                    password.hash_hex,
                    password.salt_hex,
                    password.n,
                    password.r,
                    password.p,
                    iso(now),
                ],
            )
            return cursor.rowcount == 1

    def remove_account(self, name: str) -> bool:
        with write_transaction(self._db) as db:
            db.execute("DELETE FROM staff_sessions WHERE name = ?", [name])
            return db.execute("DELETE FROM staff_accounts WHERE name = ?", [name]).rowcount == 1

    def account(self, name: str) -> StaffAccount | None:
        rows = list(self._db.query("SELECT * FROM staff_accounts WHERE name = ?", [name]))
        if not rows:
            return None
        row = rows[0]
        return StaffAccount(
            name=row["name"],
            password=PasswordHash(
                row["password_hash"], row["salt"], row["scrypt_n"], row["scrypt_r"], row["scrypt_p"]
            ),
            failed_logins=int(row["failed_logins"] or 0),
            locked_until=parse_iso(row["locked_until"]) if row["locked_until"] else None,
        )

    def count_accounts(self) -> int:
        return int(next(self._db.query("SELECT count(*) AS n FROM staff_accounts"))["n"])

    def set_failures(self, name: str, failures: int, locked_until: datetime | None) -> None:
        with write_transaction(self._db) as db:
            db.execute(
                "UPDATE staff_accounts SET failed_logins = ?, locked_until = ? WHERE name = ?",
                [failures, iso(locked_until) if locked_until else None, name],
            )

    def open_session(self, hashed: str, session: StaffSession, now: datetime) -> None:
        with write_transaction(self._db) as db:
            db.execute("DELETE FROM staff_sessions WHERE expires_at <= ?", [iso(now)])
            db.execute(
                "INSERT INTO staff_sessions (token_hash, name, csrf_token, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [hashed, session.name, session.csrf_token, iso(now), iso(session.expires_at)],
            )

    def session(self, hashed: str) -> StaffSession | None:
        rows = list(
            self._db.query(
                "SELECT s.name, s.csrf_token, s.expires_at FROM staff_sessions s "
                "JOIN staff_accounts a ON a.name = s.name WHERE s.token_hash = ?",
                [hashed],
            )
        )
        if not rows:
            return None
        row = rows[0]
        return StaffSession(row["name"], row["csrf_token"], parse_iso(row["expires_at"]))

    def close_session(self, hashed: str) -> None:
        with write_transaction(self._db) as db:
            db.execute("DELETE FROM staff_sessions WHERE token_hash = ?", [hashed])

    def audit(self, entry: AuditEntry) -> None:
        with write_transaction(self._db) as db:
            db.execute(
                "INSERT INTO staff_audit (at, actor, action, detail) VALUES (?, ?, ?, ?)",
                [iso(entry.at), entry.actor, entry.action, entry.detail],
            )

    def recent_audit(self, limit: int) -> list[AuditEntry]:
        return [
            AuditEntry(parse_iso(r["at"]), r["actor"], r["action"], r["detail"] or "")
            for r in self._db.query(
                "SELECT at, actor, action, detail FROM staff_audit ORDER BY audit_id DESC LIMIT ?",
                [limit],
            )
        ]
