"""The staff console for tests: the real aiohttp app on 127.0.0.1 (a free port) in a thread of its
own, a real SQLite file (or, given `database_url`, a PostgreSQL database), a fake clock; and
Debian's chromium driven by Selenium through Debian's chromedriver. Selenium Manager never runs:
both paths are given, nothing is downloaded."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from bot.app_console import console_config
from bot.console.web import create_app
from bot.core.ports import Nlu
from bot.core.secret import Secret
from bot.core.staff_accounts import hash_password
from bot.settings import PROJECT_ROOT, Settings
from bot.storage.database import open_database
from bot.storage.staff import SqliteStaffStore
from tests.fakes.clock import FakeClock
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.staff_chat import STAFF_GROUP

# Screenshots of the console's pages for docs/console.md, made by the browser tests.
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's


def browser_missing() -> str | None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        return (
            f"{' and '.join(missing)} not installed: "
            "apt-get install chromium chromium-driver (CI does)"
        )
    return None


@dataclass
class ConsoleServer:
    data_dir: Path
    draft_dir: Path | None = None
    # A copy of nlu/ the console may write review labels into; the repository's is never written.
    nlu_dir: Path | None = None
    clock: FakeClock = field(default_factory=FakeClock)
    secure_cookies: bool = False
    # The fake Bot API: with it the console is a second staff desk of the STAFF_GROUP.
    telegram: FakeTelegramApi | None = None
    # The bot's NLU port, for "still wrong"; None as without WASPADA_NLU_URL.
    nlu: Nlu | None = None
    # WASPADA_DATABASE_URL: the console on PostgreSQL instead of the SQLite file in data_dir.
    database_url: str | None = None
    port: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "waspada.db"

    def add_account(self, name: str, password: str = PASSWORD) -> None:
        db = open_database(self.db_path)
        SqliteStaffStore(db).add_account(name, hash_password(password), self.clock.now())
        db.close()

    def start(self) -> ConsoleServer:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                # SQLite connections belong to the thread that opened them: the server's.
                settings = Settings(
                    data_dir=self.data_dir,
                    responses_override=self.draft_dir,
                    nlu_override=self.nlu_dir,
                    database_url=Secret(self.database_url) if self.database_url else None,
                    **self._telegram_settings(),
                )
                config = console_config(
                    settings, clock=self.clock, secure_cookies=self.secure_cookies
                )
                if self.nlu is not None:
                    config = dataclasses.replace(config, nlu=self.nlu)
                runner = web.AppRunner(create_app(config), access_log=None)
                loop.run_until_complete(runner.setup())
                site = web.TCPSite(runner, "127.0.0.1", 0)
                loop.run_until_complete(site.start())
                self.port = runner.addresses[0][1]
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name="console", daemon=True)
        self._thread.start()
        ready.wait(30)
        if failure:
            raise failure[0]
        return self

    def _telegram_settings(self) -> dict[str, object]:
        if self.telegram is None:
            return {}
        return {
            "telegram_token": Secret(self.telegram.token),
            "telegram_api_base_url": self.telegram.base_url,
            "staff_chat_id": STAFF_GROUP,
        }

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)


def start_console(
    tmp_path: Path,
    draft_dir: Path | None = None,
    *,
    telegram: FakeTelegramApi | None = None,
    nlu: Nlu | None = None,
) -> ConsoleServer:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    return ConsoleServer(data, draft_dir, nlu_copy(tmp_path), telegram=telegram, nlu=nlu).start()


def nlu_copy(tmp_path: Path) -> Path:
    """A copy of nlu/ (data, held-out tests, config; ~2 MB), so labelling never writes to the
    repository."""
    from bot.settings import PROJECT_ROOT

    target = tmp_path / "nlu"
    if not target.exists():
        shutil.copytree(PROJECT_ROOT / "nlu", target)
    return target


def working_copy(tmp_path: Path) -> Path:
    """A copy of the live answers, for a test to break or age."""
    from bot.settings import PROJECT_ROOT

    target = tmp_path / "working-copy"
    shutil.copytree(PROJECT_ROOT / "responses", target)
    return target


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """One headless chromium per test module; each test starts with no cookies."""
    reason = browser_missing()
    if reason and os.environ.get("WASPADA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (WASPADA_REQUIRE_BROWSER=1: CI must run the browser tests)")
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,1000",
    ):
        options.add_argument(argument)
    # A driver path in the Service makes Selenium skip Selenium Manager (driver_finder.py):
    # nothing is looked up or downloaded.
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


class StaffBrowser:
    """What a staff member does in the console, in the browser. Waits on conditions only."""

    def __init__(self, driver: object, console: ConsoleServer) -> None:
        from selenium.webdriver.remote.webdriver import WebDriver

        assert isinstance(driver, WebDriver)
        self.driver = driver
        self.console = console
        driver.delete_all_cookies()

    def open(self, path: str) -> None:
        self.driver.get(self.console.url + path)
        self.wait_for("main")

    def wait_for(self, css: str) -> str:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        element = WebDriverWait(self.driver, 30).until(
            ec.presence_of_element_located((By.CSS_SELECTOR, css))
        )
        return str(element.text)

    def text(self, css: str) -> str:
        return self.wait_for(css)

    def texts(self, css: str) -> list[str]:
        from selenium.webdriver.common.by import By

        return [str(e.text) for e in self.driver.find_elements(By.CSS_SELECTOR, css)]

    def log_in(self, name: str, password: str = PASSWORD) -> None:
        from selenium.webdriver.common.by import By

        self.open("/login")
        self.driver.find_element(By.ID, "name").send_keys(name)
        self.driver.find_element(By.ID, "password").send_keys(password)
        self.click("#log-in")

    def log_out(self) -> None:
        self.click("#logout")

    def click(self, css: str) -> None:
        """Presses a button or link and waits for the next page.

        The old page is marked and the wait is for a loaded document without the mark.
        Waiting for an old element to go stale raced chromedriver: mid-navigation it
        answered "Node with given id does not belong to the document" instead of "stale"."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver.execute_script("document.documentElement.dataset.leftBehind = '1'")
        self.driver.find_element(By.CSS_SELECTOR, css).click()
        WebDriverWait(self.driver, 30, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script(
                "return document.readyState === 'complete'"
                " && document.documentElement.dataset.leftBehind === undefined"
            )
        )
        self.wait_for("main")

    def type_into(self, css: str, text: str) -> None:
        from selenium.webdriver.common.by import By

        field = self.driver.find_element(By.CSS_SELECTOR, css)
        field.clear()
        field.send_keys(text)

    def value(self, css: str) -> str:
        from selenium.webdriver.common.by import By

        return str(self.driver.find_element(By.CSS_SELECTOR, css).get_property("value"))

    def screenshot(self, name: str) -> None:
        """Keeps what the browser shows as docs/screenshots/NAME.png (docs/console.md), under
        `make screenshots` only: an ordinary test run leaves the working tree as it was."""
        if not os.environ.get("WASPADA_SCREENSHOTS"):
            return
        SCREENSHOTS.mkdir(exist_ok=True)
        self.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))

    @property
    def path(self) -> str:
        from urllib.parse import urlparse

        return urlparse(str(self.driver.current_url)).path


# ---- shared by the console's test modules ----------------------------------------------------
STAFF_NAME = "aisyah"
CLIENTS: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while CLIENTS:
        CLIENTS.pop().close()


@pytest.fixture
def console(tmp_path: Path) -> Iterator[ConsoleServer]:
    server = start_console(tmp_path)
    server.add_account(STAFF_NAME)
    yield server
    server.stop()


@pytest.fixture
def staff(chromium: object, console: ConsoleServer) -> StaffBrowser:
    return StaffBrowser(chromium, console)


def logged_in_client(console: ConsoleServer) -> tuple[httpx.Client, str]:
    """An HTTP client with a session, and the session's CSRF token."""
    # The first /answers runs the answer check over every file: seconds on a busy machine.
    client = httpx.Client(base_url=console.url, timeout=30)
    CLIENTS.append(client)
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    answer = client.post("/login", data={"csrf": csrf[1], "name": STAFF_NAME, "password": PASSWORD})
    assert answer.status_code == 303, answer.text
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/answers").text)
    assert token
    return client, token[1]
