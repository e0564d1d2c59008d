""" "Is this a scam?": what can be checked in a pasted message, what each check found, and the
verdict. The verdict never says "safe": no list knows every scam, so the best it can say is that
it found no warning signs, and it always says how to check for yourself.

Findings and their weight:

| finding            | on       | weight | why                                                  |
|--------------------|----------|--------|------------------------------------------------------|
| known_bad          | any item | strong | on the staff's list of known scam links and numbers  |
| crowd_reported     | any item | strong | at least two different people reported it (90 days)  |
| lookalike          | link     | strong | imitates an official domain (typo, letters, suffix)  |
| official_name_elsewhere | link | strong | an official name inside someone else's domain   |
| gov_my_outside     | link     | strong | says gov.my but is not under gov.my                  |
| apk                | link     | strong | installs an app from outside the app store           |
| script_link        | link     | strong | `javascript:` or `data:` links run code              |
| unicode_host       | link     | some   | letters from other alphabets or punycode in the host |
| shortener          | link     | some   | hides where the link goes                            |
| bare_ip            | link     | some   | no name at all, just a number                        |
| login_path         | link     | some   | a log-in or payment page outside the official sites  |
| message signal     | text     | some   | a scam pattern in the words (fake police, OTP …)     |
| official           | link     | none   | the official domain of a brand: said, never "safe"   |

| evidence                                 | verdict       |
|------------------------------------------|---------------|
| a strong finding, or two of weight some  | likely_scam   |
| one finding of weight some               | be_careful    |
| nothing                                  | no_signs      |
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

ItemKind = Literal["link", "phone", "account"]
Verdict = Literal["likely_scam", "be_careful", "no_signs"]
Weight = Literal["strong", "some", "none"]

WEIGHTS: dict[str, Weight] = {
    "known_bad": "strong",
    "crowd_reported": "strong",
    "lookalike": "strong",
    "official_name_elsewhere": "strong",
    "gov_my_outside": "strong",
    "apk": "strong",
    "script_link": "strong",
    "unicode_host": "some",
    "shortener": "some",
    "bare_ip": "some",
    "login_path": "some",
    "message": "some",
    "official": "none",
}
# The scam patterns the NLU reads in a message's words (`scam_<signal>` examples in nlu/data).
MESSAGE_SIGNALS = (
    "fake_authority",
    "parcel_or_prize",
    "easy_job",
    "guaranteed_returns",
    "asks_otp",
    "upfront_loan_fee",
    "urgency_threat",
)
# Crowd counts look back this far, and count only when this many different people reported.
CROWD_DAYS = 90
CROWD_MINIMUM = 2
MAX_ITEMS = {"link": 10, "phone": 10, "account": 5}

# Public link shorteners: a category, not a claim about any one link.
SHORTENERS = frozenset(
    {
        "bit.ly", "bitly.com", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "v.gd", "s.id",
        "cutt.ly", "rb.gy", "shorturl.at", "tiny.cc", "rebrand.ly", "bit.do", "t.ly",
        "shorte.st", "adf.ly", "buff.ly", "tiny.one", "urlz.fr", "qr.ae", "lnkd.in", "t.co",
        "short.gy", "u.to", "clck.ru", "soo.gd", "bl.ink", "tr.ee", "surl.li", "shorturl.asia",
    }
)  # fmt: skip
# Sites where anyone can post: a login page there is the site's own, and their names say
# nothing about who is behind a link, so they are never "look-alikes" either.
PLATFORMS = frozenset(
    {
        "facebook.com", "fb.com", "fb.me", "instagram.com", "tiktok.com", "t.me", "telegram.org",
        "telegram.me", "wa.me", "whatsapp.com", "youtube.com", "youtu.be", "x.com",
        "twitter.com", "shopee.com.my", "lazada.com.my", "google.com", "carousell.com.my",
        "mudah.my", "linkedin.com", "threads.net", "apple.com",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Item:
    """Something checkable. `value` is canonical (a link without scheme or query, a phone in
    E.164, an account's digits); `shown` is how the reply names it, never a clickable link;
    `domain` is a link's registered domain (tldextract)."""

    kind: ItemKind
    value: str
    shown: str
    domain: str = ""
    host: str = ""
    path: str = ""


@dataclass(frozen=True)
class Finding:
    """`code` is a key of WEIGHTS; `detail` fills the reason (the brand, the official domain,
    the count, the signal's name)."""

    code: str
    item: Item | None = None
    detail: str = ""
    brand: str = ""

    @property
    def weight(self) -> Weight:
        return WEIGHTS[self.code]


@dataclass(frozen=True)
class CheckResult:
    verdict: Verdict
    items: tuple[Item, ...]
    findings: tuple[Finding, ...]
    # More items than MAX_ITEMS were in the text; only the first ones were checked.
    truncated: bool = False

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.weight != "none")

    def first_link(self) -> Item | None:
        return next((i for i in self.items if i.kind == "link"), None)


class ItemFinder(Protocol):
    def find(self, text: str) -> list[Item]:
        """Every link, phone number and account-like number in `text`, in order, once each."""
        ...


class LinkInspector(Protocol):
    def inspect(self, link: Item) -> list[Finding]:
        """Official, lookalike, shortener, IP host, .apk …: what the link itself says."""
        ...


class KnownLists(Protocol):
    def known_bad(self, item: Item) -> Finding | None: ...


class CrowdReports(Protocol):
    def reporters(self, item: Item) -> int:
        """How many different people reported this item in the last CROWD_DAYS days."""
        ...


def verdict_of(findings: Iterable[Finding]) -> Verdict:
    weights = [f.weight for f in findings]
    if "strong" in weights or weights.count("some") >= 2:
        return "likely_scam"
    if "some" in weights:
        return "be_careful"
    return "no_signs"


class ScamChecker:
    """Runs every check on what a person pasted. Nothing here keeps the text."""

    def __init__(
        self,
        finder: ItemFinder,
        links: LinkInspector,
        lists: KnownLists,
        crowd: CrowdReports | None = None,
    ) -> None:
        self._finder = finder
        self._links = links
        self._lists = lists
        self._crowd = crowd

    def items(self, text: str) -> tuple[list[Item], bool]:
        """The items to check, at most MAX_ITEMS of each kind, and whether some were left out."""
        kept: list[Item] = []
        counts = dict.fromkeys(MAX_ITEMS, 0)
        truncated = False
        for item in self._finder.find(text):
            if counts[item.kind] >= MAX_ITEMS[item.kind]:
                truncated = True
                continue
            counts[item.kind] += 1
            kept.append(item)
        return kept, truncated

    def check(self, text: str, signals: Sequence[str] = ()) -> CheckResult:
        items, truncated = self.items(text)
        findings: list[Finding] = []
        for item in items:
            findings += self._item_findings(item)
        findings += [
            Finding("message", detail=s) for s in dict.fromkeys(signals) if s in MESSAGE_SIGNALS
        ]
        return CheckResult(verdict_of(findings), tuple(items), tuple(findings), truncated)

    def _item_findings(self, item: Item) -> list[Finding]:
        found: list[Finding] = []
        bad = self._lists.known_bad(item)
        if bad:
            found.append(bad)
        if item.kind == "link":
            found += self._links.inspect(item)
        if self._crowd is not None:
            count = self._crowd.reporters(item)
            if count >= CROWD_MINIMUM:
                found.append(Finding("crowd_reported", item, detail=str(count)))
        return found
