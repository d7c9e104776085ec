"""The audit log: who did or saw what, to which record, when (UTC) and from where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bella_admin.models import AuditEntry

PAGE_SIZE = 50


@dataclass(frozen=True)
class Actor:
    """Who acts: a signed-in user or an API token, always within one clinic."""

    clinic_id: str
    actor_id: str
    name: str  # email for users, "token:<prefix>" for tokens
    role: str
    client_ip: str


class AuditLog:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.db = sessions

    async def record(
        self,
        actor: Actor,
        action: str,
        *,
        target_type: str | None = None,
        target_id: str | None = None,
        outcome: str = "ok",
        **detail: object,
    ) -> None:
        await self.record_raw(
            clinic_id=actor.clinic_id, actor_id=actor.actor_id, actor=actor.name,
            action=action, target_type=target_type, target_id=target_id,
            client_ip=actor.client_ip, outcome=outcome, detail=detail,
        )

    async def record_raw(
        self, *, clinic_id: str, actor: str, action: str, client_ip: str | None,
        actor_id: str | None = None, target_type: str | None = None,
        target_id: str | None = None, outcome: str = "ok", detail: dict[str, object] | None = None,
    ) -> None:
        async with self.db() as db:
            await db.execute(
                insert(AuditEntry).values(
                    clinic_id=clinic_id, actor_id=actor_id, actor=actor[:254], action=action,
                    target_type=target_type, target_id=target_id, client_ip=client_ip,
                    outcome=outcome, detail=detail or {},
                )
            )
            await db.commit()

    async def page(
        self, clinic_id: str, *, action: str = "", before_id: int | None = None,
        since: datetime | None = None, until: datetime | None = None, limit: int = PAGE_SIZE,
    ) -> list[AuditEntry]:
        query = select(AuditEntry).where(AuditEntry.clinic_id == clinic_id)
        if action:
            query = query.where(AuditEntry.action.startswith(action, autoescape=True))
        if before_id is not None:
            query = query.where(AuditEntry.id < before_id)
        if since is not None:
            query = query.where(AuditEntry.at >= since)
        if until is not None:
            query = query.where(AuditEntry.at < until)
        query = query.order_by(AuditEntry.id.desc()).limit(limit)
        async with self.db() as db:
            return list((await db.execute(query)).scalars())
