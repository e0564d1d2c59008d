"""The two free-text answers of the report flow: when it happened, and the links to the content."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.core.incident_date import is_dont_know, parse_incident_date
from bot.core.links import LinkResult, extract_links, guess_platform, no_link
from bot.core.report import MAX_URLS, PLATFORMS

TODAY = date(2026, 11, 25)  # a Wednesday


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# --- When did it happen? -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["today", "Today!", "hari ni", "hari ini", "hr ni", "今天", "今天早上"]
)
def test_reporter_saying_today_means_today(text: str) -> None:
    assert parse_incident_date(text, TODAY) == TODAY


@pytest.mark.parametrize("text", ["semalam", "Semalam malam", "semlm", "smlm", "kelmarin"])
def test_malay_user_saying_semalam_means_yesterday(text: str) -> None:
    assert parse_incident_date(text, TODAY) == days_ago(1)


@pytest.mark.parametrize(
    "text", ["yesterday", "ytd", "yesterdy", "I think yesterday night", "昨天"]
)
def test_english_and_chinese_yesterday_in_any_spelling(text: str) -> None:
    assert parse_incident_date(text, TODAY) == days_ago(1)


@pytest.mark.parametrize(
    "text", ["day before yesterday", "kelmarin dulu", "dua hari lepas", "2hari lepas", "前天"]
)
def test_two_days_ago_in_three_languages(text: str) -> None:
    assert parse_incident_date(text, TODAY) == days_ago(2)


@pytest.mark.parametrize(
    "text",
    ["3 days ago", "three days ago", "3 hari lepas", "3 hari yang lalu", "tiga hari lepas",
     "3天前", "三天前", "３天前"],
)  # fmt: skip
def test_n_days_ago_counts_back_from_today(text: str) -> None:
    assert parse_incident_date(text, TODAY) == days_ago(3)


@pytest.mark.parametrize(
    "text", ["last week", "minggu lepas", "seminggu lepas", "上个星期", "上周"]
)
def test_last_week_means_seven_days_ago(text: str) -> None:
    assert parse_incident_date(text, TODAY) == days_ago(7)


@pytest.mark.parametrize(
    "text", ["2 weeks ago", "2 minggu lepas", "两周前", "两个星期前", "2週前", "兩個禮拜前"]
)
def test_two_weeks_ago_means_fourteen_days(text: str) -> None:
    assert parse_incident_date(text, TODAY) == days_ago(14)


@pytest.mark.parametrize("text", ["sebulan lepas", "a month ago", "last month", "一个月前"])
def test_a_month_ago_means_thirty_days(text: str) -> None:
    assert parse_incident_date(text, TODAY) == days_ago(30)


@pytest.mark.parametrize(
    "text",
    ["2026-11-20", "20/11/2026", "20-11-2026", "20.11.26", "20 Nov", "20 November 2026",
     "20 Nov 2026", "Nov 20th, 2026", "20hb November 2026", "20/11", "11月20日", "2026年11月20日",
     "二〇二六年十一月二十日", "novembr 20", "on 20/11/2026 around 3.30pm"],
)  # fmt: skip
def test_calendar_dates_are_read_day_first_as_in_malaysia(text: str) -> None:
    assert parse_incident_date(text, TODAY) == date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20 Mac 2026", date(2026, 3, 20)), ("5 Ogos", date(2026, 8, 5)),
     ("1 Mei", date(2026, 5, 1)), ("3 Okt 2025", date(2025, 10, 3)),
     ("25 Dis 2025", date(2025, 12, 25)), ("7 Jan", date(2026, 1, 7))],
)  # fmt: skip
def test_malay_month_names_are_understood(text: str, expected: date) -> None:
    assert parse_incident_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20 Dec", date(2025, 12, 20)), ("25/11", TODAY), ("29/2", date(2024, 2, 29))],
)
def test_a_date_without_a_year_is_the_latest_one_not_after_today(text: str, expected: date) -> None:
    assert parse_incident_date(text, TODAY) == expected


def test_an_american_month_first_date_is_still_understood_when_unambiguous() -> None:
    assert parse_incident_date("11/20/2026", TODAY) == date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("friday", date(2026, 11, 20)), ("last friday", date(2026, 11, 20)),
     ("jumaat lepas", date(2026, 11, 20)), ("wednesday", TODAY),
     ("last wednesday", date(2026, 11, 18)), ("星期一", date(2026, 11, 23)),
     ("上周五", date(2026, 11, 20)), ("上个星期一", date(2026, 11, 16))],
)  # fmt: skip
def test_a_weekday_means_the_most_recent_one(text: str, expected: date) -> None:
    assert parse_incident_date(text, TODAY) == expected


def test_a_time_of_day_next_to_a_word_does_not_become_a_date() -> None:
    assert parse_incident_date("semalam jam 3.30 ptg", TODAY) == days_ago(1)


@pytest.mark.parametrize(
    "text", ["tomorrow", "esok", "lusa", "next week", "20 Dec 2026", "2026-12-01", "26/11/2026"]
)
def test_dates_in_the_future_are_refused(text: str) -> None:
    assert parse_incident_date(text, TODAY) is None


def test_dates_more_than_five_years_ago_are_refused_but_five_years_is_fine() -> None:
    assert parse_incident_date("2021-11-25", TODAY) == date(2021, 11, 25)
    assert parse_incident_date("2021-11-24", TODAY) is None
    assert parse_incident_date("10 years ago", TODAY) is None


@pytest.mark.parametrize(
    "text",
    ["", "asdfgh", "selamat pagi", "31/02/2026", "2026-13-01", "3.30", "2 hrs ago", "几天前",
     "sometime", "ok"],
)  # fmt: skip
def test_garbage_and_impossible_dates_give_none(text: str) -> None:
    assert parse_incident_date(text, TODAY) is None


def test_two_hr_lepas_is_two_days_in_malay_but_two_hr_ago_is_hours_in_english() -> None:
    assert parse_incident_date("2 hr lepas", TODAY) == days_ago(2)
    assert parse_incident_date("2 hr ago", TODAY) is None


@pytest.mark.parametrize(
    "text",
    ["not sure", "Don’t know", "dunno", "tak pasti", "tak tahu", "x tau", "不知道", "不确定",
     "skip", "Langkau", "saya tak ingat"],
)  # fmt: skip
def test_a_person_unsure_of_the_date_may_skip_the_question(text: str) -> None:
    assert is_dont_know(text)


@pytest.mark.parametrize("text", ["yesterday", "20/11", "skipping rope", "pasti semalam", ""])
def test_a_real_answer_is_not_taken_as_dont_know(text: str) -> None:
    assert not is_dont_know(text)


# --- Links to the content ------------------------------------------------------------------------


def test_several_links_pasted_on_separate_lines_are_all_kept_in_order() -> None:
    text = "https://www.facebook.com/share/p/abc/\nhttps://x.com/a/status/1 , https://t.me/s/2"
    assert extract_links(text) == LinkResult(
        urls=(
            "https://www.facebook.com/share/p/abc/",
            "https://x.com/a/status/1",
            "https://t.me/s/2",
        ),
        rejected=(),
    )


def test_links_pasted_with_chinese_punctuation_are_found() -> None:
    text = "看这个https://x.com/a/status/1，很坏。还有【https://shopee.com.my/p/9】和https://t.me/scam/12。"
    assert extract_links(text).urls == (
        "https://x.com/a/status/1",
        "https://shopee.com.my/p/9",
        "https://t.me/scam/12",
    )


@pytest.mark.parametrize(
    ("text", "url"),
    [("(see https://example.com/a).", "https://example.com/a"),
     ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"),
     ("link: https://example.com/a?b=1!", "https://example.com/a?b=1"),
     ("“https://example.com/q”", "https://example.com/q")],
)  # fmt: skip
def test_punctuation_around_a_link_in_a_sentence_is_not_part_of_it(text: str, url: str) -> None:
    assert extract_links(text).urls == (url,)


@pytest.mark.parametrize(
    ("text", "url"),
    [("fb.com/story.php?id=1", "https://fb.com/story.php?id=1"),
     ("www.facebook.com/groups/2", "https://www.facebook.com/groups/2"),
     ("tiktok.com/@user/video/1", "https://tiktok.com/@user/video/1"),
     ("vt.tiktok.com/ZSabc/", "https://vt.tiktok.com/ZSabc/"),
     ("t.me/channel/12", "https://t.me/channel/12"),
     ("wa.me/60123456789", "https://wa.me/60123456789"),
     ("youtu.be/dQw4w9WgXcQ", "https://youtu.be/dQw4w9WgXcQ"),
     ("x.com/someone/status/5", "https://x.com/someone/status/5"),
     ("instagram.com/p/Cx1", "https://instagram.com/p/Cx1"),
     ("scam-shop.my/promo", "https://scam-shop.my/promo")],
)  # fmt: skip
def test_links_copied_from_apps_without_https_are_completed(text: str, url: str) -> None:
    assert extract_links(text).urls == (url,)


def test_ordinary_words_with_dots_are_not_taken_for_links() -> None:
    assert extract_links("e.g. Mr.Tan sent file.txt, lihat gambar.") == LinkResult((), ())


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "JavaScript:void(0)", "ftp://files.example.com/a", "file:///etc/passwd",
     "data:text/html,<b>hi</b>", "http://localhost:8000/x", "http://192.168.1.1/admin",
     "http://10.0.0.1", "http://127.0.0.1/", "http://127.1/", "http://0x7f.0.0.1/",
     "http://2130706433/", "http://[::1]/", "http://intranet/", "https://", "https://a.com:99999/"],
)  # fmt: skip
def test_dangerous_or_internal_links_are_rejected_not_reported(link: str) -> None:
    result = extract_links(f"tengok ni {link} ok")
    assert result.urls == ()
    assert len(result.rejected) == 1


def test_a_public_ip_address_link_is_kept_as_evidence() -> None:
    assert extract_links("http://8.8.8.8/login").urls == ("http://8.8.8.8/login",)


@pytest.mark.parametrize("bad", ["\x00", "\u202e", "\x07"])
def test_a_link_hiding_control_characters_is_rejected_and_shown_safely(bad: str) -> None:
    result = extract_links(f"https://evil.example/{bad}gnp.exe")
    assert result.urls == ()
    assert result.rejected == ("https://evil.example/�gnp.exe",)


def test_an_absurdly_long_link_is_rejected_and_shown_shortened() -> None:
    result = extract_links("https://example.com/" + "a" * 2100)
    assert result.urls == ()
    assert len(result.rejected[0]) <= 81


def test_a_link_broken_by_a_space_does_not_slip_through_whole() -> None:
    result = extract_links("https://exa mple.com/x")
    assert "https://exa mple.com/x" not in result.urls
    assert result.rejected == ("https://exa",)


def test_the_same_link_pasted_twice_is_kept_once() -> None:
    text = "https://a.com/x https://a.com/x A.com/x HTTPS://A.COM/x"
    assert extract_links(text).urls == ("https://a.com/x",)


def test_two_links_stuck_together_with_a_comma_are_split() -> None:
    assert extract_links("https://a.com/1,https://b.com/2").urls == (
        "https://a.com/1",
        "https://b.com/2",
    )


def test_host_is_lowercased_but_the_path_is_left_alone() -> None:
    assert extract_links("HTTPS://WWW.Example.COM/Path?Q=A").urls == (
        "https://www.example.com/Path?Q=A",
    )


def test_more_links_than_the_report_holds_are_counted_not_silently_dropped() -> None:
    text = " ".join(f"https://s{i}.com/" for i in range(MAX_URLS + 3))
    result = extract_links(text + " https://s0.com/")
    assert result.urls == tuple(f"https://s{i}.com/" for i in range(MAX_URLS))
    assert result.over_limit == 3
    assert result.rejected == ()


@pytest.mark.parametrize(
    ("url", "platform"),
    [("https://www.facebook.com/x", "facebook"), ("https://m.facebook.com/x", "facebook"),
     ("fb.com/x", "facebook"), ("https://fb.watch/a", "facebook"),
     ("https://www.instagram.com/p/1", "instagram"), ("https://instagr.am/p/1", "instagram"),
     ("https://www.tiktok.com/@u", "tiktok"), ("https://vt.tiktok.com/ZS", "tiktok"),
     ("https://vm.tiktok.com/ZS", "tiktok"), ("https://t.me/a", "telegram"),
     ("https://telegram.me/a", "telegram"), ("https://wa.me/60123", "whatsapp"),
     ("https://chat.whatsapp.com/Ab", "whatsapp"), ("https://x.com/u", "x"),
     ("https://twitter.com/u", "x"), ("https://t.co/abc", "x"),
     ("https://www.youtube.com/watch?v=1", "youtube"), ("https://youtu.be/1", "youtube"),
     ("https://m.youtube.com/watch?v=1", "youtube"), ("https://WWW.YOUTUBE.COM/", "youtube")],
)  # fmt: skip
def test_the_platform_is_guessed_from_the_link(url: str, platform: str) -> None:
    assert guess_platform(url) == platform


@pytest.mark.parametrize(
    "url",
    ["https://notfacebook.com/x", "https://x.com.evil.example/", "https://shopee.com.my/p",
     "not a url", "https://"],
)  # fmt: skip
def test_lookalike_and_unknown_sites_are_other(url: str) -> None:
    assert guess_platform(url) == "other"


def test_every_guessed_platform_is_one_the_complaint_api_accepts() -> None:
    for url in ("https://fb.com", "https://t.me", "https://example.com", "https://youtu.be"):
        assert guess_platform(url) in PLATFORMS


@pytest.mark.parametrize(
    "text",
    ["I don't have a link", "no link", "No links, only a screenshot", "takde link", "tak ada link",
     "tiada pautan", "xde link", "没有链接", "没有 link", "没有", "tiada", "none"],
)  # fmt: skip
def test_a_person_without_a_link_can_say_so(text: str) -> None:
    assert no_link(text)


@pytest.mark.parametrize(
    "text",
    ["I have the link", "no, link below", "tak", "no link? here fb.com/x", "https://a.com/x", ""],
)
def test_a_link_or_a_different_answer_is_not_taken_as_no_link(text: str) -> None:
    assert not no_link(text)
