"""Telegram sends an update again when its webhook request timed out: the person must get one
answer, not two. Across replicas: `tests/test_storage_contract.py` (one claim wins) and
`tests/test_replicas.py` (the copy posted to the other replica)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.fakes.telegram_api import FakeTelegramApi
from tests.support.telegram_chat import Chat
from tests.support.webhook import serving_webhook


def test_the_same_webhook_update_posted_twice_gets_one_reply(
    telegram: FakeTelegramApi, tmp_path: Path
) -> None:
    chat = Chat(telegram, tmp_path / "waspada.db", once_per_update=True)
    update = {"update_id": 501, "message": telegram.text_update("/verify", language_code="ms")}

    async def telegram_retries() -> list[int]:
        async with serving_webhook(chat.app) as webhook:
            first = await webhook.post(update)
            again = await webhook.post(update)  # Telegram did not see the first answer in time
            return [first, again]

    assert asyncio.run(telegram_retries()) == [200, 200], "both acknowledged, so Telegram stops"
    [verify] = telegram.sent
    assert "OTP" in verify.text


def test_a_new_update_after_a_redelivered_one_is_still_answered(
    telegram: FakeTelegramApi, tmp_path: Path
) -> None:
    chat = Chat(telegram, tmp_path / "waspada.db", once_per_update=True)
    verify = {"update_id": 7, "message": telegram.text_update("/verify", language_code="en")}
    privacy = {"update_id": 8, "message": telegram.text_update("/privacy", language_code="en")}

    async def story() -> None:
        async with serving_webhook(chat.app) as webhook:
            for update in (verify, verify, privacy, verify):
                assert await webhook.post(update) == 200

    asyncio.run(story())
    assert len(telegram.sent) == 2, [m.text[:40] for m in telegram.sent]


def test_two_bots_sharing_one_database_each_answer_their_own_first_update(tmp_path: Path) -> None:
    """Each bot numbers its own updates from its own start: a test bot's update 1 is not a copy
    of the real bot's update 1."""
    first = FakeTelegramApi(token="111111:FIRST-token-abcdefghijklmnopqrstuvwxyz").start()  # noqa: S106
    second = FakeTelegramApi(token="222222:SECOND-token-abcdefghijklmnopqrstuvwx").start()  # noqa: S106
    try:
        for api in (first, second):
            chat = Chat(api, tmp_path / "waspada.db", once_per_update=True)
            update = {"update_id": 1, "message": api.text_update("/verify", language_code="en")}

            async def telegram_posts(chat: Chat = chat, update: dict[str, object] = update) -> int:
                async with serving_webhook(chat.app) as webhook:
                    return await webhook.post(update)

            assert asyncio.run(telegram_posts()) == 200
            [verify] = api.sent
            assert "OTP" in verify.text
    finally:
        first.stop()
        second.stop()
