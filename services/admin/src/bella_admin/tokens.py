"""API bearer tokens: created by admins, shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bella_admin.models import ApiToken

TOKEN_PREFIX = "bella_"
ENV_TOKEN_ID = "env"


@dataclass(frozen=True)
class TokenIdentity:
    token_id: str
    prefix: str
    clinic_id: str
    role: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokens:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, env_token: str = "",
        env_clinic: str = "",
    ) -> None:
        self.db = sessions
        self._env_digest = _digest(env_token) if env_token else ""
        self._env_clinic = env_clinic

    async def create(
        self, *, clinic_id: str, name: str, role: str, created_by: str | None
    ) -> tuple[str, ApiToken]:
        """Returns the token (shown to the admin once) and its stored row."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = ApiToken(
            id=str(uuid.uuid4()), clinic_id=clinic_id, name=name.strip()[:100] or "token",
            token_hash=_digest(secret), prefix=secret[: len(TOKEN_PREFIX) + 6], role=role,
            created_by=created_by,
        )
        async with self.db() as db:
            db.add(row)
            await db.commit()
        return secret, row

    async def resolve(self, token: str) -> TokenIdentity | None:
        if not token or len(token) > 200:
            return None
        digest = _digest(token)
        if self._env_digest and hmac.compare_digest(digest, self._env_digest):
            # The automation token: read-only ("staff"), one clinic, never an admin.
            return TokenIdentity(ENV_TOKEN_ID, "env", self._env_clinic, "staff")
        async with self.db() as db:
            row = (
                await db.execute(
                    select(ApiToken).where(
                        ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None)
                    )
                )
            ).scalar_one_or_none()
            if row is None:
                return None
            now = datetime.now(UTC)
            # Recorded at most once a minute: not a write per API request.
            if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
                await db.execute(
                    update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now)
                )
                await db.commit()
            return TokenIdentity(row.id, row.prefix, row.clinic_id, row.role)

    async def list(self, clinic_id: str) -> list[ApiToken]:
        async with self.db() as db:
            result = await db.execute(
                select(ApiToken).where(ApiToken.clinic_id == clinic_id)
                .order_by(ApiToken.created_at.desc())
            )
            return list(result.scalars())

    async def revoke(self, clinic_id: str, token_id: str) -> bool:
        try:
            uuid.UUID(token_id)
        except ValueError:
            return False
        async with self.db() as db:
            result = await db.execute(
                update(ApiToken)
                .where(ApiToken.id == token_id, ApiToken.clinic_id == clinic_id,
                       ApiToken.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            )
            await db.commit()
            return bool(result.rowcount)  # type: ignore[attr-defined]
