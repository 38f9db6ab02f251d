"""Test helpers for notices, loaded as a pytest plugin (``pytest_plugins`` in the root conftest).

``smtp_server`` runs a real SMTP server (aiosmtpd) on loopback and points Django's email settings
at it; ``smtp_server.messages`` are the received ``email.message.Message`` objects.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time

import pytest


class Mailbox:
    """An aiosmtpd handler keeping every message it accepts (thread-safe)."""

    def __init__(self) -> None:
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

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

    def stop(self) -> None:
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
