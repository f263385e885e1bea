"""``kiosk-fleet``: run the fleet server and administer it from its own machine.

Commands other than ``serve`` work on the database directly (like a framework's
``manage.py``) and are audited as ``cli:<user>``. Every command takes ``--data-dir`` (the
signing key and the SQLite file; ``$FLEET_DATA_DIR``, else systemd's ``$STATE_DIRECTORY``,
else ``~/.local/state/bianmin-fleet``: never the current folder, where a signing key
would end up in whatever repository the admin stood in) and
``--db`` (``sqlite:///…`` or ``postgresql://…``; ``$FLEET_DB``).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from provisioning.protocol import format_code, make_payload
from provisioning.server import cli_updates, totp
from provisioning.server.accounts import ROLES, cli_actor
from provisioning.server.analytics import cli as analytics_cli
from provisioning.server.app import FleetApp
from provisioning.server.db import DatabaseError
from provisioning.server.errors import FleetError
from provisioning.server.regions import LEVELS
from provisioning.server.serving import Options, serve


def _app(args: argparse.Namespace) -> FleetApp:
    return FleetApp(args.data_dir, args.db, public_url=args.public_url or "")


def _out(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=1) + "\n")


def _serve(args: argparse.Namespace) -> int:
    sqlite = not (args.db or "").startswith(("postgresql://", "postgres://"))
    if args.workers > 1 and sqlite:
        raise FleetError(
            "SQLite takes one writer: run several workers only with --db postgresql://...",
            code="bad_option",
        )
    if bool(args.certfile) != bool(args.keyfile):
        raise FleetError("--certfile and --keyfile go together", code="bad_option")
    with FleetApp(args.data_dir, args.db) as app:  # migrate and make the key, once
        key_id = app.fleet.key.key_id
    low, _, high = args.retry_window.partition(",")
    opts = Options(
        data_dir=str(args.data_dir),
        db=args.db,
        public_url=args.public_url or "",
        host=args.host,
        port=args.port,
        workers=args.workers,
        certfile=args.certfile or "",
        keyfile=args.keyfile or "",
        forwarded_allow_ips=args.forwarded_allow_ips or "",
        max_inflight=args.max_inflight,
        retry_window=(int(low), int(high or low)),
        db_pool=args.db_pool,
        timeout_keep_alive=args.timeout_keep_alive,
        limit_concurrency=args.limit_concurrency,
    )

    def announce(url: str) -> None:
        sys.stdout.write(
            f"kiosk-fleet: listening on {url} (key {key_id},"
            f" {args.workers} worker{'s' if args.workers > 1 else ''})\n"
        )
        sys.stdout.flush()

    serve(opts, announce)
    return 0


def _password(args: argparse.Namespace) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise FleetError("the two passwords differ", code="password_mismatch")
    return first


def _admin_add(args: argparse.Namespace) -> int:
    with _app(args) as app:
        secret = app.fleet.add_admin(
            args.actor, args.username, _password(args), args.role, args.scope
        )
    made: dict[str, Any] = {"added": args.username, "role": args.role, "scope": args.scope}
    if secret is not None:  # province admins sign in with a one-time code too
        made |= {"totp_secret": secret, "totp_uri": totp.uri(secret, args.username)}
    _out(made)
    return 0


def _admin_totp(args: argparse.Namespace) -> int:
    with _app(args) as app:
        secret = app.fleet.new_totp(args.actor, args.username)
    _out(
        {
            "username": args.username,
            "totp_secret": secret,
            "totp_uri": totp.uri(secret, args.username),
        }
    )
    return 0


def _region_add(args: argparse.Namespace) -> int:
    with _app(args) as app:
        app.fleet.add_region(args.actor, args.id, args.name, args.level, args.parent)
    _out({"added": args.id, "level": args.level})
    return 0


def _pairing_code(args: argparse.Namespace) -> int:
    with _app(args) as app:
        code, expires = app.fleet.pairing_code(args.actor, args.site, args.uses, args.ttl * 3600)
        key = app.fleet.key.key_id
    payload = make_payload(args.public_url, code, key) if args.public_url else ""
    _out({"code": format_code(code), "site": args.site, "expires_at": expires, "payload": payload})
    return 0


def _devices(args: argparse.Namespace) -> int:
    with _app(args) as app:
        rows = app.fleet.devices(args.actor, "pending" if args.pending else None)
    if args.json:
        _out(rows)
        return 0
    sys.stdout.write(f"{'device':<21} {'status':<9} {'health':<8} {'site':<16} serial\n")
    for r in rows:
        site = r["site_id"] or f"({r['requested_site']})"
        sys.stdout.write(
            f"{r['device_id']:<21} {r['status']:<9} {r['connectivity']:<8} {site:<16}"
            f" {r['serial']}\n"
        )
    return 0


def _approve(args: argparse.Namespace) -> int:
    with _app(args) as app:
        found = app.fleet.approve(args.actor, args.device, args.site)
    _out({"device_id": found["device_id"], "status": found["status"], "site_id": found["site_id"]})
    return 0


def _revoke(args: argparse.Namespace) -> int:
    with _app(args) as app:
        (app.fleet.reject if args.command == "reject" else app.fleet.revoke)(
            args.actor, args.device
        )
    _out({"device_id": args.device, "done": args.command})
    return 0


def _preauthorize(args: argparse.Namespace) -> int:
    with _app(args) as app:
        serials = app.fleet.preauthorize(args.actor, args.csv.read_text(encoding="utf-8-sig"))
    _out({"preauthorized": serials})
    return 0


def _push(args: argparse.Namespace) -> int:
    try:
        doc = json.loads(args.file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FleetError(
            f"{args.file}: not a readable JSON layer ({exc})", code="bad_file"
        ) from exc
    with _app(args) as app:
        preview = app.fleet.preview(args.actor, args.site, doc)
        warnings = app.fleet.warnings(args.actor, args.site, doc)
        result = None if args.dry_run else app.fleet.push(args.actor, args.site, doc)
    for line in warnings:  # the admin reads these; the JSON is for scripts
        sys.stderr.write(f"kiosk-fleet: warning: {line}\n")
    _out({"preview": preview, "warnings": warnings, "pushed": result})
    return 0


def default_data_dir() -> Path:
    """Where the server keeps its key and SQLite file when not told: a state directory."""
    for name in ("FLEET_DATA_DIR", "STATE_DIRECTORY"):  # the second: systemd's StateDirectory=
        if value := os.environ.get(name, "").split(":")[0]:
            return Path(value)
    return Path.home() / ".local" / "state" / "bianmin-fleet"


#: ``serve``'s whole-number options: flag, default, what it sets
SERVE_NUMBERS: tuple[tuple[str, int | None, str], ...] = (
    ("--port", 8470, "0 = any free port"),
    ("--workers", 1, "server processes on the one socket (PostgreSQL only)"),
    ("--max-inflight", 32, "device requests served at once per process; the rest get 429"),
    ("--db-pool", 10, "PostgreSQL connections per process"),
    ("--timeout-keep-alive", 5, "seconds an idle keep-alive connection stays open"),
    ("--limit-concurrency", None, "connections and requests at once per process before 503s"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk-fleet", description="Bianmin fleet server")
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--db", default=os.environ.get("FLEET_DB") or None)
    parser.add_argument(
        "--public-url",
        default=os.environ.get("FLEET_PUBLIC_URL", ""),
        help="the URL kiosks reach this server at (for enrollment strings)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP API and the web console")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    for flag, default, text in SERVE_NUMBERS:
        serve.add_argument(flag, type=int, default=default, help=text)
    serve.add_argument("--certfile", help="serve HTTPS with this PEM certificate (chain)")
    serve.add_argument("--keyfile", help="the certificate's PEM private key")
    serve.add_argument(
        "--forwarded-allow-ips",
        default="",
        help="comma-separated addresses of load balancers whose X-Forwarded-For and"
        " X-Forwarded-Proto are trusted ('*' = any); none by default",
    )
    serve.add_argument(
        "--retry-window",
        default="5,60",
        help="LOW,HIGH seconds: the Retry-After range sent with a 429",
    )
    serve.set_defaults(handler=_serve)
    admin = sub.add_parser("admin", help="admin accounts").add_subparsers(
        dest="what", required=True
    )
    add = admin.add_parser("add", help="add an admin (password on stdin or prompted)")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--scope", default=None, help="region the admin may act in")
    add.set_defaults(handler=_admin_add)
    enroll = admin.add_parser("totp", help="(re-)enroll an admin's one-time-code authenticator")
    enroll.add_argument("username")
    enroll.set_defaults(handler=_admin_totp)
    regions = sub.add_parser("region", help="the region tree")
    region = regions.add_subparsers(dest="what", required=True)
    radd = region.add_parser("add", help="add a province, county, township or site")
    radd.add_argument("id")
    radd.add_argument("--name", required=True)
    radd.add_argument("--level", choices=LEVELS, required=True)
    radd.add_argument("--parent", default=None)
    radd.set_defaults(handler=_region_add)
    code = sub.add_parser("pairing-code", help="a code a technician types on a new kiosk")
    code.add_argument("--site", required=True)
    code.add_argument("--uses", type=int, default=1)
    code.add_argument("--ttl", type=float, default=24.0, help="hours (default 24)")
    code.set_defaults(handler=_pairing_code)
    devices = sub.add_parser("devices", help="list kiosks")
    devices.add_argument("--pending", action="store_true")
    devices.add_argument("--json", action="store_true")
    devices.set_defaults(handler=_devices)
    approve = sub.add_parser("approve", help="accept a pending kiosk into a site")
    approve.add_argument("device")
    approve.add_argument("--site", required=True)
    approve.set_defaults(handler=_approve)
    for name in ("reject", "revoke"):
        p = sub.add_parser(name, help=f"{name} a kiosk")
        p.add_argument("device")
        p.set_defaults(handler=_revoke)
    pre = sub.add_parser("preauthorize", help="accept serials from a CSV (serial,site)")
    pre.add_argument("csv", type=Path)
    pre.set_defaults(handler=_preauthorize)
    push = sub.add_parser("push", help="push a configuration layer (JSON) to a region or site")
    push.add_argument("--site", required=True, help="site or region id")
    push.add_argument("file", type=Path)
    push.add_argument("--dry-run", action="store_true", help="only show what would change")
    push.set_defaults(handler=_push)
    cli_updates.add_commands(sub)
    analytics_cli.add_commands(sub, _app)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not logging.getLogger().handlers:
        level = logging.INFO if args.command == "serve" else logging.WARNING
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    args.actor = cli_actor(getpass.getuser())
    try:
        result: int = args.handler(args)
    except FleetError as exc:
        where = f"{exc.field}: " if exc.field else ""
        sys.stderr.write(f"kiosk-fleet: {exc.code}: {where}{exc.detail}\n")
        return 1
    except DatabaseError as exc:
        sys.stderr.write(f"kiosk-fleet: database: {exc}\n")
        return 2
    return result
