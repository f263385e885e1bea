"""``kiosk-updater`` (also ``python -m terminal.updater``): the updater's own process.

The systemd unit ``bianmin-kiosk-updater.service`` starts it from the ``good``
version's environment. Each round it reads the settings (the site file, else the
fleet's active bundle) for the update hours and the download cap, then takes a step;
``--until-stable`` steps until nothing changes (scripts, tests), ``--once`` takes one.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from kiosk import __version__
from kiosk.settings import Settings, default_state_dir, load_settings
from provisioning.agent import active_site_file
from terminal.updater.layout import DEFAULT_ROOT, Layout
from terminal.updater.proof import CHECKS, updates_dir
from terminal.updater.service import Updater

log = logging.getLogger("kiosk-updater")
STABLE_STEPS = 60


def app_root(arg: Path | None = None) -> Path:
    """``--root``, else ``$KIOSK_APP_ROOT``, else /opt/bianmin-kiosk."""
    if arg is not None:
        return arg
    env = os.environ.get("KIOSK_APP_ROOT")
    return Path(env) if env else DEFAULT_ROOT


def settings_for(config: Path | None) -> Settings:
    site = config or (Path(os.environ["KIOSK_CONFIG"]) if os.environ.get("KIOSK_CONFIG") else None)
    return load_settings(site or active_site_file(default_state_dir()))


def make_updater(args: argparse.Namespace) -> Updater:
    settings = settings_for(args.config)
    u = settings.updates
    require = tuple(args.require.split(",")) if args.require else CHECKS
    return Updater(
        Layout(app_root(args.root)),
        updates_dir(settings.state_dir),
        hours=u.hours,
        kbps=u.download_kbps,
        prove_within_s=args.prove_within or u.prove_within_s,
        require=require,
        base_site=args.base_site,
    )


def until_stable(updater: Updater) -> dict[str, object]:
    previous: dict[str, object] | None = None
    for _ in range(STABLE_STEPS):
        updater.step()
        status = {k: v for k, v in updater.status().items() if k != "at"}
        if status == previous:
            break
        previous = status
    return updater.status()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk-updater", description="the kiosk's software updater")
    p.add_argument("--root", type=Path, default=None, help="the version folders' root")
    p.add_argument("--config", type=Path, default=None, help="site settings file")
    p.add_argument("--interval", type=float, default=30.0, help="seconds between steps")
    p.add_argument("--once", action="store_true", help="one step, then exit")
    p.add_argument("--until-stable", action="store_true", help="step until nothing changes")
    p.add_argument(
        "--require", default="", help=f"checks a new version must pass ({','.join(CHECKS)})"
    )
    p.add_argument("--prove-within", type=float, default=0, help="seconds (default: settings)")
    p.add_argument("--base-site", type=Path, default=None, help=argparse.SUPPRESS)  # test rigs
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.once or args.until_stable:
        updater = make_updater(args)
        if args.until_stable:
            status = until_stable(updater)
        else:
            updater.step()
            status = updater.status()
        sys.stdout.write(json.dumps(status, ensure_ascii=False) + "\n")
        return 0
    while True:
        updater = make_updater(args)  # settings may have changed (a fleet bundle)
        try:
            updater.step()
        except Exception:  # one bad round must not end the updater
            log.exception("update step failed")
        good = updater.layout.get("good")
        launcher = updater.layout.root / "launch-updater"
        if good and good != __version__ and launcher.exists():
            log.info("updater %s hands over to the committed %s", __version__, good)
            os.execv(str(launcher), [str(launcher)])
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
