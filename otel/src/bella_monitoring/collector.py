"""Renders the ADOT collector configurations from the metric table.

``python -m bella_monitoring.collector`` rewrites ``otel/collector/adot-config.yaml``
(ECS, CloudWatch EMF + X-Ray) and ``otel/collector/local-config.yaml`` (compose:
debug exporter and EMF on stdout, no AWS credentials); ``--check`` fails when the
committed files differ from what the table says.

Only components the ADOT collector ships are used: the otlp receiver, the
memory_limiter, batch and resourcedetection processors, the awsemf, awsxray and
debug exporters, and the health_check extension.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from bella_monitoring.catalog import Catalog, MetricSpec, load

COLLECTOR_DIR = Path(__file__).resolve().parents[2] / "collector"
HEADER = (
    "# GENERATED from otel/metrics.yaml by `python -m bella_monitoring.collector`; do not edit.\n"
)

# Span attributes worth an X-Ray annotation (searchable); everything else stays metadata.
# bella_core.telemetry.annotate_span() sets the bella.* keys; some services set the plain
# "outcome"/"clinic" keys on their spans, so both spellings are indexed.
XRAY_INDEXED = [
    "bella.outcome", "bella.clinic", "bella.operation",
    "outcome", "clinic", "operation",
    "service.name",
]


def metric_declarations(catalog: Catalog) -> list[dict[str, Any]]:
    """One declaration per service and dimension-set list, selected by the ``service`` label.

    The label matcher keeps Voice's RequestCount rules from applying to Admin's (the names
    repeat across namespaces) and drops anything a service emits outside its table rows.
    """
    declarations = []
    for service in catalog.services:
        groups: dict[tuple[tuple[str, ...], ...], list[MetricSpec]] = {}
        for metric in catalog.for_service(service):
            groups.setdefault(metric.dimensions, []).append(metric)
        for dimensions, members in groups.items():
            names = "|".join(m.name for m in members)
            declarations.append(
                {
                    "dimensions": [list(d) for d in dimensions],
                    "metric_name_selectors": [f"^({names})$"],
                    "label_matchers": [{"label_names": ["service"], "regex": f"^{service}$"}],
                }
            )
    return declarations


def metric_descriptors(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        {"metric_name": m.name, "unit": m.cloudwatch_unit, "overwrite": True}
        for m in catalog.metrics
    ]


def _awsemf(catalog: Catalog) -> dict[str, Any]:
    # namespace stays unset: each resource lands in {service.namespace}/{service.name},
    # i.e. Bella/Voice, Bella/NLP, Bella/Booking, Bella/Admin, from one exporter.
    return {
        "dimension_rollup_option": "NoDimensionRollup",
        "metric_declarations": metric_declarations(catalog),
        "metric_descriptors": metric_descriptors(catalog),
    }


def _common(catalog: Catalog) -> dict[str, Any]:
    return {
        "extensions": {"health_check": {"endpoint": "0.0.0.0:13133"}},
        "receivers": {
            "otlp": {
                "protocols": {
                    "grpc": {"endpoint": "0.0.0.0:4317"},
                    "http": {"endpoint": "0.0.0.0:4318"},
                }
            }
        },
        "processors": {
            # First in every pipeline: refuse data before the collector runs out of memory.
            "memory_limiter": {
                "check_interval": "1s",
                "limit_percentage": 80,
                "spike_limit_percentage": 25,
            },
            "batch/traces": {"timeout": "1s", "send_batch_size": 50},
            "batch/metrics": {"timeout": "60s"},
        },
    }


def production(catalog: Catalog) -> dict[str, Any]:
    config = _common(catalog)
    config["processors"]["resourcedetection"] = {
        "detectors": ["env", "ecs"],
        "timeout": "2s",
        # The SDK's service.* attributes decide the namespace; detectors only add.
        "override": False,
    }
    env = "${env:BELLA_ENVIRONMENT}"
    config["exporters"] = {
        "awsemf": {
            "region": "${env:AWS_REGION}",
            # Placeholders are filled from resource attributes (service.name, aws.ecs.task.id).
            "log_group_name": f"/bella/{env}/metrics/{{ServiceName}}",
            "log_stream_name": "{TaskId}",
            "log_retention": 30,
            **_awsemf(catalog),
        },
        "awsxray": {
            "region": "${env:AWS_REGION}",
            "indexed_attributes": XRAY_INDEXED,
            "aws_log_groups": [f"/bella/{env}/{s.lower()}" for s in catalog.services],
        },
    }
    processors = ["memory_limiter", "resourcedetection"]
    config["service"] = {
        "extensions": ["health_check"],
        "pipelines": {
            "traces": {
                "receivers": ["otlp"],
                "processors": [*processors, "batch/traces"],
                "exporters": ["awsxray"],
            },
            "metrics": {
                "receivers": ["otlp"],
                "processors": [*processors, "batch/metrics"],
                "exporters": ["awsemf"],
            },
        },
    }
    return config


def local(catalog: Catalog) -> dict[str, Any]:
    config = _common(catalog)
    config["processors"]["batch/metrics"] = {"timeout": "10s"}
    config["exporters"] = {
        "debug": {"verbosity": "basic"},
        # The same declarations, printed as EMF JSON instead of sent: what CloudWatch would get.
        "awsemf": {
            "output_destination": "stdout",
            "region": "ca-central-1",
            "local_mode": True,
            **_awsemf(catalog),
        },
    }
    config["service"] = {
        "extensions": ["health_check"],
        "pipelines": {
            "traces": {
                "receivers": ["otlp"],
                "processors": ["memory_limiter", "batch/traces"],
                "exporters": ["debug"],
            },
            "metrics": {
                "receivers": ["otlp"],
                "processors": ["memory_limiter", "batch/metrics"],
                "exporters": ["awsemf", "debug"],
            },
        },
    }
    return config


def render(config: dict[str, Any]) -> str:
    return HEADER + yaml.safe_dump(config, sort_keys=False, width=100)


def outputs(catalog: Catalog | None = None) -> dict[Path, str]:
    catalog = catalog or load()
    return {
        COLLECTOR_DIR / "adot-config.yaml": render(production(catalog)),
        COLLECTOR_DIR / "local-config.yaml": render(local(catalog)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bella_monitoring.collector")
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    args = parser.parse_args(argv)
    stale = []
    for path, text in outputs().items():
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {path}")
    for path in stale:
        print(f"stale: {path} (run python -m bella_monitoring.collector)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
