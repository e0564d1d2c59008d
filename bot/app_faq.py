"""`waspada faq check` and `waspada faq show`: the answer files as staff edit them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.content.problems import ContentProblem
from bot.settings import Settings


def check_answers(responses: Path, nlu_dir: Path) -> list[ContentProblem]:
    """The whole answer check, `waspada faq check` and the staff console alike."""
    from bot.content.alerts import check_alerts
    from bot.content.answer_book import FileAnswerBook
    from bot.scam.lists import load_scam_lists

    book, problems = FileAnswerBook.check(responses, nlu_dir=nlu_dir)
    problems += load_scam_lists(responses)[1]
    if book is not None:
        problems += check_alerts(responses, book)
    return problems


def cmd_faq_check(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.alerts import alert_files
    from bot.content.answer_book import FileAnswerBook

    problems = check_answers(settings.responses_dir, settings.nlu_dir)
    book = None if problems else FileAnswerBook.load(settings.responses_dir)
    for problem in problems:
        print(problem)
    if book is None or problems:
        print(
            f"\n{len(problems)} problem(s): the bot keeps serving the last good answers "
            "until they are fixed."
        )
        return 1
    print(
        f"All {len(book.topics())} answers are fine in {', '.join(book.languages.codes)} "
        f"({len(book.contact_book.contacts)} contacts, {len(book.checklists)} checklist(s), "
        f"{len(alert_files(settings.responses_dir))} alert(s))."
    )
    return 0


def cmd_faq_show(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.answer_book import FileAnswerBook
    from bot.core.markup import to_plain

    book = FileAnswerBook.load(settings.responses_dir)
    lang = book.languages.from_client_tag(args.lang)
    answer = book.answer(args.topic, lang) if lang else None
    if answer is None or lang is None:
        known = ", ".join(sorted(book.topics()))
        print(f"No answer for {args.topic!r} in {args.lang!r}. Topics: {known}", file=sys.stderr)
        return 1
    print(to_plain(answer.text))
    if answer.more:
        print("\n--- More ---\n" + to_plain(answer.more))
    steps = ", ".join(f"{s.kind}:{s.value}" if s.value else s.kind for s in answer.next_steps)
    print(f"\n[buttons: {steps or 'main menu'}]" + (" [protected]" if answer.sensitive else ""))
    return 0
