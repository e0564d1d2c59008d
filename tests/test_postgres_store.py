"""What only the PostgreSQL store promises, for several replicas on one database: migrations
applied once when replicas start together, one person's turns in order across replicas, the
outbox and alerts claimed so two senders never send one row at the same time, and the alert
cap counted in the shared table. The behaviour both engines share is
`tests/test_storage_contract.py`."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from bot.app_stores import open_stores
from bot.core.alerts import Alert, Outcome
from bot.core.identity import UserKey
from bot.errors import ConfigError
from bot.settings import Settings
from bot.storage.postgres.alerts import PostgresBroadcasts, PostgresSendQuota, PostgresSubscriptions
from bot.storage.postgres.database import PostgresDatabase
from bot.storage.postgres.migrate import apply_migrations, migration_files
from bot.storage.postgres.outbox import PostgresOutbox
from bot.storage.postgres.reports import PostgresReportStore
from bot.storage.postgres.turn_locks import PostgresTurnLocks, lock_key
from tests.fakes.clock import FakeClock
from tests.support.people import FIRST, person
from tests.support.reports import confirm


def test_two_replicas_starting_together_apply_each_migration_once(postgres_url: str) -> None:
    start = threading.Barrier(2)
    applied: list[list[str]] = []
    errors: list[BaseException] = []

    def replica() -> None:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            start.wait()
            try:
                applied.append(apply_migrations(conn))
            except BaseException as error:
                errors.append(error)

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    versions = [version for version, _sql in migration_files()]
    assert errors == []
    assert sorted(applied) == [[], versions]
    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    assert [row[0] for row in rows] == versions
    # A later start finds nothing to do.
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert apply_migrations(conn) == []


def test_migrations_go_in_number_order_and_a_number_left_out_comes_in_when_it_arrives(
    postgres_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "9_table.sql").write_text("CREATE TABLE steps (n integer);")
    (folder / "10_row.sql").write_text("INSERT INTO steps VALUES (10);")  # after 9, not before
    (folder / "12_row.sql").write_text("INSERT INTO steps VALUES (12);")
    (folder / "notes.txt").write_text("not a migration")
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert apply_migrations(conn, migration_files(folder)) == ["9_table", "10_row", "12_row"]
        # Another branch's 11 merged later: applied at the next start, the others not again.
        (folder / "11_row.sql").write_text("INSERT INTO steps VALUES (11);")
        assert apply_migrations(conn, migration_files(folder)) == ["11_row"]
        rows = conn.execute("SELECT n FROM steps ORDER BY n").fetchall()
    assert [row[0] for row in rows] == [10, 11, 12]

    (folder / "0011_clash.sql").write_text("SELECT 1;")
    with pytest.raises(ValueError, match=r"0011_clash\.sql"):
        migration_files(folder)
    (folder / "0011_clash.sql").unlink()
    (folder / "console.sql").write_text("SELECT 1;")
    with pytest.raises(ValueError, match="NUMBER_words"):
        migration_files(folder)


def test_the_releases_migrations_are_numbered_apart_and_include_the_consoles() -> None:
    versions = [version for version, _sql in migration_files()]
    numbers = [int(version.split("_")[0]) for version in versions]
    assert numbers == sorted(set(numbers))
    assert "0003_console" in versions


def test_one_persons_turns_on_two_replicas_run_one_at_a_time_in_arrival_order(
    postgres_url: str,
) -> None:
    async def scenario() -> list[str]:
        one, two = PostgresTurnLocks(postgres_url), PostgresTurnLocks(postgres_url)
        log: list[str] = []
        first_holds = asyncio.Event()

        async def turn(locks: PostgresTurnLocks, name: str, key: UserKey = FIRST) -> None:
            async with locks.hold(key):
                log.append(f"{name} starts")
                if name == "a":
                    first_holds.set()
                await asyncio.sleep(0.2)
                log.append(f"{name} ends")

        a = asyncio.create_task(turn(one, "a"))
        await first_holds.wait()
        b = asyncio.create_task(turn(two, "b"))  # another replica, same person
        await asyncio.sleep(0.1)
        c = asyncio.create_task(turn(one, "c"))  # the first replica again, later
        await asyncio.sleep(0.05)
        other = asyncio.create_task(turn(two, "other", person(2)))  # someone else: no wait
        await asyncio.gather(a, b, c, other)
        await one.aclose()
        await two.aclose()
        return log

    log = asyncio.run(scenario())

    mine = [entry for entry in log if not entry.startswith("other")]
    assert mine == ["a starts", "a ends", "b starts", "b ends", "c starts", "c ends"]
    assert log.index("other starts") < log.index("b starts")


def test_a_turn_lock_key_is_stable_and_differs_between_people() -> None:
    assert lock_key(FIRST) == lock_key(UserKey("telegram", "1"))
    assert lock_key(FIRST) != lock_key(person(2))
    assert -(2**63) <= lock_key(FIRST) < 2**63


def test_two_claimers_at_once_never_get_the_same_report(postgres_url: str) -> None:
    clock = FakeClock()
    db = PostgresDatabase(postgres_url)
    reports = [confirm(PostgresReportStore(db, clock), clock, person(n)) for n in range(40)]
    start = threading.Barrier(2)
    claimed: list[list[str]] = [[], []]

    def dispatcher(slot: int) -> None:
        own = PostgresDatabase(postgres_url, migrate=False)
        outbox = PostgresOutbox(own, clock)
        start.wait()
        while entries := outbox.due(clock.now(), limit=3):
            claimed[slot] += [entry.report_id for entry in entries]
            time.sleep(0.001)
        own.close()

    threads = [threading.Thread(target=dispatcher, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.close()

    assert set(claimed[0]).isdisjoint(claimed[1])
    assert sorted(claimed[0] + claimed[1]) == sorted(r.report_id for r in reports)


def test_a_report_claimed_by_a_replica_that_died_is_sent_again_after_the_lease(
    postgres_url: str,
) -> None:
    clock = FakeClock()
    db = PostgresDatabase(postgres_url)
    report = confirm(PostgresReportStore(db, clock), clock)
    dead = PostgresOutbox(db, clock, lease=timedelta(minutes=5))
    [claimed] = dead.due(clock.now())  # ...and the replica is killed before it records anything
    other = PostgresDatabase(postgres_url, migrate=False)
    survivor = PostgresOutbox(other, clock)

    assert survivor.due(clock.now()) == []
    assert survivor.next_attempt_at() == clock.now() + timedelta(minutes=5)
    clock.advance(minutes=5)
    [again] = survivor.due(clock.now())
    assert (again.report_id, again.body) == (claimed.report_id, claimed.body)  # same key, body
    assert survivor.mark_delivered(report.report_id, "MCMC-1", "received")
    assert not dead.mark_delivered(report.report_id, "MCMC-1", "received")
    db.close()
    other.close()


def test_two_alert_senders_never_claim_the_same_recipient(postgres_url: str) -> None:
    clock = FakeClock()
    db = PostgresDatabase(postgres_url)
    for n in range(30):
        PostgresSubscriptions(db, clock).subscribe(person(n), "ms")
    PostgresBroadcasts(db, clock).queue(Alert("2026-11-24-x", {"ms": "Awas"}, clock.now()))
    one = PostgresBroadcasts(db, clock)
    other = PostgresDatabase(postgres_url, migrate=False)
    two = PostgresBroadcasts(other, clock)

    first, second = one.due(clock.now(), 20, frozenset()), two.due(clock.now(), 20, frozenset())
    assert (len(first), len(second)) == (20, 10)
    assert {d.user_key for d in first}.isdisjoint({d.user_key for d in second})
    for delivery in second:
        two.record(delivery, Outcome.SENT, clock.now(), None)
    assert one.counts().sent == 10 and one.counts().waiting == 20
    db.close()
    other.close()


def test_the_alert_cap_holds_across_two_replicas(postgres_url: str) -> None:
    """Each replica would allow 5 a second on its own; together they still send 5."""
    dbs = PostgresDatabase(postgres_url), PostgresDatabase(postgres_url, migrate=False)
    one, two = (PostgresSendQuota(db, per_second=5) for db in dbs)

    waits = [quota.take() for _ in range(6) for quota in (one, two)]

    assert waits.count(0.0) == 5
    assert all(0 < wait <= 1.0 for wait in waits if wait)
    time.sleep(max(waits) + 0.01)
    assert one.take() == 0.0
    for db in dbs:
        db.close()


def test_a_postgresql_url_selects_the_shared_store_and_its_password_is_never_shown() -> None:
    url = "postgresql://waspada:s3cret@db.internal/waspada"
    settings = Settings.from_env({"WASPADA_DATABASE_URL": url})
    assert settings.postgres_url == url
    assert "s3cret" not in repr(settings)
    assert Settings.from_env({}).postgres_url is None
    with pytest.raises(ConfigError, match="WASPADA_DATABASE_URL"):
        Settings.from_env({"WASPADA_DATABASE_URL": "mysql://db/waspada"})


def test_the_bot_builds_its_stores_on_postgresql_when_the_url_says_so(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = Settings.from_env(
        {"WASPADA_DATA_DIR": str(tmp_path), "WASPADA_DATABASE_URL": postgres_url}
    )
    stores = open_stores(settings, FakeClock())
    assert isinstance(stores.db, PostgresDatabase) and stores.ping()
    assert isinstance(stores.turn_locks, PostgresTurnLocks)
    assert not (tmp_path / "waspada.db").exists()
    stores.db.close()
