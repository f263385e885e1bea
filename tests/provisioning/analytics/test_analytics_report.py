"""``kiosk-fleet report``: the same numbers as JSON, CSV and a spreadsheet that opens,
scoped to the region asked for, with "<5" for small counts at site level."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from provisioning.server.app import FleetApp
from provisioning.server.cli import main
from tests.provisioning.analytics.conftest import ALLOWANCE, Kiosk, batch

HOURS = ("2026-01-01T07:00:00+08:00", "2026-01-01T08:00:00+08:00")
DONE = {"metric": "journeys_completed", "flow": "promised", "matter": ALLOWANCE, "value": 6}


def _run(data: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--data-dir", str(data), "report", *args]) == 0
    return capsys.readouterr().out


def test_report_in_three_formats(
    sqlite_server: FleetApp, kiosk_at: Callable[..., Kiosk], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    a, b = kiosk_at(sqlite_server, "s-0001"), kiosk_at(sqlite_server, "s-0002")
    a.post(batch(HOURS[0], {"metric": "sessions_started", "value": 7}, DONE))
    a.post(batch(HOURS[1], {"metric": "sessions_started", "value": 5}))
    b.post(batch(HOURS[0], {"metric": "sessions_started", "value": 3}))
    data = tmp_path / "server"
    span = ("--from", "2026-01-01", "--to", "2026-01-01")

    found = json.loads(_run(data, capsys, "--region", "330110001", *span, "--json"))
    assert found["usage"]["served"] == 15
    assert found["usage"]["journeys"]["completed"] == 6
    # stations are sites: their small counts are "<5" in the file too
    assert {c["id"]: c["served"] for c in found["children"]} == {"s-0001": 12, "s-0002": "<5"}
    site = json.loads(_run(data, capsys, "--region", "s-0002", *span, "--json"))
    assert site["usage"]["served"] == "<5" and site["usage"]["per_day"]["served"] == [None]

    table = list(csv.reader(io.StringIO(_run(data, capsys, "--region", "330110001", *span,
                                             "--csv").lstrip("\ufeff"))))  # fmt: skip
    assert table[0] == ["section", "item", "measure", "value"]
    assert ["summary", "all", "served", "15"] in table
    assert ["device_problems", "s-0002 灵源村便民服务站", "served", "<5"] in table  # a site

    out = tmp_path / "report.xlsx"
    assert main(["--data-dir", str(data), "report", "--region", "s-0002", *span, "--xlsx",
                 "-o", str(out)]) == 0  # fmt: skip
    book = load_workbook(out)
    assert book.sheetnames[0] == "概要"
    summary = {r[0]: r[1] for r in book["概要"].iter_rows(values_only=True)}
    assert summary["served"] == "<5"  # 3 people at one site
    assert summary["统计期间"] == "2026-01-01"

    assert main(["--data-dir", str(data), "report", "--region", "nowhere", *span]) == 1
    assert "unknown_region" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "report", "--region", "33", "--from", "2025-01-01",
                 "--to", "2026-01-01"]) == 1  # fmt: skip
    assert "at most 92 days" in capsys.readouterr().err
