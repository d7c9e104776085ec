"""Twilio's side of the conversation: FastAPI routes, form parsing, signatures.

Routes: POST /twilio/voice (the call rings), POST /twilio/gather?turn=N (each
<Gather> result), POST /twilio/status (status callback), POST /twilio/fallback
(Twilio's Fallback URL), GET /healthz, GET /readyz.

Whatever happens inside, the caller gets valid TwiML within the turn budget:
an unexpected error or a timeout becomes an apology and a transfer to the
front desk, never Twilio's "an application error has occurred".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import structlog
from bella_core.logging import xray_trace_id
from bella_core.telemetry import NO_NATIVE_TELEMETRY
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from opentelemetry import trace
from twilio.request_validator import RequestValidator

from bella_voice import twiml
from bella_voice.callstate import PENDING_CALLBACKS, CallStateStore
from bella_voice.conversation import (
    EXPECT,
    CallState,
    Clinic,
    Conversation,
    DependencyDown,
    Heard,
    Reply,
    caller_e164,
)
from bella_voice.metrics import VoiceMetrics
from bella_voice.records import CallRecords, Outcome, RecordWriter, TurnRecord
from bella_voice.settings import VoiceSettings
from bella_voice.sms import SmsSender

log = structlog.get_logger(__name__)

MAX_BODY_BYTES = 32 * 1024
XML = "application/xml"
ENDED = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})
# Twilio reaches the fallback only when something already broke. A second of silence is a
# better trade than an apology with no transfer to the front desk, and well inside the
# 15 s Twilio waits for any webhook.
FALLBACK_LOOKUP_SECONDS = 1.0


class Directory(Protocol):
    async def resolve(self, number: str) -> Clinic | None: ...

    async def get(self, clinic_id: str) -> Clinic | None: ...


@dataclass
class VoiceDeps:
    conversation: Conversation
    directory: Directory
    store: CallStateStore
    records: CallRecords
    metrics: VoiceMetrics
    sms: SmsSender | None = None
    # name -> async check, for /readyz (PostgreSQL and Redis are always checked).
    peers: Mapping[str, Callable[[], Awaitable[bool]]] = field(default_factory=dict)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    writer: RecordWriter | None = None

    def __post_init__(self) -> None:
        if self.writer is None:
            self.writer = RecordWriter(self.records)

    @property
    def record_writer(self) -> RecordWriter:
        assert self.writer is not None
        return self.writer


class Forbidden(Exception):
    pass


def recorded_trace_id() -> str:
    """The X-Ray id of the current request's trace for the call record (the dashboard links
    it), or "" when the trace was not sampled: X-Ray would have nothing behind the link."""
    ctx = trace.get_current_span().get_span_context()
    return xray_trace_id(ctx.trace_id) if ctx.is_valid and ctx.trace_flags.sampled else ""


def create_app(
    settings: VoiceSettings, deps: VoiceDeps, telemetry: Any = NO_NATIVE_TELEMETRY
) -> FastAPI:
    """The voice webhook app (``telemetry``: bella_core.telemetry.http_telemetry's config).
    Tests drive it with httpx's ASGITransport."""
    app = FastAPI(title="Bella voice", docs_url=None, redoc_url=None, openapi_url=None,
                  telemetry=telemetry)
    web = _Webhooks(settings, deps)
    if not settings.twilio_validate_signatures:
        log.warning("twilio.signatures.DISABLED",
                    detail="BELLA_TWILIO_VALIDATE_SIGNATURES=false: anyone can drive calls. "
                           "Development only.")

    app.add_middleware(BodyLimit, metrics=deps.metrics)

    @app.post("/twilio/voice")
    async def voice(request: Request) -> Response:
        return await web.handle(request, "voice", web.incoming)

    @app.post("/twilio/gather")
    async def gather(request: Request) -> Response:
        return await web.handle(request, "gather", web.gathered)

    @app.post("/twilio/status")
    async def status(request: Request) -> Response:
        return await web.handle(request, "status", web.status)

    @app.post("/twilio/fallback")
    async def fallback(request: Request) -> Response:
        return await web.handle(request, "fallback", web.fallback)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        checks: dict[str, Callable[[], Awaitable[bool]]] = {
            "postgres": deps.records.ping, "redis": deps.store.ping, **deps.peers}
        names = list(checks)
        results = await asyncio.gather(*(_bounded(checks[n]()) for n in names))
        status = dict(zip(names, results, strict=True))
        deps.metrics.set_health(status)
        ok = all(results)
        return JSONResponse({"ready": ok, "checks": status}, status_code=200 if ok else 503)

    app.state.webhooks = web
    return app


class BodyLimit:
    """Refuses oversize bodies (plain ASGI: no per-request task).

    A declared Content-Length is refused before anything is read. A chunked body has no
    length to check, so the body is read here, at most MAX_BODY_BYTES of it, and handed to
    the app whole: Twilio's form posts are a few hundred bytes.
    """

    def __init__(self, app: Any, metrics: VoiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", ()):
            if key == b"content-length" and value.isdigit() and int(value) > MAX_BODY_BYTES:
                await self._refuse(scope, receive, send)
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Any, receive: Any, send: Any) -> None:
        self.metrics.refused(_route_name(scope["path"]), "oversize_body")
        await Response("request too large", status_code=413)(scope, receive, send)


async def _bounded(check: Awaitable[bool], limit: float = 1.0) -> bool:
    try:
        return bool(await asyncio.wait_for(check, limit))
    except Exception:
        return False


def _route_name(path: str) -> str:
    return path.rsplit("/", 1)[-1] or "root"


class _Webhooks:
    def __init__(self, settings: VoiceSettings, deps: VoiceDeps) -> None:
        self.settings = settings
        self.deps = deps
        self.validator = RequestValidator(settings.twilio_auth_token)
        self.base = settings.public_base_url
        self.voice = settings.tts_voice
        self._tasks: set[asyncio.Task[Any]] = set()

    # --- request plumbing ----------------------------------------------------------------

    async def handle(self, request: Request, route: str,
                     fn: Callable[[dict[str, str], Request], Awaitable[str]]) -> Response:
        t0 = time.perf_counter()
        failed = False
        try:
            form = await self.checked_form(request)
        except Forbidden:
            self.deps.metrics.refused(route, "twilio_signature")
            log.warning("twilio.signature.rejected", operation=route)
            return Response("forbidden", status_code=403)
        # The FastAPI server span carries the turn's attributes: a child span per turn would
        # cost as much as the server span and say nothing the server span does not.
        span = trace.get_current_span()
        span.set_attribute("operation", route)
        try:
            body = await asyncio.wait_for(fn(form, request), self.settings.turn_budget)
        except Exception as exc:
            failed = True
            span.set_status(trace.StatusCode.ERROR, type(exc).__name__)
            log.error("voice.turn.failed", operation=route, error=type(exc).__name__)
            body = await self.apology(form)
            await self.keep_apology(route, form, request, body)
        self.deps.metrics.request(route, time.perf_counter() - t0,
                                  outcome="error" if failed else "ok")
        if route == "status":
            return Response(status_code=204)
        return Response(body, media_type=XML)

    async def checked_form(self, request: Request) -> dict[str, str]:
        raw = await request.form()
        form = {k: v for k, v in raw.items() if isinstance(v, str)}
        if not self.settings.twilio_validate_signatures:
            return form
        signature = request.headers.get("x-twilio-signature", "")
        # The public URL Twilio signed, never the Host or X-Forwarded-* headers we were given.
        url = self.base + request.url.path
        if request.url.query:
            url += "?" + request.url.query
        if not signature or not self.settings.twilio_auth_token or \
                not self.validator.validate(url, form, signature):
            raise Forbidden()
        return form

    async def apology(self, form: Mapping[str, str]) -> str:
        front_desk = ""
        try:
            clinic = await asyncio.wait_for(self.deps.directory.resolve(form.get("To", "")),
                                            FALLBACK_LOOKUP_SECONDS)
            front_desk = clinic.front_desk_number if clinic else ""
        except Exception:
            front_desk = ""
        return twiml.apology(front_desk, voice=self.voice)

    async def keep_apology(self, route: str, form: Mapping[str, str], request: Request,
                           body: str) -> None:
        """Store the apology as the turn's answer (best effort: Redis may be what failed),
        so a retry of the same turn hears the same thing."""
        sid = form.get("CallSid", "")
        if route not in ("voice", "gather") or not sid:
            return
        try:
            turn = 0 if route == "voice" else int(request.query_params.get("turn", "0"))
            await asyncio.wait_for(self.deps.store.commit(None, sid, turn, body), 0.2)
        except Exception:
            return

    def background(self, coro: Awaitable[Any]) -> None:
        """Work the caller need not wait for (records, texts), kept until done."""
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for background work (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self.deps.record_writer.flush()

    def render(self, reply: Reply, state: CallState | None, clinic: Clinic | None) -> str:
        if reply.dial:
            return twiml.say_and_dial(reply.say, reply.dial, voice=self.voice)
        if reply.hangup or state is None:
            return twiml.say_and_hang_up(reply.say, voice=self.voice)
        services = list(clinic.services.values()) if clinic else []
        return twiml.gather(
            reply.say, f"{self.base}/twilio/gather?turn={state.turn}", voice=self.voice,
            hints=twiml.hints_for(services), keypad_only=reply.keypad_only,
            expect=reply.expect,
        )

    async def claim(self, sid: str, turn: int) -> tuple[str | None, CallState | None]:
        """(stored answer, None) for a turn already handled (or being handled elsewhere);
        (None, state) once this request owns the turn."""
        store = self.deps.store
        kind, answer, state = await store.claim(sid, turn)
        if kind == "answer":
            return answer, None
        if kind == "mine":
            return None, state
        waited = await store.wait_for_answer(sid, turn, wait=self.settings.turn_budget * 0.6)
        if waited is not None:
            return waited, None
        # Still being handled elsewhere: Twilio asks again shortly and gets the stored answer.
        response = twiml.VoiceResponse()
        response.pause(length=1)
        # Turn 0 is the ring itself, answered by /twilio/voice; the others are Gather actions.
        again = "/twilio/voice" if turn == 0 else f"/twilio/gather?turn={turn}"
        response.redirect(f"{self.base}{again}", method="POST")
        return str(response), None

    # --- routes --------------------------------------------------------------------------

    async def incoming(self, form: dict[str, str], request: Request) -> str:
        deps = self.deps
        sid = form.get("CallSid", "")
        if not sid:
            return twiml.say_and_hang_up("Sorry, this call could not be connected.",
                                         voice=self.voice)
        claimed, _ = await self.claim(sid, 0)
        if claimed is not None:
            return claimed
        t0 = time.perf_counter()
        try:
            clinic = await self.deps.directory.resolve(form.get("To", ""))
        except DependencyDown:
            await self.deps.store.unlock(sid, 0)
            raise
        if clinic is None:
            body = twiml.say_and_hang_up(
                "Sorry, this number isn't set up to take appointments yet. Please call the "
                "clinic directly. Goodbye.", voice=self.voice)
            await self.deps.store.commit(None, sid, 0, body)
            return body
        trace.get_current_span().set_attribute("clinic", clinic.id)
        now = self.deps.clock()
        state = CallState(call_sid=sid, clinic_id=clinic.id, caller=caller_e164(
            form.get("From", "")), turn=1)
        reply = self.deps.conversation.greet(state, clinic)
        body = self.render(reply, state, clinic)
        await self.deps.store.commit(state, sid, 0, body)
        self.deps.metrics.call_volume.add(1, {"clinic": clinic.id})
        deps.record_writer.start_call(
            call_sid=sid, clinic_id=clinic.id, time_zone=clinic.time_zone,
            from_phone=state.caller or form.get("From", "")[:32],
            to_phone=form.get("To", "")[:32], started_at=now, trace_id=recorded_trace_id())
        deps.record_writer.add_turn(sid, TurnRecord(
            index=0, at=now, bella_text=reply.say,
            latency_ms=int((time.perf_counter() - t0) * 1000), state=state.stage))
        return body

    async def gathered(self, form: dict[str, str], request: Request) -> str:
        sid = form.get("CallSid", "")
        try:
            turn = int(request.query_params.get("turn", "0"))
        except ValueError:
            turn = 0
        if not sid or turn < 1:
            return twiml.say_and_hang_up("Sorry, this call could not be connected.",
                                         voice=self.voice)
        claimed, state = await self.claim(sid, turn)
        if claimed is not None:
            return claimed
        try:
            return await self._turn(form, sid, turn, state)
        except BaseException:
            await self.deps.store.unlock(sid, turn)
            raise

    async def _turn(self, form: dict[str, str], sid: str, turn: int,
                    state: CallState | None) -> str:
        deps = self.deps
        t0 = time.perf_counter()
        now = deps.clock()
        heard = Heard(text=form.get("SpeechResult", "")[:4096],
                      digits=form.get("Digits", "")[:32],
                      confidence=_float(form.get("Confidence", "")))
        clinic: Clinic | None
        if state is not None and state.turn != turn:
            # An old or out-of-order turn: repeat what we said last, change nothing.
            latest = await deps.store.answer(sid, state.turn - 1)
            await deps.store.unlock(sid, turn)
            if latest is not None:
                return latest
        if state is None or state.turn != turn:
            # The state is gone (Redis restarted or the call is older than its TTL):
            # say so and start over rather than pretend.
            clinic = await deps.directory.resolve(form.get("To", ""))
            if clinic is None:
                body = twiml.say_and_hang_up("Sorry, this number isn't set up yet. Goodbye.",
                                             voice=self.voice)
                await deps.store.commit(None, sid, turn, body)
                return body
            state = CallState(call_sid=sid, clinic_id=clinic.id,
                              caller=caller_e164(form.get("From", "")), turn=turn)
            reply = Reply(say="I'm sorry, I lost my place for a moment. How can I help you "
                              "today?", expect="intent")
            log.warning("voice.state_lost", turn=turn)
            expect_before = "intent"
        else:
            clinic = await deps.directory.get(state.clinic_id)
            if clinic is None:
                raise DependencyDown("clinic unavailable")
            expect_before = EXPECT.get(state.stage, "intent")
            trace.get_current_span().set_attribute("clinic", clinic.id)
            reply = await deps.conversation.turn(state, clinic, heard, now)
        state.turn = turn + 1
        if reply.callback is not None:
            await self._file_callback(clinic, sid, reply, now)
        body = self.render(reply, state, clinic)
        await deps.store.commit(state, sid, turn, body)
        elapsed = time.perf_counter() - t0
        deps.metrics.processing_latency.record(
            elapsed * 1000, {"operation": "gather", "clinic": clinic.id})
        if heard.text and heard.confidence:
            deps.metrics.speech_accuracy.record(heard.confidence * 100, {"clinic": clinic.id})
        if reply.sms is not None and deps.sms is not None:
            self.background(deps.sms.send(reply.sms.to, reply.sms.from_, reply.sms.body))
        understood = reply.understood
        record = TurnRecord(
            index=turn, at=now, expect=expect_before,
            caller_text=heard.text or (f"[keypad] {heard.digits}" if heard.digits else ""),
            asr_confidence=heard.confidence,
            understood_json=understood.as_json() if understood else "{}",
            nlp_confidence=understood.confidence if understood else 0.0,
            bella_text=reply.say, latency_ms=int(elapsed * 1000), state=state.stage,
        )
        deps.record_writer.add_turn(sid, record, outcome=reply.outcome,
                                    appointment_id=reply.appointment_id,
                                    wanted_booking=state.wanted_booking)
        return body

    async def _file_callback(self, clinic: Clinic, sid: str, reply: Reply, now: datetime
                             ) -> None:
        """Kept in PostgreSQL; if that is down too, parked in Redis for a later flush."""
        cb = reply.callback
        assert cb is not None
        try:
            await asyncio.wait_for(self.deps.record_writer.flush(), 0.5)  # the call row first
            await asyncio.wait_for(self.deps.records.add_callback(
                clinic_id=clinic.id, call_sid=sid, name=cb.name, phone=cb.phone,
                reason=cb.reason, created_at=now), 0.8)
        except Exception as exc:
            log.warning("callback.parked", error=type(exc).__name__)
            import json

            await self.deps.store.redis.rpush(PENDING_CALLBACKS, json.dumps({
                "clinic_id": clinic.id, "call_sid": sid, "name": cb.name, "phone": cb.phone,
                "reason": cb.reason, "created_at": now.isoformat()}))

    async def status(self, form: dict[str, str], request: Request) -> str:
        sid = form.get("CallSid", "")
        call_status = form.get("CallStatus", "")[:32]
        if not sid:
            return ""
        if call_status in ENDED:
            await self.deps.record_writer.flush()
            duration = form.get("CallDuration", "")
            ended = await self.deps.records.end_call(
                sid, status=call_status,
                duration_seconds=int(duration) if duration.isdigit() else None,
                ended_at=self.deps.clock())
            if ended is not None:
                outcome, clinic_id = ended
                self.deps.metrics.call_outcome.add(
                    1, {"clinic": clinic_id, "outcome": Outcome(outcome).name.lower()})
        elif call_status:
            await self.deps.records.set_status(sid, call_status)
        return ""

    async def fallback(self, form: dict[str, str], request: Request) -> str:
        log.warning("twilio.fallback", error_code=form.get("ErrorCode", "")[:16])
        return await self.apology(form)


def _float(value: str) -> float:
    try:
        return max(0.0, min(1.0, float(value)))
    except ValueError:
        return 0.0


async def flush_pending_callbacks(store: CallStateStore, records: CallRecords) -> int:
    """Move call-backs parked in Redis (PostgreSQL was down) into PostgreSQL."""
    import json

    moved = 0
    while True:
        raw = await store.redis.lindex(PENDING_CALLBACKS, 0)
        if raw is None:
            return moved
        item = json.loads(raw)
        await records.add_callback(
            clinic_id=item["clinic_id"], call_sid=item["call_sid"], name=item["name"],
            phone=item["phone"], reason=item["reason"],
            created_at=datetime.fromisoformat(item["created_at"]))
        await store.redis.lpop(PENDING_CALLBACKS)
        moved += 1
