"""gRPC CallRecordService: the voice service's call records, for the staff dashboard.

Every request is scoped to its clinic_id; a call or call-back of another
clinic is NOT_FOUND, never returned.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import grpc
from bella.v1 import calls_pb2, calls_pb2_grpc, common_pb2
from bella_core.grpc_server import GrpcServer, start_grpc_server
from google.protobuf.timestamp_pb2 import Timestamp

from bella_voice.records import CallbackRecord, CallRecord, CallRecords

if TYPE_CHECKING:
    from bella_core.telemetry import Telemetry

    from bella_voice.settings import VoiceSettings

SERVICE_NAME = calls_pb2.DESCRIPTOR.services_by_name["CallRecordService"].full_name


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def _range(r: common_pb2.TimeRange, has: bool) -> tuple[datetime | None, datetime | None]:
    if not has:
        return None, None
    start = r.start.ToDatetime(tzinfo=UTC) if r.HasField("start") else None
    end = r.end.ToDatetime(tzinfo=UTC) if r.HasField("end") else None
    return start, end


def call_message(record: CallRecord, *, with_turns: bool = False) -> calls_pb2.Call:
    msg = calls_pb2.Call(
        id=record.id, call_sid=record.call_sid, clinic_id=record.clinic_id,
        from_phone=record.from_phone, duration_seconds=record.duration_seconds,
        status=record.status, outcome=record.outcome,  # type: ignore[arg-type]
        turn_count=record.turn_count, trace_id=record.trace_id,
        appointment_id=record.appointment_id, in_progress=record.in_progress,
        started_at=_ts(record.started_at), ended_at=_ts(record.ended_at),
    )
    if with_turns:
        for t in record.turns:
            msg.turns.append(
                calls_pb2.Turn(
                    index=t.index, at=_ts(t.at), expect=t.expect, caller_text=t.caller_text,
                    asr_confidence=t.asr_confidence, understood_json=t.understood_json,
                    nlp_confidence=t.nlp_confidence, bella_text=t.bella_text,
                    latency_ms=t.latency_ms, state=t.state,
                )
            )
    return msg


def callback_message(record: CallbackRecord) -> calls_pb2.Callback:
    return calls_pb2.Callback(
        id=record.id, clinic_id=record.clinic_id, call_id=record.call_id, name=record.name,
        phone=record.phone, reason=record.reason, created_at=_ts(record.created_at),
        resolved=record.resolved, resolved_at=_ts(record.resolved_at),
        resolved_by=record.resolved_by,
    )


class CallRecordServicer(calls_pb2_grpc.CallRecordServiceServicer):
    def __init__(self, records: CallRecords) -> None:
        self.records = records

    @staticmethod
    async def _need_clinic(clinic_id: str, context: grpc.aio.ServicerContext) -> None:
        if not clinic_id:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, "clinic_id is required")

    async def ListCalls(self, request, context):  # type: ignore[no-untyped-def]
        await self._need_clinic(request.clinic_id, context)
        start, end = _range(request.range, request.HasField("range"))
        rows, token, total = await self.records.list_calls(
            request.clinic_id, start=start, end=end, outcomes=list(request.outcomes),
            in_progress_only=request.in_progress_only, page_size=request.page.page_size,
            page_token=request.page.page_token,
        )
        return calls_pb2.ListCallsResponse(
            calls=[call_message(r) for r in rows], next_page_token=token, total=total
        )

    async def GetCall(self, request, context):  # type: ignore[no-untyped-def]
        await self._need_clinic(request.clinic_id, context)
        record = await self.records.get_call(request.clinic_id, request.call_id)
        if record is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no such call")
        assert record is not None
        return call_message(record, with_turns=True)

    async def ListCallbacks(self, request, context):  # type: ignore[no-untyped-def]
        await self._need_clinic(request.clinic_id, context)
        rows, token, total = await self.records.list_callbacks(
            request.clinic_id, include_resolved=request.include_resolved,
            page_size=request.page.page_size, page_token=request.page.page_token,
        )
        return calls_pb2.ListCallbacksResponse(
            callbacks=[callback_message(r) for r in rows], next_page_token=token, total=total
        )

    async def ResolveCallback(self, request, context):  # type: ignore[no-untyped-def]
        await self._need_clinic(request.clinic_id, context)
        record = await self.records.resolve_callback(
            request.clinic_id, request.callback_id, request.resolved_by
        )
        if record is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no such call-back")
        assert record is not None
        return callback_message(record)

    async def GetCallStats(self, request, context):  # type: ignore[no-untyped-def]
        await self._need_clinic(request.clinic_id, context)
        start, end = _range(request.range, request.HasField("range"))
        s = await self.records.stats(request.clinic_id, start=start, end=end)
        return calls_pb2.CallStats(
            calls=s.calls, bookings=s.bookings, transfers=s.transfers, callbacks=s.callbacks,
            conversion_rate=s.conversion_rate, avg_nlp_confidence=s.avg_nlp_confidence,
            avg_turn_latency_ms=s.avg_turn_latency_ms, avg_asr_confidence=s.avg_asr_confidence,
            days=[
                calls_pb2.DayStats(date=d.date, calls=d.calls, bookings=d.bookings,
                                   transfers=d.transfers, turns=d.turns,
                                   avg_turn_latency_ms=d.avg_turn_latency_ms,
                                   avg_nlp_confidence=d.avg_nlp_confidence)
                for d in s.days
            ],
        )


async def start_call_record_server(
    settings: VoiceSettings,
    telemetry: Telemetry | None = None,
    records: CallRecords | None = None,
    *,
    port: int | None = None,
) -> GrpcServer:
    """Serve CallRecordService (plus health and reflection) in this event loop.

    ``port=0`` picks a free port (read it from ``.port``). Without ``records``
    a pool on ``settings.database_url`` is opened; run ``migrate`` first.
    """
    from bella.v1 import calls_pb2
    from bella_core.telemetry import trace_servicer

    store = records or CallRecords.from_url(settings.database_url)
    servicer = CallRecordServicer(store)
    if telemetry is not None:
        servicer = trace_servicer(
            servicer, calls_pb2.DESCRIPTOR.services_by_name["CallRecordService"], telemetry
        )
    return await start_grpc_server(
        host=settings.host,
        port=settings.voice_grpc_port if port is None else port,
        register=lambda server: calls_pb2_grpc.add_CallRecordServiceServicer_to_server(
            servicer, server
        ),
        service_names=[SERVICE_NAME],
    )
