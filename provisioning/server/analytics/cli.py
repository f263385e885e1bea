"""``kiosk-fleet report`` and ``kiosk-fleet supervision pull`` (added to the parser by
provisioning/server/cli.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from provisioning.server.analytics import queries, report, supervision
from provisioning.server.errors import FleetError
from provisioning.server.regions import get_region, sites_under

AppFactory = Callable[[argparse.Namespace], Any]
CST = dt.timezone(dt.timedelta(hours=8))


def add_commands(sub: Any, make_app: AppFactory) -> None:
    rep = sub.add_parser("report", help="usage and supervision of a region over a date range")
    rep.add_argument("--region", required=True, help="a region or site id")
    rep.add_argument("--from", dest="first", help="YYYY-MM-DD (default: 30 days to --to)")
    rep.add_argument("--to", dest="last", help="YYYY-MM-DD (default: today)")
    kind = rep.add_mutually_exclusive_group()
    for name in ("json", "csv", "xlsx"):
        kind.add_argument(f"--{name}", dest="format", action="store_const", const=name)
    rep.add_argument("--output", "-o", type=Path, help="write here instead of stdout")
    rep.set_defaults(handler=lambda args: _report(args, make_app), format="json")
    sv = sub.add_parser("supervision", help="电子监察: cases from the platform")
    what = sv.add_subparsers(dest="what", required=True)
    pull = what.add_parser("pull", help="pull the cases of every site under a region")
    pull.add_argument("--region", required=True)
    pull.add_argument("--platform", required=True, help="the platform API's base URL")
    pull.add_argument("--client-id", required=True, help="the fleet's id at the platform")
    pull.add_argument(
        "--token-env",
        default="PLATFORM_TOKEN",
        help="the variable holding the token (default PLATFORM_TOKEN)",
    )
    pull.set_defaults(handler=lambda args: _pull(args, make_app))


def _report(args: argparse.Namespace, make_app: AppFactory) -> int:
    with make_app(args) as app:
        today = dt.datetime.fromtimestamp(app.fleet.clock(), CST).date()
        span = queries.span(args.first, args.last, today)
        found = report.build(app.db, args.actor, args.region, span)
    if args.format == "csv":
        data = report.to_csv(found)
    elif args.format == "xlsx":
        data = report.to_xlsx(found)
    else:
        doc = report.for_file(found)
        data = (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if args.output:
        args.output.write_bytes(data)
    elif args.format == "xlsx" and sys.stdout.isatty():
        raise FleetError("a spreadsheet goes to a file: add --output FILE", code="bad_option")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def _pull(args: argparse.Namespace, make_app: AppFactory) -> int:
    token = os.environ.get(args.token_env, "")
    if not token:
        raise FleetError(f"set {args.token_env} to the platform token", code="bad_option")
    platform = supervision.Platform(args.platform, args.client_id, token)
    with make_app(args) as app:
        with app.db.read() as tx:
            node = get_region(tx, args.region)
            sites = [node["id"]] if node["level"] == "site" else sites_under(tx, args.region)
        done = supervision.pull(app.db, platform, sites, app.fleet.clock())
    sys.stdout.write(json.dumps(done) + "\n")
    return 0
