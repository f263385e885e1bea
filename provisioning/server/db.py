"""One small database interface over SQLite (the embedded default) and PostgreSQL.

Queries are written once, with ``?`` placeholders and SQL both engines accept (``ON
CONFLICT``, ``RETURNING``, partial indexes). ``tx()`` hands out a transaction: it commits
when the block ends and rolls back on any exception, so a refused request leaves nothing
half-stored. ``read()`` hands out a read-only snapshot for pages and lists. Rows come
back as plain dicts.

SQLite runs in WAL mode with ``synchronous=FULL``: one writer connection, write
transactions serialized behind a lock (a single writer is what SQLite wants) and
committed in groups (SqliteDatabase), and a read connection per worker thread, so a
console page never waits for a heartbeat's commit nor holds one up. PostgreSQL goes
through a psycopg_pool pool that checks a connection before handing it out, so a
database restart costs no request an error; several server processes share one database.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

Row = dict[str, Any]
Statement = tuple[str, Sequence[Any]]


class DatabaseError(Exception):
    """The database could not be opened or used."""


class DatabaseBusy(DatabaseError):
    """No connection came free in time (every one is busy): answer 503, try later."""


class Tx(Protocol):
    dialect: str

    def all(self, sql: str, args: Sequence[Any] = ()) -> list[Row]: ...

    def one(self, sql: str, args: Sequence[Any] = ()) -> Row | None: ...

    def run(self, sql: str, args: Sequence[Any] = ()) -> int: ...

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def batch(self, statements: Sequence[Statement]) -> list[list[Row] | int]:
        """Several independent statements in one round trip to the database: for each,
        its rows if it returns any, else how many rows it changed."""
        ...


def rows(result: list[Row] | int) -> list[Row]:
    """A batch result that is rows."""
    assert isinstance(result, list), result
    return result


def count(result: list[Row] | int) -> int:
    """A batch result that is a count of changed rows."""
    assert isinstance(result, int), result
    return result


def rows_in(tx: Tx, sql: str, ids: Sequence[str], chunk: int = 500) -> Iterator[Row]:
    """The rows of ``sql`` for many ids, asked ``chunk`` ids at a time (an engine caps a
    statement's parameters): ``sql`` holds ``IN ({marks})`` where the ids go."""
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        yield from tx.all(sql.format(marks=",".join("?" * len(part))), part)


class Database(Protocol):
    dialect: str
    url: str

    def tx(self) -> contextlib.AbstractContextManager[Tx]: ...

    def read(self) -> contextlib.AbstractContextManager[Tx]: ...

    def maintain(self) -> None: ...

    def close(self) -> None: ...


def open_database(url: str, pool_size: int = 10) -> Database:
    """``sqlite:///path/to/file`` (or a bare path) or ``postgresql://…``."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url, pool_size)
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

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    def batch(self, statements: Sequence[Statement]) -> list[list[Row] | int]:
        out: list[list[Row] | int] = []
        for sql, args in statements:
            cur = self._conn.execute(sql, tuple(args))
            out.append([dict(r) for r in cur.fetchall()] if cur.description else cur.rowcount)
        return out


def _sqlite_connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA foreign_keys=ON")
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from exc
    return conn


class SqliteDatabase:
    """One writer connection with group commit; a read connection per thread.

    A write transaction's statements run in a savepoint of a transaction several
    requests share: whichever of them is first to finish commits it, once, for all, and
    each waits until the commit that includes it is on disk (``synchronous=FULL``)
    before ``tx()`` returns. A failing request rolls back its own savepoint only. Under
    load many heartbeats share one fsync instead of queueing behind one each."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.url = f"sqlite:///{path}"
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = _sqlite_connect(path)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot open {path}: {exc}") from exc
        self._conn = conn
        self._lock = threading.RLock()  # the writer connection: one body or commit at a time
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._analyzed = float("-inf")
        self._open = False  # a shared transaction is open
        self._batch = 0  # the number of the open (or next) shared transaction
        self._durable = -1  # every batch up to this one is committed
        self._failed: dict[int, sqlite3.Error] = {}
        self._commits = threading.Condition()
        self._committing = False

    @contextlib.contextmanager
    def tx(self) -> Iterator[Tx]:
        depth = getattr(self._local, "depth", 0)
        failed: BaseException | None = None
        with self._lock:
            if not self._open:
                self._conn.execute("BEGIN IMMEDIATE")
                self._open = True
            savepoint = f"tx{depth}"
            self._conn.execute(f"SAVEPOINT {savepoint}")
            self._local.depth, self._local.writing = depth + 1, True
            try:
                yield _SqliteTx(self._conn)
            except BaseException as exc:
                self._conn.execute(f"ROLLBACK TO {savepoint}")
                failed = exc
            finally:
                self._local.depth, self._local.writing = depth, depth > 0
            self._conn.execute(f"RELEASE {savepoint}")
            batch = self._batch
        if depth == 0:
            self._until_durable(batch, raising=failed is None)
        if failed is not None:
            raise failed

    def _until_durable(self, batch: int, raising: bool = True) -> None:
        """Wait until ``batch`` is committed, committing it if no one else is."""
        with self._commits:
            while self._durable < batch and self._committing:
                self._commits.wait()
            lead = self._durable < batch
            if lead:
                self._committing = True
        if lead:
            done, failure = self._commit()
            with self._commits:
                if failure is not None:
                    self._failed[done] = failure
                self._durable, self._committing = done, False
                self._commits.notify_all()
        failure = self._failed.get(batch)
        if failure is not None and raising:
            raise DatabaseError(f"commit failed: {failure}") from failure

    def _commit(self) -> tuple[int, sqlite3.Error | None]:
        with self._lock:
            done, failure = self._batch, None
            if self._open:
                try:
                    self._conn.execute("COMMIT")
                except sqlite3.Error as exc:  # the disk is full, the file went away …
                    failure = exc
                    with contextlib.suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                self._open = False
            self._batch += 1
            return done, failure

    @contextlib.contextmanager
    def read(self) -> Iterator[Tx]:
        """A snapshot on this thread's own read connection (WAL lets it run beside the
        writer). A thread already inside ``tx()`` reads through the writer instead."""
        if getattr(self._local, "writing", False):
            yield _SqliteTx(self._conn)
            return
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = _sqlite_connect(self.path)
            conn.execute("PRAGMA query_only=1")
            with self._readers_lock:
                self._readers.append(conn)
        conn.execute("BEGIN")
        try:
            yield _SqliteTx(conn)
        finally:
            conn.execute("COMMIT")

    def maintain(self) -> None:
        """Refresh the query planner's statistics (approximate, a few milliseconds), at
        most hourly: without them SQLite picks poor plans for the console's lists."""
        now = time.monotonic()
        if now - self._analyzed < 3600:
            return
        self._analyzed = now
        with self._lock:
            self._conn.execute("PRAGMA analysis_limit=1000")
            self._conn.execute("ANALYZE")

    def close(self) -> None:
        with self._lock:
            if self._open:
                self._commit()
            self._conn.close()
        with self._readers_lock:
            for conn in self._readers:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._readers.clear()


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

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(to_pyformat(sql), rows)

    def batch(self, statements: Sequence[Statement]) -> list[list[Row] | int]:
        with self._conn.pipeline():  # sent together, answered together
            cursors = [
                self._conn.execute(to_pyformat(sql), tuple(args)) for sql, args in statements
            ]
        return [list(c.fetchall()) if c.description else int(c.rowcount) for c in cursors]


IDLE_CHECK_S = 0.05  # well under the time a PostgreSQL restart takes (0.2 s on a fast machine)


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, url: str, pool_size: int = 10, timeout: float = 10.0) -> None:
        import psycopg
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool, PoolTimeout

        self.url = url
        self._check_connection = ConnectionPool.check_connection
        self._errors = (psycopg.Error, PoolTimeout)
        self._busy = PoolTimeout
        self._returned: dict[int, float] = {}  # id(connection) -> when it came back
        self._pool = ConnectionPool(
            url,
            min_size=min(2, pool_size),
            max_size=pool_size,
            open=False,
            timeout=timeout,
            kwargs={"row_factory": dict_row, "connect_timeout": 10},
            check=self._check,
            name="fleet",
        )
        try:
            self._pool.open(wait=True, timeout=timeout)  # fail at start, not at a request
        except self._errors as exc:
            self._pool.close()
            raise DatabaseError(f"cannot connect to PostgreSQL: {exc}") from exc

    def _check(self, conn: Any) -> None:
        """Make sure a connection still works before handing it out, so one a database
        restart broke is replaced instead of failing a request. One that was in use a
        moment ago is known to work (a restart takes longer than that): under load the
        check costs no round trip."""
        idle = time.monotonic() - self._returned.get(id(conn), float("-inf"))
        if idle > IDLE_CHECK_S:
            self._check_connection(conn)

    @contextlib.contextmanager
    def tx(self) -> Iterator[Tx]:
        try:
            with self._pool.connection() as conn:  # commits at the end, rolls back on error
                try:
                    yield _PgTx(conn)
                finally:
                    if len(self._returned) > 1000:  # connections the pool has replaced
                        self._returned.clear()
                    self._returned[id(conn)] = time.monotonic()
        except self._busy as exc:
            raise DatabaseBusy(f"no database connection free: {exc}") from exc

    read = tx

    def maintain(self) -> None:
        """Nothing: PostgreSQL's autovacuum keeps the planner's statistics."""

    def close(self) -> None:
        self._pool.close()
