"""The kiosk's usage counters on disk (``state/usage.sqlite3``), and their hourly batches.

Counters add up per hour while the hour runs. Once it has ended, :meth:`UsageStore.seal`
writes the hour as one batch with a fixed id and body and the counters go; the batch
waits, durably and for as long as the kiosk is offline, until the fleet has it
(:meth:`delivered`) or refused it (:meth:`refused`, kept with the reason for the
technician). A sealed hour never changes: a count that arrives for it (a clock set
back) goes to the first open hour after the last sealed one, so a resend is always the
same batch.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kiosk.storage import Database
from kiosk.usage.batch import HOUR, MAX_AGE, MAX_COUNTERS, batch_id, hour_of, hour_text, make_batch
from kiosk.usage.vocabulary import METRICS, Counter, DimValue, Metric

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (
    hour TEXT NOT NULL, metric TEXT NOT NULL, dims TEXT NOT NULL, value INTEGER NOT NULL,
    PRIMARY KEY (hour, metric, dims));
CREATE TABLE IF NOT EXISTS batches (
    hour TEXT PRIMARY KEY, batch_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'refused')),
    sealed_at REAL NOT NULL, tries INTEGER NOT NULL DEFAULT 0, done_at REAL,
    code TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS batches_state ON batches (state, hour);
"""
# Expand-only steps after SCHEMA, in order; PRAGMA user_version counts those applied.
# Append, never edit or remove (kiosk/schema.py; tests/kiosk/test_schema.py).
MIGRATIONS: tuple[str, ...] = ()

Key = tuple[str, Metric, tuple[tuple[str, DimValue], ...]]  # (hour, metric, dims)


class UsageStore:
    def __init__(self, path: Path) -> None:
        self.db = Database(path, SCHEMA, synchronous="FULL", private=True, migrations=MIGRATIONS)
        with self.db.tx() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('secret', ?)",
                (secrets.token_hex(16),),
            )
        row = self.db.one("SELECT value FROM meta WHERE key = 'secret'")
        assert row is not None
        self.secret = str(row[0])  # makes the batch ids: never sent, never shown

    def close(self) -> None:
        self.db.close()

    # ---- counting ----

    def add(self, increments: Mapping[Key, int]) -> list[str]:
        """Add the increments in one transaction; what was refused (a counter past its
        cap, an hour past its rows), said without values."""
        refused: list[str] = []
        with self.db.tx() as conn:
            sealed = conn.execute("SELECT max(hour) FROM batches").fetchone()[0]
            for (hour, metric, dims), inc in increments.items():
                if sealed is not None and hour <= sealed:
                    hour = hour_text(dt.datetime.fromisoformat(sealed) + HOUR)
                key = json.dumps(dims, ensure_ascii=False, separators=(",", ":"))
                row = conn.execute(
                    "SELECT value FROM counters WHERE hour = ? AND metric = ? AND dims = ?",
                    (hour, str(metric), key),
                ).fetchone()
                if row is None and _rows(conn, hour) >= MAX_COUNTERS:
                    refused.append(f"{metric}: the hour has {MAX_COUNTERS} counters already")
                elif (row[0] if row else 0) + inc > METRICS[metric].cap:
                    refused.append(f"{metric}: past its cap of {METRICS[metric].cap}")
                else:
                    conn.execute(
                        "INSERT INTO counters (hour, metric, dims, value) VALUES (?,?,?,?)"
                        " ON CONFLICT (hour, metric, dims) DO UPDATE SET value = value + ?",
                        (hour, str(metric), key, inc, inc),
                    )
        return refused

    def counters(self, hour: str | None = None) -> list[tuple[str, Counter]]:
        """The open hours' counters (one hour's, when given), oldest first."""
        sql = "SELECT hour, metric, dims, value FROM counters"
        rows = self.db.query(sql + " WHERE hour = ?" if hour else sql, (hour,) if hour else ())
        found = [(r[0], _counter(r[1], r[2], r[3])) for r in rows]
        return sorted(found, key=lambda hc: (hc[0], hc[1].metric, str(hc[1].dims)))

    # ---- batches ----

    def seal(self, now: dt.datetime) -> int:
        """Turn every hour that has ended by ``now`` into a pending batch; how many."""
        current = hour_text(now)
        made = 0
        with self.db.tx() as conn:
            hours = [
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT hour FROM counters WHERE hour < ? ORDER BY hour", (current,)
                )
            ]
            for hour in hours:
                rows = conn.execute(
                    "SELECT metric, dims, value FROM counters WHERE hour = ?", (hour,)
                ).fetchall()
                start = dt.datetime.fromisoformat(hour)
                bid = batch_id(self.secret, start)
                doc = make_batch(bid, start, (_counter(*r) for r in rows))
                conn.execute(
                    "INSERT INTO batches (hour, batch_id, body, sealed_at) VALUES (?,?,?,?)",
                    (hour, bid, json.dumps(doc, ensure_ascii=False), now.timestamp()),
                )
                conn.execute("DELETE FROM counters WHERE hour = ?", (hour,))
                made += 1
        return made

    def pending(self, limit: int) -> list[dict[str, Any]]:
        """Batches waiting for the fleet, oldest first."""
        rows = self.db.query(
            "SELECT body FROM batches WHERE state = 'pending' ORDER BY hour LIMIT ?", (limit,)
        )
        return [json.loads(r[0]) for r in rows]

    def tried(self, ids: Iterable[str]) -> None:
        with self.db.tx() as conn:
            conn.executemany(
                "UPDATE batches SET tries = tries + 1 WHERE batch_id = ?", [(i,) for i in ids]
            )

    def delivered(self, bid: str, now: float) -> None:
        self._close(bid, "sent", now)

    def refused(self, bid: str, code: str, detail: str, now: float) -> None:
        self._close(bid, "refused", now, code[:64], detail[:300])

    def _close(self, bid: str, state: str, now: float, code: str = "", detail: str = "") -> None:
        with self.db.tx() as conn:
            conn.execute(
                "UPDATE batches SET state = ?, done_at = ?, code = ?, detail = ?"
                " WHERE batch_id = ? AND state = 'pending'",
                (state, now, code, detail, bid),
            )

    def status(self) -> dict[str, Any]:
        """Counts by state, the oldest hour waiting, and the refusals (for ``kiosk``)."""
        rows = self.db.query("SELECT state, count(*) FROM batches GROUP BY state")
        by = {str(r[0]): int(r[1]) for r in rows}
        oldest = self.db.one("SELECT min(hour) FROM batches WHERE state = 'pending'")
        refusals = self.db.query(
            "SELECT hour, code, detail FROM batches WHERE state = 'refused' ORDER BY hour"
        )
        return {
            "pending": by.get("pending", 0),
            "sent": by.get("sent", 0),
            "refused": [dict(r) for r in refusals],
            "oldest_pending_hour": oldest[0] if oldest else None,
            "open_hours": len({h for h, _ in self.counters()}),
        }

    def prune(self, now: dt.datetime) -> int:
        """Forget what the fleet has had (or refused) for longer than the server keeps
        raw hours, and what waited so long the server would refuse it; how many."""
        cutoff = hour_text(hour_of(now) - MAX_AGE)
        with self.db.tx() as conn:
            gone = conn.execute("DELETE FROM batches WHERE hour < ?", (cutoff,)).rowcount
            gone += conn.execute("DELETE FROM counters WHERE hour < ?", (cutoff,)).rowcount
        if gone:
            log.info("usage: %d hour(s) older than %d days dropped", gone, MAX_AGE.days)
        return int(gone)


def _rows(conn: Any, hour: str) -> int:
    return int(conn.execute("SELECT count(*) FROM counters WHERE hour = ?", (hour,)).fetchone()[0])


def _counter(metric: str, dims: str, value: int) -> Counter:
    pairs = tuple((str(k), v) for k, v in json.loads(dims))
    return Counter(Metric(metric), pairs, int(value))
