"""A real SMTP server for the tests (aiosmtpd), and the inbox it fills: the product sends
through Django's SMTP backend exactly as in production, and tests read what arrived."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://\S+")


@dataclass
class Inbox:
    messages: list[EmailMessage] = field(default_factory=list)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.casefold() in str(m["To"]).casefold()]

    def last_link_to(self, address: str, contains: str = "") -> str:
        """The last link e-mailed to `address` whose URL contains `contains`."""
        for message in reversed(self.to(address)):
            body = message.get_body(preferencelist=("plain",))
            text = str(body.get_content()) if body is not None else ""
            links: list[str] = [link for link in LINK.findall(text) if contains in link]
            if links:
                return links[-1]
        raise AssertionError(f"no link with {contains!r} was e-mailed to {address}")


class _Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content = envelope.content  # type: ignore[attr-defined]
        message = email.message_from_bytes(content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.inbox.messages.append(message)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_inbox(settings: object) -> Iterator[Inbox]:
    """An SMTP server on a free local port, and the settings that send to it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(_Handler(inbox), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = port  # type: ignore[attr-defined]
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False  # type: ignore[attr-defined]
    try:
        yield inbox
    finally:
        controller.stop()
