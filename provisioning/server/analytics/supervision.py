"""电子监察 on the fleet server: cases filed through kiosks, pulled from the platform API
(``GET /v1/supervision/cases``, docs/analytics.md §4), their red and yellow cards, and
the 差评 follow-ups.

:func:`pull` pages through each site's cases received in the last 92 days (the site id
is the kiosks' station id) and upserts them into ``sv_cases`` with the card each has
today (kiosk.supervision.cards.case_card: red past its promised date, yellow within
the warning window of working days, none for a case returned for materials). A rating
of 1 or 2 opens a follow-up (kiosk.supervision.followup) unless one exists.
:func:`refresh_cards` re-deals the cards of unfinished cases when the day changes.

A follow-up moves assigned → called back (回访) → rectified by :func:`advance`, which
stores the new state with its history and writes an audit-log entry in the same
transaction: who did what, when, to which case.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import json
import urllib.parse
import urllib.request
from typing import Any

from kiosk.supervision.cards import WARN_DAYS, case_card
from kiosk.supervision.followup import (
    BAD_RATING_MAX,
    Action,
    FollowUp,
    FollowUpError,
    open_follow_up,
)
from kiosk.supervision.followup import advance as advance_follow_up
from provisioning.server import audit
from provisioning.server.accounts import Actor
from provisioning.server.analytics.queries import day_key
from provisioning.server.db import Database, Tx
from provisioning.server.errors import Conflict, FleetError, Invalid, NotFound
from provisioning.server.regions import require_within

CST = dt.timezone(dt.timedelta(hours=8))
WINDOW_DAYS = 92
PAGE = 200


@dc.dataclass(frozen=True)
class Platform:
    """Where the platform API is, and the client id and token the fleet uses there."""

    url: str
    client_id: str
    token: str
    timeout: float = 30.0

    def cases(self, station_id: str, received_from: str, cursor: str | None) -> dict[str, Any]:
        query = {"station_id": station_id, "received_from": received_from, "limit": str(PAGE)}
        if cursor:
            query["cursor"] = cursor
        req = urllib.request.Request(
            f"{self.url.rstrip('/')}/v1/supervision/cases?{urllib.parse.urlencode(query)}",
            headers={
                "X-Device-Id": self.client_id,
                "Authorization": f"Bearer {self.token}",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                doc: dict[str, Any] = json.loads(resp.read())
        except (OSError, ValueError) as exc:
            raise FleetError(
                f"the platform did not answer: {exc}", code="platform_unreachable"
            ) from exc
        return doc


@dc.dataclass(frozen=True)
class _Case:
    """What case_card reads of a case."""

    status: str
    promised_date: str | None
    completed_at: str | None


def card_of(row: dict[str, Any], today: dt.date) -> str | None:
    found = case_card(
        _Case(row["status"], row["promised_date"], row["completed_at"]), today, WARN_DAYS
    )
    return None if found is None else str(found)


def pull(db: Database, platform: Platform, site_ids: list[str], now: float) -> dict[str, int]:
    """Pull the sites' cases; how many cases were stored and follow-ups opened."""
    today = dt.datetime.fromtimestamp(now, CST).date()
    since = (today - dt.timedelta(days=WINDOW_DAYS)).isoformat()
    stored = opened = 0
    for site in site_ids:
        cursor: str | None = None
        while True:
            page = platform.cases(site, since, cursor)
            with db.tx() as tx:
                for case in page.get("cases", []):
                    stored += 1
                    opened += _store(tx, site, case, today, now)
            cursor = page.get("next_cursor")
            if not cursor:
                break
    refresh_cards(db, now)
    return {"cases": stored, "followups_opened": opened}


def _store(tx: Tx, site: str, case: dict[str, Any], today: dt.date, now: float) -> int:
    rating = case.get("rating") or {}
    case_no = str(case["case_no"])
    row: dict[str, Any] = {
        "case_no": case_no,
        "site_id": site,
        "matter_code": str(case["matter_code"]),
        "matter_name": str(case["matter_name"]),
        "department": str(case["department"]),
        "status": str(case["status"]),
        "received_at": str(case["received_at"]),
        "promised_date": case.get("promised_date"),
        "completed_at": case.get("completed_at"),
        "rating_level": rating.get("level"),
        "rating_id": rating.get("rating_id"),
        "rated_at": rating.get("rated_at"),
    }
    row["card"] = card_of(row, today)
    cols = [*row, "card_day", "pulled_at"]
    values = [*row.values(), day_key(today), now]
    tx.run(
        f"INSERT INTO sv_cases ({', '.join(cols)}) VALUES ({','.join('?' * len(cols))})"
        " ON CONFLICT (case_no) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in cols if c != "case_no"),
        values,
    )
    level = row["rating_level"]
    if level is None or int(level) > BAD_RATING_MAX or row["rating_id"] is None:
        return 0
    if tx.one("SELECT 1 AS y FROM sv_followups WHERE case_no = ?", (row["case_no"],)):
        return 0
    rated_on = dt.datetime.fromisoformat(str(row["rated_at"])).astimezone(CST).date()
    follow = open_follow_up(str(row["rating_id"]), case_no, int(level), rated_on)
    tx.run(
        "INSERT INTO sv_followups (case_no, site_id, matter_code, level, state, assignee,"
        " due_date, opened_at, updated_at, doc) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (
            row["case_no"],
            site,
            row["matter_code"],
            int(level),
            str(follow.state),
            None,
            follow.due.isoformat(),
            now,
            now,
            json.dumps(follow.to_json(), ensure_ascii=False),
        ),
    )
    audit.record(
        tx,
        "platform-pull",
        "followup_open",
        case_no,
        now,
        level=int(level),
        site=site,
        due=follow.due.isoformat(),
    )
    return 1


def refresh_cards(db: Database, now: float) -> int:
    """Re-deal the cards of cases not dealt today (a yellow turns red overnight), then
    count them again per node (sv_card_counts)."""
    today = dt.datetime.fromtimestamp(now, CST).date()
    changed = 0
    with db.tx() as tx:
        rows = tx.all(
            "SELECT case_no, status, promised_date, completed_at, card FROM sv_cases"
            " WHERE card_day < ? AND status <> 'returned'",
            (day_key(today),),
        )
        for row in rows:
            card = card_of(row, today)
            tx.run(
                "UPDATE sv_cases SET card = ?, card_day = ? WHERE case_no = ?",
                (card, day_key(today), row["case_no"]),
            )
            changed += card != row["card"]
        count_cards(tx)
    return changed


GROUPS = {"department": "c.department", "site": "c.site_id", "matter": "c.matter_code"}


def count_cards(tx: Tx) -> None:
    """sv_card_counts from sv_cases: per node (every ancestor of a case's site) and
    department, site or matter, the red and yellow cards."""
    tx.run("DELETE FROM sv_card_counts")
    for group, column in GROUPS.items():
        tx.run(
            "INSERT INTO sv_card_counts (node_id, grp, k, name, red, yellow)"
            f" SELECT a.ancestor_id, ?, {column}, MAX(c.matter_name),"
            " SUM(CASE WHEN c.card = 'red' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN c.card = 'yellow' THEN 1 ELSE 0 END)"
            " FROM sv_cases c JOIN region_ancestors a ON a.node_id = c.site_id"
            f" WHERE c.card IN ('red', 'yellow') GROUP BY a.ancestor_id, {column}",
            (group,),
        )


# ---- 差评 follow-ups -----------------------------------------------------------------------


def followups(tx: Tx, node: str, limit: int = 200) -> list[dict[str, Any]]:
    """The follow-ups under ``node``: unfinished first, the earliest due first."""
    rows = tx.all(
        "SELECT f.*, r.name AS site_name FROM sv_followups f"
        " JOIN region_ancestors a ON a.node_id = f.site_id JOIN regions r ON r.id = f.site_id"
        " WHERE a.ancestor_id = ?"
        " ORDER BY CASE WHEN f.state = 'rectified' THEN 1 ELSE 0 END, f.due_date, f.case_no"
        " LIMIT ?",
        (node, limit),
    )
    for row in rows:
        row["doc"] = json.loads(row["doc"])
    return rows


ACTIONS = {str(a): a for a in Action}


def advance(
    db: Database,
    actor: Actor,
    case_no: str,
    action: str,
    now: float,
    *,
    assignee: str = "",
    outcome: str = "",
    note: str = "",
) -> dict[str, Any]:
    """One step of a follow-up by ``actor``, stored and audited together."""
    if action not in ACTIONS:
        raise Invalid(f"action is one of {', '.join(ACTIONS)}", field="action")
    if not actor.can_write:
        raise FleetError("read-only accounts cannot change follow-ups", code="read_only")
    at = dt.datetime.fromtimestamp(now, CST)
    with db.tx() as tx:
        row = tx.one("SELECT * FROM sv_followups WHERE case_no = ?", (case_no,))
        if row is None:
            raise NotFound(f"no follow-up for {case_no}", code="no_followup")
        require_within(tx, row["site_id"], actor.scope)
        current = FollowUp.from_json(json.loads(row["doc"]))
        try:
            moved = advance_follow_up(
                current,
                ACTIONS[action],
                actor=actor.username,
                at=at,
                assignee=assignee,
                outcome=outcome,
                note=note,
            )
        except FollowUpError as exc:
            if exc.code == "not_allowed":
                raise Conflict(exc.detail, code="followup_not_allowed") from None
            raise Invalid(exc.detail, code="followup_invalid", field=action) from None
        tx.run(
            "UPDATE sv_followups SET state = ?, assignee = ?, updated_at = ?, doc = ?"
            " WHERE case_no = ?",
            (
                str(moved.state),
                moved.assignee or None,
                now,
                json.dumps(moved.to_json(), ensure_ascii=False),
                case_no,
            ),
        )
        audit.record(
            tx,
            actor,
            f"followup_{action}",
            case_no,
            now,
            state=str(moved.state),
            assignee=assignee,
            outcome=outcome,
            note=note,
        )
    return moved.to_json()
