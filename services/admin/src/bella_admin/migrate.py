"""Alembic migrations for schema ``admin``, idempotent, waiting for the database."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Generator
from pathlib import Path

import structlog
from alembic import command
from alembic.config import Config
from bella_core.databases import asyncpg_url
from tenacity import retry, retry_if_exception_type, stop_after_delay, wait_exponential

log = structlog.get_logger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def _config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # Passed as an attribute, not an ini option: ini interpolation would mangle '%' in passwords.
    cfg.attributes["url"] = asyncpg_url(database_url)
    return cfg


@retry(
    retry=retry_if_exception_type((OSError, ConnectionError)),
    wait=wait_exponential(multiplier=0.2, max=3),
    stop=stop_after_delay(60),
    reraise=True,
)
def _upgrade(database_url: str) -> None:
    command.upgrade(_config(database_url), "head")


class _Done:
    """Lets ``await migrate(url)`` work as well as ``migrate(url)`` (as booking and voice do)."""

    def __await__(self) -> Generator[None, None, None]:
        return
        yield


def migrate(database_url: str) -> _Done:
    """Bring schema ``admin`` to the latest revision (safe to run repeatedly and concurrently).

    Call it plainly or await it; inside an event loop the work runs in a worker thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        _upgrade(database_url)
    else:
        # Alembic's env runs its own event loop; never inside the caller's.
        errors: list[BaseException] = []

        def run() -> None:
            try:
                _upgrade(database_url)
            except BaseException as exc:  # re-raised in the caller's thread
                errors.append(exc)

        thread = threading.Thread(target=run, name="admin-migrate")
        thread.start()
        thread.join()
        if errors:
            raise errors[0]
    log.info("admin.migrated")
    return _Done()
