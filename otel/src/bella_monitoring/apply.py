"""Creates, checks and removes the planned monitoring with boto3.

Every call is an upsert or is guarded, so ``setup`` twice leaves the same state;
``verify`` lists each difference between the plan and the account (missing, changed
or unexpected resources under the ``bella-<env>`` prefix).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import boto3

from bella_monitoring.plan import Plan, dashboard_json

# Fields of DescribeAlarms compared with what PutMetricAlarm was given.
_ALARM_FIELDS = (
    "Namespace", "MetricName", "Dimensions", "Statistic", "Period", "EvaluationPeriods",
    "DatapointsToAlarm", "Threshold", "ComparisonOperator", "TreatMissingData",
)


@dataclass
class Clients:
    cloudwatch: Any
    sns: Any
    logs: Any

    @classmethod
    def for_region(cls, region: str) -> Clients:
        session = boto3.session.Session(region_name=region)
        return cls(session.client("cloudwatch"), session.client("sns"), session.client("logs"))


@dataclass
class Report:
    drift: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)


# --- reading the account ------------------------------------------------------------------


def _topic_arns(clients: Clients) -> dict[str, str]:
    arns: dict[str, str] = {}
    for page in clients.sns.get_paginator("list_topics").paginate():
        for topic in page["Topics"]:
            arns[topic["TopicArn"].rsplit(":", 1)[-1]] = topic["TopicArn"]
    return arns


def _alarms(clients: Clients, prefix: str) -> tuple[dict[str, dict], dict[str, dict]]:  # type: ignore[type-arg]
    metric: dict[str, dict] = {}  # type: ignore[type-arg]
    composite: dict[str, dict] = {}  # type: ignore[type-arg]
    paginator = clients.cloudwatch.get_paginator("describe_alarms")
    for page in paginator.paginate(
        AlarmNamePrefix=f"{prefix}-", AlarmTypes=["MetricAlarm", "CompositeAlarm"]
    ):
        metric.update({a["AlarmName"]: a for a in page.get("MetricAlarms", [])})
        composite.update({a["AlarmName"]: a for a in page.get("CompositeAlarms", [])})
    return metric, composite


def _log_groups(clients: Clients, prefix: str) -> dict[str, dict]:  # type: ignore[type-arg]
    groups: dict[str, dict] = {}  # type: ignore[type-arg]
    for page in clients.logs.get_paginator("describe_log_groups").paginate(
        logGroupNamePrefix=prefix
    ):
        groups.update({g["logGroupName"]: g for g in page["logGroups"]})
    return groups


def _dashboards(clients: Clients, prefix: str) -> list[str]:
    names = []
    for page in clients.cloudwatch.get_paginator("list_dashboards").paginate(
        DashboardNamePrefix=prefix
    ):
        names += [d["DashboardName"] for d in page["DashboardEntries"]]
    return names


# --- desired values that depend on the account (ARNs) -------------------------------------


def _alarm_arn(plan: Plan, account: str, name: str) -> str:
    return f"arn:aws:cloudwatch:{plan.region}:{account}:alarm:{name}"


def _dashboard_bodies(plan: Plan, account: str) -> dict[str, str]:
    bodies = {}
    arns = [_alarm_arn(plan, account, c.name) for c in plan.composites] + [
        _alarm_arn(plan, account, a.name) for a in plan.alarms if a.severity == "critical"
    ]
    for name, body in plan.dashboards.items():
        body = json.loads(json.dumps(body))
        for widget in body["widgets"]:
            if widget["type"] == "alarm":
                widget["properties"]["alarms"] = arns[:100]
        bodies[name] = dashboard_json(body)
    return bodies


def _account(clients: Clients, topic_arns: dict[str, str], plan: Plan) -> str:
    for severity_topic in plan.topics.values():
        if severity_topic in topic_arns:
            return topic_arns[severity_topic].split(":")[4]
    return "000000000000"


# --- commands -----------------------------------------------------------------------------


def setup(plan: Plan, clients: Clients, email: str | None = None) -> Report:
    report = Report()
    tags = plan.tags
    topic_arns = {}
    for severity, topic in plan.topics.items():
        arn = clients.sns.create_topic(
            Name=topic, Tags=[{"Key": k, "Value": v} for k, v in tags.items()]
        )["TopicArn"]
        topic_arns[severity] = arn
        report.done.append(f"topic {topic}")
        if email and severity in ("critical", "warning"):
            subs = clients.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
            if not any(s["Protocol"] == "email" and s["Endpoint"] == email for s in subs):
                clients.sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=email)
    cw_tags = [{"Key": k, "Value": v} for k, v in tags.items()]
    for alarm in plan.alarms:
        action = [topic_arns[alarm.severity]]
        clients.cloudwatch.put_metric_alarm(
            AlarmName=alarm.name,
            AlarmDescription=alarm.description,
            ActionsEnabled=True,
            AlarmActions=action,
            OKActions=action if alarm.severity == "critical" else [],
            Tags=cw_tags,
            **alarm.params,
        )
        report.done.append(f"alarm {alarm.name}")
    for composite in plan.composites:
        action = [topic_arns[composite.severity]]
        clients.cloudwatch.put_composite_alarm(
            AlarmName=composite.name,
            AlarmDescription=composite.description,
            AlarmRule=composite.rule,
            ActionsEnabled=True,
            AlarmActions=action,
            OKActions=action,
            Tags=cw_tags,
        )
        report.done.append(f"composite {composite.name}")
    account = topic_arns["critical"].split(":")[4]
    for name, body in _dashboard_bodies(plan, account).items():
        clients.cloudwatch.put_dashboard(DashboardName=name, DashboardBody=body)
        report.done.append(f"dashboard {name}")
    existing = _log_groups(clients, f"/bella/{plan.environment}/")
    for group in plan.log_groups:
        if group.name not in existing:
            clients.logs.create_log_group(logGroupName=group.name, tags=tags)
        clients.logs.put_retention_policy(
            logGroupName=group.name, retentionInDays=group.retention_days
        )
        report.done.append(f"log group {group.name}")
    return report


def verify(plan: Plan, clients: Clients) -> Report:
    report = Report()
    drift = report.drift
    topic_arns = _topic_arns(clients)
    for topic in plan.topics.values():
        if topic not in topic_arns:
            drift.append(f"topic {topic}: missing")
    account = _account(clients, topic_arns, plan)

    metric_alarms, composite_alarms = _alarms(clients, plan.prefix)
    for alarm in plan.alarms:
        actual = metric_alarms.pop(alarm.name, None)
        if actual is None:
            drift.append(f"alarm {alarm.name}: missing")
            continue
        want_action = topic_arns.get(plan.topics[alarm.severity])
        if actual.get("AlarmActions") != [want_action]:
            drift.append(f"alarm {alarm.name}: actions {actual.get('AlarmActions')}")
        if "Metrics" in alarm.params:
            if _norm_queries(actual.get("Metrics", [])) != _norm_queries(alarm.params["Metrics"]):
                drift.append(f"alarm {alarm.name}: metric math changed")
            fields: tuple[str, ...] = ("Threshold", "ComparisonOperator", "EvaluationPeriods")
        else:
            fields = _ALARM_FIELDS
        for name in fields:
            want, got = alarm.params.get(name), actual.get(name)
            if name == "Dimensions":
                want, got = _norm_dims(want), _norm_dims(got)
            if want != got:
                drift.append(f"alarm {alarm.name}: {name} is {got!r}, want {want!r}")
    drift += [f"alarm {name}: unexpected" for name in sorted(metric_alarms)]

    for composite in plan.composites:
        actual = composite_alarms.pop(composite.name, None)
        if actual is None:
            drift.append(f"composite {composite.name}: missing")
        elif actual.get("AlarmRule") != composite.rule:
            drift.append(f"composite {composite.name}: rule changed")
    drift += [f"composite {name}: unexpected" for name in sorted(composite_alarms)]

    existing = set(_dashboards(clients, plan.prefix))
    for name, body in _dashboard_bodies(plan, account).items():
        if name not in existing:
            drift.append(f"dashboard {name}: missing")
            continue
        actual_body = clients.cloudwatch.get_dashboard(DashboardName=name)["DashboardBody"]
        if dashboard_json(json.loads(actual_body)) != body:
            drift.append(f"dashboard {name}: body changed")
    drift += [f"dashboard {n}: unexpected" for n in sorted(existing - set(plan.dashboards))]

    groups = _log_groups(clients, f"/bella/{plan.environment}/")
    for group in plan.log_groups:
        actual = groups.get(group.name)
        if actual is None:
            drift.append(f"log group {group.name}: missing")
        elif actual.get("retentionInDays") != group.retention_days:
            drift.append(
                f"log group {group.name}: retention {actual.get('retentionInDays')}, "
                f"want {group.retention_days}"
            )
    return report


def teardown(plan: Plan, clients: Clients, keep_logs: bool = False) -> Report:
    report = Report()
    metric_alarms, composite_alarms = _alarms(clients, plan.prefix)
    # Composites first: CloudWatch refuses to delete an alarm a composite still names.
    if composite_alarms:
        clients.cloudwatch.delete_alarms(AlarmNames=sorted(composite_alarms))
        report.done += [f"composite {n}" for n in sorted(composite_alarms)]
    names = sorted(metric_alarms)
    for i in range(0, len(names), 100):
        clients.cloudwatch.delete_alarms(AlarmNames=names[i : i + 100])
    report.done += [f"alarm {n}" for n in names]
    dashboards = [n for n in _dashboards(clients, plan.prefix) if n in plan.dashboards]
    if dashboards:
        clients.cloudwatch.delete_dashboards(DashboardNames=dashboards)
        report.done += [f"dashboard {n}" for n in dashboards]
    topic_arns = _topic_arns(clients)
    for topic in plan.topics.values():
        if topic in topic_arns:
            clients.sns.delete_topic(TopicArn=topic_arns[topic])
            report.done.append(f"topic {topic}")
    if not keep_logs:
        existing = _log_groups(clients, f"/bella/{plan.environment}/")
        for group in plan.log_groups:
            if group.name in existing:
                clients.logs.delete_log_group(logGroupName=group.name)
                report.done.append(f"log group {group.name}")
    return report


def _norm_dims(dims: Any) -> list[tuple[str, str]]:
    return sorted((d["Name"], d["Value"]) for d in dims or [])


def _norm_queries(queries: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for q in queries:
        stat = q.get("MetricStat")
        if stat:
            metric = stat["Metric"]
            out.append((q["Id"], metric["Namespace"], metric["MetricName"],
                        tuple(_norm_dims(metric.get("Dimensions"))), stat["Period"], stat["Stat"],
                        bool(q.get("ReturnData", True))))
        else:
            out.append((q["Id"], q.get("Expression"), bool(q.get("ReturnData", True))))
    return sorted(out, key=str)
