"""When did it happen? — reading the answer the way Malaysians actually type it.

The report flow asks for an (optional) incident date and people answer in English, Malay, Chinese
or a mix: "semalam", "3 hari lepas", "上周", "20/11", "5 Ogos", "2026年11月20日", with typos and
short forms ("smlm", "ytd", "hr ni"). A wrong date in a report to the regulator is worse than none,
so anything we cannot read with confidence, anything in the future and anything more than five
years old comes back as None and the flow asks again (or lets the person skip).

Readers are tried from the most to the least specific: an explicit calendar date, then "N units
ago", then a weekday, then words such as "yesterday". Numbers are day first, as in Malaysia; a
date without a year is the most recent such date not after today.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone

MAX_YEARS_BACK = 5
MALAYSIA = timezone(timedelta(hours=8), "MYT")

NOT_SURE_WORDS: tuple[str, ...] = (
    # en
    "not sure", "unsure", "don't know", "dont know", "do not know", "idk", "dunno", "no idea",
    "can't remember", "cant remember", "don't remember", "dont remember", "forgot", "skip",
    # ms
    "tak pasti", "x pasti", "tidak pasti", "tak tahu", "tak tau", "x tahu", "x tau",
    "tidak tahu", "tak ingat", "x ingat", "tidak ingat", "lupa", "langkau",
    # zh
    "不知道", "不确定", "不清楚", "不记得", "记不得", "忘了", "跳过",
)  # fmt: skip

_MONTHS: dict[str, int] = {
    "january": 1, "januari": 1, "jan": 1,
    "february": 2, "februari": 2, "febuari": 2, "feb": 2,
    "march": 3, "mac": 3, "mar": 3,
    "april": 4, "apr": 4,
    "may": 5, "mei": 5,
    "june": 6, "jun": 6,
    "july": 7, "julai": 7, "jul": 7,
    "august": 8, "ogos": 8, "aug": 8, "ogo": 8,
    "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oktober": 10, "oct": 10, "okt": 10,
    "november": 11, "nov": 11,
    "december": 12, "disember": 12, "dec": 12, "dis": 12,
}  # fmt: skip
_WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0, "isnin": 0,
    "tuesday": 1, "tue": 1, "tues": 1, "selasa": 1,
    "wednesday": 2, "wed": 2, "rabu": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "khamis": 3,
    "friday": 4, "fri": 4, "jumaat": 4, "jumat": 4,
    "saturday": 5, "sat": 5, "sabtu": 5,
    "sunday": 6, "sun": 6, "ahad": 6,
}  # fmt: skip
# Phrases meaning a fixed number of days ago. Short forms and common misspellings are listed
# outright; longer words are also corrected by `_fix_typos`.
_DAYS_AGO_WORDS: dict[str, int] = {
    **dict.fromkeys(
        ["today", "tdy", "tday", "2day", "this morning", "this afternoon", "this evening",
         "tonight", "just now", "earlier today", "hari ini", "hari ni", "hr ni", "hri ni",
         "harini", "arini", "ari ni", "hr ini", "tadi", "pagi tadi", "petang tadi",
         "tengah hari tadi", "baru tadi", "今天", "今日", "今早", "今晚", "刚才", "刚刚"],
        0,
    ),
    **dict.fromkeys(
        ["yesterday", "ytd", "yday", "yest", "ystd", "ystdy", "last night", "semalam", "semlm",
         "smlm", "smalam", "semalm", "kelmarin", "kemarin", "klmrn", "malam tadi", "昨天", "昨日",
         "昨晚", "昨夜"],
        1,
    ),
    **dict.fromkeys(
        ["day before yesterday", "the day before yesterday", "kelmarin dulu", "kelmarin dahulu",
         "前天", "前日"],
        2,
    ),
    "大前天": 3,
    **dict.fromkeys(
        ["last week", "minggu lepas", "minggu lalu", "minggu yang lepas", "minggu yg lepas",
         "minggu yang lalu", "minggu yg lalu", "mgu lepas", "mgu lps", "minggu lps", "上个星期",
         "上星期", "上周", "上个礼拜", "上礼拜", "上個星期", "上週"],
        7,
    ),
    **dict.fromkeys(
        ["last month", "bulan lepas", "bulan lalu", "bulan yang lepas", "bulan yg lepas",
         "bln lepas", "上个月", "上個月"],
        30,
    ),
}  # fmt: skip
_UNIT_DAYS: dict[str, int] = {
    **dict.fromkeys(["day", "days", "d", "hari", "hr", "天", "日"], 1),
    **dict.fromkeys(
        ["week", "weeks", "wk", "wks", "w", "minggu", "mgu", "星期", "周", "週", "礼拜", "禮拜"], 7
    ),
    **dict.fromkeys(["month", "months", "mth", "mths", "bulan", "bln", "月"], 30),
    **dict.fromkeys(["year", "years", "yr", "yrs", "tahun", "thn", "年"], 365),
}
_NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "lapan": 8,
    "sembilan": 9, "sepuluh": 10, "sebelas": 11, "dua belas": 12,
}  # fmt: skip
_SE_UNITS = {"sehari": 1, "seminggu": 7, "sebulan": 30, "setahun": 365}
_ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

# Only long, distinctive words are corrected, so "selamat" never turns into "semalam".
_FUZZY_TARGETS = sorted(
    {"yesterday", "semalam", "kelmarin", "minggu"}
    | {m for m in _MONTHS if len(m) >= 5}
    | {w for w in _WEEKDAYS if len(w) >= 5}
)
_KNOWN_WORDS = (
    set(_MONTHS) | set(_WEEKDAYS) | set(_UNIT_DAYS) | set(_NUMBER_WORDS) | set(_SE_UNITS)
    | {w for phrase in _DAYS_AGO_WORDS for w in phrase.split()}
    | {"ago", "back", "before", "lepas", "lalu", "yang", "last", "the", "of", "haribulan"}
)  # fmt: skip


def malaysia_today(now: datetime) -> date:
    """ "Today" as the person means it: the clock runs in UTC, which is still yesterday in
    Malaysia until 08:00."""
    return now.astimezone(MALAYSIA).date()


def _alternation(words: Iterable[str]) -> str:
    """Longest first, so "day before yesterday" wins over "yesterday" at the same place."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_L, _R = r"(?<![a-z0-9])", r"(?![a-z0-9])"  # word edges that also work next to Chinese
_MONTH = rf"(?P<month>{_alternation(_MONTHS)})\.?{_R}"
_YEAR_AFTER_NAME = r"(?:[\s,/-]*(?P<year>\d{4}|'\d{2}))?(?!\d)"
_ZH_NUM = r"[0-9〇零一二两兩三四五六七八九十]"

_ISO = re.compile(r"(?<!\d)(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)")
_ZH_DATE = re.compile(
    rf"(?:(?P<year>{_ZH_NUM}{{2,4}})\s*年\s*)?(?P<month>{_ZH_NUM}{{1,2}})\s*月\s*"
    rf"(?P<day>{_ZH_NUM}{{1,3}})\s*(?:日|号|號)?"
)
# Year-less numeric dates need "/": "3-4 hari lepas" is a range and "3.30" a time.
_NUMERIC = re.compile(
    r"(?<![\d/.-])(?P<day>\d{1,2})"
    r"(?:(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})|/(?P<bare_month>\d{1,2}))"
    r"(?![\d/-]|\.\d)"
)
_DAY_MONTH = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?:st|nd|rd|th|hb|haribulan)?\s*(?:of\s+)?[-/]?\s*{_MONTH}"
    + _YEAR_AFTER_NAME
)
_MONTH_DAY = re.compile(
    rf"{_L}{_MONTH}\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:\s*,?\s*(?P<year>\d{{4}}))?(?!\d)"
)
_NUMBER = rf"(?P<n>\d{{1,3}}|{_alternation(_NUMBER_WORDS)})"
_AGO_LATIN = re.compile(
    rf"{_L}{_NUMBER}\s*(?P<unit>{_alternation(k for k in _UNIT_DAYS if k.isascii())}){_R}\s*"
    r"(?:(?:yang|yg)\s+)?(?P<ago>ago|back|before|lepas|lps|lalu)"
    rf"|{_L}(?P<se>{_alternation(_SE_UNITS)})\s*(?:(?:yang|yg)\s+)?(?:lepas|lps|lalu)"
)
_AGO_ZH = re.compile(
    rf"(?P<n>{_ZH_NUM}+)\s*(?:个|個)?\s*(?P<unit>天|日|星期|周|週|礼拜|禮拜|月|年)\s*(?:以前|之前|前)"
)
_WEEKDAY_LATIN = re.compile(
    rf"{_L}(?P<last>last\s+)?(?P<name>{_alternation(_WEEKDAYS)}){_R}"
    r"(?P<lepas>\s+(?:(?:yang|yg)\s+)?(?:lepas|lalu))?"
)
_WEEKDAY_ZH = re.compile(
    r"(?P<last>上\s*(?:个|個)?)?\s*(?:星期|周|週|礼拜|禮拜)\s*(?P<name>[一二三四五六日天])"
)
_WORDS = re.compile(
    "|".join(
        re.escape(w) if not w.isascii() else _L + re.escape(w) + _R
        for w in sorted(_DAYS_AGO_WORDS, key=len, reverse=True)
    )
)
_NOT_SURE = re.compile(
    "|".join(re.escape(w) if not w.isascii() else _L + re.escape(w) + _R for w in NOT_SURE_WORDS)
)


def _normalise(text: str) -> str:
    """Full-width digits to ASCII, one kind of apostrophe, lower case, single spaces."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").lower()
    return " ".join(text.split())


def _fix_typos(text: str) -> str:
    """Correct near-misses of long date words ("yesterdy", "novembr", "kelmrin")."""

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        if len(word) < 5 or word in _KNOWN_WORDS:
            return word
        close = difflib.get_close_matches(word, _FUZZY_TARGETS, n=1, cutoff=0.85)
        return close[0] if close else word

    return re.sub(r"[a-z]+", fix, text)


def _zh_number(text: str) -> int | None:
    """ "20", "二十", "十一", "二〇二六" → int; None for shapes dates never take ("十十")."""
    digits = [int(c) if c.isascii() else _ZH_DIGITS.get(c) for c in text]
    if "十" not in text:
        return int("".join(map(str, digits))) if None not in digits else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return None
    ten = _zh_number(tens) if tens else 1
    unit = _zh_number(units) if units else 0
    return None if ten is None or unit is None else ten * 10 + unit


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _calendar(year: int | None, month: int, day: int, today: date) -> date | None:
    """A real date; a missing year means the latest one not after today."""
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    for candidate_year in range(today.year, today.year - MAX_YEARS_BACK - 1, -1):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue  # 29 February in a common year, or no such day at all
        if candidate <= today:
            return candidate
    return None


def _two_digit_year(text: str | None) -> int | None:
    if text is None:
        return None
    digits = text.lstrip("'")
    return int(digits) + 2000 if len(digits) == 2 else int(digits)


def _read_iso(match: re.Match[str], today: date) -> date | None:
    return _calendar(int(match["year"]), int(match["month"]), int(match["day"]), today)


def _read_zh_date(match: re.Match[str], today: date) -> date | None:
    year = _zh_number(match["year"]) if match["year"] else None
    month, day = _zh_number(match["month"]), _zh_number(match["day"])
    if month is None or day is None or (match["year"] and year is None):
        return None
    if year is not None and year < 100:  # "26年"
        year += 2000
    return _calendar(year, month, day, today)


def _read_numeric(match: re.Match[str], today: date) -> date | None:
    day, month = int(match["day"]), int(match["month"] or match["bare_month"])
    if month > 12 >= day:  # "11/20/2026": someone used the American order
        day, month = month, day
    return _calendar(_two_digit_year(match["year"]), month, day, today)


def _read_named_month(match: re.Match[str], today: date) -> date | None:
    month = _MONTHS[match["month"]]
    return _calendar(_two_digit_year(match["year"]), month, int(match["day"]), today)


def _read_ago(match: re.Match[str], today: date) -> date | None:
    se = match.groupdict().get("se")  # only the Latin pattern has "sebulan"-style words
    if se:
        return today - timedelta(days=_SE_UNITS[se])
    raw, unit = match["n"], match["unit"]
    if unit == "hr" and match["ago"] in ("ago", "back", "before"):
        return None  # "2 hr lepas" is two days in Malay, "2 hr ago" two hours in English
    count = _NUMBER_WORDS[raw] if raw in _NUMBER_WORDS else _zh_number(raw)
    return None if count is None else today - timedelta(days=count * _UNIT_DAYS[unit])


def _read_weekday(match: re.Match[str], today: date) -> date | None:
    """A bare weekday is the latest one (today included); "last"/"lepas" means before today;
    Chinese 上周五 is Friday of the previous Monday-to-Sunday week."""
    name = match["name"]
    if name in _ZH_WEEKDAYS:
        weekday = _ZH_WEEKDAYS[name]
        if match["last"]:
            this_monday = today - timedelta(days=today.weekday())
            return this_monday - timedelta(days=7 - weekday)
        return today - timedelta(days=(today.weekday() - weekday) % 7)
    back = (today.weekday() - _WEEKDAYS[name]) % 7
    if back == 0 and (match["last"] or match["lepas"]):
        back = 7
    return today - timedelta(days=back)


def _read_words(match: re.Match[str], today: date) -> date | None:
    return today - timedelta(days=_DAYS_AGO_WORDS[match.group()])


_READERS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], date], date | None]], ...] = (
    (_ISO, _read_iso),
    (_ZH_DATE, _read_zh_date),
    (_NUMERIC, _read_numeric),
    (_DAY_MONTH, _read_named_month),
    (_MONTH_DAY, _read_named_month),
    (_AGO_LATIN, _read_ago),
    (_AGO_ZH, _read_ago),
    (_WEEKDAY_ZH, _read_weekday),
    (_WEEKDAY_LATIN, _read_weekday),
    (_WORDS, _read_words),
)


def parse_incident_date(text: str, today: date) -> date | None:
    """The date `text` names, or None if unreadable, in the future or over five years ago.

    The first reader that recognises something decides: a half-understood explicit date
    ("31/02") is None rather than a guess from some other word in the message.
    """
    cleaned = _fix_typos(_normalise(text))
    for pattern, read in _READERS:
        match = pattern.search(cleaned)
        if match is None:
            continue
        found = read(match, today)
        if found is None or found > today or found < _years_before(today, MAX_YEARS_BACK):
            return None
        return found
    return None


def is_dont_know(text: str) -> bool:
    """The person would rather skip the (optional) date question than guess."""
    return _NOT_SURE.search(_normalise(text)) is not None
