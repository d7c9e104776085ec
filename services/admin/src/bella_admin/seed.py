"""Demo accounts for `make run` (`bella-admin seed-demo`), created idempotently.

The password is public (it is in the README): never run this in production;
the command refuses to when BELLA_ENVIRONMENT=production.
"""

from __future__ import annotations

from dataclasses import dataclass

from bella_core.databases import asyncpg_url
from sqlalchemy.ext.asyncio import create_async_engine

from bella_admin.users import UserError, Users

DEMO_PASSWORD = "bella-demo-2026!"


@dataclass(frozen=True)
class DemoUser:
    clinic_id: str
    email: str
    role: str


DEMO_USERS = (
    DemoUser("toronto", "admin@toronto.demo", "admin"),
    DemoUser("toronto", "staff@toronto.demo", "staff"),
    DemoUser("vancouver", "admin@vancouver.demo", "admin"),
    DemoUser("vancouver", "staff@vancouver.demo", "staff"),
)


async def seed_demo(database_url: str) -> list[tuple[DemoUser, bool]]:
    """Create the demo users that are missing; returns (user, created) pairs."""
    from sqlalchemy.ext.asyncio import async_sessionmaker

    engine = create_async_engine(asyncpg_url(database_url), pool_size=2)
    try:
        users = Users(async_sessionmaker(engine, expire_on_commit=False), None,  # type: ignore[arg-type]
                      lock_minutes=15)
        out = []
        for demo in DEMO_USERS:
            if await users.by_email(demo.email) is not None:
                out.append((demo, False))
                continue
            try:
                await users.create(clinic_id=demo.clinic_id, email=demo.email, role=demo.role,
                                   password=DEMO_PASSWORD)
                out.append((demo, True))
            except UserError:  # created concurrently by another seeder
                out.append((demo, False))
        return out
    finally:
        await engine.dispose()
