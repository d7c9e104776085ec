"""gRPC server wiring: grpc.aio, the standard health service, reflection and
a graceful shutdown on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field

import grpc
import structlog
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

log = structlog.get_logger(__name__)

MAX_MESSAGE_BYTES = 4 * 1024 * 1024


@dataclass
class GrpcServer:
    """A started server plus its health servicer, so readiness can be flipped."""

    server: grpc.aio.Server
    health: health.aio.HealthServicer
    port: int
    service_names: Sequence[str] = field(default_factory=tuple)

    async def set_serving(self, serving: bool) -> None:
        status = (
            health_pb2.HealthCheckResponse.SERVING
            if serving
            else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for name in ("", *self.service_names):
            await self.health.set(name, status)

    async def stop(self, grace: float) -> None:
        await self.set_serving(False)
        await self.server.stop(grace)


async def start_grpc_server(
    *,
    host: str,
    port: int,
    register: Callable[[grpc.aio.Server], None],
    service_names: Iterable[str],
) -> GrpcServer:
    """Start a grpc.aio server with health and reflection. Port 0 picks a free port."""
    server = grpc.aio.server(
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.so_reuseport", 0),
        ],
    )
    register(server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = tuple(service_names)
    reflection.enable_server_reflection(
        (*names, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
         reflection.SERVICE_NAME),
        server,
    )
    bound = server.add_insecure_port(f"{host}:{port}")
    if bound == 0:
        raise OSError(f"cannot bind gRPC port {host}:{port}")
    await server.start()
    started = GrpcServer(server=server, health=health_servicer, port=bound, service_names=names)
    await started.set_serving(True)
    log.info("grpc.started", port=bound, services=list(names))
    return started


def install_shutdown_handler() -> asyncio.Event:
    """An event set on SIGTERM or SIGINT, for a main loop to await."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def run_until_signalled(
    *servers: GrpcServer,
    grace: float,
    on_stop: Sequence[Callable[[], Awaitable[object]]] = (),
) -> None:
    stop = install_shutdown_handler()
    await stop.wait()
    log.info("shutdown.requested", grace_seconds=grace)
    await asyncio.gather(*(s.stop(grace) for s in servers))
    for hook in on_stop:
        await hook()
    log.info("shutdown.done")
