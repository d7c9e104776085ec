"""A small TCP proxy that adds latency (or black-holes traffic) between services.

Placed between voice and one of its gRPC peers it simulates a slow or hung
dependency without touching the dependency: each chunk read from either side
is held for ``delay`` seconds before it is written on, preserving order.
``delay`` and ``blackhole`` can be changed while connections are open.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field


@dataclass
class LatencyProxy:
    upstream_host: str
    upstream_port: int
    delay: float = 0.0
    blackhole: bool = False
    listen_host: str = "127.0.0.1"
    port: int = 0
    _server: asyncio.base_events.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def address(self) -> str:
        return f"{self.listen_host}:{self.port}"

    async def start(self) -> LatencyProxy:
        self._server = await asyncio.start_server(self._accept, self.listen_host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        self.drop_connections()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    def drop_connections(self) -> None:
        """Close every proxied connection so clients reconnect (and meet the new delay)."""
        for writer in list(self._writers):
            with contextlib.suppress(Exception):
                writer.close()
        self._writers.clear()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(
                self.upstream_host, self.upstream_port
            )
        except OSError:
            writer.close()
            return
        self._writers.update((writer, up_writer))
        a = asyncio.create_task(self._pipe(reader, up_writer))
        b = asyncio.create_task(self._pipe(up_reader, writer))
        self._tasks.update((a, b))
        a.add_done_callback(self._tasks.discard)
        b.add_done_callback(self._tasks.discard)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # A queue with release times keeps order and adds latency without throttling throughput.
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def sender() -> None:
            while True:
                release, data = await queue.get()
                if not data:
                    break
                wait = release - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                while self.blackhole:  # noqa: ASYNC110 - a flag flipped by the test
                    await asyncio.sleep(0.05)
                writer.write(data)
                await writer.drain()

        send_task = asyncio.create_task(sender())
        try:
            while True:
                data = await reader.read(65536)
                await queue.put((loop.time() + self.delay, data))
                if not data:
                    break
            await send_task
        except (ConnectionError, asyncio.CancelledError, OSError):
            pass
        finally:
            send_task.cancel()
            with contextlib.suppress(Exception):
                writer.close()
            self._writers.discard(writer)


class ThreadedProxy:
    """A LatencyProxy on its own event loop thread.

    Tests that block their own loop (hypothesis, schemathesis, plain sync code) must not
    stall the traffic between services, so the proxy never shares the test's loop.
    ``delay`` and ``blackhole`` are plain attributes, safe to set from any thread.
    """

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        import threading

        self.proxy = LatencyProxy(upstream_host, upstream_port)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name="latency-proxy")  # fmt: skip
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.proxy.start(), self._loop).result(10)

    @property
    def address(self) -> str:
        return self.proxy.address

    @property
    def delay(self) -> float:
        return self.proxy.delay

    @delay.setter
    def delay(self, value: float) -> None:
        self.proxy.delay = value

    @property
    def blackhole(self) -> bool:
        return self.proxy.blackhole

    @blackhole.setter
    def blackhole(self, value: bool) -> None:
        self.proxy.blackhole = value

    def drop_connections(self) -> None:
        self._loop.call_soon_threadsafe(self.proxy.drop_connections)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.proxy.stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
