"""Who a turn belongs to, whatever the channel."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class UserKey:
    """One person on one channel. Adapters build it (`UserKey("telegram", "123")`); nothing
    else looks inside the id. Its text form, `telegram:123`, is what storage keeps and what the
    reporter pseudonym is computed from, so it must never change for a person."""

    channel: str
    id: str

    def __post_init__(self) -> None:
        if not self.channel or ":" in self.channel or not self.id:
            raise ValueError(f"not a user key: channel {self.channel!r}, id {self.id!r}")

    def __str__(self) -> str:
        return f"{self.channel}:{self.id}"

    @classmethod
    def parse(cls, stored: str) -> UserKey:
        channel, _, id_ = stored.partition(":")
        return cls(channel, id_)
