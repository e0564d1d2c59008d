"""One word for one thing: Malay and Chinese answers and screens never use what docs/glossary.md
forbids, and a slip is named with its file, the term and the word to write instead."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from bot.settings import PROJECT_ROOT

GLOSSARY = PROJECT_ROOT / "docs" / "glossary.md"
RESPONSES = PROJECT_ROOT / "responses"
LOCALES = PROJECT_ROOT / "locales"
CHECKED = ("ms", "zh")
CATALOGS = {"ms": "ms", "zh": "zh_Hans"}

_SECTION = re.compile(r"^##\s.*\((?P<lang>[a-z]{2})\)\s*$")
_TERM = re.compile(r"`([^`]+)`")
_HAN = re.compile(r"[\u3400-\u9fff]")
# Text a term may appear in without being wording: {placeholders}, links, bare domains, emails.
_NOT_WORDING = re.compile(
    r"\{[^{}]*\}"
    r"|https?://\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w@])(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?:/\S*)?"
)
_FULL_WIDTH_PUNCTUATION = "，。、：；！？）"
_LINK_PLACEHOLDER = re.compile(r"\{contact\.\w+\.(?:url|email)\}|https?://[^\s，。、：；！？）]+")


@dataclass(frozen=True)
class Rule:
    never: str
    use: tuple[str, ...]


@dataclass(frozen=True)
class Text:
    where: str
    lang: str
    value: str


def glossary(path: Path = GLOSSARY) -> dict[str, list[Rule]]:
    """Each language's rules: one per term in a table's "never" column, with that row's "use"."""
    rules: dict[str, list[Rule]] = {}
    lang = None
    for line in path.read_text("utf-8").splitlines():
        if heading := _SECTION.match(line):
            lang = heading["lang"]
            rules.setdefault(lang, [])
            continue
        if lang is None or not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] == "use" or set(cells[0]) <= {"-", ":"}:
            continue
        use = tuple(_TERM.findall(cells[0]))
        rules[lang] += [Rule(never, use) for never in _TERM.findall(cells[1])]
    return rules


def _wording(text: str, allowed: set[str]) -> str:
    """The text a reader reads as words: links, emails and placeholders out, allowed terms masked
    (so `Agong` inside `Yang di-Pertuan Agong` is not a bare `Agong`)."""
    text = _NOT_WORDING.sub(" ", text)
    for term in sorted(allowed, key=len, reverse=True):
        text = text.replace(term, " ")
    return text


def _contains(text: str, term: str) -> bool:
    if _HAN.search(term) or not term[0].isalnum():
        return term in text
    return re.search(rf"(?<![\w-]){re.escape(term)}", text) is not None


def breaches(text: Text, rules: list[Rule]) -> list[str]:
    allowed = {term for rule in rules for term in rule.use}
    wording = _wording(text.value, allowed)
    return [
        f"{text.where}: `{rule.never}` is not used in {text.lang} text: write "
        + (" or ".join(f"`{term}`" for term in rule.use) or "it another way")
        + " (docs/glossary.md)"
        for rule in rules
        if _contains(wording, rule.never)
    ]


def _walk(node: object, key_path: str) -> Iterator[tuple[str, str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{key_path}.{key}" if key_path else str(key)
            if key in CHECKED and isinstance(value, str):
                yield here, str(key), value
            else:
                yield from _walk(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{key_path}[{index}]")


def answer_texts(lang: str) -> Iterator[Text]:
    """Every `ms:`/`zh:` string in responses/, at whatever depth its file keeps it."""
    for path in sorted(RESPONSES.rglob("*.yml")):
        name = path.relative_to(PROJECT_ROOT).as_posix()
        for key_path, key_lang, value in _walk(yaml.safe_load(path.read_text("utf-8")), ""):
            if key_lang == lang:
                yield Text(f"{name} ({key_path})", lang, value)


def screen_texts(lang: str) -> Iterator[Text]:
    """Every translation in the language's UI catalog."""
    path = LOCALES / CATALOGS[lang] / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=CATALOGS[lang])
    name = path.relative_to(PROJECT_ROOT).as_posix()
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        for string in strings:
            if string:
                yield Text(f"{name} (msgid {msgid[:40]!r})", lang, str(string))


RULES = glossary()


def test_the_glossary_names_what_malay_and_chinese_text_must_never_say() -> None:
    never = {lang: {rule.never for rule in RULES.get(lang, [])} for lang in CHECKED}
    assert {"投报", "儿童色情", "王室", "警讯", "诱拐", "面子书", "信息", "设定"} <= never["zh"]
    assert {"MCMC", "screenshot", "chat", "Agong", "tempoh bertenang", "Hubungan"} <= never["ms"]
    assert "trading" in never["ms"]
    for lang in CHECKED:
        for rule in RULES[lang]:
            assert rule.use, f"docs/glossary.md: `{rule.never}` ({lang}) needs a word to use"


def test_malay_answers_never_use_english_leftovers_the_glossary_forbids() -> None:
    problems = [p for text in answer_texts("ms") for p in breaches(text, RULES["ms"])]
    assert problems == [], "\n".join(problems)


def test_chinese_answers_never_use_words_the_glossary_forbids() -> None:
    problems = [p for text in answer_texts("zh") for p in breaches(text, RULES["zh"])]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", CHECKED)
def test_buttons_and_bot_messages_use_the_same_words_as_the_answers(lang: str) -> None:
    problems = [p for text in screen_texts(lang) for p in breaches(text, RULES[lang])]
    assert problems == [], "\n".join(problems)


def test_chinese_text_has_no_space_before_full_width_punctuation() -> None:
    space_before = re.compile(rf"[ \u3000][{_FULL_WIDTH_PUNCTUATION}]")
    problems = [
        f"{text.where}: a space before {match.group()[-1]!r} in …{text.value[: match.end()][-14:]}"
        for text in [*answer_texts("zh"), *screen_texts("zh")]
        for match in space_before.finditer(text.value)
    ]
    assert problems == [], "\n".join(problems)


def test_chinese_links_never_run_into_full_width_punctuation() -> None:
    """A link or email followed by "。" may be read as one longer address: end the line with it,
    or follow it with a space and a word (see docs/glossary.md, Chinese style)."""
    problems = [
        f"{text.where}: {match.group()} is followed by {text.value[match.end()]!r}"
        for text in [*answer_texts("zh"), *screen_texts("zh")]
        for match in _LINK_PLACEHOLDER.finditer(text.value)
        if text.value[match.end() : match.end() + 1] in set(_FULL_WIDTH_PUNCTUATION) - {"）"}
    ]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("lang", "text", "flagged"),
    [
        ("ms", "Lapor kepada SKMM (MCMC) sekarang.", ["MCMC"]),
        ("ms", "Lapor di {contact.mcmc.url} atau aduanskmm@mcmc.gov.my.", []),
        ("ms", "Lapor di https://aduan.mcmc.gov.my/baru sekarang.", []),
        ("ms", "Iklan menyalahgunakan Yang di-Pertuan Agong.", []),
        ("ms", "Iklan menyalahgunakan Agong.", ["Agong"]),
        ("ms", "Tanya siapa kawan chatnya.", ["chat"]),
        ("ms", "Bantu anak putuskan hubungan.", []),
        ("zh", "在性诱拐后与儿童见面", []),
        ("zh", "在诱拐后与儿童见面", ["诱拐"]),
        ("zh", "向通讯委投报：{contact.mcmc.url}", ["投报"]),
    ],
)
def test_a_forbidden_term_is_caught_in_wording_but_not_in_links_emails_or_longer_terms(
    lang: str, text: str, flagged: list[str]
) -> None:
    found = breaches(Text("example", lang, text), RULES[lang])
    assert [p.split("`")[1] for p in found] == flagged
