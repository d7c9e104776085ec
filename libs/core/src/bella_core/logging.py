"""Structured JSON logs carrying the X-Ray-format trace id, with PII redacted."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog
from opentelemetry import trace

from bella_core.redaction import scrub_mapping

_KEEP = frozenset({"event", "level", "timestamp", "logger", "trace_id", "span_id", "xray_trace_id"})


def xray_trace_id(trace_id: int) -> str:
    """OTel's 128-bit id in X-Ray's ``1-<8 hex epoch>-<24 hex>`` form."""
    hexid = f"{trace_id:032x}"
    return f"1-{hexid[:8]}-{hexid[8:]}"


def _add_trace_ids(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    ctx = trace.get_current_span().get_span_context()
    if ctx.is_valid:
        event["trace_id"] = xray_trace_id(ctx.trace_id)
        event["span_id"] = f"{ctx.span_id:016x}"
    return event


def _redact(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    kept = {k: v for k, v in event.items() if k in _KEEP}
    scrubbed = scrub_mapping({k: v for k, v in event.items() if k not in _KEEP})
    if isinstance(kept.get("event"), str):
        kept["event"] = scrub_mapping({"event": kept["event"]})["event"]
    return {**scrubbed, **kept}


def configure_logging(service: str, level: str = "INFO", stream: Any = None) -> None:
    """JSON lines on stdout (stderr for the standard library's own loggers)."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_trace_ids,
        structlog.processors.format_exc_info,
        _redact,
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.JSONRenderer()],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(stream or sys.stdout),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.JSONRenderer(),
            ],
            foreign_pre_chain=shared,
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Access logs would carry query strings and client addresses; request spans cover them.
    logging.getLogger("uvicorn.access").disabled = True
