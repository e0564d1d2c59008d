"""What every console page needs, shared by the modules that serve them (`web.py`, `cases.py`,
`alert_pages.py`): the staff session the guard put on the request, a template rendered with it,
an audit record, and a posted form's text fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jinja2
from aiohttp import web

from bot.core.staff_accounts import StaffAuth, StaffSession

SESSION_KEY = "waspada.session"


@dataclass(frozen=True)
class PageKit:
    env: jinja2.Environment
    auth: StaffAuth

    def page(
        self, request: web.Request | None, template: str, status: int = 200, **values: Any
    ) -> web.Response:
        session = request.get(SESSION_KEY) if request is not None else None
        html = self.env.get_template(template).render(session=session, **values)
        return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")

    @staticmethod
    def session(request: web.Request) -> StaffSession:
        session: StaffSession = request[SESSION_KEY]
        return session

    def record(self, request: web.Request, action: str, detail: str = "") -> None:
        self.auth.record(self.session(request).name, action, detail)


async def form_fields(request: web.Request, *names: str) -> dict[str, str]:
    """The named text fields of a posted form ("" when missing or not text)."""
    form = await request.post()
    return {name: v if isinstance(v := form.get(name), str) else "" for name in names}
