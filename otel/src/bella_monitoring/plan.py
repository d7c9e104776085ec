"""The monitoring Bella wants in one AWS account/region, as data (no AWS calls here).

Built from the metric table, so an alarm can only watch a metric some service emits, in
the namespace and with the dimensions the collector publishes. The alerting strategy:

critical  API error rate > 5 %, DB pool > 80 %, system health < 80 %, OpenAI latency > 5 s,
          speech recognition < 85 %
warning   response time > 2 s, extraction accuracy < 85 %, cache hit rate < 70 %,
          dashboard load > 3 s
info      call volume change > 50 %, token usage change > 30 % (hour over hour, metric math)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bella_monitoring.catalog import Catalog, load

SEVERITIES = ("critical", "warning", "info")
PERIOD = 300
HOUR = 3600


@dataclass(frozen=True)
class Alarm:
    name: str
    severity: str
    description: str
    params: dict[str, Any]  # PutMetricAlarm arguments except name/actions/tags


@dataclass(frozen=True)
class CompositeAlarm:
    name: str
    severity: str
    description: str
    rule: str


@dataclass(frozen=True)
class LogGroup:
    name: str
    retention_days: int


@dataclass
class Plan:
    environment: str
    region: str
    prefix: str
    topics: dict[str, str] = field(default_factory=dict)  # severity -> topic name
    alarms: list[Alarm] = field(default_factory=list)
    composites: list[CompositeAlarm] = field(default_factory=list)
    dashboards: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> body
    log_groups: list[LogGroup] = field(default_factory=list)

    @property
    def tags(self) -> dict[str, str]:
        return {
            "project": "bella",
            "environment": self.environment,
            "managed-by": "bella-monitoring",
        }


def _metric_alarm(
    catalog: Catalog,
    service: str,
    metric: str,
    statistic: str,
    operator: str,
    threshold: float,
    *,
    missing: str = "notBreaching",
    period: int = PERIOD,
    evaluations: int = 2,
) -> dict[str, Any]:
    spec = catalog.get(metric)
    if service not in spec.services:
        raise ValueError(f"{service} does not emit {metric}")
    if ("service",) not in spec.dimensions:
        raise ValueError(f"{metric} is not published per service alone")
    return {
        "Namespace": catalog.namespace(service),
        "MetricName": metric,
        "Dimensions": [{"Name": "service", "Value": service}],
        "Statistic": statistic,
        "Period": period,
        "EvaluationPeriods": evaluations,
        "DatapointsToAlarm": evaluations,
        "Threshold": float(threshold),
        "ComparisonOperator": operator,
        "TreatMissingData": missing,
    }


def _change_alarm(catalog: Catalog, service: str, metric: str, percent: float) -> dict[str, Any]:
    """Hour-over-hour change in percent: DIFF(m1) is this hour minus the previous one."""
    if service not in catalog.get(metric).services:
        raise ValueError(f"{service} does not emit {metric}")
    expression = "IF(m1 - DIFF(m1) > 0, 100 * ABS(DIFF(m1)) / (m1 - DIFF(m1)), 0)"
    return {
        "Metrics": [
            {
                "Id": "m1",
                "MetricStat": {
                    "Metric": {
                        "Namespace": catalog.namespace(service),
                        "MetricName": metric,
                        "Dimensions": [{"Name": "service", "Value": service}],
                    },
                    "Period": HOUR,
                    "Stat": "Sum",
                },
                "ReturnData": False,
            },
            {
                "Id": "change",
                "Expression": expression,
                "Label": f"{metric} change vs previous hour (%)",
                "ReturnData": True,
            },
        ],
        "EvaluationPeriods": 1,
        "DatapointsToAlarm": 1,
        "Threshold": float(percent),
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
    }


def _widget(title: str, metrics: list[list[Any]], region: str, stat: str, **extra: Any) -> dict:  # type: ignore[type-arg]
    return {
        "type": "metric",
        "width": 12,
        "height": 6,
        "properties": {
            "title": title,
            "region": region,
            "stat": stat,
            "period": PERIOD,
            "view": "timeSeries",
            "metrics": metrics,
            **extra,
        },
    }


def _series(catalog: Catalog, service: str, metric: str) -> list[Any]:
    return [catalog.namespace(service), metric, "service", service]


def _search(catalog: Catalog, service: str, metric: str, dimension: str, stat: str) -> list[Any]:
    """One line per value of ``dimension`` (outcomes, dependencies) without listing them."""
    expression = (
        f"SEARCH('{{{catalog.namespace(service)},service,{dimension}}} "
        f'MetricName="{metric}"\', \'{stat}\', {PERIOD})'
    )
    return [{"expression": expression, "id": f"{metric.lower()}{service.lower()}",
             "label": service}]


def _layout(widgets: list[dict[str, Any]]) -> dict[str, Any]:
    for i, widget in enumerate(widgets):
        widget["x"] = (i % 2) * 12
        widget["y"] = (i // 2) * 6
    return {"widgets": widgets}


def build(environment: str, region: str, catalog: Catalog | None = None) -> Plan:
    catalog = catalog or load()
    prefix = f"bella-{environment}"
    plan = Plan(environment=environment, region=region, prefix=prefix)
    plan.topics = {s: f"{prefix}-{s}" for s in SEVERITIES}

    def add(service: str, slug: str, severity: str, description: str, params: dict) -> str:  # type: ignore[type-arg]
        name = f"{prefix}-{service.lower()}-{slug}"
        plan.alarms.append(Alarm(name, severity, description, params))
        return name

    a = _metric_alarm
    # critical
    api_errors = [
        add(s, "api-error-rate", "critical", f"{s} API error rate above 5 %",
            a(catalog, s, "ErrorRate", "Average", "GreaterThanThreshold", 5))
        for s in ("Voice", "Admin")
    ]
    db_pool = add("Booking", "db-pool-usage", "critical", "Booking DB connection pool above 80 %",
                  a(catalog, "Booking", "ConnectionPoolUsage", "Maximum", "GreaterThanThreshold",
                    80))
    health = {
        s: add(s, "system-health", "critical", f"{s} health below 80 % (or not reporting)",
               a(catalog, s, "SystemHealth", "Minimum", "LessThanThreshold", 80,
                 missing="breaching"))
        for s in catalog.services
    }
    openai = add("NLP", "openai-latency", "critical", "OpenAI API latency above 5 s",
                 a(catalog, "NLP", "OpenAIAPILatency", "Average", "GreaterThanThreshold", 5000))
    speech = add("Voice", "speech-recognition", "critical",
                 "Speech recognition confidence below 85 %",
                 a(catalog, "Voice", "SpeechRecognitionAccuracy", "Average", "LessThanThreshold",
                   85))
    # warning
    for s in ("Voice", "Admin"):
        add(s, "response-time", "warning", f"{s} response time above 2 s",
            a(catalog, s, "ResponseTime", "Average", "GreaterThanThreshold", 2000))
    extraction = add("NLP", "extraction-accuracy", "warning", "Extraction accuracy below 85 %",
                     a(catalog, "NLP", "ExtractionAccuracy", "Average", "LessThanThreshold", 85))
    add("NLP", "cache-hit-rate", "warning", "NLP cache hit rate below 70 %",
        a(catalog, "NLP", "CacheHitRate", "Average", "LessThanThreshold", 70, evaluations=3))
    add("Admin", "dashboard-load", "warning", "Admin dashboard load above 3 s",
        a(catalog, "Admin", "DashboardLoadTime", "Average", "GreaterThanThreshold", 3000))
    # info
    add("Voice", "call-volume-change", "info", "Call volume changed more than 50 % hour over hour",
        _change_alarm(catalog, "Voice", "CallVolume", 50))
    add("NLP", "token-usage-change", "info",
        "OpenAI token usage changed more than 30 % hour over hour",
        _change_alarm(catalog, "NLP", "OpenAITokenUsage", 30))

    def any_of(names: list[str]) -> str:
        return " OR ".join(f'ALARM("{n}")' for n in names)

    plan.composites = [
        CompositeAlarm(
            f"{prefix}-overall-system-health", "critical",
            "Bella is unhealthy: a service is down or an API/database limit is breached",
            any_of([*health.values(), *api_errors, db_pool]),
        ),
        CompositeAlarm(
            f"{prefix}-ai-processing-health", "critical",
            "Calls are not being understood: OpenAI, speech recognition or extraction degraded",
            any_of([openai, speech, extraction, health["NLP"]]),
        ),
    ]

    r = region
    s_ = lambda svc, m: _series(catalog, svc, m)  # noqa: E731
    plan.dashboards = {
        f"{prefix}-executive": _layout([
            _widget("Calls answered", [s_("Voice", "CallVolume")], r, "Sum"),
            _widget("Bookings by outcome", [_search(catalog, "Booking", "BookingCount",
                                                    "outcome", "Sum")], r, "Sum"),
            _widget("System health (%)", [s_(svc, "SystemHealth") for svc in catalog.services],
                    r, "Minimum", yAxis={"left": {"min": 0, "max": 100}}),
            _widget("Call outcomes", [_search(catalog, "Voice", "CallOutcome", "outcome", "Sum")],
                    r, "Sum"),
        ]),
        f"{prefix}-technical": _layout([
            _widget("API response time (ms)", [s_("Voice", "ResponseTime"),
                                               s_("Admin", "ResponseTime")], r, "Average"),
            _widget("API error rate (%)", [s_("Voice", "ErrorRate"), s_("Admin", "ErrorRate")],
                    r, "Average"),
            _widget("Voice latency (ms)", [s_("Voice", "TwilioWebhookLatency"),
                                           s_("Voice", "VoiceProcessingLatency")], r, "Average"),
            _widget("NLP latency (ms)", [s_("NLP", "ExtractionLatency"),
                                         s_("NLP", "OpenAIAPILatency")], r, "Average"),
            _widget("Understanding quality (%)", [s_("Voice", "SpeechRecognitionAccuracy"),
                                                  s_("NLP", "ExtractionAccuracy"),
                                                  s_("NLP", "CacheHitRate"),
                                                  s_("NLP", "ArtifactFilteringEffectiveness")],
                    r, "Average"),
            _widget("Booking database", [s_("Booking", "QueryLatency"),
                                         s_("Booking", "ConnectionPoolUsage")], r, "Average"),
            _widget("OpenAI tokens", [s_("NLP", "OpenAITokenUsage")], r, "Sum"),
            _widget("Calendar sync latency (ms)", [s_("Booking", "CalendarIntegrationLatency")],
                    r, "Average"),
        ]),
        f"{prefix}-operational": _layout([
            {"type": "alarm", "width": 24, "height": 4,
             "properties": {"title": "Alarms", "alarms": []}},  # ARNs filled in by apply
            _widget("Errors", [s_("Booking", "DatabaseErrors"),
                               s_("Booking", "BusinessRuleViolations"),
                               s_("Booking", "TransactionCount")], r, "Sum"),
            _widget("Security events", [s_("Voice", "SecurityEvents"),
                                        s_("Admin", "SecurityEvents"),
                                        s_("Admin", "AdminLoginCount")], r, "Sum"),
            _widget("Requests", [s_("Voice", "RequestCount"), s_("Admin", "RequestCount")],
                    r, "Sum"),
            _widget("Admin dashboard load (ms)", [s_("Admin", "DashboardLoadTime")], r, "Average"),
            _widget("Circuit breakers (0 closed, 2 open)",
                    [_search(catalog, svc, "CircuitBreakerState", "dependency", "Maximum")
                     for svc in catalog.services], r, "Maximum"),
        ]),
    }

    app_retention = 90 if environment in ("prod", "production") else 30
    plan.log_groups = [LogGroup(f"/bella/{environment}/{s.lower()}", app_retention)
                       for s in catalog.services]
    plan.log_groups.append(LogGroup(f"/bella/{environment}/collector", 30))
    # Where the collector's awsemf writes EMF (log_group_name /bella/<env>/metrics/{ServiceName});
    # its log_retention is 30 too, so the two never fight.
    plan.log_groups += [LogGroup(f"/bella/{environment}/metrics/{s}", 30) for s in catalog.services]
    return plan


def dashboard_json(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"))
