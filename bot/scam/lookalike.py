"""Does a link imitate an official domain? The tricks of scam links, and how each is caught:

| trick (dnstwist's names)                 | example                       | caught by           |
|------------------------------------------|-------------------------------|---------------------|
| omission, insertion, replacement, swap,  | maybnk2u.com.my               | edit distance ≤ 1   |
| repetition, vowel swap, bitsquatting     |                               | (≤ 2 for long names)|
| homoglyph: 0/o, 1/l, rn/m, vv/w          | rnaybank2u.com.my             | skeleton            |
| letters from other alphabets             | mаybank2u (Cyrillic а)        | skeleton            |
| punycode                                 | xn--mybank2u-7fg.com          | decoded (items.py)  |
| hyphenation                              | may-bank2u.com.my             | hyphens dropped     |
| another suffix                           | maybank2u.com, .weebly.com    | same name           |
| the official name inside another domain  | maybank2u.com.my.login.xyz    | name elsewhere      |
| name plus words                          | maybank2u-verify.com          | brand name as a part|
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Letters other alphabets share with Latin, and digits scams use for letters.
_CONFUSABLE = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "ј": "j", "ԁ": "d", "ѕ": "s", "һ": "h", "ӏ": "l", "к": "k", "м": "m", "т": "t",
        "в": "b", "н": "h", "ɡ": "g", "ι": "i", "ο": "o", "α": "a", "ν": "v", "κ": "k",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ε": "e", "β": "b", "ı": "i", "ɑ": "a",
        "0": "o", "1": "l", "3": "e", "5": "s", "@": "a", "$": "s", "!": "i", "|": "l",
    }
)  # fmt: skip
_MULTI = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("ii", "u"))
_SEPARATORS = re.compile(r"[-_.]")
_PARTS = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class OfficialName:
    """A name scams imitate: an official domain (or host) and the label people recognise in
    it ("maybank2u" in maybank2u.com.my), or a brand word alone ("jpj") with no domain."""

    brand: str
    domain: str
    label: str


def skeleton(text: str) -> str:
    """What a name looks like: accents and look-alike letters folded, rn read as m, no
    hyphens. Two names with one skeleton look the same to a hurried reader."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c)).translate(_CONFUSABLE)
    for many, one in _MULTI:
        folded = folded.replace(many, one)
    return _SEPARATORS.sub("", folded)


def distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein (adjacent swaps cost 1), stopped early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_distance(label: str) -> int:
    """Short names collide with ordinary words ("hlb" and "hlc"), so they must match exactly."""
    if len(label) <= 4:
        return 0
    return 1 if len(label) <= 8 else 2


@dataclass(frozen=True)
class Imitation:
    code: str  # lookalike, official_name_elsewhere
    official: OfficialName


def imitation(host: str, domain: str, officials: Iterable[OfficialName]) -> Imitation | None:
    """The official name `host` imitates, if any. `domain` is its registered domain and is
    known not to be official."""
    host, domain = host.lower(), domain.lower()
    name = domain.split(".")[0]
    name_skeleton = skeleton(name)
    parts = [p for p in _PARTS.split(host) if p]
    officials = list(officials)
    for official in officials:
        if official.domain and official.domain in host and not host.endswith("." + official.domain):
            return Imitation("official_name_elsewhere", official)
    best: Imitation | None = None
    for official in officials:
        label = official.label
        if len(label) < 3:
            continue
        target = skeleton(label)
        if name == label or name_skeleton == target:
            return Imitation("lookalike", official)
        close = distance(name_skeleton, target, 2) <= allowed_distance(label)
        if close or _named_in(label, target, parts):
            best = best or Imitation("lookalike", official)
    return best


def _named_in(label: str, target: str, parts: list[str]) -> bool:
    """ "maybank2u-verify", "secure-cimb", "myjpj": the name as one part of the host, or inside
    a part when it is long enough not to be an ordinary word."""
    if label in parts:
        return True
    return len(label) >= 5 and any(target in skeleton(part) for part in parts)
