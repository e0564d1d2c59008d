"""Logs must never carry tokens or personal data: a filter masks them before any handler sees
them."""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    (re.compile(r"bot\d{3,}:[A-Za-z0-9_-]{20,}"), "bot***"),
    (re.compile(r"\b\d{3,}:[A-Za-z0-9_-]{30,}\b"), "***"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "<email>"),
    (re.compile(r"\b\d{6}-?\d{2}-?\d{4}\b"), "<ic>"),
    (re.compile(r"(?<!\d)(?:\+?6?0)[\d -]{8,12}\d(?!\d)"), "<phone>"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and "Received data was" in str(record.msg):
            # PTB logs an update it cannot parse in full, with the person's words and a
            # traceback that may quote them again.
            record.msg = "An update from Telegram could not be read; its contents are not logged."
            record.args = None
            record.exc_info = None
            record.exc_text = None
            return True
        record.msg = redact(record.getMessage())
        record.args = None
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Our own loggers get their level explicitly: loading Rasa imports numpy's distutils shim,
    which resets the root logger to WARNING and would silence every INFO line of ours."""
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for noisy in ("httpx", "httpcore", "rasa", "tensorflow", "absl", "jieba", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("bot").setLevel(level)
