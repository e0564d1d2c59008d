"""Alert files (`responses/alerts/<date>-<slug>.yml`), checked like answers: every language
present, short enough for one phone screen, numbers and links only from contacts.yml, and a
button that leads somewhere real.

    send_after: 2026-12-01 09:00     # Malaysia time, or with an offset: 2026-12-01T09:00+08:00
    button:
      topic: faq_phishing            # the answer the button opens; or `report: true`
    alert:
      en: "Fake LHDN refund SMS are going round. LHDN never sends refund links by SMS…"
      ms: …
      zh: …
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import yaml

from bot.content.answer_book import FileAnswerBook
from bot.content.problems import ContentProblem, YamlDocument, read_yaml
from bot.content.topics import read_texts
from bot.core.alerts import Alert

ALERTS_DIR = "alerts"
MALAYSIA = timezone(timedelta(hours=8))
_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-[a-z0-9-]{1,40}$")


def alert_files(responses: Path) -> list[Path]:
    return sorted((responses / ALERTS_DIR).glob("*.yml"))


def load_alert(path: Path, book: FileAnswerBook) -> tuple[Alert | None, list[ContentProblem]]:
    doc = read_yaml(path)
    if isinstance(doc, ContentProblem):
        return None, [_in_folder(doc)]
    problems: list[ContentProblem] = []
    if not _NAME.match(path.stem):
        problems.append(
            doc.problem((), "the file name is not <date>-<slug>", "e.g. 2026-12-01-fake-lhdn.yml")
        )
    alert, more = _from_document(doc, path.stem, book)
    return alert if not problems else None, [_in_folder(p) for p in problems + more]


def compose_alert(
    name: str, texts: Mapping[str, str], send_after: str, button: str, book: FileAnswerBook
) -> tuple[Alert | None, list[ContentProblem]]:
    """An alert typed in the staff console, checked by the same rules as an alert file: what
    was typed becomes the document such a file would hold. `button`: "" for none, "report",
    or an answer's topic."""
    problems: list[ContentProblem] = []
    if not _NAME.match(name):
        problems.append(
            ContentProblem(
                f"{name}.yml",
                None,
                "the short name must be 1-40 lowercase letters, digits and dashes",
                "e.g. fake-lhdn-refund",
            )
        )
    data: dict[str, object] = {"send_after": send_after.strip(), "alert": dict(texts)}
    if button == "report":
        data["button"] = {"report": True}
    elif button:
        data["button"] = {"topic": button}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    alert, more = _from_document(YamlDocument(Path(f"{name}.yml"), text), name, book)
    return alert if not problems else None, problems + [_in_form_words(p) for p in more]


# The file's keys, as the console's form names its fields.
_FORM_WORDS = (
    (re.compile(r"`alert: (\w+):`"), r"the \1 text"),
    (re.compile(r"write the (\w+) text under `alert:`"), r"write the \1 text"),
    (
        re.compile(r"`button:` must name one answer \(`topic: faq_…`\) or be `report: true`"),
        "the button must open one answer or the report form",
    ),
    (
        re.compile(r"use the file name of an answer, without \.yml, or leave the button out"),
        "pick an answer from the list, or no button",
    ),
    (
        re.compile(r"`send_after:` is missing or not a date and time"),
        "the time to send is not a date and time",
    ),
    (
        re.compile(r"write it like `send_after: [^`]*` \(Malaysia time\)"),
        "pick one, or leave it empty",
    ),
)


def _in_form_words(problem: ContentProblem) -> ContentProblem:
    """Staff typing into the console never see the file, so its keys would only puzzle them."""
    message, fix = problem.message, problem.fix
    for pattern, words in _FORM_WORDS:
        message, fix = pattern.sub(words, message), pattern.sub(words, fix)
    return ContentProblem(problem.file, problem.line, message, fix)


def _from_document(
    doc: YamlDocument, name: str, book: FileAnswerBook
) -> tuple[Alert | None, list[ContentProblem]]:
    problems: list[ContentProblem] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    texts = read_texts(doc, "alert", True, problems, book.contact_book)
    send_after = _send_after(doc, data.get("send_after"), problems)
    topic, report = _button(doc, data.get("button"), book, problems)
    if problems or texts is None or send_after is None:
        return None, problems
    return Alert(name, texts, send_after, topic, report), []


def check_alerts(responses: Path, book: FileAnswerBook) -> list[ContentProblem]:
    problems: list[ContentProblem] = []
    for path in alert_files(responses):
        problems += load_alert(path, book)[1]
    return problems


def _send_after(doc: YamlDocument, raw: object, problems: list[ContentProblem]) -> datetime | None:
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, date):
        moment = datetime(raw.year, raw.month, raw.day)
    else:
        try:
            moment = datetime.fromisoformat(str(raw).strip())
        except ValueError:
            problems.append(
                doc.problem(
                    ("send_after",),
                    "`send_after:` is missing or not a date and time",
                    "write it like `send_after: 2026-12-01 09:00` (Malaysia time)",
                )
            )
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=MALAYSIA)


def _button(
    doc: YamlDocument, raw: object, book: FileAnswerBook, problems: list[ContentProblem]
) -> tuple[str | None, bool]:
    if raw is None:
        return None, False
    if isinstance(raw, dict) and raw.get("report") is True and "topic" not in raw:
        return None, True
    topic = raw.get("topic") if isinstance(raw, dict) else None
    if isinstance(topic, str) and topic in book.topics():
        return topic, False
    problems.append(
        doc.problem(
            ("button",),
            "`button:` must name one answer (`topic: faq_…`) or be `report: true`",
            "use the file name of an answer, without .yml, or leave the button out",
        )
    )
    return None, False


def _in_folder(problem: ContentProblem) -> ContentProblem:
    return ContentProblem(
        f"{ALERTS_DIR}/{problem.file}", problem.line, problem.message, problem.fix
    )
