"""The dispatcher against the reference complaint API on 127.0.0.1: every report reaches the API
exactly once, whatever the API answers and however the dispatcher is stopped."""

from __future__ import annotations

import asyncio
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.complaint_api.client import ComplaintApiClient
from bot.complaint_api.server import ComplaintStore, Handler, build_app
from bot.core.clock import SystemClock
from bot.core.identity import UserKey
from bot.core.report import Report
from bot.core.report_events import StatusChange
from bot.core.secret import Secret
from bot.delivery.dispatcher import Dispatcher
from bot.storage.database import open_database
from bot.storage.outbox import SqliteOutbox
from bot.storage.reports import SqliteReportStore
from tests.fakes.clock import FakeClock
from tests.fakes.complaint_api import TOKEN, ComplaintApiServer
from tests.fakes.doubles import FakeTranslator
from tests.fakes.loopback import LoopbackServer
from tests.support.delivery import RecordingAlerts, cli_env
from tests.support.people import FIRST, person
from tests.support.reports import STORY, confirm
from tests.support.waiting import eventually


class ProcessKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even `except Exception`."""


class KilledBeforeMarking(SqliteOutbox):
    def mark_delivered(self, report_id: str, complaint_id: str, status: str | None) -> bool:
        raise ProcessKilled


@dataclass
class Desk:
    """Our side: the store on a real file, a fake clock, what admins and reporters were told."""

    store: SqliteReportStore
    outbox: SqliteOutbox
    clock: FakeClock
    api: ComplaintApiServer
    alerts: RecordingAlerts = field(default_factory=RecordingAlerts)
    told: list[StatusChange] = field(default_factory=list)

    async def tell(self, change: StatusChange) -> None:
        self.told.append(change)

    def client(self, base_url: str | None = None, token: str = TOKEN) -> ComplaintApiClient:
        return ComplaintApiClient(base_url or self.api.base_url, Secret(token), timeout=5)

    def dispatcher(self, client: ComplaintApiClient, **options: Any) -> Dispatcher:
        settings: dict[str, Any] = {
            "alert_after": timedelta(minutes=30),
            "poll_every": timedelta(minutes=5),
            "rng": random.Random(7),  # noqa: S311 - repeatable jitter
        }
        settings.update(options)
        notify = settings.pop("notify", self.tell)
        return Dispatcher(self.outbox, client, self.clock, self.alerts, notify=notify, **settings)

    def complaint(self, report: Report) -> dict[str, Any] | None:
        server = ComplaintStore.open(self.api.db_path)
        try:
            return server.complaint_for_report(report.report_id)
        finally:
            server.close()

    def delivery(self, report: Report, user_key: UserKey = FIRST) -> tuple[str, str | None]:
        [summary] = [s for s in self.store.summaries(user_key) if s.reference == report.reference]
        return summary.delivery, summary.complaint_id


@pytest.fixture
def api(complaint_api: ComplaintApiServer) -> ComplaintApiServer:
    return complaint_api


@pytest.fixture
def desk(tmp_path: Path, api: ComplaintApiServer) -> Desk:
    clock = FakeClock()
    db = open_database(tmp_path / "data" / "waspada.db")
    return Desk(SqliteReportStore(db, clock), SqliteOutbox(db, clock), clock, api)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_report_resent_after_a_crash_before_marking_gets_the_same_complaint_not_a_new_one(
    desk: Desk, tmp_path: Path
) -> None:
    report = confirm(desk.store, desk.clock)
    crashing = KilledBeforeMarking(open_database(tmp_path / "data" / "waspada.db"), desk.clock)

    async def scenario() -> int:
        async with desk.client() as client:
            first = Dispatcher(
                crashing,
                client,
                desk.clock,
                desk.alerts,
                notify=desk.tell,
                alert_after=timedelta(minutes=30),
                poll_every=timedelta(minutes=5),
            )
            with pytest.raises(ProcessKilled):
                await first.run_once()
            assert desk.delivery(report) == ("queued", None)
            return await desk.dispatcher(client).run_once()

    assert asyncio.run(scenario()) == 1
    complaint = desk.complaint(report)
    assert complaint is not None
    assert desk.delivery(report) == ("delivered", complaint["complaint_id"])
    assert desk.api.complaints() == 1
    assert [c.status for c in desk.told] == ["received"]


def test_api_failing_a_few_times_is_retried_with_growing_jittered_waits_then_filed_once(
    desk: Desk,
) -> None:
    report = confirm(desk.store, desk.clock)
    desk.api.faults.fail_next.extend([503, 502, 503, 500])
    ceilings = [1, 2, 4, 5]

    async def scenario() -> None:
        async with desk.client() as client:
            dispatcher = desk.dispatcher(
                client, base_delay=timedelta(seconds=1), max_delay=timedelta(seconds=5)
            )
            for attempt, ceiling in enumerate(ceilings, start=1):
                assert await dispatcher.run_once() == 0
                [entry] = desk.outbox.due(desk.clock.now() + timedelta(days=1))
                wait = entry.next_attempt_at - desk.clock.now()
                assert timedelta(0) <= wait <= timedelta(seconds=ceiling)
                assert entry.attempts == attempt
                assert await dispatcher.run_once() == 0  # not due yet: nothing sent
                assert len(desk.api.faults.fail_next) == len(ceilings) - attempt
                desk.clock.moment = entry.next_attempt_at
            assert await dispatcher.run_once() == 1

    asyncio.run(scenario())
    assert desk.delivery(report)[0] == "delivered"
    assert desk.api.complaints() == 1
    assert desk.alerts.texts == []


def test_an_api_answering_after_the_timeout_still_ends_with_one_complaint(desk: Desk) -> None:
    report = confirm(desk.store, desk.clock)
    desk.api.faults.delay = 1.0  # the API files it, but answers after we stopped waiting

    async def scenario() -> None:
        async with ComplaintApiClient(desk.api.base_url, Secret(TOKEN), timeout=0.3) as client:
            dispatcher = desk.dispatcher(client)
            assert await dispatcher.run_once() == 0
            [entry] = desk.outbox.due(desk.clock.now() + timedelta(days=1))
            assert entry.attempts == 1
            await asyncio.sleep(1.0)  # the stalled request completes on the server
            desk.api.faults.delay = 0
            desk.clock.moment = entry.next_attempt_at
            assert await dispatcher.run_once() == 1

    asyncio.run(scenario())
    assert desk.delivery(report)[0] == "delivered"
    assert desk.api.complaints() == 1, "the resend under the same key gets the same complaint"
    assert [c.status for c in desk.told] == ["received"]


def test_two_dispatchers_sending_the_same_report_file_one_complaint_and_tell_once(
    desk: Desk,
) -> None:
    report = confirm(desk.store, desk.clock)
    desk.api.faults.delay = 0.3  # both have read the outbox before either hears back

    async def scenario() -> None:
        async with desk.client() as one, desk.client() as other:
            sent = await asyncio.gather(
                desk.dispatcher(one).run_once(), desk.dispatcher(other).run_once()
            )
            assert sorted(sent) == [1, 1], "both were accepted: 201, then 200 for the same key"

    asyncio.run(scenario())
    assert desk.api.complaints() == 1
    assert desk.delivery(report)[0] == "delivered"
    assert [c.status for c in desk.told] == ["received"], "the reporter hears once"


def test_throttled_dispatcher_waits_the_full_retry_after_before_sending_anything(
    desk: Desk,
) -> None:
    first = confirm(desk.store, desk.clock, description="first")
    second = confirm(desk.store, desk.clock, description="second")
    desk.api.faults.fail_next.append(429)
    desk.api.faults.retry_after = 7

    async def scenario() -> list[int]:
        async with desk.client() as client:
            dispatcher = desk.dispatcher(client)
            sent = [await dispatcher.run_once()]
            [untried, entry] = desk.outbox.due(desk.clock.now() + timedelta(days=1))
            assert (entry.report_id, untried.attempts) == (first.report_id, 0)
            assert entry.next_attempt_at == desk.clock.now() + timedelta(seconds=7)
            assert entry.attempts == 1
            desk.clock.advance(seconds=6.9)
            sent.append(await dispatcher.run_once())
            assert desk.api.complaints() == 0
            desk.clock.advance(seconds=0.1)
            sent.append(await dispatcher.run_once())
            return sent

    assert asyncio.run(scenario()) == [0, 0, 2]
    assert desk.delivery(first)[0] == desk.delivery(second)[0] == "delivered"
    assert desk.api.complaints() == 2


def test_report_the_api_calls_invalid_is_never_retried_and_reporter_and_admins_hear_of_it(
    desk: Desk,
) -> None:
    report = confirm(desk.store, desk.clock, content_urls=("not a link",))

    async def scenario() -> list[int]:
        async with desk.client() as client:
            dispatcher = desk.dispatcher(client)
            sent = [await dispatcher.run_once()]
            desk.clock.advance(days=1)
            sent.append(await dispatcher.run_once())
            return sent

    assert asyncio.run(scenario()) == [0, 0]
    assert desk.delivery(report) == ("rejected", None)
    assert desk.outbox.waiting() == 0
    assert desk.api.complaints() == 0
    [alert] = desk.alerts.texts
    assert report.reference in alert and "content_urls[0]" in alert
    assert "not a link" not in alert and STORY not in alert
    assert desk.told == [StatusChange(person(1), report.reference, None, "not_accepted", "ms")]


def test_refused_credentials_hold_every_report_alert_once_and_a_restart_sends_them(
    desk: Desk,
) -> None:
    reports = [confirm(desk.store, desk.clock, description=f"report {i}") for i in range(2)]

    async def scenario() -> int:
        async with desk.client(token="revoked-token") as wrong:  # noqa: S106
            dispatcher = desk.dispatcher(wrong)
            assert await dispatcher.run_once() == 0
            desk.clock.advance(hours=1)
            reports.append(confirm(desk.store, desk.clock, description="filed meanwhile"))
            assert await dispatcher.run_once() == 0
        assert {desk.delivery(r)[0] for r in reports} == {"held"}
        assert desk.outbox.due(desk.clock.now() + timedelta(days=1)) == []
        async with desk.client() as fixed:
            return await desk.dispatcher(fixed).run_once()

    assert asyncio.run(scenario()) == 3
    [alert] = desk.alerts.texts
    assert "2 report(s) are held" in alert and "COMPLAINT_API_TOKEN" in alert
    assert {desk.delivery(r)[0] for r in reports} == {"delivered"}
    assert desk.api.complaints() == 3


def test_api_unreachable_for_hours_keeps_reports_and_tells_admins_once_per_report(
    desk: Desk,
) -> None:
    early = confirm(desk.store, desk.clock, description="early")
    filed_at = desk.clock.now()
    alerted_at: list[timedelta] = []
    late: list[Report] = []

    async def scenario() -> int:
        async with desk.client(base_url=f"http://127.0.0.1:{closed_port()}") as down:
            dispatcher = desk.dispatcher(down)
            for minute in range(1, 181):
                desk.clock.advance(minutes=1)
                if minute == 60:
                    late.append(confirm(desk.store, desk.clock, description="late"))
                assert await dispatcher.run_once() == 0
                if len(desk.alerts.texts) > len(alerted_at):
                    alerted_at.append(desk.clock.now() - filed_at)
        assert desk.outbox.due(desk.clock.now() + timedelta(days=1))[0].attempts > 5
        async with desk.client() as back:
            desk.clock.advance(minutes=10)
            return await desk.dispatcher(back).run_once()

    assert asyncio.run(scenario()) == 2
    assert alerted_at == [timedelta(minutes=31), timedelta(minutes=91)]
    first, second = desk.alerts.texts
    assert early.reference in first and "waited more than 30 min" in first
    assert late[0].reference in second and early.reference not in second
    assert "unavailable ConnectError" in first
    assert desk.api.complaints() == 2


def test_official_status_changes_reach_the_reporter_once_each(desk: Desk) -> None:
    report = confirm(desk.store, desk.clock)

    async def scenario() -> list[int]:
        async with desk.client() as client:
            dispatcher = desk.dispatcher(client)
            await dispatcher.run_once()
            _, complaint_id = desk.delivery(report)
            assert complaint_id is not None
            changes = [await dispatcher.poll_statuses()]
            desk.api.set_status(complaint_id, "in_review")
            changes += [await dispatcher.poll_statuses(), await dispatcher.poll_statuses()]
            desk.api.set_status(complaint_id, "closed")
            changes += [await dispatcher.poll_statuses(), await dispatcher.poll_statuses()]
            return changes

    assert asyncio.run(scenario()) == [0, 1, 0, 1, 0]
    assert [c.status for c in desk.told] == ["received", "in_review", "closed"]
    assert {(c.user_key, c.reference, c.language) for c in desk.told} == {
        (person(1), report.reference, "ms")
    }
    assert desk.outbox.open_complaints() == []


def test_stopping_the_dispatcher_finishes_the_send_in_flight_and_records_it(
    desk: Desk,
) -> None:
    report = confirm(desk.store, desk.clock)
    desk.api.faults.delay = 0.5

    async def scenario() -> None:
        stop = asyncio.Event()
        async with desk.client() as client:
            dispatcher = Dispatcher(
                desk.outbox,
                client,
                SystemClock(),
                desk.alerts,
                notify=desk.tell,
                alert_after=timedelta(minutes=30),
                poll_every=timedelta(minutes=5),
            )
            running = asyncio.create_task(dispatcher.run(stop))
            await asyncio.sleep(0.2)
            stop.set()
            await asyncio.wait_for(running, 5)

    asyncio.run(scenario())
    assert desk.delivery(report)[0] == "delivered"
    assert desk.api.complaints() == 1


# --- the command line, killed for real ----------------------------------------------------


class SlowAnswerApi:
    """The reference API, answering `answer_delay` after it filed the complaint: the window in
    which a killed dispatcher has been heard by the API but has not recorded the answer."""

    def __init__(self, db_path: Path, answer_delay: float) -> None:
        self.db_path = db_path

        @web.middleware
        async def slow_answer(request: web.Request, handler: Handler) -> web.StreamResponse:
            response = await handler(request)
            await asyncio.sleep(answer_delay)
            return response

        app = build_app(db_path, TOKEN)
        app.middlewares.insert(0, slow_answer)
        self.server = LoopbackServer(app).start()

    def complaints(self, report_id: str | None = None) -> int:
        store = ComplaintStore.open(self.db_path)
        try:
            return store.count(report_id)
        finally:
            store.close()


WASPADA = str(Path(sys.executable).parent / "waspada")


def delivered_count(store: SqliteReportStore) -> int:
    return sum(s.delivery == "delivered" for s in store.summaries(person(1)))


@pytest.mark.e2e
def test_deliver_once_sends_what_is_due_and_says_how_many(desk: Desk, tmp_path: Path) -> None:
    for i in range(2):
        confirm(desk.store, SystemClock(), description=f"report {i}")
    env = cli_env(tmp_path / "data", desk.api.base_url)

    done = subprocess.run(
        [WASPADA, "outbox", "deliver", "--once"], env=env, capture_output=True, text=True
    )
    unset = subprocess.run(
        [WASPADA, "outbox", "deliver", "--once"],
        env={**env, "COMPLAINT_API_URL": ""},
        capture_output=True,
        text=True,
    )

    assert (done.returncode, done.stdout) == (0, "delivered 2, waiting 0\n")
    assert desk.api.complaints() == 2
    assert STORY not in done.stderr and "report 0" not in done.stderr
    assert unset.returncode == 2 and "COMPLAINT_API_URL is not set" in unset.stderr


@pytest.mark.e2e
def test_dispatcher_killed_at_random_moments_still_files_every_report_exactly_once(
    tmp_path: Path,
) -> None:
    clock = SystemClock()
    db = open_database(tmp_path / "data" / "waspada.db")
    store, outbox = SqliteReportStore(db, clock), SqliteOutbox(db, clock)
    reports = [confirm(store, clock, description=f"report {i}") for i in range(10)]
    api = SlowAnswerApi(tmp_path / "api" / "complaints.db", answer_delay=0.3)
    env = cli_env(tmp_path / "data", api.server.base_url)
    log_file = tmp_path / "dispatcher.log"
    chance = random.Random(2026)  # noqa: S311 - repeatable kill times
    heard_but_not_recorded = 0

    try:
        with log_file.open("w") as log:
            for round_ in range(6):
                process = subprocess.Popen(
                    [WASPADA, "outbox", "deliver"], env=env, stdout=log, stderr=log
                )
                reports.append(confirm(store, clock, description=f"while running {round_}"))
                if round_ % 2:
                    # Inside the window: the API has filed one we have not recorded yet.
                    eventually(
                        lambda: api.complaints() > delivered_count(store),
                        "the API files a complaint the dispatcher has not recorded",
                        poll=0.005,
                    )
                else:
                    time.sleep(chance.uniform(0.4, 1.2))  # any moment: starting, idle, sending
                process.send_signal(signal.SIGKILL)
                process.wait(10)
                heard_but_not_recorded += api.complaints() > delivered_count(store)

            process = subprocess.Popen(
                [WASPADA, "outbox", "deliver"], env=env, stdout=log, stderr=log
            )
            deadline = time.monotonic() + 60
            while outbox.waiting() and time.monotonic() < deadline:
                time.sleep(0.2)
            process.send_signal(signal.SIGTERM)
            assert process.wait(10) == 0
    finally:
        api.server.stop()

    summaries = store.summaries(person(1))
    assert len(summaries) == len(reports) == 16
    assert all(s.delivery == "delivered" and s.complaint_id for s in summaries)
    assert api.complaints() == len(reports)
    assert all(api.complaints(r.report_id) == 1 for r in reports)
    assert len({s.complaint_id for s in summaries}) == len(reports)
    assert heard_but_not_recorded >= 1, "no kill landed between the API's filing and our record"
    logged = log_file.read_text()
    assert "report 3" not in logged and "telegram:1" not in logged and "Aminah" not in logged


def test_status_changes_seen_by_a_standalone_dispatcher_reach_the_reporter_through_the_bot(
    desk: Desk,
) -> None:
    """The probe: with `waspada outbox deliver` beside the bot only 2 of 8 reporters were told,
    because whichever dispatcher saw a change first was the only one that knew of it."""
    from bot.app import tell_reporter
    from bot.core.messages import Reply
    from bot.storage.notices import SqliteNotices

    report = confirm(desk.store, desk.clock)
    notices = SqliteNotices(desk.outbox._db)

    async def standalone_then_bot() -> list[tuple[UserKey, str]]:
        async with desk.client() as client:
            standalone = desk.dispatcher(client, notify=notices.hand_over)
            await standalone.run_once()
            _, complaint_id = desk.delivery(report)
            assert complaint_id is not None
            desk.api.set_status(complaint_id, "in_review")
            await standalone.poll_statuses()
        sent: list[tuple[UserKey, str]] = []

        async def send(user_key: UserKey, reply: Reply) -> None:
            sent.append((user_key, reply.text))

        for _ in range(2):  # the bot's loop comes round twice
            for notice_id, change in notices.waiting():
                await tell_reporter(FakeTranslator(), send, change)  # type: ignore[arg-type]
                notices.done(notice_id)
        return sent

    sent = asyncio.run(standalone_then_bot())
    assert [user for user, _ in sent] == [person(1), person(1)], (
        "received, then in review: once each"
    )
    assert all(report.reference in text for _, text in sent)
    assert desk.told == [], "the standalone dispatcher told nobody itself"
    assert notices.waiting() == []
