"""The metric table (``otel/metrics.yaml``) as Python objects."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

_HERE = Path(__file__).resolve()
# Shipped beside the module in a wheel; in the workspace it lives at otel/metrics.yaml.
_CANDIDATES = (_HERE.with_name("metrics.yaml"), _HERE.parents[2] / "metrics.yaml")
ALLOWED_DIMENSIONS = frozenset({"service", "operation", "outcome", "clinic", "dependency"})
KINDS = frozenset({"counter", "histogram", "gauge"})


@dataclass(frozen=True)
class MetricSpec:
    name: str
    services: tuple[str, ...]
    kind: str
    otel_unit: str
    cloudwatch_unit: str
    description: str
    attributes: tuple[str, ...]
    dimensions: tuple[tuple[str, ...], ...]

    def namespaces(self, prefix: str = "Bella") -> tuple[str, ...]:
        return tuple(f"{prefix}/{s}" for s in self.services)


@dataclass(frozen=True)
class Catalog:
    prefix: str
    services: tuple[str, ...]
    metrics: tuple[MetricSpec, ...]

    def for_service(self, service: str) -> list[MetricSpec]:
        return [m for m in self.metrics if service in m.services]

    def get(self, name: str) -> MetricSpec:
        for metric in self.metrics:
            if metric.name == name:
                return metric
        raise KeyError(name)

    def namespace(self, service: str) -> str:
        return f"{self.prefix}/{service}"


def table_path() -> Path:
    for candidate in _CANDIDATES:
        if candidate.exists():
            return candidate
    raise FileNotFoundError("metrics.yaml not found beside bella_monitoring or in otel/")


def parse(raw: dict[str, Any]) -> Catalog:
    units: dict[str, str] = raw["units"]
    services = tuple(raw["services"])
    metrics = []
    for entry in raw["metrics"]:
        otel_unit = str(entry["otel_unit"])
        metrics.append(
            MetricSpec(
                name=entry["name"],
                services=tuple(entry["services"]),
                kind=entry["kind"],
                otel_unit=otel_unit,
                cloudwatch_unit=str(entry.get("cloudwatch_unit") or units[otel_unit]),
                description=entry["description"],
                attributes=tuple(entry.get("attributes") or ()),
                dimensions=tuple(tuple(d) for d in entry["dimensions"]),
            )
        )
    return Catalog(prefix=raw["namespace_prefix"], services=services, metrics=tuple(metrics))


@cache
def load() -> Catalog:
    return parse(yaml.safe_load(table_path().read_text()))
