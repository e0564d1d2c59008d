"""Opens Waspada's SQLite file and brings its schema up to date with sqlite-utils migrations."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from bot.storage.private_files import private_file

migrations = Migrations("waspada")


@migrations()
def create_sessions(db: sqlite_utils.Database) -> None:
    db["sessions"].create(  # type: ignore[union-attr]
        {
            "user_key": str,
            "chosen_language": str,
            "last_language": str,
            "flow": str,
            "flow_state": str,
            "updated_at": str,
        },
        pk="user_key",
        not_null={"user_key"},
    )


@migrations()
def create_chat_messages(db: sqlite_utils.Database) -> None:
    """Message ids (never texts) so a quick exit can delete the conversation after a restart."""
    db["chat_messages"].create(  # type: ignore[union-attr]
        {"chat_id": int, "message_id": int, "sent_at": str},
        pk=("chat_id", "message_id"),
    )


@migrations()
def create_reports_and_outbox(db: sqlite_utils.Database) -> None:
    """Reports and their outbox entries (see `bot/storage/reports.py`). Times are UTC ISO text
    with microseconds, so comparing them as text orders them in time."""
    db["reports"].create(  # type: ignore[union-attr]
        {
            "report_id": str,
            "reference": str,
            "channel": str,
            "user_key": str,
            "reporter_ref": str,
            "fingerprint": str,
            "language": str,
            "category": str,
            "platform": str,
            "content_urls": str,
            "description": str,
            "incident_date": str,
            "involves_child": int,
            "contact_consent": int,
            "name": str,
            "phone": str,
            "email": str,
            "submitted_at": str,
            "created_at": str,
            "delivery": str,
            "complaint_id": str,
            "official_status": str,
            "status_updated_at": str,
            "delivered_at": str,
            "closed_at": str,
            "withdrawn_at": str,
            "erased_at": str,
        },
        pk="report_id",
        not_null={"report_id", "reference", "channel", "category", "created_at", "delivery"},
    )
    db["reports"].create_index(["reference"], unique=True)  # type: ignore[union-attr]
    db["reports"].create_index(["user_key", "created_at"])  # type: ignore[union-attr]
    db["reports"].create_index(["closed_at"])  # type: ignore[union-attr]
    db["outbox"].create(  # type: ignore[union-attr]
        {
            "report_id": str,
            "body": str,
            "attempts": int,
            "next_attempt_at": str,
            "last_detail": str,
            "alerted": int,
        },
        pk="report_id",
        not_null={"report_id", "body", "attempts", "next_attempt_at", "alerted"},
        defaults={"attempts": 0, "alerted": 0},
        foreign_keys=[("report_id", "reports", "report_id")],
    )
    db["outbox"].create_index(["next_attempt_at"])  # type: ignore[union-attr]


@migrations()
def create_evidence(db: sqlite_utils.Database) -> None:
    """Screenshots: held for a draft (`report_id` NULL), attached when the report is filed, and
    their bytes erased once the API has them (`bot/storage/evidence.py`)."""
    db["evidence"].create(  # type: ignore[union-attr]
        {
            "evidence_id": str,
            "user_key": str,
            "report_id": str,
            "content_type": str,
            "size": int,
            "data": bytes,
            "state": str,
            "official_id": str,
            "attempts": int,
            "next_attempt_at": str,
            "last_detail": str,
            "created_at": str,
        },
        pk="evidence_id",
        not_null={"evidence_id", "content_type", "size", "state", "attempts", "created_at"},
        defaults={"attempts": 0},
    )
    db["evidence"].create_index(["report_id"])  # type: ignore[union-attr]
    db["evidence"].create_index(["user_key"])  # type: ignore[union-attr]
    db["evidence"].create_index(["state", "next_attempt_at"])  # type: ignore[union-attr]


@migrations()
def add_session_context(db: sqlite_utils.Database) -> None:
    """The topic and risks of the last few minutes, for follow-ups (`bot/core/safety_net.py`)."""
    db["sessions"].add_column("context", str)  # type: ignore[union-attr]


@migrations()
def create_notices(db: sqlite_utils.Database) -> None:
    """Status changes seen by a dispatcher that cannot message people (`waspada outbox
    deliver`), waiting for the bot to tell the reporter (`bot/storage/notices.py`)."""
    db["notices"].create(  # type: ignore[union-attr]
        {
            "notice_id": int,
            "user_key": str,
            "reference": str,
            "complaint_id": str,
            "status": str,
            "language": str,
            "created_at": str,
        },
        pk="notice_id",
        not_null={"user_key", "reference", "status", "language", "created_at"},
    )


# Channels as version 1 abbreviated them in people's keys.
LEGACY_CHANNELS = {"tg": "telegram", "term": "terminal"}


@migrations()
def name_channels_in_full(db: sqlite_utils.Database) -> None:
    """People's keys name their channel in full (`bot/core/identity.py`), so nothing has to
    know an abbreviation. The reporter pseudonym is computed from the key, so a person's reports
    before and after this step carry different pseudonyms."""
    for table in ("sessions", "reports", "evidence", "notices"):
        for short, full in LEGACY_CHANNELS.items():
            db.execute(
                f"UPDATE {table} SET user_key = ? || substr(user_key, ?) "  # noqa: S608
                "WHERE user_key LIKE ?",
                [f"{full}:", len(short) + 2, f"{short}:%"],
            )


@migrations()
def create_alerts(db: sqlite_utils.Database) -> None:
    """Scam alerts (`bot/storage/alerts.py`): who opted in, what was broadcast, and one row per
    recipient of each broadcast."""
    db["alert_subscribers"].create(  # type: ignore[union-attr]
        {"user_key": str, "language": str, "since": str},
        pk="user_key",
        not_null={"language", "since"},
    )
    db["alert_broadcasts"].create(  # type: ignore[union-attr]
        {
            "name": str,
            "texts": str,
            "topic": str,
            "report": int,
            "send_after": str,
            "queued_at": str,
        },
        pk="name",
        not_null={"texts", "send_after", "queued_at"},
    )
    db["alert_deliveries"].create(  # type: ignore[union-attr]
        {
            "alert": str,
            "user_key": str,
            "language": str,
            "state": str,
            "attempts": int,
            "due_at": str,
            "settled_at": str,
        },
        pk=("alert", "user_key"),
        not_null={"language", "state", "attempts", "due_at"},
    )
    db["alert_deliveries"].create_index(["state", "due_at"])  # type: ignore[union-attr]
    db["alert_deliveries"].create_index(["user_key"])  # type: ignore[union-attr]


@migrations()
def create_report_items(db: sqlite_utils.Database) -> None:
    """Links and numbers in filed reports, for crowd counts (`bot/storage/report_items.py`).
    Reports filed before this release wait in `report_items_backlog` until the bot, which has
    the link finder, indexes them from their (not yet erased) words."""
    db["report_items"].create(  # type: ignore[union-attr]
        {"report_id": str, "reporter": str, "kind": str, "value": str, "filed_at": str},
        pk=("report_id", "kind", "value"),
        not_null={"reporter", "filed_at"},
    )
    db["report_items"].create_index(["kind", "value", "filed_at"])  # type: ignore[union-attr]
    db["report_items_backlog"].create({"report_id": str}, pk="report_id")  # type: ignore[union-attr]
    db.execute(
        "INSERT INTO report_items_backlog SELECT report_id FROM reports WHERE erased_at IS NULL"
    )


@migrations()
def create_handoff_cases(db: sqlite_utils.Database) -> None:
    """Talk to a person (`bot/storage/handoff.py`): one row per case, and the anonymous counts
    of "did this help?", which outlive the cases (and /forget)."""
    db["handoff_cases"].create(  # type: ignore[union-attr]
        {
            "case_id": str,
            "user_key": str,
            "language": str,
            "topics": str,
            "risks": str,
            "requested_at": str,
            "thread": str,
            "flagged": int,
            "answered": int,
            "closed_at": str,
            "feedback_due": int,
        },
        pk="case_id",
        not_null={"user_key", "language", "requested_at", "flagged", "answered", "feedback_due"},
        defaults={"flagged": 0, "answered": 0, "feedback_due": 0},
    )
    db["handoff_cases"].create_index(["user_key", "closed_at"])  # type: ignore[union-attr]
    db["handoff_cases"].create_index(["thread"])  # type: ignore[union-attr]
    db["handoff_feedback"].create(  # type: ignore[union-attr]
        {"answer": str, "count": int}, pk="answer", not_null={"count"}
    )


@migrations()
def add_handoff_waiting(db: sqlite_utils.Database) -> None:
    """Nobody answering (`bot/core/staff_watch.py`): since when the person has waited for a
    staff reply, and whether they were told; and the bot's own messages in each staff thread,
    by id only, so /forget can delete its copies of the person's words."""
    db["handoff_cases"].add_column("waiting_since", str)  # type: ignore[union-attr]
    db["handoff_cases"].add_column("nudged", int, not_null_default=0)  # type: ignore[union-attr]
    db["staff_copies"].create(  # type: ignore[union-attr]
        {"thread": str, "message_id": int, "sent_at": str},
        pk=("thread", "message_id"),
        not_null={"sent_at"},
    )


@migrations()
def create_insight(db: sqlite_utils.Database) -> None:
    """What people ask, for the staff console (`bot/storage/usage.py`, `bot/storage/review.py`):
    anonymous daily counts (no words, no person), the answers open for 👍/👎 in a session, and
    the review queue of redacted messages the bot could not place, kept 30 days."""
    db["sessions"].add_column("answered", str)  # type: ignore[union-attr]
    db["usage_questions"].create(  # type: ignore[union-attr]
        {"day": str, "language": str, "outcome": str, "topic": str, "count": int},
        pk=("day", "language", "outcome", "topic"),
        not_null={"count"},
    )
    db["usage_risks"].create(  # type: ignore[union-attr]
        {"day": str, "language": str, "risk": str, "count": int},
        pk=("day", "language", "risk"),
        not_null={"count"},
    )
    db["usage_ratings"].create(  # type: ignore[union-attr]
        {"day": str, "topic": str, "language": str, "helpful": int, "unhelpful": int},
        pk=("day", "topic", "language"),
        not_null={"helpful", "unhelpful"},
        defaults={"helpful": 0, "unhelpful": 0},
    )
    db["review_entries"].create(  # type: ignore[union-attr]
        {
            "entry_id": int,
            "owner": str,
            "language": str,
            "reason": str,
            "text": str,
            "guesses": str,
            "risks": str,
            "day": str,
            "kept_at": str,
            "label": str,
            "labelled_by": str,
            "labelled_at": str,
        },
        pk="entry_id",
        not_null={"language", "reason", "text", "guesses", "risks", "day", "kept_at"},
    )
    db["review_entries"].create_index(["owner"])  # type: ignore[union-attr]
    db["review_entries"].create_index(["kept_at"])  # type: ignore[union-attr]


@migrations()
def create_staff_console(db: sqlite_utils.Database) -> None:
    """The staff console (`bot/storage/staff.py`): accounts with a scrypt hash and their own
    parameters, the failed log-ins and lock of each (so a lock survives a restart), sessions by
    the SHA-256 of their cookie (a stolen database holds no usable cookie), and the audit log."""
    db["staff_accounts"].create(  # type: ignore[union-attr]
        {
            "name": str,
            "password_hash": str,
            "salt": str,
            "scrypt_n": int,
            "scrypt_r": int,
            "scrypt_p": int,
            "created_at": str,
            "failed_logins": int,
            "locked_until": str,
        },
        pk="name",
        not_null={"password_hash", "salt", "scrypt_n", "scrypt_r", "scrypt_p", "created_at"},
        defaults={"failed_logins": 0},
    )
    db["staff_sessions"].create(  # type: ignore[union-attr]
        {"token_hash": str, "name": str, "csrf_token": str, "created_at": str, "expires_at": str},
        pk="token_hash",
        not_null={"name", "csrf_token", "created_at", "expires_at"},
    )
    db["staff_sessions"].create_index(["name"])  # type: ignore[union-attr]
    db["staff_audit"].create(  # type: ignore[union-attr]
        {"audit_id": int, "at": str, "actor": str, "action": str, "detail": str},
        pk="audit_id",
        not_null={"at", "actor", "action"},
    )
    db["staff_audit"].create_index(["at"])  # type: ignore[union-attr]


@migrations()
def create_processed_updates(db: sqlite_utils.Database) -> None:
    """Updates already taken (`bot/core/redelivery.py`), so a redelivered one is handled once;
    kept a day."""
    db["processed_updates"].create(  # type: ignore[union-attr]
        {"channel": str, "update_id": int, "claimed_at": str},
        pk=("channel", "update_id"),
        not_null={"channel", "update_id", "claimed_at"},
    )
    db["processed_updates"].create_index(["claimed_at"])  # type: ignore[union-attr]


# How long a writer waits for another process's write (the bot, `waspada outbox deliver` and
# staff submits share one file) before giving up.
BUSY_TIMEOUT_S = 30.0


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Every writer's transaction. `db.atomic()` starts a *deferred* transaction: it reads, and
    if another process commits before its first write, SQLite fails that write at once with
    "database is locked" and the busy timeout never applies. `BEGIN IMMEDIATE` takes the write
    lock first (waiting up to the busy timeout), so what it reads is still true when it writes.
    Inside an open transaction it nests as a savepoint."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


def checkpoint(db: sqlite_utils.Database) -> None:
    """After an erase: deleted rows live on in the WAL until a checkpoint copies the pages back
    (where `secure_delete` has zeroed them) and TRUNCATE empties the WAL file. With another
    process reading at that moment the checkpoint stops short; the next one finishes it."""
    if not db.conn.in_transaction:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def open_database(path: Path | str) -> sqlite_utils.Database:
    """`path` may be ":memory:" for tests; any other string is a file's path. WAL lets the bot
    and CLI tools read while one writes."""
    if path == ":memory:":
        db = sqlite_utils.Database(memory=True)
    else:
        path = Path(path)
        private_file(path)
        db = sqlite_utils.Database(sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S))
        db.execute("PRAGMA journal_mode=WAL")
    # Erased rows are overwritten with zeros, not just marked free.
    db.execute("PRAGMA secure_delete=ON")
    migrations.apply(db)
    return db
