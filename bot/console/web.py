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
| /usage/direct.png    | GET    | share answered directly vs "did you mean", a PNG  |
| /review…             |        | teach the bot (`review_pages.py`)                 |
| /cases…              |        | hand-off cases, a second staff desk (`cases.py`)  |
| /alerts…             |        | scam alerts: compose, preview, queue (`alert_pages.py`) |

`?source=draft` shows the working copy (`WASPADA_RESPONSES_DIR`) instead of the live answers.
Every POST carries the CSRF token of its session (checked in constant time) or gets 403.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from aiohttp import web

from bot.console.alert_pages import AlertDesk, AlertPages
from bot.console.answers import STALE_AFTER_DAYS, AnswerViews, FolderView
from bot.console.cases import CasePages, TopicLink
from bot.console.direct_share import direct_share_chart, share_days
from bot.console.kit import SESSION_KEY, PageKit
from bot.console.review_pages import ReviewPages
from bot.console.usage import PERIODS, UsageFigures, period, questions_chart, usage_view
from bot.core.console_desk import ConsoleDesk
from bot.core.dashboard import Dashboard
from bot.core.ports import Clock, Nlu, ReviewStore, TrainingExamples
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
    # The NLU the bot asks (an HTTP client of `waspada nlu serve`); None: "still wrong" says
    # the model is not available. The console never loads Rasa itself.
    nlu: Nlu | None = None
    # Hand-off cases, a second staff desk; None: no staff group, /cases answers 404.
    cases: ConsoleDesk | None = None
    topic_link: TopicLink | None = None
    alerts: AlertDesk | None = None
    # Run when the server stops (the console's own Telegram Bot is shut down).
    on_cleanup: tuple[Callable[[], Awaitable[None]], ...] = ()


def create_app(config: ConsoleConfig) -> web.Application:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["desks"] = {"cases": config.cases is not None, "alerts": config.alerts is not None}
    auth = StaffAuth(config.store, config.clock)
    kit = PageKit(env, auth)
    pages = _Pages(config, kit)
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
    app.router.add_get("/usage/direct.png", pages.direct_chart)
    if config.review is not None and config.training is not None:
        ReviewPages(kit, config.review, config.training, config.nlu).add_routes(app.router)
    if config.cases is not None:
        CasePages(kit, config.cases, config.topic_link or (lambda _case: None)).add_routes(
            app.router
        )
    if config.alerts is not None:
        AlertPages(kit, config.alerts, config.clock).add_routes(app.router)
    app.router.add_static("/static", HERE / "static")

    async def cleanup(_app: web.Application) -> AsyncIterator[None]:
        yield
        for step in config.on_cleanup:
            await step()

    app.cleanup_ctx.append(cleanup)
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
    def __init__(self, config: ConsoleConfig, kit: PageKit) -> None:
        self._config = config
        self._kit = kit
        self._auth = kit.auth
        self._page = kit.page

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
        request[SESSION_KEY] = session
        return await handler(request)

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
        self._auth.log_out(token, request[SESSION_KEY])
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
        session: StaffSession = request[SESSION_KEY]
        health = self._config.dashboard.outbox_health(self._config.clock.now())
        self._auth.record(session.name, "viewed reports")
        return self._page(request, "reports.html", health=health)

    async def audit(self, request: web.Request) -> web.StreamResponse:
        session: StaffSession = request[SESSION_KEY]
        self._auth.record(session.name, "viewed audit log")
        entries = self._config.store.recent_audit(200)
        return self._page(request, "audit.html", entries=entries)

    async def usage(self, request: web.Request) -> web.StreamResponse:
        session: StaffSession = request[SESSION_KEY]
        figures = self._config.usage
        if figures is None:
            raise web.HTTPNotFound(text="Usage counts are not configured.")
        days = period(request.query.get("days"))
        self._auth.record(session.name, "viewed usage", f"{days} days")
        return self._page(
            request,
            "usage.html",
            view=usage_view(figures, days),
            share_days=share_days(figures, days),
            periods=PERIODS,
        )

    async def usage_chart(self, request: web.Request) -> web.StreamResponse:
        figures = self._config.usage
        if figures is None:
            raise web.HTTPNotFound(text="Usage counts are not configured.")
        png = questions_chart(figures, period(request.query.get("days")))
        return web.Response(body=png, content_type="image/png")

    async def direct_chart(self, request: web.Request) -> web.StreamResponse:
        figures = self._config.usage
        if figures is None:
            raise web.HTTPNotFound(text="Usage counts are not configured.")
        png = direct_share_chart(figures, period(request.query.get("days")))
        return web.Response(body=png, content_type="image/png")
