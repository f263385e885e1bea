"""Every journey ``kiosk demo --journey NAME`` offers runs through the real screens and
does what it should; it leaves a PNG of each screen it passed through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from terminal.demo.journeys import JOURNEYS, load


@pytest.mark.parametrize("name", sorted(JOURNEYS))
def test_the_journey_runs_and_does_what_it_should(
    name: str, ui: tuple[Any, Any], tmp_path: Path
) -> None:
    app, pilot = ui
    summary = load(name)(app, pilot, tmp_path)
    assert summary["ok"] is True, summary
    assert summary["screens"] and pilot.screen == "attract"
    assert len(list(tmp_path.glob("*.png"))) >= len(set(summary["screens"]))
    assert app.session.identity is None  # and the citizen is forgotten


def test_an_unknown_journey_is_named_with_the_ones_there_are() -> None:
    with pytest.raises(KeyError, match="promised"):
        load("nope")
