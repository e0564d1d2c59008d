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
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

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
    data = doc.data if isinstance(doc.data, dict) else {}
    texts = read_texts(doc, "alert", True, problems, book.contact_book)
    send_after = _send_after(doc, data.get("send_after"), problems)
    topic, report = _button(doc, data.get("button"), book, problems)
    problems = [_in_folder(p) for p in problems]
    if problems or texts is None or send_after is None:
        return None, problems
    return Alert(path.stem, texts, send_after, topic, report), []


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
