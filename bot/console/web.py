"""The staff console: aiohttp, server-rendered Jinja2 pages (autoescaped), no JavaScript.

| path                 | method | what                                              |
|----------------------|--------|---------------------------------------------------|
| /login               | GET    | the form (or how to create the first account)     |
| /login               | POST   | log in (CSRF: a cookie and a form field that match)|
| /logout              | POST   | end the session                                   |
| /answers             | GET    | every topic, a badge for problems and staleness   |
| /answers/{topic}     | GET    | the topic in every language, as Telegram shows it |
| /check               | GET    | the answer check: file, line and fix              |
| /reports             | GET    | outbox health and complaint statuses (counts only)|
| /audit               | GET    | the recent audit log                              |
| /usage               | GET    | what people ask: counts only (`?days=7|30|90`)    |
| /usage/chart.png     | GET    | questions per day by language, a PNG              |
| /review              | GET    | teach the bot: pending review entries, grouped    |
| /review/{entry_id}   | POST   | label one entry; redirects to /review with outcome|

`?source=draft` shows the working copy (`WASPADA_RESPONSES_DIR`) instead of the live answers.
Every POST carries the CSRF token of its session (checked in constant time) or gets 403.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from aiohttp import web

from bot.console.answers import STALE_AFTER_DAYS, AnswerViews, FolderView
from bot.console.usage import PERIODS, UsageFigures, period, questions_chart, usage_view
from bot.core.dashboard import Dashboard
from bot.core.labels import is_topic_label
from bot.core.ports import Clock, ReviewStore, TrainingExamples
from bot.core.review import LabelOutcome, StaffReview
from bot.core.review_entry import NEW_TOPIC_NEEDED, OUT_OF_SCOPE
from bot.core.review_groups import group_entries
from bot.core.staff_accounts import SESSION_FOR, LogIn, StaffAuth, StaffSession, StaffStore

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "waspada_console"
LOGIN_CSRF_COOKIE = "waspada_login_csrf"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
REFUSED = "That name or password is wrong."
LOCKED = "Too many failed log-ins: this account is locked for 15 minutes."
LABEL_MESSAGES = {
    LabelOutcome.LABELLED: "Labelled: the words went into the review file {file}; the next "
    "`waspada nlu train` learns them.",
    LabelOutcome.NOTED: "Noted as a new topic needed: nothing goes into training data.",
    LabelOutcome.NO_SUCH_ENTRY: "There is no such entry: it was forgotten or has expired.",
    LabelOutcome.ALREADY_LABELLED: "Someone already labelled that entry; nothing changed.",
    LabelOutcome.UNKNOWN_INTENT: "That is not an intent the training data knows; nothing changed.",
    LabelOutcome.ALREADY_TRAINED: "Those words are already a training example; nothing changed.",
    LabelOutcome.HELD_OUT: "Those words are in the held-out test set, which must never be "
    "trained on; nothing changed.",
}

_SESSION_KEY = "waspada.session"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class ConsoleConfig:
    store: StaffStore
    dashboard: Dashboard
    answers: AnswerViews
    clock: Clock
    live_dir: Path
    draft_dir: Path | None = None
    secure_cookies: bool = False
    # What people ask (counts only) and the review queue; None: those pages answer 404.
    usage: UsageFigures | None = None
    review: ReviewStore | None = None
    training: TrainingExamples | None = None


def create_app(config: ConsoleConfig) -> web.Application:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    auth = StaffAuth(config.store, config.clock)
    pages = _Pages(config, env, auth)
    app = web.Application(middlewares=[_headers, pages.guard])
    app.router.add_get("/", pages.home)
    app.router.add_get("/login", pages.login_form)
    app.router.add_post("/login", pages.login)
    app.router.add_post("/logout", pages.logout)
    app.router.add_get("/answers", pages.answers)
    app.router.add_get("/answers/{topic}", pages.topic)
    app.router.add_get("/check", pages.check)
    app.router.add_get("/reports", pages.reports)
    app.router.add_get("/audit", pages.audit)
    app.router.add_get("/usage", pages.usage)
    app.router.add_get("/usage/chart.png", pages.usage_chart)
    app.router.add_get("/review", pages.review)
    app.router.add_post("/review/{entry_id}", pages.label)
    app.router.add_static("/static", HERE / "static")
    return app


@web.middleware
async def _headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        exc.headers.update(SECURITY_HEADERS)
        raise
    response.headers.update(SECURITY_HEADERS)
    return response


class _Pages:
    def __init__(self, config: ConsoleConfig, env: jinja2.Environment, auth: StaffAuth) -> None:
        self._config = config
        self._env = env
        self._auth = auth

    # -- plumbing -------------------------------------------------------------------------

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Everything but the log-in page and the style sheet needs a session; every POST but
        the log-in needs its session's CSRF token."""
        if request.path == "/favicon.ico":
            raise web.HTTPNotFound()
        if request.path.startswith("/static/") or request.path == "/login":
            return await handler(request)
        session = self._auth.session(request.cookies.get(SESSION_COOKIE))
        if request.method == "POST":
            form = await request.post()
            sent = form.get("csrf")
            if session is None or not self._auth.csrf_ok(
                session, sent if isinstance(sent, str) else None
            ):
                raise web.HTTPForbidden(text="Forbidden: missing or wrong CSRF token.")
        elif session is None:
            raise web.HTTPSeeOther("/login")
        request[_SESSION_KEY] = session
        return await handler(request)

    def _page(self, request: web.Request | None, template: str, **values: Any) -> web.Response:
        session = request.get(_SESSION_KEY) if request is not None else None
        html = self._env.get_template(template).render(session=session, **values)
        return web.Response(text=html, content_type="text/html", charset="utf-8")

    def _folder(self, request: web.Request) -> tuple[FolderView, str]:
        draft = self._config.draft_dir
        if request.query.get("source") == "draft" and draft is not None:
            return self._config.answers.folder("working copy", draft), "draft"
        return self._config.answers.folder("live", self._config.live_dir), "live"

    def _sources(self) -> dict[str, str]:
        found = {"live": str(self._config.live_dir)}
        if self._config.draft_dir is not None:
            found["draft"] = str(self._config.draft_dir)
        return found

    # -- log-in and out -------------------------------------------------------------------

    async def home(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPSeeOther("/answers")

    def _login_page(
        self, request: web.Request, message: str | None, status: int = 200
    ) -> web.Response:
        """The form's token matches a cookie; an existing one is kept, so a second tab (or the
        browser's own favicon request landing here) does not invalidate the first form."""
        token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if len(token) < 32:
            token = secrets.token_urlsafe(32)
        response = self._page(
            None,
            "login.html",
            csrf=token,
            message=message,
            no_accounts=self._config.store.count_accounts() == 0,
        )
        response.set_status(status)
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="Strict",
            secure=self._config.secure_cookies,
            path="/login",
        )
        return response

    async def login_form(self, request: web.Request) -> web.StreamResponse:
        if self._auth.session(request.cookies.get(SESSION_COOKIE)) is not None:
            raise web.HTTPSeeOther("/answers")
        return self._login_page(request, None)

    async def login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        sent, expected = form.get("csrf"), request.cookies.get(LOGIN_CSRF_COOKIE)
        if not (
            isinstance(sent, str)
            and expected
            and hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode())
        ):
            raise web.HTTPForbidden(text="Forbidden: missing or wrong CSRF token.")
        name, password = form.get("name"), form.get("password")
        if not isinstance(name, str) or not isinstance(password, str):
            return self._login_page(request, REFUSED, 400)
        result = self._auth.log_in(name.strip(), password)
        if result.outcome is LogIn.LOCKED:
            return self._login_page(request, LOCKED, 429)
        if result.outcome is LogIn.REFUSED or result.token is None:
            return self._login_page(request, REFUSED, 401)
        response = web.HTTPSeeOther("/answers")
        response.set_cookie(
            SESSION_COOKIE,
            result.token,
            max_age=int(SESSION_FOR.total_seconds()),
            httponly=True,
            samesite="Strict",
            secure=self._config.secure_cookies,
            path="/",
        )
        response.del_cookie(LOGIN_CSRF_COOKIE, path="/login")
        raise response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        token = request.cookies.get(SESSION_COOKIE, "")
        self._auth.log_out(token, request[_SESSION_KEY])
        response = web.HTTPSeeOther("/login")
        response.del_cookie(SESSION_COOKIE, path="/")
        raise response

    # -- pages ----------------------------------------------------------------------------

    async def answers(self, request: web.Request) -> web.StreamResponse:
        folder, source = self._folder(request)
        return self._page(
            request,
            "answers.html",
            folder=folder,
            source=source,
            sources=self._sources(),
            stale_after=STALE_AFTER_DAYS,
        )

    async def topic(self, request: web.Request) -> web.StreamResponse:
        folder, source = self._folder(request)
        found = folder.topics.get(request.match_info["topic"])
        if found is None:
            raise web.HTTPNotFound(text="No such topic.")
        return self._page(
            request,
            "topic.html",
            folder=folder,
            topic=found,
            source=source,
            sources=self._sources(),
            stale_after=STALE_AFTER_DAYS,
        )

    async def check(self, request: web.Request) -> web.StreamResponse:
        folder, source = self._folder(request)
        return self._page(
            request, "check.html", folder=folder, source=source, sources=self._sources()
        )

    async def reports(self, request: web.Request) -> web.StreamResponse:
        session: StaffSession = request[_SESSION_KEY]
        health = self._config.dashboard.outbox_health(self._config.clock.now())
        self._auth.record(session.name, "viewed reports")
        return self._page(request, "reports.html", health=health)

    async def audit(self, request: web.Request) -> web.StreamResponse:
        session: StaffSession = request[_SESSION_KEY]
        self._auth.record(session.name, "viewed audit log")
        entries = self._config.store.recent_audit(200)
        return self._page(request, "audit.html", entries=entries)

    async def usage(self, request: web.Request) -> web.StreamResponse:
        session: StaffSession = request[_SESSION_KEY]
        figures = self._config.usage
        if figures is None:
            raise web.HTTPNotFound(text="Usage counts are not configured.")
        days = period(request.query.get("days"))
        self._auth.record(session.name, "viewed usage", f"{days} days")
        return self._page(request, "usage.html", view=usage_view(figures, days), periods=PERIODS)

    async def usage_chart(self, request: web.Request) -> web.StreamResponse:
        figures = self._config.usage
        if figures is None:
            raise web.HTTPNotFound(text="Usage counts are not configured.")
        png = questions_chart(figures, period(request.query.get("days")))
        return web.Response(body=png, content_type="image/png")

    def _labeller(self) -> tuple[ReviewStore, TrainingExamples]:
        review, training = self._config.review, self._config.training
        if review is None or training is None:
            raise web.HTTPNotFound(text="The review queue is not configured.")
        return review, training

    def _labels(self, training: TrainingExamples) -> list[str]:
        """What `StaffReview.label` accepts: topic intents of the training data (not the risk_
        and scam_ screens'), out_of_scope, and "new topic needed"."""
        topics = sorted(i for i in training.intents() if is_topic_label(i) and i != OUT_OF_SCOPE)
        return [*topics, OUT_OF_SCOPE, NEW_TOPIC_NEEDED]

    async def review(self, request: web.Request) -> web.StreamResponse:
        review, training = self._labeller()
        outcome = request.query.get("outcome", "")
        message = None
        for known, text in LABEL_MESSAGES.items():
            if known.value == outcome:
                message = text.format(file=request.query.get("file", ""))
        return self._page(
            request,
            "review.html",
            groups=group_entries(review.pending()),
            labels=self._labels(training),
            message=message,
            out_of_scope=OUT_OF_SCOPE,
            new_topic=NEW_TOPIC_NEEDED,
        )

    async def label(self, request: web.Request) -> web.StreamResponse:
        session: StaffSession = request[_SESSION_KEY]
        review, training = self._labeller()
        form = await request.post()
        label = form.get("label")
        try:
            entry_id = int(request.match_info["entry_id"])
        except ValueError:
            raise web.HTTPNotFound(text="No such entry.") from None
        if not isinstance(label, str) or not label:
            raise web.HTTPBadRequest(text="Choose a label.")
        result = StaffReview(review, training).label(entry_id, label, session.name)
        self._auth.record(
            session.name, "labelled review entry", f"#{entry_id} as {label}: {result.outcome.name}"
        )
        query = {"outcome": result.outcome.value}
        if result.file:
            query["file"] = result.file
        raise web.HTTPSeeOther("/review?" + urlencode(query))
