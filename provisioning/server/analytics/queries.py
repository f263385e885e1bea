"""What the analytics pages and the report show, read from the rollups (tables.py).

Every read names one node (or its children) and a CST date range of at most
:data:`MAX_DAYS`, so it touches at most ~92 days × the node's keys, whatever the size of
the province. At site level, counts of 1–4 are shown as "<5" (:func:`shown`), and so
is any share whose numerator is such a count, so that a single person cannot be picked
out; the chart data carries ``null`` for them.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import functools
import json
from collections import defaultdict
from importlib import resources
from typing import Any

from provisioning.server.db import Tx
from provisioning.server.errors import Invalid

MAX_DAYS = 92
SMALL = 5  # counts below this are shown as "<5" at site level
PROBLEMS = {  # device problems per station: (metric, dims that are a problem)
    "prints": ("paper_out", "cover_open", "unconfirmed", "failed", "no_printer"),
    "qr_scans_failed": ("timeout", "not_ours", "not_a_receipt", "no_camera", "error"),
    "captures_retaken": None,  # every flow
}
FEATURES = ("elderly", "english", "voice")
IDENTITY = ("id_card", "social_security_card", "bank_card", "qr_eid", "face", "agent", "typed")


@dc.dataclass(frozen=True)
class Span:
    first: dt.date
    last: dt.date

    @property
    def days(self) -> list[dt.date]:
        n = (self.last - self.first).days + 1
        return [self.first + dt.timedelta(days=i) for i in range(n)]

    @property
    def keys(self) -> tuple[int, int]:
        return day_key(self.first), day_key(self.last)


def day_key(d: dt.date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def key_day(k: int) -> dt.date:
    return dt.date(k // 10000, k // 100 % 100, k % 100)


def span(first: str | None, last: str | None, today: dt.date, default_days: int = 30) -> Span:
    """The date range asked for (ISO dates, both included), or the last ``default_days``
    days to today; Invalid for a bad or too long one."""
    try:
        end = dt.date.fromisoformat(last) if last else today
        start = dt.date.fromisoformat(first) if first else end - dt.timedelta(default_days - 1)
    except ValueError:
        raise Invalid("dates are YYYY-MM-DD", field="from" if first else "to") from None
    if start > end:
        raise Invalid("the range ends before it starts", field="from")
    if (end - start).days + 1 > MAX_DAYS:
        raise Invalid(f"at most {MAX_DAYS} days at a time", field="from")
    return Span(start, end)


def shown(value: int | None, site: bool) -> str:
    """A count as a page shows it."""
    if value is None:
        return "—"
    if site and 0 < value < SMALL:
        return f"<{SMALL}"
    return f"{value:,}"


def chart_value(value: int, site: bool) -> int | None:
    return None if site and 0 < value < SMALL else value


def share(part: int, whole: int, site: bool) -> str:
    if whole <= 0:
        return "—"
    if site and 0 < part < SMALL:
        return f"<{SMALL}"
    return f"{100 * part / whole:.1f}%"


@functools.cache
def matter_names() -> dict[str, str]:
    """Matter names of the release's catalogue (sv_cases adds the platform's)."""
    text = resources.files("config").joinpath("catalogue.json").read_text("utf-8")
    return {str(m["code"]): zh(m.get("name", m["code"])) for m in json.loads(text)["matters"]}


def zh(name: Any) -> str:
    """A catalogue name, which may be {"zh_CN": …, "en": …}, in Chinese."""
    return (
        str(name.get("zh_CN") or next(iter(name.values()), ""))
        if isinstance(name, dict)
        else str(name)
    )


# ---- reads -----------------------------------------------------------------------------


def day_rows(tx: Tx, node: str, s: Span) -> list[dict[str, Any]]:
    lo, hi = s.keys
    return tx.all(
        "SELECT day, metric, dim, value FROM an_day WHERE node_id = ? AND day BETWEEN ? AND ?",
        (node, lo, hi),
    )


def usage(tx: Tx, node: str, s: Span, site: bool) -> dict[str, Any]:
    """Everything the dashboard shows of usage for one node and range."""
    rows = day_rows(tx, node, s)
    per_day: dict[int, int] = defaultdict(int)
    totals: dict[tuple[str, str], int] = defaultdict(int)
    ratings_day: dict[tuple[int, str], int] = defaultdict(int)
    for r in rows:
        totals[(r["metric"], r["dim"])] += int(r["value"])
        if r["metric"] == "sessions_started":
            per_day[r["day"]] += int(r["value"])
        elif r["metric"] == "ratings":
            ratings_day[(r["day"], r["dim"])] += int(r["value"])

    def total(metric: str) -> int:
        return sum(v for (m, _), v in totals.items() if m == metric)

    served = total("sessions_started")
    started = total("journeys_started")
    assisted = total("journeys_assisted")
    days = s.days
    keys = [day_key(d) for d in days]
    levels = ["1", "2", "3", "4", "5"]
    return {
        "served": served,
        "journeys": {
            k: total(f"journeys_{k}") for k in ("started", "completed", "abandoned", "assisted")
        },
        "per_day": {
            "days": [d.isoformat() for d in days],
            "served": [chart_value(per_day.get(k, 0), site) for k in keys],
        },
        "identity": [
            {"method": m, "count": totals.get(("identity_proven", m), 0)} for m in IDENTITY
        ],
        "features": [
            {
                "feature": f,
                "count": totals.get(("sessions_using", f), 0),
                "share": share(totals.get(("sessions_using", f), 0), served, site),
            }
            for f in FEATURES
        ],
        "assisted_share": share(assisted, started, site),
        "ratings": {
            "days": [d.isoformat() for d in days],
            "levels": {
                lv: [chart_value(ratings_day.get((k, lv), 0), site) for k in keys] for lv in levels
            },
            "total": {lv: totals.get(("ratings", lv), 0) for lv in levels},
        },
        "prints": {dim: v for (m, dim), v in totals.items() if m == "prints"},
        "qr_failed": {dim: v for (m, dim), v in totals.items() if m == "qr_scans_failed"},
        "complaints": {dim: v for (m, dim), v in totals.items() if m == "complaints_filed"},
        "sessions_ended": {dim: v for (m, dim), v in totals.items() if m == "sessions_ended"},
    }


def matter_mix(tx: Tx, node: str, s: Span) -> list[dict[str, Any]]:
    """Per flow and matter: started, completed, abandoned, assisted, ratings; most
    started first."""
    lo, hi = s.keys
    rows = tx.all(
        "SELECT flow, matter, metric, SUM(value) AS value FROM an_matter"
        " WHERE node_id = ? AND day BETWEEN ? AND ? GROUP BY flow, matter, metric",
        (node, lo, hi),
    )
    found: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        found[(r["flow"], r["matter"])][r["metric"]] += int(r["value"])
    names = matter_names()
    names |= case_matter_names(tx, [m for _, m in found if m and m not in names])
    out: list[dict[str, Any]] = []
    for (flow, matter), m in found.items():
        n = m.get("ratings_n", 0)
        out.append(
            {
                "flow": flow,
                "matter": matter,
                "name": names.get(matter, matter) if matter else "",
                "started": m.get("started", 0),
                "completed": m.get("completed", 0),
                "abandoned": m.get("abandoned", 0),
                "assisted": m.get("assisted", 0),
                "retaken": m.get("retaken", 0),
                "ratings": n,
                "rating_mean": round(m.get("ratings_sum", 0) / n, 2) if n else None,
                "bad_ratings": m.get("ratings_bad", 0),
            }
        )
    out.sort(key=lambda r: (-r["started"], r["flow"], r["matter"]))
    return out


def case_matter_names(tx: Tx, codes: list[str]) -> dict[str, str]:
    """The platform's names of matters the release's catalogue does not have."""
    out = {}
    for code in codes[:200]:
        row = tx.one("SELECT matter_name FROM sv_cases WHERE matter_code = ? LIMIT 1", (code,))
        if row is not None:
            out[code] = str(row["matter_name"])
    return out


def funnel(tx: Tx, node: str, s: Span, flow: str, matter: str) -> list[dict[str, Any]]:
    """One flow and matter's steps: how many reached each, how many left there (and how),
    mean seconds spent; in the order the journeys went (most reached first)."""
    lo, hi = s.keys
    rows = tx.all(
        "SELECT step, kind, reason, SUM(value) AS value FROM an_funnel WHERE node_id = ?"
        " AND flow = ? AND matter = ? AND day BETWEEN ? AND ? GROUP BY step, kind, reason",
        (node, flow, matter, lo, hi),
    )
    steps: dict[str, dict[str, Any]] = {}
    for r in rows:
        st = steps.setdefault(
            r["step"],
            {
                "step": r["step"],
                "reached": 0,
                "abandoned": 0,
                "reasons": {},
                "seconds": 0,
                "visits": 0,
            },
        )
        value = int(r["value"])
        if r["kind"] == "abandoned":
            st["abandoned"] += value
            st["reasons"][r["reason"]] = st["reasons"].get(r["reason"], 0) + value
        else:
            st[r["kind"]] += value
    out = sorted(steps.values(), key=lambda st: (-st["reached"], st["step"]))
    for st in out:
        st["mean_s"] = round(st["seconds"] / st["visits"], 1) if st["visits"] else None
    return out


def children_problems(tx: Tx, nodes: list[dict[str, Any]], s: Span) -> list[dict[str, Any]]:
    """Per node (the children of the one shown, or the stations): served and the device
    problems counted by its kiosks."""
    if not nodes:
        return []
    lo, hi = s.keys
    ids = [n["id"] for n in nodes]
    marks = ",".join("?" * len(ids))
    metrics = ("sessions_started", *PROBLEMS)
    rows = tx.all(
        f"SELECT node_id, metric, dim, SUM(value) AS value FROM an_day WHERE node_id IN ({marks})"
        f" AND day BETWEEN ? AND ? AND metric IN ({','.join('?' * len(metrics))})"
        " GROUP BY node_id, metric, dim",
        (*ids, lo, hi, *metrics),
    )
    table: dict[str, dict[str, int]] = {i: defaultdict(int) for i in ids}
    for r in rows:
        problem = PROBLEMS.get(r["metric"])
        key = r["metric"]
        if r["metric"] == "prints":
            key = "paper_out" if r["dim"] == "paper_out" else "print_failed"
        if r["metric"] == "sessions_started" or problem is None or r["dim"] in problem:
            table[r["node_id"]][key] += int(r["value"])
    out: list[dict[str, Any]] = []
    for n in nodes:
        t = table[n["id"]]
        out.append(
            {
                "id": n["id"],
                "name": n["name"],
                "level": n["level"],
                "served": t["sessions_started"],
                "paper_out": t["paper_out"],
                "print_failed": t["print_failed"],
                "qr_failed": t["qr_scans_failed"],
                "retaken": t["captures_retaken"],
            }
        )
    return out


def cards(tx: Tx, node: str, limit: int = 50) -> dict[str, Any]:
    """Red and yellow cards of the cases under ``node``, per department, site and matter
    (the most red first), from sv_card_counts."""
    out: dict[str, Any] = {}
    for group in ("department", "site", "matter"):
        rows = tx.all(
            "SELECT k, name, red, yellow FROM sv_card_counts WHERE node_id = ? AND grp = ?"
            " ORDER BY red DESC, yellow DESC, k LIMIT ?",
            (node, group, limit),
        )
        out[group] = [
            {
                "key": r["k"],
                "name": r["name"] if group == "matter" else r["k"],
                "red": int(r["red"]),
                "yellow": int(r["yellow"]),
            }
            for r in rows
        ]
    if out["site"]:
        marks = ",".join("?" * len(out["site"]))
        names = {
            r["id"]: r["name"]
            for r in tx.all(
                f"SELECT id, name FROM regions WHERE id IN ({marks})",
                [r["key"] for r in out["site"]],
            )
        }
        for r in out["site"]:
            r["name"] = names.get(r["key"], r["key"])
    total = tx.one(
        "SELECT SUM(red) AS red, SUM(yellow) AS yellow FROM sv_card_counts"
        " WHERE node_id = ? AND grp = 'department'",
        (node,),
    )
    out["red"] = int((total or {}).get("red") or 0)
    out["yellow"] = int((total or {}).get("yellow") or 0)
    return out


def open_followups(tx: Tx, node: str) -> int:
    row = tx.one(
        "SELECT COUNT(*) AS n FROM sv_followups f JOIN region_ancestors a"
        " ON a.node_id = f.site_id WHERE a.ancestor_id = ? AND f.state <> 'rectified'",
        (node,),
    )
    return int((row or {}).get("n") or 0)
