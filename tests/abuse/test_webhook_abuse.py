"""The voice webhook under hostile input: fuzzed forms, forged or replayed
signatures, oversize bodies. Refused with the right status, nothing stored,
a SecurityEvents count; and never a 5xx (Twilio would read that to the
caller as "an application error has occurred")."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlencode

import grpc
import httpx
import pytest
from bella_core.testing.otlp import OtlpReceiver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from tests.load.harness import Running
from tests.load.records import get_call, list_calls
from tests.load.scripted import eventually
from tests.load.twilio_caller import (
    TORONTO_NUMBER,
    TwilioCaller,
    TwimlError,
    new_call_sid,
    parse_twiml,
)

pytestmark = pytest.mark.timeout(240)


def _sink(bella: Running) -> OtlpReceiver:
    assert bella.sink is not None
    return bella.sink

FIELDS = ["CallSid", "AccountSid", "From", "To", "CallStatus", "SpeechResult", "Confidence",
          "Digits", "Direction", "ApiVersion", "CallDuration", "ErrorCode", "ErrorUrl"]  # fmt: skip
ROUTES = ["/twilio/voice", "/twilio/gather?turn=1", "/twilio/gather?turn=7",
          "/twilio/gather?turn=-3", "/twilio/gather?turn=abc", "/twilio/gather",
          "/twilio/fallback", "/twilio/status"]  # fmt: skip
# Text as a form can carry it: any code point but lone surrogates.
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
NASTY = st.sampled_from([
    "", " ", "\x00", "'; DROP TABLE voice.calls; --", "<script>alert(1)</script>",
    "]]><!--", "&amp;&#0;", "+16475550100", "1" * 500, "١٢٣", "NaN", "-1e309", "%00%2B",
    "CA" + "f" * 32, "{{7*7}}", "${jndi:ldap://x}",
])  # fmt: skip
VALUES = st.one_of(ANY_TEXT, NASTY)


def _valid_twiml_or_refused(resp: httpx.Response, route: str, signed: bool) -> None:
    assert resp.status_code < 500, f"{route}: {resp.status_code} {resp.text[:300]}"
    if not signed:
        assert resp.status_code == 403, f"{route}: unsigned request got {resp.status_code}"
        return
    if route.startswith("/twilio/status"):
        assert resp.status_code in (200, 204), resp.status_code
        return
    assert resp.status_code == 200, f"{route}: {resp.status_code} {resp.text[:300]}"
    try:
        parse_twiml(route, 200, 0.0, resp.text)
    except TwimlError as exc:
        raise AssertionError(f"{route}: {exc}: {resp.text[:300]}") from None


@pytest.fixture(scope="module")
def http(bella: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=bella.stack.voice_url, timeout=10) as client:
        yield client


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    route=st.sampled_from(ROUTES),
    form=st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(min_size=1, max_size=12)),
                         VALUES, max_size=10),
    known_to=st.booleans(),
    signed=st.sampled_from([True, True, True, False]),
)  # fmt: skip
def test_fuzzed_webhook_forms_get_twiml_or_403_never_a_5xx(
    bella: Running, http: httpx.Client, route: str, form: dict[str, str], known_to: bool,
    signed: bool,
) -> None:
    stack = bella.stack
    if known_to:
        form["To"] = TORONTO_NUMBER
    url = stack.voice_url + route
    headers = {}
    if signed:
        headers["X-Twilio-Signature"] = RequestValidator(stack.auth_token).compute_signature(
            url, form
        )
    t0 = time.perf_counter()
    resp = http.post(route, data=form, headers=headers)
    assert time.perf_counter() - t0 < 2.0
    _valid_twiml_or_refused(resp, route, signed)


async def _security_events(bella: Running) -> float:
    return _sink(bella).counter_total("SecurityEvents", "Voice")


async def _no_call_record(bella: Running, call_sid: str) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await get_call(bella.stack.voice_grpc_address, "toronto", call_sid)
    assert err.value.code() == grpc.StatusCode.NOT_FOUND


async def test_forged_tampered_and_misdirected_signatures_are_refused_with_no_effect(
    bella: Running,
) -> None:
    stack = bella.stack
    before = await _security_events(bella)
    async with httpx.AsyncClient(timeout=5) as client:
        genuine = TwilioCaller(client, stack.voice_url, stack.auth_token,
                               from_number="+14165557001")  # fmt: skip
        voice_url = f"{stack.voice_url}/twilio/voice"
        refused: list[tuple[str, httpx.Response]] = []
        forged_sids = []

        def fresh() -> dict[str, str]:
            sid = new_call_sid()
            forged_sids.append(sid)
            return {**genuine.params("ringing"), "CallSid": sid}

        params = fresh()
        refused.append(("no signature", await client.post(voice_url, data=params)))
        params = fresh()
        wrong = RequestValidator("not-the-token").compute_signature(voice_url, params)
        refused.append(("wrong token", await client.post(
            voice_url, data=params, headers={"X-Twilio-Signature": wrong})))
        params = fresh()
        elsewhere = genuine.signature("https://attacker.example/twilio/voice", params)
        refused.append(("signed for another host", await client.post(
            voice_url, data=params,
            headers={"X-Twilio-Signature": elsewhere, "Host": "attacker.example",
                     "X-Forwarded-Host": "attacker.example", "X-Forwarded-Proto": "https"})))
        params = fresh()
        signature = genuine.signature(voice_url, params)
        tampered = {**params, "From": "+16045559999"}
        refused.append(("parameter changed after signing", await client.post(
            voice_url, data=tampered, headers={"X-Twilio-Signature": signature})))
        params = fresh()
        signature = genuine.signature(voice_url, params)
        refused.append(("signature replayed on another route", await client.post(
            f"{stack.voice_url}/twilio/gather?turn=1", data=params,
            headers={"X-Twilio-Signature": signature})))
        params = fresh()
        extra = {**params, "SpeechResult": "book me in"}
        refused.append(("parameter added after signing", await client.post(
            voice_url, data=extra, headers={"X-Twilio-Signature": genuine.signature(
                voice_url, params)})))

        for what, resp in refused:
            assert resp.status_code == 403, f"{what}: {resp.status_code} {resp.text[:200]}"
            assert "<Response" not in resp.text, what

        # A genuine request, replayed byte for byte (as Twilio's retries are), is answered the
        # same way and makes one call, not two.
        first = await genuine.dial()
        replay = await genuine.post_raw(voice_url, genuine.params("ringing"))
        assert first.status == 200 and replay.status_code == 200
        assert replay.text == first.body

    for sid in forged_sids:
        await _no_call_record(bella, sid)
    # The call record is written in the background: wait for it, then count it.
    async def recorded() -> bool:
        calls = await list_calls(stack.voice_grpc_address, "toronto")
        return genuine.call_sid in [c.call_sid for c in calls]

    await eventually(recorded, 10, "the genuine call's record")
    calls = await list_calls(stack.voice_grpc_address, "toronto")
    assert [c.call_sid for c in calls].count(genuine.call_sid) == 1

    async def counted() -> bool:
        return await _security_events(bella) >= before + len(refused)

    await eventually(counted, 10, f"SecurityEvents to count the {len(refused)} refusals")


async def test_oversize_bodies_are_refused_and_nothing_is_stored(bella: Running) -> None:
    stack = bella.stack
    before = await _security_events(bella)
    url = f"{stack.voice_url}/twilio/voice"
    async with httpx.AsyncClient(timeout=10) as client:
        caller = TwilioCaller(client, stack.voice_url, stack.auth_token,
                              from_number="+14165557002")  # fmt: skip
        big = caller.params("ringing", SpeechResult="a" * 200_000)
        resp = await caller.post_raw(url, big)
        assert resp.status_code == 413, resp.status_code
    await _no_call_record(bella, caller.call_sid)

    async def counted() -> bool:
        return await _security_events(bella) >= before + 1

    await eventually(counted, 10, "SecurityEvents to count the oversize body")


async def test_oversize_chunked_bodies_are_refused_too(bella: Running) -> None:
    stack = bella.stack
    url = f"{stack.voice_url}/twilio/voice"
    async with httpx.AsyncClient(timeout=10) as client:
        caller = TwilioCaller(client, stack.voice_url, stack.auth_token,
                              from_number="+14165557003")  # fmt: skip
        params = caller.params("ringing", SpeechResult="b" * 200_000)
        body = urlencode(params).encode()

        async def chunks() -> AsyncIterator[bytes]:
            for i in range(0, len(body), 16384):
                yield body[i : i + 16384]

        resp = await client.post(
            url, content=chunks(),
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "X-Twilio-Signature": caller.signature(url, params)},
        )  # fmt: skip
    assert resp.status_code == 413, (resp.status_code, resp.text[:200])
    await _no_call_record(bella, caller.call_sid)
