"""bella.v1.NlpService over grpc.aio: protobuf in and out, the engine in between."""

from __future__ import annotations

import datetime as dt

import grpc
from bella.v1 import nlp_pb2, nlp_pb2_grpc

from bella_nlp.cleaning import MAX_TEXT_BYTES
from bella_nlp.engine import NlpEngine, TextTooLong
from bella_nlp.result import Extraction

SERVICE_NAME = nlp_pb2.DESCRIPTOR.services_by_name["NlpService"].full_name

_EXPECT = {
    nlp_pb2.EXPECT_INTENT: "intent",
    nlp_pb2.EXPECT_NAME: "name",
    nlp_pb2.EXPECT_PHONE: "phone",
    nlp_pb2.EXPECT_DATETIME: "datetime",
    nlp_pb2.EXPECT_SERVICE: "service",
    nlp_pb2.EXPECT_CONFIRM: "confirm",
}
_INTENT = {
    "book": nlp_pb2.INTENT_BOOK,
    "cancel": nlp_pb2.INTENT_CANCEL,
    "reschedule": nlp_pb2.INTENT_RESCHEDULE,
    "human": nlp_pb2.INTENT_HUMAN,
    "info": nlp_pb2.INTENT_INFO,
}
_POD = {
    "morning": nlp_pb2.PART_OF_DAY_MORNING,
    "afternoon": nlp_pb2.PART_OF_DAY_AFTERNOON,
    "evening": nlp_pb2.PART_OF_DAY_EVENING,
}
_CONFIRM = {"yes": nlp_pb2.YES_NO_YES, "no": nlp_pb2.YES_NO_NO}


def to_response(result: Extraction, cached: bool) -> nlp_pb2.ExtractResponse:
    c = result.confidence
    return nlp_pb2.ExtractResponse(
        intent=_INTENT.get(result.intent or "", nlp_pb2.INTENT_UNSPECIFIED),
        name=result.name or "",
        phone=result.phone or "",
        date=result.date or "",
        time=result.time or "",
        part_of_day=_POD.get(result.part_of_day or "", nlp_pb2.PART_OF_DAY_UNSPECIFIED),
        service=result.service or "",
        confirm=_CONFIRM.get(result.confirm or "", nlp_pb2.YES_NO_UNSPECIFIED),
        cleaned_text=result.cleaned_text,
        confidence=nlp_pb2.FieldConfidence(
            intent=c.intent, name=c.name, phone=c.phone, date=c.date, time=c.time,
            part_of_day=c.part_of_day, service=c.service, confirm=c.confirm,
        ),
        engine=result.engine,
        cached=cached,
    )


class NlpServicer(nlp_pb2_grpc.NlpServiceServicer):
    def __init__(self, engine: NlpEngine) -> None:
        self.engine = engine

    async def Extract(
        self, request: nlp_pb2.ExtractRequest, context: grpc.aio.ServicerContext
    ) -> nlp_pb2.ExtractResponse:
        if len(request.text.encode("utf-8")) > MAX_TEXT_BYTES:
            await context.abort(
                grpc.StatusCode.INVALID_ARGUMENT, f"text is longer than {MAX_TEXT_BYTES} bytes"
            )
        now = (
            request.now.ToDatetime(tzinfo=dt.UTC)
            if request.HasField("now") and (request.now.seconds or request.now.nanos)
            else None
        )
        try:
            result, cached = await self.engine.extract(
                request.text, _EXPECT.get(request.expect, "intent"), now, request.time_zone
            )
        except TextTooLong:
            await context.abort(
                grpc.StatusCode.INVALID_ARGUMENT, f"text is longer than {MAX_TEXT_BYTES} bytes"
            )
        return to_response(result, cached)
