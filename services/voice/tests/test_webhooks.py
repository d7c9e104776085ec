"""The webhook edge: signatures, fallback, health, degradation, retries of state,
SMS confirmation and the CLIs, against the real stack."""

from __future__ import annotations

import argparse
import asyncio
import socket
from pathlib import Path

import grpc
import pytest
import uvicorn
from bella_core.telemetry import setup_telemetry
from bella_voice.records import Outcome
from bella_voice.service import build_runtime
from bella_voice.softphone import Softphone, run_cli
from bella_voice.twilio_setup import configure_number
from fake_twilio import ACCOUNT, FakeTwilio
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from twilio.request_validator import RequestValidator
from voice_stack import PUBLIC, TOKEN, Stack, running_stack

READER = InMemoryMetricReader()


@pytest.fixture(scope="module")
def fake_twilio():
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture(scope="module")
async def stack(database_url: str, redis_url: str, fake_twilio: FakeTwilio):
    async with running_stack(database_url, redis_url, metric_reader=READER,
                             twilio_account_sid=ACCOUNT,
                             twilio_api_base_url=fake_twilio.url) as running:
        yield running


def metric_points(name: str) -> list[tuple[dict, float]]:
    data = READER.get_metrics_data()
    points = []
    for rm in data.resource_metrics if data else []:
        for sm in rm.scope_metrics:
            for metric in sm.metrics:
                if metric.name == name:
                    for p in metric.data.data_points:
                        value = getattr(p, "value", None)
                        if value is None:
                            value = getattr(p, "count", 0)
                        points.append((dict(p.attributes), value))
    return points


def signed(url: str, params: dict[str, str]) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, params)}


async def _nothing_stored(stack: Stack, sid: str) -> None:
    keys = await stack.runtime.redis.keys(f"*{sid}*")
    assert keys == []
    assert await stack.runtime.records.get_call("toronto", sid) is None


async def test_forged_and_missing_signatures_are_refused_and_nothing_is_kept(stack) -> None:
    phone = stack.phone(call_sid="CAforged")
    params = phone.params("ringing")
    before = sum(v for _, v in metric_points("SecurityEvents"))
    forged = {"X-Twilio-Signature": "bm90IGEgcmVhbCBzaWduYXR1cmU="}
    r = await stack.http.post("/twilio/voice", data=params, headers=forged)
    assert r.status_code == 403
    r = await stack.http.post("/twilio/voice", data=params)
    assert r.status_code == 403
    # Signed for the URL the app sees behind a proxy, with forwarded headers claiming to be
    # the public host: still refused, the public URL is configuration, not a header.
    r = await stack.http.post(
        "/twilio/voice", data=params,
        headers={**signed("http://voice/twilio/voice", params),
                 "X-Forwarded-Host": "voice.bella.test", "X-Forwarded-Proto": "https"})
    assert r.status_code == 403
    # A valid signature replayed on another URL or with changed parameters.
    r = await stack.http.post("/twilio/gather?turn=2", data=params,
                              headers=signed(f"{PUBLIC}/twilio/gather?turn=1", params))
    assert r.status_code == 403
    r = await stack.http.post("/twilio/voice", data={**params, "From": "+14165550000"},
                              headers=signed(f"{PUBLIC}/twilio/voice", params))
    assert r.status_code == 403
    await _nothing_stored(stack, "CAforged")
    after = sum(v for _, v in metric_points("SecurityEvents"))
    assert after - before == 5


async def test_oversize_body_is_refused(stack) -> None:
    r = await stack.http.post("/twilio/voice", content=b"x" * 100_000,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413


async def test_a_ring_retried_while_the_first_is_answered_is_sent_back_to_the_ring(
        stack) -> None:
    # The first request for the ring still holds the turn (its answer is not stored yet):
    # the retry waits, then asks Twilio to come back to the same route, never the Gather one.
    sid = "CA-ring-retry-in-flight"
    await stack.runtime.redis.set(f"bella:voice:call:{sid}:turn:0:lock", "1", px=60_000)
    params = {"CallSid": sid, "AccountSid": "AC1", "From": "+14165550142",
              "To": "+16475550100", "CallStatus": "ringing", "Direction": "inbound"}
    r = await stack.http.post("/twilio/voice", data=params,
                              headers=signed(f"{PUBLIC}/twilio/voice", params))
    assert r.status_code == 200
    assert f"<Redirect method=\"POST\">{PUBLIC}/twilio/voice</Redirect>" in r.text


async def test_fallback_apologises_and_transfers(stack) -> None:
    phone = stack.phone()
    params = phone.params(ErrorCode="11205", ErrorUrl=f"{PUBLIC}/twilio/gather?turn=3")
    r = await stack.http.post("/twilio/fallback", data=params,
                              headers=signed(f"{PUBLIC}/twilio/fallback", params))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    assert "something went wrong" in r.text and "<Dial" in r.text and "+16475550111" in r.text


async def test_health_and_readiness(stack) -> None:
    assert (await stack.http.get("/healthz")).json() == {"status": "ok"}
    r = await stack.http.get("/readyz")
    assert r.status_code == 200, r.text
    assert r.json()["checks"] == {"postgres": True, "redis": True, "nlp": True, "booking": True}


async def test_booking_sends_an_sms_and_counts_the_outcome_once(stack, fake_twilio) -> None:
    phone = stack.phone("+14165550140")
    await phone.ring()
    await phone.send("This is Tara Singh, I'd like to book a cleaning on Friday at 1 pm")
    await phone.send("yes")
    await phone.send("the first one")
    turn = await phone.send("yes")
    assert "all set" in turn.text and "send you a text" in turn.text
    await phone.hang_up()
    assert await phone.hang_up() < 300  # a repeated status callback is harmless
    await stack.runtime.drain()
    (sms,) = [m for m in fake_twilio.messages if m["to"] == "+14165550140"]
    assert sms["from"] == "+16475550100" and "cleaning is booked for Friday" in sms["body"]
    booked = [a for a, v in metric_points("CallOutcome") if a.get("outcome") == "booked"]
    assert booked and all(set(a) == {"clinic", "outcome"} for a in booked)
    volume = metric_points("CallVolume")
    assert volume and all(set(a) == {"clinic"} for a, _ in volume)
    assert metric_points("SpeechRecognitionAccuracy")
    assert metric_points("TwilioWebhookLatency")


async def test_a_lost_call_state_is_said_not_hidden(stack) -> None:
    phone = stack.phone("+14165550141")
    await phone.ring()
    await phone.send("I'd like to book a cleaning")
    await stack.runtime.redis.delete(f"bella:voice:call:{phone.call_sid}:state")
    turn = await phone.send("Ana Bell")
    assert "lost my place" in turn.text and turn.action is not None


async def test_an_unexpected_error_still_gives_twiml(stack, monkeypatch) -> None:
    phone = stack.phone("+14165550142")
    await phone.ring()

    async def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(stack.runtime.deps.conversation, "turn", broken)
    turn = await phone.send("hello")
    assert turn.status == 200 and "something went wrong" in turn.text
    assert turn.dial == "+16475550111"
    monkeypatch.undo()  # even once the fault is gone, a retry of that turn hears the same
    assert (await phone.repost()).body == turn.body


async def test_nlp_down_gives_the_keypad_menu_and_a_callback(stack, database_url,
                                                             redis_url) -> None:
    settings = stack.settings.model_copy(update={"nlp_address": "127.0.0.1:9"})
    runtime = build_runtime(settings, setup_telemetry("Voice", set_global=False),
                            clock=lambda: stack.now, instrument_grpc=False)
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=runtime.app),
                                 base_url="http://voice") as http:
        phone = Softphone(http, "http://voice", TOKEN, from_number="+14165550143",
                          public_base_url=PUBLIC)
        await phone.ring()
        turn = await phone.send("I want to book a cleaning")
        assert "Press 1 to book" in turn.text
        turn = await phone.send("press 1")
        assert "name" in turn.text
        turn = await phone.send("It's Noor Rahman")
        assert "Noor" in turn.text and "Press 1 for yes" in turn.text
        turn = await phone.send("press 1")
        assert "call you back" in turn.text and turn.over
        await phone.hang_up()
        await runtime.drain()
    callbacks, _, _ = await stack.runtime.records.list_callbacks("toronto")
    mine = [c for c in callbacks if c.phone == "+14165550143"]
    assert [(c.name, c.reason) for c in mine] == [("Noor Rahman", "book an appointment")]
    call = await stack.runtime.records.get_call("toronto", phone.call_sid)
    assert call is not None and call.outcome == Outcome.CALLBACK
    await runtime.close()


async def test_booking_down_mid_call_takes_a_callback(stack, database_url) -> None:
    from bella_booking.server import start_server
    from bella_booking.settings import BookingSettings

    booking = await start_server(
        BookingSettings(database_url=database_url, booking_grpc_port=0,
                        booking_grpc_host="127.0.0.1"),
        setup_telemetry("Booking", set_global=False))
    settings = stack.settings.model_copy(
        update={"booking_address": f"127.0.0.1:{booking.port}"})
    runtime = build_runtime(settings, setup_telemetry("Voice", set_global=False),
                            clock=lambda: stack.now, instrument_grpc=False)
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=runtime.app),
                                 base_url="http://voice") as http:
        phone = Softphone(http, "http://voice", TOKEN, from_number="+14165550144",
                          public_base_url=PUBLIC)
        await phone.ring()
        await booking.stop(0)
        turn = await phone.send("Hi, this is Paul Martin, I'd like to book a checkup Monday")
        assert "number ending" in turn.text
        turn = await phone.send("yes")
        assert "isn't responding" in turn.text and "call you back" in turn.text
        await phone.hang_up()
        await runtime.drain()
    callbacks, _, _ = await stack.runtime.records.list_callbacks("toronto")
    assert [(c.name, c.reason) for c in callbacks if c.phone == "+14165550144"] == [
        ("Paul Martin", "book a check-up")]
    await runtime.close()


def test_twilio_setup_points_the_number_at_the_public_url(stack, fake_twilio) -> None:
    settings = stack.settings.model_copy(update={
        "twilio_account_sid": ACCOUNT, "twilio_api_base_url": fake_twilio.url,
        "public_base_url": "https://bella.example.ca"})
    result = configure_number(settings, "+16475550100")
    assert result["voice_url"] == "https://bella.example.ca/twilio/voice"
    assert result["voice_fallback_url"] == "https://bella.example.ca/twilio/fallback"
    assert result["status_callback"] == "https://bella.example.ca/twilio/status"
    (number,) = fake_twilio.numbers.values()
    assert number["methods"] == {"VoiceMethod": "POST", "VoiceFallbackMethod": "POST",
                                 "StatusCallbackMethod": "POST"}
    with pytest.raises(SystemExit):
        configure_number(settings, "+15005550006")


async def test_the_terminal_phone_books_against_a_real_server(stack, tmp_path: Path,
                                                              capsys) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(stack.runtime.app, log_config=None,
                                           lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.01)
    port = sock.getsockname()[1]
    script = tmp_path / "call.txt"
    script.write_text("# a whole booking\nI'd like to book a checkup on Thursday at 9 am\n"
                      "Uma Roy\nyes\nthe first one\nyes\nno thanks\n")
    args = argparse.Namespace(base_url=f"http://127.0.0.1:{port}", from_number="+14165550145",
                              to_number="+16475550100", script=str(script), auth_token=TOKEN,
                              public_base_url=PUBLIC)
    try:
        assert await run_cli(args) == 0
    finally:
        server.should_exit = True
        await task
    out = capsys.readouterr().out
    assert "Bella: Hi, thanks for calling Bella Dental Toronto" in out
    assert "You're all set, Uma" in out and "[Bella hung up]" in out
    appts = await stack.appointments_of("+14165550145")
    assert [a.service for a in appts] == ["checkup"]


async def test_call_records_are_served_over_grpc(stack) -> None:
    from bella.v1 import calls_pb2, calls_pb2_grpc
    from bella_voice.callrecord_service import start_call_record_server

    phone = stack.phone("+14165550146")
    await phone.ring()
    await phone.send("What are your hours?")
    await phone.hang_up()
    await stack.runtime.drain()
    server = await start_call_record_server(stack.settings.model_copy(update={
        "host": "127.0.0.1"}), records=stack.runtime.records, port=0)
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        call = await calls_pb2_grpc.CallRecordServiceStub(channel).GetCall(
            calls_pb2.GetCallRequest(clinic_id="toronto", call_id=phone.call_sid))
    await server.stop(0)
    assert call.outcome == calls_pb2.CALL_OUTCOME_INFO and call.turn_count == 2
    assert call.turns[1].caller_text == "What are your hours?"
    assert '"intent": "info"' in call.turns[1].understood_json
    assert call.turns[1].asr_confidence == pytest.approx(0.93)
    assert call.trace_id.startswith("1-")


async def test_booking_down_before_the_call_still_answers_from_the_clinic_snapshot(
        stack) -> None:
    warm = stack.phone("+14165550147")
    await warm.ring()  # any replica that resolved the number leaves a snapshot in Redis
    settings = stack.settings.model_copy(update={"booking_address": "127.0.0.1:9"})
    runtime = build_runtime(settings, setup_telemetry("Voice", set_global=False),
                            clock=lambda: stack.now, instrument_grpc=False)
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=runtime.app),
                                 base_url="http://voice") as http:
        phone = Softphone(http, "http://voice", TOKEN, from_number="+14165550148",
                          public_base_url=PUBLIC)
        turn = await phone.ring()
        assert "Bella Dental Toronto" in turn.text
        turn = await phone.send("I'd like to cancel my appointment")
        assert "isn't responding" in turn.text and "name" in turn.text
        turn = await phone.send("Lena Ortiz")
        assert "number ending 0 1 4 8" in turn.text
        turn = await phone.send("yes")
        assert "call you back" in turn.text and turn.over
        await phone.hang_up()
        await runtime.drain()
    callbacks, _, _ = await stack.runtime.records.list_callbacks("toronto")
    assert [(c.name, c.reason) for c in callbacks if c.phone == "+14165550148"] == [
        ("Lena Ortiz", "cancel an appointment")]
    await runtime.close()


def test_only_a_sampled_trace_is_linked_from_the_call_record() -> None:
    from bella_voice.webhooks import recorded_trace_id
    from opentelemetry import trace
    from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

    trace_id = 0x6745A3B20123456789ABCDEF01234567
    for flags, expected in ((TraceFlags.SAMPLED, "1-6745a3b2-0123456789abcdef01234567"),
                            (TraceFlags.DEFAULT, "")):
        span = NonRecordingSpan(SpanContext(trace_id, 0x53995C3F42CD8AD8, is_remote=False,
                                            trace_flags=TraceFlags(flags)))
        with trace.use_span(span):
            assert recorded_trace_id() == expected
    assert recorded_trace_id() == ""  # no span at all
