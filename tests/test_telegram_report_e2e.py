"""Guided reports on Telegram, end to end: `waspada run` as a subprocess, the fake Bot API and the
reference complaint API, each on its own socket of 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

from bot.complaint_api.validation import validate_complaint
from bot.core import callbacks
from bot.core.markup import to_telegram_html
from tests.fakes.complaint_api import TOKEN, ComplaintApiServer
from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.bot_process import stop_bot
from tests.support.telegram_reporter import (
    CONFIRMED,
    TR,
    USER,
    Person,
    file_report,
    step,
    told,
    wait_for,
)
from tests.support.waiting import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.nlu, pytest.mark.usefixtures("nlu_as_a_service")]
JPEG = b"\xff\xd8\xff\xe0" + bytes(500)


@pytest.fixture
def api(complaint_api: ComplaintApiServer) -> ComplaintApiServer:
    return complaint_api


def test_a_chinese_report_on_telegram_arrives_once_and_its_status_comes_back_in_chinese(
    telegram: FakeTelegramApi, api: ComplaintApiServer, launch: Callable[..., subprocess.Popen[str]]
) -> None:
    link = "https://www.facebook.com/scam.page/posts/123"
    description = "这个脸书专页卖东西收了钱不发货，很多人被骗了"
    bot = launch(COMPLAINT_API_URL=api.base_url, COMPLAINT_API_TOKEN=TOKEN)
    person = Person(telegram, "zh-hans")
    yesterday = datetime.now(timezone(timedelta(hours=8))).date() - timedelta(days=1)
    reference, file_id = file_report(
        person, category="financial_fraud", link=link, description=description, when="昨天",
        photo=JPEG,
    )  # fmt: skip
    assert re.search(r"[\u4e00-\u9fff]", TR.gettext("zh", CONFIRMED, reference=reference))

    eventually(lambda: api.complaints() == 1, "the complaint reaches the API")
    [row] = api.all_complaints()
    complaint_id, body = row["complaint_id"], json.loads(row["body"])
    received = told("zh", reference, complaint_id, "received")
    wait_for(telegram, lambda m: m.chat_id == USER and m.text == received)
    assert complaint_id in received
    assert validate_complaint(body) == []
    assert (body["language"], body["channel"]) == ("zh", "telegram")
    assert (body["category"], body["platform"]) == ("financial_fraud", "facebook")
    assert (body["content_urls"], body["description"]) == ([link], description)
    assert body["involves_child"] is False
    reporter = body["reporter"]
    assert reporter["contact_consent"] is False
    assert (reporter["name"], reporter["phone"], reporter["email"]) == (None, None, None)
    assert reporter["telegram_user_ref"]
    assert str(USER) not in reporter["telegram_user_ref"]

    eventually(lambda: len(api.evidence(complaint_id)) == 1, "the screenshot reaches the API")
    [evidence] = api.evidence(complaint_id)
    assert (evidence["content_type"], evidence["size"]) == ("image/jpeg", len(JPEG))
    assert evidence["sha256"] == hashlib.sha256(JPEG).hexdigest()
    assert telegram.downloads == [file_id], "the screenshot is downloaded exactly once"

    api.set_status(complaint_id, "in_review")
    changed_at = time.monotonic()
    reviewed = told("zh", reference, complaint_id, "in_review")
    wait_for(telegram, lambda m: m.chat_id == USER and m.text == reviewed, timeout=15)
    assert time.monotonic() - changed_at < 10
    assert TR.gettext("zh", "being reviewed") in reviewed

    output = stop_bot(bot, telegram)
    assert api.complaints() == 1
    assert person.received(received) == 1 and person.received(reviewed) == 1
    for private in (description, link, f"telegram:{USER}"):
        assert private not in output, f"{private!r} leaked into the bot's logs"
    assert f"{reference} accepted" in output, "deliveries are logged, by reference only"
    assert body["incident_date"] == yesterday.isoformat(), "昨天 is the day before, in Malaysia"


def test_admins_hear_on_telegram_when_the_complaint_api_refuses_waspadas_credentials(
    telegram: FakeTelegramApi, api: ComplaintApiServer, launch: Callable[..., subprocess.Popen[str]]
) -> None:
    link = "https://www.facebook.com/bully.account.77"
    description = "This account keeps posting threats against my neighbour"
    wrong = "not-the-token-of-this-api"
    bot = launch(
        COMPLAINT_API_URL=api.base_url,
        COMPLAINT_API_TOKEN=wrong,
        WASPADA_ADMIN_CHAT_IDS="9001,9002",
    )
    person = Person(telegram, "en")
    file_report(person, category="harassment", link=link, description=description, when="today")

    admins = (9001, 9002)
    eventually(lambda: set(admins) <= {m.chat_id for m in telegram.sent}, "both admins hear")
    for alert in [m for m in telegram.sent if m.chat_id in admins]:
        assert alert.method == "sendMessage"
        assert "credentials" in alert.text and "held" in alert.text, alert.text
        for private in (description, link, wrong, str(USER)):
            assert private not in alert.text
    assert api.complaints() == 0
    output = stop_bot(bot, telegram)
    assert api.complaints() == 0, "a refused report is held, never sent"
    assert sum(m.chat_id in admins for m in telegram.sent) == 2, "each admin hears once"
    assert "ALERT: The complaint API refused Waspada's credentials" in output
    for private in (description, link, wrong):
        assert private not in output


def test_a_report_filed_while_the_api_is_down_arrives_once_after_it_comes_back(
    telegram: FakeTelegramApi, api: ComplaintApiServer, launch: Callable[..., subprocess.Popen[str]]
) -> None:
    bot = launch(COMPLAINT_API_URL=api.base_url, COMPLAINT_API_TOKEN=TOKEN)
    api.faults.fail_next = [503, 503, 503]
    person = Person(telegram, "ms")
    reference, _ = file_report(
        person, category="harassment", link="https://www.facebook.com/troll.page",
        description="Akaun ini menghantar ugutan kepada anak jiran saya", when="semalam",
    )  # fmt: skip
    eventually(lambda: not api.faults.fail_next, "the bot retries through the outage")
    eventually(lambda: api.complaints() == 1, "the report arrives once the API is back")
    [row] = api.all_complaints()
    received = told("ms", reference, row["complaint_id"], "received")
    wait_for(telegram, lambda m: m.chat_id == USER and m.text == received)

    status = person.types("/status", then=row["complaint_id"])
    assert TR.gettext("ms", "received") in status.text
    stop_bot(bot, telegram)
    assert api.complaints() == 1
    assert person.received(received) == 1


def test_a_forwarded_scam_sms_is_checked_then_reported_with_its_link_filled_in(
    telegram: FakeTelegramApi, api: ComplaintApiServer, launch: Callable[..., subprocess.Popen[str]]
) -> None:
    sms = (
        "POS MALAYSIA: Bungkusan anda ditahan kerana alamat tidak lengkap. Kemaskini dalam 24 jam: "
        "https://poslaju-my.top/kemaskini"
    )
    bot = launch(COMPLAINT_API_URL=api.base_url, COMPLAINT_API_TOKEN=TOKEN)
    person = Person(telegram, "ms")
    report_this = callbacks.encode("scan", "report")
    before = len(telegram.sent)
    origin = {"type": "hidden_user", "sender_user_name": "POS", "date": int(time.time())}
    telegram.send_other({"text": sms, "forward_origin": origin}, user_id=USER, language_code="ms")
    verdict = wait_for(
        telegram, lambda m: m.chat_id == USER and report_this in m.button_data, before, 60
    )
    assert "poslaju-my[.]top" in verdict.text
    assert "poslaju-my.top" not in verdict.text
    likely = TR.gettext("ms", "🔴 **Likely a scam.** Don't click, don't pay and don't reply.")
    assert verdict.text.startswith(to_telegram_html(likely))

    person._then(lambda: telegram.press_button(report_this, **person.how), step("tri.cancel"))
    person.presses("tri.none", then=step("plt.cancel"))
    person.presses("plt.other", then=step("dsc.cancel"))
    person.types("SMS palsu Pos Laju minta kemaskini alamat", then=step("whn.cancel"))
    person.types("hari ini", then=step("chd.cancel"))
    person.presses("chd.no", then=step("evd.cancel"))
    person.presses("evd.done", then=step("cnt.cancel"))
    person.presses("cnt.anon", then=step("sum.confirm"))
    telegram.press_button(step("sum.confirm"), **person.how)

    eventually(lambda: api.complaints() == 1, "the report reaches the complaint API")
    body = json.loads(api.all_complaints()[0]["body"])
    assert body["category"] == "financial_fraud"
    assert body["content_urls"] == ["https://poslaju-my.top/kemaskini"]
    stop_bot(bot, telegram)
