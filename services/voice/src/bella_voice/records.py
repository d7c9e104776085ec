"""Call records in PostgreSQL (schema ``voice``): calls, turns, call-backs.

Transcripts are personal health information: they live here, behind the
CallRecordService, and never in logs or spans.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

import structlog
from bella_core.databases import asyncpg_url
from opentelemetry.instrumentation.utils import suppress_instrumentation
from sqlalchemy import Date, cast, func, or_, select, text, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bella_voice.models import callbacks, calls, turns

log = structlog.get_logger(__name__)


class Outcome(IntEnum):
    """Mirrors bella.v1.CallOutcome."""

    UNSPECIFIED = 0
    BOOKED = 1
    CANCELLED = 2
    RESCHEDULED = 3
    INFO = 4
    TRANSFERRED = 5
    CALLBACK = 6
    ABANDONED = 7
    FAILED = 8


# When one call does several things, the record keeps the one that matters most to staff.
_OUTCOME_RANK = {
    Outcome.UNSPECIFIED: 0,
    Outcome.ABANDONED: 1,
    Outcome.INFO: 2,
    Outcome.FAILED: 3,
    Outcome.TRANSFERRED: 4,
    Outcome.CALLBACK: 5,
    Outcome.CANCELLED: 6,
    Outcome.RESCHEDULED: 7,
    Outcome.BOOKED: 8,
}


def outcome_rank(outcome: int) -> int:
    return _OUTCOME_RANK.get(Outcome(outcome), 0)


# Outcome values from least to most important, for array_position() in SQL.
_RANK_ORDER = [int(o) for o, _ in sorted(_OUTCOME_RANK.items(), key=lambda kv: kv[1])]

_ADD_TURN = text("""
WITH c AS (
    UPDATE voice.calls SET
        turn_count = GREATEST(turn_count, :idx + 1),
        outcome = CASE WHEN :outcome <> 0 AND array_position(CAST(:ranks AS int[]), :outcome)
                            >= array_position(CAST(:ranks AS int[]), outcome)
                       THEN :outcome ELSE outcome END,
        appointment_id = CASE WHEN :appt <> '' THEN :appt ELSE appointment_id END,
        wanted_booking = wanted_booking OR :wanted
    WHERE call_sid = :sid
    RETURNING id
)
INSERT INTO voice.turns (call_id, index, at, expect, caller_text, asr_confidence,
                         understood_json, nlp_confidence, bella_text, latency_ms, state)
SELECT c.id, :idx, :at, :expect, :caller_text, :asr, :understood, :nlp, :bella, :latency,
       :state
FROM c
ON CONFLICT ON CONSTRAINT uq_turns_call_index DO NOTHING
""")


@dataclass
class TurnRecord:
    index: int
    at: datetime
    expect: str = ""
    caller_text: str = ""
    asr_confidence: float = 0.0
    understood_json: str = "{}"
    nlp_confidence: float = 0.0
    bella_text: str = ""
    latency_ms: int = 0
    state: str = ""


@dataclass
class CallbackRecord:
    id: str
    clinic_id: str
    call_id: str
    name: str
    phone: str
    reason: str
    created_at: datetime
    resolved: bool = False
    resolved_at: datetime | None = None
    resolved_by: str = ""


@dataclass
class CallRecord:
    id: str
    call_sid: str
    clinic_id: str
    time_zone: str
    from_phone: str
    started_at: datetime
    ended_at: datetime | None
    duration_seconds: int
    status: str
    outcome: int
    turn_count: int
    trace_id: str
    appointment_id: str
    in_progress: bool
    turns: list[TurnRecord] = field(default_factory=list)


@dataclass
class DayStat:
    date: str
    calls: int = 0
    bookings: int = 0
    transfers: int = 0
    turns: int = 0
    avg_turn_latency_ms: float = 0.0
    avg_nlp_confidence: float = 0.0


@dataclass
class Stats:
    calls: int = 0
    bookings: int = 0
    transfers: int = 0
    callbacks: int = 0
    conversion_rate: float = 0.0
    avg_nlp_confidence: float = 0.0
    avg_turn_latency_ms: float = 0.0
    avg_asr_confidence: float = 0.0
    days: list[DayStat] = field(default_factory=list)


def _call(row: Any) -> CallRecord:
    return CallRecord(
        id=row.id, call_sid=row.call_sid, clinic_id=row.clinic_id, time_zone=row.time_zone,
        from_phone=row.from_phone, started_at=row.started_at, ended_at=row.ended_at,
        duration_seconds=row.duration_seconds, status=row.status, outcome=row.outcome,
        turn_count=row.turn_count, trace_id=row.trace_id, appointment_id=row.appointment_id,
        in_progress=row.in_progress,
    )


def _callback(row: Any) -> CallbackRecord:
    return CallbackRecord(
        id=row.id, clinic_id=row.clinic_id, call_id=row.call_id, name=row.name,
        phone=row.phone, reason=row.reason, created_at=row.created_at, resolved=row.resolved,
        resolved_at=row.resolved_at, resolved_by=row.resolved_by,
    )


def _offset(token: str) -> int:
    try:
        return max(0, int(token))
    except ValueError:
        return 0


def _page_size(size: int) -> int:
    return 50 if size <= 0 else min(size, 500)


class CallRecords:
    """Reads and writes call records; every method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, database_url: str, *, pool_size: int = 10) -> CallRecords:
        # Turn records may lose their last instant on a PostgreSQL crash (asynchronous
        # commit: no WAL flush wait, ~10x cheaper here); call-backs commit synchronously.
        return cls(
            create_async_engine(
                asyncpg_url(database_url), pool_size=pool_size, max_overflow=10,
                pool_recycle=1800,
                connect_args={"server_settings": {"synchronous_commit": "off"}},
            )
        )

    async def close(self) -> None:
        await self.engine.dispose()

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(select(1))
        except Exception:
            return False
        return True

    # --- writes from the webhook ---------------------------------------------------------

    async def start_call(
        self, *, call_sid: str, clinic_id: str, time_zone: str, from_phone: str,
        to_phone: str, started_at: datetime, trace_id: str,
    ) -> None:
        stmt = insert(calls).values(
            id=str(uuid.uuid4()), call_sid=call_sid, clinic_id=clinic_id, time_zone=time_zone,
            from_phone=from_phone, to_phone=to_phone, started_at=started_at, trace_id=trace_id,
        ).on_conflict_do_nothing(index_elements=["call_sid"])
        async with self.engine.begin() as conn:
            await conn.execute(stmt)

    async def add_turn(
        self, call_sid: str, turn: TurnRecord, *, outcome: int = 0, appointment_id: str = "",
        wanted_booking: bool = False,
    ) -> None:
        """Store a turn once (a retried webhook adds nothing) and raise the call's outcome,
        in one statement (one round trip)."""
        params = {
            "sid": call_sid, "idx": turn.index, "at": turn.at, "expect": turn.expect,
            "caller_text": turn.caller_text, "asr": turn.asr_confidence,
            "understood": turn.understood_json, "nlp": turn.nlp_confidence,
            "bella": turn.bella_text, "latency": turn.latency_ms, "state": turn.state,
            "outcome": int(outcome), "appt": appointment_id, "wanted": wanted_booking,
            "ranks": _RANK_ORDER,
        }
        async with self.engine.begin() as conn:
            await conn.execute(_ADD_TURN, params)
    async def end_call(
        self, call_sid: str, *, status: str, duration_seconds: int | None, ended_at: datetime,
    ) -> tuple[int, str] | None:
        """Close the call; one that did nothing becomes ABANDONED. Returns (final outcome,
        clinic id) the first time the call ends, None when it had already ended or is unknown."""
        async with self.engine.begin() as conn:
            row = (
                await conn.execute(
                    select(calls.c.id, calls.c.outcome, calls.c.started_at, calls.c.in_progress,
                           calls.c.clinic_id)
                    .where(calls.c.call_sid == call_sid)
                    .with_for_update()
                )
            ).first()
            if row is None:
                return None
            duration = duration_seconds
            if duration is None:
                duration = max(0, int((ended_at - row.started_at).total_seconds()))
            outcome = row.outcome or int(Outcome.ABANDONED)
            await conn.execute(
                update(calls).where(calls.c.id == row.id).values(
                    status=status, ended_at=ended_at, duration_seconds=duration,
                    in_progress=False, outcome=outcome,
                )
            )
            return (outcome, row.clinic_id) if row.in_progress else None

    async def set_status(self, call_sid: str, status: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                update(calls).where(calls.c.call_sid == call_sid).values(status=status)
            )

    async def add_callback(
        self, *, clinic_id: str, call_sid: str, name: str, phone: str, reason: str,
        created_at: datetime,
    ) -> None:
        async with self.engine.begin() as conn:
            # A promise made to a caller: durable before Bella says goodbye.
            await conn.execute(text("SET LOCAL synchronous_commit = on"))
            call_id = (
                await conn.execute(select(calls.c.id).where(calls.c.call_sid == call_sid))
            ).scalar_one_or_none()
            await conn.execute(
                insert(callbacks).values(
                    id=str(uuid.uuid4()), clinic_id=clinic_id, call_id=call_id or call_sid,
                    name=name, phone=phone, reason=reason, created_at=created_at,
                ).on_conflict_do_nothing(constraint="uq_callbacks_call")
            )

    # --- reads for staff (CallRecordService) ----------------------------------------------

    def _call_filters(
        self, clinic_id: str, start: datetime | None, end: datetime | None,
        outcomes: Sequence[int] = (), in_progress_only: bool = False,
    ) -> list[Any]:
        conds: list[Any] = [calls.c.clinic_id == clinic_id]
        if start is not None:
            conds.append(calls.c.started_at >= start)
        if end is not None:
            conds.append(calls.c.started_at < end)
        if outcomes:
            conds.append(calls.c.outcome.in_(list(outcomes)))
        if in_progress_only:
            conds.append(calls.c.in_progress.is_(True))
        return conds

    async def list_calls(
        self, clinic_id: str, *, start: datetime | None = None, end: datetime | None = None,
        outcomes: Sequence[int] = (), in_progress_only: bool = False, page_size: int = 50,
        page_token: str = "",
    ) -> tuple[list[CallRecord], str, int]:
        conds = self._call_filters(clinic_id, start, end, outcomes, in_progress_only)
        size, offset = _page_size(page_size), _offset(page_token)
        async with self.engine.connect() as conn:
            total = (await conn.execute(select(func.count()).select_from(calls).where(*conds))
                     ).scalar_one()
            rows = (
                await conn.execute(
                    select(calls).where(*conds)
                    .order_by(calls.c.started_at.desc(), calls.c.id)
                    .limit(size).offset(offset)
                )
            ).all()
        next_token = str(offset + size) if offset + size < total else ""
        return [_call(r) for r in rows], next_token, int(total)

    async def get_call(self, clinic_id: str, call_id: str) -> CallRecord | None:
        """By id or CallSid, only within the clinic."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(calls).where(
                        calls.c.clinic_id == clinic_id,
                        (calls.c.id == call_id) | (calls.c.call_sid == call_id),
                    )
                )
            ).first()
            if row is None:
                return None
            record = _call(row)
            turn_rows = (
                await conn.execute(
                    select(turns).where(turns.c.call_id == record.id).order_by(turns.c.index)
                )
            ).all()
        record.turns = [
            TurnRecord(
                index=t._mapping["index"], at=t.at, expect=t.expect, caller_text=t.caller_text,
                asr_confidence=t.asr_confidence, understood_json=t.understood_json,
                nlp_confidence=t.nlp_confidence, bella_text=t.bella_text,
                latency_ms=t.latency_ms, state=t.state,
            )
            for t in turn_rows
        ]
        return record

    async def list_callbacks(
        self, clinic_id: str, *, include_resolved: bool = False, page_size: int = 50,
        page_token: str = "",
    ) -> tuple[list[CallbackRecord], str, int]:
        conds: list[Any] = [callbacks.c.clinic_id == clinic_id]
        if not include_resolved:
            conds.append(callbacks.c.resolved.is_(False))
        size, offset = _page_size(page_size), _offset(page_token)
        async with self.engine.connect() as conn:
            total = (
                await conn.execute(select(func.count()).select_from(callbacks).where(*conds))
            ).scalar_one()
            rows = (
                await conn.execute(
                    select(callbacks).where(*conds)
                    .order_by(callbacks.c.created_at.desc(), callbacks.c.id)
                    .limit(size).offset(offset)
                )
            ).all()
        next_token = str(offset + size) if offset + size < total else ""
        return [_callback(r) for r in rows], next_token, int(total)

    async def resolve_callback(
        self, clinic_id: str, callback_id: str, resolved_by: str, *, now: datetime | None = None,
    ) -> CallbackRecord | None:
        """Mark resolved (idempotent: resolving twice keeps the first resolver and time)."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(callbacks)
                .where(
                    callbacks.c.clinic_id == clinic_id, callbacks.c.id == callback_id,
                    callbacks.c.resolved.is_(False),
                )
                .values(resolved=True, resolved_at=now or datetime.now(UTC),
                        resolved_by=resolved_by)
            )
            row = (
                await conn.execute(
                    select(callbacks).where(
                        callbacks.c.clinic_id == clinic_id, callbacks.c.id == callback_id
                    )
                )
            ).first()
        return _callback(row) if row is not None else None

    async def stats(
        self, clinic_id: str, *, start: datetime | None = None, end: datetime | None = None,
    ) -> Stats:
        """Totals and per-day figures in one SQL round trip.

        Turns are summed per call first (so a call is counted once however many turns it
        had), then per day in the call's own zone; the averages are turn-weighted, so the
        range's averages are the per-day sums added up, not a mean of daily means.
        """
        conds = self._call_filters(clinic_id, start, end)
        nlp_ok = turns.c.nlp_confidence > 0
        asr_ok = turns.c.asr_confidence > 0
        per_call = (
            select(
                cast(func.timezone(calls.c.time_zone, calls.c.started_at), Date).label("day"),
                calls.c.outcome, calls.c.wanted_booking,
                func.count(turns.c.id).label("n_turns"),
                func.coalesce(func.sum(turns.c.latency_ms), 0).label("latency_sum"),
                func.coalesce(func.sum(turns.c.nlp_confidence).filter(nlp_ok), 0).label("nlp_sum"),
                func.count(turns.c.id).filter(nlp_ok).label("nlp_n"),
                func.coalesce(func.sum(turns.c.asr_confidence).filter(asr_ok), 0).label("asr_sum"),
                func.count(turns.c.id).filter(asr_ok).label("asr_n"),
            )
            .select_from(calls.outerjoin(turns, turns.c.call_id == calls.c.id))
            .where(*conds)
            .group_by(calls.c.id)
            .subquery("per_call")
        )
        booked = per_call.c.outcome == int(Outcome.BOOKED)
        per_day = (
            select(
                per_call.c.day,
                func.count().label("calls"),
                func.count().filter(booked).label("bookings"),
                func.count().filter(per_call.c.outcome == int(Outcome.TRANSFERRED))
                .label("transfers"),
                func.count().filter(or_(per_call.c.wanted_booking, booked)).label("wanted"),
                func.sum(per_call.c.n_turns).label("n_turns"),
                func.sum(per_call.c.latency_sum).label("latency_sum"),
                func.sum(per_call.c.nlp_sum).label("nlp_sum"),
                func.sum(per_call.c.nlp_n).label("nlp_n"),
                func.sum(per_call.c.asr_sum).label("asr_sum"),
                func.sum(per_call.c.asr_n).label("asr_n"),
            )
            .group_by(per_call.c.day)
            .subquery("per_day")
        )
        n_callbacks = (
            select(func.count().label("n")).select_from(callbacks).where(
                callbacks.c.clinic_id == clinic_id,
                *([callbacks.c.created_at >= start] if start else []),
                *([callbacks.c.created_at < end] if end else []),
            ).subquery("n_callbacks")
        )
        # The call-back count rides along on every day row (and on a lone row of NULL day
        # columns when the range has no calls), keeping this a single statement.
        query = (
            select(n_callbacks.c.n, per_day)
            .select_from(n_callbacks.outerjoin(per_day, true()))
            .order_by(per_day.c.day)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        stats = Stats(callbacks=int(rows[0].n) if rows else 0)
        wanted = n_turns = nlp_n = asr_n = 0
        latency_sum = nlp_sum = asr_sum = 0.0
        for r in rows:
            if r.day is None:
                continue
            d = DayStat(date=r.day.isoformat(), calls=int(r.calls), bookings=int(r.bookings),
                        transfers=int(r.transfers), turns=int(r.n_turns))
            if d.turns:
                d.avg_turn_latency_ms = float(r.latency_sum) / d.turns
            if r.nlp_n:
                d.avg_nlp_confidence = float(r.nlp_sum) / int(r.nlp_n)
            stats.days.append(d)
            stats.calls += d.calls
            stats.bookings += d.bookings
            stats.transfers += d.transfers
            wanted += int(r.wanted)
            n_turns += d.turns
            latency_sum += float(r.latency_sum)
            nlp_sum, nlp_n = nlp_sum + float(r.nlp_sum), nlp_n + int(r.nlp_n)
            asr_sum, asr_n = asr_sum + float(r.asr_sum), asr_n + int(r.asr_n)
        stats.conversion_rate = stats.bookings / wanted if wanted else 0.0
        stats.avg_turn_latency_ms = latency_sum / n_turns if n_turns else 0.0
        stats.avg_nlp_confidence = nlp_sum / nlp_n if nlp_n else 0.0
        stats.avg_asr_confidence = asr_sum / asr_n if asr_n else 0.0
        return stats


class RecordWriter:
    """Writes call starts and turns in small batches, after the webhook has answered.

    On this kind of machine every round trip to PostgreSQL costs about a millisecond of
    system time, so a batch (one transaction, two pipelined statements) written every
    ``delay`` seconds keeps turn records off the caller's critical path. Records wait
    in memory for at most ``delay``; ``flush`` writes them now (status callbacks,
    call-backs and shutdown call it first, so they always find their call).
    """

    def __init__(self, records: CallRecords, *, delay: float = 0.05,
                 max_queue: int = 20_000) -> None:
        self.records = records
        self.delay = delay
        self.max_queue = max_queue
        self._calls: list[dict[str, Any]] = []
        self._turns: list[dict[str, Any]] = []
        self._lock = asyncio.Lock()
        self._timer: asyncio.Task[None] | None = None

    def start_call(self, *, call_sid: str, clinic_id: str, time_zone: str, from_phone: str,
                   to_phone: str, started_at: datetime, trace_id: str) -> None:
        self._calls.append({
            "id": str(uuid.uuid4()), "call_sid": call_sid, "clinic_id": clinic_id,
            "time_zone": time_zone, "from_phone": from_phone, "to_phone": to_phone,
            "started_at": started_at, "trace_id": trace_id})
        self._schedule()

    def add_turn(self, call_sid: str, turn: TurnRecord, *, outcome: int = 0,
                 appointment_id: str = "", wanted_booking: bool = False) -> None:
        if len(self._turns) >= self.max_queue:
            log.warning("records.queue_full")
            return
        self._turns.append({
            "sid": call_sid, "idx": turn.index, "at": turn.at, "expect": turn.expect,
            "caller_text": turn.caller_text, "asr": turn.asr_confidence,
            "understood": turn.understood_json, "nlp": turn.nlp_confidence,
            "bella": turn.bella_text, "latency": turn.latency_ms, "state": turn.state,
            "outcome": int(outcome), "appt": appointment_id, "wanted": wanted_booking,
            "ranks": _RANK_ORDER})
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is None or self._timer.done():
            self._timer = asyncio.ensure_future(self._flush_later())

    async def _flush_later(self) -> None:
        await asyncio.sleep(self.delay)
        await self.flush()

    @property
    def pending(self) -> int:
        return len(self._calls) + len(self._turns)

    async def flush(self) -> None:
        async with self._lock:
            while self._calls or self._turns:
                new_calls, self._calls = self._calls, []
                new_turns, self._turns = self._turns, []
                try:
                    # No spans: the batch is nobody's turn (it would join whichever request
                    # scheduled it), and it is off every caller's path.
                    with suppress_instrumentation():
                        await self._write(new_calls, new_turns)
                except Exception as exc:
                    # PostgreSQL is away: keep the records for the next attempt, bounded.
                    log.warning("records.write_failed", error=type(exc).__name__,
                                pending=len(new_calls) + len(new_turns))
                    if len(self._turns) + len(new_turns) < self.max_queue:
                        self._calls[:0] = new_calls
                        self._turns[:0] = new_turns
                    self._schedule_retry()
                    return

    async def _write(self, new_calls: list[dict[str, Any]],
                     new_turns: list[dict[str, Any]]) -> None:
        async with self.records.engine.begin() as conn:
            if new_calls:
                await conn.execute(
                    insert(calls).on_conflict_do_nothing(index_elements=["call_sid"]), new_calls)
            if new_turns:
                await conn.execute(_ADD_TURN, new_turns)

    def _schedule_retry(self) -> None:
        async def later() -> None:
            await asyncio.sleep(1.0)
            await self.flush()

        self._timer = asyncio.ensure_future(later())
