"""What staff would see: call records and call-backs, read through voice's gRPC API."""

from __future__ import annotations

from bella.v1 import calls_pb2, calls_pb2_grpc, common_pb2
from bella_core.grpc_client import open_channel


async def list_callbacks(voice_address: str, clinic_id: str) -> list[calls_pb2.Callback]:
    channel = open_channel(voice_address)
    try:
        stub = calls_pb2_grpc.CallRecordServiceStub(channel)
        resp = await stub.ListCallbacks(
            calls_pb2.ListCallbacksRequest(
                clinic_id=clinic_id,
                include_resolved=True,
                page=common_pb2.PageRequest(page_size=500),
            ),
            timeout=5,
        )
        return list(resp.callbacks)
    finally:
        await channel.close()


async def list_calls(voice_address: str, clinic_id: str) -> list[calls_pb2.Call]:
    channel = open_channel(voice_address)
    found: list[calls_pb2.Call] = []
    try:
        stub = calls_pb2_grpc.CallRecordServiceStub(channel)
        token = ""
        while True:
            resp = await stub.ListCalls(
                calls_pb2.ListCallsRequest(
                    clinic_id=clinic_id,
                    page=common_pb2.PageRequest(page_size=500, page_token=token),
                ),
                timeout=5,
            )
            found.extend(resp.calls)
            token = resp.next_page_token
            if not token or not resp.calls:
                return found
    finally:
        await channel.close()


async def get_call(voice_address: str, clinic_id: str, call_sid: str) -> calls_pb2.Call:
    channel = open_channel(voice_address)
    try:
        stub = calls_pb2_grpc.CallRecordServiceStub(channel)
        return await stub.GetCall(
            calls_pb2.GetCallRequest(clinic_id=clinic_id, call_id=call_sid), timeout=5
        )
    finally:
        await channel.close()
