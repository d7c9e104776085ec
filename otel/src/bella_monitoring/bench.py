"""What telemetry costs a webhook: throughput and latency with telemetry on versus off.

**Bella's real webhook** (what operators care about): the whole stack (voice, NLP, booking,
admin as their console scripts, with PostgreSQL and Redis of their own; tests/load's
``harness.launch``) started once per variant in the same run:

- ``off``: ``OTEL_SDK_DISABLED=true``: no library is instrumented and the SDK's tracers and
  meters are no-ops (telemetry switched off costs nothing);
- ``on``:  OTLP/gRPC export to a real receiver in a process of its own
  (``bella_core.testing.otlp.OtlpReceiver``) with production's settings: the SDK's default
  span batching and metric interval (60 s), every trace kept;
- ``on, 10% sampled``: the same with ``parentbased_traceidratio`` 0.1, the production
  setting the README's deploy section recommends.

tests/load's generator drives signed Twilio calls (booking, cancel, info, garbage callers,
no think time) at a fixed concurrency through each stack in turn, ABBA order (off, on, on,
off, ...), the same seeds for each variant. Figures: turns/s, turn latency, and CPU ms per
turn of each process (services, PostgreSQL, Redis, receiver, load generator). Everything
shares this machine's cores, so the turns/s loss is diluted by the load generator's and the
databases' CPU; the services' CPU per turn is what a deployment where they are the
bottleneck would lose.

**Synthetic webhooks** (the worst case): two copies of a small FastAPI webhook app
(form-encoded Twilio-style POST in, TwiML out) run as separate uvicorn processes, ``off``
with no OpenTelemetry at all and ``on`` with Bella's bootstrap (``setup_telemetry`` +
``http_telemetry``, ``trace_channel``), the handler's own span and Voice-style metrics,
exporting to a receiver in this process; a small keep-alive HTTP/1.1 load generator drives
each for the same wall time, alternating rounds. With almost no work per request, these show
the SDK's fixed cost per request at its largest.

Target: under 10 % throughput loss.

    python -m bella_monitoring.bench [--only real|synthetic] [--real-rounds 3]
        [--real-seconds 8] [--real-concurrency 24] [--real-settle 6]
        [--rounds 2] [--seconds 5] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request, Response

# The processes a webhook turn runs through: their CPU per turn is the telemetry's cost where
# the services alone are the bottleneck.
TURN_SERVICES = ("voice", "nlp", "booking")
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
    from bella_core.telemetry import (
        NO_NATIVE_TELEMETRY,
        http_telemetry,
        register_system_health,
        setup_telemetry,
        trace_channel,
    )
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    tel = setup_telemetry("Voice", environment="bench") if telemetry_on else None
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None,
                  telemetry=http_telemetry(tel) if tel is not None else NO_NATIVE_TELEMETRY)
    stubs: list[health_pb2_grpc.HealthStub] = []

    async def downstream() -> None:
        # Stands in for voice -> NLP: one unary gRPC call with a deadline per turn.
        if not stubs:
            channel = grpc.aio.insecure_channel(f"127.0.0.1:{downstream_port}")
            if tel is not None:
                channel = trace_channel(channel, tel)
            stubs.append(health_pb2_grpc.HealthStub(channel))
        await stubs[0].Check(health_pb2.HealthCheckRequest(), timeout=2)

    if tel is not None:
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


# --- the real webhook: the whole stack, twice ------------------------------------------------


def serve_receiver() -> None:
    """A real OTLP/gRPC receiver in its own process (its protobuf parsing must not take the
    load generator's GIL). Prints its endpoint; each stdin line is answered with the span and
    metric-point counts so far; stdin closed ends it."""
    from bella_core.testing.otlp import OtlpReceiver

    receiver = OtlpReceiver().start()
    print(receiver.endpoint, flush=True)
    for _line in sys.stdin:
        print(f"{len(receiver.spans())} {len(receiver.points())}", flush=True)
    receiver.stop()


def _load_tools() -> tuple[Any, Any] | None:
    """tests/load's harness and generator, when this runs from a checkout (they are not part
    of the installed package)."""
    repo = Path(__file__).resolve().parents[3]
    if not (repo / "tests" / "load" / "harness.py").exists():
        return None
    if str(repo) not in sys.path:
        sys.path.insert(0, str(repo))
    harness = importlib.import_module("tests.load.harness")
    generator = importlib.import_module("tests.load.generator")
    return harness, generator


def _tree_cpu(pid: int) -> float:
    """User+system CPU of a process and its live children (PostgreSQL's backends)."""
    import psutil

    total = 0.0
    try:
        proc = psutil.Process(pid)
        for p in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                total += t.user + t.system
    except psutil.Error:
        pass
    return total


def _cpu_by_process(running: Any, receiver_pid: int | None) -> dict[str, float]:
    import psutil

    used: dict[str, float] = dict(running.stack.cpu_seconds())
    infra = running.infra
    if infra.postgres is not None and infra.postgres.server is not None:
        pid_file = Path(infra.postgres.server.pgdata) / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError):
            used["postgres"] = _tree_cpu(int(pid_file.read_text().split()[0]))
    if infra.redis is not None and infra.redis.proc is not None:
        used["redis"] = _tree_cpu(infra.redis.proc.pid)
    if receiver_pid is not None:
        used["otlp receiver"] = _tree_cpu(receiver_pid)
    used["load generator"] = sum(psutil.Process().cpu_times()[:2])
    return used


@dataclass
class StackResult:
    mode: str
    turns: int = 0
    seconds: float = 0.0
    calls: int = 0
    errors: list[str] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def tps(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_s:
            return 0.0
        data = sorted(self.latencies_s)
        return 1000 * data[min(len(data) - 1, int(q * len(data)))]

    def cpu_ms_per_turn(self, name: str) -> float:
        return 1000 * self.cpu.get(name, 0.0) / self.turns if self.turns else 0.0


def _start_receiver() -> tuple[subprocess.Popen[str], str]:
    receiver = subprocess.Popen(
        [sys.executable, "-c", "from bella_monitoring.bench import serve_receiver; "
         "serve_receiver()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert receiver.stdout is not None
    return receiver, receiver.stdout.readline().strip()


def _receiver_counts(receiver: subprocess.Popen[str]) -> tuple[int, int]:
    assert receiver.stdin is not None and receiver.stdout is not None
    receiver.stdin.write("count\n")
    receiver.stdin.flush()
    spans, points = receiver.stdout.readline().split()
    return int(spans), int(points)


def _stop_receiver(receiver: subprocess.Popen[str]) -> None:
    with contextlib.suppress(OSError):
        if receiver.stdin is not None:
            receiver.stdin.close()
    try:
        receiver.wait(timeout=10)
    except subprocess.TimeoutExpired:
        receiver.kill()


async def _real_webhook(args: argparse.Namespace) -> bool:
    """The whole stack per variant, driven alternately; True when something failed."""
    tools = _load_tools()
    if tools is None:
        print("real webhook: skipped (tests/load is not here; run from a Bella checkout)")
        return False
    harness, generator = tools
    receiver, endpoint = _start_receiver()
    # Production's SDK defaults: spans in batches of up to 512 every 5 s, metrics every 60 s
    # (CloudWatch's standard resolution); the stacks' shutdown flushes the last interval.
    env_on = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
        "OTEL_EXPORTER_OTLP_INSECURE": "true",
        "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
    }
    variants = {
        "off": {"OTEL_SDK_DISABLED": "true"},
        "on": env_on,
        "on, 10% sampled": {**env_on, "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
                            "OTEL_TRACES_SAMPLER_ARG": "0.1"},
    }
    workdir = Path(tempfile.mkdtemp(prefix="bella-otel-bench-"))
    totals = {mode: StackResult(mode) for mode in variants}
    t0 = time.monotonic()
    try:
        async with contextlib.AsyncExitStack() as stacks:
            # One after the other: pgserver's start lock is per process, not per thread.
            running = {}
            for n, (mode, env) in enumerate(variants.items()):
                launched = harness.launch(workdir / f"stack{n}", extra_env=env)
                running[mode] = await stacks.enter_async_context(launched)
            print(f"  stacks up and warmed in {time.monotonic() - t0:.0f} s", flush=True)
            # ABBA order (off, on, on, off, ...): a linear drift on the machine hits all alike.
            modes = list(variants)
            order = [m for r in range(args.real_rounds)
                     for m in (modes if r % 2 == 0 else modes[::-1])]  # fmt: skip
            for n, mode in enumerate(order):
                run = running[mode]
                pid = receiver.pid if mode != "off" else None
                before = _cpu_by_process(run, pid)
                report = await generator.run_load(
                    run.stack.voice_url, run.stack.auth_token,
                    concurrency=args.real_concurrency, duration=args.real_seconds,
                    think=(0.0, 0.0), ramp=0.5, seed=100 + n // len(modes),
                )  # fmt: skip
                # A run leaves work behind (span batches go every 5 s, voice's turn-record
                # writer, PostgreSQL's): it is that run's cost, and it would slow the next
                # stack's run. Wait it out before reading the CPU clocks.
                await asyncio.sleep(args.real_settle)
                after = _cpu_by_process(run, pid)
                total = totals[mode]
                total.turns += report.turns
                total.seconds += report.duration
                total.calls += report.calls_completed
                total.errors += report.errors
                total.latencies_s += report.latencies
                used = {name: seconds - before.get(name, 0.0) for name, seconds in after.items()}
                for name, seconds in used.items():
                    total.cpu[name] = total.cpu.get(name, 0.0) + seconds
                services = sum(used.get(n, 0.0) for n in TURN_SERVICES)
                print(f"    {mode:>15}: {report.turns_per_second:6.1f} turns/s  "
                      f"p50 {report.p(50):5.1f} ms  p99 {report.p(99):6.1f} ms  "
                      f"services {1000 * services / max(report.turns, 1):5.2f} ms CPU/turn  "
                      f"errors {len(report.errors)}", flush=True)  # fmt: skip
            crashed = [f"{mode}/{name}" for mode, run in running.items()
                       for name, svc in run.stack.services.items() if not svc.running]  # fmt: skip
            if crashed:
                totals["off"].errors.append("services died: " + ", ".join(crashed))
        # The stacks flushed their last batches on SIGTERM; now count what arrived.
        spans, points = _receiver_counts(receiver)
    finally:
        _stop_receiver(receiver)
        shutil.rmtree(workdir, ignore_errors=True)
    _print_real(totals, args, spans, points)
    return spans == 0 or any(r.errors for r in totals.values())


def _print_real(
    totals: dict[str, StackResult], args: argparse.Namespace, spans: int, points: int
) -> None:
    off = totals["off"]
    print(f"real webhook (the four services + PostgreSQL + Redis as processes), "
          f"{args.real_concurrency} callers, no think time:")  # fmt: skip
    for r in totals.values():
        loss = 100.0 * (off.tps - r.tps) / off.tps if off.tps else 0.0
        tail = "" if r is off else f"   loss {loss:5.1f} %"
        print(f"  {r.mode:>15}: {r.tps:7.1f} turns/s   p50 {r.pct(0.5):6.1f} ms   "
              f"p95 {r.pct(0.95):6.1f} ms   p99 {r.pct(0.99):6.1f} ms   "
              f"({r.turns} turns, {r.calls} calls, errors {len(r.errors)}){tail}")  # fmt: skip
    every = ("voice", "nlp", "booking", "admin", "postgres", "redis", "otlp receiver",
             "load generator")  # fmt: skip
    print("  CPU ms per turn:")
    for r in totals.values():
        print(f"  {r.mode:>15}: " + ", ".join(
            f"{n} {r.cpu_ms_per_turn(n):.2f}" for n in every if n in r.cpu))  # fmt: skip
    off_svc = sum(off.cpu_ms_per_turn(n) for n in TURN_SERVICES)
    for r in totals.values():
        svc = sum(r.cpu_ms_per_turn(n) for n in TURN_SERVICES)
        extra = 100 * (svc - off_svc) / off_svc if off_svc else 0.0
        # What the turns/s would lose where the services are the bottleneck (their own
        # machines, as on ECS): capacity is inversely proportional to CPU per turn. Less
        # sensitive to other work on this machine than turns/s.
        implied = 100 * (1 - off_svc / svc) if svc else 0.0
        tail = "" if r is off else (f" (+{svc - off_svc:.2f} ms, {extra:+.0f} %; "
                                    f"implied throughput loss {implied:.0f} %)")  # fmt: skip
        print(f"  {r.mode:>15}: voice+nlp+booking {svc:.2f} ms CPU per turn{tail}")
    exported_turns = sum(r.turns for r in totals.values() if r is not off)
    print(f"  exported: {spans} spans ({spans / exported_turns if exported_turns else 0:.1f} "
          f"per measured turn with telemetry on; warm-up calls included), "
          f"{points} metric points")  # fmt: skip
    for err in [e for r in totals.values() for e in r.errors][:5]:
        print(f"  error: {err}")

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bella_monitoring.bench")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--real-rounds", type=int, default=3,
                        help="real webhook: rounds of (off, on), the order flipped each round")
    parser.add_argument("--real-seconds", type=float, default=8.0)
    parser.add_argument("--real-concurrency", type=int, default=24)
    parser.add_argument("--real-settle", type=float, default=6.0,
                        help="real webhook: seconds after each run before reading CPU")
    parser.add_argument("--only", choices=("real", "synthetic"), default=None)
    args = parser.parse_args(argv)

    failed = False
    if args.only != "synthetic":
        print("telemetry cost on Bella's real webhook: the whole stack three times (off: "
              "OTEL_SDK_DISABLED=true; on: OTLP/gRPC to a receiver process, every trace or "
              "10% of traces), "
              f"{args.real_rounds} rounds x {args.real_seconds:.0f} s per stack, ABBA order, "
              f"{args.real_concurrency} callers with no think time", flush=True)
        failed = asyncio.run(_real_webhook(args))
    if args.only != "real":
        failed = _synthetic(args) or failed
    if failed:
        print("FAILED: errors, or the telemetry never arrived")
        return 1
    return 0


def _synthetic(args: argparse.Namespace) -> bool:
    """The synthetic webhooks (the worst case); True when something failed."""
    from bella_core.testing.otlp import OtlpReceiver

    print(f"telemetry cost on synthetic webhooks (worst case: little work besides telemetry): "
          f"{args.rounds} alternating rounds x {args.seconds:.0f} s "
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
            "synthetic turn with one gRPC call downstream (the voice -> NLP shape)",
            {"off": None, "on": otlp}, downstream_port, args,
        )
        # What a caller notices at a clinic's real load: one request at a time.
        results["turn, light"] = run_scenario(
            "the same synthetic turn at light load (latency is what a caller notices)",
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
    return any(r.errors for totals in results.values() for r in totals.values()) or spans == 0

if __name__ == "__main__":
    raise SystemExit(main())
