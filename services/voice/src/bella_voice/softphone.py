"""A phone in the terminal: speaks Twilio's webhook protocol to a voice service.

Each request is what Twilio sends: a form POST with CallSid, AccountSid,
From, To, CallStatus, Direction, ApiVersion, plus SpeechResult and
Confidence (speech) or Digits (keypad), signed with X-Twilio-Signature
(HMAC-SHA1 of the public URL and the sorted parameters, keyed by the auth
token). It follows <Gather action> and <Redirect>, prints every <Say>, and
ends on <Hangup> or <Dial>, then posts the status callback.

Caller lines: plain text is speech; ``press 123`` or a line of digits/#/*
is the keypad; an empty line is silence; ``hangup`` ends the call.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
_KEYS = re.compile(r"^(?:press\s+)?([0-9#*]+)$", re.I)


@dataclass
class Turn:
    """One TwiML answer, as the caller experiences it."""

    status: int
    says: list[str] = field(default_factory=list)
    action: str | None = None
    redirect: str | None = None
    dial: str | None = None
    hangup: bool = False
    latency: float = 0.0
    body: str = ""

    @property
    def text(self) -> str:
        return " ".join(self.says)

    @property
    def over(self) -> bool:
        return self.action is None and self.redirect is None


def parse(url: str, status: int, body: str) -> Turn:
    turn = Turn(status=status, body=body)
    if status != 200:
        return turn
    # The dev tool reads the TwiML of a service the user points it at, as Twilio does.
    root = ET.fromstring(body)  # noqa: S314
    for verb in root:
        if verb.tag == "Say":
            turn.says.append((verb.text or "").strip())
        elif verb.tag == "Gather" and turn.action is None:
            turn.says.extend((s.text or "").strip() for s in verb.iter("Say"))
            turn.action = urljoin(url, verb.get("action") or url)
        elif verb.tag == "Redirect" and turn.action is None and turn.redirect is None:
            turn.redirect = urljoin(url, (verb.text or "").strip())
        elif verb.tag == "Dial":
            turn.dial = "".join(verb.itertext()).strip()
            break  # the call leaves Bella here
        elif verb.tag == "Hangup":
            turn.hangup = True
            break
    return turn


class Softphone:
    """One call. ``base_url`` is where requests go; ``public_base_url`` what is signed
    (they differ behind a tunnel or a proxy, exactly as for Twilio)."""

    def __init__(self, client: httpx.AsyncClient, base_url: str, auth_token: str, *,
                 from_number: str = "+14165550199", to_number: str = "+16475550100",
                 public_base_url: str | None = None, call_sid: str | None = None) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.public = (public_base_url or base_url).rstrip("/")
        self.validator = RequestValidator(auth_token)
        self.from_number = from_number
        self.to_number = to_number
        self.call_sid = call_sid or "CA" + secrets.token_hex(16)
        self.started = time.monotonic()
        self.last: Turn | None = None
        self.turns: list[Turn] = []
        self.last_request: tuple[str, dict[str, str]] | None = None

    def params(self, status: str = "in-progress", **extra: str) -> dict[str, str]:
        params = {
            "CallSid": self.call_sid, "AccountSid": ACCOUNT_SID, "From": self.from_number,
            "To": self.to_number, "Caller": self.from_number, "Called": self.to_number,
            "CallStatus": status, "Direction": "inbound", "ApiVersion": "2010-04-01",
        }
        params.update(extra)
        return params

    def _transport_url(self, url: str) -> str:
        """Twilio signs the public URL it was given; the request goes to base_url."""
        if url.startswith(self.public):
            return self.base_url + url[len(self.public):]
        return url

    async def repost(self) -> Turn:
        """Send the last request again, as Twilio does when it retries a webhook."""
        assert self.last_request is not None
        url, params = self.last_request
        return await self.post(url, params)

    async def post(self, url: str, params: dict[str, str]) -> Turn:
        self.last_request = (url, params)
        signature = self.validator.compute_signature(url, params)
        t0 = time.perf_counter()
        resp = await self.client.post(self._transport_url(url), data=params,
                                      headers={"X-Twilio-Signature": signature})
        turn = parse(url, resp.status_code, resp.text)
        turn.latency = time.perf_counter() - t0
        self.last = turn
        self.turns.append(turn)
        return turn

    async def ring(self) -> Turn:
        turn = await self.post(f"{self.public}/twilio/voice", self.params("ringing"))
        return await self.follow(turn)

    async def follow(self, turn: Turn) -> Turn:
        hops = 0
        while turn.action is None and turn.redirect is not None and hops < 5:
            turn = await self.post(turn.redirect, self.params())
            hops += 1
        return turn

    async def send(self, line: str, confidence: float = 0.93) -> Turn:
        """Answer the current <Gather>: speech, keypad, or silence."""
        if self.last is None or self.last.action is None:
            raise RuntimeError("the call is not waiting for input")
        line = line.strip()
        keys = _KEYS.match(line)
        if not line:
            params = self.params()
        elif keys:
            params = self.params(Digits=keys.group(1))
        else:
            params = self.params(SpeechResult=line, Confidence=f"{confidence:.8f}")
        return await self.follow(await self.post(self.last.action, params))

    async def hang_up(self) -> int:
        duration = max(1, int(time.monotonic() - self.started))
        params = self.params("completed", CallDuration=str(duration))
        url = f"{self.public}/twilio/status"
        resp = await self.client.post(
            self._transport_url(url), data=params,
            headers={"X-Twilio-Signature": self.validator.compute_signature(url, params)})
        return resp.status_code


def _print_bella(turn: Turn) -> None:
    if turn.status != 200:
        print(f"[HTTP {turn.status}] {turn.body[:200]}")
        return
    for said in turn.says:
        print(f"Bella: {said}")
    if turn.dial:
        print(f"[transferring the call to {turn.dial}]")
    elif turn.hangup or turn.over:
        print("[Bella hung up]")


async def run_cli(args: argparse.Namespace) -> int:
    token = args.auth_token or os.environ.get("BELLA_TWILIO_AUTH_TOKEN", "")
    made_up = Path("var/twilio-dev-auth-token")  # what `make run` invents for local calls
    if not token and await asyncio.to_thread(made_up.is_file):
        token = (await asyncio.to_thread(made_up.read_text)).strip()
    public = args.public_base_url or os.environ.get("BELLA_PUBLIC_BASE_URL") or args.base_url
    if not token:
        print("warning: no auth token (--auth-token or BELLA_TWILIO_AUTH_TOKEN); requests are "
              "signed with an empty key", file=sys.stderr)
    lines: list[str] | None = None
    if args.script:
        text = await asyncio.to_thread(Path(args.script).read_text)
        lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    if urlsplit(args.base_url).scheme not in ("http", "https"):
        print("error: --base-url must be an http(s) URL", file=sys.stderr)
        return 2
    async with httpx.AsyncClient(timeout=15.0) as client:
        phone = Softphone(client, args.base_url, token, from_number=args.from_number,
                          to_number=args.to_number, public_base_url=public)
        print(f"[calling {args.to_number} from {args.from_number}]")
        turn = await phone.ring()
        _print_bella(turn)
        while turn.status == 200 and not turn.over:
            if lines is not None:
                if not lines:
                    break
                line = lines.pop(0)
                print(f"You: {line or '(silence)'}")
            else:
                try:
                    line = await asyncio.to_thread(input, "You: ")
                except EOFError:
                    break
            if line.strip().lower() == "hangup":
                break
            turn = await phone.send(line)
            _print_bella(turn)
        await phone.hang_up()
        print("[call ended]")
        return 0 if turn.status == 200 else 1
