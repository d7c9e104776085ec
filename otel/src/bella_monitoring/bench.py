"""What telemetry costs a webhook: throughput and latency with telemetry on versus off.

Two copies of the same small FastAPI webhook app (form-encoded Twilio-style POST in,
TwiML out) run as separate uvicorn processes in the same run:

- ``off``: no OpenTelemetry at all;
- ``on``:  Bella's bootstrap (``setup_telemetry`` + ``instrument_fastapi``), the handler's
  own span and Voice-style metrics (CallVolume, TwilioWebhookLatency, RequestCount,
  ResponseTime, ErrorRate), exporting over OTLP/gRPC to a real receiver in this process
  (``bella_core.testing.otlp.OtlpReceiver``) with the default batch and 1 s metric interval.

A small keep-alive HTTP/1.1 load generator drives each for the same wall time, alternating
off/on rounds so drift on the machine hits both. Target: under 10 % throughput loss.

    python -m bella_monitoring.bench [--rounds 3] [--seconds 8] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import FastAPI, Request, Response

BODY = urlencode(
    {
        "CallSid": "CA00000000000000000000000000000000",
        "AccountSid": "AC00000000000000000000000000000000",
        "From": "+16475550123",
        "To": "+16475550100",
        "CallStatus": "in-progress",
        "SpeechResult": "I would like to book a cleaning next Tuesday morning",
        "Confidence": "0.91",
    }
).encode()


def create_app(telemetry_on: bool, downstream_port: int | None = None) -> FastAPI:
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    tel = None
    stubs: list[health_pb2_grpc.HealthStub] = []

    async def downstream() -> None:
        # Stands in for voice -> NLP: one unary gRPC call with a deadline per turn.
        if not stubs:
            interceptors = grpc_client_interceptors(tel) if tel is not None else None
            channel = grpc.aio.insecure_channel(
                f"127.0.0.1:{downstream_port}", interceptors=interceptors
            )
            stubs.append(health_pb2_grpc.HealthStub(channel))
        await stubs[0].Check(health_pb2.HealthCheckRequest(), timeout=2)

    if telemetry_on:
        from bella_core.telemetry import (
            grpc_client_interceptors,
            instrument_fastapi,
            register_system_health,
            setup_telemetry,
        )

        tel = setup_telemetry("Voice", environment="bench")
        instrument_fastapi(app, tel)
        register_system_health(tel)
        meter = tel.meter
        calls = meter.create_counter("CallVolume", unit="{call}")
        webhook = meter.create_histogram("TwilioWebhookLatency", unit="ms")
        requests = meter.create_counter("RequestCount", unit="{request}")
        response_time = meter.create_histogram("ResponseTime", unit="ms")
        errors = meter.create_histogram("ErrorRate", unit="%")

    @app.post("/voice/webhook")
    async def webhook_handler(request: Request) -> Response:
        started = time.perf_counter()
        form = await request.form()
        if downstream_port is not None:
            await downstream()
        confidence = float(str(form.get("Confidence") or 0))
        words = len(str(form.get("SpeechResult") or "").split())
        twiml = (
            '<?xml version="1.0" encoding="UTF-8"?><Response>'
            '<Gather input="speech dtmf" action="/voice/webhook" speechTimeout="auto">'
            f"<Say>Thanks. I heard {words} words at {confidence:.0%}. Which day suits you?</Say>"
            "</Gather></Response>"
        )
        if tel is not None:
            with tel.tracer.start_as_current_span("conversation.turn") as span:
                span.set_attribute("bella.clinic", "toronto")
                span.set_attribute("bella.outcome", "gather")
            elapsed = (time.perf_counter() - started) * 1000
            attrs = {"clinic": "toronto"}
            calls.add(1, attrs)
            webhook.record(elapsed, {"operation": "gather"})
            requests.add(1, {"operation": "webhook", "outcome": "ok"})
            response_time.record(elapsed, {"operation": "webhook"})
            errors.record(0.0, {"operation": "webhook"})
        return Response(twiml, media_type="application/xml")

    return app


def serve(telemetry_on: bool, port: int, downstream_port: int | None = None) -> None:
    import uvicorn

    uvicorn.run(
        create_app(telemetry_on, downstream_port), host="127.0.0.1", port=port,
        log_level="warning", access_log=False, loop="asyncio", http="h11",
    )


def serve_downstream(port: int) -> None:
    """An uninstrumented gRPC server answering grpc.health.v1 Check (the same for both modes)."""
    import grpc
    from grpc_health.v1 import health, health_pb2_grpc

    async def run() -> None:
        server = grpc.aio.server()
        health_pb2_grpc.add_HealthServicer_to_server(health.aio.HealthServicer(), server)
        server.add_insecure_port(f"127.0.0.1:{port}")
        await server.start()
        await server.wait_for_termination()

    asyncio.run(run())


# --- load ------------------------------------------------------------------------------------


@dataclass
class Result:
    mode: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(q * len(data)))]


def _request(port: int) -> bytes:
    return (
        f"POST /voice/webhook HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(BODY)}\r\n\r\n"
    ).encode() + BODY


async def _worker(port: int, deadline: float, result: Result) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    payload = _request(port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(payload)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            if not head.startswith(b"HTTP/1.1 200"):
                result.errors += 1
            result.requests += 1
    finally:
        writer.close()


async def drive(mode: str, port: int, seconds: float, concurrency: int) -> Result:
    result = Result(mode)
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_worker(port, deadline, result) for _ in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on {port} did not start")


def _spawn(
    port: int, env_extra: dict[str, str] | None, downstream_port: int | None
) -> subprocess.Popen[bytes]:
    """``env_extra`` None: telemetry off; else OTEL_* variables for the telemetry-on server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(env_extra or {})
    code = (
        "from bella_monitoring.bench import serve; "
        f"serve({env_extra is not None}, {port}, {downstream_port})"
    )
    return subprocess.Popen([sys.executable, "-c", code], env=env)  # noqa: S603


def _python(code: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code])  # noqa: S603


def run_scenario(
    name: str,
    variants: dict[str, dict[str, str] | None],
    downstream_port: int | None,
    args: argparse.Namespace,
    concurrency: int | None = None,
) -> dict[str, Result]:
    concurrency = concurrency or args.concurrency
    ports = {mode: _free_port() for mode in variants}
    procs = {m: _spawn(ports[m], env, downstream_port) for m, env in variants.items()}
    try:
        for mode, port in ports.items():
            _wait_listening(port, procs[mode])
        # Warm-up: imports, first-request paths, the exporter's and the client's channels.
        for mode, port in ports.items():
            asyncio.run(drive(mode, port, 1.0, concurrency))
        totals = {m: Result(m) for m in ports}
        for _ in range(args.rounds):
            for mode, port in ports.items():
                r = asyncio.run(drive(mode, port, args.seconds, concurrency))
                total = totals[mode]
                total.requests += r.requests
                total.errors += r.errors
                total.seconds += r.seconds
                total.latencies_ms += r.latencies_ms
        time.sleep(1.5)  # one more metric interval, so the receiver has the last batch
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    off = totals["off"]
    print(f"{name}, {concurrency} connection(s):")
    for r in totals.values():
        loss = 100.0 * (off.rps - r.rps) / off.rps if off.rps else 0.0
        extra_us = (1e6 / r.rps - 1e6 / off.rps) if r.rps and off.rps else 0.0
        tail = "" if r is off else f"   loss {loss:5.1f} %  (+{extra_us:.0f} us/request)"
        print(f"  {r.mode:>15}: {r.rps:7.1f} req/s   p50 {r.pct(0.5):6.2f} ms   "
              f"p95 {r.pct(0.95):6.2f} ms   p99 {r.pct(0.99):6.2f} ms   errors {r.errors}{tail}")
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bella_monitoring.bench")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)

    from bella_core.testing.otlp import OtlpReceiver

    print(f"telemetry cost on a webhook: {args.rounds} alternating rounds x {args.seconds:.0f} s "
          f"per mode, {args.concurrency} keep-alive connections; 'on' exports OTLP/gRPC to a "
          "receiver in this process", flush=True)
    receiver = OtlpReceiver().start()
    downstream_port = _free_port()
    downstream = _python(
        f"from bella_monitoring.bench import serve_downstream; serve_downstream({downstream_port})"
    )
    otlp = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        "OTEL_EXPORTER_OTLP_INSECURE": "true",
        "OTEL_METRIC_EXPORT_INTERVAL": "1000",
    }
    sampled = {
        **otlp,
        "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
        "OTEL_TRACES_SAMPLER_ARG": "0.1",
    }
    results = {}
    try:
        _wait_listening(downstream_port, downstream)
        results["turn"] = run_scenario(
            "webhook turn with one gRPC call downstream (the voice -> NLP shape)",
            {"off": None, "on": otlp}, downstream_port, args,
        )
        # What a caller notices at a clinic's real load: one request at a time.
        results["turn, light"] = run_scenario(
            "the same turn at light load (latency, not throughput, is what a caller notices)",
            {"off": None, "on": otlp}, downstream_port, args, concurrency=1,
        )
        results["minimal"] = run_scenario(
            "minimal webhook (form in, TwiML out: worst case, telemetry vs almost no work)",
            {"off": None, "on": otlp, "on, 10% sampled": sampled}, None, args,
        )
    finally:
        downstream.terminate()
        downstream.wait(timeout=10)
        receiver.stop()
    spans, points = len(receiver.spans()), len(receiver.points())
    print(f"exported to the OTLP receiver: {spans} spans, {points} metric points")
    failed = any(r.errors for totals in results.values() for r in totals.values())
    if failed or spans == 0:
        print("FAILED: errors, or the telemetry never arrived")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
