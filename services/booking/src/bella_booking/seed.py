"""Load clinic configuration into the database: an idempotent upsert.

Clinics and chairs in the file are inserted or updated; chairs that left
the file are marked inactive (their past appointments keep pointing at
them). Clinics absent from the file are left alone.
"""

from __future__ import annotations

from pathlib import Path

import structlog
from bella_core.databases import asyncpg_url
from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from bella_booking.config import ClinicConfig, load_clinics
from bella_booking.tables import chairs, clinics

log = structlog.get_logger(__name__)


async def upsert_clinic(conn: AsyncConnection, clinic: ClinicConfig) -> None:
    values = {
        "id": clinic.id,
        "name": clinic.name,
        "time_zone": clinic.time_zone,
        "province": clinic.province,
        "phone_number": clinic.phone_number,
        "front_desk_number": clinic.front_desk_number,
        "address": clinic.address,
        "parking": clinic.parking,
        "insurance": clinic.insurance,
        "config": clinic.model_dump(mode="json"),
    }
    stmt = insert(clinics).values(**values)
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[clinics.c.id],
            set_={**{k: stmt.excluded[k] for k in values if k != "id"}, "updated_at": func.now()},
        )
    )
    codes = [c.code for c in clinic.chairs]
    for chair in clinic.chairs:
        chair_stmt = insert(chairs).values(
            clinic_id=clinic.id,
            code=chair.code,
            name=chair.name,
            services=list(chair.services),
            active=True,
        )
        await conn.execute(
            chair_stmt.on_conflict_do_update(
                constraint="chairs_clinic_code_key",
                set_={
                    "name": chair_stmt.excluded.name,
                    "services": chair_stmt.excluded.services,
                    "active": True,
                },
            )
        )
    await conn.execute(
        update(chairs)
        .where(chairs.c.clinic_id == clinic.id, chairs.c.code.not_in(codes))
        .values(active=False)
    )


async def seed(database_url: str, config_path: Path | str | None = None) -> list[str]:
    """Upsert the clinics of ``config_path`` (the packaged demo clinics by default).

    Returns the clinic ids written. Run :func:`bella_booking.migrations.migrate` first.
    """
    configs = load_clinics(Path(config_path) if config_path else None)
    engine = create_async_engine(asyncpg_url(database_url), poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            for clinic in configs:
                await upsert_clinic(conn, clinic)
    finally:
        await engine.dispose()
    ids = [c.id for c in configs]
    log.info("booking.seeded", clinics=ids)
    return ids
