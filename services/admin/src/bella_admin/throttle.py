"""Login failure counting in Redis: per account (normalised email) and per client IP.

The same counters serve unknown emails, so a locked real account and a
made-up one answer identically (no account enumeration).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from redis.asyncio import Redis


def _email_key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"admin:fail:acct:{digest}"


def _ip_key(ip: str) -> str:
    return f"admin:fail:ip:{ip}"


@dataclass(frozen=True)
class LoginThrottle:
    redis: Redis
    account_limit: int
    ip_limit: int
    window_seconds: int

    async def locked(self, email: str, ip: str) -> bool:
        acct, by_ip = await self.redis.mget(_email_key(email), _ip_key(ip))
        return int(acct or 0) >= self.account_limit or int(by_ip or 0) >= self.ip_limit

    async def record_failure(self, email: str, ip: str) -> tuple[bool, bool]:
        """Count a failure; returns whether (account, ip) is now locked."""
        pipe = self.redis.pipeline()
        for key in (_email_key(email), _ip_key(ip)):
            # The window starts at the first failure (a fixed window): SET NX creates the
            # counter with its expiry, INCR keeps it. Works on Redis 6 (no EXPIRE NX there).
            pipe.set(key, 0, ex=self.window_seconds, nx=True)
            pipe.incr(key)
        _, acct, _, by_ip = await pipe.execute()
        return int(acct) >= self.account_limit, int(by_ip) >= self.ip_limit

    async def clear_account(self, email: str) -> None:
        await self.redis.delete(_email_key(email))
