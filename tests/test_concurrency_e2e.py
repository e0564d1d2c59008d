"""The probe's scenario: the bot, a standalone dispatcher and staff submits on one data folder at
once. Nothing may fail with "database is locked", every report is filed and delivered once, and
every reporter is told once, whichever dispatcher delivered it."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.fakes.complaint_api import TOKEN, ComplaintApiServer
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.bot_process import stop_bot
from tests.support.delivery import cli_env
from tests.support.reports import STAFF_REPORT
from tests.support.telegram_reporter import Person, file_report, told
from tests.support.waiting import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.nlu, pytest.mark.usefixtures("nlu_as_a_service")]
WASPADA = str(Path(sys.executable).with_name("waspada"))
REPORTERS = 6
CHATTERS = 46
STAFF = 8


def test_bot_standalone_dispatcher_and_staff_share_one_file_without_losing_anything(
    telegram: FakeTelegramApi,
    complaint_api: ComplaintApiServer,
    data_dir: Path,
    launch: Callable[..., subprocess.Popen[str]],
    tmp_path: Path,
) -> None:
    env = {**cli_env(data_dir, complaint_api.base_url), "WASPADA_STATUS_POLL_SECONDS": "1"}
    bot = launch(COMPLAINT_API_URL=complaint_api.base_url, COMPLAINT_API_TOKEN=TOKEN)
    dispatcher = subprocess.Popen(
        [WASPADA, "outbox", "deliver"],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    outputs: list[str] = []
    lock = threading.Lock()

    def report_on_telegram(n: int) -> tuple[Person, str, str]:
        person = Person(telegram, "ms", user_id=41_000_000 + n)
        description = f"Penjual nombor {n} ambil duit RM{100 + n} tapi tak hantar barang"
        link = f"https://www.facebook.com/scam.shop.{n}/posts/{n}"
        reference, _ = file_report(
            person, category="financial_fraud", link=link, description=description, when="semalam"
        )
        return person, reference, description

    def chat(n: int) -> None:
        who = {"user_id": 42_000_000 + n, "language_code": "en"}
        for text in ("/start", "is this sms from my bank a scam?", "/forget"):
            telegram.send_text(text, **who)

    def staff_submit(n: int) -> None:
        path = tmp_path / f"call-{n}.json"
        path.write_text(
            json.dumps(dict(STAFF_REPORT, description=f"Caller {n} lost RM{n}00 to a fake group")),
            encoding="utf-8",
        )
        done = subprocess.run(
            [WASPADA, "report", "submit", str(path)], env=env, capture_output=True, text=True
        )
        with lock:
            outputs.append(done.stdout + done.stderr)
        assert done.returncode == 0, done.stderr

    try:
        with ThreadPoolExecutor(max_workers=REPORTERS + 4) as pool:
            filed = [pool.submit(report_on_telegram, n) for n in range(REPORTERS)]
            side = [pool.submit(chat, n) for n in range(CHATTERS)]
            side += [pool.submit(staff_submit, n) for n in range(STAFF)]
            reporters = [f.result(timeout=300) for f in filed]
            for future in side:
                future.result(timeout=300)

        eventually(
            lambda: complaint_api.complaints() == REPORTERS + STAFF,
            "every report reaches the API",
            timeout=90,
        )
        rows = {json.loads(r["body"])["description"]: r for r in complaint_api.all_complaints()}
        expected = {
            person.user_id: told("ms", reference, rows[description]["complaint_id"], "received")
            for person, reference, description in reporters
        }
        eventually(
            lambda: all(p.received(expected[p.user_id]) >= 1 for p, _, _ in reporters),
            "every reporter hears that their complaint was received",
            timeout=90,
        )
    finally:
        dispatcher.terminate()
        outputs.append(dispatcher.communicate(timeout=60)[0])
        outputs.append(stop_bot(bot, telegram))

    assert complaint_api.complaints() == REPORTERS + STAFF, "each report filed once"
    assert [p.received(expected[p.user_id]) for p, _, _ in reporters] == [1] * REPORTERS
    everything = "\n".join(outputs)
    assert "database is locked" not in everything
    assert "Traceback" not in everything
