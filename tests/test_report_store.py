"""Reports and their outbox in a real SQLite file: atomic filing, duplicates, limits, `/status`,
forgetting a person, retention, migrations, and staff entry from the command line."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from bot.__main__ import main
from bot.core.report import Report
from bot.core.staff_entry import check_staff_report
from bot.storage.database import migrations, open_database
from bot.storage.forget import SqliteForgetting
from bot.storage.outbox import SqliteOutbox
from bot.storage.reports import SqliteReportStore
from bot.storage.sessions import SqliteSessionStore
from tests.fakes.clock import FakeClock
from tests.support.languages import LANGUAGES
from tests.support.people import person
from tests.support.reports import STAFF_REPORT, STORY, confirm, draft


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "waspada.db"


@pytest.fixture
def db(db_path: Path) -> sqlite_utils.Database:
    return open_database(db_path)


@pytest.fixture
def store(db: sqlite_utils.Database, clock: FakeClock) -> SqliteReportStore:
    return SqliteReportStore(db, clock)


@pytest.fixture
def outbox(db: sqlite_utils.Database, clock: FakeClock) -> SqliteOutbox:
    return SqliteOutbox(db, clock)


@pytest.fixture
def forgetting(db: sqlite_utils.Database, clock: FakeClock) -> SqliteForgetting:
    return SqliteForgetting(db, clock)


def rows(db_path: Path, table: str) -> list[dict[str, Any]]:
    """Read through a second connection: only committed data counts."""
    return list(sqlite_utils.Database(db_path).query(f"SELECT * FROM {table}"))  # noqa: S608


def test_confirmed_report_is_queued_with_exactly_the_body_the_api_will_get(
    store: SqliteReportStore, clock: FakeClock, db_path: Path, outbox: SqliteOutbox
) -> None:
    report = confirm(store, clock)

    [entry] = outbox.due(clock.now())
    assert entry.body == report.api_body()
    assert (entry.reference, entry.attempts, entry.user_key) == (
        report.reference,
        0,
        person(1),
    )
    [row] = rows(db_path, "reports")
    assert json.loads(row["content_urls"]) == ["https://facebook.com/fake-shop"]
    assert row["fingerprint"] == report.draft.fingerprint()
    assert [s.delivery for s in store.summaries(person(1))] == ["queued"]


def test_a_failure_while_filing_leaves_neither_the_report_nor_its_outbox_entry(
    store: SqliteReportStore, clock: FakeClock, db_path: Path
) -> None:
    sqlite_utils.Database(db_path).execute(
        "CREATE TRIGGER disk_full BEFORE INSERT ON outbox "
        "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )

    with pytest.raises(sqlite3.DatabaseError, match="disk full"):
        confirm(store, clock)

    assert rows(db_path, "reports") == []
    assert rows(db_path, "outbox") == []
    assert store.summaries(person(1)) == []


def test_sending_the_same_report_again_within_30_days_is_recognised(
    store: SqliteReportStore, clock: FakeClock
) -> None:
    first = confirm(store, clock)
    respaced = draft("  scammer SENT me a   fake shopee link ")

    clock.advance(days=29)
    found = store.find_duplicate(person(1), respaced.fingerprint())
    assert found is not None and found.reference == first.reference
    assert store.find_duplicate(person(2), respaced.fingerprint()) is None
    clock.advance(days=2)
    assert store.find_duplicate(person(1), respaced.fingerprint()) is None


def test_staff_duplicates_are_found_among_staff_reports_only(
    store: SqliteReportStore, clock: FakeClock
) -> None:
    confirm(store, clock, user_key=person(1))
    assert store.find_staff_duplicate(draft().fingerprint()) is None
    staff = confirm(store, clock, user_key=None)
    found = store.find_staff_duplicate(draft().fingerprint())
    assert found is not None and found.reference == staff.reference


def test_daily_limit_counts_a_persons_reports_since_a_moment(
    store: SqliteReportStore, clock: FakeClock
) -> None:
    confirm(store, clock, description="one")
    clock.advance(hours=20)
    confirm(store, clock, description="two")
    confirm(store, clock, user_key=person(2), description="someone else")
    clock.advance(hours=5)

    assert store.count_since(person(1), clock.now() - timedelta(days=1)) == 1
    assert store.count_since(person(1), clock.now() - timedelta(days=2)) == 2


def test_status_lists_a_persons_reports_newest_first_with_what_became_of_them(
    store: SqliteReportStore, clock: FakeClock, outbox: SqliteOutbox
) -> None:
    older = confirm(store, clock, description="older", category="harassment")
    clock.advance(minutes=5)
    newer = confirm(store, clock, description="newer")
    outbox.mark_delivered(older.report_id, "MCMC-2026-000001", "received")
    assert outbox.set_official_status(older.report_id, "in_review", "2026-11-25T01:00:00+00:00")
    assert not outbox.set_official_status(older.report_id, "in_review", "later")

    summaries = store.summaries(person(1))

    assert [s.reference for s in summaries] == [newer.reference, older.reference]
    assert (summaries[0].delivery, summaries[0].complaint_id) == ("queued", None)
    assert summaries[1].delivery == "delivered"
    assert summaries[1].complaint_id == "MCMC-2026-000001"
    assert summaries[1].official_status == "in_review"
    assert summaries[1].category == "harassment"
    assert summaries[1].submitted_at == older.submitted_at


def test_forget_me_keeps_only_ids_of_sent_reports_and_withdraws_unsent_ones(
    store: SqliteReportStore,
    clock: FakeClock,
    db_path: Path,
    outbox: SqliteOutbox,
    forgetting: SqliteForgetting,
) -> None:
    sent = confirm(store, clock, description="sent one")
    unsent = confirm(store, clock, description="not sent yet")
    other = confirm(store, clock, user_key=person(2), description="another person")
    outbox.mark_delivered(sent.report_id, "MCMC-2026-000001", "received")
    sqlite_utils.Database(db_path)["sessions"].insert(  # type: ignore[union-attr]
        {"user_key": str(person(1)), "flow": "report"}
    )

    assert forgetting.forget(person(1)) == 2

    assert store.summaries(person(1)) == []
    assert [e.report_id for e in outbox.due(clock.now())] == [other.report_id]
    assert rows(db_path, "sessions") == []
    by_id = {row["report_id"]: row for row in rows(db_path, "reports")}
    for report in (sent, unsent):
        row = by_id[report.report_id]
        assert row["reference"] == report.reference
        assert row["category"] == "financial_fraud"
        for column in ("user_key", "reporter_ref", "name", "phone", "email", "fingerprint"):
            assert row[column] is None, column
        assert (row["description"], row["content_urls"]) == ("", "[]")
    assert by_id[sent.report_id]["complaint_id"] == "MCMC-2026-000001"
    assert by_id[unsent.report_id]["withdrawn_at"] is not None
    assert by_id[other.report_id]["description"] == "another person"
    everything = json.dumps(rows(db_path, "reports") + rows(db_path, "outbox"))
    assert "Aminah" in everything  # the other person's consented contact stays
    assert "sent one" not in everything and "not sent yet" not in everything


def test_retention_erases_what_closed_complaints_said_but_keeps_their_ids(
    store: SqliteReportStore, clock: FakeClock, db_path: Path, outbox: SqliteOutbox
) -> None:
    closed_long_ago = confirm(store, clock, description="closed long ago")
    refused_long_ago = confirm(store, clock, description="refused long ago")
    still_open = confirm(store, clock, description="still open")
    outbox.mark_delivered(closed_long_ago.report_id, "MCMC-1", "received")
    outbox.mark_delivered(still_open.report_id, "MCMC-2", "received")
    outbox.set_official_status(closed_long_ago.report_id, "closed", None)
    outbox.mark_rejected(refused_long_ago.report_id, "422: content_urls[0]")
    clock.advance(days=31)
    closed_recently = confirm(store, clock, description="closed recently")
    outbox.mark_delivered(closed_recently.report_id, "MCMC-3", "closed")

    assert outbox.erase_personal_closed(clock.now() - timedelta(days=30)) == 2
    assert outbox.erase_personal_closed(clock.now() - timedelta(days=30)) == 0

    by_id = {row["report_id"]: row for row in rows(db_path, "reports")}
    for erased in (closed_long_ago, refused_long_ago):
        row = by_id[erased.report_id]
        assert (row["description"], row["phone"], row["email"]) == ("", None, None)
        assert row["reference"] == erased.reference and row["user_key"] == str(person(1))
    assert by_id[closed_long_ago.report_id]["official_status"] == "closed"
    assert by_id[refused_long_ago.report_id]["delivery"] == "rejected"
    assert by_id[still_open.report_id]["description"] == "still open"
    assert by_id[closed_recently.report_id]["description"] == "closed recently"


def test_held_reports_wait_for_a_restart_and_the_oldest_wait_is_measured(
    store: SqliteReportStore, clock: FakeClock, outbox: SqliteOutbox
) -> None:
    first = confirm(store, clock, description="first")
    clock.advance(minutes=10)
    confirm(store, clock, description="second")

    outbox.hold(first.report_id, "403")
    assert [s.delivery for s in store.summaries(person(1))] == ["queued", "held"]
    assert outbox.hold_queued("401") == 1
    assert outbox.due(clock.now()) == []
    assert outbox.oldest_undelivered_age(clock.now()) == timedelta(minutes=10)
    assert outbox.release_held() == 2
    assert outbox.due(clock.now())[0].report_id == first.report_id
    outbox.mark_delivered(first.report_id, "MCMC-1", "received")
    assert outbox.oldest_undelivered_age(clock.now()) == timedelta(0)
    assert outbox.waiting() == 1


def test_migrations_add_reports_to_a_database_that_only_had_sessions(
    db_path: Path, clock: FakeClock
) -> None:
    db_path.parent.mkdir(parents=True)
    old = sqlite_utils.Database(db_path)
    names = [m.name for m in migrations.pending(old)]
    migrations.apply(old, stop_before=names[1])
    old["sessions"].insert({"user_key": "tg:1", "chosen_language": "zh"})  # type: ignore[union-attr]
    assert not old["reports"].exists()
    old.close()

    store = SqliteReportStore(open_database(db_path), clock)
    confirm(store, clock)

    assert rows(db_path, "sessions")[0]["chosen_language"] == "zh"
    assert len(rows(db_path, "outbox")) == 1


def test_people_from_version_one_keep_their_language_and_reports(
    db_path: Path, clock: FakeClock
) -> None:
    """Version 1 wrote "tg:1" and "term:local"; keys now name the channel in full."""
    db_path.parent.mkdir(parents=True)
    old = open_database(db_path)
    old["sessions"].insert({"user_key": "tg:1", "chosen_language": "zh"})  # type: ignore[union-attr]
    old.execute("DELETE FROM _sqlite_migrations WHERE name = 'name_channels_in_full'")
    confirm(SqliteReportStore(old, clock), clock)
    old.execute("UPDATE reports SET user_key = 'tg:1'")
    old.close()

    reopened = open_database(db_path)
    assert SqliteSessionStore(reopened).load(person(1)).chosen_language == "zh"
    assert len(SqliteReportStore(reopened, clock).summaries(person(1))) == 1


# --- staff entry: `waspada report submit FILE.json` ----------------------------------------


def test_staff_file_with_every_mistake_gets_every_problem_named_by_file_and_field() -> None:
    broken = dict(STAFF_REPORT, category="scam", channel="staff", incident_date="2099-01-01")
    broken["reporter"] = {"contact_consent": False, "phone": "013-2223344"}
    del broken["platform"]

    result, problems = check_staff_report(
        broken, "call.json", today=date(2026, 11, 24), languages=LANGUAGES
    )

    assert result is None
    assert all(p.startswith("call.json: ") for p in problems)
    named = {p.split(": ")[1] for p in problems}
    assert named == {"category", "channel", "incident_date", "platform", "reporter.phone"}


def test_staff_entry_checks_links_and_contacts_as_strictly_as_the_chat() -> None:
    """The probe: staff could file http://127.0.0.1/admin, the cloud metadata address and
    "abc" as a phone number; the chat refuses all three."""
    risky = dict(
        STAFF_REPORT,
        content_urls=[
            "http://127.0.0.1/admin",
            "http://169.254.169.254/latest/meta-data/",
            "https://www.facebook.com/scam.page",
        ],
    )
    risky["reporter"] = {"contact_consent": True, "phone": "abc", "email": "a@b"}

    result, problems = check_staff_report(
        risky, "call.json", today=date(2026, 11, 24), languages=LANGUAGES
    )

    assert result is None
    named = {p.split(": ")[1] for p in problems}
    assert named == {
        "content_urls[0]",
        "content_urls[1]",
        "reporter.phone",
        "reporter.email",
        "reporter",
    }
    assert any("012-345 6789" in p for p in problems), "the example shows what is wanted"


def test_staff_file_becomes_a_draft_with_contact_only_when_consented() -> None:
    result, problems = check_staff_report(
        STAFF_REPORT, "call.json", today=date(2026, 11, 24), languages=LANGUAGES
    )

    assert problems == []
    assert result is not None
    assert (result.phone, result.email, result.contact_consent) == ("013-2223344", None, True)
    assert result.incident_date == date(2026, 11, 20)


def submit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: object) -> int:
    path = tmp_path / "call.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    monkeypatch.setenv("WASPADA_DATA_DIR", str(tmp_path / "data"))
    return main(["report", "submit", str(path)])


def test_staff_submit_prints_a_reference_and_a_repeat_points_to_the_first(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
) -> None:
    code = submit(tmp_path, monkeypatch, STAFF_REPORT)
    reference = capsys.readouterr().out.strip()
    assert code == 0 and reference.startswith("WSP-")

    code = submit(tmp_path, monkeypatch, STAFF_REPORT)
    captured = capsys.readouterr()
    assert code == 0 and captured.out.strip() == reference
    assert "same report" in captured.err

    [row] = rows(db_path, "reports")
    assert (row["reference"], row["channel"], row["user_key"]) == (reference, "staff", None)
    assert len(rows(db_path, "outbox")) == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "call.json: not valid UTF-8 JSON at line 1 column 2"),
        (dict(STAFF_REPORT, involves_child="no"), "call.json: involves_child: must be true"),
        ("[" * 100_000 + "]" * 100_000, "call.json: the JSON is nested far too deeply"),
    ],
)
def test_staff_submit_of_a_broken_file_says_why_and_stores_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    content: object,
    expected: str,
) -> None:
    code = submit(tmp_path, monkeypatch, content)

    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert expected in captured.err.replace(str(tmp_path) + "/", "")
    assert "nothing was stored" in captured.err
    assert not db_path.exists() or rows(db_path, "reports") == []


def test_a_reference_already_taken_is_replaced_and_the_new_one_returned(
    store: SqliteReportStore, clock: FakeClock
) -> None:
    taken = Report(draft(), "telegram", clock.now(), person(1), "ref-1", reference="WSP-22222")
    again = Report(
        draft("another story"),
        "telegram",
        clock.now(),
        person(1),
        "ref-1",
        reference="WSP-22222",
    )
    assert store.file(taken).reference == "WSP-22222"
    second = store.file(again)
    assert second.reference != "WSP-22222"
    assert {s.reference for s in store.summaries(person(1))} == {
        "WSP-22222",
        second.reference,
    }


def test_forget_waits_for_another_process_writing_instead_of_failing(
    store: SqliteReportStore, db_path: Path, clock: FakeClock, forgetting: SqliteForgetting
) -> None:
    """The probe's `database is locked`: a transaction that read before another process
    committed could not write afterwards, and the person saw "something went wrong"."""
    import threading

    confirm(store, clock)
    locked, writing = threading.Event(), threading.Event()

    def other_process() -> None:
        other = sqlite3.connect(db_path, timeout=30, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE sessions SET flow = 'report' WHERE user_key = 'nobody'")
        locked.set()
        writing.wait(30)
        other.execute("COMMIT")
        other.close()

    def trace(sql: str) -> None:
        if sql.startswith(("BEGIN IMMEDIATE", "UPDATE")):
            writing.set()

    worker = threading.Thread(target=other_process)
    worker.start()
    assert locked.wait(10)
    store._db.conn.set_trace_callback(trace)
    try:
        touched = forgetting.forget(person(1))
    finally:
        writing.set()
        worker.join(30)
    assert touched == 1
    assert STORY not in json.dumps(rows(db_path, "reports"))
