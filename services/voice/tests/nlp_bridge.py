"""Temporary: serves the NLP service's own rules engine (bella_nlp.extractor) over the
real NlpService contract while that service's gRPC server is not in the tree yet."""

from __future__ import annotations

from bella.v1 import nlp_pb2, nlp_pb2_grpc
from bella_core.grpc_server import GrpcServer, start_grpc_server

_EXPECT = {1: "intent", 2: "name", 3: "phone", 4: "datetime", 5: "service", 6: "confirm"}
_INTENT = {"book": 1, "cancel": 2, "reschedule": 3, "human": 4, "info": 5}
_PART = {"morning": 1, "afternoon": 2, "evening": 3}
_YN = {"yes": 1, "no": 2}


class _Servicer(nlp_pb2_grpc.NlpServiceServicer):
    async def Extract(self, request, context):  # type: ignore[no-untyped-def]
        from bella_nlp.extractor import extract

        r = extract(request.text, _EXPECT.get(request.expect, "intent"),
                    request.now.ToDatetime().replace(tzinfo=__import__("datetime").UTC),
                    request.time_zone)
        c = r.confidence
        return nlp_pb2.ExtractResponse(
            intent=_INTENT.get(r.intent or "", 0), name=r.name or "", phone=r.phone or "",
            date=r.date or "", time=r.time or "", part_of_day=_PART.get(r.part_of_day or "", 0),
            service=r.service or "", confirm=_YN.get(r.confirm or "", 0),
            cleaned_text=r.cleaned_text,
            confidence=nlp_pb2.FieldConfidence(
                intent=c.intent, name=c.name, phone=c.phone, date=c.date, time=c.time,
                part_of_day=c.part_of_day, service=c.service, confirm=c.confirm),
            engine="rules")


async def start_engine_server() -> GrpcServer:
    return await start_grpc_server(
        host="127.0.0.1", port=0,
        register=lambda s: nlp_pb2_grpc.add_NlpServiceServicer_to_server(_Servicer(), s),
        service_names=["bella.v1.NlpService"])
