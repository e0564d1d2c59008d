"""The key behind the pseudonyms sent with reports, and the pseudonyms themselves."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from pathlib import Path

from bot.core.identity import UserKey
from bot.core.secret import Secret
from bot.storage.private_files import private_file


def pseudonym_key(secret_key: Secret | None, data_dir: Path) -> bytes:
    """WASPADA_SECRET_KEY, or a random key kept in the data folder: the pseudonyms sent with
    reports must stay stable across restarts, and must not be computable without the key."""
    if secret_key:
        return secret_key.reveal().encode()
    path = data_dir / "secret.key"
    if not path.exists():
        private_file(path)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip().encode()


def pseudonymizer(key: bytes) -> Callable[[UserKey], str]:
    def pseudonym(user_key: UserKey) -> str:
        return hmac.new(key, str(user_key).encode(), hashlib.sha256).hexdigest()[:32]

    return pseudonym
