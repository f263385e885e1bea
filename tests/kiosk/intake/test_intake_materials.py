"""Trust levels of captured pages (C at the kiosk, B once checked) and their watermarks."""

from __future__ import annotations

import copy
import datetime as dt
import types
from pathlib import Path

import numpy as np
import pytest

from devices.docscan import open_docscan, page_from_jpeg
from devices.docscan.watermark import text_mask
from kiosk.intake.accept import PAGE_MAX_BYTES, Intake
from kiosk.session import CapturedPage
from kiosk.settings import load_settings, with_overrides
from kiosk.trust import TrustLevel, WatermarkPolicy, verified

STATION = load_settings().site.station_name

DAY = dt.date(2024, 11, 1)


def test_policy_words_per_level() -> None:
    policy = WatermarkPolicy()
    c = policy.text("C", matter="社会保障卡申领", station="演示村便民服务站", day=DAY)
    b = policy.text("B", matter="社会保障卡申领", station="演示村便民服务站", day=DAY)
    assert c == "仅供办理社会保障卡申领使用，他用无效 演示村便民服务站 2024-11-01"
    assert b is not None and b.startswith("此件经与原件核对无误，仅供办理社会保障卡申领使用")
    assert policy.text("A", matter="x", station="y", day=DAY) is None
    assert policy.text("D", matter="x", station="y", day=DAY) is None
    only_b = WatermarkPolicy(frozenset({TrustLevel.B}))
    assert only_b.text("C", matter="x", station="y", day=DAY) is None
    with pytest.raises(ValueError):
        policy.text("E", matter="x", station="y", day=DAY)


def test_an_agent_raises_a_kiosk_page_from_c_to_b() -> None:
    page = CapturedPage("hukou", b"jpeg", 1654, 2339)
    assert page.trust == "C"
    checked = verified(page, "agent-007")
    assert (checked.trust, checked.verified_by) == ("B", "agent-007")
    assert page.trust == "C"  # the original record is untouched
    with pytest.raises(ValueError, match="level C"):
        verified(checked, "agent-007")
    with pytest.raises(ValueError, match="staff id"):
        verified(page, "王芳")  # a name is personal data: never recorded here


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> Intake:
    state = tmp_path_factory.mktemp("state")
    settings = with_overrides(load_settings(), paths={"state_dir": str(state)})
    hardware = types.SimpleNamespace(docscan=open_docscan("sim://docscan?seed=3"))
    return Intake(
        settings,
        hardware,
        None,
        None,
        None,
        now=lambda: dt.datetime(2024, 11, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    )


@pytest.fixture(scope="module")
def captured(journey: Intake) -> CapturedPage:
    return journey.capture(None, "hukou")  # type: ignore[arg-type]


def test_a_kiosk_capture_is_level_c_and_fits_the_link(captured: CapturedPage) -> None:
    assert (captured.trust, captured.mode, captured.dpi) == ("C", "grey", 200)
    assert len(captured.jpeg) < PAGE_MAX_BYTES
    assert captured.problems == ()


def test_the_sent_page_carries_its_level_watermark(journey: Intake, captured: CapturedPage) -> None:
    clean = page_from_jpeg(captured.jpeg, dpi=200).image
    as_c = page_from_jpeg(journey.upload_jpeg(captured, "社会保障卡申领"), dpi=200).image
    as_b = page_from_jpeg(
        journey.upload_jpeg(verified(captured, "agent-007"), "社会保障卡申领"), dpi=200
    ).image
    words = journey.watermarks.text("C", matter="社会保障卡申领", station=STATION, day=DAY)
    assert words is not None
    under = (text_mask(words, clean.shape[::-1], 200) > 128) & (clean > 250)
    assert under.mean() > 0.005
    assert as_c[under].mean() < 235  # the paper under the words is visibly tinted
    assert np.abs(as_b.astype(int) - as_c.astype(int)).mean() > 1  # other words for B
    quiet = copy.copy(journey)
    quiet.watermarks = WatermarkPolicy(frozenset())
    assert quiet.upload_jpeg(captured, "x") == captured.jpeg


def test_the_state_dir_holds_no_page(journey: Intake, captured: CapturedPage) -> None:
    state = Path(journey.settings.state_dir)
    assert not any(p.suffix in (".jpg", ".jpeg") for p in state.rglob("*"))
