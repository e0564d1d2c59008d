"""The console's "What people ask" and "Teach the bot" pages, as staff use them: a real server on
127.0.0.1, a real SQLite file seeded through the storage's own write methods, a temporary copy
of nlu/ for the review files, and a real headless chromium."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import yaml

from bot.core.identity import UserKey
from bot.core.incident_date import malaysia_today
from bot.core.ports import NLU_UNAVAILABLE, NluResult
from bot.core.review_entry import ReviewItem
from bot.storage.database import open_database
from bot.storage.review import SqliteReviewQueue
from bot.storage.usage import SqliteUsageCounts
from tests.fakes.doubles import FakeNlu
from tests.support.console_browser import (
    ConsoleServer,
    StaffBrowser,
    logged_in_client,
    start_console,
)

pytestmark = pytest.mark.e2e
NAME = "aisyah"
PRIVATE_WORDS = "my makcik lost rm4000 to a parcel caller"
UNPLACED = "bank sms says akaun beku unless i tap [link] before midnight"
ALIKE = "bank sms says akaun beku unless i tap [link] by tonight"


def keep(console: ConsoleServer, text: str, language: str = "en") -> int:
    db = open_database(console.db_path)
    entry_id = SqliteReviewQueue(db, console.clock).keep(
        ReviewItem(
            owner=UserKey("telegram", "42"),
            language=language,
            reason="did_you_mean",
            text=text,
            guesses=(("faq_phishing", 0.41), ("faq_scam_call", 0.22)),
            risks=("scam_loss",),
            day=malaysia_today(console.clock.now()),
        )
    )
    db.close()
    return entry_id


def seed_usage(console: ConsoleServer) -> None:
    db = open_database(console.db_path)
    usage = SqliteUsageCounts(db, console.clock)
    today = malaysia_today(console.clock.now())
    yesterday, long_ago = today - timedelta(days=1), today - timedelta(days=40)
    for _ in range(3):
        usage.question(today, "en", "direct", "faq_phishing")
    usage.question(yesterday, "en", "direct", "faq_phishing")
    usage.question(today, "ms", "direct", "faq_phishing")
    usage.question(today, "ms", "follow_up", "faq_phishing")
    usage.question(today, "zh", "direct", "faq_scam_call")
    usage.question(today, "en", "did_you_mean", "")
    usage.question(today, "en", "out_of_scope", "")
    usage.question(long_ago, "en", "direct", "faq_phishing")  # outside 7 and 30 days
    usage.risks(today, "en", ("scam_loss",))
    usage.risks(yesterday, "ms", ("scam_loss", "self_harm"))
    usage.rating(today, "faq_phishing", "en", helpful=True)
    usage.rating(today, "faq_phishing", "en", helpful=True)
    usage.rating(today, "faq_phishing", "en", helpful=False)
    db.close()


@pytest.mark.browser
def test_staff_member_sees_what_people_asked_this_week_without_any_message_text(
    staff: StaffBrowser,
) -> None:
    seed_usage(staff.console)
    keep(staff.console, PRIVATE_WORDS)  # words exist in the database, never on this page
    staff.log_in(NAME)
    staff.driver.find_element("link text", "What people ask").click()
    staff.wait_for("#topics")
    assert staff.path == "/usage"
    assert staff.text("#period") == "7 days"

    phishing = staff.text("#topic-faq_phishing")
    # en 3 today + 1 yesterday (the one 40 days ago is outside); ms 1 direct + 1 follow-up.
    assert phishing.split() == ["faq_phishing", "4", "2", "0", "6"]
    assert staff.text("#topic-faq_scam_call").split() == ["faq_scam_call", "0", "0", "1", "1"]
    assert staff.text("#questions") == "9"  # every free-text question in the week
    shares = staff.text("#shares")
    assert "Answered directly 6 67%" in shares
    assert '"Did you mean…?" 1 11%' in shares and "Out of scope 1 11%" in shares
    assert staff.text("#direct-en") == "67%"  # 4 of 6
    assert "Answered as a follow-up 1 11%" in shares
    risks = staff.texts("#risks tbody tr")
    assert len(risks) == 3 and any("scam_loss en 1" in r for r in risks)
    assert staff.text("#rating-faq_phishing-en").split()[-2:] == ["2", "1"]

    chart = staff.driver.find_element("css selector", "#chart")
    assert "questions answered per day" in (chart.get_attribute("alt") or "")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(staff.driver, 30).until(lambda _: int(chart.get_property("naturalWidth")) > 0)
    session = staff.driver.get_cookie("waspada_console")
    assert session
    png = httpx.get(
        staff.console.url + "/usage/chart.png?days=7",
        cookies={"waspada_console": session["value"]},
    )
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")

    direct = staff.driver.find_element("css selector", "#direct-chart")
    WebDriverWait(staff.driver, 30).until(lambda _: int(direct.get_property("naturalWidth")) > 0)
    today = malaysia_today(staff.console.clock.now()).isoformat()
    assert staff.text(f"#direct-day-{today}").split()[1:4] == ["8", "5", "(62%)"]
    staff.screenshot("console-usage")

    assert PRIVATE_WORDS not in staff.driver.page_source
    assert "makcik" not in staff.driver.page_source

    staff.driver.find_element("id", "days-90").click()
    WebDriverWait(staff.driver, 30).until(lambda _: staff.text("#period") == "90 days")
    assert staff.text("#topic-faq_phishing").split()[-1] == "7"  # now with the one 40 days ago

    staff.open("/audit")
    actions = staff.texts("#audit .entry")
    assert any(f"{NAME} viewed usage 7 days" in a for a in actions)
    assert any(f"{NAME} viewed usage 90 days" in a for a in actions)


def test_the_chart_needs_a_log_in(console: ConsoleServer) -> None:
    with httpx.Client(base_url=console.url) as client:
        assert client.get("/usage/chart.png").status_code == 303
        assert client.get("/usage").status_code == 303
        assert client.get("/review").status_code == 303


@pytest.mark.browser
def test_staff_member_labels_a_review_entry_and_it_lands_in_the_review_file(
    staff: StaffBrowser,
) -> None:
    console = staff.console
    assert console.nlu_dir is not None
    first, second = keep(console, UNPLACED), keep(console, ALIKE)
    other = keep(console, "apa itu nsrc", "ms")
    staff.log_in(NAME)
    staff.driver.find_element("link text", "Teach the bot").click()
    staff.wait_for(".group")
    groups = staff.texts(".group h2")
    assert len(groups) == 2 and groups[0].endswith("2 messages")  # the alike pair, together
    row = staff.text(f"#entry-{first}")
    assert "faq_phishing (0.41)" in row and "scam_loss" in row and "did you mean" in row
    options = [
        o.get_attribute("value")
        for o in staff.driver.find_elements("css selector", f"#label-{first} option")
    ]
    assert options[-2:] == ["out_of_scope", "new_topic_needed"]
    assert "faq_phishing" in options
    assert not any(o and o.startswith(("risk_", "scam_")) for o in options)

    from selenium.webdriver.support.ui import Select

    Select(staff.driver.find_element("id", f"label-{first}")).select_by_value("faq_phishing")
    staff.click(f"#save-{first}")
    assert staff.path == "/review"
    assert staff.text("#message").startswith(
        "Labelled: the words went into the review file nlu/data/review/en.yml"
    )
    assert staff.driver.find_elements("id", f"entry-{first}") == []
    assert staff.driver.find_elements("id", f"entry-{second}") != []

    staff.open("/review?outcome=labelled&file=../../elsewhere.txt")
    assert "elsewhere" not in staff.text("#message")

    review_file = console.nlu_dir / "data" / "review" / "en.yml"
    data = yaml.safe_load(review_file.read_text(encoding="utf-8"))
    assert data["version"] == "3.1"
    assert data["nlu"] == [{"intent": "faq_phishing", "examples": f"- {UNPLACED}\n"}]

    db = open_database(console.db_path)
    queue = SqliteReviewQueue(db, console.clock)
    assert [e.entry_id for e in queue.pending()] == [second, other]
    labelled = queue.entry(first)
    db.close()
    assert labelled is not None and labelled.label == "faq_phishing"
    assert labelled.labelled_by == NAME

    # "New topic needed" is a note for answer writers, never training data.
    Select(staff.driver.find_element("id", f"label-{other}")).select_by_value("new_topic_needed")
    staff.click(f"#save-{other}")
    assert staff.text("#message").startswith("Noted as a new topic needed")
    assert not (console.nlu_dir / "data" / "review" / "ms.yml").exists()

    staff.open("/audit")
    actions = staff.texts("#audit .entry")
    assert actions[0].endswith(f"{NAME} viewed audit log")
    assert actions[1].endswith(f"{NAME} labelled review entry #{other} as new_topic_needed: NOTED")
    assert actions[2].endswith(f"{NAME} labelled review entry #{first} as faq_phishing: LABELLED")


def test_labelling_words_already_trained_changes_nothing(console: ConsoleServer) -> None:
    assert console.nlu_dir is not None
    entry = keep(console, UNPLACED)
    again = keep(console, UNPLACED.upper())
    client, token = logged_in_client(console)
    done = client.post(f"/review/{entry}", data={"csrf": token, "label": "faq_phishing"})
    assert done.status_code == 303 and "outcome=labelled" in done.headers["location"]
    refused = client.post(f"/review/{again}", data={"csrf": token, "label": "faq_phishing"})
    assert "outcome=already_trained" in refused.headers["location"]
    page = client.get(refused.headers["location"])
    assert "already a training example" in page.text
    typo = client.post(f"/review/{again}", data={"csrf": token, "label": "risk_self_harm"})
    assert "outcome=unknown_intent" in typo.headers["location"]


def test_a_label_post_without_the_csrf_token_is_refused(console: ConsoleServer) -> None:
    assert console.nlu_dir is not None
    entry = keep(console, UNPLACED)
    client, token = logged_in_client(console)
    for data in ({"label": "faq_phishing"}, {"csrf": "x" * 43, "label": "faq_phishing"}):
        answer = client.post(f"/review/{entry}", data=data)
        assert answer.status_code == 403
    with httpx.Client(base_url=console.url) as stranger:  # no session at all
        assert stranger.post(f"/review/{entry}", data={"csrf": token}).status_code == 403
    db = open_database(console.db_path)
    assert [e.entry_id for e in SqliteReviewQueue(db, console.clock).pending()] == [entry]
    db.close()
    assert not (console.nlu_dir / "data" / "review" / "en.yml").exists()


def test_the_direct_share_per_day_is_a_table_and_a_chart(console: ConsoleServer) -> None:
    seed_usage(console)
    client, _token = logged_in_client(console)
    page = client.get("/usage?days=7").text
    today = malaysia_today(console.clock.now())
    yesterday = (today - timedelta(days=1)).isoformat()
    # Today: 5 direct, 1 follow-up, 1 "did you mean", 1 out of scope; yesterday: 1 direct.
    row = page.split(f'id="direct-day-{today.isoformat()}"')[1].split("</tr>")[0]
    assert ">8<" in row and "5 (62%)" in row and "1 (12%)" in row
    assert "1 (100%)" in page.split(f'id="direct-day-{yesterday}"')[1].split("</tr>")[0]
    png = client.get("/usage/direct.png?days=30")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    with httpx.Client(base_url=console.url) as stranger:
        assert stranger.get("/usage/direct.png").status_code == 303


def label(console: ConsoleServer, entry: int, intent: str) -> None:
    client, token = logged_in_client(console)
    done = client.post(f"/review/{entry}", data={"csrf": token, "label": intent})
    assert "outcome=labelled" in done.headers["location"]


@pytest.mark.browser
def test_staff_see_which_labelled_entries_the_current_model_still_gets_wrong(
    chromium: object, tmp_path: Path
) -> None:
    # The NLU server the bot asks, as a fake: it has learnt one label and not the other.
    nlu = FakeNlu({UNPLACED: ("faq_phishing", 0.91)})
    console = start_console(tmp_path, nlu=nlu)
    console.add_account(NAME)
    try:
        learnt, missed = keep(console, UNPLACED), keep(console, "apa itu nsrc", "ms")
        label(console, learnt, "faq_phishing")
        label(console, missed, "faq_scam_victim")
        staff = StaffBrowser(chromium, console)
        staff.log_in(NAME)
        staff.open("/review")
        assert nlu.seen == [], "the model is asked on demand only"
        staff.click("#check-model")
        assert staff.texts("#still-wrong tr.wrong") == [
            "apa itu nsrc ms faq_scam_victim out_of_scope 0.30 aisyah"
        ]
        assert staff.driver.find_elements("id", f"wrong-{learnt}") == []
        staff.screenshot("console-still-wrong")
    finally:
        console.stop()


def test_without_an_nlu_server_the_console_says_the_model_is_not_available(
    console: ConsoleServer,
) -> None:
    client, _token = logged_in_client(console)
    page = client.get("/review?check=1").text
    assert "Model not available" in page and "WASPADA_NLU_URL" in page


class DownNlu:
    """The bot's NLU client while its server is down: word lists only, no topic guess."""

    async def parse(self, text: str) -> NluResult:
        return NluResult(NLU_UNAVAILABLE, 0.0)


def test_an_nlu_server_that_does_not_answer_is_not_taken_for_wrong_labels(
    tmp_path: Path,
) -> None:
    console = start_console(tmp_path, nlu=DownNlu())
    console.add_account(NAME)
    try:
        label(console, keep(console, UNPLACED), "faq_phishing")
        client, _token = logged_in_client(console)
        page = client.get("/review?check=1").text
        assert "Model not available: the NLU server did not answer" in page
        assert 'class="wrong"' not in page
    finally:
        console.stop()
