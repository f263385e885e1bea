"""The app's own figures: cold start to the attract screen, screen change, and resident
memory over repeated scripted journeys (targets: < 3 s, < 100 ms, < 300 MB and flat).

    .venv/bin/python bench/bench_app.py [--starts 5] [--changes 60] [--journeys 50]

Runs on a virtual display (Xvfb) when there is none. Prints a table; the recorded
figures with machine and date are in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD_START = r"""
import sys, time, json
t0 = float(sys.argv[1])
from kiosk.settings import load_settings, with_overrides
settings = with_overrides(
    load_settings(), paths={"state_dir": sys.argv[2]}, ui={"fullscreen": False}
)
from terminal.system.memory import limit_arenas
limit_arenas()  # as `kiosk run` does
from terminal.harness import piloted_app
with piloted_app(settings) as (app, pilot):
    pilot.wait_screen("attract")
    ready = time.time()
    sys.stdout.write(json.dumps({"ready": ready - t0}) + "\n")
    sys.stdout.flush()
"""


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cold_starts(n: int) -> list[float]:
    from terminal.system.xvfb import virtual_display

    times = []
    with virtual_display(1280, 800):
        for _ in range(n):
            with tempfile.TemporaryDirectory() as state:
                t0 = time.time()
                out = subprocess.run(
                    [sys.executable, "-c", CHILD_START, str(t0), state],
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                    timeout=120,
                    check=True,
                ).stdout
                times.append(json.loads(out.strip().splitlines()[-1])["ready"])
    return times


def in_app(changes: int, journeys: int) -> dict[str, object]:
    from kiosk.settings import load_settings, with_overrides
    from terminal.system.memory import limit_arenas

    limit_arenas()  # as `kiosk run` does, before any thread
    from terminal.system.xvfb import virtual_display

    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as state, virtual_display(1280, 800):
        settings = with_overrides(
            load_settings(), paths={"state_dir": state}, ui={"fullscreen": False}
        )
        from screens.window import prepare_kivy

        prepare_kivy(settings, windowed=True)
        from kivy.config import Config

        Config.set("graphics", "maxfps", "0")  # measure work, not the frame limiter
        from screens.matter import open_matter
        from terminal.demo.script import run_journey
        from terminal.harness import piloted_app

        with piloted_app(settings) as (app, pilot):
            pilot.timeout = 120  # a busy machine is slow, not broken
            pilot.tap("start")
            pilot.wait_screen("home")
            open_matter(app, "33102300MZ-JF-0001")
            pilot.step(3)
            cycle = ["home", "search", "matter"]
            times = []
            for i in range(changes):
                name = cycle[i % 3]
                t0 = time.perf_counter()
                app.nav.go(name, remember=False)
                pilot.step(1)  # the frame that shows it
                times.append((time.perf_counter() - t0) * 1000)
            result["change_ms"] = times
            app.finish()
            pilot.wait_screen("attract")
            memory = [(0, rss_mb())]
            durations = []
            for j in range(1, journeys + 1):
                t0 = time.perf_counter()
                run_journey(app, pilot)
                durations.append(time.perf_counter() - t0)
                app.core.simulation.take_test_card()
                pilot.wait_until(
                    lambda: not app.core.hardware._watcher.card_present, "card removed"
                )
                if j % 10 == 0 or j == journeys:
                    memory.append((j, rss_mb()))
            result["memory"] = memory
            result["journey_s"] = durations
    return result


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--changes", type=int, default=60)
    parser.add_argument("--journeys", type=int, default=50)
    args = parser.parse_args()
    os.environ.pop("KIOSK_CONFIG", None)
    starts = cold_starts(args.starts)
    sys.stdout.write(
        f"cold start to attract: median {statistics.median(starts):.2f} s, "
        f"max {max(starts):.2f} s over {len(starts)}\n"
    )
    figures = in_app(args.changes, args.journeys)
    change = figures["change_ms"]
    assert isinstance(change, list)
    sys.stdout.write(
        f"screen change: median {statistics.median(change):.1f} ms, "
        f"p95 {pct(change, 0.95):.1f} ms, max {max(change):.1f} ms\n"
    )
    journeys = figures["journey_s"]
    assert isinstance(journeys, list)
    if journeys:
        sys.stdout.write(f"scripted journey: median {statistics.median(journeys):.1f} s\n")
    for count, mb in figures["memory"]:  # type: ignore[attr-defined]
        sys.stdout.write(f"RSS after {count:3d} journeys: {mb:6.1f} MB\n")


if __name__ == "__main__":
    main()
