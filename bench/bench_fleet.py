"""Fleet load benchmark: many simulated kiosks heartbeating, then all reconnecting at once.

For SQLite and for PostgreSQL, against a real ``kiosk-fleet serve`` process on loopback
(uvicorn and Starlette):

1. nominal: N kiosks every 5 minutes (N/300 signed heartbeats per second, open loop);
2. capacity: back-to-back heartbeats from 16 connections — what one server process takes;
3. storm: all N kiosks at once after a province-wide outage, 200 connections; refused
   ones wait the server's Retry-After (plus up to 20 % jitter) and try again, until every
   kiosk has been heard or the time limit passes;
4. on PostgreSQL, the capacity row again with ``--workers 2`` (two processes, one socket).

    .venv/bin/python bench/bench_fleet.py                   # 10,000 kiosks, both engines
    .venv/bin/python bench/bench_fleet.py --kiosks 2000 --engines sqlite

Prints a table and writes it under "Fleet" in bench/RESULTS.md. Nothing is asserted.
The load generator is this script's threads, on the same two cores as the server.
"""

from __future__ import annotations

import argparse
import heapq
import http.client
import json
import random
import secrets
import select
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from provisioning.protocol import device_id_for, public_key_text, sign_request
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_console import load_average, serve
from fleet_population import region_tree
from pgcluster import each_engine
from results_file import write_section

BODY = {"devices": {"printer": {"device": "online", "supplies": {"paper": "full"}, "detail": ""}},
        "paper": "full", "outbox": {"depth": 0, "oldest_pending_age_s": None}, "uptime_s": 3600,
        "software_version": "0.1.0", "config_version": None, "in_service": True,
        "results": []}  # fmt: skip


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


# ---- set-up --------------------------------------------------------------------------------


def populate(data: Path, db_url: str | None, kiosks: int) -> list[tuple[str, Ed25519PrivateKey]]:
    """500 sites under 10 counties, ``kiosks`` accepted devices, a signed bundle per site."""
    app = FleetApp(data, db_url)
    fleet, actor = app.fleet, cli_actor("bench")
    sites = region_tree(fleet, actor)
    keys = [Ed25519PrivateKey.generate() for _ in range(kiosks)]
    devices = []
    with app.db.tx() as tx:
        for i, key in enumerate(keys):
            public = public_key_text(key.public_key())
            device = device_id_for(public)
            tx.run("INSERT INTO devices (id, public_key, serial, status, site_id,"
                   " software_version, enrolled_at) VALUES (?,?,?,'accepted',?,'0.1.0',?)",
                   (device, public, f"SN-{i}", sites[i % len(sites)], time.time()))  # fmt: skip
            devices.append((device, key))
    fleet.push(actor, "33", {"settings": {"session": {"idle_timeout_s": 180}}})
    app.stop()
    return devices


def serve_fleet(
    data: Path, db_url: str | None, inflight: int, window: str, workers: int = 1
) -> tuple[Any, str]:
    return serve(data, db_url, "--max-inflight", str(inflight), "--retry-window", window,
                 "--workers", str(workers))  # fmt: skip


# ---- the load ------------------------------------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ok: list[float] = []
        self.refused = 0
        self.errors = 0
        self.done_at: list[float] = []

    def add(self, status: int, latency: float) -> None:
        with self.lock:
            if status == 200:
                self.ok.append(latency)
                self.done_at.append(time.perf_counter())
            elif status == 429:
                self.refused += 1
            else:
                self.errors += 1


def beat(conn: http.client.HTTPConnection, device: str, key: Ed25519PrivateKey) -> tuple[int, int]:
    """One signed heartbeat: (status, Retry-After)."""
    if conn.sock is not None and select.select([conn.sock], [], [], 0)[0]:
        conn.close()  # the server closed it while idle (keep-alive timeout): reconnect,
        # as urllib3 and every HTTP client library does before reusing a connection
    body = json.dumps(BODY).encode()
    headers = sign_request(key, device, "POST", "/v1/device/heartbeat", body, int(time.time()),
                           secrets.token_urlsafe(18))  # fmt: skip
    headers["Content-Type"] = "application/json"
    conn.request("POST", "/v1/device/heartbeat", body, headers)
    resp = conn.getresponse()
    resp.read()
    return resp.status, int(resp.headers.get("Retry-After") or 0)


def run_queue(url: str, jobs: list[tuple[float, int]], devices: list[Any], workers: int,
              limit: float, stats: Stats, retry: bool) -> float:  # fmt: skip
    """Workers take (due, kiosk) jobs in time order; a 429 puts the kiosk back later."""
    host, port = url.removeprefix("http://").split(":")
    heap = list(jobs)
    heapq.heapify(heap)
    lock, start = threading.Lock(), time.perf_counter()
    rng = random.Random(1)

    def work() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.perf_counter() - start < limit:
            with lock:
                if not heap:
                    break
                due = heap[0][0]
                job = None if due > time.perf_counter() - start else heapq.heappop(heap)
            if job is None:
                time.sleep(min(0.2, max(0.001, due - (time.perf_counter() - start))))
                continue
            index = job[1]
            t0 = time.perf_counter()
            try:
                status, after = beat(conn, *devices[index])
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
                status, after = 0, 1
            stats.add(status, time.perf_counter() - t0)
            if retry and status != 200:
                later = time.perf_counter() - start + max(after, 1) * rng.uniform(1.0, 1.2)
                with lock:
                    heapq.heappush(heap, (later, index))
        conn.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def _row(name: str, phase: str, stats: Stats, took: float, heard: str = "—") -> list[str]:
    p50, p99 = pct(stats.ok, 50) * 1000, pct(stats.ok, 99) * 1000
    return [name, phase, f"{len(stats.ok) / took:.0f}", f"{p50:.1f}", f"{p99:.1f}",
            str(stats.refused), str(stats.errors), heard]  # fmt: skip


def capacity(url: str, devices: list[Any], kiosks: int) -> tuple[Stats, float]:
    stats = Stats()
    jobs = [(i * 1e-9, i % kiosks) for i in range(400_000)]  # round robin
    return stats, run_queue(url, jobs, devices, 16, 15, stats, retry=False)


def run_engine(name: str, db_url: str | None, data: Path, kiosks: int, nominal_s: float,
               storm_limit: float) -> list[list[str]]:  # fmt: skip
    devices = populate(data, db_url, kiosks)
    proc, url = serve_fleet(data, db_url, 32, "5,60")  # the server's defaults
    rows = []
    try:
        rate = kiosks / 300
        count = int(rate * nominal_s)
        stats = Stats()
        jobs = [(i / rate, random.randrange(kiosks)) for i in range(count)]
        run_queue(url, jobs, devices, 8, nominal_s + 30, stats, retry=False)
        rows.append(_row(name, f"nominal {rate:.0f}/s", stats, nominal_s))
        stats, took = capacity(url, devices, kiosks)
        rows.append(_row(name, "capacity, 16 conns", stats, took))
        stats = Stats()
        took = run_queue(url, [(0.0, i) for i in range(kiosks)], devices, 200, storm_limit,
                         stats, retry=True)  # fmt: skip
        rows.append(_row(name, f"storm, {kiosks} at once", stats, took,
                         f"{len(stats.ok)}/{kiosks} in {took:.0f} s"))  # fmt: skip
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    if db_url:  # several processes need PostgreSQL (SQLite takes one writer)
        proc, url = serve_fleet(data, db_url, 32, "5,60", workers=2)
        try:
            stats, took = capacity(url, devices, kiosks)
            rows.append(_row(name, "capacity, 16 conns, 2 processes", stats, took))
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
    return rows


SCALING = """\
Reading it: at 10,000 kiosks every 5 minutes (33 heartbeats/s) one process is mostly
idle; its capacity row is what one process takes on this machine, whose two cores it
shares with the load generator, the PostgreSQL backends, and other people's jobs (the
load average is given above: the figures move 10-30 % from run to run). In the storm
the server admits 32 device requests at a time per process and answers the rest 429 at
once with a Retry-After drawn from 5-60 s, so admitted requests stay fast and the kiosks
spread themselves over the window; the storm's req/s is kiosks heard per second of the
whole storm, so it is set by the window, not by the server.

What limits them. SQLite: one writer; since issue 14 write transactions share commits
(group commit: one fsync for all the heartbeats that arrived meanwhile, each still
answered only once on disk), so the limit is the Python work per heartbeat (~0.7 ms of
CPU: HTTP parsing and answering in uvicorn, Starlette's routing, the hand-off to a
worker thread, an Ed25519 verification, five statements) under one GIL. PostgreSQL:
per heartbeat three round trips (the device and its site's bundle; nonce, health,
alerts and commands pipelined in one; the commit, which waits for PostgreSQL's WAL
flush), more Python per statement in psycopg than in sqlite3, and the backends running
on the same two cores; it does not reach SQLite's figure here. Two processes: the
second process needs a core of its own, and here there is none to give (the load
generator and PostgreSQL already take most of the second core), so the 2-process row
measures the machine more than the server; on a machine with a core per process and the
database elsewhere each process adds about its own capacity row, since the processes
share nothing but the database.

Past one machine: the server processes hold no state of their own (sessions, nonces,
commands and bundles are all in the database; the signing key is one file every process
reads), so several `kiosk-fleet serve --db postgresql://…` processes run behind a load
balancer on one PostgreSQL (README, "The fleet server"); each adds about its capacity
row until the database's commit rate is the limit. Per-device limits then belong at the
load balancer. An MQTT broker (EMQX) is only worth adding if commands must reach kiosks
faster than the heartbeat interval."""


HEAD = ["engine", "phase", "ok req/s", "p50 ms", "p99 ms", "429s", "errors", "all heard"]


def write_results(rows: list[list[str]], kiosks: int, pg_version: str) -> str:
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    body = "\n".join([
        f"`bench/bench_fleet.py --kiosks {kiosks}` (load average at the end: {load_average()}):"
        " `kiosk-fleet serve` (uvicorn with"
        " httptools and uvloop, Starlette; max 32 device requests in flight per process,"
        " Retry-After 5-60 s, the defaults) and the load generator on the same machine."
        f" SQLite: WAL, synchronous=FULL. PostgreSQL {pg_version}: defaults (fsync on),"
        " psycopg_pool of 10 connections per process, each checked before use. Each request"
        " is a signed heartbeat (Ed25519 verify, nonce insert, health update, alert and"
        " command look-ups, bundle check) in one transaction.", "", *lines, "", SCALING,
    ])  # fmt: skip
    write_section("Fleet", "Capacity on Starlette and uvicorn (bench_fleet.py)", body)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kiosks", type=int, default=10_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--nominal", type=float, default=20.0, help="seconds of nominal load")
    parser.add_argument("--storm-limit", type=float, default=240.0)
    args = parser.parse_args()
    rows, versions = each_engine(
        args.engines,
        "bench-fleet-",
        lambda engine, data, cluster: run_engine(engine, cluster.url if cluster else None, data,
                                                 args.kiosks, args.nominal, args.storm_limit),
    )  # fmt: skip
    pg_version = versions[-1] if versions else "-"
    print(write_results(rows, args.kiosks, pg_version))


if __name__ == "__main__":
    main()
