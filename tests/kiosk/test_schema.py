"""Versioned, expand-only schema migrations (kiosk/schema.py through kiosk/storage.Database),
and the rule that makes a rollback safe: every store's code still works on a file that
the next release has migrated."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from kiosk.outbox import db as outbox_db
from kiosk.schema import MigrationError, expand_only_problems
from kiosk.staff import accounts, audit
from kiosk.staff.accounts import Cost, StaffStore
from kiosk.staff.audit import AuditLog
from kiosk.storage import Database
from kiosk.usage import store as usage_store
from sandbox import storage as sandbox_storage

SCHEMA = "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v INTEGER NOT NULL);"
STORES = {
    "outbox": outbox_db.MIGRATIONS,
    "staff and technicians": accounts.MIGRATIONS,
    "audit": audit.MIGRATIONS,
    "stand-in platform": sandbox_storage.MIGRATIONS,
    "usage counters": usage_store.MIGRATIONS,
}


@pytest.mark.parametrize("store", sorted(STORES))
def test_every_stores_migrations_only_add(store: str) -> None:
    for number, sql in enumerate(STORES[store], start=1):
        assert expand_only_problems(sql) == [], f"{store} migration {number}"


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT)",
        "CREATE INDEX IF NOT EXISTS t_v ON t (v)",
        "ALTER TABLE t ADD COLUMN note TEXT",
        "ALTER TABLE t ADD COLUMN tries INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE t ADD COLUMN a TEXT; CREATE INDEX IF NOT EXISTS t_a ON t (a);",
    ],
)
def test_additions_pass_the_rule(sql: str) -> None:
    assert expand_only_problems(sql) == []


@pytest.mark.parametrize(
    "sql",
    [
        "DROP TABLE t",
        "ALTER TABLE t DROP COLUMN v",
        "ALTER TABLE t RENAME COLUMN v TO w",
        "ALTER TABLE t RENAME TO u",
        "ALTER TABLE t ADD COLUMN w INTEGER NOT NULL",  # the old code's INSERT omits it
        "ALTER TABLE t ADD COLUMN w TEXT UNIQUE",
        "CREATE UNIQUE INDEX IF NOT EXISTS t_v ON t (v)",  # old inserts could now fail
        "CREATE TABLE u (x TEXT)",  # without IF NOT EXISTS
        "UPDATE t SET v = 0",
        "DELETE FROM t",
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM t; END",
        "CREATE INDEX IF NOT EXISTS ok ON t (v); DROP INDEX ok",
    ],
)
def test_removals_and_rewrites_are_refused(sql: str) -> None:
    assert expand_only_problems(sql) != []


def test_a_store_with_a_breaking_migration_does_not_open(tmp_path: Path) -> None:
    with pytest.raises(MigrationError, match="migration 2"):
        Database(
            tmp_path / "s.db", SCHEMA, migrations=("ALTER TABLE t ADD COLUMN a", "DROP TABLE t")
        )
    assert not (tmp_path / "s.db").exists()


def test_migrations_run_once_in_order_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    db = Database(path, SCHEMA, private=True)
    assert db.schema_version == 0
    with db.tx() as conn:
        conn.execute("INSERT INTO t VALUES ('a', 1)")
    db.close()
    steps = (
        "ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'none'",
        "CREATE TABLE IF NOT EXISTS u (x TEXT); CREATE INDEX IF NOT EXISTS u_x ON u (x);",
    )
    db = Database(path, SCHEMA, private=True, migrations=steps)
    assert db.schema_version == 2
    assert db.one("PRAGMA user_version")[0] == 2  # type: ignore[index]
    assert tuple(db.one("SELECT k, v, note FROM t")) == ("a", 1, "none")  # type: ignore[arg-type]
    db.close()
    backup = tmp_path / "s.db.v0.bak"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with sqlite3.connect(backup) as old:
        assert old.execute("SELECT k, v FROM t").fetchall() == [("a", 1)]
        assert old.execute("PRAGMA user_version").fetchone()[0] == 0
    again = Database(path, SCHEMA, private=True, migrations=steps)  # nothing left to do
    assert again.schema_version == 2
    again.close()
    assert sorted(p.name for p in tmp_path.glob("*.bak")) == ["s.db.v0.bak"]


def test_a_fresh_file_needs_no_backup(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.db", SCHEMA, migrations=("ALTER TABLE t ADD COLUMN n TEXT",))
    db.close()
    assert list(tmp_path.glob("*.bak")) == []


def test_a_failing_migration_leaves_the_file_at_its_version(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Database(path, SCHEMA).close()
    bad = ("ALTER TABLE t ADD COLUMN a TEXT; ALTER TABLE missing ADD COLUMN b TEXT",)
    with pytest.raises(sqlite3.OperationalError):
        Database(path, SCHEMA, migrations=bad)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert [r[1] for r in conn.execute("PRAGMA table_info(t)")] == ["k", "v"]


def test_older_code_opens_a_newer_file_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Database(path, SCHEMA, migrations=("ALTER TABLE t ADD COLUMN n TEXT DEFAULT 'x'",)).close()
    old = Database(path, SCHEMA)  # the release before: knows no migration
    assert old.schema_version == 1
    with old.tx() as conn:
        conn.execute("INSERT INTO t (k, v) VALUES ('b', 2)")
    assert tuple(old.one("SELECT k, v FROM t")) == ("b", 2)  # type: ignore[arg-type]
    old.close()


# ---- the next release's schema under this release's code -------------------------------


def next_release(path: Path) -> None:
    """What any next release may do to a file under the rule: a new column (defaulted)
    on every table, a new table and an index; its user_version one higher."""
    with sqlite3.connect(path) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        future = [f"ALTER TABLE {t} ADD COLUMN next_release TEXT DEFAULT 'n'" for t in tables]
        future += [
            "CREATE TABLE IF NOT EXISTS next_only (id INTEGER PRIMARY KEY, x TEXT)",
            f"CREATE INDEX IF NOT EXISTS next_idx ON {tables[0]} (next_release)",
        ]
        for sql in future:
            assert expand_only_problems(sql) == []
            conn.execute(sql)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA user_version = {version + 1}")


def test_staff_and_audit_work_on_the_next_releases_files(tmp_path: Path) -> None:
    staff_path, audit_path = tmp_path / "staff.db", tmp_path / "audit.db"
    StaffStore(staff_path, cost=Cost(n=2)).close()
    AuditLog(audit_path, "ST-1").close()
    next_release(staff_path)
    next_release(audit_path)
    staff = StaffStore(staff_path, cost=Cost(n=2))
    log = AuditLog(audit_path, "ST-1")
    try:
        staff.add("A-100", "李代办", "370915", "ST-1")
        assert staff.verify_pin("A-100", "370915", "ST-1").staff_no == "A-100"
        log.record("A-100", "sign_in", outcome="ok")
        assert log.verify()
        assert [e.action for e in log.query()] == ["sign_in"]
    finally:
        staff.close()
        log.close()
