"""The NLU as a service: bot processes with WASPADA_NLU_URL ask `waspada nlu serve` over HTTP,
never load Rasa themselves, and keep the crisis lines first while the server is down."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web

from bot.errors import ConfigError
from bot.nlu.cue_lists import CueScreen
from bot.nlu.http_nlu import UNAVAILABLE, HttpNlu
from bot.settings import PROJECT_ROOT, Settings
from tests.fakes.loopback import LoopbackServer
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.bot_process import start_bot, stop_bot
from tests.support.nlu_server import serve, stop
from tests.support.ports import free_port
from tests.support.telegram_chat import ANSWERS, ui

CUES = CueScreen.from_data(PROJECT_ROOT / "nlu" / "data")
RASA_REPLY = {
    "text": "x",
    "intent": {"name": "faq_sextortion", "confidence": 0.91},
    "intent_ranking": [{"name": "faq_sextortion", "confidence": 0.91}],
    "entities": [{"entity": "platform", "value": "instagram"}],
    "risk": [{"name": "sextortion_now", "confidence": 0.88, "cue": True}],
    "scam_signals": [],
}


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("不想活了", "self_harm"),
        ("nak mati je rasa", "self_harm"),
        ("my ex is outside my house and says he will kill me tonight", "danger_now"),
        ("I just transferred RM4500 to the parcel guy", "money_just_lost"),
        ("he will post my nudes unless i pay", "sextortion_now"),
    ],
)
def test_the_word_lists_alone_still_raise_the_crisis_line(text: str, risk: str) -> None:
    assert risk in CUES.screen(text)


def test_the_word_lists_alone_stay_quiet_on_ordinary_questions() -> None:
    for text in ("how to set facebook private", "almost paid rm500 but stopped in time"):
        assert CUES.screen(text) == ()


class FakeNluServer:
    """Rasa's /model/parse on loopback, which a test can break."""

    def __init__(self) -> None:
        self.status = 200
        self.bodies: list[dict[str, Any]] = []
        app = web.Application()
        app.router.add_post("/model/parse", self._parse)
        self.server = LoopbackServer(app).start()

    async def _parse(self, request: web.Request) -> web.Response:
        self.bodies.append(await request.json())
        if self.status != 200:
            return web.Response(status=self.status)
        return web.json_response(RASA_REPLY)


def test_the_bot_asks_the_nlu_server_and_rides_out_its_outage() -> None:
    fake = FakeNluServer()

    async def story() -> None:
        nlu = HttpNlu(fake.server.base_url, CUES, retry_after=0.0)
        answered = await nlu.parse("dia ugut sebar gambar saya")
        assert answered.intent == "faq_sextortion" and answered.risks == ("sextortion_now",)
        assert answered.entities[0].value == "instagram"
        assert fake.bodies == [{"text": "dia ugut sebar gambar saya"}], "the text in the body"

        fake.status = 503
        down = await nlu.parse("不想活了")
        assert down.intent == UNAVAILABLE and down.risks == ("self_harm",)

        fake.status = 200
        assert (await nlu.parse("hello")).intent == "faq_sextortion", "back again"
        await nlu.aclose()

    try:
        asyncio.run(story())
    finally:
        fake.server.stop()


def test_a_dead_nlu_server_still_leaves_the_crisis_line() -> None:
    async def story() -> None:
        nlu = HttpNlu(f"http://127.0.0.1:{free_port()}", CUES)
        result = await nlu.parse("kawan sy kat atas bumbung flat nk terjun skrg")
        assert result.intent == UNAVAILABLE
        assert "self_harm" in result.risks
        await nlu.aclose()

    asyncio.run(story())


def test_the_nlu_url_must_be_private_or_https(tmp_path: Path) -> None:
    base = {"WASPADA_DATA_DIR": str(tmp_path)}
    assert Settings.from_env({**base, "WASPADA_NLU_URL": "http://127.0.0.1:5005/"}).nlu_url == (
        "http://127.0.0.1:5005"
    )
    with pytest.raises(ConfigError, match="WASPADA_NLU_URL must use https"):
        Settings.from_env({**base, "WASPADA_NLU_URL": "http://nlu.example.org:5005"})
    inside = {**base, "WASPADA_NLU_URL": "http://nlu:5005", "WASPADA_NLU_URL_ALLOW_HTTP": "1"}
    assert Settings.from_env(inside).nlu_url == "http://nlu:5005"


def test_a_bot_process_with_an_nlu_url_never_imports_rasa_or_tensorflow(tmp_path: Path) -> None:
    script = (
        "import sys, os\n"
        "from bot.settings import Settings\n"
        "from bot.app import build_services\n"
        "build_services(Settings.from_env(os.environ), say=lambda _: None)\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'rasa', 'tensorflow'})\n"
        "print(heavy)\n"
    )
    env = {
        **os.environ,
        "WASPADA_DATA_DIR": str(tmp_path),
        "WASPADA_NLU_URL": f"http://127.0.0.1:{free_port()}",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


# ---- the real server -------------------------------------------------------------------------
@pytest.fixture
def nlu_port() -> int:
    return free_port()


@pytest.fixture
def nlu_server(data_dir: Path, nlu_port: int) -> Iterator[subprocess.Popen[str]]:
    process = serve(data_dir, nlu_port)
    yield process
    if process.poll() is None:
        stop(process)


@pytest.mark.nlu
@pytest.mark.e2e
def test_waspada_run_answers_through_the_nlu_server_and_keeps_crisis_lines_when_it_stops(
    telegram: FakeTelegramApi,
    data_dir: Path,
    nlu_server: subprocess.Popen[str],
    nlu_port: int,
) -> None:
    bot = start_bot(telegram, data_dir, WASPADA_NLU_URL=f"http://127.0.0.1:{nlu_port}")
    try:
        telegram.send_text("孩子的照片可以发到网上吗？", language_code="zh-hans")
        [answer] = telegram.wait_for_messages(1, timeout=120)
        assert "aduan.mcmc.gov.my" in answer.text, "a topic answer: the model served it"

        output = stop(nlu_server)
        assert "孩子的照片" not in output, "the NLU server never logs what people write"
        telegram.send_text("nak mati je rasa, penat dah hidup", language_code="ms")
        crisis = telegram.wait_for_messages(2, timeout=60)[1]
        card = ANSWERS.crisis("self_harm", "ms")
        assert card is not None and crisis.protect_content
        assert ui("ms", card.text.splitlines()[0]) in crisis.text, "the crisis line first"

        restarted = serve(data_dir, nlu_port)
        try:
            telegram.send_text("孩子的照片可以发到网上吗？", language_code="zh-hans")
            again = telegram.wait_for_messages(len(telegram.sent) + 1, timeout=60)[-1]
            assert "aduan.mcmc.gov.my" in again.text, "back on the model once it returns"
        finally:
            stop(restarted)
    finally:
        logs = stop_bot(bot, telegram)
    assert "penat dah hidup" not in logs and "孩子的照片" not in logs


@pytest.mark.e2e
def test_health_says_alive_and_ready_says_whether_the_nlu_server_answers(
    telegram: FakeTelegramApi, tmp_path: Path
) -> None:
    """A replica behind a load balancer: alive at once, ready only once its NLU server is."""
    port, nlu_port = free_port(), free_port()
    bot = start_bot(
        telegram,
        tmp_path,
        "--webhook-url",
        f"http://127.0.0.1:{port}/hook",
        "--port",
        str(port),
        TELEGRAM_WEBHOOK_SECRET="a-test-secret-of-some-length",  # noqa: S106 - a test value
        WASPADA_NLU_URL=f"http://127.0.0.1:{nlu_port}",
    )
    fake: LoopbackServer | None = None
    try:
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/healthz").status_code == 200
        assert httpx.get(f"{base}/readyz").status_code == 503, "no NLU server yet"

        status = web.Application()
        status.router.add_get("/status", lambda _r: web.json_response({"model_id": "x"}))
        fake = LoopbackServer(status).start_on(nlu_port)
        assert httpx.get(f"{base}/readyz").status_code == 200
    finally:
        if fake:
            fake.stop()
        stop_bot(bot, telegram)
