"""A simulated phone call speaking Twilio's webhook protocol.

Every request is what Twilio itself would send: a form-encoded POST with
CallSid, AccountSid, From, To, CallStatus, Direction, ApiVersion (plus
SpeechResult/Confidence or Digits after a <Gather>), signed with
X-Twilio-Signature over the exact URL and the sorted parameters. The caller
follows the <Gather action> and <Redirect> URLs of each TwiML answer,
resolving relative URLs against the URL that produced them, as Twilio does.
"""

from __future__ import annotations

import secrets
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx
from twilio.request_validator import RequestValidator

TORONTO_NUMBER = "+16475550100"
VANCOUVER_NUMBER = "+16045550100"
ACCOUNT_SID = "AC" + "0" * 32

# The verbs a <Response> may hold (TwiML voice reference).
TWIML_VERBS = frozenset(
    {
        "Say", "Play", "Gather", "Redirect", "Hangup", "Dial", "Pause", "Record",
        "Reject", "Enqueue", "Leave", "Sms", "Message", "Connect", "Refer", "Pay",
        "Prompt", "Start", "Stop",
    }
)  # fmt: skip


class TwimlError(ValueError):
    """The webhook answered with something that is not valid TwiML."""


def new_call_sid() -> str:
    return "CA" + secrets.token_hex(16)


@dataclass
class Answer:
    """One webhook answer, parsed."""

    url: str
    status: int
    latency: float
    body: str
    says: list[str] = field(default_factory=list)
    gather_action: str | None = None
    gather_input: str = ""
    redirect: str | None = None
    hangup: bool = False
    dial: str | None = None

    @property
    def text(self) -> str:
        return " ".join(self.says)

    @property
    def ends_call(self) -> bool:
        return self.gather_action is None and self.redirect is None


def parse_twiml(url: str, status: int, latency: float, body: str) -> Answer:
    """Parse a TwiML document; raise TwimlError when Twilio would not accept it."""
    answer = Answer(url=url, status=status, latency=latency, body=body)
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise TwimlError(f"not XML: {exc}") from None
    if root.tag != "Response":
        raise TwimlError(f"root element is <{root.tag}>, not <Response>")
    for verb in root:
        if verb.tag not in TWIML_VERBS:
            raise TwimlError(f"unknown verb <{verb.tag}>")
        if verb.tag == "Say":
            answer.says.append((verb.text or "").strip())
        elif verb.tag == "Gather":
            answer.says.extend((s.text or "").strip() for s in verb.iter("Say"))
            if answer.gather_action is None and answer.redirect is None:
                # Without an action Twilio posts the result back to the same URL.
                answer.gather_action = urljoin(url, verb.get("action") or url)
                answer.gather_input = verb.get("input", "dtmf")
        elif verb.tag == "Redirect":
            if answer.redirect is None:
                answer.redirect = urljoin(url, (verb.text or "").strip() or url)
        elif verb.tag == "Hangup":
            answer.hangup = True
        elif verb.tag == "Dial":
            answer.dial = "".join(verb.itertext()).strip()
    return answer


class TwilioCaller:
    """One simulated call. Not safe for concurrent use; one per call."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        auth_token: str,
        *,
        from_number: str,
        to_number: str = TORONTO_NUMBER,
        call_sid: str | None = None,
        sign: bool = True,
    ) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.validator = RequestValidator(auth_token)
        self.from_number = from_number
        self.to_number = to_number
        self.call_sid = call_sid or new_call_sid()
        self.sign = sign
        self.started = time.monotonic()
        self.last: Answer | None = None
        self.history: list[Answer] = []

    def params(self, status: str = "in-progress", **extra: str) -> dict[str, str]:
        params = {
            "CallSid": self.call_sid,
            "AccountSid": ACCOUNT_SID,
            "From": self.from_number,
            "To": self.to_number,
            "Caller": self.from_number,
            "Called": self.to_number,
            "CallStatus": status,
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
        }
        params.update(extra)
        return params

    def signature(self, url: str, params: Mapping[str, str]) -> str:
        return str(self.validator.compute_signature(url, dict(params)))

    async def post_raw(
        self, url: str, params: Mapping[str, str], headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        all_headers = {"X-Twilio-Signature": self.signature(url, params)} if self.sign else {}
        all_headers.update(headers or {})
        return await self.client.post(url, data=dict(params), headers=all_headers)

    async def post(self, url: str, params: Mapping[str, str]) -> Answer:
        t0 = time.perf_counter()
        resp = await self.post_raw(url, params)
        latency = time.perf_counter() - t0
        if resp.status_code != 200:
            answer = Answer(url=url, status=resp.status_code, latency=latency, body=resp.text)
        else:
            answer = parse_twiml(url, resp.status_code, latency, resp.text)
        self.last = answer
        self.history.append(answer)
        return answer

    async def dial(self) -> Answer:
        """The phone rings: Twilio requests the number's voice URL."""
        return await self.post(f"{self.base_url}/twilio/voice", self.params("ringing"))

    def _next_url(self) -> str:
        if self.last is None or self.last.gather_action is None:
            raise RuntimeError("no <Gather> to answer")
        return self.last.gather_action

    async def say(self, text: str, confidence: float = 0.92) -> Answer:
        url = self._next_url()
        return await self.post(
            url, self.params(SpeechResult=text, Confidence=f"{confidence:.6f}")
        )

    async def press(self, digits: str) -> Answer:
        return await self.post(self._next_url(), self.params(Digits=digits))

    async def silence(self) -> Answer:
        """The caller says nothing: Twilio moves on to the verb after <Gather>."""
        if self.last is not None and self.last.redirect is not None:
            return await self.post(self.last.redirect, self.params())
        if self.last is not None and self.last.gather_action is not None:
            # actionOnEmptyResult semantics: an empty post to the action.
            return await self.post(self.last.gather_action, self.params())
        raise RuntimeError("nothing to follow after silence")

    async def follow_redirect(self) -> Answer:
        assert self.last is not None and self.last.redirect is not None
        return await self.post(self.last.redirect, self.params())

    async def hang_up(self) -> httpx.Response:
        """The call ends: Twilio's status callback."""
        duration = max(1, int(time.monotonic() - self.started))
        params = self.params("completed", CallDuration=str(duration), Duration=str(duration))
        return await self.post_raw(f"{self.base_url}/twilio/status", params)
