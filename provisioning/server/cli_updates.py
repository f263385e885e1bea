"""``kiosk-fleet release …`` and ``kiosk-fleet rollout …``: software updates for a fleet.

kiosk-fleet release add PATH --version V [--notes TEXT]   # a folder from kiosk-release build
kiosk-fleet release list [--json]
kiosk-fleet release downgrade V [--withdraw]              # sign an admin's downgrade order
kiosk-fleet release rotate ROLE                           # a new TUF key for ROLE
kiosk-fleet rollout start V --target REGION [--canary N|P%] [--wave P%] [--max-failures P%]
kiosk-fleet rollout status ID [--json]
kiosk-fleet rollout pause|resume|abort ID
kiosk-fleet rollout list [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from provisioning.server.app import FleetApp
from provisioning.server.rollout_service import DEFAULTS
from provisioning.server.rollouts import DONE, FAILURES, STATES


def _app(args: argparse.Namespace) -> FleetApp:
    return FleetApp(args.data_dir, args.db, public_url=args.public_url or "")


def _out(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=1) + "\n")


def _write(text: str) -> None:
    sys.stdout.write(text + "\n")


# ---- releases ---------------------------------------------------------------------------


def _release_add(args: argparse.Namespace) -> int:
    with _app(args) as app:
        added = app.releases.add(args.actor, args.path, args.version, args.notes)
    _out(added)
    return 0


def _release_list(args: argparse.Namespace) -> int:
    with _app(args) as app:
        found = app.releases.all()
    if args.json:
        _out(found)
        return 0
    _write(f"{'version':<12} {'wheels':>6} {'MB':>8} {'downgrade':<9} {'added by':<16} notes")
    for r in found:
        mark = "yes" if r["downgrade"] else ""
        _write(
            f"{r['version']:<12} {r['wheels']:>6} {r['bytes'] / 1e6:>8.1f} {mark:<9}"
            f" {r['added_by']:<16} {r['notes']}"
        )
    return 0


def _release_downgrade(args: argparse.Namespace) -> int:
    with _app(args) as app:
        _out(app.releases.set_downgrade(args.actor, args.version, not args.withdraw))
    return 0


def _release_rotate(args: argparse.Namespace) -> int:
    with _app(args) as app:
        _out({"role": args.role, "new_key": app.releases.rotate(args.actor, args.role)})
    return 0


# ---- rollouts ---------------------------------------------------------------------------


def _rollout_start(args: argparse.Namespace) -> int:
    with _app(args) as app:
        found = app.rollouts.start(
            args.actor,
            args.version,
            args.target,
            canary=args.canary,
            wave=args.wave,
            max_failures=args.max_failures,
        )
    _show(found, args.json)
    return 0


def _rollout_status(args: argparse.Namespace) -> int:
    with _app(args) as app:
        found = app.rollouts.status(args.actor, args.id)
    _show(found, args.json)
    return 0


def _rollout_move(args: argparse.Namespace) -> int:
    with _app(args) as app:
        app.rollouts.move(args.actor, args.id, args.what)
        found = app.rollouts.status(args.actor, args.id)
    _show(found, args.json)
    return 0


def _rollout_list(args: argparse.Namespace) -> int:
    with _app(args) as app:
        found = app.rollouts.all(args.actor)
    if args.json:
        _out(found)
        return 0
    _write(
        f"{'id':>4} {'version':<10} {'target':<14} {'status':<9} {'committed':>9}"
        f" {'failed':>6} kiosks"
    )
    for r in found:
        t = r["totals"]
        bad = sum(t[s] for s in FAILURES)
        _write(
            f"{r['id']:>4} {r['version']:<10} {r['target']:<14} {r['status']:<9}"
            f" {t['committed']:>9} {bad:>6} {sum(t.values())}"
        )
    return 0


def _show(found: dict[str, Any], as_json: bool) -> None:
    if as_json:
        _out(found)
        return
    _write(
        f"rollout {found['id']}: {found['version']} to {found['target']} — {found['status']}"
        f" ({found['size']} kiosks, {found['waves']} waves,"
        f" halt past {found['max_failures_pct']:g}% failures)"
    )
    if found["halted_reason"]:
        _write(f"  HALTED: {found['halted_reason']}")
    shown = [s for s in STATES if s != "pending"]
    _write(f"  {'wave':<4} {'label':<24} {'size':>5} " + " ".join(f"{s[:9]:>9}" for s in shown))
    for w in found["waves_detail"]:
        here = ">" if w["number"] == found["current_wave"] and found["status"] == "running" else " "
        cells = " ".join(f"{w['states'][s]:>9}" for s in shown)
        _write(f" {here}{w['number'] + 1:<4} {w['label'][:24]:<24} {w['size']:>5} {cells}")
    for p in found["problems"][:20]:
        _write(
            f"  {p['device_id']} ({p['serial']}, {p['site_id']}): {p['state']}"
            f" {p['reason']} {p['detail']}".rstrip()
        )
    done = sum(found["totals"][s] for s in DONE)
    _write(f"  done {done}/{found['size']}, committed {found['totals']['committed']}")


def add_commands(sub: Any) -> None:
    """The ``release`` and ``rollout`` commands on ``kiosk-fleet``'s parser."""
    release = sub.add_parser("release", help="software releases (a signed TUF repository)")
    rel = release.add_subparsers(dest="what", required=True)
    add = rel.add_parser("add", help="add a release folder made by kiosk-release build")
    add.add_argument("path", type=Path)
    add.add_argument("--version", required=True)
    add.add_argument("--notes", default="")
    add.set_defaults(handler=_release_add)
    _listing(rel, "the releases", _release_list)
    down = rel.add_parser("downgrade", help="sign an order that kiosks may go back to V")
    down.add_argument("version")
    down.add_argument("--withdraw", action="store_true")
    down.set_defaults(handler=_release_downgrade)
    rot = rel.add_parser("rotate", help="a new signing key for a TUF role")
    rot.add_argument("role", choices=["root", "targets", "snapshot", "timestamp"])
    rot.set_defaults(handler=_release_rotate)

    rollout = sub.add_parser("rollout", help="offer a release to a region's kiosks in waves")
    ro = rollout.add_subparsers(dest="what", required=True)
    start = ro.add_parser("start", help="start a rollout: canaries first, then region by region")
    start.add_argument("version")
    start.add_argument("--target", required=True, help="a region id (province … site)")
    start.add_argument("--canary", default=DEFAULTS["canary"], help="N kiosks or P%% (default 5%%)")
    start.add_argument(
        "--wave",
        default=DEFAULTS["wave"],
        help="each later wave's share of the kiosks, P%% (default 25%%)",
    )
    start.add_argument(
        "--max-failures",
        default=DEFAULTS["max_failures"],
        help="failed + rolled back in a wave before it halts, P%% (default 10%%)",
    )
    start.add_argument("--json", action="store_true")
    start.set_defaults(handler=_rollout_start)
    for verb, text, handler in (
        ("status", "a rollout's waves and failures", _rollout_status),
        ("pause", "pause a rollout", _rollout_move),
        ("resume", "resume a rollout", _rollout_move),
        ("abort", "abort a rollout", _rollout_move),
    ):
        one = ro.add_parser(verb, help=text)
        one.add_argument("id", type=int)
        one.add_argument("--json", action="store_true")
        one.set_defaults(handler=handler)
    _listing(ro, "the rollouts, newest first", _rollout_list)


def _listing(commands: Any, text: str, handler: Callable[[argparse.Namespace], int]) -> None:
    """A ``list`` command (``--json`` for scripts) among ``commands``."""
    listing = commands.add_parser("list", help=text)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=handler)
