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
    pinned: list[str] = field(default_factory=list)


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

    async def flag(self, case: Case, alert: str) -> None:
        thread = self._thread(case)
        thread.title = case.title
        thread.posts.append(f"bot: {alert}")
        thread.pinned.append(alert)

    async def close(self, case: Case) -> None:
        self._thread(case).closed = True

    async def erase(self, case: Case, line: str) -> None:
        """Keeps only what staff wrote (the fake never holds staff's words), then `line`."""
        thread = self._thread(case)
        thread.posts = [f"bot: {line}"]
        thread.closed = True

    def _thread(self, case: Case) -> FakeThread:
        self._check()
        assert case.thread is not None
        return self.threads[case.thread]

    def _check(self) -> None:
        if not self.reachable:
            raise StaffDeskError("unreachable")
