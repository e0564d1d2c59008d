"""`waspada` command line. The environment is read here, once, and nowhere else."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from urllib.parse import urlparse

from bot.app_alerts import add_alert_commands
from bot.app_console import add_console_commands
from bot.app_faq import cmd_faq_check, cmd_faq_show
from bot.app_scam import add_scam_commands
from bot.errors import ConfigError, WaspadaError
from bot.settings import Settings


@dataclass(frozen=True)
class WebhookOptions:
    url: str
    url_path: str
    secret: str


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
    from bot.app import build_services, chat_in_terminal
    from bot.logging_setup import configure_logging

    configure_logging()
    if settings.staff_chat_id is not None:
        _say(
            "Talk to a person: staff answer in the Telegram staff group, which this terminal "
            "cannot reach; here /human gives the hotlines. Run `waspada run` for the staff desk."
        )
    # The staff desk lives in Telegram: a case opened here could never hear back.
    services = build_services(replace(settings, staff_chat_id=None), say=_say)
    asyncio.run(chat_in_terminal(services, jsonl=args.jsonl, say=_say))
    return 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import build_services, telegram_application
    from bot.logging_setup import configure_logging

    configure_logging()
    webhook = webhook_options(args, settings)
    services = build_services(settings, say=_say)
    app = telegram_application(services)
    if webhook is None:
        _say("Waspada is listening on Telegram (long polling). Ctrl-C to stop.")
        app.run_polling(close_loop=False)
        return 0
    _say(
        f"Waspada is listening for Telegram's webhook on {args.listen}:{args.port}"
        f"/{webhook.url_path}. Ctrl-C to stop."
    )
    from bot.telegram_adapter.webhook import run_webhook

    asyncio.run(
        run_webhook(
            app,
            listen=args.listen,
            port=args.port,
            url_path=webhook.url_path,
            webhook_url=webhook.url,
            secret=webhook.secret,
            ready=services.ready,
        )
    )
    return 0


def webhook_options(args: argparse.Namespace, settings: Settings) -> WebhookOptions | None:
    if not args.webhook_url:
        return None
    parsed = urlparse(args.webhook_url)
    if parsed.scheme != "https" and parsed.hostname not in ("127.0.0.1", "localhost"):
        raise ConfigError(["--webhook-url must be an https:// URL that Telegram can reach."])
    if settings.telegram_webhook_secret is None:
        raise ConfigError(
            [
                "TELEGRAM_WEBHOOK_SECRET is not set. Webhook mode needs it so that only "
                "Telegram can post updates (e.g. `openssl rand -hex 32`)."
            ]
        )
    return WebhookOptions(
        url=args.webhook_url,
        url_path=parsed.path.strip("/"),
        secret=settings.telegram_webhook_secret.reveal(),
    )


def cmd_nlu_train(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.answer_book import FileAnswerBook
    from bot.nlu.language_id import TrainedDetector
    from bot.nlu.training import train

    train(settings.nlu_dir, settings.models_dir, say=_say, force=args.force)
    # Fitted now and kept, so the bot's first start does not spend 4 s on it.
    languages = FileAnswerBook.load(settings.responses_dir).languages
    TrainedDetector.from_nlu_data(settings.nlu_dir, languages, settings.models_dir)
    return 0


def cmd_nlu_parse(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import load_nlu
    from bot.content.answer_book import FileAnswerBook
    from bot.nlu.language_id import TrainedDetector

    nlu = load_nlu(settings, _say)
    languages = FileAnswerBook.load(settings.responses_dir).languages
    detector = TrainedDetector.from_nlu_data(settings.nlu_dir, languages, settings.models_dir)
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
                    "language": detection.language or languages.default,
                    "entities": [{"entity": e.entity, "value": e.value} for e in result.entities],
                    "risks": list(result.risks),
                },
                ensure_ascii=False,
            ),
            flush=True,
        )
    return 0


def cmd_nlu_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Rasa's own HTTP server on the trained model (POST /model/parse, GET /status), as
    `rasa run --enable-api` starts it; bot processes reach it with WASPADA_NLU_URL."""
    from bot.nlu.rasa_agent import quiet_rasa
    from bot.nlu.training import current_model

    quiet_rasa()
    from rasa.core.run import serve_application

    model = current_model(settings.nlu_dir, settings.models_dir)
    token = settings.nlu_token.reveal() if settings.nlu_token else None
    _say(f"NLU server on http://{args.host}:{args.port} with {model.name}. Ctrl-C to stop.")
    serve_application(
        model_path=str(model),
        channel="rest",
        interface=args.host,
        port=args.port,
        auth_token=token,
        enable_api=True,
    )
    return 0


def cmd_nlu_eval(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import load_nlu, load_thresholds
    from bot.content.answer_book import FileAnswerBook
    from bot.core.confidence import ConfidencePolicy
    from bot.nlu.evaluation import evaluate, load_cases, to_markdown, write_reports
    from bot.nlu.language_id import TrainedDetector
    from bot.nlu.risk_evaluation import load_risk_cases

    thresholds = load_thresholds(settings)
    nlu = load_nlu(settings, _say)
    book = FileAnswerBook.load(settings.responses_dir)
    detector = TrainedDetector.from_nlu_data(settings.nlu_dir, book.languages, settings.models_dir)
    cases = load_cases(settings.heldout_dir)
    risk_cases = load_risk_cases(settings.heldout_dir / "risk")
    _say(f"Evaluating {len(cases)} held-out messages and {len(risk_cases)} risk-suite messages…")
    report = evaluate(
        cases,
        nlu.parse_sync,
        detector.detect,
        ConfidencePolicy.from_mapping(thresholds["confidence"]),
        thresholds,
        sensitive=book.sensitive_topics(),
        risk_cases=risk_cases,
    )
    print(to_markdown(report))
    for path in write_reports(report, settings.reports_dir):
        _say(f"wrote {path}")
    return 1 if report.failures else 0


def cmd_outbox_deliver(settings: Settings, args: argparse.Namespace) -> int:
    from bot.logging_setup import configure_logging

    if settings.complaint_api_url is None:
        raise ConfigError(
            [
                "COMPLAINT_API_URL is not set: it says where reports are delivered "
                "(e.g. http://127.0.0.1:8765 for `waspada complaint-api serve`)."
            ]
        )
    configure_logging()
    from bot.app import deliver_outbox

    return asyncio.run(deliver_outbox(settings, once=args.once, say=_say))


def cmd_report_submit(settings: Settings, args: argparse.Namespace) -> int:
    """Staff entry of a report received by phone or email; prints its reference."""
    from pathlib import Path

    from bot.app import file_staff_report
    from bot.content.answer_book import FileAnswerBook
    from bot.core.clock import SystemClock
    from bot.core.incident_date import malaysia_today
    from bot.core.staff_entry import check_staff_report

    path = Path(args.file)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        _say(f"{path}: cannot read the file ({exc.strerror or exc}); nothing was stored.")
        return 2
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = (
            f" at line {exc.lineno} column {exc.colno}"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        _say(f"{path}: not valid UTF-8 JSON{where}; nothing was stored.")
        return 2
    except RecursionError:
        _say(f"{path}: the JSON is nested far too deeply to be a report; nothing was stored.")
        return 2
    today = malaysia_today(SystemClock().now())
    languages = FileAnswerBook.load(settings.responses_dir).languages
    draft, problems = check_staff_report(data, str(path), today=today, languages=languages)
    if draft is None:
        for problem in problems:
            _say(problem)
        _say(f"{len(problems)} problem(s); nothing was stored.")
        return 2
    reference, entered_before = file_staff_report(settings, draft)
    if entered_before is not None:
        _say(
            f"The same report was entered on {entered_before:%Y-%m-%d} as "
            f"{reference}; nothing new was stored."
        )
        print(reference)
        return 0
    print(reference)
    _say("Stored; `waspada outbox deliver` sends it to the complaint API.")
    return 0


def cmd_complaint_api_serve(settings: Settings, args: argparse.Namespace) -> int:
    """The reference complaint API, so delivery can be tried end to end on one machine."""
    from pathlib import Path

    from bot.complaint_api.server import serve

    db_path = Path(args.db) if args.db else settings.data_dir / "complaint-api.db"
    token = settings.complaint_api_token
    if token is None and not args.insecure_dev:
        raise ConfigError(
            [
                "COMPLAINT_API_TOKEN is not set, so anyone could file or read complaints. Set it "
                "(e.g. `openssl rand -hex 32`), or pass --insecure-dev on a machine of your own."
            ]
        )
    if token is None:
        _say("--insecure-dev: accepting any bearer token. Never do this with real reports.")
    _say(f"Complaint API on http://{args.host}:{args.port} (data in {db_path}). Ctrl-C to stop.")
    asyncio.run(serve(args.host, args.port, db_path, token.reveal() if token else None))
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

    run = sub.add_parser(
        "run",
        help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN); long polling unless --webhook-url",
    )
    run.add_argument(
        "--webhook-url",
        help="public https URL Telegram posts updates to (needs TELEGRAM_WEBHOOK_SECRET)",
    )
    run.add_argument("--listen", default="127.0.0.1", help="address the webhook server binds")
    run.add_argument("--port", type=int, default=8443, help="port the webhook server binds")
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
    serve = nlu_sub.add_parser("serve", help="serve the model over HTTP for WASPADA_NLU_URL")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind")
    serve.add_argument("--port", type=int, default=5005, help="port to bind")
    serve.set_defaults(func=cmd_nlu_serve)
    evaluate = nlu_sub.add_parser("eval", help="measure the model on the held-out set")
    evaluate.set_defaults(func=cmd_nlu_eval)

    faq = sub.add_parser("faq", help="check and preview the answer files in responses/")
    faq_sub = faq.add_subparsers(dest="faq_command", required=True)
    check = faq_sub.add_parser("check", help="check every answer file; exit 1 on any problem")
    check.set_defaults(func=cmd_faq_check)
    show = faq_sub.add_parser("show", help="print an answer as a person will see it")
    show.add_argument("topic", help="e.g. faq_scam_victim")
    show.add_argument("--lang", default="en", help="a code from responses/languages.yml")
    show.set_defaults(func=cmd_faq_show)

    outbox = sub.add_parser("outbox", help="deliver confirmed reports to the complaint API")
    outbox_sub = outbox.add_subparsers(dest="outbox_command", required=True)
    deliver = outbox_sub.add_parser(
        "deliver", help="send queued reports (needs COMPLAINT_API_URL); runs until Ctrl-C"
    )
    deliver.add_argument(
        "--once", action="store_true", help="send what is due now, print the counts and exit"
    )
    deliver.set_defaults(func=cmd_outbox_deliver)

    report = sub.add_parser("report", help="staff tools for reports")
    report_sub = report.add_subparsers(dest="report_command", required=True)
    submit = report_sub.add_parser(
        "submit", help="file a report received by phone or email (prints its reference)"
    )
    submit.add_argument(
        "file", help="FILE.json: the complaint API body without report_id, submitted_at and channel"
    )
    submit.set_defaults(func=cmd_report_submit)

    complaint_api = sub.add_parser("complaint-api", help="the reference complaint API server")
    complaint_api_sub = complaint_api.add_subparsers(dest="complaint_api_command", required=True)
    api_serve = complaint_api_sub.add_parser(
        "serve", help="serve the complaint API v1 (token from COMPLAINT_API_TOKEN)"
    )
    api_serve.add_argument("--host", default="127.0.0.1", help="default 127.0.0.1")
    api_serve.add_argument("--port", type=int, default=8765, help="default 8765")
    api_serve.add_argument("--db", help="SQLite file (default WASPADA_DATA_DIR/complaint-api.db)")
    api_serve.add_argument(
        "--insecure-dev",
        action="store_true",
        help="start without COMPLAINT_API_TOKEN and accept any bearer token (development only)",
    )
    api_serve.set_defaults(func=cmd_complaint_api_serve)
    add_alert_commands(sub)
    add_scam_commands(sub)
    add_console_commands(sub)
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
