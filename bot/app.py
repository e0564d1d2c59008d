"""The composition root: the one place that builds real services from `Settings`."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlite_utils
import yaml

from bot.app_alerts import broadcast_forever, new_pacer
from bot.app_scam import scam_checker
from bot.app_staff import Staffing, staff_desk, watch_forever
from bot.app_stores import Stores, open_stores, sqlite_stores
from bot.content.live import LiveAnswerBook
from bot.core.alerts import AlertChannel, Outcome, SendResult
from bot.core.clock import SystemClock
from bot.core.complaint_gateway import ComplaintGateway
from bot.core.confidence import ConfidencePolicy
from bot.core.conversation import Conversation
from bot.core.dialogue import Dialogue
from bot.core.flood import FloodBudget, FloodPolicy
from bot.core.identity import UserKey
from bot.core.insight import Insight
from bot.core.messages import Reply
from bot.core.pacing import SendPacer
from bot.core.ports import Clock, Nlu
from bot.core.report import Report, ReportDraft
from bot.core.report_events import StatusChange
from bot.core.report_flow import ReportDesk
from bot.core.report_status import status_change
from bot.core.sweeps import Sweep, run_sweeps
from bot.delivery.alerts import Alerts, LogAlerts
from bot.delivery.dispatcher import Dispatcher, Notify
from bot.errors import ConfigError
from bot.i18n.translator import BabelTranslator
from bot.nlu.cue_lists import CueScreen
from bot.nlu.http_nlu import HttpNlu
from bot.nlu.language_id import TrainedDetector
from bot.nlu.rasa_agent import RasaAgentNlu
from bot.nlu.training import current_model
from bot.scam.items import TextItemFinder
from bot.settings import Settings
from bot.storage.chat_log import SqliteChatLog
from bot.storage.database import open_database
from bot.storage.evidence import SqliteEvidenceStore
from bot.storage.notices import SqliteNotices
from bot.storage.outbox import SqliteOutbox
from bot.storage.private_files import wider_than_private
from bot.storage.pseudonyms import pseudonym_key, pseudonymizer
from bot.storage.reports import SqliteReportStore
from bot.telegram_adapter.identity import telegram_chat
from bot.telegram_adapter.staff import StaffRouting

if TYPE_CHECKING:
    from bot.storage.postgres.chat_log import PostgresChatLog
    from bot.storage.postgres.evidence import PostgresEvidenceStore
    from bot.storage.postgres.notices import PostgresNotices
    from bot.storage.postgres.outbox import PostgresOutbox
    from bot.storage.postgres.reports import PostgresReportStore

log = logging.getLogger(__name__)
# Sends a reply to a person by their channel-neutral user key (the channel decides how).
Send = Callable[[UserKey, Reply], Awaitable[None]]


@dataclass
class Services:
    dialogue: Dialogue
    conversation: Conversation
    translator: BabelTranslator
    nlu: Nlu
    answers: LiveAnswerBook
    chat_log: SqliteChatLog | PostgresChatLog
    reports: SqliteReportStore | PostgresReportStore
    outbox: SqliteOutbox | PostgresOutbox
    evidence: SqliteEvidenceStore | PostgresEvidenceStore
    settings: Settings
    notices: SqliteNotices | PostgresNotices
    clock: Clock
    pacer: SendPacer
    sweeps: tuple[Sweep, ...] = ()
    staffing: Staffing | None = None
    db: sqlite_utils.Database | None = None
    stores: Stores | None = None

    @property
    def staff(self) -> StaffRouting | None:
        return self.staffing.routing if self.staffing else None

    async def ready(self) -> bool:
        """For /readyz: the database answers, and so does the NLU server when there is one."""
        try:
            if self.stores is not None and not self.stores.ping():
                return False
            if self.db is not None:
                self.db.execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return await self.nlu.ready() if isinstance(self.nlu, HttpNlu) else True

    def operator_conversation(self) -> Conversation:
        """The terminal's: only its operator types into it, so no flood policy (pasting 150 test
        messages is not a flood); the same turn rules otherwise."""
        return Conversation(self.dialogue, self.translator)

    async def run_background(self, send: Send, alerts: AlertChannel) -> None:
        """Everything that runs beside the conversation: reloading edited answers, sending
        scam alerts, and delivering reports when a complaint API is configured."""
        jobs = [
            self.answers.watch(),
            sweep_forever(self.sweeps, self.clock),
            tell_handed_over(self.notices, self.translator, send),
            broadcast_forever(
                self.settings,
                alerts,
                self.answers,
                self.translator,
                self.pacer,
                self.clock,
                self.stores,
            ),
        ]
        if self.settings.complaint_api_url:
            jobs.append(deliver_reports(self, send))
        if self.staffing:
            jobs.append(watch_forever(self.staffing.watch, send))
        await asyncio.gather(*jobs)


async def sweep_forever(sweeps: tuple[Sweep, ...], clock: Clock, every: float = 3600.0) -> None:
    """Retention runs in the bot itself, with or without a complaint API: an unfinished report
    must go after its days even on a bot that never delivers anything."""
    while True:
        run_sweeps(sweeps, clock.now())
        await asyncio.sleep(every)


def nlu_for(settings: Settings, say: Callable[[str], None]) -> Nlu:
    """The model in this process, or, with WASPADA_NLU_URL, the NLU server (no Rasa here)."""
    if settings.nlu_url is None:
        return load_nlu(settings, say)
    say(f"Asking the NLU server at {settings.nlu_url} (word lists only while it is down).")
    token = settings.nlu_token.reveal() if settings.nlu_token else None
    fallback = CueScreen.from_data(settings.nlu_dir / "data")
    return HttpNlu(settings.nlu_url, fallback, token=token)


def load_nlu(settings: Settings, say: Callable[[str], None]) -> RasaAgentNlu:
    model = current_model(settings.nlu_dir, settings.models_dir)
    say(f"Loading the language model {model.name} (under a minute)…")
    return RasaAgentNlu.load(model)


def load_thresholds(settings: Settings) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(settings.thresholds_file.read_text(encoding="utf-8"))
    return data


NO_COMPLAINT_API = (
    "COMPLAINT_API_URL is not set: confirmed reports wait safely in the outbox until it is "
    "(`make run` starts a local reference API for you)."
)


def open_private_database(settings: Settings) -> sqlite_utils.Database:
    db = open_database(settings.db_path)
    for path in wider_than_private(settings.db_path):
        log.warning("%s can be read by other accounts; chmod it to 700 (folder) or 600", path)
    return db


def build_services(settings: Settings, *, say: Callable[[str], None] = print) -> Services:
    answers = LiveAnswerBook(settings.responses_dir, nlu_dir=settings.nlu_dir)
    nlu = nlu_for(settings, say)
    translator = BabelTranslator(settings.locales_dir, answers.languages)
    clock = SystemClock()
    finder = TextItemFinder()
    if settings.postgres_url:
        stores = open_stores(settings, clock, finder)
    else:
        stores = sqlite_stores(open_private_database(settings), clock, finder)
    reports, evidence = stores.reports, stores.evidence
    desk = ReportDesk(
        reports,
        clock,
        pseudonymizer(pseudonym_key(settings.secret_key, settings.data_dir)),
        settings.reports_per_day,
        evidence=evidence,
    )
    if not settings.complaint_api_url:
        say(NO_COMPLAINT_API)
    staffing = staff_desk(settings, stores, translator, clock, answers)
    dialogue = Dialogue(
        nlu=nlu,
        detector=TrainedDetector.from_nlu_data(
            settings.nlu_dir, answers.languages, settings.models_dir
        ),
        answers=answers,
        translator=translator,
        sessions=stores.sessions,
        policy=ConfidencePolicy.from_mapping(load_thresholds(settings)["confidence"]),
        reports=desk,
        clock=clock,
        forgetting=stores.forgetting,
        subscriptions=stores.subscriptions,
        scam_checker=scam_checker(settings, stores.crowd, clock),
        handoff=staffing.handoff if staffing else None,
        insight=Insight(clock, stores.usage, stores.review),
    )
    budget = FloodBudget(messages=settings.flood_messages, presses=settings.flood_presses)
    conversation = Conversation(
        dialogue, translator, flood=FloodPolicy(clock, budget), locks=stores.turn_locks
    )
    return Services(
        dialogue=dialogue,
        conversation=conversation,
        translator=translator,
        nlu=nlu,
        answers=answers,
        chat_log=stores.chat_log,
        reports=reports,
        outbox=stores.outbox,
        evidence=evidence,
        settings=settings,
        notices=stores.notices,
        clock=clock,
        pacer=new_pacer(settings),
        sweeps=stores.sweeps(settings),
        staffing=staffing,
        db=stores.db if isinstance(stores.db, sqlite_utils.Database) else None,
        stores=stores,
    )


def retention(db: sqlite_utils.Database, settings: Settings) -> tuple[Sweep, ...]:
    return sqlite_stores(db, SystemClock()).sweeps(settings)


class ChatAlerts:
    """Delivery problems go to the log and to the admins' Telegram chats, if any are set."""

    def __init__(self, send: Send, admin_chat_ids: tuple[int, ...]) -> None:
        self._send = send
        self._admins = admin_chat_ids

    async def alert(self, text: str) -> None:
        log.error("ALERT: %s", text)
        for chat_id in self._admins:
            try:
                await self._send(telegram_chat(chat_id), Reply("⚠️ Waspada: " + text))
            except Exception as error:
                log.error("could not alert an admin chat: %s", type(error).__name__)


async def tell_reporter(translator: BabelTranslator, send: Send, change: StatusChange) -> None:
    if change.user_key is None:
        return
    delivery = "rejected" if change.status == "not_accepted" else "delivered"
    official = None if change.status == "not_accepted" else change.status
    reply = status_change(
        translator,
        change.language,
        reference=change.reference,
        complaint_id=change.complaint_id,
        delivery=delivery,
        official=official,
    )
    await send(change.user_key, reply)


async def tell_handed_over(
    notices: SqliteNotices | PostgresNotices,
    translator: BabelTranslator,
    send: Send,
    every: float = 5.0,
) -> None:
    """Status changes a standalone `waspada outbox deliver` saw: sent, then deleted."""
    while True:
        for notice_id, change in notices.waiting():
            await tell_reporter(translator, send, change)
            notices.done(notice_id)
        await asyncio.sleep(every)


async def deliver_reports(services: Services, send: Send) -> None:
    """The outbox dispatcher, telling each reporter in their language when things change."""
    from bot.complaint_api.client import ComplaintApiClient

    settings = services.settings
    assert settings.complaint_api_url is not None  # noqa: S101 - checked by the caller

    async def notify(change: StatusChange) -> None:
        await tell_reporter(services.translator, send, change)

    async with ComplaintApiClient(settings.complaint_api_url, settings.complaint_api_token) as api:
        dispatcher = build_dispatcher(
            settings,
            services.outbox,
            services.evidence,
            api,
            ChatAlerts(send, settings.admin_chat_ids),
            notify,
        )
        stop = asyncio.Event()
        try:
            await dispatcher.run(stop)
        except asyncio.CancelledError:
            stop.set()
            raise


def build_dispatcher(
    settings: Settings,
    outbox: SqliteOutbox | PostgresOutbox,
    evidence: SqliteEvidenceStore | PostgresEvidenceStore,
    gateway: ComplaintGateway,
    alerts: Alerts,
    notify: Notify,
    sweeps: tuple[Sweep, ...] = (),
) -> Dispatcher:
    """The one wiring of delivery, for the bot and for `waspada outbox deliver` alike."""
    return Dispatcher(
        outbox,
        gateway,
        SystemClock(),
        alerts,
        notify=notify,
        alert_after=timedelta(minutes=settings.alert_after_minutes),
        poll_every=timedelta(seconds=settings.status_poll_seconds),
        retention=timedelta(days=settings.retention_days),
        evidence=evidence,
        unfiled_evidence_kept=timedelta(days=settings.draft_days),
        sweeps=sweeps,
    )


async def deliver_outbox(settings: Settings, *, once: bool, say: Callable[[str], None]) -> int:
    """Standalone delivery: alerts go to the log; status changes are handed to the bot, which
    tells the reporter (`bot/storage/notices.py`)."""

    from bot.complaint_api.client import ComplaintApiClient

    clock = SystemClock()
    stores = open_stores(settings, clock)
    outbox = stores.outbox
    assert settings.complaint_api_url is not None  # noqa: S101 - checked by the caller
    async with ComplaintApiClient(
        settings.complaint_api_url, settings.complaint_api_token
    ) as client:
        dispatcher = build_dispatcher(
            settings,
            outbox,
            stores.evidence,
            client,
            LogAlerts(),
            stores.notices.hand_over,
            sweeps=stores.sweeps(settings),
        )
        if once:
            delivered = await dispatcher.run_once()
            print(f"delivered {delivered}, waiting {outbox.waiting()}")
            return 0
        stop = stop_on_signals()
        say("Delivering reports to the complaint API. Ctrl-C to stop after the current one.")
        await dispatcher.run(stop)
    return 0


def stop_on_signals() -> asyncio.Event:
    """Set by Ctrl-C or a service manager's SIGTERM, so work in flight finishes first."""
    import signal

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return stop


def file_staff_report(settings: Settings, draft: ReportDraft) -> tuple[str, datetime | None]:
    """A report staff entered for someone (by phone or email): its reference, and when the same
    report was entered before, that earlier date (nothing new is stored then)."""
    clock = SystemClock()
    store = open_stores(settings, clock, TextItemFinder()).reports
    earlier = store.find_staff_duplicate(draft.fingerprint())
    if earlier is not None:
        return earlier.reference, earlier.submitted_at
    report = store.file(Report(draft=draft, channel="staff", submitted_at=clock.now()))
    return report.reference, None


async def chat_in_terminal(services: Services, *, jsonl: bool, say: Callable[[str], None]) -> None:
    """News about a report filed in this terminal goes to stderr, so `--jsonl` stays clean."""
    from bot.channels.terminal import USER_KEY, run_terminal
    from bot.core.markup import to_plain

    async def tell(user_key: UserKey, reply: Reply) -> None:
        if user_key == USER_KEY:
            say("Waspada: " + to_plain(reply.text))

    class TerminalAlerts:
        async def send_alert(self, user_key: UserKey, reply: Reply) -> SendResult:
            await tell(user_key, reply)
            return SendResult(Outcome.SENT if user_key == USER_KEY else Outcome.GONE)

    background = services.run_background(tell, TerminalAlerts())
    await run_terminal(services.operator_conversation(), jsonl=jsonl, background=background)


def telegram_application(services: Services) -> Any:
    """The Telegram bot around the flood-guarded conversation (needs TELEGRAM_BOT_TOKEN)."""
    from bot.telegram_adapter.application import build_application

    settings = services.settings
    if settings.telegram_token is None:
        raise ConfigError(["TELEGRAM_BOT_TOKEN is not set."])
    return build_application(
        settings.telegram_token.reveal(),
        services.conversation,
        services.translator,
        services.chat_log,
        base_url=settings.telegram_api_base_url,
        background=services.run_background,
        on_sent=lambda chat_id: services.pacer.note(time.monotonic(), str(telegram_chat(chat_id))),
        staff=services.staff,
        updates=services.stores.updates if services.stores else None,
    )
