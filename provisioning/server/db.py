"""One small database interface over SQLite (the embedded default) and PostgreSQL.

Queries are written once, with ``?`` placeholders and SQL both engines accept (``ON
CONFLICT``, ``RETURNING``, partial indexes). ``tx()`` hands out a transaction: it commits
when the block ends and rolls back on any exception, so a refused request leaves nothing
half-stored. Rows come back as plain dicts.

SQLite runs as one connection in WAL mode with ``synchronous=FULL``, every transaction
serialized behind a lock (a single writer is what SQLite wants). PostgreSQL gets a small
pool of connections, so several server processes can share one database.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

Row = dict[str, Any]


class DatabaseError(Exception):
    """The database could not be opened or used."""


class Tx(Protocol):
    dialect: str

    def all(self, sql: str, args: Sequence[Any] = ()) -> list[Row]: ...

    def one(self, sql: str, args: Sequence[Any] = ()) -> Row | None: ...

    def run(self, sql: str, args: Sequence[Any] = ()) -> int: ...


class Database(Protocol):
    dialect: str
    url: str

    def tx(self) -> contextlib.AbstractContextManager[Tx]: ...

    def close(self) -> None: ...


def open_database(url: str) -> Database:
    """``sqlite:///path/to/file`` (or a bare path) or ``postgresql://…``."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url)
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
    return SqliteDatabase(Path(path))


# ---- SQLite ----------------------------------------------------------------------------


class _SqliteTx:
    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def all(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        cur = self._conn.execute(sql, tuple(args))
        return [dict(r) for r in cur.fetchall()]

    def one(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        row = self._conn.execute(sql, tuple(args)).fetchone()
        return None if row is None else dict(row)

    def run(self, sql: str, args: Sequence[Any] = ()) -> int:
        return self._conn.execute(sql, tuple(args)).rowcount


class SqliteDatabase:
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.url = f"sqlite:///{path}"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=10000")
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot open {path}: {exc}") from exc
        self._conn = conn
        self._lock = threading.RLock()

    @contextlib.contextmanager
    def tx(self) -> Iterator[Tx]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTx(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()


# ---- PostgreSQL ------------------------------------------------------------------------


def to_pyformat(sql: str) -> str:
    """``?`` placeholders to psycopg's ``%s`` (a literal ``%`` doubled first)."""
    return sql.replace("%", "%%").replace("?", "%s")


class _PgTx:
    dialect = "postgresql"

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def all(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        cur = self._conn.execute(to_pyformat(sql), tuple(args))
        return list(cur.fetchall()) if cur.description else []

    def one(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        cur = self._conn.execute(to_pyformat(sql), tuple(args))
        row: Row | None = cur.fetchone() if cur.description else None
        return row

    def run(self, sql: str, args: Sequence[Any] = ()) -> int:
        return int(self._conn.execute(to_pyformat(sql), tuple(args)).rowcount)


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, url: str, pool_size: int = 8) -> None:
        import psycopg

        self.url = url
        self._psycopg = psycopg
        self._pool: queue.LifoQueue[Any] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(pool_size)
        self._closed = False
        with self.tx() as tx:  # fail at start, not at the first request
            tx.one("SELECT 1 AS ok")

    def _connect(self) -> Any:
        from psycopg.rows import dict_row

        try:
            return self._psycopg.connect(self.url, row_factory=dict_row, connect_timeout=10)
        except self._psycopg.Error as exc:
            raise DatabaseError(f"cannot connect to PostgreSQL: {exc}") from exc

    @contextlib.contextmanager
    def tx(self) -> Iterator[Tx]:
        with self._slots:
            try:
                conn = self._pool.get_nowait()
            except queue.Empty:
                conn = self._connect()
            try:
                yield _PgTx(conn)
            except BaseException:
                with contextlib.suppress(Exception):
                    conn.rollback()
                self._give_back(conn)
                raise
            try:
                conn.commit()
            except BaseException:
                with contextlib.suppress(Exception):
                    conn.rollback()
                self._give_back(conn)
                raise
            self._give_back(conn)

    def _give_back(self, conn: Any) -> None:
        if conn.closed or conn.broken or self._closed:
            with contextlib.suppress(Exception):
                conn.close()
            return
        self._pool.put(conn)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                conn = self._pool.get_nowait()
            except queue.Empty:
                return
            with contextlib.suppress(Exception):
                conn.close()
