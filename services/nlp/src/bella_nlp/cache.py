"""Redis cache of extractions keyed by a hash of (utterance, expect, local date, zone).

The cache is an optimisation only: any Redis error or slowness means "miss"
and the request is computed; it never fails a request.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
from typing import Any

import structlog
from redis.asyncio import Redis

from bella_nlp.result import Confidence, Extraction

log = structlog.get_logger(__name__)

KEY_PREFIX = "bella:nlp:v1:"


def cache_key(text: str, expect: str, local_date: str, tz: str) -> str:
    # Hashed so no utterance appears in Redis keys (or in instrumented command spans).
    digest = hashlib.sha256("\x1f".join((text, expect, local_date, tz)).encode()).hexdigest()
    return KEY_PREFIX + digest


def _dump(result: Extraction) -> str:
    return json.dumps(dataclasses.asdict(result), ensure_ascii=False)


def _load(raw: bytes | str) -> Extraction:
    data: dict[str, Any] = json.loads(raw)
    conf = Confidence(**data.pop("confidence", {}))
    return Extraction(confidence=conf, **data)


class ExtractionCache:
    def __init__(self, redis: Redis, ttl_seconds: int, timeout_seconds: float = 0.05) -> None:
        self.redis = redis
        self.ttl = ttl_seconds
        self.timeout = timeout_seconds
        self.healthy = True

    @classmethod
    def from_url(cls, url: str, ttl_seconds: int, timeout_seconds: float = 0.05) -> ExtractionCache:
        client = Redis.from_url(
            url, socket_connect_timeout=timeout_seconds * 4, socket_timeout=timeout_seconds * 4
        )
        return cls(client, ttl_seconds, timeout_seconds)

    async def get(self, key: str) -> Extraction | None:
        try:
            raw = await asyncio.wait_for(self.redis.get(key), self.timeout)
        except Exception as exc:
            self._down(exc)
            return None
        self.healthy = True
        if raw is None:
            return None
        try:
            return _load(raw)
        except (ValueError, TypeError):
            return None

    async def put(self, key: str, result: Extraction) -> None:
        try:
            await asyncio.wait_for(self.redis.set(key, _dump(result), ex=self.ttl), self.timeout)
        except Exception as exc:
            self._down(exc)

    def _down(self, exc: Exception) -> None:
        if self.healthy:
            log.warning("nlp.cache_unavailable", error=type(exc).__name__)
        self.healthy = False

    async def ping(self) -> bool:
        try:
            return bool(await asyncio.wait_for(self.redis.ping(), self.timeout * 4))
        except Exception:
            return False

    async def close(self) -> None:
        try:
            await self.redis.aclose()  # type: ignore[attr-defined]
        except Exception:  # closing a dead connection is not worth an error
            log.debug("nlp.cache_close_failed")
