"""Waiting for a condition instead of sleeping a fixed time: as fast as the machine allows, and a
clear failure when it never comes."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest


def eventually(
    check: Callable[[], bool], what: str, timeout: float = 30.0, poll: float = 0.1
) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout} s")
        time.sleep(poll)
