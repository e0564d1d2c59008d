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

    services = build_services(settings, say=_say)
    asyncio.run(run_terminal(services.dialogue, jsonl=args.jsonl))
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
    from bot.nlu.language_id import LinguaDetector

    nlu = load_nlu(settings, _say)
    detector = LinguaDetector()
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
    return result


if __name__ == "__main__":
    sys.exit(main())
