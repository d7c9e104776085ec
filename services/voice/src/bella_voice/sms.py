"""Booking confirmations by text message through Twilio's REST API.

The twilio Client is synchronous (requests); sends run in a worker thread
after the webhook has answered. ``api_base_url`` points the client at a
local fake in tests.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import structlog
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

log = structlog.get_logger(__name__)


class RebasedHttpClient(TwilioHttpClient):
    """Sends every Twilio API request to another base URL (a fake), same paths."""

    def __init__(self, base_url: str, timeout: float = 5.0) -> None:
        super().__init__(timeout=timeout)
        self.base = urlsplit(base_url.rstrip("/"))

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        parts = urlsplit(url)
        moved = urlunsplit((self.base.scheme, self.base.netloc,
                            self.base.path + parts.path, parts.query, parts.fragment))
        return super().request(method, moved, *args, **kwargs)


def twilio_client(account_sid: str, auth_token: str, api_base_url: str) -> Client:
    http_client = None
    if api_base_url.rstrip("/") != "https://api.twilio.com":
        http_client = RebasedHttpClient(api_base_url)
    else:
        http_client = TwilioHttpClient(timeout=5.0)
    return Client(account_sid, auth_token, http_client=http_client)


class SmsSender:
    def __init__(self, client: Client) -> None:
        self.client = client

    def _send(self, to: str, from_: str, body: str) -> str:
        message = self.client.messages.create(to=to, from_=from_, body=body)
        return str(message.sid)

    async def send(self, to: str, from_: str, body: str) -> None:
        try:
            sid = await asyncio.to_thread(self._send, to, from_, body)
        except Exception as exc:  # a failed text must never disturb the call
            log.warning("sms.failed", error=type(exc).__name__)
            return
        log.info("sms.sent", message_sid=sid)
