"""The analytics console in headless Chromium: the dashboard draws its charts (canvases
with pixels on them) from ECharts served by the fleet server itself, drills down from
the province to a site (where small counts become "<5"), the funnel follows the chosen
matter, the export downloads a spreadsheet that opens, and the weekly page prints."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from provisioning.server.app import FleetApp
from tests.provisioning.analytics.conftest import ALLOWANCE, Kiosk, batch

H7, H8 = "2026-01-01T07:00:00+08:00", "2026-01-01T08:00:00+08:00"
J = {"flow": "promised", "matter": ALLOWANCE}
CHARTS = ("served", "matters", "funnel", "identity", "ratings")


def _hour(hour: str, served: int, done: int, left: int, stars: int) -> dict[str, Any]:
    return batch(
        hour,
        {"metric": "sessions_started", "value": served},
        {"metric": "journeys_started", **J, "value": done + left},
        {"metric": "journeys_completed", **J, "value": done},
        {"metric": "journeys_abandoned", **J, "step": "form", "reason": "timeout", "value": left},
        {"metric": "steps_reached", **J, "step": "form", "value": done + left},
        {"metric": "steps_reached", **J, "step": "receipt", "value": done},
        {"metric": "identity_proven", "method": "id_card", "value": done + left},
        {"metric": "sessions_using", "feature": "elderly", "value": 1},
        {"metric": "ratings", **J, "level": stars, "value": done},
        {"metric": "journeys_started", "flow": "tracking", "value": 1},
        {"metric": "steps_reached", "flow": "tracking", "step": "scan", "value": 1},
    )


@pytest.fixture
def reported(sqlite_server: FleetApp, kiosk_at: Callable[..., Kiosk]) -> FleetApp:
    a, b = kiosk_at(sqlite_server, "s-0001"), kiosk_at(sqlite_server, "s-0101")
    assert a.post(_hour(H7, 7, 4, 2, 5))[0] == 201
    assert a.post(_hour(H8, 5, 3, 1, 2))[0] == 201
    assert b.post(_hour(H7, 3, 1, 1, 4))[0] == 201
    return sqlite_server


def _drawn(web: Any) -> dict[str, int]:
    """Each chart's count of painted pixels, once ECharts says every chart is done."""
    WebDriverWait(web.browser, 20).until(
        lambda b: (
            b.execute_script("return document.querySelectorAll('.chart[data-drawn=\"1\"]').length")
            == len(CHARTS)
        )
    )
    return dict(web.browser.execute_script("""
        const out = {};
        document.querySelectorAll('.chart').forEach(el => {
          const c = el.querySelector('canvas');
          const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < px.length; i += 4) { if (px[i] > 0) n++; }
          out[el.dataset.chart] = n;
        });
        return out;"""))  # fmt: skip


def _cell(web: Any, key: str) -> str:
    return web.text(f'#summary [data-key="{key}"]')


def test_the_dashboard_draws_its_charts_and_drills_down(web: Any, reported: FleetApp) -> None:
    web.login()
    web.click("#nav-analytics")
    assert web.browser.current_url.endswith("/console/analytics/33")
    painted = _drawn(web)
    assert set(painted) == set(CHARTS)
    assert all(n > 500 for n in painted.values()), painted
    assert _cell(web, "served") == "15"
    assert _cell(web, "completed") == "8"
    assert web.text('#funnel tr[data-step="form"]').split()[1:3] == ["12", "4"]
    # no request left the server: every script came from it
    sources = web.browser.execute_script(
        "return [...document.scripts].map(s => s.src).filter(Boolean)"
    )
    assert sources and all(s.startswith(web.base) for s in sources)

    web.click('#children tr[data-region="330110"] a.drill')  # province -> county
    assert _cell(web, "served") == "12"
    web.click('#children tr[data-region="330110001"] a.drill')  # -> township
    assert web.text('#children tr[data-region="s-0001"]').split()[2] == "12"
    web.click('#children tr[data-region="s-0001"] a.drill')  # -> the site
    assert web.browser.current_url.endswith("/console/analytics/s-0001")
    assert _cell(web, "served") == "12" and _cell(web, "abandoned") == "<5"
    assert [e.text for e in web.browser.find_elements(By.CSS_SELECTOR, "#crumbs a, #crumbs span")
            ][-1] == "仓前村便民服务站"  # fmt: skip
    assert all(n > 500 for n in _drawn(web).values())

    web.go("/console/analytics/s-0101")  # three people: every count is "<5"
    assert _cell(web, "served") == "<5"
    assert "3" not in web.text("#summary tbody")

    # the funnel follows the chosen matter
    web.go("/console/analytics/33")
    _drawn(web)
    web.browser.execute_script("window.__oldPage = true")
    Select(web.browser.find_element(By.ID, "matter-select")).select_by_value("tracking|")
    WebDriverWait(web.browser, 15).until(
        lambda b: b.execute_script(
            "return window.__oldPage === undefined && document.readyState === 'complete'"
        )
    )
    assert web.text('#funnel tr[data-step="scan"]').split()[1] == "3"


def test_the_export_downloads_a_spreadsheet_that_opens(
    web: Any, reported: FleetApp, tmp_path: Path
) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    web.browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    web.login()
    web.go("/console/analytics/330110?from=2026-01-01&to=2026-01-01")
    web.browser.find_element(By.ID, "export-xlsx").click()
    name = "report-330110-2026-01-01-2026-01-01.xlsx"
    deadline = time.monotonic() + 30
    while not (downloads / name).exists() and time.monotonic() < deadline:
        time.sleep(0.1)  # a download has no page event to wait on
    book = load_workbook(downloads / name)
    summary = {r[0]: r[1] for r in book["概要"].iter_rows(values_only=True)}
    assert summary["served"] == 12 and summary["统计期间"] == "2026-01-01"
    assert "matters" in book.sheetnames


def test_the_weekly_summary_and_a_county_admins_scope(web: Any, reported: FleetApp) -> None:
    web.login("bob")  # 余杭区 only
    web.click("#nav-analytics")
    assert web.browser.current_url.endswith("/console/analytics/330110")
    web.go("/console/analytics/330110/weekly?week=2026-01-01")
    assert "2025-12-29 至 2026-01-04" in web.text("#period")
    assert web.text('#weekly-summary [data-key="served"]') == "12"
    web.go("/console/analytics/330122")
    assert "outside_scope" in web.text("#flash")


def test_pages_need_a_session_and_the_library_does_not(reported: FleetApp) -> None:
    base = reported.base_url
    page = requests.get(base + "/console/analytics/33", allow_redirects=False, timeout=30)
    assert page.status_code == 303 and "/console/login" in page.headers["Location"]
    lib = requests.get(base + "/console/static/echarts.min.js", timeout=30)
    assert lib.status_code == 200 and b"Apache" in lib.content[:400]
    assert lib.headers["Content-Type"].startswith("text/javascript")
    assert requests.get(base + "/console/static/other.js", timeout=30).status_code == 404
