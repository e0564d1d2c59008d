"""Finds what can be checked in pasted text: links (reduced to their registered domain with
tldextract's bundled public-suffix list, never fetched), phone numbers in every Malaysian format
(phonenumbers, region MY) and bank-account-like numbers.

| written as                               | becomes                                  |
|------------------------------------------|------------------------------------------|
| https://Www.MayBank2u.com.my/a?b#c       | link maybank2u.com.my/a (no www., query) |
| maybank2u-verify.com/login (no scheme)   | link, when the suffix is a real one       |
| hxxps://evil[.]xyz (defanged)            | link evil.xyz                             |
| javascript:alert(1)                      | link "javascript:", flagged, never opened |
| +60 12-345 6789, 60123456789, 012-3456789 | phone +60123456789                      |
| 03-2610 1559, 1-300-88-5465, 1800 22 8888 | phone in E.164                          |
| 997, 15999 (short codes)                 | nothing: hotlines are not suspects        |
| 5621 2345 6789 (10-17 digits, not a phone) | account 562123456789                    |
| 900101-14-5678 (MyKad layout)            | nothing: an identity number is not checked |
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

import phonenumbers
import tldextract

from bot.core.scam_check import Item

_EXTRACT = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)
_SCHEMED = re.compile(r"(?i)\b(?:h[tx]{2}ps?|ftp)://[^\s<>\"'`]+|\bwww\.[^\s<>\"'`]+")
_SCRIPT = re.compile(r"(?i)\b(?:javascript|data|vbscript):[^\s<>\"'`]*")
# A bare host with a dot: the suffix check (tldextract) decides whether it is a domain.
_BARE = re.compile(
    r"(?<![@\w.-])(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}(?::\d{2,5})?(?:/[^\s<>\"'`]*)?"
)
_IP_HOST = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{2,5})?(?:/[^\s<>\"'`]*)?")
_DEFANG = re.compile(r"\[\.\]|\(\.\)|\{\.\}")
_TRAILING = ".,;:!?)]}>'\"”’）。，！？、"
_DIGIT_RUN = re.compile(r"(?<![\d+])\d(?:[ -]?\d){9,16}(?!\d)")
_MYKAD = re.compile(r"^\d{6}-\d{2}-\d{4}$")
_MY_BARE_INTERNATIONAL = re.compile(r"(?<![\d+])60(?:1\d{8,9}|[3-9]\d{7,8})(?!\d)")


class TextItemFinder:
    def find(self, text: str) -> list[Item]:
        text = unicodedata.normalize("NFC", _DEFANG.sub(".", text))
        found: dict[tuple[str, str], Item] = {}
        taken: list[tuple[int, int]] = []
        for pattern in (_SCRIPT, _SCHEMED, _IP_HOST, _BARE):
            for match in pattern.finditer(text):
                if _overlaps(match.span(), taken):
                    continue
                raw = match.group().rstrip(_TRAILING)
                item = link_item(raw)
                if item is not None:
                    taken.append(match.span())
                    found.setdefault((item.kind, item.value), item)
        rest = _blank(text, taken)
        phones, spans = _phones(rest)
        for item in (*phones, *_accounts(_blank(rest, spans))):
            found.setdefault((item.kind, item.value), item)
        return sorted(found.values(), key=lambda i: _position(text, i))


def link_item(raw: str) -> Item | None:
    """A link as the checks see it, or None if `raw` is no link (a file name, "e.g.")."""
    if _SCRIPT.fullmatch(raw):
        scheme = raw.split(":", 1)[0].lower()
        return Item("link", scheme + ":", scheme + ":", host="", path=raw[:60])
    with_scheme = raw if "://" in raw else "http://" + raw
    with_scheme = re.sub(r"(?i)^hxxp", "http", with_scheme)
    try:
        parts = urlsplit(with_scheme)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    if not host:
        return None
    host = _unicode_host(host)
    path = parts.path.rstrip("/")
    if _is_ip(host):
        return Item("link", host + path, host, domain=host, host=host, path=path)
    extracted = _EXTRACT(host)
    if not extracted.suffix or not extracted.domain:
        return None
    domain = f"{extracted.domain}.{extracted.suffix}"
    if (
        "://" not in raw
        and not raw.lower().startswith("www.")
        and not _plausible_bare(raw, extracted.suffix)
    ):
        return None
    bare = host.removeprefix("www.")
    return Item("link", bare + path, host, domain=domain, host=host, path=path)


def _plausible_bare(raw: str, suffix: str) -> bool:
    """ "maybank2u-verify.com" is a link; "file.py" or "e.g." is not."""
    return suffix not in {"py", "md", "txt", "zip", "exe"} or "/" in raw


def _unicode_host(host: str) -> str:
    """Lower case; punycode labels shown as the letters they stand for, so a look-alike is seen."""
    labels = []
    for label in host.lower().split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError):
                label = label.encode("ascii").decode("idna")
        labels.append(label)
    return ".".join(labels)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _phones(text: str) -> tuple[list[Item], list[tuple[int, int]]]:
    items, spans = [], []
    for match in phonenumbers.PhoneNumberMatcher(text, "MY"):
        items.append(_phone_item(match.number, match.raw_string))
        spans.append((match.start, match.end))
    for bare in _MY_BARE_INTERNATIONAL.finditer(text):
        if _overlaps(bare.span(), spans):
            continue
        try:
            number = phonenumbers.parse("+" + bare.group(), None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            items.append(_phone_item(number, bare.group()))
            spans.append(bare.span())
    return items, spans


def _phone_item(number: phonenumbers.PhoneNumber, raw: str) -> Item:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    national = number.country_code == 60
    shown = phonenumbers.format_number(
        number,
        phonenumbers.PhoneNumberFormat.NATIONAL
        if national
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    )
    return Item("phone", e164, shown, path=raw)


def _accounts(text: str) -> list[Item]:
    items = []
    for match in _DIGIT_RUN.finditer(text):
        raw = match.group()
        if _MYKAD.match(raw):
            continue
        digits = re.sub(r"\D", "", raw)
        if digits.startswith(("60", "01")) and _looks_like_phone(digits):
            continue
        if 10 <= len(digits) <= 17:
            items.append(Item("account", digits, digits, path=raw))
    return items


def _looks_like_phone(digits: str) -> bool:
    for candidate in ("+" + digits, digits):
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(candidate, "MY")):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Links blanked out, so digits inside a link are not read as phone or account numbers."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _position(text: str, item: Item) -> int:
    for probe in (item.path, item.shown, item.value):
        at = text.lower().find(probe.lower()) if probe else -1
        if at >= 0:
            return at
    return len(text)
