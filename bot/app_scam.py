"""Wiring for "is this a scam?", and `waspada scam check` for staff and scripts."""

from __future__ import annotations

import argparse
import json
import sys

from bot.app_stores import open_stores
from bot.content.answer_book import FileAnswerBook
from bot.core.clock import SystemClock
from bot.core.ports import Clock
from bot.core.scam_check import CheckResult, CrowdReports, ScamChecker
from bot.core.scam_check_reply import reason, shown
from bot.i18n.translator import BabelTranslator
from bot.scam.items import TextItemFinder
from bot.scam.lists import LiveScamLists
from bot.settings import Settings
from bot.storage.database import open_database
from bot.storage.report_items import SqliteCrowdReports


def scam_checker(settings: Settings, crowd: CrowdReports | None, clock: Clock) -> ScamChecker:
    """`crowd`: the filed reports' counts (either engine); None checks against the lists only."""
    lists = LiveScamLists(settings.responses_dir)
    return ScamChecker(TextItemFinder(), lists, lists, crowd)


def add_scam_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    scam = sub.add_parser("scam", help='"is this a scam?" for staff and scripts')
    scam_sub = scam.add_subparsers(dest="scam_command", required=True)
    check = scam_sub.add_parser(
        "check", help="check a message, link or number; prints the verdict and every reason"
    )
    check.add_argument("text", nargs="?", help="what to check; read from stdin when left out")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.add_argument(
        "--no-nlu", action="store_true", help="skip the message-signal model (faster start)"
    )
    check.add_argument("--lang", default="en", help="language of the reasons (default en)")
    check.set_defaults(func=cmd_scam_check)


def cmd_scam_check(settings: Settings, args: argparse.Namespace) -> int:
    text = args.text if args.text is not None else sys.stdin.read()
    signals: tuple[str, ...] = ()
    if not args.no_nlu:
        from bot.app import load_nlu

        signals = load_nlu(settings, lambda _m: None).parse_sync(text).scam_signals
    clock = SystemClock()
    if settings.postgres_url:
        crowd: CrowdReports | None = open_stores(settings, clock).crowd
    elif settings.db_path.exists():
        crowd = SqliteCrowdReports(open_database(settings.db_path), clock)
    else:
        crowd = None
    result = scam_checker(settings, crowd, clock).check(text, signals)
    book = FileAnswerBook.load(settings.responses_dir)
    tr = BabelTranslator(settings.locales_dir, book.languages)
    lang = book.languages.known(args.lang) or book.languages.default
    reasons = [reason(tr, lang, f) for f in result.findings]
    if args.json:
        print(json.dumps(as_json(result, reasons), ensure_ascii=False, indent=2))
        return 0
    print(f"verdict: {result.verdict}")
    for item in result.items:
        print(f"{item.kind}: {shown(item)}  ({item.value})")
    for finding, text_ in zip(result.findings, reasons, strict=True):
        print(f"- [{finding.weight}] {finding.code}: {text_}")
    return 0


def as_json(result: CheckResult, reasons: list[str]) -> dict[str, object]:
    return {
        "verdict": result.verdict,
        "items": [
            {"kind": i.kind, "value": i.value, "shown": shown(i), "domain": i.domain or None}
            for i in result.items
        ],
        "findings": [
            {
                "code": f.code,
                "weight": f.weight,
                "item": f.item.value if f.item else None,
                "detail": f.detail or None,
                "brand": f.brand or None,
                "reason": text,
            }
            for f, text in zip(result.findings, reasons, strict=True)
        ],
        "truncated": result.truncated,
    }
