"""帮办代办 through the real screens: an agent signs in by number and PIN or by staff card
(a wrong PIN refused, then locked), sees the station's desk, takes the citizen's consent
on screen or on paper, and applies for them on the assisted channel, audited; signing
out (the session's end) leaves nothing of either behind. A bank branch's home screen
shows its own popular list."""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devices.idcard.fixtures import FIXTURES as ID_FIXTURES
from devices.smartcard.fixtures import STAFF_CARD
from devices.smartcard.pcscd import PcscdService
from kiosk.settings import with_overrides
from kiosk.sites import type_popular
from kiosk.staff.cases import desk_lists
from kiosk.upstream.case_models import CaseSummary
from terminal.demo.journeys import assisted
from terminal.demo.journeys.assisted import STAFF_NO, STAFF_PIN, ensure_agent, sign_in_by_pin
from tests.support import ROOT

SHOTS = ROOT / "test-artifacts" / "assist"
ELDER = ID_FIXTURES["elder"]


def audit_since(app: Any, seq: int) -> list[Any]:
    return app.core.audit.query(after_seq=seq)


def last_seq(app: Any) -> int:
    return max((e.seq for e in app.core.audit.query(limit=100_000)), default=0)


def add_agent(app: Any, staff_no: str, pin: str, card_id: str | None = None) -> None:
    runtime = app.core
    if all(m.staff_no != staff_no for m in runtime.staff.members()):
        runtime.staff.add(
            staff_no, f"测试{staff_no}", pin, runtime.settings.site.station_id, card_id=card_id
        )


def to_consent(app: Any, pilot: Any) -> None:
    """An agent signs in and serves the demo elder: the consent screen."""
    sign_in_by_pin(pilot)
    pilot.wait_screen("staff_desk")
    pilot.tap("desk-serve")
    pilot.wait_screen("identity")
    app.core.simulation.lay_test_card("elder")
    pilot.wait_screen("consent")


@pytest.fixture
def agent(ui: tuple[Any, Any]) -> Iterator[tuple[Any, Any]]:
    app, pilot = ui
    ensure_agent(app.core)
    yield app, pilot
    app.core.desk.sign_out(reason="test")


def test_sign_in_by_number_and_pin_shows_dots_only_and_signs_out_clean(
    agent: tuple[Any, Any], state_dir: Path
) -> None:
    app, pilot = agent
    seq = last_seq(app)
    pilot.tap("staff")
    pilot.wait_screen("staff_signin")
    pilot.type(STAFF_NO)
    pilot.tap("staff-next")
    pilot.type(STAFF_PIN)
    assert pilot.find("staff-pin").text == "●" * 6
    assert not any(STAFF_PIN in text for text in pilot.texts())
    pilot.screenshot(SHOTS / "signin-pin.png")
    pilot.tap("staff-next")
    pilot.wait_screen("staff_desk")
    assert app.core.desk.current.staff_no == STAFF_NO
    pilot.tap("desk-signout")
    pilot.wait_screen("attract")
    assert app.core.desk.current is None
    actions = [(e.action, e.staff_no, e.outcome) for e in audit_since(app, seq)]
    assert actions[0] == ("sign_in", STAFF_NO, "ok")
    assert ("sign_out", STAFF_NO, "ok") in actions
    logs = "".join(p.read_text(errors="replace") for p in (state_dir / "logs").rglob("*.log*"))
    assert STAFF_PIN not in logs
    # a new sign-in starts empty: nothing typed before is left on the screen
    pilot.tap("staff")
    pilot.wait_screen("staff_signin")
    assert pilot.find("staff-number").text.strip() == "" and pilot.find("staff-pin").text == " "


def test_a_wrong_pin_is_refused_and_repeated_ones_lock_the_number(
    ui: tuple[Any, Any], state_dir: Path
) -> None:
    app, pilot = ui
    add_agent(app, "2001", "731902")
    seq = last_seq(app)
    pilot.tap("staff")
    pilot.wait_screen("staff_signin")
    pilot.type("2001")
    pilot.tap("staff-next")
    pilot.type("1234")  # too short: said, and not counted
    pilot.tap("staff-next")
    assert app.tr("staff.error.pin_length") in pilot.texts()
    for key in ("back",) * 4:
        pilot.tap(f"key-{key}")
    failures = app.core.settings.staff.max_pin_failures
    for attempt in range(failures):
        pilot.type("555000")
        pilot.tap("staff-next")
        expected = "locked" if attempt == failures - 1 else "bad_credentials"
        pilot.wait_until(
            lambda k=expected: app.tr(f"staff.error.{k}") in pilot.texts(), f"error {expected}"
        )
        if attempt == 0:
            pilot.screenshot(SHOTS / "signin-wrong-pin.png")
    pilot.type("731902")  # the right PIN no longer opens it
    pilot.tap("staff-next")
    pilot.wait_until(lambda: app.tr("staff.error.locked") in pilot.texts(), "still locked")
    assert pilot.screen == "staff_signin" and app.core.desk.current is None
    refused = [e for e in audit_since(app, seq) if e.action == "sign_in"]
    assert [e.outcome for e in refused] == ["refused"] * (failures + 1)
    assert refused[-1].detail == "staff.error.locked"
    logs = "".join(p.read_text(errors="replace") for p in (state_dir / "logs").rglob("*.log*"))
    assert "555000" not in logs and "731902" not in logs
    pilot.tap("back")
    pilot.wait_screen("attract")


def test_sign_in_with_the_staff_card_and_its_pin(ui: tuple[Any, Any], pcscd: PcscdService) -> None:
    app, pilot = ui
    add_agent(app, "3001", "480913", card_id=STAFF_CARD.card_id)
    runtime = app.core
    pilot.tap("staff")
    pilot.wait_screen("staff_signin")
    screen = app.nav.screen("staff_signin")
    try:
        pilot.tap("sim-staff-card")
        pilot.wait_until(lambda: screen.card_read, "the staff card read", timeout=30)
        assert pilot.find("staff-number") is None  # the card replaces the number
        pilot.screenshot(SHOTS / "signin-card.png")
        pilot.type("480913")
        pilot.tap("staff-next")
        pilot.wait_screen("staff_desk")
        assert runtime.desk.current.staff_no == "3001"
        entry = runtime.audit.query(limit=100_000)[-1]
        assert (entry.action, entry.staff_no) == ("sign_in", "3001")
    finally:
        runtime.simulation.take_test_smartcard()
        runtime.desk.sign_out(reason="test")
    app.finish()
    pilot.wait_screen("attract")


def test_consent_on_screen_is_refused_for_a_household_member_and_taken_on_paper(
    agent: tuple[Any, Any],
) -> None:
    app, pilot = agent
    seq = last_seq(app)
    to_consent(app, pilot)
    pilot.tap("consent-rel-child")
    assert any(
        "授权委托书" in t or "authorisation" in t
        for t in pilot.texts()
        if "家庭" in t or "household" in t
    )
    pilot.tap("consent-screen")
    assert app.tr("consent.error.paper_needed") in pilot.texts()
    pilot.screenshot(SHOTS / "consent-household.png")
    assert app.session.assist is None
    pilot.tap("consent-paper")
    pilot.wait_screen("capture")
    pilot.tap("capture-next")  # nothing captured yet: refused
    assert app.session.assist is None and pilot.screen == "capture"
    flow = app.flow
    pilot.tap("capture-shoot")
    pilot.wait_until(lambda: flow.pages_for("authorisation"), "the authorisation page", 60)
    pilot.screenshot(SHOTS / "consent-paper.png")
    pilot.tap("capture-next")
    pilot.wait_screen("biometric")
    pilot.tap("bio-decline")
    pilot.wait_screen("home")
    assist = app.session.assist
    assert (assist.consent.method, assist.consent.relationship) == ("paper", "child")
    assert assist.biometric is False and assist.staff.staff_no == STAFF_NO
    entries = audit_since(app, seq)
    consent = next(e for e in entries if e.action == "consent")
    assert consent.detail == "paper" and consent.subject.endswith("(child)")
    assert ELDER.name not in consent.subject and ELDER.id_number not in consent.subject
    bio = next(e for e in entries if e.action == "biometric_consent")
    assert bio.outcome == "refused"
    app.finish()  # the session's end: the citizen, the consent and the agent all go
    pilot.wait_screen("attract")
    session = app.session
    assert session.assist is None and session.identity is None and session.pages == {}
    assert app.core.desk.current is None
    assert not any(ELDER.name[0] + "*" in t for t in pilot.texts())


# A stand-in for the licensed WLT decoder, with the vendor's C signature: none can ship.
STAND_IN_DECODER = r"""
int unpack(char *src, char *dst, int save_bmp) {
    if (save_bmp != 0) return -2;
    for (int i = 0; i < 102 * 126 * 3; i++) dst[i] = (char)(src[i % 1024] ^ (i & 0x7F));
    return 1;
}
"""


def stand_in_decoder(tmp_path: Path) -> str:
    source, library = tmp_path / "wlt.c", tmp_path / "libwlt.so"
    source.write_text(STAND_IN_DECODER, encoding="utf-8")
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    return str(library)


def test_on_consent_the_chip_photo_is_shown_to_the_agent_and_goes_with_the_screen(
    agent: tuple[Any, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, pilot = agent
    runtime = app.core
    decoder = stand_in_decoder(tmp_path)
    monkeypatch.setattr(
        runtime,
        "settings",
        with_overrides(runtime.settings, devices={"idcard_photo_decoder": decoder}),
    )
    to_consent(app, pilot)
    pilot.tap("consent-screen")
    pilot.wait_screen("biometric")
    screen = app.nav.current_screen
    assert screen.ids.photo.texture is None  # nothing before the citizen agrees
    pilot.tap("bio-agree")
    pilot.wait_until(lambda: pilot.find("bio-done"), "the photo check")
    texture = screen.ids.photo.texture
    assert texture is not None and tuple(texture.size) == (102, 126)
    assert screen.photo_note == app.tr("biometric.compare")
    pilot.screenshot(SHOTS / "photo-check.png")
    pilot.tap("bio-done")
    pilot.wait_screen("home")
    assert screen.ids.photo.texture is None and app.session.assist.biometric is True
    app.finish()
    pilot.wait_screen("attract")
    assert app.session.identity is None  # the photo's bytes went with the session


def test_without_a_decoder_the_agent_is_told_to_check_the_card_itself(
    agent: tuple[Any, Any],
) -> None:
    app, pilot = agent
    assert app.core.settings.devices.idcard_photo_decoder == ""  # as shipped
    to_consent(app, pilot)
    pilot.tap("consent-screen")
    pilot.wait_screen("biometric")
    pilot.tap("bio-agree")
    pilot.wait_until(lambda: pilot.find("bio-done"), "the photo check")
    screen = app.nav.current_screen
    assert screen.ids.photo.texture is None
    assert app.tr("biometric.no_photo") in pilot.texts()
    pilot.screenshot(SHOTS / "photo-unavailable.png")
    pilot.tap("bio-done")
    pilot.wait_screen("home")
    app.finish()
    pilot.wait_screen("attract")


SUMMARIES = [
    CaseSummary(
        "11010120261101000001",
        "33102300MZ-JF-0001",
        "高龄津贴申领",
        "in_review",
        "2026-11-01T09:00:00+08:00",
        "2026-11-10",
        [],
        "王**",
    ),
    CaseSummary(
        "11010120261101000002",
        "33102300RS-GG-0003",
        "养老保险待遇领取资格认证",
        "accepted",
        "2026-11-28T09:00:00+08:00",
        "2026-12-02",
        [],
        "张**",
    ),
    CaseSummary(
        "11010120261101000003",
        "33102300MZ-JF-0001",
        "高龄津贴申领",
        "returned",
        "2026-11-20T09:00:00+08:00",
        "2026-12-10",
        ["household_register"],
        "赵**",
    ),
    CaseSummary(
        "11010120261101000004",
        "33102300MZ-JF-0001",
        "高龄津贴申领",
        "in_review",
        "2026-11-30T09:00:00+08:00",
        "2026-12-20",
        [],
        "钱**",
    ),
    CaseSummary(
        "11010120261101000005",
        "33102300MZ-JF-0001",
        "高龄津贴申领",
        "completed",
        "2026-11-02T09:00:00+08:00",
        "2026-11-09",
        [],
        "孙**",
    ),
]


@pytest.mark.parametrize("elderly", [False, True])
def test_the_desk_shows_the_station_lists_with_overdue_in_colour(
    agent: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch, elderly: bool
) -> None:
    app, pilot = agent
    asked: list[str] = []

    def fake_station_desk(client: Any, station_id: str, today: dt.date) -> Any:
        asked.append(station_id)
        return desk_lists(SUMMARIES, dt.date(2026, 12, 1))

    monkeypatch.setattr("terminal.runtime.station_desk", fake_station_desk)
    if elderly:
        pilot.tap("elderly")
    sign_in_by_pin(pilot)
    pilot.wait_screen("staff_desk")
    screen = app.nav.screen("staff_desk")
    pilot.wait_until(lambda: screen.state == "loaded", "the lists")
    assert asked == [app.core.settings.site.station_id]
    assert screen.counts == {"overdue": 2, "returned": 1, "pending": 1, "ready": 1}
    # the tabs show the counts (a kv rule reading a dict's .get() once stayed at 0)
    assert pilot.find("desk-tab-overdue").text == app.tr("desk.list.overdue", n=2)
    assert pilot.find("desk-tab-ready").text == app.tr("desk.list.ready", n=1)
    red = pilot.find("case-11010120261101000001")
    assert red is not None and red.text.startswith(app.tr("desk.rag.red"))
    assert pilot.find("case-11010120261101000002").text.startswith(app.tr("desk.rag.yellow"))
    pilot.screenshot(SHOTS / f"desk-overdue{'-elderly' if elderly else ''}.png")
    pilot.tap("desk-tab-returned")
    row = pilot.find("case-11010120261101000003")
    assert row is not None and "赵**" in row.text and app.tr("desk.missing", n=1) in row.text
    assert pilot.find("case-11010120261101000001") is None
    pilot.tap("desk-tab-ready")
    assert pilot.find("case-11010120261101000005") is not None
    pilot.tap("desk-tab-pending")
    assert pilot.find("case-11010120261101000004") is not None
    pilot.tap("desk-signout")
    pilot.wait_screen("attract")
    assert screen.ids.cases.children == [] and screen.counts == {}


def test_an_assisted_application_is_on_the_assisted_channel_and_audited(
    ui: tuple[Any, Any], tmp_path: Path
) -> None:
    app, pilot = ui
    summary = assisted.run(app, pilot, tmp_path)
    assert summary["channel"] == "assisted" and summary["rating_names_agent"]
    actions = [(e["action"], e["outcome"]) for e in summary["audit"]]
    steps = ["sign_in", "consent", "biometric_consent", "submit", "rating", "sign_out"]
    assert actions == [(step, "ok") for step in steps]  # each in this order, none refused
    submit = summary["audit"][3]
    assert submit["staff_no"] == STAFF_NO and submit["matter_code"] == assisted.MATTER
    assert submit["subject"] == f"李** {ELDER.id_number[:4]}**********{ELDER.id_number[-4:]}"
    assert submit["reference"] and submit["detail"] == ""
    assert summary["agent_signed_out"] and summary["ok"]
    assert app.session.assist is None and app.session.identity is None


def test_a_bank_branch_home_shows_its_own_popular_list_first(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    runtime = app.core
    village = runtime.settings
    bank = type_popular("bank")
    village_first = [m.code for m in runtime.popular(4)]
    assert village_first != list(bank[:4])  # otherwise this test could not tell them apart
    runtime.settings = dc.replace(village, site=dc.replace(village.site, type="bank", popular=()))
    try:
        pilot.tap("start")
        pilot.wait_screen("home")
        app.nav.screen("home").render()
        pilot.step(3)
        grid = app.nav.screen("home").ids.grid
        shown = [tile.tid.removeprefix("matter-") for tile in reversed(grid.children)]
        assert shown[:4] == list(bank[:4])
        assert runtime.catalogue.get(shown[0]).name.get("zh_CN").startswith("社会保险")
        assert "33102300SJ-XK-0001" in shown  # 企业登记 is among a bank's popular matters
        pilot.screenshot(SHOTS / "home-bank.png")
    finally:
        runtime.settings = village
    app.finish()
    pilot.wait_screen("attract")
