"""A staff desk in memory: threads with what was posted in them, and a switch to make it
unreachable."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.staff_desk import Case, StaffDeskError


@dataclass
class FakeThread:
    title: str
    posts: list[str] = field(default_factory=list)
    closed: bool = False


@dataclass
class FakeStaffDesk:
    threads: dict[str, FakeThread] = field(default_factory=dict)
    reachable: bool = True

    async def open_case(self, case: Case) -> str:
        self._check()
        thread = str(100 + len(self.threads))
        self.threads[thread] = FakeThread(case.title, [case.card()])
        return thread

    async def mirror(self, case: Case, text: str) -> None:
        self._thread(case).posts.append(f"person: {text}")

    async def post(self, case: Case, text: str) -> None:
        self._thread(case).posts.append(f"bot: {text}")

    async def flag(self, case: Case) -> None:
        self._thread(case).title = case.title

    async def close(self, case: Case) -> None:
        self._thread(case).closed = True

    def _thread(self, case: Case) -> FakeThread:
        self._check()
        assert case.thread is not None
        return self.threads[case.thread]

    def _check(self) -> None:
        if not self.reachable:
            raise StaffDeskError("unreachable")
