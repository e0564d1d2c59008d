"""`waspada` command line. The environment is read here, once, and nowhere else."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import warnings
from collections.abc import Sequence
from functools import partial

from bot.errors import WaspadaError
from bot.settings import Settings


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _quiet_libraries() -> None:
    """Rasa's dependencies print deprecation notices that mean nothing to a citizen or staff."""
    for category in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
        warnings.filterwarnings("ignore", category=category)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import build_services
    from bot.channels.terminal import run_terminal
    from bot.logging_setup import configure_logging

    configure_logging()
    services = build_services(settings, say=_say)
    asyncio.run(
        run_terminal(services.dialogue, jsonl=args.jsonl, background=services.answers.watch())
    )
    return 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import build_services
    from bot.logging_setup import configure_logging
    from bot.telegram_adapter.application import build_application

    configure_logging()
    assert settings.telegram_token is not None  # noqa: S101 - from_env(need_telegram=True)
    services = build_services(settings, say=_say)
    app = build_application(
        settings.telegram_token.reveal(),
        services.dialogue,
        services.translator,
        base_url=settings.telegram_api_base_url,
        background=services.answers.watch,
    )
    _say("Waspada is listening on Telegram (long polling). Ctrl-C to stop.")
    app.run_polling(close_loop=False)
    return 0


def cmd_nlu_train(settings: Settings, args: argparse.Namespace) -> int:
    from bot.nlu.training import train

    train(settings.nlu_dir, settings.models_dir, say=_say, force=args.force)
    return 0


def cmd_nlu_parse(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import load_nlu
    from bot.nlu.language_id import TrainedDetector

    nlu = load_nlu(settings, _say)
    detector = TrainedDetector.from_nlu_data(settings.nlu_dir)
    texts = [args.text] if args.text is not None else (line.rstrip("\r\n") for line in sys.stdin)
    for text in texts:
        result = nlu.parse_sync(text)
        detection = detector.detect(text)
        print(
            json.dumps(
                {
                    "text": text,
                    "intent": result.intent,
                    "confidence": round(result.confidence, 4),
                    "language": detection.language or "en",
                    "entities": [{"entity": e.entity, "value": e.value} for e in result.entities],
                },
                ensure_ascii=False,
            ),
            flush=True,
        )
    return 0


def cmd_nlu_eval(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import load_nlu, load_thresholds
    from bot.core.dialogue import ConfidencePolicy
    from bot.nlu.evaluation import evaluate, load_cases, to_markdown, write_reports
    from bot.nlu.language_id import TrainedDetector

    thresholds = load_thresholds(settings)
    nlu = load_nlu(settings, _say)
    detector = TrainedDetector.from_nlu_data(settings.nlu_dir)
    cases = load_cases(settings.heldout_dir)
    _say(f"Evaluating {len(cases)} held-out messages…")
    report = evaluate(
        cases,
        nlu.parse_sync,
        detector.detect,
        ConfidencePolicy.from_mapping(thresholds["confidence"]),
        thresholds,
    )
    print(to_markdown(report))
    for path in write_reports(report, settings.reports_dir):
        _say(f"wrote {path}")
    return 1 if report.failures else 0


def cmd_faq_check(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.answer_book import FileAnswerBook

    book, problems = FileAnswerBook.check(settings.responses_dir, nlu_dir=settings.nlu_dir)
    for problem in problems:
        print(problem)
    if book is None:
        print(
            f"\n{len(problems)} problem(s): the bot keeps serving the last good answers "
            "until they are fixed."
        )
        return 1
    print(
        f"All {len(book.topics())} answers are fine in en, ms and zh "
        f"({len(book.contact_book.contacts)} contacts, {len(book.checklists)} checklist(s))."
    )
    return 0


def cmd_faq_show(settings: Settings, args: argparse.Namespace) -> int:
    from bot.channels.markup import to_plain
    from bot.content.answer_book import FileAnswerBook
    from bot.core.language import language_from_client_tag

    book = FileAnswerBook.load(settings.responses_dir)
    lang = language_from_client_tag(args.lang)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="waspada", description="Waspada: online-safety assistant for Malaysia."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    chat = sub.add_parser("chat", help="talk to Waspada in this terminal")
    chat.add_argument(
        "--jsonl",
        action="store_true",
        help="one JSON object per input line (for scripts and tests)",
    )
    chat.set_defaults(func=cmd_chat)

    run = sub.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    run.set_defaults(func=cmd_run, need_telegram=True)

    nlu = sub.add_parser("nlu", help="train or try the language model")
    nlu_sub = nlu.add_subparsers(dest="nlu_command", required=True)
    train = nlu_sub.add_parser("train", help="train if nlu/ data or config changed")
    train.add_argument("--force", action="store_true", help="train even if up to date")
    train.set_defaults(func=cmd_nlu_train)
    parse = nlu_sub.add_parser("parse", help="show what the model understands")
    parse.add_argument("text", nargs="?", help="a message; omit to read lines from stdin")
    parse.add_argument("--jsonl", action="store_true", help="read stdin lines (the default)")
    parse.set_defaults(func=cmd_nlu_parse)
    evaluate = nlu_sub.add_parser("eval", help="measure the model on the held-out set")
    evaluate.set_defaults(func=cmd_nlu_eval)

    faq = sub.add_parser("faq", help="check and preview the answer files in responses/")
    faq_sub = faq.add_subparsers(dest="faq_command", required=True)
    check = faq_sub.add_parser("check", help="check every answer file; exit 1 on any problem")
    check.set_defaults(func=cmd_faq_check)
    show = faq_sub.add_parser("show", help="print an answer as a person will see it")
    show.add_argument("topic", help="e.g. faq_scam_victim")
    show.add_argument("--lang", default="en", help="en, ms or zh")
    show.set_defaults(func=cmd_faq_show)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _quiet_libraries()
    try:
        settings = Settings.from_env(
            os.environ, need_telegram=getattr(args, "need_telegram", False)
        )
        result: int = partial(args.func, settings)(args)
    except WaspadaError as exc:
        _say(f"waspada: {exc}")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    return result


if __name__ == "__main__":
    sys.exit(main())
