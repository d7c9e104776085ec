"""`make run`'s supervisor (bella_core.stack): children die with it, stop in order with
SIGTERM then SIGKILL, and the whole stack comes up, answers /readyz and leaves no orphans."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest
from bella_core.stack import merged_env, spawn, terminate

from tests.processes import gone_within

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("nlp", "booking", "voice", "admin")


def test_children_die_when_the_supervisor_is_killed(tmp_path: Path) -> None:
    """SIGKILL gives the supervisor no chance to clean up: PR_SET_PDEATHSIG must."""
    script = tmp_path / "supervisor.py"
    script.write_text(textwrap.dedent("""
        import asyncio, sys
        from bella_core.stack import spawn

        async def main():
            child = await spawn([sys.executable, "-c", "import time; time.sleep(120)"], {})
            print(child.pid, flush=True)
            await asyncio.sleep(120)

        asyncio.run(main())
    """))
    supervisor = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert supervisor.stdout is not None
    child_pid = int(supervisor.stdout.readline())
    assert psutil.pid_exists(child_pid)
    # Own process group: the terminal's Ctrl-C reaches only the supervisor.
    assert os.getpgid(child_pid) == child_pid
    supervisor.kill()
    supervisor.wait()
    assert gone_within(child_pid, 10), "the child outlived its SIGKILLed supervisor"


async def test_terminate_escalates_to_sigkill_after_the_grace() -> None:
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); " \
               "print('ready', flush=True); time.sleep(120)"
    proc = await spawn([sys.executable, "-c", stubborn], dict(os.environ))
    assert proc.stdout is not None
    await proc.stdout.readline()
    started = time.monotonic()
    code = await terminate(proc, grace=1.0)
    assert code == -signal.SIGKILL
    assert time.monotonic() - started < 5


async def test_terminate_lets_a_polite_child_exit_on_sigterm() -> None:
    proc = await spawn([sys.executable, "-c", "import time; print('ready', flush=True); "
                        "time.sleep(120)"], dict(os.environ))
    assert proc.stdout is not None
    await proc.stdout.readline()
    assert await terminate(proc, grace=10.0) == -signal.SIGTERM


def test_environment_wins_over_dotenv_and_empty_values_count_as_unset(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("BELLA_VOICE_HTTP_PORT=8080\nBELLA_DATABASE_URL=\nBELLA_NLP_ADDRESS=a:1\n")
    merged = merged_env(env_file, {"BELLA_VOICE_HTTP_PORT": "9999", "BELLA_NLP_ADDRESS": ""})
    assert merged["BELLA_VOICE_HTTP_PORT"] == "9999"
    assert merged["BELLA_NLP_ADDRESS"] == "a:1"
    assert not merged.get("BELLA_DATABASE_URL")


def test_a_busy_port_stops_make_run_before_anything_starts(tmp_path: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        env = {**os.environ, "BELLA_ADMIN_HTTP_PORT": str(port)}
        result = subprocess.run(
            [sys.executable, "-m", "bella_core.stack", "run", "--root", str(tmp_path)],
            env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        )
    assert result.returncode == 1
    assert f"port {port} (BELLA_ADMIN_HTTP_PORT) already in use" in result.stdout
    assert not (tmp_path / "var" / "pg").exists(), "nothing should have been started"


# --- the real stack ------------------------------------------------------------------------


def _services_ready() -> str | None:
    for svc in SERVICES:
        main_py = ROOT / "services" / svc / "src" / f"bella_{svc}" / "__main__.py"
        if '"serve"' not in main_py.read_text():
            return f"bella-{svc} has no serve command yet"
    return None


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_stack_comes_up_answers_readyz_and_stops_without_orphans(
    tmp_path: Path, fresh_database_url: str, redis_url: str
) -> None:
    missing = _services_ready()
    if missing:
        pytest.skip(missing)
    voice_http, admin_http, nlp, booking, voice_grpc = _free_ports(5)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BELLA_", "OTEL_"))}
    env.update({
        "BELLA_DATABASE_URL": fresh_database_url,
        "BELLA_REDIS_URL": redis_url,
        "BELLA_VOICE_HTTP_PORT": str(voice_http),
        "BELLA_ADMIN_HTTP_PORT": str(admin_http),
        "BELLA_NLP_GRPC_PORT": str(nlp),
        "BELLA_BOOKING_GRPC_PORT": str(booking),
        "BELLA_VOICE_GRPC_PORT": str(voice_grpc),
        "BELLA_NLP_ADDRESS": f"127.0.0.1:{nlp}",
        "BELLA_BOOKING_ADDRESS": f"127.0.0.1:{booking}",
        "BELLA_VOICE_ADDRESS": f"127.0.0.1:{voice_grpc}",
        "BELLA_PUBLIC_BASE_URL": f"http://127.0.0.1:{voice_http}",
    })
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bella_core.stack", "run", "--root", str(tmp_path),
         "--env-file", str(ROOT / ".env"), "--ready-timeout", "120", "--grace", "10"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        stdin=subprocess.DEVNULL,
    )
    lines: list[str] = []
    up = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "Bella is up" in line:
                up.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        while not up.wait(0.5):
            assert proc.poll() is None, "stack exited before ready:\n" + "".join(lines[-60:])
            assert time.monotonic() - started < 150, "not up in time:\n" + "".join(lines[-60:])
        output = "".join(lines)
        assert f"http://127.0.0.1:{voice_http}/twilio/voice" in output
        assert f"http://127.0.0.1:{admin_http}" in output
        # The demo login comes from `bella-admin seed-demo`, not the fallback hint.
        assert "Demo login: see" not in output
        assert "--auth-token" in output  # no Twilio token in the environment: a local one
        for port in (voice_http, admin_http):
            resp = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
            assert resp.status_code == 200, (port, resp.text)

        descendants = psutil.Process(proc.pid).children(recursive=True)
        names = " ".join(" ".join(p.cmdline()) for p in descendants)
        for svc in SERVICES:
            assert f"bella-{svc}" in names
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        reader.join(5)
    assert code == 0, "".join(lines[-40:])
    orphans = [p.pid for p in descendants if not gone_within(p.pid, 5)]
    assert not orphans, f"left running after SIGTERM: {orphans}"
    assert "stopped." in "".join(lines[-5:])
