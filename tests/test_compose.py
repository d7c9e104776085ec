"""compose.yaml and the Dockerfiles, checked without a Docker engine: the file is valid
Compose, and every build, port, variable and command it names exists."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from bella_core.prestart import STEPS
from bella_core.settings import ServiceSettings
from dotenv import dotenv_values

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("nlp", "booking", "voice", "admin")
HTTP_SERVICES = ("voice", "admin")
COMPOSE_TEXT = (ROOT / "compose.yaml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
DOTENV = dotenv_values(ROOT / ".env")
# ${VAR} and ${VAR:-default} interpolated by compose; $${VAR} is escaped (left to the container).
INTERPOLATED = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?+][^}]*)?\}")
ESCAPED = re.compile(r"\$\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def settings_classes() -> dict[str, type[ServiceSettings]]:
    found: dict[str, type[ServiceSettings]] = {}
    for svc in SERVICES:
        try:
            module = importlib.import_module(f"bella_{svc}.settings")
        except ModuleNotFoundError:
            pytest.skip(f"bella_{svc}.settings does not exist yet")
        classes = [
            obj for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, ServiceSettings)
            and obj is not ServiceSettings and obj.__module__ == module.__name__
        ]
        assert len(classes) == 1, f"bella_{svc}.settings should define one settings class"
        found[svc] = classes[0]
    return found


def setting_variables() -> set[str]:
    names: set[str] = set()
    for cls in settings_classes().values():
        prefix = str(cls.model_config.get("env_prefix", ""))
        names.update(f"{prefix}{field}".upper() for field in cls.model_fields)
    return names


def test_compose_file_is_valid_compose_spec() -> None:
    tool = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(tool), "--builtin-schema", "vendor.compose-spec", str(ROOT / "compose.yaml")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_interpolated_variable_is_in_dotenv() -> None:
    used = set(INTERPOLATED.findall(COMPOSE_TEXT))
    assert used, "compose.yaml should take its ports and addresses from .env"
    missing = sorted(v for v in used if not DOTENV.get(v))
    assert not missing, f"compose.yaml interpolates variables .env does not set: {missing}"


def test_every_container_side_variable_is_set_for_that_container() -> None:
    """$${VAR} in a healthcheck is expanded inside the container: it must get VAR."""
    for name, service in COMPOSE["services"].items():
        text = yaml.safe_dump(service.get("healthcheck", {}))
        environment = service.get("environment", {}) or {}
        has_env_file = bool(service.get("env_file"))
        for var in ESCAPED.findall(text):
            given = var in environment or (has_env_file and DOTENV.get(var))
            assert given, f"{name}: healthcheck uses ${var} but the container is not given it"


def test_every_bella_variable_is_a_setting() -> None:
    known = setting_variables()
    in_dotenv = {k for k in DOTENV if k.startswith("BELLA_")}
    in_compose = {
        key
        for service in COMPOSE["services"].values()
        for key in (service.get("environment") or {})
        if key.startswith("BELLA_")
    }
    unknown_env = sorted(in_dotenv - known)
    unknown_compose = sorted(in_compose - known)
    assert not unknown_env, f".env sets variables no settings class reads: {unknown_env}"
    assert not unknown_compose, (
        f"compose.yaml sets variables no settings class reads: {unknown_compose}"
    )


def test_every_port_and_address_the_services_read_is_in_dotenv() -> None:
    for svc, cls in settings_classes().items():
        for field in cls.model_fields:
            var = f"BELLA_{field}".upper()
            if var.endswith(("_PORT", "_ADDRESS")) and "_DB_" not in var:
                assert var in DOTENV, f"{svc} reads {var}; .env should name it"


def test_builds_and_mounted_files_exist() -> None:
    for name, service in COMPOSE["services"].items():
        build = service.get("build")
        if build:
            context = ROOT / build["context"]
            assert context.is_dir(), f"{name}: build context {context} missing"
            assert (context / build["dockerfile"]).is_file(), f"{name}: Dockerfile missing"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), f"{name}: mounts {source}, which does not exist"
        if service.get("env_file"):
            assert (ROOT / service["env_file"]).is_file()


def test_stack_shape() -> None:
    services = COMPOSE["services"]
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["otel-collector"]["image"].startswith(
        "public.ecr.aws/aws-observability/aws-otel-collector"
    )
    for svc in SERVICES:
        assert services[svc]["build"]["dockerfile"] == f"services/{svc}/Dockerfile"
        assert "healthcheck" in services[svc], f"{svc} has no healthcheck"
        for dep, cond in services[svc]["depends_on"].items():
            assert dep in services, f"{svc} depends on unknown service {dep}"
            assert cond["condition"] in {
                "service_started", "service_healthy", "service_completed_successfully"
            }
    for svc in HTTP_SERVICES:
        port_var = f"BELLA_{svc.upper()}_HTTP_PORT"
        assert services[svc]["ports"] == [f"${{{port_var}}}:${{{port_var}}}"]
    # One prestart one-shot per service with steps, each gating its service.
    for svc in STEPS:
        prestart = services[f"{svc}-prestart"]
        assert prestart["command"][-1] == svc
        assert prestart["image"] == services[svc]["image"]
        gate = services[svc]["depends_on"][f"{svc}-prestart"]
        assert gate["condition"] == "service_completed_successfully"


def test_collector_reads_the_mounted_local_config() -> None:
    collector = COMPOSE["services"]["otel-collector"]
    config = next(a.split("=", 1)[1] for a in collector["command"] if a.startswith("--config="))
    mounts = {v.split(":")[1]: v.split(":")[0] for v in collector["volumes"]}
    assert config in mounts, f"the collector reads {config}, which is not mounted"
    assert (ROOT / mounts[config]).is_file()
    assert "local" in mounts[config], "compose runs the local (no AWS credentials) variant"


def _stages(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.upper().startswith("FROM ")]


@pytest.mark.parametrize("svc", SERVICES)
def test_dockerfile_is_multistage_nonroot_and_runs_its_console_script(svc: str) -> None:
    text = (ROOT / "services" / svc / "Dockerfile").read_text()
    stages = _stages(text)
    assert len(stages) >= 2, "multi-stage: a builder and a runtime"
    assert "slim" in text
    final = text[text.rfind(stages[-1]):]
    users = re.findall(r"^USER\s+(\S+)", final, re.M)
    assert users and users[-1].split(":")[0] not in {"root", "0"}, "the runtime runs as non-root"
    assert f"--package bella-{svc}" in text and "--frozen" in text and "--no-dev" in text
    scripts = tomllib.loads((ROOT / "services" / svc / "pyproject.toml").read_text())["project"][
        "scripts"
    ]
    assert f'CMD ["bella-{svc}", "serve"]' in final
    assert f"bella-{svc}" in scripts
    if svc in HTTP_SERVICES:
        assert "HEALTHCHECK" in final and "/healthz" in final
