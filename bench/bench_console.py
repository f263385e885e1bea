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
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fleet_population import PASSWORD, TOTP_SECRETS, populate
from pgcluster import PgCluster, each_engine
from results_file import write_section

from provisioning.server import totp

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


def serve(data: Path, db_url: str | None, *options: str) -> tuple[subprocess.Popen[str], str]:
    """A real ``kiosk-fleet serve`` process on a free loopback port, with ``options``;
    the process and its base URL."""
    argv = [sys.executable, "-c", "import sys; from provisioning.server.cli import main;"
            " sys.exit(main())", "--data-dir", str(data)]  # fmt: skip
    if db_url:
        argv += ["--db", db_url]
    proc = subprocess.Popen([*argv, "serve", "--port", "0", *options], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True,
                            env=os.environ | {"PYTHONPATH": str(ROOT)})  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line.split("listening on ")[1].split()[0]


def signed_in(base: str, user: str) -> tuple[requests.Session, str]:
    http = requests.Session()
    form = http.get(base + "/console/login", timeout=60).text
    token = re.search(r'name="csrf" value="([^"]+)"', form)
    assert token, "no login form"
    secret = TOTP_SECRETS.get(user)
    code = totp.code_at(secret, time.time()) if secret else ""
    http.post(
        base + "/console/login",
        timeout=60,
        data={"username": user, "password": PASSWORD, "otp": code, "csrf": token.group(1)},
    )
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


def page_rows(engine: str, http: requests.Session, base: str, csrf: str,
              pages: Iterable[tuple[str, str]], runs: int,
              goal_ms: float, goal_kb: float | None = None) -> list[list[str]]:  # fmt: skip
    """Each page measured: its row of the results table, printed as it comes; a page
    meets the goal when it answers 200 within ``goal_ms`` (and ``goal_kb``)."""
    rows = []
    for name, path in pages:
        m = measure(http, base, csrf, path, runs)
        ok = m["server_max"] < goal_ms and m["status"] == 200
        ok = ok and (goal_kb is None or m["kb"] < goal_kb)
        rows.append([engine, name, f"{m['server']:.1f}", f"{m['server_max']:.1f}",
                     f"{m['wall']:.1f}", f"{m['kb']:.1f}", str(m["status"]),
                     "yes" if ok else "**no**"])  # fmt: skip
        print(" | ".join(rows[-1]), flush=True)
    return rows


def run_engine(engine: str, data: Path, cluster: PgCluster | None, kiosks: int,
               runs: int) -> list[list[str]]:  # fmt: skip
    db_url = cluster.url if cluster else None
    made = populate(data, db_url, kiosks)
    if cluster is not None:
        cluster.analyze()
    print(f"{engine}: {made}", flush=True)
    proc, base = serve(data, db_url)
    rows = []
    try:
        for user, pages in (("alice", PAGES), ("bob", COUNTY_PAGES)):
            http, csrf = signed_in(base, user)
            rows += page_rows(engine, http, base, csrf, pages, runs, GOAL_MS, GOAL_KB)
            http.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    return rows


Rows = list[list[str]]
HEAD = ["engine", "page", "server ms (median)", "server ms (max)", "wall ms (median)", "KB",
        "status"]  # fmt: skip


def page_table(goal: str, rows: Rows) -> list[str]:
    """The results as a markdown table, ``goal`` heading the column that says if a page
    met it."""
    head = [*HEAD, goal]
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head),
            *("| " + " | ".join(r) + " |" for r in rows)]  # fmt: skip


def load_average() -> str:
    """The machine's load averages (1, 5, 15 minutes): how busy it was around a run."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def page_bench(doc: str, size: str, default: int,
               run: Callable[[str, Path, PgCluster | None, int, int], Rows], goal: str,
               subsection: str, lead: str, **facts: object) -> None:  # fmt: skip
    """A page benchmark's main: its command line (``--<size>``, ``--engines``,
    ``--runs``); ``run(engine, data, cluster, size, runs)`` on each engine; then the
    table, printed, and written under "Fleet" in RESULTS.md below ``subsection`` and
    ``lead``. Both are templates: ``{<size>}``, ``{runs}``, ``{load}`` (the load average at
    the end), ``{engines}`` (as the report names them) and ``facts`` fill them."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument(f"--{size}", type=int, default=default)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows, versions = each_engine(
        args.engines,
        f"bench-{Path(sys.argv[0]).stem.removeprefix('bench_')}-",
        lambda engine, data, cluster: run(engine, data, cluster, getattr(args, size), args.runs),
    )
    pg = "".join(f", PostgreSQL {v} (defaults, fsync on)" for v in versions)
    table = page_table(goal, rows)
    fill = {**vars(args), **facts, "load": load_average()}
    fill["engines"] = f"SQLite (WAL, synchronous=FULL){pg}"
    body = "\n".join([lead.format(**fill), "", *table])
    write_section("Fleet", subsection.format(**fill), body)
    print("\n".join(table))


LEAD = """\
`bench/bench_console.py --kiosks {kiosks} --runs {runs}` (load average at the end:
{load}): one `kiosk-fleet serve` process, the browser's requests from the same machine;
{engines}. 500 sites; about 86 % of kiosks online, 10 % offline, 4 % never seen, 11 %
with an open alert, 10 % on a stale configuration, 2 % out of service; 300 pending. A
page is 50 kiosks. Server time from the page's Server-Timing header."""


def main() -> None:
    goal = f"< {GOAL_MS} ms and < {GOAL_KB} KB"
    title = "Console at {kiosks:,} kiosks (bench_console.py)"
    page_bench(__doc__, "kiosks", 100_000, run_engine, goal, title, LEAD)


if __name__ == "__main__":
    main()
