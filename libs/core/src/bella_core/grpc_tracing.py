"""gRPC spans made where calls are made and served, not by grpc.aio interceptors.

Any grpc.aio interceptor, even one that only passes the call on, sends every call through
grpc's intercepted-call machinery (an extra task and wrapper objects per call): on a
2-core machine a pass-through client and server interceptor pair cost about 0.3 ms per call,
half as much again as the call itself, whether a span is recorded or not. The OpenTelemetry
gRPC instrumentation only comes as such interceptors, so Bella makes the same spans itself:

- :class:`TracedChannel` wraps a ``grpc.aio.Channel``; stubs built on it open a CLIENT span
  per unary call and send its context (W3C and X-Ray headers) in the call's metadata;
- :func:`traced_servicer` wraps a servicer so each RPC runs in a SERVER span continuing
  the caller's context from the invocation metadata.

Span names and attributes are the instrumentation's (``/bella.v1.NlpService/Extract``,
``rpc.system``, ``rpc.service``, ``rpc.method``, ``rpc.grpc.status_code``), so X-Ray and the
tests see the same trace either way. Error details are never put on a span: a gRPC status
message may quote what a caller said.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import grpc
from google.protobuf.descriptor import ServiceDescriptor
from opentelemetry import trace
from opentelemetry.propagate import extract, inject
from opentelemetry.propagators.textmap import Getter, Setter
from opentelemetry.trace import SpanKind, Status, StatusCode


class _MetadataSetter(Setter[list[tuple[str, str]]]):
    def set(self, carrier: list[tuple[str, str]], key: str, value: str) -> None:
        # gRPC refuses metadata keys with capitals ("X-Amzn-Trace-Id").
        carrier.append((key.lower(), value))


class _MetadataGetter(Getter[Mapping[str, str]]):
    def get(self, carrier: Mapping[str, str], key: str) -> list[str] | None:
        value = carrier.get(key.lower())
        return None if value is None else [value]

    def keys(self, carrier: Mapping[str, str]) -> list[str]:
        return list(carrier)


_SETTER = _MetadataSetter()
_GETTER = _MetadataGetter()


def _rpc_attributes(full_method: str) -> dict[str, Any]:
    service, _, method = full_method.lstrip("/").partition("/")
    return {"rpc.system": "grpc", "rpc.service": service, "rpc.method": method}


def _failed(span: trace.Span, code: grpc.StatusCode) -> None:
    span.set_attribute("rpc.grpc.status_code", code.value[0])
    span.set_status(Status(StatusCode.ERROR, code.name))


class _TracedUnaryUnary:
    """A unary-unary multicallable whose calls run in a CLIENT span."""

    def __init__(self, inner: Any, method: str, tracer: trace.Tracer) -> None:
        self._inner = inner
        self._name = method
        self._tracer = tracer
        self._attributes = _rpc_attributes(method)

    def __call__(
        self, request: Any, *, metadata: Iterable[tuple[str, str]] | None = None, **kwargs: Any
    ) -> Awaitable[Any]:
        return self._invoke(request, metadata, kwargs)

    async def _invoke(
        self, request: Any, metadata: Iterable[tuple[str, str]] | None, kwargs: dict[str, Any]
    ) -> Any:
        with self._tracer.start_as_current_span(
            self._name, kind=SpanKind.CLIENT, attributes=self._attributes,
            record_exception=False, set_status_on_exception=False,
        ) as span:  # fmt: skip
            carrier = list(metadata or ())
            # Even an unsampled span's context goes on: the server keeps the decision.
            inject(carrier, setter=_SETTER)
            try:
                response = await self._inner(request, metadata=carrier, **kwargs)
            except grpc.aio.AioRpcError as exc:
                _failed(span, exc.code())
                raise
            except BaseException:
                span.set_status(Status(StatusCode.ERROR))
                raise
            span.set_attribute("rpc.grpc.status_code", grpc.StatusCode.OK.value[0])
            return response


class TracedChannel:
    """A ``grpc.aio.Channel`` whose unary-unary calls are traced; everything else is the
    channel's own (``close``, ``channel_ready``, the other call shapes)."""

    def __init__(self, channel: grpc.aio.Channel, tracer: trace.Tracer) -> None:
        self._channel = channel
        self._tracer = tracer

    def unary_unary(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return _TracedUnaryUnary(
            self._channel.unary_unary(method, *args, **kwargs), method, self._tracer
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._channel, name)

    async def __aenter__(self) -> TracedChannel:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._channel.close()


Handler = Callable[[Any, grpc.aio.ServicerContext], Awaitable[Any]]


def _traced_handler(full_method: str, handler: Handler, tracer: trace.Tracer) -> Handler:
    attributes = _rpc_attributes(full_method)

    async def traced(request: Any, context: grpc.aio.ServicerContext) -> Any:
        carrier = {key: value for key, value in (context.invocation_metadata() or ())
                   if isinstance(value, str)}  # fmt: skip
        with tracer.start_as_current_span(
            full_method, context=extract(carrier, getter=_GETTER), kind=SpanKind.SERVER,
            attributes=attributes, record_exception=False, set_status_on_exception=False,
        ) as span:  # fmt: skip
            try:
                response = await handler(request, context)
            except grpc.aio.AbortError:
                # context.abort() set the status; it is the RPC's outcome, not a crash.
                _failed(span, context.code() or grpc.StatusCode.UNKNOWN)
                raise
            except BaseException:
                _failed(span, grpc.StatusCode.UNKNOWN)
                raise
            code = context.code() or grpc.StatusCode.OK
            if code is grpc.StatusCode.OK:
                span.set_attribute("rpc.grpc.status_code", code.value[0])
            else:
                _failed(span, code)
            return response

    return traced


class _TracedServicer:
    def __init__(self, servicer: object, service: ServiceDescriptor, tracer: trace.Tracer):
        for method in service.methods:
            handler = getattr(servicer, method.name)
            full = f"/{service.full_name}/{method.name}"
            setattr(self, method.name, _traced_handler(full, handler, tracer))


def traced_servicer(servicer: object, service: ServiceDescriptor, tracer: trace.Tracer) -> Any:
    """``servicer`` with each of ``service``'s RPCs in a SERVER span; register the result
    in its place (``add_NlpServiceServicer_to_server(traced_servicer(...), server)``)."""
    return _TracedServicer(servicer, service, tracer)
