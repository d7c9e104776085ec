"""bella-monitoring against moto: setup creates the plan, twice is the same, verify sees drift."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from bella_monitoring.__main__ import main
from bella_monitoring.apply import Clients, setup, verify
from bella_monitoring.catalog import load
from bella_monitoring.plan import build
from moto import mock_aws
from moto.cloudwatch.responses import CloudWatchResponse

REGION = "ca-central-1"
ENV = "staging"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clients]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    # moto 5.2 stores composite alarms (AlarmRule) through its PutMetricAlarm handler but
    # does not route the PutCompositeAlarm action to it; the real API is what apply.py calls.
    if not hasattr(CloudWatchResponse, "put_composite_alarm"):
        monkeypatch.setattr(
            CloudWatchResponse,
            "put_composite_alarm",
            CloudWatchResponse.put_metric_alarm,
            raising=False,
        )
    with mock_aws():
        yield Clients.for_region(REGION)


def _state(clients: Clients) -> dict[str, Any]:
    alarms = clients.cloudwatch.describe_alarms(
        AlarmTypes=["MetricAlarm", "CompositeAlarm"], MaxRecords=100
    )
    dashboards = clients.cloudwatch.list_dashboards()["DashboardEntries"]
    return {
        "alarms": sorted(
            (a["AlarmName"], a.get("Threshold"), a.get("ComparisonOperator"))
            for a in alarms["MetricAlarms"]
        ),
        "composites": sorted((a["AlarmName"], a["AlarmRule"]) for a in alarms["CompositeAlarms"]),
        "topics": sorted(t["TopicArn"] for t in clients.sns.list_topics()["Topics"]),
        "dashboards": sorted(
            (
                d["DashboardName"],
                clients.cloudwatch.get_dashboard(DashboardName=d["DashboardName"])[
                    "DashboardBody"
                ],
            )
            for d in dashboards
        ),
        "logs": sorted(
            (g["logGroupName"], g.get("retentionInDays"))
            for g in clients.logs.describe_log_groups()["logGroups"]
        ),
    }


def test_setup_creates_the_alerting_strategy(aws: Clients) -> None:
    assert main(["setup", "--environment", ENV, "--region", REGION]) == 0
    alarms = {
        a["AlarmName"]: a for a in aws.cloudwatch.describe_alarms(MaxRecords=100)["MetricAlarms"]
    }
    topics = {
        t["TopicArn"].rsplit(":", 1)[-1]: t["TopicArn"] for t in aws.sns.list_topics()["Topics"]
    }
    assert set(topics) == {f"bella-{ENV}-critical", f"bella-{ENV}-warning", f"bella-{ENV}-info"}

    error_rate = alarms[f"bella-{ENV}-voice-api-error-rate"]
    assert (error_rate["Namespace"], error_rate["MetricName"]) == ("Bella/Voice", "ErrorRate")
    assert error_rate["Dimensions"] == [{"Name": "service", "Value": "Voice"}]
    assert error_rate["Threshold"] == 5.0
    assert error_rate["ComparisonOperator"] == "GreaterThanThreshold"
    assert error_rate["AlarmActions"] == [topics[f"bella-{ENV}-critical"]]
    assert f"bella-{ENV}-admin-api-error-rate" in alarms

    expected = {
        "booking-db-pool-usage": ("Bella/Booking", "ConnectionPoolUsage", 80.0, "critical"),
        "nlp-openai-latency": ("Bella/NLP", "OpenAIAPILatency", 5000.0, "critical"),
        "voice-speech-recognition": ("Bella/Voice", "SpeechRecognitionAccuracy", 85.0, "critical"),
        "admin-system-health": ("Bella/Admin", "SystemHealth", 80.0, "critical"),
        "voice-response-time": ("Bella/Voice", "ResponseTime", 2000.0, "warning"),
        "nlp-extraction-accuracy": ("Bella/NLP", "ExtractionAccuracy", 85.0, "warning"),
        "nlp-cache-hit-rate": ("Bella/NLP", "CacheHitRate", 70.0, "warning"),
        "admin-dashboard-load": ("Bella/Admin", "DashboardLoadTime", 3000.0, "warning"),
    }
    for slug, (namespace, metric, threshold, severity) in expected.items():
        alarm = alarms[f"bella-{ENV}-{slug}"]
        got = (alarm["Namespace"], alarm["MetricName"], alarm["Threshold"])
        assert got == (namespace, metric, threshold), slug
        assert alarm["AlarmActions"] == [topics[f"bella-{ENV}-{severity}"]], slug
    # A service that stops reporting is unhealthy.
    assert alarms[f"bella-{ENV}-nlp-system-health"]["TreatMissingData"] == "breaching"

    volume = alarms[f"bella-{ENV}-voice-call-volume-change"]
    assert volume["Threshold"] == 50.0
    assert volume["AlarmActions"] == [topics[f"bella-{ENV}-info"]]
    expression = next(q for q in volume["Metrics"] if q.get("ReturnData"))["Expression"]
    assert "DIFF(m1)" in expression
    assert alarms[f"bella-{ENV}-nlp-token-usage-change"]["Threshold"] == 30.0

    composites = {
        a["AlarmName"]: a["AlarmRule"]
        for a in aws.cloudwatch.describe_alarms(AlarmTypes=["CompositeAlarm"])["CompositeAlarms"]
    }
    overall = composites[f"bella-{ENV}-overall-system-health"]
    assert f'ALARM("bella-{ENV}-booking-db-pool-usage")' in overall
    ai = composites[f"bella-{ENV}-ai-processing-health"]
    assert f'ALARM("bella-{ENV}-nlp-openai-latency")' in ai

    dashboards = {d["DashboardName"] for d in aws.cloudwatch.list_dashboards()["DashboardEntries"]}
    assert dashboards == {f"bella-{ENV}-{k}" for k in ("executive", "technical", "operational")}
    logs = {
        g["logGroupName"]: g["retentionInDays"]
        for g in aws.logs.describe_log_groups()["logGroups"]
    }
    assert logs[f"/bella/{ENV}/voice"] == 30
    assert logs[f"/bella/{ENV}/metrics/Booking"] == 30


def test_setup_twice_is_the_same_state_and_verify_is_clean(aws: Clients) -> None:
    assert main(["setup", "--environment", ENV, "--region", REGION]) == 0
    first = _state(aws)
    assert main(["setup", "--environment", ENV, "--region", REGION]) == 0
    assert _state(aws) == first
    assert main(["verify", "--environment", ENV, "--region", REGION]) == 0


def test_verify_reports_drift(aws: Clients, capsys: pytest.CaptureFixture[str]) -> None:
    plan = build(ENV, REGION)
    setup(plan, aws)
    first = plan.alarms[0]
    aws.cloudwatch.put_metric_alarm(  # someone loosened a threshold by hand
        **{**first.params, "Threshold": 50.0}, AlarmName=first.name, AlarmActions=[]
    )
    aws.cloudwatch.delete_dashboards(DashboardNames=[f"bella-{ENV}-technical"])
    aws.logs.put_retention_policy(logGroupName=f"/bella/{ENV}/nlp", retentionInDays=1)
    aws.cloudwatch.put_metric_alarm(
        AlarmName=f"bella-{ENV}-stray",
        MetricName="X",
        Namespace="Bella/Voice",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanThreshold",
    )
    drift = verify(plan, aws).drift
    assert f"alarm {first.name}: Threshold is 50.0, want 5.0" in drift
    assert any(d.startswith(f"alarm {first.name}: actions") for d in drift)
    assert f"dashboard bella-{ENV}-technical: missing" in drift
    assert f"log group /bella/{ENV}/nlp: retention 1, want 30" in drift
    assert f"alarm bella-{ENV}-stray: unexpected" in drift
    assert main(["verify", "--environment", ENV, "--region", REGION]) == 1
    assert "drift:" in capsys.readouterr().out
    # setup repairs what it owns
    setup(plan, aws)
    assert verify(plan, aws).drift == [f"alarm bella-{ENV}-stray: unexpected"]


def test_teardown_removes_everything_and_leaves_other_environments(aws: Clients) -> None:
    assert main(["setup", "--environment", ENV, "--region", REGION]) == 0
    assert main(["setup", "--environment", "production", "--region", REGION]) == 0
    assert main(["teardown", "--environment", ENV, "--region", REGION]) == 0
    state = _state(aws)
    names = [a[0] for a in state["alarms"]] + [c[0] for c in state["composites"]]
    assert names and all(n.startswith("bella-production-") for n in names)
    assert all("staging" not in t for t in state["topics"])
    assert all(not g.startswith(f"/bella/{ENV}/") for g, _ in state["logs"])
    assert main(["verify", "--environment", ENV, "--region", REGION]) == 1
    assert main(["verify", "--environment", "production", "--region", REGION]) == 0


def test_alarms_and_dashboards_only_use_published_metrics() -> None:
    catalog = load()
    plan = build(ENV, REGION, catalog)
    for alarm in plan.alarms:
        queries = alarm.params.get("Metrics")
        metric = queries[0]["MetricStat"]["Metric"] if queries else alarm.params
        spec = catalog.get(metric["MetricName"])
        service = metric["Namespace"].split("/", 1)[1]
        assert service in spec.services, alarm.name
        assert ("service",) in spec.dimensions, alarm.name
    body = json.dumps(plan.dashboards)
    for metric in catalog.metrics:
        assert metric.name in body, f"{metric.name} is on no dashboard"


def test_email_subscribes_once_to_critical_and_warning(aws: Clients) -> None:
    args = ["setup", "--environment", ENV, "--region", REGION, "--email", "ops@clinic.example"]
    assert main(args) == 0
    assert main(args) == 0
    subs = aws.sns.list_subscriptions()["Subscriptions"]
    topics = sorted(s["TopicArn"].rsplit(":", 1)[-1] for s in subs)
    assert topics == [f"bella-{ENV}-critical", f"bella-{ENV}-warning"]
    assert {s["Endpoint"] for s in subs} == {"ops@clinic.example"}
