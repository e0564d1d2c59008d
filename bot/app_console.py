"""Wiring of the staff console: `waspada console`, `waspada staff add NAME` and
`waspada staff remove NAME`, on the bot's own store: the SQLite file in `WASPADA_DATA_DIR`, or
the PostgreSQL database the replicas share when `WASPADA_DATABASE_URL` is set (`open_stores`)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from aiohttp import web

from bot.app_faq import check_answers
from bot.app_staff import console_staff_desk
from bot.app_stores import Stores, open_stores
from bot.content.languages import load_languages
from bot.core.clock import SystemClock
from bot.core.ports import Clock, Nlu
from bot.core.staff_accounts import AuditEntry, hash_password, password_problem
from bot.i18n.translator import BabelTranslator
from bot.nlu.review_files import NluReviewFiles
from bot.settings import Settings
from bot.telegram_adapter.staff import topic_link

if TYPE_CHECKING:
    # The pages import matplotlib (1.2 s): only `waspada console` pays for it, not every command.
    from bot.console.web import ConsoleConfig


def console_config(
    settings: Settings, *, clock: Clock | None = None, secure_cookies: bool = False
) -> ConsoleConfig:
    """Live answers are the release's `responses/`; `WASPADA_RESPONSES_DIR`, when it names
    another folder, is the working copy the console previews. Labels from "Teach the bot" go
    into `<nlu_dir>/data/review/<language>.yml`."""
    from bot.console.alert_pages import AlertDesk
    from bot.console.answers import AnswerViews
    from bot.console.web import ConsoleConfig

    clock = clock or SystemClock()
    stores = open_stores(settings, clock)
    live = settings.project_root / "responses"
    draft = settings.responses_override
    if draft is not None and draft.resolve() == live.resolve():
        draft = None
    languages, _ = load_languages(live)
    staffing = None
    if languages is not None:
        translator = BabelTranslator(settings.locales_dir, languages)
        staffing = console_staff_desk(settings, stores, translator, clock)
    chat_id = settings.staff_chat_id
    return ConsoleConfig(
        store=stores.staff,
        dashboard=stores.dashboard,
        answers=AnswerViews(
            settings.locales_dir,
            clock,
            lambda path: check_answers(path, settings.nlu_dir),
            handoff=settings.staff_chat_id is not None,
            watch=(settings.nlu_dir / "data",),
        ),
        clock=clock,
        live_dir=live,
        draft_dir=draft,
        secure_cookies=secure_cookies,
        usage=stores.usage,
        review=stores.review,
        training=NluReviewFiles(settings.nlu_dir),
        nlu=console_nlu(settings),
        cases=staffing.desk if staffing else None,
        topic_link=(lambda case: topic_link(chat_id, case.thread)) if chat_id else None,
        alerts=AlertDesk(
            stores.broadcasts,
            stores.subscriptions,
            live,
            settings.locales_dir,
            settings.alerts_per_second,
        ),
        on_cleanup=(*((staffing.push.aclose,) if staffing else ()), close_stores(stores)),
    )


def close_stores(stores: Stores) -> Callable[[], Awaitable[None]]:
    """The console's last clean-up step: its database connection goes when the server stops."""

    async def close() -> None:
        stores.db.close()

    return close


def console_nlu(settings: Settings) -> Nlu | None:
    """The bot's NLU port when it is a server (`WASPADA_NLU_URL`): an HTTP client, cheap to
    build. Without one the console has no model: loading Rasa here would cost ~1 GB and a minute
    for one table, so "still wrong" says the model is not available instead."""
    if settings.nlu_url is None:
        return None
    from bot.app import nlu_for

    return nlu_for(settings, lambda _line: None)


def cmd_console(settings: Settings, args: argparse.Namespace) -> int:
    if settings.postgres_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    from bot.console.web import create_app

    app = create_app(console_config(settings, secure_cookies=args.https_behind_proxy))
    print(f"Staff console on http://{args.host}:{args.port}. Ctrl-C to stop.", file=sys.stderr)
    asyncio.run(_serve(app, args.host, args.port))
    return 0


async def _serve(app: web.Application, host: str, port: int) -> None:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def read_password(stdin: TextIO) -> str:
    """getpass on a terminal; otherwise one line of stdin (for scripts)."""
    if stdin.isatty():
        return getpass.getpass("Password (at least 12 characters): ")
    return stdin.readline().rstrip("\r\n")


def cmd_staff_add(settings: Settings, args: argparse.Namespace) -> int:
    password = read_password(sys.stdin)
    problem = password_problem(args.name, password)
    if problem:
        print(f"{problem} No account was created.", file=sys.stderr)
        return 2
    clock = SystemClock()
    with command_stores(settings, clock) as stores:
        if not stores.staff.add_account(args.name, hash_password(password), clock.now()):
            print(f"{args.name} already has an account; nothing changed.", file=sys.stderr)
            return 1
        stores.staff.audit(AuditEntry(clock.now(), "(command line)", "add account", args.name))
    print(f"Account {args.name} created; log in with `waspada console`.", file=sys.stderr)
    return 0


def cmd_staff_remove(settings: Settings, args: argparse.Namespace) -> int:
    clock = SystemClock()
    with command_stores(settings, clock) as stores:
        if not stores.staff.remove_account(args.name):
            print(f"There is no account {args.name}.", file=sys.stderr)
            return 1
        stores.staff.audit(AuditEntry(clock.now(), "(command line)", "remove account", args.name))
    print(f"Account {args.name} removed, and its sessions ended.", file=sys.stderr)
    return 0


@contextmanager
def command_stores(settings: Settings, clock: Clock) -> Iterator[Stores]:
    """The bot's stores for one command, closed after it."""
    if settings.postgres_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    stores = open_stores(settings, clock)
    try:
        yield stores
    finally:
        stores.db.close()


def add_console_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    console = sub.add_parser("console", help="the staff console in a browser")
    console.add_argument("--host", default="127.0.0.1", help="default 127.0.0.1")
    console.add_argument("--port", type=int, default=8770, help="default 8770")
    console.add_argument(
        "--https-behind-proxy",
        action="store_true",
        help="an HTTPS reverse proxy is in front: mark cookies Secure",
    )
    console.set_defaults(func=cmd_console)
    staff = sub.add_parser("staff", help="staff accounts of the console")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add", help="create an account (password from stdin)")
    add.add_argument("name")
    add.set_defaults(func=cmd_staff_add)
    remove = staff_sub.add_parser("remove", help="delete an account and end its sessions")
    remove.add_argument("name")
    remove.set_defaults(func=cmd_staff_remove)
