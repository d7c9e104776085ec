"""Small pure pieces: password policy and hashing, CSV neutralisation, links, chart."""

from __future__ import annotations

import csv
import io

import pytest
from bella.v1 import calls_pb2
from bella_admin.chart import kpi_chart
from bella_admin.csvexport import csv_lines, neutralise
from bella_admin.labels import xray_console_url
from bella_admin.passwords import (
    PasswordPolicyError,
    check_policy,
    generate_password,
    hash_password,
    verify_password,
)


def test_hashes_are_argon2id_at_least_asvs_minimum() -> None:
    encoded = hash_password("a long enough passphrase")
    assert encoded.startswith("$argon2id$v=19$")
    settings = dict(kv.split("=") for kv in encoded.split("$")[3].split(","))
    assert int(settings["m"]) >= 19 * 1024 and int(settings["t"]) >= 2 and int(settings["p"]) >= 1
    assert verify_password(encoded, "a long enough passphrase")
    assert not verify_password(encoded, "a long enough passphrasE")
    assert not verify_password(None, "anything at all")


@pytest.mark.parametrize(
    ("password", "message"),
    [("short pass", "at least 12"), ("x" * 129, "at most 128"), ("password1234", "too common"),
     ("aaaaaaaaaaaaaaa", "too common"), ("my-jsmith-secret-words", "email name")],
)
def test_policy_refuses_weak_passwords(password: str, message: str) -> None:
    with pytest.raises(PasswordPolicyError, match=message):
        check_policy(password, email="jsmith@clinic.ca")


def test_policy_accepts_long_passphrases_and_any_characters() -> None:
    check_policy("tortue bleue à Montréal 🦷", email="jsmith@clinic.ca")
    check_policy(generate_password())


@pytest.mark.parametrize("value", ["=1+2", "+1 647", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_prefixed(value: str) -> None:
    assert neutralise(value) == "'" + value


def test_plain_cells_are_kept_and_csv_quoting_holds() -> None:
    assert neutralise("Amelia Tremblay") == "Amelia Tremblay"
    assert neutralise(None) == ""
    text = "".join(csv_lines(["name", "notes"], [["O'Brien, Pat", 'said "=cmd"'], ["x", "=1"]]))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["name", "notes"], ["O'Brien, Pat", 'said "=cmd"'], ["x", "'=1"]]


def test_xray_link_only_for_wellformed_ids() -> None:
    url = xray_console_url("ca-central-1", "1-5f84c7a1-3b9c7d2e4f5a6b7c8d9e0f1a")
    assert url == ("https://ca-central-1.console.aws.amazon.com/cloudwatch/home"
                   "?region=ca-central-1#xray:traces/1-5f84c7a1-3b9c7d2e4f5a6b7c8d9e0f1a")
    assert xray_console_url("ca-central-1", "javascript:alert(1)") == ""
    assert xray_console_url("evil.com/x?", "1-5f84c7a1-3b9c7d2e4f5a6b7c8d9e0f1a") == ""


def test_chart_draws_a_bar_per_series_and_day_without_script_or_style() -> None:
    days = [calls_pb2.DayStats(date=f"2026-11-0{d}", calls=d * 2, bookings=d, transfers=1)
            for d in range(1, 4)]
    svg = str(kpi_chart(days, {"2026-11-01": 300.0, "2026-11-02": 450.0, "2026-11-03": 380.0}))
    assert svg.startswith("<svg") and svg.count("<rect") >= 9
    assert "<polyline" in svg
    assert "script" not in svg and "style=" not in svg
