"""A redelivered update is handled once.

Telegram sends an update again when its webhook request timed out or failed (a replica killed
mid-request, a proxy that gave up), and after a restart `getUpdates` may hand back updates
whose offset was never confirmed. Behind a load balancer the second copy usually lands on
another replica, so remembering ids in one process is not enough: the ids live in the store
every replica shares.

| copy of update 41            | `UpdateLedger.claim`                      | the turn          |
|------------------------------|-------------------------------------------|-------------------|
| first, on any replica        | inserts (telegram:<bot>, 41): True        | runs              |
| again, on any replica        | the row is there: False                   | never runs        |
| two copies at the same time  | one insert wins (a unique key), one False | runs once         |
| after `KEEP_FOR`             | pruned by the retention sweep             | (Telegram gave up)|

The claim is taken *before* the turn runs, so a replica that dies mid-turn does not get the
turn run a second time elsewhere: a person is never answered twice, at the price of a turn that
a crash cut short staying cut short (they send their message again, as after any crash). The
webhook answers Telegram once the update is handled (`bot/telegram_adapter/webhook.py`), so a
redelivery is only ever a copy of an update whose answer Telegram did not see.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

# Telegram stops redelivering an update well within a day; longer keeps rows for nothing.
KEEP_FOR = timedelta(days=1)


class UpdateLedger(Protocol):
    """The ids of updates already taken by some replica, per channel: a channel names the bot
    too (`telegram:<bot id>`), since every bot numbers its own updates."""

    def claim(self, channel: str, update_id: int) -> bool:
        """True for the first claim of this update anywhere; False for every later copy."""
        ...

    def prune(self, before: datetime) -> int:
        """Retention: forgets ids claimed before `before`; says how many."""
        ...
