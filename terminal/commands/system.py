"""``kiosk install-service`` / ``kiosk uninstall-service``: make this machine a kiosk."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from terminal.system import install, plan, uninstall


def _kiosk_executable() -> str:
    here = Path(sys.executable).with_name("kiosk")
    return str(here) if here.exists() else (shutil.which("kiosk") or "kiosk")


def _install(args: argparse.Namespace) -> int:
    config = str(args.config.resolve()) if args.config else None
    p = plan(
        root=args.root,
        user=args.user,
        kiosk=_kiosk_executable(),
        config=config,
        app_root=str(args.app_root),
    )
    real = args.root == Path("/")
    written = install(
        p,
        create_user=real and not args.no_user,
        enable=real and not args.no_enable,
        release=args.release,
        update_root=args.update_root,
    )
    for rel in written:
        sys.stdout.write(f"wrote /{rel}\n")
    return 0


def _uninstall(args: argparse.Namespace) -> int:
    try:
        removed = uninstall(args.root, disable=args.root == Path("/"))
    except FileNotFoundError as exc:
        sys.stderr.write(f"kiosk: {exc}\n")
        return 1
    for rel in removed:
        sys.stdout.write(f"removed /{rel}\n")
    sys.stdout.write("kept the state directory (queued applications, keys, logs)\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    inst = sub.add_parser("install-service", help="set this machine up as a kiosk (root)")
    inst.add_argument("--user", default="kiosk", help="the dedicated user (default kiosk)")
    inst.add_argument("--config", type=Path, default=None, help="site settings file")
    inst.add_argument("--root", type=Path, default=Path("/"), help="install into this root")
    inst.add_argument("--no-user", action="store_true", help="do not create the user")
    inst.add_argument("--no-enable", action="store_true", help="do not enable the unit")
    inst.add_argument(
        "--release",
        type=Path,
        default=None,
        help="a release folder (kiosk-release build) to install",
    )
    inst.add_argument("--update-root", type=Path, default=None, help="the fleet's TUF root.json")
    inst.add_argument(
        "--app-root", type=Path, default=Path("/opt/bianmin-kiosk"), help="version folders"
    )
    inst.set_defaults(handler=_install)
    uninst = sub.add_parser("uninstall-service", help="undo install-service")
    uninst.add_argument("--root", type=Path, default=Path("/"))
    uninst.set_defaults(handler=_uninstall)
