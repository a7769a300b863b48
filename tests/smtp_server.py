"""A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port, collecting what it receives."""

from __future__ import annotations

import asyncio
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


class Collector:
    """aiosmtpd handler: keeps every message received, parsed (headers and parts decoded)."""

    def __init__(self, *, delay: float = 0.0, refuse: str | None = None):
        self.messages: list[EmailMessage] = []
        self.delay = delay  # seconds per message: lets two workers overlap
        self.refuse = refuse  # an SMTP reply such as "554 …": every message is refused

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's name)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refuse:
            return self.refuse
        msg = message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        msg.envelope_rcpt = list(envelope.rcpt_tos)
        self.messages.append(msg)
        return "250 OK"

    def to(self, addr: str) -> list[EmailMessage]:
        return [m for m in self.messages if addr in m.envelope_rcpt]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def text_of(msg: EmailMessage) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_of(msg: EmailMessage) -> str | None:
    part = msg.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else None


class SmtpServer:
    def __init__(self, app, port: int | None = None, **handler):
        self.app, self.port = app, port or free_port()
        self.handler = Collector(**handler)
        self.controller = None

    @property
    def messages(self):
        return self.handler.messages

    def start(self) -> SmtpServer:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.app.config.update(
            MAIL_SERVER="127.0.0.1", MAIL_PORT=self.port, MAIL_USE_TLS=False, MAIL_USERNAME=None
        )
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(app):
    """A running server; app.config points at it. `.messages`, `.stop()`, `.start()`."""
    server = SmtpServer(app).start()
    yield server
    server.stop()


@pytest.fixture
def closed_port(app):
    """app.config points at a port nobody listens on (connection refused at once)."""
    port = free_port()
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USERNAME=None
    )
    return port
