"""gRPC client channels: a retry policy for idempotent methods in the
channel's service config, and helpers that always set a deadline.

gRPC has no deadline unless one is set, so every call in Bella goes through
a stub created here with an explicit ``timeout=``. Non-idempotent methods
(booking) are never retried or hedged: retrying them is the caller's job,
with an idempotency key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc


def retry_service_config(
    idempotent: Iterable[tuple[str, str]],
    *,
    max_attempts: int = 3,
    initial_backoff: float = 0.05,
    max_backoff: float = 0.5,
) -> str:
    """A service config retrying UNAVAILABLE for the given (service, method) pairs.

    ``method`` may be "" to cover every method of the service.
    """
    names = [{"service": s, **({"method": m} if m else {})} for s, m in idempotent]
    config = {
        "methodConfig": [
            {
                "name": names,
                "retryPolicy": {
                    "maxAttempts": max_attempts,
                    "initialBackoff": f"{initial_backoff}s",
                    "maxBackoff": f"{max_backoff}s",
                    "backoffMultiplier": 2,
                    "retryableStatusCodes": ["UNAVAILABLE"],
                },
            }
        ]
        if names
        else []
    }
    return json.dumps(config)


def open_channel(
    address: str,
    *,
    idempotent: Sequence[tuple[str, str]] = (),
) -> grpc.aio.Channel:
    options = [
        ("grpc.enable_retries", 1),
        ("grpc.service_config", retry_service_config(idempotent)),
        # Reconnect quickly after a peer restarts instead of backing off for minutes.
        ("grpc.initial_reconnect_backoff_ms", 100),
        ("grpc.max_reconnect_backoff_ms", 2000),
        ("grpc.keepalive_time_ms", 30000),
    ]
    return grpc.aio.insecure_channel(address, options=options)


async def check_health(
    channel: grpc.aio.Channel,
    service: str = "",
    timeout: float = 1.0,  # noqa: ASYNC109 - a gRPC deadline, not an asyncio timeout
) -> bool:
    """True when the peer's standard health service reports SERVING."""
    stub = health_pb2_grpc.HealthStub(channel)
    try:
        resp = await stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=timeout)
    except grpc.aio.AioRpcError:
        return False
    return bool(resp.status == health_pb2.HealthCheckResponse.SERVING)
