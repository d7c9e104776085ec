"""Server-side sessions in Redis.

The browser holds only an opaque 256-bit id; Redis holds the session under
the id's SHA-256, so a Redis dump yields no usable cookie. The key's TTL is
the idle timeout (renewed on use); ``created`` bounds the absolute lifetime.
Each user's live sessions are indexed so a password reset, role change or
disable ends them all.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import asdict, dataclass, field

from redis.asyncio import Redis

ANON_TTL_SECONDS = 30 * 60


def _key(session_id: str) -> str:
    return "admin:session:" + hashlib.sha256(session_id.encode()).hexdigest()


def _user_index(user_id: str) -> str:
    return f"admin:user-sessions:{user_id}"


@dataclass
class Session:
    csrf: str
    created: float
    last_seen: float
    user_id: str = ""
    clinic_id: str = ""
    email: str = ""
    role: str = ""
    # Password checked, TOTP still owed: nothing but the TOTP form is allowed.
    mfa_pending: bool = False
    must_change_password: bool = False
    flash: list[str] = field(default_factory=list)

    @property
    def authenticated(self) -> bool:
        return bool(self.user_id) and not self.mfa_pending

    @property
    def is_admin(self) -> bool:
        return self.authenticated and self.role == "admin"


class SessionStore:
    def __init__(self, redis: Redis, *, idle_seconds: int, absolute_seconds: int) -> None:
        self.redis = redis
        self.idle_seconds = idle_seconds
        self.absolute_seconds = absolute_seconds

    async def create(self, **values: object) -> tuple[str, Session]:
        """A fresh id (never reusing the caller's: session fixation) and a new CSRF token."""
        now = time.time()
        session = Session(csrf=secrets.token_urlsafe(32), created=now, last_seen=now)
        for name, value in values.items():
            setattr(session, name, value)
        session_id = secrets.token_urlsafe(32)
        await self._write(session_id, session)
        if session.user_id:
            pipe = self.redis.pipeline()
            pipe.sadd(_user_index(session.user_id), _key(session_id))
            pipe.expire(_user_index(session.user_id), self.absolute_seconds)
            await pipe.execute()
        return session_id, session

    async def load(self, session_id: str | None) -> Session | None:
        """The live session for this id, or None when unknown, idle too long or too old."""
        if not session_id or len(session_id) > 128:
            return None
        raw = await self.redis.get(_key(session_id))
        if raw is None:
            return None
        session = Session(**json.loads(raw))
        now = time.time()
        if now - session.created > self.absolute_seconds:
            await self.destroy(session_id, session)
            return None
        # Renew the idle TTL at most every few seconds, not on every request.
        if now - session.last_seen > 5:
            session.last_seen = now
            await self._write(session_id, session)
        return session

    async def save(self, session_id: str, session: Session) -> None:
        await self._write(session_id, session)

    async def destroy(self, session_id: str, session: Session | None = None) -> None:
        pipe = self.redis.pipeline()
        pipe.delete(_key(session_id))
        if session and session.user_id:
            pipe.srem(_user_index(session.user_id), _key(session_id))
        await pipe.execute()

    async def destroy_all_for_user(self, user_id: str, *, keep: str | None = None) -> int:
        """End every session of a user (optionally keeping the current one); returns how many."""
        keys = {k.decode() if isinstance(k, bytes) else k
                for k in await self.redis.smembers(_user_index(user_id))}
        if keep:
            keys.discard(_key(keep))
        if keys:
            pipe = self.redis.pipeline()
            pipe.delete(*keys)
            pipe.srem(_user_index(user_id), *keys)
            await pipe.execute()
        return len(keys)

    async def count_for_user(self, user_id: str) -> int:
        """Live sessions of a user (index entries whose session has not expired)."""
        keys = list(await self.redis.smembers(_user_index(user_id)))
        if not keys:
            return 0
        return int(await self.redis.exists(*keys))

    async def _write(self, session_id: str, session: Session) -> None:
        if session.user_id:
            remaining = self.absolute_seconds - (time.time() - session.created)
            ttl = int(max(1, min(self.idle_seconds, remaining)))
        else:
            ttl = ANON_TTL_SECONDS
        await self.redis.set(_key(session_id), json.dumps(asdict(session)), ex=ttl)
