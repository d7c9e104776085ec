"""bella-admin's commands, run as the real console script."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from admin_testkit import CLINIC, csrf_of
from bella_admin.__main__ import main
from bella_admin.seed import DEMO_PASSWORD

BELLA_ADMIN = str(Path(sys.executable).parent / "bella-admin")


async def run(args: list[str], env: dict[str, str], stdin: str = "") -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        BELLA_ADMIN, *args, env={**os.environ, **env}, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(stdin.encode()), 60)
    return proc.returncode or 0, out.decode(), err.decode()


def env_for(database_url: str, backends: dict[str, str]) -> dict[str, str]:
    return {"BELLA_DATABASE_URL": database_url, "BELLA_BOOKING_ADDRESS": backends["booking"],
            "BELLA_VOICE_ADDRESS": backends["voice"], "BELLA_ENVIRONMENT": "test"}


async def test_migrate_create_user_and_sign_in(database_url, backends, client, world) -> None:
    env = env_for(database_url, backends)
    code, out, err = await run(["migrate"], env)
    assert code == 0, err
    code, out, err = await run(
        ["create-user", "--clinic", CLINIC, "--email", "First.Admin@Clinic.test",
         "--role", "admin", "--password-stdin"], env, stdin="a long first admin passphrase\n")
    assert code == 0, err
    assert f"created admin first.admin@clinic.test for clinic {CLINIC}" in out
    page = await client.get("/login")
    resp = await client.post("/login", data={
        "email": "first.admin@clinic.test", "password": "a long first admin passphrase",
        "csrf_token": csrf_of(page.text)})
    assert resp.status_code == 303
    assert (await client.get("/users")).status_code == 200

    code, _, err = await run(
        ["create-user", "--clinic", "atlantis", "--email", "x@clinic.test", "--password-stdin"],
        env, stdin="a long enough passphrase\n")
    assert code == 1 and "no clinic 'atlantis'" in err


async def test_seed_demo_is_idempotent_and_prints_working_credentials(
    database_url, backends, client
) -> None:
    env = env_for(database_url, backends)
    code, first, err = await run(["seed-demo"], env)
    assert code == 0, err
    assert DEMO_PASSWORD in first and "admin@toronto.demo" in first
    assert "staff@vancouver.demo" in first
    code, second, _ = await run(["seed-demo"], env)
    assert code == 0 and "already there" in second
    page = await client.get("/login")
    resp = await client.post("/login", data={"email": "admin@toronto.demo",
                                             "password": DEMO_PASSWORD,
                                             "csrf_token": csrf_of(page.text)})
    assert resp.status_code == 303


@pytest.fixture(autouse=True)
def keep_test_logging(monkeypatch) -> None:
    # main() points logging at its stdout; in-process that would be pytest's captured stream.
    monkeypatch.setattr("bella_admin.__main__.configure_logging", lambda *a, **k: None)


def test_seed_demo_refuses_production(monkeypatch, capsys) -> None:
    monkeypatch.setenv("BELLA_DATABASE_URL", "postgresql://x@127.0.0.1:1/db")
    monkeypatch.setenv("BELLA_ENVIRONMENT", "production")
    with pytest.raises(SystemExit) as exit_:
        main(["seed-demo"])
    assert exit_.value.code == 1 and "refuses" in capsys.readouterr().err


def test_bad_configuration_is_one_line(monkeypatch, capsys) -> None:
    monkeypatch.setenv("BELLA_DATABASE_URL", "postgresql://x@127.0.0.1:1/db")
    monkeypatch.setenv("BELLA_ADMIN_HTTP_PORT", "eighty")
    with pytest.raises(SystemExit) as exit_:
        main(["serve"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.strip().startswith("configuration error: BELLA_ADMIN_HTTP_PORT")
    assert len(err.strip().splitlines()) == 1


def test_serving_needs_redis(monkeypatch, capsys) -> None:
    monkeypatch.setenv("BELLA_DATABASE_URL", "postgresql://x@127.0.0.1:1/db")
    monkeypatch.delenv("BELLA_REDIS_URL", raising=False)
    with pytest.raises(SystemExit):
        main(["serve"])
    assert "BELLA_REDIS_URL" in capsys.readouterr().err
