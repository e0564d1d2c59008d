"""Staff log-in rules without a browser: the store on in-memory SQLite, a fake clock."""

from __future__ import annotations

import pytest

from bot.core.staff_accounts import (
    LogIn,
    StaffAuth,
    hash_password,
    password_matches,
    password_problem,
    token_hash,
)
from bot.storage.database import open_database
from bot.storage.staff import SqliteStaffStore
from tests.fakes.clock import FakeClock

PASSWORD = "a long enough staff password"  # noqa: S105 - a test account's


Auth = tuple[StaffAuth, SqliteStaffStore, FakeClock]


@pytest.fixture
def auth() -> Auth:
    store = SqliteStaffStore(open_database(":memory:"))
    clock = FakeClock()
    store.add_account("wei", hash_password(PASSWORD), clock.now())
    return StaffAuth(store, clock), store, clock


def test_a_password_is_salted_and_checked_against_its_own_parameters() -> None:
    one, two = hash_password(PASSWORD), hash_password(PASSWORD)
    assert one.salt_hex != two.salt_hex and one.hash_hex != two.hash_hex
    assert password_matches(PASSWORD, one) and not password_matches(PASSWORD + "!", one)


def test_short_passwords_and_names_with_spaces_are_refused() -> None:
    assert password_problem("wei", "eleven char") is not None
    assert password_problem("wei", "") is not None
    assert password_problem("wei chen", PASSWORD) is not None
    assert password_problem("wei", "twelve chars") is None


def test_a_right_password_in_between_starts_the_count_of_failures_again(auth: Auth) -> None:
    staff, _store, _clock = auth
    for _ in range(4):
        assert staff.log_in("wei", "wrong").outcome is LogIn.REFUSED
    assert staff.log_in("wei", PASSWORD).outcome is LogIn.OK
    for _ in range(4):
        assert staff.log_in("wei", "wrong").outcome is LogIn.REFUSED
    assert staff.log_in("wei", "wrong").outcome is LogIn.LOCKED


def test_after_a_lock_runs_out_one_failure_does_not_lock_again(auth: Auth) -> None:
    staff, _store, clock = auth
    for _ in range(5):
        staff.log_in("wei", "wrong")
    clock.advance(minutes=15)
    assert staff.log_in("wei", "wrong").outcome is LogIn.REFUSED
    assert staff.log_in("wei", PASSWORD).outcome is LogIn.OK


def test_only_the_hash_of_a_session_cookie_is_stored_and_it_expires(auth: Auth) -> None:
    staff, store, clock = auth
    token = staff.log_in("wei", PASSWORD).token
    assert token is not None
    assert store.session(token) is None and store.session(token_hash(token)) is not None
    session = staff.session(token)
    assert session is not None and staff.csrf_ok(session, session.csrf_token)
    assert not staff.csrf_ok(session, None) and not staff.csrf_ok(session, "x")
    clock.advance(hours=12)
    assert staff.session(token) is None


def test_removing_an_account_ends_its_sessions(auth: Auth) -> None:
    staff, store, _clock = auth
    token = staff.log_in("wei", PASSWORD).token
    assert store.remove_account("wei")
    assert staff.session(token) is None
    assert staff.log_in("wei", PASSWORD).outcome is LogIn.REFUSED


def test_an_unknown_name_is_locked_like_a_real_one_so_the_lock_names_no_one(auth: Auth) -> None:
    staff, _store, clock = auth
    outcomes = {n: [staff.log_in(n, "wrong").outcome for _ in range(6)] for n in ("wei", "x")}
    assert outcomes["wei"] == outcomes["x"]
    assert outcomes["x"][-2:] == [LogIn.LOCKED, LogIn.LOCKED]
    clock.advance(minutes=15)
    assert staff.log_in("x", "wrong").outcome is LogIn.REFUSED
