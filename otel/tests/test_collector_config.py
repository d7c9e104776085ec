"""The ADOT collector configs, checked against the exporters' real keys and the metric table.

No collector binary runs here: the tests parse the YAML, compare every key with the key
lists copied from the components' schemas (fixtures/component_keys.yaml names the source
files), and replay awsemf's declaration matching for every metric in otel/metrics.yaml.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bella_core.telemetry import ANNOTATION_KEYS, METRIC_NAMES
from bella_monitoring import collector
from bella_monitoring.catalog import ALLOWED_DIMENSIONS, KINDS, Catalog, load

KEYS = yaml.safe_load((Path(__file__).parent / "fixtures" / "component_keys.yaml").read_text())
CONFIGS = {
    "adot": collector.COLLECTOR_DIR / "adot-config.yaml",
    "local": collector.COLLECTOR_DIR / "local-config.yaml",
}


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load(CONFIGS[name].read_text())


def _type(component_id: str) -> str:
    return component_id.split("/", 1)[0]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load()


def test_committed_configs_are_generated_from_the_table() -> None:
    assert collector.main(["--check"]) == 0


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_key_is_one_the_component_accepts(name: str) -> None:
    config = _load(name)
    for kind in ("receivers", "processors", "exporters", "extensions"):
        for component_id, settings in config[kind].items():
            spec = KEYS[kind][_type(component_id)]
            allowed = set(spec["keys"]) | set(spec.get("session", []))
            unknown = set(settings or {}) - allowed
            assert not unknown, f"{kind}.{component_id}: unknown keys {unknown}"
    otlp = config["receivers"]["otlp"]["protocols"]
    assert set(otlp) == {"grpc", "http"}
    for server in otlp.values():
        assert set(server) <= set(KEYS["receivers"]["otlp"]["server_keys"])

    emf_spec = KEYS["exporters"]["awsemf"]
    emf = config["exporters"]["awsemf"]
    assert emf["dimension_rollup_option"] == "NoDimensionRollup"
    assert "namespace" not in emf, "namespace must stay unset so each service gets Bella/<name>"
    assert emf.get("output_destination", "cloudwatch") in emf_spec["output_destinations"]
    for declaration in emf["metric_declarations"]:
        assert set(declaration) <= set(emf_spec["metric_declaration_keys"])
        for matcher in declaration.get("label_matchers", []):
            assert set(matcher) <= set(emf_spec["label_matcher_keys"])
    for descriptor in emf["metric_descriptors"]:
        assert set(descriptor) <= set(emf_spec["metric_descriptor_keys"])


def test_production_config_shape() -> None:
    config = _load("adot")
    emf = config["exporters"]["awsemf"]
    assert emf["log_retention"] in KEYS["exporters"]["awsemf"]["log_retention_values"]
    # Placeholders only work in log group / stream names.
    assert "{ServiceName}" in emf["log_group_name"] and emf["log_stream_name"] == "{TaskId}"
    assert config["processors"]["resourcedetection"]["detectors"] == ["env", "ecs"]
    indexed = config["exporters"]["awsxray"]["indexed_attributes"]
    assert set(ANNOTATION_KEYS.values()) <= set(indexed)
    assert "service.name" in indexed
    assert "health_check" in config["service"]["extensions"]


def test_local_config_needs_no_aws() -> None:
    config = _load("local")
    assert config["exporters"]["awsemf"]["output_destination"] == "stdout"
    assert "awsxray" not in config["exporters"]
    exporters = {e for p in config["service"]["pipelines"].values() for e in p["exporters"]}
    assert "debug" in exporters


@pytest.mark.parametrize("name", list(CONFIGS))
def test_pipelines_use_defined_adot_components_memory_limiter_first(name: str) -> None:
    config = _load(name)
    adot = KEYS["adot_components"]
    for kind in ("receivers", "processors", "exporters", "extensions"):
        for component_id in config[kind]:
            assert _type(component_id) in adot[kind], f"ADOT does not ship {component_id}"
    for extension in config["service"]["extensions"]:
        assert extension in config["extensions"]
    for pipeline_id, pipeline in config["service"]["pipelines"].items():
        for kind in ("receivers", "processors", "exporters"):
            for component_id in pipeline.get(kind, []):
                assert component_id in config[kind], f"{pipeline_id} uses undefined {component_id}"
        assert pipeline["processors"][0] == "memory_limiter"
        assert _type(pipeline["processors"][-1]) == "batch"


def test_table_is_well_formed_and_matches_the_sdk_names(catalog: Catalog) -> None:
    names = [m.name for m in catalog.metrics]
    assert len(names) == len(set(names))
    assert set(names) == set(METRIC_NAMES), "bella_core.telemetry.METRIC_NAMES is out of step"
    for metric in catalog.metrics:
        assert metric.kind in KINDS
        assert set(metric.services) <= set(catalog.services)
        assert set(metric.attributes) <= ALLOWED_DIMENSIONS - {"service"}
        for dims in metric.dimensions:
            assert dims[0] == "service"
            assert set(dims) <= {"service", *metric.attributes}, metric.name
    every = {m.name for m in catalog.metrics if set(m.services) == set(catalog.services)}
    assert every == {"SystemHealth", "CircuitBreakerState"}


def _declarations(name: str) -> list[dict[str, Any]]:
    return _load(name)["exporters"]["awsemf"]["metric_declarations"]


def _emf_dimension_sets(
    declarations: list[dict[str, Any]], metric: str, labels: dict[str, str]
) -> list[list[str]]:
    """awsemf's rule: a declaration applies when a name selector and every label matcher
    match; of its dimension sets, those whose keys all exist on the data point are kept."""
    kept: list[list[str]] = []
    for declaration in declarations:
        if not any(re.search(sel, metric) for sel in declaration["metric_name_selectors"]):
            continue
        matchers = declaration.get("label_matchers", [])
        if not all(
            all(n in labels for n in m["label_names"])
            and re.search(
                m["regex"], m.get("separator", ";").join(labels[n] for n in m["label_names"])
            )
            for m in matchers
        ):
            continue
        kept += [d for d in declaration["dimensions"] if all(k in labels for k in d)]
    return kept


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_metric_lands_in_its_namespace_and_nowhere_else(
    name: str, catalog: Catalog
) -> None:
    declarations = _declarations(name)
    for declaration in declarations:
        for dims in declaration["dimensions"]:
            assert 1 <= len(dims) <= 10, "awsemf drops declarations with more than 10 dimensions"
            assert set(dims) <= ALLOWED_DIMENSIONS
    for metric in catalog.metrics:
        for service in catalog.services:
            labels = {"service": service, **{a: "x" for a in metric.attributes}}
            kept = _emf_dimension_sets(declarations, metric.name, labels)
            if service in metric.services:
                assert sorted(map(tuple, kept)) == sorted(metric.dimensions), (metric.name, service)
                # The bare data point (just the service label) must survive when allowed.
                if ("service",) in metric.dimensions:
                    assert _emf_dimension_sets(declarations, metric.name, {"service": service})
            else:
                assert not kept, f"{metric.name} from {service} would be published by mistake"
    # Names the SDK would send lower-cased, or the instrumentation's own metrics, are dropped.
    assert not _emf_dimension_sets(declarations, "callvolume", {"service": "Voice"})
    assert not _emf_dimension_sets(declarations, "http.server.duration", {"service": "Voice"})


def test_every_metric_has_a_cloudwatch_unit(catalog: Catalog) -> None:
    valid = {"Milliseconds", "Seconds", "Percent", "Count", "None", "Bytes"}
    descriptors = {
        d["metric_name"]: d["unit"]
        for d in _load("adot")["exporters"]["awsemf"]["metric_descriptors"]
    }
    assert set(descriptors) == {m.name for m in catalog.metrics}
    assert set(descriptors.values()) <= valid
