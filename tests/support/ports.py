"""A free TCP port on 127.0.0.1, for servers a test starts itself (webhook, NLU server)."""

from __future__ import annotations

import socket


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
