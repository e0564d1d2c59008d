""" "Is this a scam?" without the language model: what is found in a paste, how links are judged,
crowd counts from filed reports, the staff's lists, the wording, and `waspada scam check`."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.content.answer_book import FileAnswerBook
from bot.core.scam_check import CheckResult, Finding, ScamChecker
from bot.core.scam_check_reply import verdict_text
from bot.i18n.translator import BabelTranslator
from bot.scam.items import TextItemFinder
from bot.scam.lists import LiveScamLists, load_scam_lists
from bot.settings import PROJECT_ROOT
from bot.storage.database import open_database
from bot.storage.report_items import SqliteCrowdReports
from bot.storage.reports import SqliteReportStore
from tests.fakes.clock import FakeClock
from tests.support.complaints import a_report
from tests.support.languages import LANGUAGES
from tests.support.people import person

RESPONSES = PROJECT_ROOT / "responses"
ANSWERS = FileAnswerBook.load(RESPONSES)
TR = BabelTranslator(PROJECT_ROOT / "locales", LANGUAGES)
LISTS = LiveScamLists(RESPONSES)
FINDER = TextItemFinder()
WASPADA = str(Path(sys.executable).with_name("waspada"))


def checker(crowd: SqliteCrowdReports | None = None) -> ScamChecker:
    return ScamChecker(FINDER, LISTS, LISTS, crowd)


def codes(result: CheckResult) -> set[str]:
    return {f.code for f in result.findings}


# Real-looking imitations of Malaysian bank and government sites, and why each is flagged.
LOOKALIKES = [
    ("maybank2u.com.my.secure-login.xyz/login", "official_name_elsewhere"),
    ("https://maybank2u-verify.com/m2u", "lookalike"),
    ("http://maybnk2u.com.my", "lookalike"),
    ("rnaybank2u.com.my/login", "lookalike"),
    ("maybank2u.com", "lookalike"),
    ("http://mаybank2u.com.my", "lookalike"),  # Cyrillic а
    ("https://xn--mybank2u-7fg.com/login", "unicode_host"),
    ("cimb-secure.net/clicks", "lookalike"),
    ("https://pbebank.co/login", "lookalike"),
    ("bankislam-rewards.top", "lookalike"),
    ("touchngo-rebate.top/claim", "lookalike"),
    ("hasil.gov.my-refund.net", "gov_my_outside"),
    ("lhdn-gov-my.com/bayaran", "gov_my_outside"),
    ("kwsp.gov.my.co/i-akaun", "official_name_elsewhere"),
    ("myjpj-saman.com", "lookalike"),
    ("https://pos-laju-track.com/PosLaju.apk", "apk"),
    ("bit.ly/3xYzAb", "shortener"),
    ("http://103.12.4.5/maybank/login", "bare_ip"),
    ("javascript:alert(document.cookie)", "script_link"),
    ("bsn-my.online/verify", "lookalike"),
]
OFFICIAL = [
    "https://www.maybank2u.com.my/home/m2u/common/login.do",
    "https://WWW.CIMB.COM.MY/en/personal.html",
    "www.pbebank.com",
    "https://logon.rhb.com.my/",
    "https://www.rhbgroup.com/",
    "https://ambank.amonline.com.my/web/",
    "https://www.hasil.gov.my/en/",
    "https://secure.kwsp.gov.my/member/member/login",
    "https://semakmule.rmp.gov.my",
    "https://aduan.mcmc.gov.my/",
    "https://www.bnm.gov.my/financial-consumer-alert-list",
    "https://www.sc.com.my/investor-alert-list",
    "https://www.pos.com.my/send/ratecalculator",
    "https://www.touchngo.com.my/",
    "https://www.grab.com/my/",
    "jpj.spab.gov.my",
]


@pytest.mark.parametrize(("link", "reason"), LOOKALIKES)
def test_lookalikes_of_malaysian_banks_and_government_are_called_likely_scams(
    link: str, reason: str
) -> None:
    result = checker().check(f"is this real? {link}")
    assert result.verdict in ("likely_scam", "be_careful"), (link, result)
    assert reason in codes(result), (link, codes(result))


@pytest.mark.parametrize("link", OFFICIAL)
def test_official_sites_are_named_and_never_flagged(link: str) -> None:
    result = checker().check(link)
    assert result.verdict == "no_signs", (link, result.findings)
    assert codes(result) == {"official"}


def test_a_staging_host_under_an_official_domain_is_not_called_official() -> None:
    assert codes(checker().check("https://staging001.bnm.gov.my/")) == set()


def test_every_malaysian_way_of_writing_a_number_is_read_the_same() -> None:
    text = (
        "call +60 12-345 6789, 60123456789 or 012-3456789. office 03-2610 1559, "
        "toll free 1-300-88-5465 or 1800 22 8888. hotline 997. acc 5621 2345 6789, "
        "IC 900101-14-5678"
    )
    found = [(i.kind, i.value) for i in FINDER.find(text)]
    assert found == [
        ("phone", "+60123456789"),
        ("phone", "+60326101559"),
        ("phone", "+601300885465"),
        ("phone", "+601800228888"),
        ("account", "562123456789"),
    ]


def test_a_huge_paste_with_many_links_is_checked_up_to_a_limit_and_said_so() -> None:
    links = " ".join(f"https://scam{n}.xyz/p" for n in range(40))
    text = (links + " ") + "x" * (4000 - len(links))
    result = checker().check(text)
    assert len([i for i in result.items if i.kind == "link"]) == 10
    assert result.truncated
    words = verdict_text(TR, ANSWERS, "en", result)
    assert "only the first links and numbers" in words


def test_links_are_shown_defanged_so_no_chat_app_makes_them_tappable() -> None:
    result = checker().check("maybank2u-verify.com/login")
    words = verdict_text(TR, ANSWERS, "en", result)
    assert "maybank2u-verify[.]com" in words
    assert "maybank2u-verify.com" not in words


@pytest.mark.parametrize("lang", ["en", "ms", "zh"])
@pytest.mark.parametrize(
    "text",
    ["https://www.maybank2u.com.my/", "hello, see you at 7", "bit.ly/abc", "maybank2u-verify.com"],
)
def test_no_verdict_ever_calls_anything_safe(lang: str, text: str) -> None:
    result = checker().check(text, ("asks_otp",) if "verify" in text else ())
    words = verdict_text(TR, ANSWERS, lang, result).casefold()
    for unsafe in ("safe", "selamat", "安全", "legit", "sah"):
        assert unsafe not in words, (lang, text, words)
    assert "semakmule.rmp.gov.my" in words
    assert "997" in words


def test_no_warning_signs_still_says_how_to_check_for_yourself() -> None:
    words = verdict_text(TR, ANSWERS, "ms", checker().check("jumpa esok pukul 7"))
    assert "Tiada tanda amaran" in words
    assert "belakang kad" in words and "Semak Mule" in words and "OTP" in words


def test_message_signals_alone_make_it_likely_when_two_agree() -> None:
    assert checker().check("text", ("asks_otp",)).verdict == "be_careful"
    assert checker().check("text", ("asks_otp", "urgency_threat")).verdict == "likely_scam"
    assert checker().check("text", ("not_a_signal",)).verdict == "no_signs"


# ---- crowd counts from filed reports ----------------------------------------------------------


def file_reports(store: SqliteReportStore, descriptions: list[tuple[int, str]]) -> None:
    for who, description in descriptions:
        store.file(replace(a_report(description=description), user_key=person(who)))


def test_a_number_reported_by_two_people_is_counted_and_by_one_person_is_not(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    db = open_database(tmp_path / "w.db")
    store = SqliteReportStore(db, clock, FINDER)
    file_reports(
        store,
        [
            (1, "Scammer called from 012-777 8899 saying he was police, I paid RM500"),
            (2, "Same man +60127778899 asked my mother for her TAC"),
            (2, "He called again from 0127778899 today"),  # the same person twice
            (3, "Seller at 013-555 1212 took RM80 and blocked me"),
        ],
    )
    crowd = SqliteCrowdReports(db, clock)
    twice = checker(crowd).check("is 60127778899 a scammer?")
    assert [f.detail for f in twice.findings if f.code == "crowd_reported"] == ["2"]
    assert twice.verdict == "likely_scam"
    assert "reported by 2 different people" in verdict_text(TR, ANSWERS, "en", twice)
    once = checker(crowd).check("013-5551212")
    assert "crowd_reported" not in codes(once)


def test_crowd_counts_look_back_ninety_days_and_forget_erased_reports(tmp_path: Path) -> None:
    from bot.storage.forget import SqliteForgetting

    clock = FakeClock()
    db = open_database(tmp_path / "w.db")
    store = SqliteReportStore(db, clock, FINDER)
    file_reports(store, [(1, "fake shop at https://kedai-murah.shop/p/1"), (2, "kedai-murah.shop")])
    crowd = SqliteCrowdReports(db, clock)
    assert crowd.reporters(FINDER.find("http://kedai-murah.shop/other")[0]) == 2
    SqliteForgetting(db, clock).forget(person(2))
    assert crowd.reporters(FINDER.find("kedai-murah.shop")[0]) == 1
    file_reports(store, [(3, "kedai-murah.shop again")])
    clock.advance(days=91)
    assert crowd.reporters(FINDER.find("kedai-murah.shop")[0]) == 0


def test_links_on_shared_sites_are_counted_by_the_whole_link_not_the_site(tmp_path: Path) -> None:
    clock = FakeClock()
    db = open_database(tmp_path / "w.db")
    store = SqliteReportStore(db, clock, FINDER)
    file_reports(
        store,
        [(1, "https://www.facebook.com/fake.shop.1"), (2, "https://www.facebook.com/other.page")],
    )
    crowd = SqliteCrowdReports(db, clock)
    assert crowd.reporters(FINDER.find("https://facebook.com/fake.shop.1")[0]) == 1
    assert crowd.reporters(FINDER.find("https://facebook.com/someone.else")[0]) == 0


# ---- the staff's lists ------------------------------------------------------------------------


def test_the_shipped_lists_pass_the_answer_check() -> None:
    assert load_scam_lists(RESPONSES)[1] == []


def test_the_answer_check_names_every_mistake_in_the_lists(tmp_path: Path) -> None:
    folder = tmp_path / "scam_lists"
    folder.mkdir()
    (folder / "official.yml").write_text(
        "official:\n"
        "  - brand: Maybank\n    domains: [maybank2u.com.my]\n"
        "  - brand: Fake\n    domains: [https://www.Example.com/x]\n    source: here\n"
        "  - brand: Again\n    domains: [maybank2u.com.my]\n    source: here\n",
        encoding="utf-8",
    )
    (folder / "known_scams.yml").write_text(
        "links:\n  - domain: evil.xyz\n    source: BNM list\n"
        "numbers:\n  - number: '012-345 6789'\n    source: PDRM\n"
        "  - number: '+60123456789'\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in load_scam_lists(tmp_path)[1]]
    assert any("official.yml" in p and "no source" in p for p in problems), problems
    assert any("not a plain domain" in p for p in problems), problems
    assert any("listed twice" in p for p in problems), problems
    assert any("E.164" in p for p in problems), problems
    assert any("known_scams.yml" in p and "no source" in p for p in problems), problems


def test_a_known_scam_number_staff_listed_is_flagged_by_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "scam_lists"
    folder.mkdir()
    (folder / "known_scams.yml").write_text(
        "links:\n  - domain: evil-parcel.xyz\n    source: BNM alert list 2027-01-05\n"
        "numbers:\n  - number: '+60123456789'\n    source: PDRM CCID 2027-01-05\n",
        encoding="utf-8",
    )
    lists = LiveScamLists(tmp_path)
    found = ScamChecker(FINDER, lists, lists).check("012-345 6789 or evil-parcel.xyz/pay")
    assert [f.code for f in found.findings if f.code == "known_bad"] == ["known_bad"] * 2


# ---- the command for staff and scripts --------------------------------------------------------


def test_scam_check_command_gives_the_verdict_and_reasons_as_json(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "WASPADA_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [WASPADA, "scam", "check", "--json", "--no-nlu", "Login now: maybank2u-verify.com/login"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["verdict"] == "likely_scam"
    assert {"lookalike", "login_path"} <= {f["code"] for f in out["findings"]}
    lookalike = next(f for f in out["findings"] if f["code"] == "lookalike")
    assert lookalike["brand"] == "Maybank"
    assert "maybank2u.com.my" in lookalike["reason"]


def test_reasons_name_the_brand_and_the_official_address() -> None:
    finding = next(
        f for f in checker().check("maybank2u-verify.com").findings if isinstance(f, Finding)
    )
    assert finding.brand == "Maybank" and finding.detail == "maybank2u.com.my"
