"""The session on the real screens: idle warning and timeout, card removal, and the wipe."""

from __future__ import annotations

import datetime as dt
import gc
import sys
import types
from pathlib import Path
from typing import Any

from devices.idcard import FIXTURES
from kiosk.session import EndReason
from screens.matter import open_matter
from screens.pilot import walk

# Recognisable planted data; the ID number has a valid GB 11643 check digit.
PLANTED_NAME = "龚测试珍"
PLANTED_ID = "110101193508153026"
PLANTED_PHONE = "13912345678"


def reach_notice(app: Any, pilot: Any, card: Any = "elder") -> None:
    pilot.tap("start")
    pilot.wait_screen("home")
    open_matter(app, "33102300MZ-JF-0001")
    pilot.wait_screen("matter")
    pilot.tap("apply")
    pilot.wait_screen("identity")
    app.core.simulation.lay_test_card(card)
    pilot.wait_screen("notice")


def test_idle_warning_counts_down_and_can_be_extended(ui: tuple[Any, Any], clock: Any) -> None:
    app, pilot = ui
    timeout = app.core.settings.session.idle_timeout_s
    warning = app.core.settings.session.idle_warning_s
    pilot.tap("start")
    pilot.wait_screen("home")
    clock.now += timeout - warning + 1
    overlay = pilot.wait_until(lambda: app.idle.overlay.shown and app.idle.overlay, "idle warning")
    assert 20 <= overlay.remaining <= warning
    assert any(f"{int(overlay.remaining)} 秒" in t for t in pilot.texts())
    pilot.tap("idle-extend")
    assert not app.idle.overlay.shown
    assert pilot.screen == "home"
    clock.now += timeout - warning - 5
    pilot.step(3)
    assert not app.idle.overlay.shown  # the extension restarted the full time


def test_idle_timeout_ends_the_session(ui: tuple[Any, Any], clock: Any) -> None:
    app, pilot = ui
    ended: list[EndReason] = []
    app.core.sessions.on_end(ended.append)
    reach_notice(app, pilot)
    assert app.session.identity is not None
    clock.now += app.core.settings.session.idle_timeout_s + 1
    pilot.wait_screen("attract")
    assert ended[-1] is EndReason.TIMEOUT
    assert app.session.identity is None


def test_taking_the_card_away_ends_the_session(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    reach_notice(app, pilot)
    app.core.simulation.take_test_card()
    pilot.wait_screen("attract")
    assert app.session.identity is None


def reachable_hits(
    root: object, needles: list[str], skip: tuple[object, ...] = (), limit: int = 400_000
) -> list[str]:
    """Paths (by type names) from ``root`` to every str or bytes holding a needle,
    following gc referents: what the app still holds in memory. Modules (constants of
    this test among them) and the ``skip`` objects are not followed."""
    seen: set[int] = {id(o) for o in skip}
    seen |= {id(vars(m)) for m in list(sys.modules.values()) if m is not None}
    stack: list[tuple[object, str]] = [(root, type(root).__name__)]
    hits: list[str] = []
    while stack and len(seen) < limit:
        obj, path = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, (str, bytes, bytearray)):
            text = obj if isinstance(obj, str) else bytes(obj).decode("utf-8", "ignore")
            if any(n in text for n in needles):
                hits.append(path[-400:])
            continue
        if isinstance(obj, (type, types.ModuleType)) or obj is sys.modules:
            continue
        for ref in gc.get_referents(obj):
            stack.append((ref, f"{path} > {type(ref).__name__}"))
    return hits


def files_containing(folder: Path, needles: list[str]) -> list[str]:
    hits = []
    encoded = [n.encode(enc) for n in needles for enc in ("utf-8", "utf-16-le", "gb18030")]
    for path in folder.rglob("*"):
        if path.is_file() and "sandbox" not in path.parts:
            data = path.read_bytes()
            hits += [f"{path}: {n!r}" for n in encoded if n in data]
    return hits


def test_the_wipe_leaves_nothing_of_the_citizen(ui: tuple[Any, Any], state_dir: Path) -> None:
    """Plant a recognisable citizen, go as far as capturing a page, finish, then look
    everywhere: every screen's widgets, the overlays, memory reachable from the app, the
    temp and state directories, and the logs."""
    app, pilot = ui
    planted = FIXTURES["elder"].__class__(
        **{
            **{f: getattr(FIXTURES["elder"], f) for f in FIXTURES["elder"].__dataclass_fields__},
            "name": PLANTED_NAME,
            "id_number": PLANTED_ID,
            "birth": dt.date(1935, 8, 15),
        }
    )
    reach_notice(app, pilot, planted)
    assert app.session.identity.name == PLANTED_NAME
    pilot.tap("notice-accept")
    pilot.wait_screen("form")
    pilot.tap("field-phone")
    pilot.type(PLANTED_PHONE)
    review = app.nav.screen("review")
    app.session.flow.step = app.session.flow.step.__class__.REVIEW  # jump: show the review
    app.nav.go("review")
    pilot.wait_screen("review")
    shown = "\n".join(pilot.texts())
    assert "龚**" in shown and "1101**********3026" in shown and PLANTED_ID not in shown
    assert review.ids.body.children
    session = app.session
    (session.temp_dir / "scratch.jpg").write_bytes(PLANTED_NAME.encode())
    pilot.tap("finish")
    pilot.wait_screen("attract")
    pilot.step(5)

    needles = [PLANTED_NAME, PLANTED_ID, PLANTED_PHONE, "龚**"]
    texts = [
        str(w.text) for screen in app.nav.sm.screens for w in walk(screen) if hasattr(w, "text")
    ]
    texts += pilot.texts()
    assert [t for t in texts if any(n in t for n in needles)] == []
    gc.collect()
    simulator = app.core.simulators.idcard  # the card's side of the wire
    assert reachable_hits(app, needles, skip=(simulator,)) == []
    assert files_containing(state_dir, needles) == []
    assert not any((state_dir / "tmp").glob("session-*"))
    logs = "".join(p.read_text("utf-8") for p in (state_dir / "logs").glob("*.log*"))
    assert logs and not any(n in logs for n in needles)
