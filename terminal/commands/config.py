"""``kiosk check-config``: validate the settings and the catalogue, as start-up would."""

from __future__ import annotations

import argparse
import json
import sys

from terminal.commands.base import add_config_argument, settings_from_args


def _check(args: argparse.Namespace) -> int:
    from terminal.runtime import site_catalogue

    settings = settings_from_args(args)
    catalogue = site_catalogue(settings)
    problems = catalogue.check_site_order(list(settings.site.popular))
    for problem in problems:
        sys.stderr.write(f"site.popular: {problem}\n")
    report = {"ok": not problems, "matters": len(catalogue.matters)}
    sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    return 1 if problems else 0


def register(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser("check-config", help="validate settings and the catalogue")
    add_config_argument(check)
    check.set_defaults(handler=_check)
