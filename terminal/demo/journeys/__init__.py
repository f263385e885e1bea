"""The scripted journeys of ``kiosk demo --journey NAME``.

Each is ``run(app, pilot, out) -> summary``: it drives a piloted app (terminal.harness)
through one journey, saves a PNG per screen (and any paper, rendered) into ``out``, and
returns a JSON-able summary with at least ``ok`` (the journey did what it should) and
``screens`` (the screens it passed through, in order). Registered by import path so the
demo imports only the journey it runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

JourneyRun = Callable[[Any, Any, Path], dict[str, Any]]

JOURNEYS: dict[str, str] = {
    "promised": "terminal.demo.journeys.promised",
    "instant": "terminal.demo.journeys.instant",
    "appointment": "terminal.demo.journeys.appointment",
    "deferred": "terminal.demo.journeys.deferred",
    "selfservice": "terminal.demo.journeys.selfservice",
    "assisted": "terminal.demo.journeys.assisted",
    "tracking": "terminal.demo.journeys.tracking",
    "correction": "terminal.demo.journeys.correction",
    "complaint": "terminal.demo.journeys.complaint",
    "certification": "terminal.demo.journeys.certification",
}


def load(name: str) -> JourneyRun:
    """The ``run`` of journey ``name``; KeyError names the ones there are."""
    if name not in JOURNEYS:
        raise KeyError(f"no journey {name!r}: one of {', '.join(sorted(JOURNEYS))}")
    run: JourneyRun = importlib.import_module(JOURNEYS[name]).run
    return run
