"""``kiosk sandbox serve``: the sandbox provincial platform on its own."""

from __future__ import annotations

import argparse
from pathlib import Path

from terminal.commands.base import add_config_argument, settings_from_args
from terminal.wiring import sandbox_db


def _serve(args: argparse.Namespace) -> int:
    from sandbox import serve

    settings = settings_from_args(args)
    db = args.db or sandbox_db(settings.state_dir)
    serve(port=args.port, db_path=db)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    sandbox = sub.add_parser("sandbox", help="the sandbox provincial platform")
    commands = sandbox.add_subparsers(dest="sandbox_command", required=True)
    serve = commands.add_parser("serve", help="serve the sandbox platform on loopback")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--db", type=Path, default=None, help="SQLite file of the sandbox")
    add_config_argument(serve)
    serve.set_defaults(handler=_serve)
