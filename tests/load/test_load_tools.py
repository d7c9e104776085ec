"""The load tool's own parts, against stand-ins: the latency proxy and the
simulated Twilio caller (signature, following Gather/Redirect, stats)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import pytest
import uvicorn
from fastapi import FastAPI, Request, Response
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import Gather, VoiceResponse

from tests.load.flows import Kind
from tests.load.generator import run_load
from tests.load.harness import free_port
from tests.load.latency_proxy import LatencyProxy

TOKEN = "fake-token"


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(1024):
        writer.write(data)
        await writer.drain()
    writer.close()


async def test_proxy_adds_the_delay_it_is_given_and_can_blackhole() -> None:
    echo = await asyncio.start_server(_echo, "127.0.0.1", 0)
    port = echo.sockets[0].getsockname()[1]
    proxy = await LatencyProxy("127.0.0.1", port, delay=0.1).start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
        t0 = time.perf_counter()
        writer.write(b"ping")
        assert await reader.readexactly(4) == b"ping"
        assert time.perf_counter() - t0 >= 0.2  # both directions
        proxy.delay = 0.0
        proxy.blackhole = True
        writer.write(b"lost")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(reader.readexactly(4), 0.3)
        proxy.blackhole = False
        assert await asyncio.wait_for(reader.readexactly(4), 2) == b"lost"
        writer.close()
    finally:
        await proxy.stop()
        echo.close()


def _fake_voice() -> FastAPI:
    """Just enough of Bella's webhook to drive the caller: intent, name, confirm, booked."""
    app = FastAPI()
    validator = RequestValidator(TOKEN)
    steps = ["What can I do for you?", "May I have your name, please?",
             "Tuesday at 10 am for a cleaning. Shall I book it?", "You're booked. Goodbye!"]

    @app.post("/twilio/{path:path}")
    async def hook(path: str, request: Request) -> Response:
        form = dict(await request.form())
        signature = request.headers.get("X-Twilio-Signature", "")
        if not validator.validate(str(request.url), form, signature):
            return Response(status_code=403)
        step = int(request.query_params.get("step", "0"))
        if path == "status":
            return Response(status_code=204)
        resp = VoiceResponse()
        if step < len(steps) - 1:
            gather = Gather(input="speech dtmf", action=f"/twilio/turn?step={step + 1}")
            gather.say(steps[step])
            resp.append(gather)
            resp.redirect(f"/twilio/turn?step={step}")
        else:
            resp.say(steps[step])
            resp.hangup()
        return Response(str(resp), media_type="application/xml")

    return app


@contextlib.asynccontextmanager
async def _serve(app: FastAPI) -> AsyncIterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes no event for this
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def test_generator_signs_follows_gathers_and_counts_turns() -> None:
    async with _serve(_fake_voice()) as url:
        report = await run_load(url, TOKEN, concurrency=8, duration=30, think=(0, 0), ramp=0,
                                mix={Kind.BOOK: 1.0}, max_calls=24)
        assert report.errors == []
        assert report.max_concurrent == 8
        assert report.calls_completed == 24
        assert all(r.heard_booked for r in report.results)
        assert report.turns == 4 * report.calls_completed
        forged = await run_load(url, "wrong-token", concurrency=1, duration=30, think=(0, 0),
                                ramp=0, mix={Kind.BOOK: 1.0}, max_calls=1)
        assert forged.errors and "HTTP 403" in forged.errors[0]
