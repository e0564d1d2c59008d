"""One contract for both engines: everything a person or staff would notice of the store,
run against a SQLite file and against a real PostgreSQL database (`tests/support/postgres.py`).

A "replica" here is a second set of stores on its own connection to the same database, as a
second process would have. What only PostgreSQL promises (claims, shared quotas, advisory
locks, concurrent migrations) is in `tests/test_postgres_store.py`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.app_stores import Stores, postgres_stores, sqlite_stores
from bot.core.alerts import Alert, Outcome
from bot.core.report import Report
from bot.core.review_entry import ReviewItem
from bot.core.session import Session
from bot.core.staff_accounts import (
    LOCK_FOR,
    SESSION_FOR,
    AuditEntry,
    LogIn,
    StaffAccount,
    StaffAuth,
    StaffSession,
    hash_password,
    token_hash,
)
from bot.core.sweeps import run_sweeps
from bot.settings import Settings
from bot.storage.database import open_database
from bot.storage.postgres.database import PostgresDatabase
from tests.fakes.clock import FakeClock
from tests.support.people import FIRST, person
from tests.support.reports import confirm, draft

Replica = Callable[[], Stores]
STAFF = "aisyah"
PASSWORD = "a long enough staff password"  # noqa: S105 - a test account's


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["sqlite", "postgres"])
def replica(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Replica]:
    """Opens the stores of one more process on the test's database; the ones opened in the
    test's thread are closed after it (other threads close their own)."""
    opened: list[Stores] = []
    if request.param == "sqlite":
        path = tmp_path / "waspada.db"

        def new() -> Stores:
            stores = sqlite_stores(open_database(path), clock)
            if threading.current_thread() is threading.main_thread():
                opened.append(stores)
            return stores

    else:
        url = request.getfixturevalue("postgres_url")

        def new() -> Stores:
            stores = postgres_stores(PostgresDatabase(url), clock)
            opened.append(stores)
            return stores

    yield new
    for stores in opened:
        stores.db.close()


@pytest.fixture
def stores(replica: Replica) -> Stores:
    return replica()


def test_a_person_comes_back_to_their_language_and_place_in_a_report(stores: Stores) -> None:
    session = Session(
        FIRST,
        chosen_language="ms",
        last_language="ms",
        flow="report",
        flow_state={"step": "platform", "answers": {"category": "scam", "links": ["a", "b"]}},
        context={"topic": "faq_scam_victim", "risks": ["self_harm"]},
        answered={"last": "faq_phishing", "question": "[redacted] link"},
    )
    stores.sessions.save(session)

    assert stores.sessions.load(FIRST) == session
    assert stores.sessions.load(person(2)) == Session(person(2))


def test_abandoned_reports_lose_their_place_but_keep_the_language(
    stores: Stores, clock: FakeClock
) -> None:
    stores.sessions.save(Session(FIRST, chosen_language="zh_Hans", flow="report"))
    clock.advance(days=8)

    assert stores.sessions.drop_abandoned_flows(clock.now() - timedelta(days=7)) == 1
    assert stores.sessions.load(FIRST) == Session(FIRST, chosen_language="zh_Hans")


def test_a_filed_report_waits_in_the_outbox_with_the_body_the_api_will_get(
    stores: Stores, clock: FakeClock
) -> None:
    report = confirm(stores.reports, clock)

    [entry] = stores.outbox.due(clock.now())
    assert entry.body == report.api_body()
    assert (entry.reference, entry.attempts, entry.user_key) == (report.reference, 0, FIRST)
    [summary] = stores.reports.summaries(FIRST)
    assert (summary.reference, summary.delivery, summary.submitted_at) == (
        report.reference,
        "queued",
        clock.now(),
    )


def test_sending_the_same_report_again_within_30_days_is_recognised(
    stores: Stores, clock: FakeClock
) -> None:
    first = confirm(stores.reports, clock)
    clock.advance(days=29)
    fingerprint = draft().fingerprint()

    found = stores.reports.find_duplicate(FIRST, fingerprint)
    assert found is not None and found.reference == first.reference
    assert stores.reports.find_duplicate(person(2), fingerprint) is None
    clock.advance(days=2)
    assert stores.reports.find_duplicate(FIRST, fingerprint) is None


def test_the_daily_limit_counts_a_persons_reports_since_a_moment(
    stores: Stores, clock: FakeClock
) -> None:
    confirm(stores.reports, clock)
    clock.advance(hours=1)
    confirm(stores.reports, clock, description="Another scam entirely")
    confirm(stores.reports, clock, user_key=person(2))

    assert stores.reports.count_since(FIRST, clock.now() - timedelta(minutes=30)) == 1
    assert stores.reports.count_since(FIRST, clock.now() - timedelta(days=1)) == 2


def test_delivery_retry_and_official_status_reach_the_person_once_each(
    stores: Stores, clock: FakeClock
) -> None:
    report = confirm(stores.reports, clock)
    [entry] = stores.outbox.due(clock.now())
    stores.outbox.reschedule(entry.report_id, clock.now() + timedelta(minutes=1), 1, "503")
    assert stores.outbox.due(clock.now()) == []
    clock.advance(minutes=2)
    [entry] = stores.outbox.due(clock.now())
    assert entry.attempts == 1

    assert stores.outbox.mark_delivered(report.report_id, "MCMC-1", "received")
    assert not stores.outbox.mark_delivered(report.report_id, "MCMC-1", "received")
    assert stores.outbox.waiting() == 0
    [complaint] = stores.outbox.open_complaints()
    assert (complaint.complaint_id, complaint.user_key) == ("MCMC-1", FIRST)
    assert stores.outbox.set_official_status(report.report_id, "in_review", None)
    assert not stores.outbox.set_official_status(report.report_id, "in_review", None)
    assert [s.official_status for s in stores.reports.summaries(FIRST)] == ["in_review"]


def test_two_dispatchers_at_once_file_each_report_once_and_tell_each_reporter_once(
    replica: Replica, clock: FakeClock
) -> None:
    first = replica()
    reports = [confirm(first.reports, clock, user_key=person(n)) for n in range(12)]
    complaints: dict[str, str] = {}  # the API's side: one complaint per Idempotency-Key
    told: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def dispatcher() -> None:
        # SQLite connections belong to their thread: each dispatcher opens its own here.
        stores = replica()
        start.wait()
        try:
            while entries := stores.outbox.due(clock.now(), limit=3):
                for entry in entries:
                    with lock:
                        complaint = complaints.setdefault(entry.report_id, f"C-{len(complaints)}")
                    if stores.outbox.mark_delivered(entry.report_id, complaint, "received"):
                        with lock:
                            told.append(entry.report_id)
        except BaseException as error:
            errors.append(error)
        finally:
            stores.db.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(told) == sorted(r.report_id for r in reports)
    assert len(complaints) == len(reports)
    assert first.outbox.waiting() == 0


def test_a_screenshot_follows_its_complaint_and_its_bytes_are_then_erased(
    stores: Stores, clock: FakeClock
) -> None:
    kept = stores.evidence.keep(FIRST, b"\x89PNG fake", "image/png")
    dropped = stores.evidence.keep(FIRST, b"\x89PNG other", "image/png")
    stores.evidence.discard(FIRST, [dropped])
    report = Report(
        draft=draft(),
        channel="telegram",
        submitted_at=clock.now(),
        user_key=FIRST,
        evidence_ids=(kept,),
    )
    stores.reports.file(report)
    assert stores.evidence.evidence_due(clock.now()) == []  # no complaint id yet

    stores.outbox.mark_delivered(report.report_id, "MCMC-9", "received")
    [pending] = stores.evidence.evidence_due(clock.now())
    assert (pending.evidence_id, pending.complaint_id, pending.data) == (
        kept,
        "MCMC-9",
        b"\x89PNG fake",
    )
    stores.evidence.mark_evidence_uploaded(kept, "EV-1")
    [shot] = stores.evidence.screenshots(report.report_id)
    assert (shot["state"], shot["official_id"], bool(shot["has_bytes"])) == (
        "uploaded",
        "EV-1",
        False,
    )


def test_forget_leaves_nothing_of_the_person_in_any_store(stores: Stores, clock: FakeClock) -> None:
    other = person(2)
    for who in (FIRST, other):
        stores.sessions.save(Session(who, chosen_language="ms"))
        confirm(stores.reports, clock, user_key=who)
        stores.evidence.keep(who, b"img", "image/png")
        stores.subscriptions.subscribe(who, "ms")
        case = stores.cases.open(who, "ms", ("faq_scam_victim",), (), clock.now())
        stores.cases.attach_thread(case, f"thread-{who.id}")
        stores.staff_copies.record(f"thread-{who.id}", 7, clock.now())
        stores.review.keep(
            ReviewItem(who, "ms", "out_of_scope", "[redacted]", (("faq_a", 0.4),), (), date.today())
        )
    stores.broadcasts.queue(Alert("2026-11-24-test", {"ms": "Awas!"}, clock.now()))

    assert stores.forgetting.forget(FIRST) == 1

    assert stores.sessions.load(FIRST) == Session(FIRST)
    assert stores.reports.summaries(FIRST) == []
    assert not stores.subscriptions.is_subscribed(FIRST)
    assert stores.cases.cases_of(FIRST) == []
    assert stores.staff_copies.since(f"thread-{FIRST.id}", clock.now() - timedelta(days=1)) == []
    assert [e.text for e in stores.review.pending()] == ["[redacted]"]  # the other person's
    assert [d.user_key for d in stores.broadcasts.due(clock.now(), 10, frozenset())] == [other]
    [entry] = stores.outbox.due(clock.now())  # the forgotten report is withdrawn, not sent
    assert entry.user_key == other
    # The other person is untouched.
    assert stores.sessions.load(other).chosen_language == "ms"
    assert len(stores.reports.summaries(other)) == 1
    assert stores.subscriptions.is_subscribed(other)
    assert len(stores.cases.cases_of(other)) == 1


def test_an_alert_goes_to_each_subscriber_once_and_a_second_queue_sends_nothing(
    stores: Stores, clock: FakeClock
) -> None:
    stores.subscriptions.subscribe(FIRST, "ms")
    stores.subscriptions.subscribe(person(2), "zh_Hans")
    stores.subscriptions.follow_language(person(2), "en")
    alert = Alert("2026-11-24-fake-lhdn", {"ms": "Awas", "en": "Beware"}, clock.now(), "faq_a")

    assert stores.broadcasts.queue(alert) == 2
    assert stores.broadcasts.queue(alert) is None
    assert stores.broadcasts.alert(alert.name) == alert
    due = stores.broadcasts.due(clock.now(), 10, frozenset())
    assert sorted((d.user_key.id, d.language) for d in due) == [("1", "ms"), ("2", "en")]
    for delivery in due:
        stores.broadcasts.record(delivery, Outcome.SENT, clock.now(), None)
    assert stores.broadcasts.due(clock.now(), 10, frozenset()) == []
    assert stores.broadcasts.counts(alert.name).sent == 2
    clock.advance(days=31)
    assert stores.broadcasts.anonymise_settled(clock.now() - timedelta(days=30)) == 2
    assert stores.broadcasts.counts().sent == 2


def test_a_handoff_case_from_request_to_feedback(stores: Stores, clock: FakeClock) -> None:
    case = stores.cases.open(FIRST, "ms", ("faq_scam_victim",), ("self_harm",), clock.now())
    case = stores.cases.attach_thread(case, "42")
    assert stores.cases.open_case_of(FIRST) == case
    assert stores.cases.by_thread("42") == case
    assert stores.cases.queue_position(case) == 1
    assert stores.cases.still_waiting() == [case]
    assert stores.cases.open_cases() == [case]  # the staff console's list
    assert stores.cases.case(case.case_id) == case

    case = stores.cases.answered(stores.cases.flag(case))
    assert stores.cases.still_waiting() == []
    clock.advance(minutes=5)
    case = stores.cases.waiting(case, clock.now())
    assert case.waiting_since == clock.now() and case.flagged
    assert stores.cases.close(case, clock.now())
    assert not stores.cases.close(case, clock.now())
    assert stores.cases.open_case_of(FIRST) is None
    assert stores.cases.feedback(FIRST, helped=True)
    assert not stores.cases.feedback(FIRST, helped=True)
    assert stores.cases.feedback_counts() == {"helped": 1}
    clock.advance(days=31)
    assert stores.cases.drop_closed(clock.now() - timedelta(days=30)) == 1
    assert stores.cases.feedback_counts() == {"helped": 1}


def test_what_people_ask_is_counted_without_words_or_people(
    replica: Replica, clock: FakeClock
) -> None:
    one, two = replica(), replica()
    today = date(2026, 11, 24)
    one.usage.question(today, "ms", "direct", "faq_phishing")
    two.usage.question(today, "ms", "direct", "faq_phishing")
    two.usage.question(today, "en", "did_you_mean", "")
    one.usage.risks(today, "ms", ("self_harm", "self_harm", "child_safety"))
    two.usage.rating(today, "faq_phishing", "ms", helpful=False)

    [topic] = one.usage.counts_by_topic(7)
    assert (topic.day, topic.topic, topic.language, topic.count) == (
        today,
        "faq_phishing",
        "ms",
        2,
    )
    share = one.usage.direct_share(7)
    assert (share.total, share.share("direct")) == (3, 2 / 3)
    assert one.usage.direct_share(7, "en").counts["did_you_mean"] == 1
    assert [(d.day, d.outcome, d.count) for d in two.usage.outcomes_by_day(7)] == [
        (today, "did_you_mean", 1),
        (today, "direct", 2),
    ]
    assert sorted((r.risk, r.count) for r in one.usage.risk_counts(7)) == [
        ("child_safety", 1),
        ("self_harm", 1),
    ]
    [rating] = one.usage.helpful_by_topic(7)
    assert (rating.helpful, rating.unhelpful) == (0, 1)


def test_the_quick_exit_finds_every_message_id_of_a_chat(
    replica: Replica, clock: FakeClock
) -> None:
    one, two = replica(), replica()
    one.chat_log.record(100, 1)
    two.chat_log.record(100, 2)
    one.chat_log.record(200, 3)

    assert two.chat_log.deletable(100) == [2, 1]
    one.chat_log.forget(100, [2])
    assert two.chat_log.deletable(100) == [1]
    two.chat_log.forget_chat(100)
    assert one.chat_log.deletable(100) == []
    clock.advance(hours=49)
    assert one.chat_log.deletable(200) == []


def test_an_update_telegram_delivers_again_is_taken_by_one_replica_only(
    replica: Replica, clock: FakeClock, tmp_path: Path
) -> None:
    one, two = replica(), replica()
    assert one.updates.claim("telegram", 41), "the first copy is handled"
    assert not two.updates.claim("telegram", 41), "the redelivered copy, on another replica"
    assert not one.updates.claim("telegram", 41)
    assert two.updates.claim("telegram", 42)
    assert one.updates.claim("terminal", 41), "ids are per channel"

    clock.advance(hours=25)
    run_sweeps(one.sweeps(Settings(data_dir=tmp_path)), clock.now())
    assert two.updates.claim("telegram", 41), "ids are kept a day, then swept"


def test_two_replicas_claiming_the_same_updates_at_once_handle_each_once(
    replica: Replica,
) -> None:
    replica()  # the schema exists before the replicas start, as in a deployment
    taken: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def webhook() -> None:
        stores = replica()  # SQLite connections belong to their thread
        start.wait()
        try:
            for update_id in range(1, 61):
                if stores.updates.claim("telegram", update_id):
                    with lock:
                        taken.append(update_id)
        except BaseException as error:
            errors.append(error)
        finally:
            stores.db.close()

    threads = [threading.Thread(target=webhook) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(taken) == list(range(1, 61))


# -- the staff console ------------------------------------------------------------------------


def test_a_staff_account_is_added_once_and_removing_it_ends_its_sessions(
    stores: Stores, clock: FakeClock
) -> None:
    password = hash_password(PASSWORD)
    assert stores.staff.add_account(STAFF, password, clock.now())
    assert not stores.staff.add_account(STAFF, hash_password("another password"), clock.now())
    assert stores.staff.account(STAFF) == StaffAccount(STAFF, password)  # the first one stays
    assert stores.staff.account("wei") is None
    assert stores.staff.count_accounts() == 1
    session = StaffSession(STAFF, "csrf-token", clock.now() + SESSION_FOR)
    stores.staff.open_session(token_hash("cookie"), session, clock.now())

    assert stores.staff.remove_account(STAFF)
    assert not stores.staff.remove_account(STAFF)
    assert stores.staff.account(STAFF) is None
    assert stores.staff.session(token_hash("cookie")) is None
    assert stores.staff.count_accounts() == 0


def test_five_wrong_passwords_lock_an_account_on_every_console_for_fifteen_minutes(
    replica: Replica, clock: FakeClock
) -> None:
    one, two = replica(), replica()
    one.staff.add_account(STAFF, hash_password(PASSWORD), clock.now())
    first, second = StaffAuth(one.staff, clock), StaffAuth(two.staff, clock)
    for console in (first, second, first, second):
        assert console.log_in(STAFF, "a wrong password").outcome is LogIn.REFUSED
    assert second.log_in(STAFF, "a wrong password").outcome is LogIn.LOCKED

    account = one.staff.account(STAFF)
    assert account is not None and account.locked_until == clock.now() + LOCK_FOR
    assert first.log_in(STAFF, PASSWORD).outcome is LogIn.LOCKED
    clock.advance(minutes=14, seconds=59)
    assert second.log_in(STAFF, PASSWORD).outcome is LogIn.LOCKED
    clock.advance(seconds=1)
    assert first.log_in(STAFF, PASSWORD).outcome is LogIn.OK
    account = two.staff.account(STAFF)
    assert account is not None and (account.failed_logins, account.locked_until) == (0, None)
    # After the lock a wrong password counts from one again.
    assert second.log_in(STAFF, "a wrong password").outcome is LogIn.REFUSED


def test_a_console_session_is_found_by_its_cookies_hash_until_it_expires(
    replica: Replica, clock: FakeClock
) -> None:
    one, two = replica(), replica()
    one.staff.add_account(STAFF, hash_password(PASSWORD), clock.now())
    token = StaffAuth(one.staff, clock).log_in(STAFF, PASSWORD).token
    assert token is not None
    other = StaffAuth(two.staff, clock)

    session = other.session(token)
    assert session is not None
    assert (session.name, session.expires_at) == (STAFF, clock.now() + SESSION_FOR)
    assert two.staff.session(token_hash(token)) == session
    assert two.staff.session(token) is None  # only the cookie's hash is kept
    clock.advance(hours=12)
    assert other.session(token) is None
    # The next log-in sweeps the expired row away; log-out ends the new session.
    fresh = other.log_in(STAFF, PASSWORD).token
    assert fresh is not None and one.staff.session(token_hash(token)) is None
    live = StaffAuth(one.staff, clock).session(fresh)
    assert live is not None
    StaffAuth(one.staff, clock).log_out(fresh, live)
    assert other.session(fresh) is None


def test_the_audit_log_lists_what_staff_did_newest_first_from_every_console(
    replica: Replica, clock: FakeClock
) -> None:
    one, two = replica(), replica()
    written = [
        AuditEntry(clock.now(), STAFF, "log-in"),
        AuditEntry(clock.now(), STAFF, "viewed reports"),  # the same moment: written order
        AuditEntry(clock.now() + timedelta(seconds=1), "(unknown name)", "failed log-in"),
        AuditEntry(clock.now() + timedelta(seconds=2), STAFF, "close case", "case K7Q2"),
    ]
    for n, entry in enumerate(written):
        (one, two)[n % 2].staff.audit(entry)

    assert one.staff.recent_audit(10) == written[::-1]
    assert two.staff.recent_audit(2) == written[:1:-1]


def test_the_reports_page_counts_reports_by_state_and_age(stores: Stores, clock: FakeClock) -> None:
    empty = stores.dashboard.outbox_health(clock.now())
    assert (empty.waiting, empty.delivered_24h, empty.oldest_waiting) == (0, 0, None)
    assert empty.complaint_statuses == {}
    confirm(stores.reports, clock, user_key=person(1))
    clock.advance(hours=2)
    retried, held, rejected, *delivered = (
        confirm(stores.reports, clock, user_key=person(n)) for n in range(2, 8)
    )
    stores.outbox.reschedule(retried.report_id, clock.now() + timedelta(minutes=5), 1, "503")
    stores.outbox.hold(held.report_id, "401")
    stores.outbox.mark_rejected(rejected.report_id, "422")
    for report, status in zip(delivered, ("received", "in_review", None), strict=True):
        stores.outbox.mark_delivered(report.report_id, f"MCMC-{report.reference}", status)
    clock.advance(hours=1)

    health = stores.dashboard.outbox_health(clock.now())
    counts = (health.waiting, health.retrying, health.held, health.rejected, health.delivered_24h)
    assert counts == (1, 1, 1, 1, 3)
    assert health.oldest_waiting == timedelta(hours=3)
    statuses = {"in_review": 1, "not yet known": 1, "received": 1}
    assert health.complaint_statuses == statuses
    clock.advance(hours=23, minutes=1)  # a day after the deliveries
    later = stores.dashboard.outbox_health(clock.now())
    assert (later.delivered_24h, later.complaint_statuses) == (0, statuses)
