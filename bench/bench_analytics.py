"""Analytics benchmark: every analytics page at 100,000 kiosks × 90 days, SQLite and PostgreSQL.

For each engine: the province of the console benchmark (fleet_population.py: 10 counties
× 5 townships × 10 sites), then 90 days of usage rollups as 100,000 kiosks (200 per
site) would have sent them, written in bulk straight into the rollup tables (an_day,
an_matter, an_funnel) for every site and every ancestor — the rows ingest would have
made — plus 500,000 supervised cases (about 3 % red, 2 % yellow) and 20,000 差评
follow-ups. Then a real ``kiosk-fleet serve`` process on loopback and an admin signed
in; each page fetched once to warm up, then ``--runs`` times. Server time is the page's
``Server-Timing`` header.

How it was populated, honestly: no batch went through ``POST /v1/device/usage`` (that
path is measured by tests, not here; 100,000 kiosks × 90 days × ~12 open hours is
~10^8 requests), and ``usage_batches`` (the idempotency keys, read only by ingest) is
left empty. The rollups hold what such batches would have summed to: per site and day
every count a busy site has (sessions, identity methods, features, prints, QR failures,
complaints, ratings, journeys by flow: ~80 keys), its matters (each of the 16 release
matters and 3 services on ~60 % of days, 8 measures each) and their funnels (6-8 steps,
reached/seconds/visits and 1-2 ways of leaving). A page reads one node's rows (or its
children's), so its cost depends on the days and keys of that node, not on how many
kiosks fed it; a tree with more sites adds site rows no page of another node reads.

    .venv/bin/python bench/bench_analytics.py                 # both engines
    .venv/bin/python bench/bench_analytics.py --engines sqlite --days 30

Prints a table and writes it under "Fleet" in bench/RESULTS.md. Nothing is asserted;
the goal is under 500 ms server time for every page.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_console import page_bench, page_rows, serve, signed_in
from fleet_population import sites_of
from pgcluster import PgCluster

from provisioning.server.analytics.ingest import BAD_LEVELS
from provisioning.server.analytics.queries import day_key, zh
from provisioning.server.analytics.supervision import count_cards
from provisioning.server.app import FleetApp

GOAL_MS = 500
KIOSKS_PER_SITE = 200  # 100,000 kiosks over the 500 sites
END = dt.date(2026, 12, 6)
MATTERS = json.loads((Path(__file__).resolve().parents[1] / "config" / "catalogue.json")
                     .read_text("utf-8"))["matters"]  # fmt: skip
MODE_FLOW = {"instant": "instant", "promised": "promised", "appointment": "appointment",
             "deferred": "deferred", "self_service": "self_service"}  # fmt: skip
STEPS = {
    "instant": ["identity", "notice", "form", "fetch", "certificate", "rating", "done"],
    "promised": ["identity", "notice", "form", "materials", "review", "submit", "receipt",
                 "rating"],
    "appointment": ["identity", "notice", "slots", "confirm", "booked", "rating"],
    "deferred": ["identity", "notice", "form", "materials", "review", "receipt"],
    "self_service": ["identity", "guide", "done"],
    "tracking": ["identity", "lookup", "cases", "case"],
    "complaint": ["category", "compose", "contact", "ticket"],
    "assist": ["consent", "identity", "done"],
}  # fmt: skip
REASONS = ["back", "left", "timeout", "card_removed", "finished", "cancelled"]
DAY_DIMS = {
    "sessions_ended": ["timeout", "finished", "card_removed", "cancelled"],
    "identity_proven": ["id_card", "social_security_card", "bank_card", "qr_eid", "face",
                        "agent", "typed"],
    "sessions_using": ["elderly", "english", "voice"],
    "prints": ["printed", "paper_out", "cover_open", "unconfirmed", "failed", "no_printer"],
    "qr_scans_failed": ["timeout", "not_ours", "not_a_receipt", "no_camera", "error"],
    "complaints_filed": ["service_attitude", "efficiency", "materials", "device", "other"],
    "ratings": ["1", "2", "3", "4", "5"],
}  # fmt: skip
FLOWS = list(STEPS)


def journeys(rng: random.Random) -> list[tuple[str, str]]:
    """The (flow, matter) pairs a site sees on a day: ~60 % of the matters and services."""
    pairs = [(MODE_FLOW.get((m.get("modes") or ["promised"])[0], "promised"), m["code"])
             for m in MATTERS] + [("tracking", ""), ("complaint", ""), ("assist", "")]  # fmt: skip
    return [p for p in pairs if rng.random() < 0.6]


def site_day(rng: random.Random, d: int) -> tuple[dict[Any, int], dict[Any, int], dict[Any, int]]:
    """One busy site's day of rollups: (an_day, an_matter, an_funnel) keys -> counts."""
    day: dict[Any, int] = {}
    matter: dict[Any, int] = {}
    funnel: dict[Any, int] = {}
    served = rng.randint(150, 450)  # 200 kiosks: a town hall's queue, not a village's
    day[(d, "sessions_started", "")] = served
    for metric, dims in DAY_DIMS.items():
        for dim in dims:
            if rng.random() < 0.8:
                day[(d, metric, dim)] = rng.randint(1, max(2, served // (3 * len(dims))))
    by_flow: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for flow, code in journeys(rng):
        started = rng.randint(1, 40)
        done = rng.randint(0, started)
        left, assisted = started - done, rng.randint(0, started // 4)
        rated = rng.randint(0, done)
        stars = rng.randint(1, 5)
        for name, v in (("started", started), ("completed", done), ("abandoned", left),
                        ("assisted", assisted), ("retaken", rng.randint(0, 3)),
                        ("ratings_n", rated), ("ratings_sum", rated * stars),
                        ("ratings_bad", rated if stars in BAD_LEVELS else 0)):  # fmt: skip
            if v:
                matter[(d, flow, code, name)] = v
        f = by_flow[flow]
        f[0] += started
        f[1] += done
        f[2] += left
        f[3] += assisted
        reached = started
        for step in STEPS[flow]:
            funnel[(flow, code, d, step, "reached", "")] = reached
            funnel[(flow, code, d, step, "seconds", "")] = reached * rng.randint(10, 90)
            funnel[(flow, code, d, step, "visits", "")] = reached
            gone = rng.randint(0, max(0, reached // 5))
            if gone:
                funnel[(flow, code, d, step, "abandoned", rng.choice(REASONS))] = gone
            reached -= gone
            if reached <= 0:
                break
    for flow, (started, done, left, assisted) in by_flow.items():
        counts = (("journeys_started", started), ("journeys_completed", done),
                  ("journeys_abandoned", left), ("journeys_assisted", assisted))  # fmt: skip
        for metric, v in counts:
            if v:
                day[(d, metric, flow)] = v
    return day, matter, funnel


TABLES = {
    "an_day": ("node_id", "day", "metric", "dim", "value"),
    "an_matter": ("node_id", "day", "flow", "matter", "metric", "value"),
    "an_funnel": ("node_id", "flow", "matter", "day", "step", "kind", "reason", "value"),
}


class Writer:
    """Bulk rows into one engine: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, app: FleetApp, pg_url: str | None) -> None:
        self.app, self.pg_url = app, pg_url
        self.count = 0
        self._pg: Any = None

    def close(self) -> None:
        if self._pg is not None:
            self._pg.close()

    def write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        self.count += len(rows)
        cols = TABLES.get(table) or tuple(range(len(rows[0])))
        if self.pg_url is None:
            marks = ",".join("?" * len(rows[0]))
            names = f" ({', '.join(map(str, cols))})" if table in TABLES else ""
            with self.app.db.tx() as tx:
                tx.many(f"INSERT INTO {table}{names} VALUES ({marks})", rows)
            return
        import psycopg

        if self._pg is None:
            self._pg = psycopg.connect(self.pg_url)
        names = f" ({', '.join(map(str, cols))})" if table in TABLES else ""
        with self._pg.cursor() as cur, cur.copy(f"COPY {table}{names} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        self._pg.commit()


def populate(data: Path, pg_url: str | None, days: int, seed: int = 18) -> dict[str, Any]:
    started = time.perf_counter()
    app = FleetApp(data, pg_url)
    sites = sites_of(app)
    with app.db.read() as tx:
        up = defaultdict(list)
        for r in tx.all("SELECT node_id, ancestor_id FROM region_ancestors WHERE depth > 0"):
            up[r["node_id"]].append(r["ancestor_id"])
    writer = Writer(app, pg_url)
    rng = random.Random(seed)
    first = END - dt.timedelta(days=days - 1)
    day_keys = [day_key(first + dt.timedelta(days=i)) for i in range(days)]
    by_county: dict[str, list[str]] = defaultdict(list)
    for s in sites:
        county = next(a for a in up[s] if a.startswith("c"))
        by_county[county].append(s)
    province: list[dict[Any, int]] = [defaultdict(int), defaultdict(int), defaultdict(int)]
    for county, members in sorted(by_county.items()):
        upper: dict[str, list[dict[Any, int]]] = defaultdict(
            lambda: [defaultdict(int), defaultdict(int), defaultdict(int)]
        )
        for site in members:
            rows: list[list[tuple[Any, ...]]] = [[], [], []]
            for d in day_keys:
                parts = site_day(rng, d)
                for i, part in enumerate(parts):
                    rows[i] += [(site, *k, v) for k, v in part.items()]
                    for node in up[site]:
                        acc = province[i] if node == "33" else upper[node][i]
                        for k, v in part.items():
                            acc[k] += v
            for i, table in enumerate(TABLES):
                writer.write(table, rows[i])
        for node, parts in upper.items():
            for i, table in enumerate(TABLES):
                writer.write(table, [(node, *k, v) for k, v in parts[i].items()])
        print(f"  {county}: {writer.count:,} rollup rows so far", flush=True)
    for i, table in enumerate(TABLES):
        writer.write(table, [("33", *k, v) for k, v in province[i].items()])
    cases, followups = cases_rows(rng, sites, first)
    writer.write("sv_cases", cases)
    writer.write("sv_followups", followups)
    writer.close()
    with app.db.tx() as tx:  # the cards per node, as a pull would count them
        count_cards(tx)
    app.close()
    return {"sites": len(sites), "kiosks": len(sites) * KIOSKS_PER_SITE, "days": days,
            "rollup_rows": writer.count - len(cases) - len(followups), "cases": len(cases),
            "followups": len(followups),
            "populate_s": round(time.perf_counter() - started, 1)}  # fmt: skip


Rows = list[tuple[Any, ...]]


def cases_rows(rng: random.Random, sites: list[str], first: dt.date,
               n: int = 500_000) -> tuple[Rows, Rows]:  # fmt: skip
    cases, follow = [], []
    depts = ["区人力社保局", "区民政局", "区医保局", "区市场监管局", "区公安分局", "区自然资源局"]
    for i in range(n):
        site = sites[i % len(sites)]
        m = MATTERS[i % len(MATTERS)]
        x = rng.random()
        card = "red" if x < 0.03 else "yellow" if x < 0.05 else None
        status = "completed" if card is None and x < 0.8 else "in_review"
        received = first + dt.timedelta(days=rng.randrange(90))
        level = rng.choice([1, 2, 3, 4, 5, 5, 5, 5]) if status == "completed" else None
        cases.append((f"C{i:09d}", site, m["code"], zh(m["name"]),
                      depts[i % len(depts)], status, f"{received}T10:00:00+08:00",
                      str(received + dt.timedelta(days=10)), None, level,
                      f"R{i:09d}" if level else None, None, card, day_key(END), 0.0))  # fmt: skip
        if level is not None and level <= 2 and len(follow) < 20_000:
            doc = {"rating_id": f"R{i:09d}", "case_no": f"C{i:09d}", "level": level,
                   "rated_on": str(received), "due": str(received + dt.timedelta(days=21)),
                   "state": "open", "assignee": "", "history": []}  # fmt: skip
            follow.append((f"C{i:09d}", site, m["code"], level, "open", None,
                           str(received + dt.timedelta(days=21)), 0.0, 0.0,
                           json.dumps(doc, ensure_ascii=False)))  # fmt: skip
    return cases, follow


def pages(days: int) -> Iterator[tuple[str, str]]:
    first = END - dt.timedelta(days=days - 1)
    full = f"from={first}&to={END}"
    week = f"from={END - dt.timedelta(days=6)}&to={END}"
    matter = MATTERS[1]["code"]
    yield f"province, {days} days", f"/console/analytics/33?{full}"
    yield "province, last 7 days", f"/console/analytics/33?{week}"
    yield (
        f"province, funnel of one matter, {days} days",
        (f"/console/analytics/33?{full}&flow=promised&matter={matter}"),
    )
    yield f"county, {days} days", f"/console/analytics/c3?{full}"
    yield f"township (its 10 stations), {days} days", f"/console/analytics/t31?{full}"
    yield f"site, {days} days", f"/console/analytics/s312?{full}"
    yield "province, weekly print", f"/console/analytics/33/weekly?week={END}"
    yield "county, weekly print", f"/console/analytics/c3/weekly?week={END}"
    yield "province, follow-ups", "/console/analytics/33/followups"
    yield f"export province xlsx, {days} days", f"/console/analytics/33/export?{full}&format=xlsx"
    yield f"export county csv, {days} days", f"/console/analytics/c3/export?{full}&format=csv"


def run_engine(engine: str, data: Path, pg: PgCluster | None, days: int,
               runs: int) -> list[list[str]]:  # fmt: skip
    made = populate(data, pg.url if pg else None, days)
    if pg is not None:
        pg.analyze()
    print(f"{engine}: {made}", flush=True)
    proc, base = serve(data, pg.url if pg else None)
    rows = []
    try:
        http, csrf = signed_in(base, "alice")
        rows += page_rows(engine, http, base, csrf, pages(days), runs, GOAL_MS)
        http.close()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    rows.append([engine, f"(populated: {made['rollup_rows']:,} rollup rows, {made['cases']:,}"
                 f" cases, {made['followups']:,} follow-ups in {made['populate_s']} s)",
                 "", "", "", "", "", ""])  # fmt: skip
    return rows


LEAD = """\
`bench/bench_analytics.py --days {days} --runs {runs}` (load average at the end: {load}):
one `kiosk-fleet serve` process, requests from the same machine; {engines}. 100,000
kiosks as 500 sites of 200 (10 counties × 5 townships × 10 sites), {days} days of rollups
ending {end}, **written in bulk straight into the rollup tables** (no batch went through
the API; usage_batches left empty: see the module docstring), 500,000 cases (3 % red, 2 %
yellow), 20,000 follow-ups. Server time from the Server-Timing header."""


def main() -> None:
    title = "Analytics pages at 100,000 kiosks × 90 days (bench_analytics.py)"
    page_bench(__doc__, "days", 90, run_engine, f"< {GOAL_MS} ms", title, LEAD, end=END)


if __name__ == "__main__":
    main()
