"""``kiosk-release``: build releases, keep the TUF repository, serve it for a try.

kiosk-release build --version 0.2.0 --out dist/0.2.0      # wheel + wheelhouse + manifest
kiosk-release init REPO                                     # keys and first metadata
kiosk-release add REPO dist/0.2.0 [--downgrade]             # publish a release
kiosk-release downgrade REPO 0.1.0 [--withdraw]             # sign a downgrade order
kiosk-release rotate REPO ROLE                              # new key for a role
kiosk-release refresh REPO                                  # new snapshot + timestamp
kiosk-release list REPO
kiosk-release serve REPO [--port P]                         # static files with Range
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from provisioning.release.build import BuildFailed, build_release
from provisioning.release.httpd import StaticServer
from provisioning.release.repo import Repository


def _out(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=1) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-release", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="verb", required=True)
    b = sub.add_parser("build", help="build a release folder from a source tree")
    b.add_argument("--version", required=True)
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--source", type=Path, default=Path.cwd())
    b.add_argument(
        "--wheel-cache", type=Path, default=None, help="dependency wheels kept between builds"
    )
    b.add_argument("--notes", default="")
    for verb in ("init", "refresh", "list", "serve"):
        sub.add_parser(verb).add_argument("repo", type=Path)
    a = sub.add_parser("add")
    a.add_argument("repo", type=Path)
    a.add_argument("release", type=Path)
    a.add_argument("--downgrade", action="store_true")
    d = sub.add_parser("downgrade")
    d.add_argument("repo", type=Path)
    d.add_argument("version")
    d.add_argument("--withdraw", action="store_true")
    r = sub.add_parser("rotate")
    r.add_argument("repo", type=Path)
    r.add_argument("role", choices=["root", "targets", "snapshot", "timestamp"])
    sub.choices["serve"].add_argument("--port", type=int, default=8700)
    sub.choices["serve"].add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)

    if args.verb == "build":
        try:
            manifest = build_release(
                args.version,
                args.out,
                source=args.source,
                wheel_cache=args.wheel_cache,
                notes=args.notes,
            )
        except BuildFailed as exc:
            sys.stderr.write(f"kiosk-release: {exc}\n")
            return 1
        doc = json.loads(manifest.read_text(encoding="utf-8"))
        _out(
            {
                "version": doc["version"],
                "wheels": len(doc["wheels"]),
                "bytes": sum(w["length"] for w in doc["wheels"]),
                "manifest": str(manifest),
            }
        )
    elif args.verb == "init":
        Repository.init(args.repo)
        _out({"repository": str(args.repo), "root": str(args.repo / "metadata" / "1.root.json")})
    elif args.verb == "add":
        _out({"added": Repository(args.repo).add_release(args.release, downgrade=args.downgrade)})
    elif args.verb == "downgrade":
        Repository(args.repo).set_downgrade(args.version, not args.withdraw)
        _out({"version": args.version, "downgrade": not args.withdraw})
    elif args.verb == "rotate":
        _out({"role": args.role, "new_key": Repository(args.repo).rotate(args.role)})
    elif args.verb == "refresh":
        Repository(args.repo).refresh()
        _out({"refreshed": str(args.repo)})
    elif args.verb == "list":
        _out(Repository(args.repo).releases())
    else:
        server = StaticServer(args.repo, args.host, args.port).start()
        sys.stderr.write(f"serving {args.repo} at {server.url}\n")
        threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
