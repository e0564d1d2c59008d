"""The staff's lists for "is this a scam?" (`responses/scam_lists/`): official domains, and known
scam links and numbers. Checked like answers: a source on every entry, domains in their plain
form, numbers in E.164, nothing listed twice."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers

from bot.content.problems import ContentProblem, YamlDocument, read_yaml
from bot.core.scam_check import Finding, Item
from bot.scam.items import link_item
from bot.scam.link_signals import LinkSignals
from bot.scam.lookalike import OfficialName

FOLDER = "scam_lists"
OFFICIAL_FILE = "official.yml"
KNOWN_FILE = "known_scams.yml"
_PLAIN_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


@dataclass(frozen=True)
class ScamLists:
    """What `LinkSignals` and the checker read: names scams imitate, official hosts (→ brand),
    hosts that look official but are not, and known scam domains and numbers."""

    officials: list[OfficialName] = field(default_factory=list)
    official_hosts: dict[str, str] = field(default_factory=dict)
    not_official: frozenset[str] = frozenset()
    bad_domains: frozenset[str] = frozenset()
    bad_numbers: frozenset[str] = frozenset()

    def known_bad(self, item: Item) -> Finding | None:
        if item.kind == "link" and item.domain in self.bad_domains:
            return Finding("known_bad", item)
        if item.kind == "phone" and item.value in self.bad_numbers:
            return Finding("known_bad", item)
        return None


def load_scam_lists(responses: Path) -> tuple[ScamLists, list[ContentProblem]]:
    problems: list[ContentProblem] = []
    officials: list[OfficialName] = []
    hosts: dict[str, str] = {}
    not_official: set[str] = set()
    bad_domains: set[str] = set()
    bad_numbers: set[str] = set()
    official = _read(responses / FOLDER / OFFICIAL_FILE, problems)
    if official is not None:
        data = official.data if isinstance(official.data, dict) else {}
        for index, entry in enumerate(_entries(official, data, "official", problems)):
            where = ("official", index)
            brand = str(entry.get("brand") or "").strip()
            if not brand:
                problems.append(official.problem(where, "an entry has no brand", "add `brand:`"))
            _need_source(official, entry, where, problems)
            for key in ("domains", "hosts"):
                for name in _strings(entry.get(key)):
                    if _bad_host(official, name, (*where, key), problems):
                        continue
                    if name in hosts:
                        problems.append(
                            official.problem(
                                (*where, key), f"`{name}` is listed twice", "keep one entry"
                            )
                        )
                    hosts[name] = brand
                    item = link_item(name)
                    label = item.domain.split(".")[0] if item else name.split(".")[0]
                    officials.append(OfficialName(brand, name, label))
            for word in _strings(entry.get("names")):
                officials.append(OfficialName(brand, "", word.lower()))
        for index, entry in enumerate(_entries(official, data, "not_official", problems)):
            _need_source(official, entry, ("not_official", index), problems)
            not_official.add(str(entry.get("host") or "").lower())
    known = _read(responses / FOLDER / KNOWN_FILE, problems)
    if known is not None:
        data = known.data if isinstance(known.data, dict) else {}
        for index, entry in enumerate(_entries(known, data, "links", problems)):
            where = ("links", index)
            _need_source(known, entry, where, problems)
            domain = str(entry.get("domain") or "")
            if not _bad_host(known, domain, where, problems):
                if domain in hosts:
                    problems.append(
                        known.problem(
                            where, f"`{domain}` is also official", "remove it from one list"
                        )
                    )
                if domain in bad_domains:
                    problems.append(
                        known.problem(where, f"`{domain}` is listed twice", "keep one entry")
                    )
                bad_domains.add(domain)
        for index, entry in enumerate(_entries(known, data, "numbers", problems)):
            where = ("numbers", index)
            _need_source(known, entry, where, problems)
            number = str(entry.get("number") or "")
            if not _e164(number):
                problems.append(
                    known.problem(
                        where,
                        f"`{number}` is not a number in E.164",
                        'write it like "+60123456789"',
                    )
                )
            elif number in bad_numbers:
                problems.append(
                    known.problem(where, f"`{number}` is listed twice", "keep one entry")
                )
            bad_numbers.add(number)
    lists = ScamLists(
        officials, hosts, frozenset(not_official), frozenset(bad_domains), frozenset(bad_numbers)
    )
    return lists, [_in_folder(p) for p in problems]


def _read(path: Path, problems: list[ContentProblem]) -> YamlDocument | None:
    if not path.exists():
        return None
    doc = read_yaml(path)
    if isinstance(doc, ContentProblem):
        problems.append(doc)
        return None
    return doc


def _entries(
    doc: YamlDocument, data: dict[str, Any], key: str, problems: list[ContentProblem]
) -> list[dict[str, Any]]:
    raw = data.get(key) or []
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        problems.append(
            doc.problem(
                (key,),
                f"`{key}` is not a list of entries",
                "see the example at the top of the file",
            )
        )
        return []
    return raw


def _need_source(
    doc: YamlDocument,
    entry: dict[str, Any],
    where: tuple[str | int, ...],
    problems: list[ContentProblem],
) -> None:
    if not str(entry.get("source") or "").strip():
        problems.append(
            doc.problem(
                where,
                "an entry has no source",
                "say where in ../shared/facts/ (or which official list) it comes from",
            )
        )


def _bad_host(
    doc: YamlDocument, name: str, where: tuple[str | int, ...], problems: list[ContentProblem]
) -> bool:
    item = link_item(name) if _PLAIN_HOST.match(name) else None
    if item is None or item.host != name or name.startswith("www."):
        problems.append(
            doc.problem(
                where,
                f"`{name}` is not a plain domain",
                "lower case, no http://, www. or path, e.g. maybank2u.com.my",
            )
        )
        return True
    return False


def _strings(raw: object) -> list[str]:
    return [str(v) for v in raw] if isinstance(raw, list) else []


def _e164(number: str) -> bool:
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    return (
        phonenumbers.is_valid_number(parsed)
        and phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == number
    )


def _in_folder(problem: ContentProblem) -> ContentProblem:
    return ContentProblem(f"{FOLDER}/{problem.file}", problem.line, problem.message, problem.fix)


class LiveScamLists:
    """The lists as staff last saved them, re-read when a file changes (as answers are); a save
    with problems keeps the last good lists, and `waspada faq check` names the problems."""

    def __init__(self, responses: Path) -> None:
        self._folder = responses / FOLDER
        self._stamp: tuple[float, ...] = ()
        self._lists = ScamLists()
        self._links = LinkSignals([], {})
        self._reload()

    def _reload(self) -> None:
        stamp = tuple(
            p.stat().st_mtime if p.exists() else 0.0
            for p in (self._folder / OFFICIAL_FILE, self._folder / KNOWN_FILE)
        )
        if stamp == self._stamp:
            return
        self._stamp = stamp
        lists, problems = load_scam_lists(self._folder.parent)
        if not problems:
            self._lists = lists
            self._links = LinkSignals(lists.officials, lists.official_hosts, lists.not_official)

    def inspect(self, link: Item) -> list[Finding]:
        self._reload()
        return self._links.inspect(link)

    def known_bad(self, item: Item) -> Finding | None:
        return self._lists.known_bad(item)
