"""The ``kiosk`` command's core subcommands (no UI).

``screens.cli`` adds the UI commands (``run``, ``demo``) on top of this parser, so that
the terminal has one entry point while ``kiosk/`` never imports the UI layer.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk import __version__
from kiosk.catalogue.errors import CatalogueError
from kiosk.settings import Settings, SettingsError, load_settings

Handler = Callable[[argparse.Namespace], int]


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, default=None, help="site settings file (TOML) over the defaults"
    )


def settings_from_args(args: argparse.Namespace) -> Settings:
    import os

    site = args.config
    if site is None and os.environ.get("KIOSK_CONFIG"):
        site = Path(os.environ["KIOSK_CONFIG"])
    return load_settings(site)


def _cmd_check_config(args: argparse.Namespace) -> int:
    from kiosk.catalogue import load_catalogue
    from kiosk.runtime import catalogue_path

    settings = settings_from_args(args)
    catalogue = load_catalogue(catalogue_path(settings))
    problems = catalogue.check_site_order(list(settings.site.popular))
    for problem in problems:
        sys.stderr.write(f"site.popular: {problem}\n")
    sys.stdout.write(
        json.dumps({"ok": not problems, "matters": len(catalogue.matters)}, ensure_ascii=False)
        + "\n"
    )
    return 1 if problems else 0


def _cmd_sandbox_serve(args: argparse.Namespace) -> int:
    from kiosk.upstream.sandbox import serve

    settings = settings_from_args(args)
    db = args.db or settings.state_dir / "sandbox" / "platform.sqlite3"
    serve(port=args.port, db_path=db)
    return 0


def build_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    parser = argparse.ArgumentParser(prog="kiosk", description="Bianmin service kiosk")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check-config", help="validate settings and the catalogue")
    add_config_argument(check)
    check.set_defaults(handler=_cmd_check_config)

    sandbox = sub.add_parser("sandbox", help="the sandbox provincial platform")
    sandbox_sub = sandbox.add_subparsers(dest="sandbox_command", required=True)
    serve = sandbox_sub.add_parser("serve", help="serve the sandbox platform on loopback")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--db", type=Path, default=None, help="SQLite file of the sandbox")
    add_config_argument(serve)
    serve.set_defaults(handler=_cmd_sandbox_serve)
    return parser, sub


def main(
    argv: Sequence[str] | None = None,
    extend: Callable[[argparse._SubParsersAction], None] | None = None,
) -> int:
    parser, sub = build_parser()
    if extend is not None:
        extend(sub)
    args = parser.parse_args(argv)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    handler: Handler = args.handler
    try:
        return handler(args)
    except SettingsError as exc:
        sys.stderr.write(f"kiosk: bad settings: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except CatalogueError as exc:
        sys.stderr.write(f"kiosk: bad catalogue: {exc}\n")
        return 2
