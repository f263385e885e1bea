"""``kiosk run`` and ``kiosk demo``: the kiosk's window, and one scripted journey on a
virtual display. Kivy is imported only when one of them runs."""

from __future__ import annotations

import argparse
from pathlib import Path

from terminal.commands.base import add_config_argument, settings_from_args


def _run(args: argparse.Namespace) -> int:
    from terminal.run import run

    return run(settings_from_args(args), windowed=args.windowed)


def _demo(args: argparse.Namespace) -> int:
    from terminal.demo.run import demo

    return demo(settings_from_args(args), out=args.out, journey=args.journey)


def register(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="start the kiosk (full screen unless --windowed)")
    run.add_argument("--windowed", action="store_true", help="a window, for development")
    add_config_argument(run)
    run.set_defaults(handler=_run)

    demo = sub.add_parser(
        "demo", help="run one scripted journey on a virtual display and save screenshots"
    )
    demo.add_argument("--out", type=Path, required=True, help="folder for PNGs and summary.json")
    demo.add_argument(
        "--journey", default="promised", metavar="NAME", help="which journey (default: promised)"
    )
    add_config_argument(demo)
    demo.set_defaults(handler=_demo)
