"""The prestart shared by make run, compose and CI: what an operator sees when it cannot
proceed, and that it runs each service's steps in order."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bella_core import prestart as prestart_module
from bella_core.databases import with_database
from bella_core.prestart import PrestartError, prestart


def _script(bindir: Path, name: str, body: str) -> None:
    path = bindir / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def fake_services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "steps.log"
    _script(bindir, "fake-ok", f'echo "$@" >> {log}; echo "did $1"')
    _script(
        bindir, "fake-broken",
        'echo "connecting..."; echo "relation foo does not exist" >&2; exit 3',
    )
    _script(
        bindir, "fake-old",
        "echo \"fake-old: error: argument command: invalid choice: '$1'"
        " (choose from 'serve')\" >&2; exit 2",
    )
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    return log


async def test_runs_each_services_steps_in_order(
    fake_services: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        prestart_module, "STEPS",
        {"a": [["fake-ok", "migrate"], ["fake-ok", "seed"]], "b": [["fake-ok", "migrate-b"]]},
    )
    seen = []
    results = await prestart({"PATH": os.environ["PATH"]}, report=seen.append)
    assert [r.argv[-1] for r in results if r.service == "a"] == ["migrate", "seed"]
    assert {r.argv[-1] for r in seen} == {"migrate", "seed", "migrate-b"}
    lines = fake_services.read_text().split()  # noqa: ASYNC240 - a few bytes, after the run
    assert lines.index("migrate") < lines.index("seed")
    assert results[0].output.strip() == "did migrate"


async def test_a_failing_step_names_the_command_and_its_last_words(
    fake_services: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prestart_module, "STEPS", {"x": [["fake-broken", "migrate"]]})
    with pytest.raises(PrestartError) as info:
        await prestart({"PATH": os.environ["PATH"]})
    message = str(info.value)
    assert message.startswith("fake-broken migrate failed with exit code 3")
    assert "relation foo does not exist" in message


async def test_a_cli_without_the_subcommand_says_which_file_to_look_at(
    fake_services: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prestart_module, "STEPS", {"old": [["fake-old", "migrate"]]})
    with pytest.raises(PrestartError, match=r"has no 'migrate' command yet .*bella_old/__main__"):
        await prestart({"PATH": os.environ["PATH"]})


async def test_a_missing_database_fails_at_once(postgres_server_url: str) -> None:
    started = time.monotonic()
    env = {"BELLA_DATABASE_URL": with_database(postgres_server_url, "bella_no_such_db")}
    with pytest.raises(PrestartError, match="database 'bella_no_such_db' does not exist"):
        await prestart(env, services=[])
    assert time.monotonic() - started < 10


async def test_an_unreachable_redis_is_waited_for_then_reported() -> None:
    started = time.monotonic()
    with pytest.raises(PrestartError, match=r"Redis: .* did not answer within 2s"):
        await prestart({"BELLA_REDIS_URL": "redis://127.0.0.1:1/0"}, services=[], wait_timeout=2)
    assert 1.5 < time.monotonic() - started < 15


def test_cli_exits_1_with_one_line() -> None:
    env = {**os.environ, "BELLA_REDIS_URL": "redis://127.0.0.1:1/0", "BELLA_DATABASE_URL": ""}
    result = subprocess.run(
        [sys.executable, "-m", "bella_core.prestart", "--service", "voice", "--wait-timeout", "1"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("prestart: Redis:")
