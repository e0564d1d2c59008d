"""The staff console, as staff use it: a real server on 127.0.0.1, a real SQLite file and a real
headless chromium (Debian's, through Selenium and chromedriver). The CSRF and cookie-flag stories
speak HTTP directly, since a browser never sends a form without its hidden field."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot.__main__ import main
from bot.app_stores import postgres_stores
from bot.core.staff_accounts import password_matches
from bot.storage.database import open_database
from bot.storage.postgres.database import PostgresDatabase
from bot.storage.staff import SqliteStaffStore
from bot.storage.timestamps import iso
from tests.fakes.clock import FakeClock
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.breakages import BREAKAGES
from tests.support.console_browser import (
    CLIENTS,
    PASSWORD,
    ConsoleServer,
    StaffBrowser,
    logged_in_client,
    nlu_copy,
    start_console,
    working_copy,
)
from tests.support.people import FIRST

pytestmark = pytest.mark.e2e
NAME = "aisyah"


def client_for(console: ConsoleServer) -> httpx.Client:
    client = httpx.Client(base_url=console.url)
    CLIENTS.append(client)
    return client


# -- logging in -------------------------------------------------------------------------------


@pytest.mark.browser
def test_staff_member_logs_in_and_sees_every_topic_in_three_languages(
    staff: StaffBrowser,
) -> None:
    staff.log_in(NAME)
    assert staff.path == "/answers"
    assert staff.text("#who") == NAME
    rows = staff.texts("#topics tbody tr")
    assert any(r.startswith("faq_phishing") for r in rows)
    assert len(rows) == len(list(working_copy_names()))

    staff.open("/answers/faq_phishing")
    english, malay, chinese = (staff.text(f"#lang-{c}") for c in ("en", "ms", "zh"))
    assert "Suspicious links and SMS" in english and "Don't open it" in english
    assert "Jangan buka" in malay
    assert "不要打开" in chinese
    # Contacts resolved from contacts.yml, in the text and in the table.
    assert "NSRC 997" in english
    contacts = staff.text("#contacts")
    assert "NSRC" in contacts and "https://" in contacts
    # The buttons under the answer, and the "More" page, as Telegram shows them.
    assert "More ▸" in english and "Main menu" in english
    assert "Common tricks" in english and "Checked on" in english
    # The bot's HTML: bold is <b>, nothing else leaks through as markup.
    bubble = staff.driver.find_element("css selector", "#lang-en .bubble b")
    assert bubble.text.startswith("Typed in your bank login")


def working_copy_names() -> Iterator[str]:
    from bot.content.answer_book import answer_files
    from bot.settings import PROJECT_ROOT

    return (p.stem for p in answer_files(PROJECT_ROOT / "responses"))


@pytest.mark.browser
def test_wrong_password_gets_the_same_words_as_an_unknown_name(staff: StaffBrowser) -> None:
    staff.log_in(NAME, "not the password at all")
    wrong = staff.text("#message")
    staff.log_in("nobody-here", "not the password at all")
    assert staff.text("#message") == wrong == "That name or password is wrong."
    assert staff.path == "/login"


@pytest.mark.browser
def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(staff: StaffBrowser) -> None:
    for _ in range(4):
        staff.log_in(NAME, "wrong password, again")
        assert "wrong" in staff.text("#message")
    staff.log_in(NAME, "wrong password, again")
    assert "locked for 15 minutes" in staff.text("#message")
    staff.log_in(NAME)  # the right password does not open a locked account
    assert "locked" in staff.text("#message") and staff.path == "/login"

    staff.console.clock.advance(minutes=14)
    staff.log_in(NAME)
    assert "locked" in staff.text("#message")
    staff.console.clock.advance(minutes=1)
    staff.log_in(NAME)
    assert staff.path == "/answers"


def test_a_lock_survives_a_restart_of_the_console(tmp_path: Path) -> None:
    first = start_console(tmp_path)
    first.add_account(NAME)
    client = client_for(first)
    for _ in range(5):
        page = client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf
        client.post("/login", data={"csrf": csrf[1], "name": NAME, "password": "x" * 12})
    first.stop()
    second = ConsoleServer(first.data_dir, clock=first.clock).start()
    try:
        client = client_for(second)
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
        assert csrf
        answer = client.post("/login", data={"csrf": csrf[1], "name": NAME, "password": PASSWORD})
        assert answer.status_code == 429 and "locked" in answer.text
    finally:
        second.stop()


@pytest.mark.browser
def test_logging_out_ends_the_session(staff: StaffBrowser) -> None:
    staff.log_in(NAME)
    cookie = staff.driver.get_cookie("waspada_console")
    assert cookie is not None
    staff.log_out()
    assert staff.path == "/login"
    staff.open("/answers")
    assert staff.path == "/login"
    # The old cookie, replayed, opens nothing either.
    replay = httpx.get(staff.console.url + "/answers", cookies={"waspada_console": cookie["value"]})
    assert replay.status_code == 303 and replay.headers["location"] == "/login"


@pytest.mark.browser
def test_session_cookie_is_http_only_and_same_site_strict(staff: StaffBrowser) -> None:
    staff.log_in(NAME)
    cookie = staff.driver.get_cookie("waspada_console")
    assert cookie is not None
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert cookie["secure"] is False  # plain http on 127.0.0.1 without --https-behind-proxy
    assert 11 * 3600 < cookie["expiry"] - time.time() <= 12 * 3600 + 5


def test_behind_an_https_proxy_the_session_cookie_is_secure(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    console = ConsoleServer(data, secure_cookies=True).start()
    console.add_account(NAME)
    try:
        client = client_for(console)
        page = client.get("/login")
        assert "Secure" in page.headers["set-cookie"]  # so httpx keeps it from plain http
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf
        answer = client.post(
            "/login",
            data={"csrf": csrf[1], "name": NAME, "password": PASSWORD},
            headers={"cookie": f"waspada_login_csrf={csrf[1]}"},
        )
        cookie = next(
            c for c in answer.headers.get_list("set-cookie") if c.startswith("waspada_console=")
        )
        assert cookie.startswith("waspada_console=")
        for flag in ("HttpOnly", "SameSite=Strict", "Secure", "Max-Age=43200", "Path=/"):
            assert flag in cookie, cookie
    finally:
        console.stop()


def test_a_post_without_its_csrf_token_is_refused(console: ConsoleServer) -> None:
    client, token = logged_in_client(console)
    assert client.post("/logout").status_code == 403
    assert client.post("/logout", data={"csrf": "guessed"}).status_code == 403
    # Log-in too: the form's token must match its cookie.
    stranger = client_for(console)
    refused = stranger.post("/login", data={"name": NAME, "password": PASSWORD})
    assert refused.status_code == 403
    # The session is still alive, and the right token logs out.
    assert client.get("/answers").status_code == 200
    assert client.post("/logout", data={"csrf": token}).status_code == 303
    assert client.get("/answers").status_code == 303


def test_every_page_carries_the_security_headers(console: ConsoleServer) -> None:
    client, _ = logged_in_client(console)
    for answer in (
        client.get("/login"),
        client.get("/answers"),
        client.get("/reports"),
        client.post("/logout"),  # 403
        httpx.get(console.url + "/answers"),  # 303 to the log-in
    ):
        csp = answer.headers["content-security-policy"]
        assert "script-src" not in csp and "default-src 'none'" in csp
        assert "'unsafe-inline'" not in csp
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "no-referrer"


@pytest.mark.browser
def test_with_no_account_the_log_in_page_says_how_to_create_one(
    chromium: object,
    tmp_path: Path,
) -> None:
    console = start_console(tmp_path)
    try:
        staff = StaffBrowser(chromium, console)
        staff.open("/login")
        assert "waspada staff add NAME" in staff.text("#no-accounts")
    finally:
        console.stop()


# -- answers ----------------------------------------------------------------------------------


@pytest.mark.browser
def test_broken_working_copy_answer_shows_the_problem_with_file_and_line(
    chromium: object,
    tmp_path: Path,
) -> None:
    draft = working_copy(tmp_path)
    phishing = draft / "faq_phishing.yml"
    breakage, _ = BREAKAGES["typed number"]
    phishing.write_text(breakage(phishing.read_text(encoding="utf-8")), encoding="utf-8")
    console = start_console(tmp_path, draft)
    console.add_account(NAME)
    try:
        staff = StaffBrowser(chromium, console)
        staff.log_in(NAME)
        assert "ok" in staff.text("#topic-faq_phishing")  # the live answers are fine
        staff.open("/answers?source=draft")
        assert staff.text("#source") == "working copy"
        assert "1 problem(s)" in staff.text("#topic-faq_phishing")
        staff.open("/check?source=draft")
        problems = staff.texts(".problem")
        assert len(problems) == 1
        line = staff.text(".problem .line")
        assert staff.text(".problem .file") == "faq_phishing.yml" and int(line) > 1
        assert "`997` is typed into the en text" in problems[0]
        assert "placeholder such as {contact.nsrc.phone}" in problems[0]
        staff.open("/check")
        assert "Every answer file passes" in staff.text("#verdict")
    finally:
        console.stop()


@pytest.mark.browser
def test_an_answer_reviewed_over_180_days_ago_is_flagged_stale(
    chromium: object,
    tmp_path: Path,
) -> None:
    draft = working_copy(tmp_path)
    deepfake = draft / "faq_deepfake.yml"
    text = re.sub(r"^reviewed: .*$", "reviewed: 2026-05-01", deepfake.read_text(), flags=re.M)
    deepfake.write_text(text, encoding="utf-8")
    console = start_console(tmp_path, draft)  # the fake clock says 2026-11-24
    console.add_account(NAME)
    try:
        staff = StaffBrowser(chromium, console)
        staff.log_in(NAME)
        staff.open("/answers?source=draft")
        assert "stale" in staff.text("#topic-faq_deepfake")
        assert "stale" not in staff.text("#topic-faq_phishing")
        staff.open("/answers/faq_deepfake?source=draft")
        assert "207 days ago" in staff.text("#reviewed")
        assert "older than 180 days" in staff.text("#stale")
    finally:
        console.stop()


# -- reports and the audit log ----------------------------------------------------------------

SECRET_WORDS = ("Siti Binti Rahman", "012-345 6789", "siti@example.my", "my neighbour's nudes")


def file_reports(console: ConsoleServer) -> None:
    """Reports in every state, each carrying personal data the page must never show."""
    now = console.clock.now()
    db = open_database(console.db_path)
    states = [
        ("queued", 0, None, None, 2),
        ("queued", 0, None, None, 30),
        ("queued", 3, None, None, 5),
        ("held", 1, None, None, 1),
        ("rejected", 1, None, None, 50),
        ("delivered", 1, "received", 1, 3),
        ("delivered", 1, "in_review", 2, 4),
        ("delivered", 1, "in_review", 30, 40),
        ("delivered", 1, None, 3, 4),
    ]
    for i, (delivery, attempts, status, delivered_hours, age_hours) in enumerate(states):
        report_id = f"r{i}"
        db["reports"].insert(  # type: ignore[union-attr]
            {
                "report_id": report_id,
                "reference": f"WSP-{i:05d}",
                "channel": "telegram",
                "user_key": f"telegram:{1000 + i}",
                "category": "financial_fraud",
                "description": SECRET_WORDS[3],
                "name": SECRET_WORDS[0],
                "phone": SECRET_WORDS[1],
                "email": SECRET_WORDS[2],
                "created_at": iso(now - timedelta(hours=age_hours)),
                "delivery": delivery,
                "official_status": status,
                "delivered_at": (
                    iso(now - timedelta(hours=delivered_hours)) if delivered_hours else None
                ),
            }
        )
        if delivery in ("queued", "held"):
            db["outbox"].insert(  # type: ignore[union-attr]
                {
                    "report_id": report_id,
                    "body": "{}",
                    "attempts": attempts,
                    "next_attempt_at": iso(now),
                }
            )
    db.close()


@pytest.mark.browser
def test_reports_page_shows_outbox_health_and_statuses_without_personal_data(
    staff: StaffBrowser,
) -> None:
    file_reports(staff.console)
    staff.log_in(NAME)
    staff.open("/reports")
    counts = {
        key: staff.text(f"#{key}")
        for key in ("waiting", "retrying", "held", "rejected", "delivered", "oldest")
    }
    assert counts == {
        "waiting": "2",
        "retrying": "1",
        "held": "1",
        "rejected": "1",
        "delivered": "3",
        "oldest": "30 h 0 min",
    }
    assert staff.text("#status-in_review") == "2"
    assert staff.text("#status-received") == "1"
    assert staff.text("#status-not-yet-known") == "1"
    page = staff.driver.page_source
    for secret in (*SECRET_WORDS, "WSP-0", "telegram:10"):
        assert secret not in page


@pytest.mark.browser
def test_audit_log_records_who_did_what_and_when(staff: StaffBrowser) -> None:
    staff.console.add_account("<i>bob</i>")
    staff.log_in(NAME, "a wrong password")
    staff.log_in("my password typed as a name", "a wrong password")
    staff.log_in("<i>bob</i>")
    staff.log_out()
    staff.log_in(NAME)
    staff.open("/reports")
    staff.log_out()
    staff.log_in(NAME)
    staff.open("/audit")
    rows = [r.split(" ", 2)[2] for r in staff.texts("#audit .entry")]
    assert rows == [
        f"{NAME} viewed audit log",
        f"{NAME} log-in",
        f"{NAME} log-out",
        f"{NAME} viewed reports",
        f"{NAME} log-in",
        "<i>bob</i> log-out",  # shown as text, never as markup
        "<i>bob</i> log-in",
        "(unknown name) failed log-in",  # never what was typed: it may be a password
        f"{NAME} failed log-in wrong password",
    ]
    assert staff.texts("#audit .entry td")[0].startswith("2026-11-24 09:00")
    assert "my password typed as a name" not in staff.driver.page_source


# -- accounts from the command line -----------------------------------------------------------


def test_staff_add_reads_the_password_from_stdin_and_remove_deletes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WASPADA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WASPADA_RESPONSES_DIR", raising=False)

    monkeypatch.setattr("sys.stdin", io.StringIO("too short\n"))
    assert main(["staff", "add", NAME]) == 2
    assert "at least 12 characters" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["staff", "add", NAME]) == 2

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["staff", "add", NAME]) == 0
    store = SqliteStaffStore(open_database(tmp_path / "waspada.db"))
    account = store.account(NAME)
    assert account is not None and password_matches(PASSWORD, account.password)
    assert PASSWORD not in (tmp_path / "waspada.db").read_bytes().decode("latin-1")
    assert account.password.n >= 2**14 and len(account.password.salt_hex) == 32

    monkeypatch.setattr("sys.stdin", io.StringIO("another password here\n"))
    assert main(["staff", "add", NAME]) == 1  # taken: the old password stays
    assert main(["staff", "remove", NAME]) == 0
    assert store.account(NAME) is None
    assert main(["staff", "remove", NAME]) == 1


def test_with_a_database_url_staff_add_and_the_console_share_the_postgresql_store(
    tmp_path: Path,
    postgres_url: str,
    telegram: FakeTelegramApi,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("WASPADA_DATA_DIR", str(data))
    monkeypatch.setenv("WASPADA_DATABASE_URL", postgres_url)
    monkeypatch.delenv("WASPADA_RESPONSES_DIR", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["staff", "add", NAME]) == 0
    assert "created" in capsys.readouterr().err
    # A person waiting for staff on a replica of the bot: a row in the shared database.
    clock = FakeClock()
    bot = postgres_stores(PostgresDatabase(postgres_url), clock)
    try:
        case = bot.cases.open(FIRST, "ms", ("faq_scam_victim",), (), clock.now())
        bot.cases.attach_thread(case, "42")
        console = ConsoleServer(
            data,
            nlu_dir=nlu_copy(tmp_path),
            clock=clock,
            telegram=telegram,
            database_url=postgres_url,
        ).start()
        try:
            client, _csrf = logged_in_client(console)
            for page in ("/reports", "/usage", "/review", "/alerts", "/cases"):
                assert client.get(page).status_code == 200, page
            assert f'id="case-{case.case_id}"' in client.get("/cases").text
            audit = client.get("/audit").text
        finally:
            console.stop()
        added = f'"actor">(command line)</td><td class="action">add account</td><td>{NAME}<'
        assert added in audit and f'"actor">{NAME}</td><td class="action">log-in<' in audit
        [entry] = bot.staff.recent_audit(1)
        assert (entry.actor, entry.action) == (NAME, "viewed audit log")

        assert main(["staff", "remove", NAME]) == 0
        assert bot.staff.account(NAME) is None
    finally:
        bot.db.close()
    assert not data.exists()  # nothing went to a SQLite file


def test_a_session_ends_after_twelve_hours(console: ConsoleServer) -> None:
    client, _ = logged_in_client(console)
    console.clock.advance(hours=11, minutes=59)
    assert client.get("/answers").status_code == 200
    console.clock.advance(minutes=1)
    answer = client.get("/answers")
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
