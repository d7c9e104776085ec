"""The committed stubs are exactly what `make proto` generates from proto/ with the pinned
grpcio-tools and mypy-protobuf: an edited .proto without regenerated stubs fails here."""

from __future__ import annotations

import filecmp
import os
import re
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROTO = ROOT / "proto"
STUBS = PROTO / "bella" / "v1"
SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py", "_pb2_grpc.pyi")


def _pins() -> dict[str, str]:
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    return {m[1]: m[2] for d in dev if (m := re.match(r"([A-Za-z0-9_.-]+)==(\S+)$", d))}


def test_generators_are_the_pinned_versions() -> None:
    pins = _pins()
    assert version("grpcio-tools") == pins["grpcio-tools"]
    assert version("mypy-protobuf") == pins["mypy-protobuf"]


def test_committed_stubs_match_a_fresh_generation(tmp_path: Path) -> None:
    protos = sorted(STUBS.glob("*.proto"))
    assert protos
    bindir = Path(sys.executable).parent  # protoc-gen-mypy and protoc-gen-mypy_grpc live here
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [
            sys.executable, "-m", "grpc_tools.protoc", f"-I{PROTO}",
            f"--python_out={tmp_path}", f"--grpc_python_out={tmp_path}",
            f"--mypy_out={tmp_path}", f"--mypy_grpc_out={tmp_path}",
            *map(str, protos),
        ],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr

    fresh_dir = tmp_path / "bella" / "v1"
    fresh = {p.name for p in fresh_dir.iterdir() if p.name.endswith(SUFFIXES)}
    committed = {p.name for p in STUBS.iterdir() if p.name.endswith(SUFFIXES)}
    assert fresh == committed, (
        f"missing: {sorted(fresh - committed)}, stale: {sorted(committed - fresh)}; run make proto"
    )
    differing = [
        n for n in sorted(fresh) if not filecmp.cmp(fresh_dir / n, STUBS / n, shallow=False)
    ]
    assert not differing, f"stubs differ from proto/: {differing}; run make proto and commit"
