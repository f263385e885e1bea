"""Versioned schema migrations for the kiosk's SQLite stores, kept expand-only.

A store's schema is its base ``SCHEMA`` (version 0, applied with ``IF NOT EXISTS`` at
every open) plus a tuple of migrations: migration *i* takes the file from version *i* to
*i + 1*, and the version lives in the file's ``PRAGMA user_version``. A migration runs
in one transaction together with the new version number, after a copy of the file was
taken (:func:`backup`), so a power cut leaves the old version or the new one.

The rule that makes a rollback safe: a release only *adds* to a schema, so the release
before it still reads and writes the file. :func:`expand_only_problems` is that rule as
code — a migration may only create tables and indexes (``IF NOT EXISTS``) and add
nullable or defaulted columns. Nothing is dropped, renamed or retyped, no unique index
appears on a table old code writes, and no trigger changes what old code's statements
do. Removing something waits for a later release, when no kiosk can roll back to code
that still uses it. A file newer than the code that opens it (a rollback) is used as it
is: the columns the old code does not know keep their defaults.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from kiosk.failpoints import failpoint

log = logging.getLogger(__name__)

Migration = str  # one or more SQL statements, each expand-only
KEEP_BACKUPS = 2

_ALLOWED = (
    re.compile(r"CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+\w+\s*\(.*\)", re.I | re.S),
    re.compile(r"CREATE\s+INDEX\s+IF\s+NOT\s+EXISTS\s+\w+\s+ON\s+\w+\s*\([^)]*\)", re.I | re.S),
    re.compile(r"ALTER\s+TABLE\s+\w+\s+ADD\s+(COLUMN\s+)?\w+\b.*", re.I | re.S),
)
_NOT_NULL_WITHOUT_DEFAULT = re.compile(r"\bNOT\s+NULL\b(?!.*\bDEFAULT\b)", re.I | re.S)


class MigrationError(Exception):
    """A migration that breaks the expand-only rule, or a file that cannot be migrated."""


def statements(sql: str) -> list[str]:
    """The statements of ``sql``, split where SQLite would split them."""
    found: list[str] = []
    buffer = ""
    for piece in sql.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):  # a ';' inside a string or trigger waits
            found.append(buffer.strip().rstrip(";").strip())
            buffer = ""
    found.append(buffer.strip().rstrip(";").strip())
    return [s for s in found if s]


def expand_only_problems(sql: Migration) -> list[str]:
    """What in ``sql`` would stop the previous release reading the file; [] if nothing."""
    problems = []
    for statement in statements(sql):
        flat = " ".join(statement.split())
        if not any(rule.fullmatch(flat) for rule in _ALLOWED):
            problems.append(f"not expand-only: {flat[:80]}")
        elif flat.upper().startswith("ALTER") and _NOT_NULL_WITHOUT_DEFAULT.search(flat):
            problems.append(f"a NOT NULL column needs a DEFAULT (old code omits it): {flat[:80]}")
        elif re.search(r"\bPRIMARY\s+KEY\b|\bUNIQUE\b", flat, re.I) and flat.upper().startswith(
            "ALTER"
        ):
            problems.append(f"an added column cannot be a key or unique: {flat[:80]}")
    return problems


def check_expand_only(migrations: Sequence[Migration]) -> None:
    for number, sql in enumerate(migrations, start=1):
        problems = expand_only_problems(sql)
        if problems:
            raise MigrationError(f"migration {number}: {problems[0]}")


def version_of(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def backup(conn: sqlite3.Connection, path: Path, version: int, private: bool) -> Path:
    """A consistent copy of the open file beside it, ``NAME.vN.bak``; older copies
    beyond the last :data:`KEEP_BACKUPS` are removed."""
    target = path.with_name(f"{path.name}.v{version}.bak")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    if private:
        partial.touch(mode=0o600)
    copy = sqlite3.connect(partial)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    partial.replace(target)
    olds = sorted(path.parent.glob(f"{path.name}.v*.bak"), key=lambda p: p.stat().st_mtime)
    for old in olds[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


def migrate(
    conn: sqlite3.Connection,
    path: Path,
    migrations: Sequence[Migration],
    *,
    private: bool,
) -> int:
    """Bring the file to ``len(migrations)``; its version after. ``conn`` is in
    autocommit mode (``isolation_level=None``)."""
    target = len(migrations)
    current = version_of(conn)
    if current > target:
        log.info(
            "%s is at schema %d, this release knows %d: used as it is (expand-only)",
            path.name,
            current,
            target,
        )
        return current
    if current == target:
        return current
    if _has_rows(conn):  # a fresh file has nothing to keep
        backup(conn, path, current, private)
        failpoint("migrate")
    for number in range(current, target):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements(migrations[number]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        log.info("%s: schema %d -> %d", path.name, number, number + 1)
        failpoint("migrate")
    return target


def _has_rows(conn: sqlite3.Connection) -> bool:
    """Whether any table holds a row (a fresh file needs no backup)."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return any(
        conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() is not None
        for t in tables
        if not t.startswith("sqlite_")
    )
