"""Photos and image files people send, described without downloading them.

The core decides from the declared type and size whether it wants a file at all (never when a
child may be in it); only then does `fetch` call getFile and download it.
"""

from __future__ import annotations

from functools import partial

from telegram import Bot, Message

from bot.core.evidence import MAX_EVIDENCE_BYTES
from bot.core.messages import Attachment
from bot.telegram_adapter.network import with_network_retries


def attachment_of(message: Message, bot: Bot) -> Attachment | None:
    if message.photo:
        sizes = sorted(message.photo, key=lambda p: p.file_size or 0)
        fitting = [p for p in sizes if (p.file_size or 0) <= MAX_EVIDENCE_BYTES]
        photo = (fitting or sizes)[-1]
        return Attachment("image/jpeg", photo.file_size, partial(_download, bot, photo.file_id))
    document = message.document
    if document is not None:
        return Attachment(
            document.mime_type, document.file_size, partial(_download, bot, document.file_id)
        )
    return None


async def _download(bot: Bot, file_id: str) -> bytes:
    file = await with_network_retries(lambda: bot.get_file(file_id))
    data = await with_network_retries(file.download_as_bytearray)
    return bytes(data)


def file_url_for(base_url: str) -> str:
    """Files live beside the Bot API: …/bot<token>/getFile, then …/file/bot<token>/<path>."""
    trimmed = base_url.rstrip("/")
    if trimmed.endswith("/bot"):
        return trimmed[: -len("bot")] + "file/bot"
    return trimmed + "/file/bot"
