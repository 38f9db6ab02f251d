"""The demo's mail catcher: a real SMTP server on loopback that keeps every message it is sent.

``safelect demo`` starts it and points safelect's email settings at it, so a newcomer sees every
invitation, password reset and notice on the demo-only page ``/demo/mailbox/`` instead of a
``ConnectionRefusedError`` in the delivery log. Messages are kept as ``.eml`` files in
``SAFELECT_HOME/demo-mailbox`` (newest last). Never started outside the demo.
"""

from __future__ import annotations

import email
import email.policy
import itertools
import socket
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class _Keep:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{next(self.counter):06d}.eml"
        (self.folder / name).write_bytes(envelope.original_content or envelope.content)
        return "250 kept by the demo mail catcher"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(folder: Path) -> Controller:
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(_Keep(folder), hostname="127.0.0.1", port=_free_port())
    controller.start()
    return controller


def messages(folder: Path, limit: int = 200) -> list[dict]:
    """The caught messages, newest first: sender, recipients, subject, date and text."""
    out = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:limit]:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        out.append(
            {
                "id": path.stem,
                "from": message["From"],
                "to": message["To"],
                "subject": message["Subject"],
                "date": message["Date"],
                "text": body.get_content() if body is not None else "",
            }
        )
    return out
