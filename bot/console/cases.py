"""Hand-off cases in the console: the open "talk to a person" cases with how long each person
has waited in office time, and a reply or a close from the browser (`bot/core/console_desk.py`
decides; this module only shows forms and outcomes).

| path                       | method | what                                                |
|----------------------------|--------|-----------------------------------------------------|
| /cases                     | GET    | open cases: flagged first, then the longest wait    |
| /cases/{case_id}           | GET    | one case's card, a reply form and a close button    |
| /cases/{case_id}/reply     | POST   | reply as the staff desk; the page says what happened|
| /cases/{case_id}/close     | POST   | close the case; back to /cases with the outcome     |

Staff see what the Telegram topic's card shows (case number, language, topics, risk flags,
times), never the person's name or account id. The person's words are not stored, so they are
read in the topic (a link when the staff group's id is known).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from aiohttp import web

from bot.console.kit import PageKit, form_fields
from bot.core.console_desk import MAX_REPLY, CloseOutcome, ConsoleDesk, ReplyOutcome
from bot.core.office_hours import DAYS
from bot.core.staff_desk import Case

TopicLink = Callable[[Case], "str | None"]

REPLY_MESSAGES = {
    ReplyOutcome.SENT: "Sent to the person, and copied into the case's Telegram topic.",
    ReplyOutcome.COPY_FAILED: "Sent to the person, but the copy into the Telegram topic failed: "
    "tell the staff there what you wrote.",
    ReplyOutcome.NOT_SENT: "Not sent: Telegram refused the message or could not be reached. "
    "Your text is still in the box; try again in a minute.",
    ReplyOutcome.EMPTY: "Nothing was sent: write a reply first.",
    ReplyOutcome.TOO_LONG: f"Nothing was sent: a reply can be at most {MAX_REPLY} characters.",
    ReplyOutcome.CLOSED: "Nothing was sent: this case is closed.",
    ReplyOutcome.NO_SUCH_CASE: "There is no such open case: it was closed or forgotten.",
}
CLOSE_MESSAGES = {
    CloseOutcome.CLOSED: "Case {case} closed: the person was asked whether it helped, and the "
    "Telegram topic is closed.",
    CloseOutcome.CLOSED_UNTOLD: "Case {case} is closed, but Telegram could not be reached to tell "
    "the person or close the topic.",
    CloseOutcome.ALREADY_CLOSED: "Case {case} was already closed; nothing changed.",
    CloseOutcome.NO_SUCH_CASE: "There is no case {case}.",
}
# Kept in the form after these, so nothing typed is lost.
_KEEP_TEXT = frozenset({ReplyOutcome.NOT_SENT, ReplyOutcome.TOO_LONG, ReplyOutcome.COPY_FAILED})


def duration(minutes: int | None) -> str:
    """12 min, 1 h 05 min; "—" for none."""
    if minutes is None:
        return "—"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


class CasePages:
    def __init__(self, kit: PageKit, desk: ConsoleDesk, topic_link: TopicLink) -> None:
        self._kit = kit
        self._desk = desk
        self._topic_link = topic_link

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/cases", self.cases)
        router.add_get("/cases/{case_id}", self.case)
        router.add_post("/cases/{case_id}/reply", self.reply)
        router.add_post("/cases/{case_id}/close", self.close)

    def _hours(self) -> str:
        hours = self._desk.hours
        ordered = sorted(hours.days)
        names = [DAYS[d].capitalize() for d in ordered]
        run = len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1))
        days = f"{names[0]}-{names[-1]}" if run else ", ".join(names)
        state = "open now" if self._desk.office_open else "closed now"
        return f"{days}, {hours.start:%H:%M}-{hours.end:%H:%M} Malaysia time ({state})"

    async def cases(self, request: web.Request) -> web.StreamResponse:
        self._kit.record(request, "viewed cases")
        message = None
        outcome, case_id = request.query.get("outcome", ""), request.query.get("case", "")
        for known, text in CLOSE_MESSAGES.items():
            if known.value == outcome:
                message = text.format(case=case_id)
        if "gone" in request.query:
            message = f"Nothing was sent: case {request.query['gone']} is closed or forgotten."
        return self._kit.page(
            request,
            "cases.html",
            cases=self._desk.open_cases(),
            hours=self._hours(),
            duration=duration,
            message=message,
        )

    async def case(self, request: web.Request) -> web.StreamResponse:
        outcome = request.query.get("outcome", "")
        message = next((t for o, t in REPLY_MESSAGES.items() if o.value == outcome), None)
        return self._case_page(request, message=message)

    def _case_page(
        self, request: web.Request, *, message: str | None, text: str = "", status: int = 200
    ) -> web.Response:
        found = self._desk.case(request.match_info["case_id"])
        if found is None:
            raise web.HTTPNotFound(text="No such open case: it was closed or forgotten.")
        return self._kit.page(
            request,
            "case.html",
            status=status,
            open_case=found,
            card=found.case.card().splitlines()[:-1],
            topic_link=self._topic_link(found.case),
            hours=self._hours(),
            duration=duration,
            message=message,
            text=text,
            max_reply=MAX_REPLY,
        )

    async def reply(self, request: web.Request) -> web.StreamResponse:
        case_id = request.match_info["case_id"]
        text = (await form_fields(request, "text"))["text"]
        name = self._kit.session(request).name
        outcome = await self._desk.reply(case_id, text, name)
        self._kit.record(request, "replied to case", f"{case_id}: {outcome.name}")
        if outcome in (ReplyOutcome.SENT, ReplyOutcome.COPY_FAILED):
            raise web.HTTPSeeOther(f"/cases/{case_id}?" + urlencode({"outcome": outcome.value}))
        if outcome in (ReplyOutcome.CLOSED, ReplyOutcome.NO_SUCH_CASE):
            raise web.HTTPSeeOther("/cases?" + urlencode({"gone": case_id}))
        kept = text if outcome in _KEEP_TEXT else ""
        status = 502 if outcome is ReplyOutcome.NOT_SENT else 400
        return self._case_page(request, message=REPLY_MESSAGES[outcome], text=kept, status=status)

    async def close(self, request: web.Request) -> web.StreamResponse:
        case_id = request.match_info["case_id"]
        outcome = await self._desk.close(case_id, self._kit.session(request).name)
        self._kit.record(request, "closed case", f"{case_id}: {outcome.name}")
        raise web.HTTPSeeOther("/cases?" + urlencode({"outcome": outcome.value, "case": case_id}))
