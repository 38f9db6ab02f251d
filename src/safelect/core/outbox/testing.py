"""Test helpers for notices, loaded as a pytest plugin (``pytest_plugins`` in the root conftest).

``smtp_server`` runs a real SMTP server (aiosmtpd) on loopback and points Django's email settings
at it; ``smtp_server.messages`` are the received ``email.message.Message`` objects.

``LoopbackSmtp.stall(point, nth)`` makes the server stop at a protocol point of the *nth* message
and tell the test (``Stall.reached``) until it is released (``Stall.release()``):

- ``"data"``: the DATA command was read, its 354 is not sent — the client has not sent the message,
  so a delivering worker is *before* the hand-off;
- ``"end_of_data"``: the final "." was read and the message kept, its 250 is not sent — the worker
  is *after* the hand-off (its mark is committed) and waits for the reply.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time

import pytest

POINTS = ("data", "end_of_data")


class Stall:
    """Where the server stops (see the module docstring); ``rcpt_tos`` and ``message_id`` say which
    message it stopped on (``message_id`` only at ``end_of_data``)."""

    def __init__(self, point: str, nth: int) -> None:
        if point not in POINTS:
            raise ValueError(f"point must be one of {POINTS}")
        self.point, self.nth = point, nth
        self.reached = threading.Event()
        self.released = threading.Event()
        self.rcpt_tos: list[str] = []
        self.message_id: str | None = None

    def release(self) -> None:
        self.released.set()


class Mailbox:
    """An aiosmtpd handler keeping every message it accepts (thread-safe)."""

    def __init__(self) -> None:
        self.messages: list = []
        self.lock = threading.Lock()
        self.counts = dict.fromkeys(POINTS, 0)
        self.stalls: list[Stall] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # kept before any reply, as an MTA queues it
        await self.checkpoint("end_of_data", envelope, message)
        return "250 OK"

    async def checkpoint(self, point: str, envelope, message=None) -> None:
        """Count ``point``; if a stall waits for this occurrence, signal it and wait for release
        (a client hanging up meanwhile cancels the wait, as it cancels the session)."""
        with self.lock:
            self.counts[point] += 1
            stalls = [s for s in self.stalls if s.point == point and s.nth == self.counts[point]]
        for stall in stalls:
            stall.rcpt_tos = list(envelope.rcpt_tos)
            stall.message_id = message["Message-ID"] if message is not None else None
            stall.reached.set()
            while not stall.released.is_set():
                await asyncio.sleep(0.005)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]

    def wait_for(self, count: int, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} message(s), got {len(self.messages)}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _CancelLater:
    """Stands in for aiosmtpd's handler task while it hangs up: cancels it a moment later."""

    def __init__(self, task, loop) -> None:
        self.task, self.loop = task, loop

    def cancel(self) -> None:
        self.loop.call_later(0.5, self.task.cancel)


def _mta_like_smtp_class():
    from aiosmtpd.smtp import SMTP

    class MtaLikeSMTP(SMTP):
        """aiosmtpd cancels its session the moment the client hangs up, dropping a message whose
        final "." arrived in the same read. Postfix and Exim read what was sent before the hang-up
        and keep such a message; so does this server, to test delivery against MTA behaviour."""

        def _hanging_up(self, method, *args):
            task = self._handler_coroutine
            if task is not None:
                self._handler_coroutine = _CancelLater(task, self.loop)
            try:
                return method(*args)
            finally:
                self._handler_coroutine = task

        async def smtp_DATA(self, arg):
            checkpoint = getattr(self.event_handler, "checkpoint", None)
            if checkpoint is not None and self.envelope is not None and self.envelope.rcpt_tos and not arg:
                await checkpoint("data", self.envelope)
            return await super().smtp_DATA(arg)

        def eof_received(self):
            return self._hanging_up(super().eof_received)

        def connection_lost(self, error):
            return self._hanging_up(super().connection_lost, error)

    return MtaLikeSMTP


class LoopbackSmtp:
    """A started aiosmtpd server on 127.0.0.1; ``stop()`` when done."""

    def __init__(self, port: int | None = None) -> None:
        from aiosmtpd.controller import Controller

        smtp_class = _mta_like_smtp_class()

        class MtaLikeController(Controller):
            def factory(self):
                return smtp_class(self.handler, **self.SMTP_kwargs)

        self.mailbox = Mailbox()
        self.port = port or free_port()
        self.controller = MtaLikeController(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def messages(self) -> list:
        return self.mailbox.messages

    def stall(self, point: str, nth: int = 1) -> Stall:
        """Stop at ``point`` of the ``nth`` message from now on (counting from the server's start)."""
        stall = Stall(point, nth)
        with self.mailbox.lock:
            self.mailbox.stalls.append(stall)
        return stall

    def stop(self) -> None:
        for stall in self.mailbox.stalls:
            stall.release()
        self.controller.stop()


@pytest.fixture
def smtp_server(settings):
    server = LoopbackSmtp()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    try:
        yield server
    finally:
        server.stop()


def deliver_pending() -> int:
    """Run the delivery of every notice with due pending deliveries, as a worker would; returns
    how many deliveries were sent."""
    from .delivery import deliver_notice, due_pending

    return sum(deliver_notice(notice_id, channel, worker="test").sent for notice_id, channel in list(due_pending()))
