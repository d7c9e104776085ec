"""A wrong or missing BELLA_ variable stops each service at start-up with one line naming
the variable (exit 2, no traceback), as an operator reading a container log would see it."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bella_core.settings import ServiceSettings
from pydantic.fields import FieldInfo

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("nlp", "booking", "voice", "admin")
BIN = Path(sys.executable).parent


def _settings_class(svc: str) -> type[ServiceSettings]:
    main_py = ROOT / "services" / svc / "src" / f"bella_{svc}" / "__main__.py"
    source = main_py.read_text()
    if '"serve"' not in source:
        pytest.skip(f"bella-{svc} has no `serve` command yet")
    module = importlib.import_module(f"bella_{svc}.settings")
    classes = [
        obj for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, ServiceSettings)
        and obj is not ServiceSettings and obj.__module__ == module.__name__
    ]
    assert len(classes) == 1
    return classes[0]


def _valid_value(name: str) -> str:
    if "database_url" in name:
        return "postgresql://postgres@127.0.0.1:1/bella"
    if "redis_url" in name:
        return "redis://127.0.0.1:1/0"
    if "url" in name:
        return "http://127.0.0.1:1"
    return "x"


def _required(cls: type[ServiceSettings]) -> dict[str, FieldInfo]:
    return {n: f for n, f in cls.model_fields.items() if f.is_required()}


def _base_env(cls: type[ServiceSettings]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BELLA_", "OTEL_"))}
    env.update({f"BELLA_{n}".upper(): _valid_value(n) for n in _required(cls)})
    env["OTEL_SDK_DISABLED"] = "true"
    return env


def _start(svc: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / f"bella-{svc}"), "serve"],
        env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


def _assert_one_line_about(result: subprocess.CompletedProcess[str], var: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout[-500:], result.stderr[-500:])
    assert "Traceback" not in result.stderr + result.stdout
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    assert var in lines[0]


def _port_field(cls: type[ServiceSettings]) -> str:
    ports = [n for n in cls.model_fields if n.endswith("_port")]
    assert ports, f"{cls.__name__} has no port setting"
    return ports[0]


def _cases(cls: type[ServiceSettings]) -> list[tuple[str, dict[str, str]]]:
    """(variable, environment) pairs: one wrong value, then each required variable missing."""
    port = f"BELLA_{_port_field(cls)}".upper()
    cases = [(port, {**_base_env(cls), port: "not-a-port"})]
    required = sorted(_required(cls))
    if not required:
        # Every setting has a default: an empty value for the port is the operator's likely slip.
        cases.append((port, {**_base_env(cls), port: ""}))
    for name in required:
        var = f"BELLA_{name}".upper()
        env = _base_env(cls)
        del env[var]
        cases.append((var, env))
    return cases


@pytest.mark.parametrize("svc", SERVICES)
def test_wrong_or_missing_value_stops_start_up_naming_the_variable(svc: str) -> None:
    cls = _settings_class(svc)
    cases = _cases(cls)
    # Concurrently: each run pays the service's import time before the settings fail.
    with ThreadPoolExecutor(len(cases)) as pool:
        results = list(pool.map(lambda case: _start(svc, case[1]), cases))
    for (var, _env), result in zip(cases, results, strict=True):
        _assert_one_line_about(result, var)
