import asyncpg
import redis
from bella_core.databases import asyncpg_connect_kwargs


async def test_session_database_is_private(database_url: str, postgres_server_url: str) -> None:
    conn = await asyncpg.connect(**asyncpg_connect_kwargs(database_url))
    try:
        name = await conn.fetchval("select current_database()")
        assert name.startswith("bella_test_")
        assert not postgres_server_url.split("?")[0].endswith("/" + name)
    finally:
        await conn.close()


async def test_fresh_database_is_empty_and_its_own(
    fresh_database_url: str, database_url: str
) -> None:
    assert fresh_database_url != database_url
    conn = await asyncpg.connect(**asyncpg_connect_kwargs(fresh_database_url))
    try:
        tables = await conn.fetchval(
            "select count(*) from information_schema.tables where table_schema not in"
            " ('pg_catalog', 'information_schema')"
        )
        assert tables == 0
        assert (await conn.fetchval("select current_database()")).startswith("bella_test_")
    finally:
        await conn.close()


def test_redis_answers(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    client.set("bella:fixture", "1")
    assert client.get("bella:fixture") == b"1"
