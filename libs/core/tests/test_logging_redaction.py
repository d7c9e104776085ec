"""Logs are JSON lines that lead to their trace and never carry a caller's phone or name."""

from __future__ import annotations

import io
import json
import logging

import structlog
from bella_core.logging import configure_logging, xray_trace_id
from bella_core.redaction import scrub_attributes, scrub_mapping, scrub_text
from opentelemetry.sdk.extension.aws.trace import AwsXRayIdGenerator
from opentelemetry.sdk.trace import TracerProvider


def _lines(stream: io.StringIO) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_log_lines_carry_xray_trace_id_and_no_pii() -> None:
    stream = io.StringIO()
    configure_logging("Voice", "INFO", stream=stream)
    tracer = TracerProvider(id_generator=AwsXRayIdGenerator()).get_tracer("t")
    log = structlog.get_logger()
    try:
        with tracer.start_as_current_span("turn") as span:
            log.info(
                "caller +1 (647) 555-0100 asked to book",
                caller_name="Jane Doe",
                From="+16475550100",
                clinic_id="toronto",
                detail={"phone": "6045550100", "slot": "2026-12-01"},
            )
            try:
                raise ValueError("no patient for 647-555-0100")
            except ValueError:
                logging.getLogger("bella.voice").exception("lookup failed")
    finally:
        structlog.contextvars.clear_contextvars()
    structured, stdlib = _lines(stream)
    raw = stream.getvalue()
    assert "5550100" not in raw and "Jane" not in raw
    ctx = span.get_span_context()
    assert structured["trace_id"] == xray_trace_id(ctx.trace_id)
    assert structured["span_id"] == f"{ctx.span_id:016x}"
    assert structured["service"] == "Voice"
    assert structured["clinic_id"] == "toronto"
    assert structured["detail"] == {"phone": "[redacted]", "slot": "2026-12-01"}
    assert stdlib["event"] == "lookup failed"
    assert stdlib["trace_id"] == structured["trace_id"]
    assert "ValueError" in stdlib["exception"]


def test_scrub_text_masks_phone_shapes_but_keeps_dates_and_ids() -> None:
    for phone in ["+16475550100", "647-555-0100", "(647) 555 0100", "%2B16475550100", "5550100"]:
        assert "555" not in scrub_text(f"x {phone} y"), phone
    for kept in ["2026-11-26", "2026-11-26T10:00:00Z", "order 123456", "1-6745a3b2-abc"]:
        assert scrub_text(kept) == kept
    assert scrub_text("From=%2B1647&SpeechResult=my+name+is+Jane&To=x") == (
        "From=[redacted]&SpeechResult=[redacted]&To=x"
    )


def test_scrub_mapping_by_key_and_span_attribute_keys_by_last_segment() -> None:
    assert scrub_mapping({"name": "Jane", "utterance": "hi", "clinic": "toronto"}) == {
        "name": "[redacted]",
        "utterance": "[redacted]",
        "clinic": "toronto",
    }
    scrubbed = scrub_attributes(
        {"bella.caller.phone": "x", "db.name": "bella", "rpc.method": "Book", "a.transcript": "t"}
    )
    assert scrubbed == {
        "bella.caller.phone": "[redacted]",
        "db.name": "bella",
        "rpc.method": "Book",
        "a.transcript": "[redacted]",
    }
