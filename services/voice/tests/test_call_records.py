"""Call records through the real CallRecordService on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import grpc
import pytest
from bella.v1 import calls_pb2, calls_pb2_grpc, common_pb2
from bella_voice.callrecord_service import start_call_record_server
from bella_voice.migrate import migrate
from bella_voice.records import CallRecords, Outcome, TurnRecord
from bella_voice.settings import VoiceSettings


@pytest.fixture(scope="module")
async def records(database_url: str):
    migrate(database_url)
    migrate(database_url)  # idempotent
    store = CallRecords.from_url(database_url)
    yield store
    await store.close()


@pytest.fixture(scope="module")
async def stub(records: CallRecords, database_url: str):
    settings = VoiceSettings(database_url=database_url, host="127.0.0.1")
    server = await start_call_record_server(settings, records=records, port=0)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{server.port}")
    yield calls_pb2_grpc.CallRecordServiceStub(channel)
    await channel.close()
    await server.stop(0)


async def _make_call(records: CallRecords, sid: str, clinic: str = "toronto") -> None:
    t0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    await records.start_call(
        call_sid=sid, clinic_id=clinic, time_zone="America/Toronto", from_phone="+14165550199",
        to_phone="+16475550100", started_at=t0, trace_id="1-5f000000-000000000000000000000001",
    )
    await records.add_turn(sid, TurnRecord(index=0, at=t0, bella_text="Hi, Bella here."))
    await records.add_turn(
        sid,
        TurnRecord(index=1, at=t0 + timedelta(seconds=5), expect="intent",
                   caller_text="book a cleaning", asr_confidence=0.9, nlp_confidence=0.8,
                   bella_text="Sure.", latency_ms=12),
        wanted_booking=True,
    )
    # A retried webhook stores nothing twice.
    await records.add_turn(sid, TurnRecord(index=1, at=t0, caller_text="again"))
    await records.add_turn(sid, TurnRecord(index=2, at=t0 + timedelta(seconds=9)),
                           outcome=Outcome.BOOKED, appointment_id="appt-1")
    await records.add_turn(sid, TurnRecord(index=3, at=t0 + timedelta(seconds=12)),
                           outcome=Outcome.INFO)


async def test_call_with_turns_is_served_to_its_clinic_only(records, stub) -> None:
    await _make_call(records, "CA-rec-1")
    ended = await records.end_call("CA-rec-1", status="completed", duration_seconds=42,
                                   ended_at=datetime(2026, 11, 20, 15, 1, tzinfo=UTC))
    assert ended == (Outcome.BOOKED, "toronto")
    call = await stub.GetCall(calls_pb2.GetCallRequest(clinic_id="toronto", call_id="CA-rec-1"))
    assert call.outcome == calls_pb2.CALL_OUTCOME_BOOKED  # INFO afterwards does not demote it
    assert call.appointment_id == "appt-1"
    assert [t.index for t in call.turns] == [0, 1, 2, 3]
    assert call.turns[1].caller_text == "book a cleaning"
    assert call.duration_seconds == 42 and not call.in_progress
    assert call.trace_id.startswith("1-")
    by_id = await stub.GetCall(calls_pb2.GetCallRequest(clinic_id="toronto", call_id=call.id))
    assert by_id.call_sid == "CA-rec-1"
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.GetCall(calls_pb2.GetCallRequest(clinic_id="vancouver", call_id="CA-rec-1"))
    assert err.value.code() == grpc.StatusCode.NOT_FOUND

    listed = await stub.ListCalls(calls_pb2.ListCallsRequest(
        clinic_id="toronto", outcomes=[calls_pb2.CALL_OUTCOME_BOOKED]))
    assert "CA-rec-1" in [c.call_sid for c in listed.calls]
    assert all(not c.turns for c in listed.calls)


async def test_call_that_did_nothing_is_abandoned(records, stub) -> None:
    t0 = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
    await records.start_call(call_sid="CA-rec-2", clinic_id="toronto", time_zone="UTC",
                             from_phone="", to_phone="", started_at=t0, trace_id="")
    ended = await records.end_call("CA-rec-2", status="completed", duration_seconds=None,
                                   ended_at=t0 + timedelta(seconds=7))
    assert ended == (Outcome.ABANDONED, "toronto")
    # A second status callback does not count the call again.
    assert await records.end_call("CA-rec-2", status="completed", duration_seconds=None,
                                  ended_at=t0 + timedelta(seconds=7)) is None
    call = await stub.GetCall(calls_pb2.GetCallRequest(clinic_id="toronto", call_id="CA-rec-2"))
    assert call.outcome == calls_pb2.CALL_OUTCOME_ABANDONED and call.duration_seconds == 7


async def test_callbacks_list_resolve_and_stats(records, stub) -> None:
    await _make_call(records, "CA-rec-3", clinic="records-east")
    now = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    for _ in range(2):  # retried: one call-back per call
        await records.add_callback(clinic_id="records-east", call_sid="CA-rec-3", name="Jane Doe",
                                   phone="+16045550123", reason="book cleaning", created_at=now)
    open_ = await stub.ListCallbacks(calls_pb2.ListCallbacksRequest(clinic_id="records-east"))
    assert [(c.name, c.phone) for c in open_.callbacks] == [("Jane Doe", "+16045550123")]
    other = await stub.ListCallbacks(calls_pb2.ListCallbacksRequest(clinic_id="records-west"))
    assert other.total == 0
    cb = open_.callbacks[0]
    resolved = await stub.ResolveCallback(calls_pb2.ResolveCallbackRequest(
        clinic_id="records-east", callback_id=cb.id, resolved_by="staff-1"))
    assert resolved.resolved and resolved.resolved_by == "staff-1"
    assert (await stub.ListCallbacks(calls_pb2.ListCallbacksRequest(
        clinic_id="records-east"))).total == 0
    assert (await stub.ListCallbacks(calls_pb2.ListCallbacksRequest(
        clinic_id="records-east", include_resolved=True))).total == 1
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ResolveCallback(calls_pb2.ResolveCallbackRequest(
            clinic_id="records-west", callback_id=cb.id, resolved_by="x"))
    assert err.value.code() == grpc.StatusCode.NOT_FOUND

    rng = common_pb2.TimeRange()
    rng.start.FromDatetime(datetime(2026, 11, 20, tzinfo=UTC))
    rng.end.FromDatetime(datetime(2026, 11, 21, tzinfo=UTC))
    stats = await stub.GetCallStats(calls_pb2.GetCallStatsRequest(clinic_id="records-east",
                                                                   range=rng))
    assert stats.calls == 1 and stats.bookings == 1 and stats.callbacks == 1
    assert stats.conversion_rate == pytest.approx(1.0)
    assert stats.avg_asr_confidence == pytest.approx(0.9)
    assert [d.date for d in stats.days] == ["2026-11-20"]


async def test_stats_per_day_in_the_clinic_zone(records, stub) -> None:
    clinic, zone = "records-days", "America/Vancouver"
    late = datetime(2026, 11, 21, 6, 30, tzinfo=UTC)  # 22:30 on the 20th in Vancouver
    morning = datetime(2026, 11, 21, 18, 0, tzinfo=UTC)  # 10:00 on the 21st
    for sid, at in (("CA-day-1", late), ("CA-day-2", morning),
                    ("CA-day-3", morning + timedelta(hours=1))):
        await records.start_call(call_sid=sid, clinic_id=clinic, time_zone=zone, from_phone="",
                                 to_phone="", started_at=at, trace_id="")
    await records.add_turn("CA-day-1", TurnRecord(index=0, at=late, latency_ms=100,
                                                   nlp_confidence=0.8, asr_confidence=0.9))
    # No understanding (0) does not drag the day's confidence down; its latency still counts.
    await records.add_turn("CA-day-1", TurnRecord(index=1, at=late, latency_ms=300))
    await records.add_turn("CA-day-2", TurnRecord(index=0, at=morning, latency_ms=600,
                                                   nlp_confidence=0.6, asr_confidence=0.7),
                           outcome=Outcome.TRANSFERRED)
    # CA-day-3 has no turns: it counts as a call but adds no latency.

    rng = common_pb2.TimeRange()
    rng.start.FromDatetime(datetime(2026, 11, 20, 8, tzinfo=UTC))  # midnight, Vancouver
    rng.end.FromDatetime(datetime(2026, 11, 22, 8, tzinfo=UTC))
    stats = await stub.GetCallStats(calls_pb2.GetCallStatsRequest(clinic_id=clinic, range=rng))
    days = {d.date: d for d in stats.days}
    assert list(days) == ["2026-11-20", "2026-11-21"]
    first, second = days["2026-11-20"], days["2026-11-21"]
    assert (first.calls, first.transfers, first.turns) == (1, 0, 2)
    assert first.avg_turn_latency_ms == pytest.approx(200.0)
    assert first.avg_nlp_confidence == pytest.approx(0.8)
    assert (second.calls, second.transfers, second.turns) == (2, 1, 1)
    assert second.avg_turn_latency_ms == pytest.approx(600.0)
    assert second.avg_nlp_confidence == pytest.approx(0.6)
    # The range's averages weigh every turn, not every day.
    assert stats.calls == 3 and stats.transfers == 1
    assert stats.avg_turn_latency_ms == pytest.approx(1000 / 3)
    assert stats.avg_nlp_confidence == pytest.approx(0.7)
    assert stats.avg_asr_confidence == pytest.approx(0.8)

    # A range without calls still counts its call-backs.
    quiet = common_pb2.TimeRange()
    quiet.start.FromDatetime(datetime(2026, 12, 1, tzinfo=UTC))
    quiet.end.FromDatetime(datetime(2026, 12, 2, tzinfo=UTC))
    await records.add_callback(clinic_id=clinic, call_sid="CA-day-none", name="A", phone="",
                               reason="", created_at=datetime(2026, 12, 1, 12, tzinfo=UTC))
    empty = await stub.GetCallStats(calls_pb2.GetCallStatsRequest(clinic_id=clinic, range=quiet))
    assert (empty.calls, empty.callbacks, list(empty.days)) == (0, 1, [])
    assert empty.avg_turn_latency_ms == 0.0


async def test_paging(records, stub) -> None:
    t0 = datetime(2026, 10, 1, tzinfo=UTC)
    for i in range(5):
        await records.start_call(call_sid=f"CA-page-{i}", clinic_id="paging", time_zone="UTC",
                                 from_phone="", to_phone="", started_at=t0 + timedelta(minutes=i),
                                 trace_id="")
    seen: list[str] = []
    token = ""
    while True:
        resp = await stub.ListCalls(calls_pb2.ListCallsRequest(
            clinic_id="paging", page=common_pb2.PageRequest(page_size=2, page_token=token)))
        seen += [c.call_sid for c in resp.calls]
        assert resp.total == 5
        token = resp.next_page_token
        if not token:
            break
    assert seen == [f"CA-page-{i}" for i in reversed(range(5))]
