"""The ``kiosk`` entry point: the core subcommands plus ``run`` and ``demo``.

Kivy is imported only inside the UI commands, so ``kiosk check-config`` and friends work
on a machine without a display.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk import cli as core_cli
from kiosk.memory import limit_arenas


def _cmd_run(args: argparse.Namespace) -> int:
    from screens.main import run

    return run(core_cli.settings_from_args(args), windowed=args.windowed)


def _cmd_demo(args: argparse.Namespace) -> int:
    from screens.demo import demo

    return demo(core_cli.settings_from_args(args), out=args.out, journey=args.journey)


def _extend(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="start the kiosk (full screen unless --windowed)")
    run.add_argument("--windowed", action="store_true", help="a window, for development")
    core_cli.add_config_argument(run)
    run.set_defaults(handler=_cmd_run)

    demo = sub.add_parser(
        "demo", help="run one scripted journey on a virtual display and save screenshots"
    )
    demo.add_argument("--out", type=Path, required=True, help="folder for PNGs and summary.json")
    demo.add_argument(
        "--journey", default="promised", metavar="NAME", help="which journey (default: promised)"
    )
    core_cli.add_config_argument(demo)
    demo.set_defaults(handler=_cmd_demo)


def main(argv: Sequence[str] | None = None) -> int:
    limit_arenas()  # before any thread starts (kiosk/memory.py)
    return core_cli.main(argv, extend=_extend)


if __name__ == "__main__":
    sys.exit(main())
