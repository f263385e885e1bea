"""Console benchmark: every console page at 100,000 kiosks, on SQLite and on PostgreSQL.

For each engine: a province of N kiosks (fleet_population.py: 500 sites, a realistic mix
of online, offline and never-seen kiosks, alerts, versions and stale configurations), a
real ``kiosk-fleet serve`` process on loopback, an admin signed in; each page fetched
once to warm up, then ``--runs`` times. Server time is what the server reports in its
``Server-Timing`` header (from the request's arrival to its answer); the wall time adds
the HTTP round trip on loopback. Size is the HTML as sent.

    .venv/bin/python bench/bench_console.py                      # 100,000 kiosks, both engines
    .venv/bin/python bench/bench_console.py --kiosks 10000 --engines sqlite

Prints a table and writes it under "Fleet" in bench/RESULTS.md. Nothing is asserted; the
goals are under 300 ms server time and under 300 KB for every page.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fleet_population import PASSWORD, populate
from pgcluster import PgCluster
from results_file import write_section

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS, GOAL_KB = 300, 300

PAGES: list[tuple[str, str]] = [
    ("landing: the province, its counties", "/console/"),
    ("county: its townships", "/console/regions/c3"),
    ("township: its sites", "/console/regions/t31"),
    ("site", "/console/regions/s312"),
    ("all devices, page 1", "/console/devices"),
    ("all devices, last page", "/console/devices?page=2000"),
    ("offline", "/console/devices?health=offline"),
    ("never seen", "/console/devices?health=never"),
    ("alerting (any)", "/console/devices?alert=any"),
    ("paper out", "/console/devices?alert=paper_out"),
    ("stale configuration", "/console/devices?config=stale"),
    ("configuration error", "/console/devices?config=error"),
    ("one version", "/console/devices?version=0.3.0rc1"),
    ("out of service", "/console/devices?service=out"),
    ("search a serial", "/console/devices?q=SN-00123"),
    ("search a device id", "/console/devices?q=00000000000123"),
    ("by last contact, newest, page 1,000", "/console/devices?sort=last_seen&order=desc&page=1000"),
    ("by serial, page 1,500", "/console/devices?sort=serial&page=1500"),
    ("by site, descending", "/console/devices?sort=site&order=desc"),
    ("by version, page 1,000", "/console/devices?sort=version&page=1000"),
    ("county, offline, by contact", "/console/devices?region=c3&health=offline&sort=last_seen"),
    ("one kiosk", "/console/devices/dev-0000000000000003"),
    ("pending", "/console/pending"),
    ("configuration: index", "/console/config"),
    ("configuration: the province", "/console/config/33"),
    ("audit log", "/console/audit"),
    ("preview a province-wide change (POST)", "POST /console/config/33/preview"),
]  # fmt: skip
COUNTY_PAGES = [
    ("county admin: landing", "/console/"),
    ("county admin: devices", "/console/devices"),
]
LAYER = '{"settings": {"session": {"idle_timeout_s": 200}}}'


def serve(data: Path, db_url: str | None) -> tuple[subprocess.Popen[str], str]:
    argv = [sys.executable, "-c", "import sys; from provisioning.server.cli import main;"
            " sys.exit(main())", "--data-dir", str(data)]  # fmt: skip
    if db_url:
        argv += ["--db", db_url]
    proc = subprocess.Popen([*argv, "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True,
                            env=os.environ | {"PYTHONPATH": str(ROOT)})  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line.split("listening on ")[1].split()[0]


def signed_in(base: str, user: str) -> tuple[requests.Session, str]:
    http = requests.Session()
    http.post(base + "/console/login", data={"username": user, "password": PASSWORD}, timeout=60)
    page = http.get(base + "/console/", timeout=60).text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "not signed in"
    return http, found.group(1)


def measure(http: requests.Session, base: str, csrf: str, path: str, runs: int) -> dict[str, Any]:
    method, _, target = path.rpartition(" ")
    server, wall, size, status = [], [], 0, 0
    for i in range(runs + 1):
        t0 = time.perf_counter()
        if method == "POST":
            resp = http.post(base + target, data={"csrf": csrf, "layer": LAYER}, timeout=120)
        else:
            resp = http.get(base + target, timeout=120)
        took = time.perf_counter() - t0
        timing = re.search(r"dur=([\d.]+)", resp.headers.get("Server-Timing", ""))
        if i == 0:  # warm-up
            continue
        server.append(float(timing.group(1)) if timing else float("nan"))
        wall.append(took * 1000)
        size, status = len(resp.content), resp.status_code
    return {"server": statistics.median(server), "server_max": max(server),
            "wall": statistics.median(wall), "kb": size / 1024, "status": status}  # fmt: skip


def run_engine(engine: str, db_url: str | None, data: Path, kiosks: int, runs: int,
               cluster: PgCluster | None) -> list[list[str]]:  # fmt: skip
    made = populate(data, db_url, kiosks)
    if cluster is not None:
        cluster.analyze()
    print(f"{engine}: {made}", flush=True)
    proc, base = serve(data, db_url)
    rows = []
    try:
        for user, pages in (("alice", PAGES), ("bob", COUNTY_PAGES)):
            http, csrf = signed_in(base, user)
            for name, path in pages:
                m = measure(http, base, csrf, path, runs)
                ok = m["server_max"] < GOAL_MS and m["kb"] < GOAL_KB and m["status"] == 200
                rows.append([engine, name, f"{m['server']:.1f}", f"{m['server_max']:.1f}",
                             f"{m['wall']:.1f}", f"{m['kb']:.1f}", str(m["status"]),
                             "yes" if ok else "**no**"])  # fmt: skip
                print(" | ".join(rows[-1]), flush=True)
            http.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    return rows


HEAD = ["engine", "page", "server ms (median)", "server ms (max)", "wall ms (median)", "KB",
        "status", f"< {GOAL_MS} ms and < {GOAL_KB} KB"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kiosks", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows: list[list[str]] = []
    versions = []
    with tempfile.TemporaryDirectory(prefix="bench-console-") as tmp:
        os.chmod(tmp, 0o755)  # the cluster runs as the postgres user
        for engine in args.engines.split(","):
            root = Path(tmp) / engine
            root.mkdir()
            cluster = PgCluster(root) if engine == "postgresql" else None
            if cluster is not None:
                versions.append(f"PostgreSQL {cluster.version} (defaults, fsync on)")
            try:
                rows += run_engine(engine, cluster.url if cluster else None, root / "data",
                                   args.kiosks, args.runs, cluster)  # fmt: skip
            finally:
                if cluster is not None:
                    cluster.stop()
    table = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    table += ["| " + " | ".join(r) + " |" for r in rows]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    body = "\n".join([
        f"`bench/bench_console.py --kiosks {args.kiosks} --runs {args.runs}` (load average"
        f" at the end: {load}): one"
        " `kiosk-fleet serve` process, the browser's requests from the same machine;"
        f" SQLite (WAL, synchronous=FULL){', ' + ', '.join(versions) if versions else ''}."
        " 500 sites; about 86 % of kiosks online, 10 % offline, 4 % never seen, 11 % with an"
        " open alert, 10 % on a stale configuration, 2 % out of service; 300 pending. A"
        " page is 50 kiosks. Server time from the page's Server-Timing header.",
        "", *table,
    ])  # fmt: skip
    write_section("Fleet", f"Console at {args.kiosks:,} kiosks (bench_console.py)", body)
    print("\n".join(table))


if __name__ == "__main__":
    main()
