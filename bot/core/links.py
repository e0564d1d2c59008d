"""Links to the harmful content, picked out of whatever the person pasted.

People paste several links at once, between Chinese text, with "。" or ")" stuck to the end, or as
the scheme-less forms apps copy ("vt.tiktok.com/ZS…", "wa.me/60…"). We keep every http(s) link we
can read, normalised to `https://…` when it had no scheme, and hand back the things that looked
like links but must not go into a report (other schemes, local or private addresses, garbage) so
the bot can say which ones it dropped. Whoever later opens these URLs (staff, the regulator's
crawler) must never be pointed at `javascript:` or an internal address through us.

Text that merely contains a dot ("e.g.", "Mr.Tan") is neither a link nor rejected: it is ignored.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.core.report import MAX_URLS

MAX_URL_LENGTH = 2048
_REJECTED_SHOWN = 80  # a rejected "link" is echoed back to the person, so keep it short

PLATFORM_DOMAINS: dict[str, tuple[str, ...]] = {
    "facebook": ("facebook.com", "fb.com", "fb.watch", "fb.me", "fb.gg"),
    "instagram": ("instagram.com", "instagr.am", "ig.me"),
    "tiktok": ("tiktok.com",),
    "telegram": ("t.me", "telegram.me", "telegram.org", "telegram.dog"),
    "whatsapp": ("wa.me", "whatsapp.com"),
    "x": ("x.com", "twitter.com", "t.co"),
    "youtube": ("youtube.com", "youtu.be", "youtube-nocookie.com"),
}
# Scheme-less "site.tld" is taken as a link only for these endings (or a platform, or "www."), so
# "file.txt" or "Mr.Tan" in a sentence is not sent to the regulator as a URL.
_COMMON_TLDS = frozenset(
    "com net org my info biz xyz top shop site online store app io co me cc vip link club live tv "
    "ly gl gg to ai asia sg id cn hk tw uk us ph th vn win icu buzz fun life cyou bond".split()
)
# Schemes that are dangerous or useless without "//" ("javascript:alert(1)").
_OPAQUE_SCHEMES = (
    "javascript", "vbscript", "data", "file", "blob", "about", "mailto", "tel", "sms", "intent",
)  # fmt: skip
_SCHEME_START = re.compile(
    r"(?i)(?<![a-z0-9+.-])(?:[a-z][a-z0-9+.-]{0,30}://|(?:"
    + "|".join(_OPAQUE_SCHEMES)
    + r"):(?=\S))"
)
# Whitespace, invisible joiners, quotes, brackets and any CJK or full-width character end a link:
# Chinese text is often typed straight against it.
_SEPARATORS = re.compile(
    r"[\s\u200b-\u200d\u2060\ufeff<>\"“”‘’«»\u2e80-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+"
)
_LEADING_JUNK = "([{<'\"*"
_TRAILING_JUNK = ".,;:!?'\"*_~"
_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}
_BARE_DOMAIN = re.compile(
    r"(?i)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?P<tld>[a-z]{2,24})(?::\d{1,5})?(?:[/?#]\S*)?"
)
_HOST = re.compile(r"[\w.-]+|\[[0-9a-f:.]+\]", re.IGNORECASE)
_LEGACY_IPV4_LABEL = re.compile(r"0x[0-9a-f]*|\d+", re.IGNORECASE)

# A whole answer that, to "send me the link", can only mean "I have none".
_NO_LINK_ALONE = frozenset(
    ["no", "none", "nope", "nothing", "na", "n/a", "-", "takde", "tak de", "tiada", "xde", "xda",
     "takda", "tak ada", "tidak ada", "tkde", "没有", "没", "无", "沒有", "無"]
)  # fmt: skip
_NO_LINK_PHRASE = re.compile(
    r"(?<![a-z])(?:no|don'?t have|do not have|haven'?t got|have no|without|dont have|takde|"
    r"tak\s?de|takda|tak\s?ada|tiada|tidak\s+ada|x\s?de|xda|xada|tkde|tkda)"
    r"(?:\s+(?:a|an|the|any|apa-apa|sebarang|sbrg))?\s*(?:links?|urls?|pautan|laman)(?![a-z])"
    r"|(?:没有|沒有|没|無|无)\s*(?:任何)?\s*(?:链接|鏈接|连结|連結|网址|網址|link|url)"
)


@dataclass(frozen=True)
class LinkResult:
    """`urls` go into the report (at most MAX_URLS); `over_limit` counts good ones left out."""

    urls: tuple[str, ...]
    rejected: tuple[str, ...]
    over_limit: int = 0


def extract_links(text: str) -> LinkResult:
    """Every usable link in `text`, in the order given, without duplicates."""
    urls: list[str] = []
    rejected: list[str] = []
    over_limit = 0
    for piece in _pieces(text):
        candidate = _candidate(piece)
        url = _accept(candidate) if candidate else None
        if url is None:
            if candidate and (shown := _shown(piece)) not in rejected:
                rejected.append(shown)
        elif url in urls:
            continue
        elif len(urls) < MAX_URLS:
            urls.append(url)
        else:
            over_limit += 1
            urls.append(url)  # remembered for dedupe, trimmed below
    return LinkResult(tuple(urls[:MAX_URLS]), tuple(rejected), over_limit)


def accept_link(url: str) -> str | None:
    """One link as the chat would take it (public host, http or https, no hidden characters),
    normalised; None when it may not go into a report. For staff entry."""
    return _accept(url.strip())


def guess_platform(url: str) -> str:
    """Which of PLATFORMS a link belongs to, from its host alone; "other" when unknown."""
    host = _host_of(url if "://" in url else "https://" + url)
    if host is None:
        return "other"
    for platform, domains in PLATFORM_DOMAINS.items():
        if any(host == d or host.endswith("." + d) for d in domains):
            return platform
    return "other"


def no_link(text: str) -> bool:
    """The person says they have no link (only a screenshot, or it was deleted)."""
    cleaned = " ".join(unicodedata.normalize("NFKC", text).replace("’", "'").lower().split())
    if extract_links(text).urls:
        return False
    if cleaned.strip(" .!。！") in _NO_LINK_ALONE:
        return True
    return _NO_LINK_PHRASE.search(cleaned) is not None


def _pieces(text: str) -> list[str]:
    """Split on separators, then again where a new scheme starts ("…/1,https://…")."""
    pieces: list[str] = []
    for chunk in _SEPARATORS.split(text):
        starts = [m.start() for m in _SCHEME_START.finditer(chunk)]
        for begin, end in itertools.pairwise([0, *starts, len(chunk)]):
            piece = _trim(chunk[begin:end])
            if piece:
                pieces.append(piece)
    return pieces


def _trim(piece: str) -> str:
    """Drop what sticks to a link in prose: "(see t.me/x)." → "t.me/x"; keep balanced ")"."""
    piece = piece.lstrip(_LEADING_JUNK)
    while piece:
        last = piece[-1]
        if last in _TRAILING_JUNK or (
            last in _CLOSERS and piece.count(_CLOSERS[last]) < piece.count(last)
        ):
            piece = piece[:-1]
        else:
            break
    return piece


def _candidate(piece: str) -> str | None:
    """`piece` with a scheme if it is meant as a link (any scheme, or a plausible bare domain);
    None for ordinary words."""
    if _SCHEME_START.match(piece):
        return piece
    bare = _BARE_DOMAIN.fullmatch(piece)
    if bare is None:
        return None
    host = re.split(r"[/?#:]", piece, maxsplit=1)[0].lower()
    plausible = (
        host.startswith("www.")
        or bare["tld"].lower() in _COMMON_TLDS
        or guess_platform(piece) != "other"
    )
    return "https://" + piece if plausible else None


def _accept(candidate: str) -> str | None:
    """The normalised URL, or None when `candidate` may not go into a report."""
    if not candidate.lower().startswith(("http://", "https://")):
        return None
    if len(candidate) > MAX_URL_LENGTH or any(_invisible(c) for c in candidate):
        return None
    host = _host_of(candidate)
    if host is None or not _public_host(host):
        return None
    scheme, rest = candidate.split("://", 1)
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    userinfo, at, host_port = authority.rpartition("@")
    return f"{scheme.lower()}://{userinfo}{at}{host_port.lower()}{rest[len(authority) :]}"


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def _shown(piece: str) -> str:
    """How a dropped link is echoed back: short, with control characters made visible."""
    safe = "".join("�" if _invisible(c) else c for c in piece)
    return safe if len(safe) <= _REJECTED_SHOWN else safe[:_REJECTED_SHOWN] + "…"


def _host_of(url: str) -> str | None:
    """The lower-case host without "www.", or None when the URL cannot be parsed."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a non-numeric or out-of-range port
    except ValueError:
        return None
    host = parts.hostname
    if not host or not _HOST.fullmatch(host if ":" not in host else f"[{host}]"):
        return None
    return host.removeprefix("www.")


def _public_host(host: str) -> bool:
    """A named host with a dot, or a public IP; never localhost or a private/reserved range."""
    address = _ip_literal(host)
    if address is not None:
        return address.is_global
    labels = host.rstrip(".").split(".")
    if len(labels) < 2 or not all(labels) or labels[-1].isdigit():
        return False
    return labels[-1] not in ("localhost", "local", "internal", "lan", "home", "arpa")


def _ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Also the old forms browsers still accept: "127.1", "0x7f.0.0.1", "2130706433"."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    labels = host.split(".")
    if not 1 <= len(labels) <= 4 or not all(_LEGACY_IPV4_LABEL.fullmatch(x) for x in labels):
        return None
    try:
        values = [_legacy_ipv4_number(x) for x in labels]
    except ValueError:  # "08": not octal, so not an address either
        return None
    *head, tail = values
    if any(v > 255 for v in head) or tail >= 256 ** (5 - len(values)):
        return None
    number = sum(v << (8 * (3 - i)) for i, v in enumerate(head)) + tail
    return ipaddress.IPv4Address(number)


def _legacy_ipv4_number(label: str) -> int:
    """ "0x7f" is hex and "0177" octal, as in inet_aton; "127" decimal."""
    if label.lower().startswith("0x"):
        return int(label[2:] or "0", 16)
    if len(label) > 1 and label.startswith("0"):
        return int(label, 8)
    return int(label)
