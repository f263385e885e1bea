"""The analytics tables (one fleet migration, provisioning/server/migrations.py).

Raw hours are not kept as rows of counters: ``usage_batches`` remembers each stored batch
(device, hour, its digest) for idempotency, and the counters go straight into rollups,
one row per region node (the site and every ancestor up to the province), per CST day
and key, so a page for any node and date range reads at most ~92 days × its keys:

- ``an_day``: the counts without a matter (sessions, identity methods, features, prints,
  QR failures, complaints, ratings by level, journeys by flow);
- ``an_matter``: per flow and matter ('' for the services) started, completed,
  abandoned, assisted, retaken, ratings (count, sum, bad);
- ``an_funnel``: per flow and matter, per step: reached, abandoned by reason, seconds
  and visits timed.

Supervision: ``sv_cases`` holds the platform's cases filed through kiosks as last
pulled, each with its card (red, yellow or none) as of ``card_day``; ``sv_card_counts``
the cards counted per node and department, site or matter (redone whenever cards are
dealt: a pull or a new day), so a page reads one node's counts; ``sv_followups``
the 差评 follow-ups with their history (every step is also an audit-log entry).
"""

from __future__ import annotations

MIGRATION: list[str] = [
    """CREATE TABLE usage_batches (
        device_id TEXT NOT NULL REFERENCES devices(id), hour BIGINT NOT NULL,
        batch_id TEXT NOT NULL, digest TEXT NOT NULL, site_id TEXT NOT NULL,
        counters INTEGER NOT NULL, received_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (device_id, hour))""",
    "CREATE INDEX usage_batches_hour ON usage_batches(hour)",
    """CREATE TABLE an_day (
        node_id TEXT NOT NULL, day INTEGER NOT NULL, metric TEXT NOT NULL,
        dim TEXT NOT NULL, value BIGINT NOT NULL,
        PRIMARY KEY (node_id, day, metric, dim))""",
    """CREATE TABLE an_matter (
        node_id TEXT NOT NULL, day INTEGER NOT NULL, flow TEXT NOT NULL, matter TEXT NOT NULL,
        metric TEXT NOT NULL, value BIGINT NOT NULL,
        PRIMARY KEY (node_id, day, flow, matter, metric))""",
    """CREATE TABLE an_funnel (
        node_id TEXT NOT NULL, flow TEXT NOT NULL, matter TEXT NOT NULL, day INTEGER NOT NULL,
        step TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, value BIGINT NOT NULL,
        PRIMARY KEY (node_id, flow, matter, day, step, kind, reason))""",
    """CREATE TABLE sv_cases (
        case_no TEXT PRIMARY KEY, site_id TEXT NOT NULL, matter_code TEXT NOT NULL,
        matter_name TEXT NOT NULL, department TEXT NOT NULL, status TEXT NOT NULL,
        received_at TEXT NOT NULL, promised_date TEXT, completed_at TEXT,
        rating_level INTEGER, rating_id TEXT, rated_at TEXT,
        card TEXT, card_day INTEGER NOT NULL, pulled_at DOUBLE PRECISION NOT NULL)""",
    "CREATE INDEX sv_cases_card ON sv_cases(card, site_id)",
    "CREATE INDEX sv_cases_site ON sv_cases(site_id, status)",
    "CREATE INDEX sv_cases_matter ON sv_cases(matter_code)",
    """CREATE TABLE sv_card_counts (
        node_id TEXT NOT NULL, grp TEXT NOT NULL, k TEXT NOT NULL, name TEXT NOT NULL,
        red INTEGER NOT NULL, yellow INTEGER NOT NULL, PRIMARY KEY (node_id, grp, k))""",
    "CREATE INDEX sv_card_counts_rank ON sv_card_counts(node_id, grp, red, yellow)",
    """CREATE TABLE sv_followups (
        case_no TEXT PRIMARY KEY, site_id TEXT NOT NULL, matter_code TEXT NOT NULL,
        level INTEGER NOT NULL, state TEXT NOT NULL, assignee TEXT,
        due_date TEXT NOT NULL, opened_at DOUBLE PRECISION NOT NULL,
        updated_at DOUBLE PRECISION NOT NULL, doc TEXT NOT NULL)""",
    "CREATE INDEX sv_followups_site ON sv_followups(site_id, state)",
]
