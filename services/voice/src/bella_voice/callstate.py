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

# One round trip: the stored answer if the turn was handled, else the lock and the state.
_CLAIM = """
local answer = redis.call('GET', KEYS[1])
if answer then return {'answer', answer} end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then
  local state = redis.call('GET', KEYS[3])
  if state then return {'mine', state} end
  return {'mine', ''}
end
return {'busy', ''}
"""
PENDING_CALLBACKS = "bella:voice:pending-callbacks"


class CallStateStore:
    def __init__(self, redis: Redis, *, ttl_seconds: int = 6 * 3600,
                 lock_seconds: float = 10.0) -> None:
        self.redis = redis
        self.ttl = ttl_seconds
        self.lock_ms = int(lock_seconds * 1000)
        self._claim = redis.register_script(_CLAIM)

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

    async def claim(self, sid: str, turn: int) -> tuple[str, str | None, CallState | None]:
        """("answer", twiml, None) when the turn was already answered; ("mine", None,
        state or None) once this request owns the turn; ("busy", None, None) while another
        request is handling it."""
        kind, value = await self._claim(
            keys=[self._answer_key(sid, turn), self._lock_key(sid, turn), self._state_key(sid)],
            args=[self.lock_ms])
        kind = kind.decode() if isinstance(kind, bytes) else str(kind)
        if kind == "answer":
            return kind, value.decode() if isinstance(value, bytes) else str(value), None
        if kind == "mine":
            return kind, None, CallState.from_json(value) if value else None
        return kind, None, None

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
