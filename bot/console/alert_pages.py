"""Scam alerts in the console: compose in every language, preview as Telegram shows it, and queue
it for the people who opted in with /alerts. The same machinery as `waspada alerts send FILE`:

- the rules of an alert file (`bot/content/alerts.py`: every language, at most 400 characters,
  numbers and links only from contacts.yml, a button that leads to a real answer);
- `Broadcasts.queue`: one row per current subscriber, in their language; an alert's name is
  queued once, so sending twice gives nobody a second copy;
- the bot's broadcaster sends the rows, paced (`WASPADA_ALERTS_PER_SECOND`, replies first).

| path            | method | what                                                            |
|-----------------|--------|-----------------------------------------------------------------|
| /alerts         | GET    | the form, subscribers per language, alerts queued so far        |
| /alerts/preview | POST   | the problems (with everything typed kept), or the preview       |
| /alerts/send    | POST   | checks again and queues; back to /alerts with the count         |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode

from aiohttp import web

from bot.console.answers import ShownMessage, fingerprint, shown_messages
from bot.console.kit import PageKit, form_fields
from bot.content.alerts import compose_alert
from bot.content.answer_book import FileAnswerBook
from bot.content.problems import ContentProblem
from bot.core.alerts import Alert, BroadcastCounts, alert_reply
from bot.core.incident_date import MALAYSIA, malaysia_today
from bot.core.ports import Clock
from bot.i18n.translator import BabelTranslator

REPORT = "report"


class AlertQueue(Protocol):
    """`SqliteBroadcasts`' side the console uses."""

    def queue(self, alert: Alert) -> int | None: ...

    def counts(self, alert: str | None = None) -> BroadcastCounts: ...

    def names(self) -> list[str]: ...


class SubscriberCounts(Protocol):
    def by_language(self) -> dict[str, int]: ...


@dataclass(frozen=True)
class AlertDesk:
    """What the alerts pages need, built by `bot/app_console.py`."""

    queue: AlertQueue
    subscribers: SubscriberCounts
    live_dir: Path
    locales_dir: Path
    per_second: int


@dataclass(frozen=True)
class Typed:
    """The form as staff filled it in; shown again whatever happens, so nothing is lost."""

    slug: str
    texts: dict[str, str]
    send_after: str
    button: str


@dataclass(frozen=True)
class Preview:
    code: str
    name: str
    subscribers: int
    messages: tuple[ShownMessage, ...]


class AlertPages:
    def __init__(self, kit: PageKit, desk: AlertDesk, clock: Clock) -> None:
        self._kit = kit
        self._desk = desk
        self._clock = clock
        self._book: tuple[object, FileAnswerBook | None] | None = None

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/alerts", self.form)
        router.add_post("/alerts/preview", self.preview)
        router.add_post("/alerts/send", self.send)

    def _live(self) -> FileAnswerBook | None:
        """The live answers, as the bot serves them (None while they do not pass the check);
        read again only when a file changed."""
        key = fingerprint(self._desk.live_dir)
        if self._book is None or self._book[0] != key:
            self._book = (key, FileAnswerBook.check(self._desk.live_dir)[0])
        return self._book[1]

    def _name(self, slug: str) -> str:
        return f"{malaysia_today(self._clock.now()).isoformat()}-{slug.strip()}"

    def _render(
        self,
        request: web.Request,
        typed: Typed,
        *,
        problems: list[ContentProblem] | None = None,
        preview: list[Preview] | None = None,
        message: str | None = None,
        status: int = 200,
    ) -> web.Response:
        book = self._live()
        queue = self._desk.queue
        sent = [(name, queue.counts(name)) for name in reversed(queue.names())]
        return self._kit.page(
            request,
            "alerts.html",
            status=status,
            typed=typed,
            book=book,
            topics=sorted(book.topics()) if book else [],
            report=REPORT,
            problems=problems or [],
            preview=preview,
            message=message,
            name=self._name(typed.slug or "…"),
            subscribers=self._desk.subscribers.by_language(),
            per_second=self._desk.per_second,
            sent=sent,
        )

    async def form(self, request: web.Request) -> web.StreamResponse:
        message = None
        if "queued" in request.query:
            message = (
                f"Queued {request.query['queued']} for {request.query.get('count', '0')} "
                "subscriber(s). The bot sends it from the time given."
            )
        return self._render(request, Typed("", {}, "", ""), message=message)

    async def _typed(self, request: web.Request, book: FileAnswerBook | None) -> Typed:
        codes = book.languages.codes if book else ()
        fields = await form_fields(
            request, "slug", "send_after", "button", *(f"text_{c}" for c in codes)
        )
        # Browsers send a textarea's line breaks as CR LF.
        texts = {c: fields[f"text_{c}"].replace("\r\n", "\n") for c in codes}
        return Typed(fields["slug"], texts, fields["send_after"], fields["button"])

    def _compose(
        self, typed: Typed, book: FileAnswerBook
    ) -> tuple[Alert | None, list[ContentProblem]]:
        when = typed.send_after.strip()
        if not when:
            when = self._clock.now().astimezone(MALAYSIA).isoformat(timespec="minutes")
        elif _bad_time(when):
            problem = ContentProblem(
                "", None, "the time to send is not a date and time", "pick one, or leave it empty"
            )
            return None, [problem]
        return compose_alert(self._name(typed.slug), typed.texts, when, typed.button, book)

    async def preview(self, request: web.Request) -> web.StreamResponse:
        book = self._live()
        typed = await self._typed(request, book)
        if book is None:
            return self._render(request, typed, message=_NO_BOOK, status=503)
        alert, problems = self._compose(typed, book)
        if alert is None:
            return self._render(request, typed, problems=problems, status=400)
        tr = BabelTranslator(self._desk.locales_dir, book.languages)
        subscribers = self._desk.subscribers.by_language()
        shown = [
            Preview(
                info.code,
                info.name,
                subscribers.get(info.code, 0),
                shown_messages(alert_reply(alert, info.code, tr, book)),
            )
            for info in book.languages
        ]
        return self._render(request, typed, preview=shown)

    async def send(self, request: web.Request) -> web.StreamResponse:
        book = self._live()
        typed = await self._typed(request, book)
        if book is None:
            return self._render(request, typed, message=_NO_BOOK, status=503)
        alert, problems = self._compose(typed, book)
        if alert is None:
            return self._render(request, typed, problems=problems, status=400)
        queued = self._desk.queue.queue(alert)
        if queued is None:
            message = (
                f"{alert.name} was queued before; nobody gets a second copy. Give this alert "
                "another short name to send it as a new one."
            )
            return self._render(request, typed, message=message, status=409)
        self._kit.record(request, "queued alert", f"{alert.name} for {queued} subscriber(s)")
        query = urlencode({"queued": alert.name, "count": queued})
        raise web.HTTPSeeOther(f"/alerts?{query}")


_NO_BOOK = (
    "The live answers do not pass the answer check, so no alert can be checked against them: "
    "see the Answer check page. Nothing was queued; what you typed is kept below."
)


def _bad_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return True
    return False
