"""Per-call conversation state and per-turn answers in Redis, keyed by CallSid.

Any replica can answer any turn. Twilio may retry a webhook (and may do so
while the first attempt is still running), so each turn is processed under
a ``SET NX`` lock and its TwiML stored; a retry returns the stored answer.
State and answer are written in one MULTI/EXEC so they never disagree.
"""

from __future__ import annotations

import asyncio
import time

from redis.asyncio import Redis

from bella_voice.conversation import CallState

PREFIX = "bella:voice:call:"
PENDING_CALLBACKS = "bella:voice:pending-callbacks"


class CallStateStore:
    def __init__(self, redis: Redis, *, ttl_seconds: int = 6 * 3600,
                 lock_seconds: float = 10.0) -> None:
        self.redis = redis
        self.ttl = ttl_seconds
        self.lock_ms = int(lock_seconds * 1000)

    @staticmethod
    def _state_key(sid: str) -> str:
        return f"{PREFIX}{sid}:state"

    @staticmethod
    def _answer_key(sid: str, turn: int) -> str:
        return f"{PREFIX}{sid}:turn:{turn}"

    @staticmethod
    def _lock_key(sid: str, turn: int) -> str:
        return f"{PREFIX}{sid}:turn:{turn}:lock"

    async def load(self, sid: str) -> CallState | None:
        raw = await self.redis.get(self._state_key(sid))
        return CallState.from_json(raw) if raw else None

    async def answer(self, sid: str, turn: int) -> str | None:
        raw = await self.redis.get(self._answer_key(sid, turn))
        if raw is None:
            return None
        return raw.decode() if isinstance(raw, bytes) else str(raw)

    async def lock(self, sid: str, turn: int) -> bool:
        return bool(await self.redis.set(self._lock_key(sid, turn), b"1", nx=True,
                                         px=self.lock_ms))

    async def unlock(self, sid: str, turn: int) -> None:
        await self.redis.delete(self._lock_key(sid, turn))

    async def wait_for_answer(self, sid: str, turn: int, wait: float) -> str | None:
        """A duplicate request waits for the first one's answer rather than acting twice."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            found = await self.answer(sid, turn)
            if found is not None:
                return found
            await asyncio.sleep(0.02)
        return None

    async def commit(self, state: CallState | None, sid: str, turn: int, twiml: str) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            if state is not None:
                pipe.set(self._state_key(sid), state.to_json(), ex=self.ttl)
            pipe.set(self._answer_key(sid, turn), twiml, ex=self.ttl)
            pipe.delete(self._lock_key(sid, turn))
            await pipe.execute()

    async def ping(self) -> bool:
        try:
            return bool(await self.redis.ping())
        except Exception:
            return False
