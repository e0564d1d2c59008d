"""Personal details out of a message before anyone on staff reads it.

Messages the bot could not place are kept for review (`bot/core/review.py`); people paste their
phone number, IC, bank account or a scammer's link into exactly those messages. Each detail is
replaced by a placeholder that keeps the message's shape, so staff still see "my name is [name],
the caller at [phone] asked for my [account]" and can label it.

| placeholder | what it replaces                                                            |
|-------------|-----------------------------------------------------------------------------|
| `[email]`   | anything@domain.tld                                                         |
| `[link]`    | http(s):// links, `www.…`, and `site.tld/…` for common endings (`bit.ly/x`) |
| `[mykad]`   | YYMMDD-PB-###G with a real month and day, with or without dashes or spaces  |
| `[phone]`   | Malaysian mobiles and land lines (`012-345 6789`, `+60 12…`, `03-…`), and    |
|             | `+<country>` numbers of 8 to 15 digits                                      |
| `[account]` | any other run of 10 to 16 digits, with or without spaces or dashes          |
| `[name]`    | one to three capitalised words, or 2-3 Han characters, after "nama saya",   |
|             | "saya bernama", "my name is", "I am called", "我叫", "我的名字是"             |

The order is the table's: an email holds a domain, a link may hold a phone number
(`wa.me/60123456789`), and a 12-digit IC is also 12 digits. Full-width digits and signs are
folded first, so "０１２－３４５６７８９" is a phone number too
(Chinese punctuation stays). Digits are told apart by their neighbours being digits, never by
word boundaries: in Chinese the letters round a number are word characters ("电话0123456789").

Deliberately standard library only (no `phonenumbers`): the core must not import libraries, and
the Malaysian formats are few. A lowercase name ("nama saya ali") is not caught: too many
ordinary words follow "my name is" ("my name is being used").
"""

from __future__ import annotations

import re
from collections.abc import Callable

_NOT_BEFORE = r"(?<![0-9A-Za-z+])"
_NOT_AFTER = r"(?![0-9])"
_TLDS = (
    "com|net|org|my|info|biz|xyz|top|shop|site|online|store|app|io|co|me|cc|vip|link|club|live|tv"
    "|ly|gl|gg|to|ai|asia|sg|id|cn|hk|tw|uk|us|gov|edu|win|icu|buzz|fun|life|bond"
)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
LINK = re.compile(
    r"(?i)(?:\bhttps?://|\bwww\.)[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+"
    r"|(?<![\w.@/-])(?:[a-z0-9-]+\.)+(?:" + _TLDS + r")\b(?:/[^\s\u3000-\u303f\u4e00-\u9fff]*)?",
    re.ASCII,
)
MYKAD = re.compile(
    _NOT_BEFORE
    + r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:-\d{2}-|\s\d{2}\s|\d{2})\d{4}"
    + _NOT_AFTER
)
_SEP = r"[\s.-]?"
MALAYSIAN_PHONE = re.compile(
    _NOT_BEFORE
    + r"(?:\+?6?0"
    + _SEP
    + r")(?:1\d"
    + _SEP
    + r"\d{3,4}"
    + _SEP
    + r"\d{4}|[3-9]\d?"
    + _SEP
    + r"\d{3,4}"
    + _SEP
    + r"\d{3,4})"
    + _NOT_AFTER
)
INTERNATIONAL_PHONE = re.compile(
    r"(?<![0-9A-Za-z])\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){1,5}" + _NOT_AFTER
)
ACCOUNT = re.compile(_NOT_BEFORE + r"\d(?:[\s-]?\d){9,15}" + _NOT_AFTER)
_CAPITALISED = r"[A-Z][A-Za-z'’-]*"
NAME = re.compile(
    r"(?P<lead>(?i:nama\s+(?:saya|sy|aku)(?:\s+(?:ialah|adalah))?|saya\s+bernama|"
    r"my\s+name\s+is|my\s+name's|i\s+am\s+called|i'm\s+called)[\s:,]+)"
    r"(?P<name>" + _CAPITALISED + r"(?:\s+(?:bin|binti|a/l|a/p)\s+" + _CAPITALISED + r")?"
    r"(?:\s+" + _CAPITALISED + r"){0,2})"
    r"|(?P<zh_lead>(?:我叫|我的名字是|我名叫|我的名字叫)\s*)"
    r"(?P<zh_name>[\u4e00-\u9fff]{2,3}|" + _CAPITALISED + r"(?:\s+" + _CAPITALISED + r")?)"
)
_TRAILING = ".,;:!?)]}'\""
# Full-width digits, letters and the signs round numbers, as their ASCII selves.
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c) not in "，。！？；：（）"}


def _link(match: re.Match[str]) -> str:
    """A sentence's full stop or closing bracket after a link stays in the sentence."""
    found = match.group(0)
    kept = found.rstrip(_TRAILING)
    return "[link]" + found[len(kept) :]


def _international(match: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in match.group(0))
    return "[phone]" if 8 <= digits <= 15 else match.group(0)


def _name(match: re.Match[str]) -> str:
    if match.group("lead") is not None:
        return match.group("lead") + "[name]"
    return match.group("zh_lead") + "[name]"


_STEPS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (EMAIL, lambda _m: "[email]"),
    (LINK, _link),
    (MYKAD, lambda _m: "[mykad]"),
    (MALAYSIAN_PHONE, lambda _m: "[phone]"),
    (INTERNATIONAL_PHONE, _international),
    (ACCOUNT, lambda _m: "[account]"),
    (NAME, _name),
)


def redact(text: str) -> str:
    """The message with every detail in the table above replaced by its placeholder."""
    folded = text.translate(_FULL_WIDTH)
    for pattern, replacement in _STEPS:
        folded = pattern.sub(replacement, folded)
    return folded
