"""One real kiosk window for the UI tests, on a virtual display, driven by the pilot.

Kivy allows one window per process, so the app lives for the whole session; each test
starts from the attract screen with a fresh citizen session. A failing test leaves a
screenshot in test-artifacts/.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kiosk.settings import Settings, load_settings, with_overrides
from terminal.system.xvfb import virtual_display
from tests.support import ROOT

if TYPE_CHECKING:
    from terminal.demo.journeys.cases import OtherKiosk

ARTIFACTS = ROOT / "test-artifacts"

# Kivy reads its environment and creates its window when first imported, and the test
# modules import it at collection: the display and Kivy's settings come first.
_STATE = tempfile.TemporaryDirectory(prefix="kiosk-ui-")
_SETTINGS: Settings = with_overrides(
    load_settings(), paths={"state_dir": _STATE.name}, ui={"fullscreen": False}
)
_DISPLAY = contextlib.ExitStack()
_DISPLAY.enter_context(virtual_display(_SETTINGS.ui.width, _SETTINGS.ui.height))
from screens.window import prepare_kivy  # noqa: E402
from tests.support import FakeClock  # noqa: E402

prepare_kivy(_SETTINGS, windowed=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    _DISPLAY.close()
    _STATE.cleanup()


@pytest.fixture(scope="session")
def clock() -> FakeClock:
    return FakeClock(10_000.0)


@pytest.fixture(scope="session")
def state_dir() -> Path:
    return Path(_STATE.name)


@pytest.fixture(scope="session")
def kiosk(state_dir: Path, clock: FakeClock, pcscd_service: Any) -> Iterator[tuple[Any, Any]]:
    # pcscd first: the app's virtual PC/SC card takes its vpcd port when it is made
    from kiosk.logs import setup_logging
    from terminal.harness import piloted_app

    setup_logging(state_dir / "logs")
    with piloted_app(_SETTINGS, clock=clock) as (app, pilot):
        yield app, pilot


def take_card_away(app: Any, pilot: Any) -> None:
    """Take the test card off the simulated ID card reader and wait until the watcher
    holds no card. Laying a card down sooner, within one poll, would lay it on a reader
    whose watcher still holds the card before; the same card lifted and put back is no
    new card, so the journey would never hear it (issue 19, item 4:
    test_taking_the_card_away_ends_the_session once timed out waiting for the notice)."""
    app.core.simulation.take_test_card()
    watcher = app.core.hardware._watcher  # the state to wait for; no public handle
    if watcher is not None:
        pilot.wait_until(lambda: not watcher.card_present, "the ID card reader to hold no card")


@pytest.fixture
def card_away(kiosk: tuple[Any, Any]) -> Callable[[], None]:
    """:func:`take_card_away` for tests that run several journeys in one."""
    app, pilot = kiosk
    return lambda: take_card_away(app, pilot)


@pytest.fixture
def other(ui: tuple[Any, Any]) -> Iterator[OtherKiosk]:
    """Another kiosk of the region, filing cases this one then finds (办件查询, 补正)."""
    from terminal.demo.journeys.cases import OtherKiosk

    kiosk = OtherKiosk(ui[0].core)
    yield kiosk
    kiosk.normal_speed()


@pytest.fixture
def ui(kiosk: tuple[Any, Any], request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any]]:
    app, pilot = kiosk
    take_card_away(app, pilot)
    if pilot.screen != "attract" or app.session.identity is not None:
        app.finish()
    pilot.wait_screen("attract")
    yield app, pilot
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        pilot.screenshot(ARTIFACTS / f"{request.node.name}.png")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report
