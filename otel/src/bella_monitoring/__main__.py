"""bella-monitoring setup|verify|teardown --environment ENV --region REGION.

Creates, checks or removes Bella's CloudWatch alarms (critical/warning/info), SNS topics
per severity, composite alarms, dashboards and log groups. AWS credentials come from the
usual boto3 chain (environment, profile, task role).
"""

from __future__ import annotations

import argparse
import sys

from bella_monitoring.apply import Clients, setup, teardown, verify
from bella_monitoring.plan import build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bella-monitoring", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("setup", "create or update everything (idempotent)"),
        ("verify", "report drift from the plan; exit 1 when there is any"),
        ("teardown", "remove everything this tool created for the environment"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--environment", required=True, help="e.g. staging, production")
        cmd.add_argument("--region", required=True, help="e.g. ca-central-1")
        if name == "setup":
            cmd.add_argument("--email", help="subscribe this address to critical and warning")
        if name == "teardown":
            cmd.add_argument("--keep-logs", action="store_true", help="leave the log groups")
    args = parser.parse_args(argv)

    plan = build(args.environment, args.region)
    clients = Clients.for_region(args.region)
    if args.command == "setup":
        report = setup(plan, clients, email=args.email)
        print(f"set up {len(report.done)} resources for bella-{args.environment}")
        return 0
    if args.command == "teardown":
        report = teardown(plan, clients, keep_logs=args.keep_logs)
        print(f"removed {len(report.done)} resources for bella-{args.environment}")
        return 0
    report = verify(plan, clients)
    for line in report.drift:
        print(f"drift: {line}")
    if report.drift:
        print(f"{len(report.drift)} differences from the plan", file=sys.stderr)
        return 1
    print(
        f"bella-{args.environment}: {len(plan.alarms)} alarms, {len(plan.composites)} composites,"
        f" {len(plan.dashboards)} dashboards, {len(plan.log_groups)} log groups as planned"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
