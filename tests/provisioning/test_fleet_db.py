"""The SQLite writer's group commit: transactions of many threads share commits, yet each
``tx()`` returns only once its own changes are committed, and a failing transaction
takes only its own changes back."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from provisioning.server.db import SqliteDatabase

THREADS, EACH = 16, 40


@pytest.fixture
def db(tmp_path: Path) -> SqliteDatabase:
    database = SqliteDatabase(tmp_path / "t.sqlite3")
    with database.tx() as tx:
        tx.run("CREATE TABLE t (who INTEGER, n INTEGER, PRIMARY KEY (who, n))")
    return database


def _committed(db: SqliteDatabase) -> set[tuple[int, int]]:
    """What another connection (another process) sees: only committed rows."""
    with sqlite3.connect(db.path) as other:
        return {(w, n) for w, n in other.execute("SELECT who, n FROM t")}


def test_every_transaction_is_committed_when_tx_returns(db: SqliteDatabase) -> None:
    unseen: list[tuple[int, int]] = []

    def work(who: int) -> None:
        for n in range(EACH):
            try:
                with db.tx() as tx:
                    tx.run("INSERT INTO t (who, n) VALUES (?, ?)", (who, n))
                    if n % 7 == 3:  # refused half-way, in a commit shared with others
                        raise ValueError(n)
            except ValueError:
                continue
            if (who, n) not in _committed(db):
                unseen.append((who, n))

    threads = [threading.Thread(target=work, args=(w,)) for w in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert unseen == []
    kept = {(w, n) for w in range(THREADS) for n in range(EACH) if n % 7 != 3}
    assert _committed(db) == kept
    db.close()


def test_a_failing_transaction_takes_back_only_its_own_changes(db: SqliteDatabase) -> None:
    inside = threading.Barrier(2)
    errors: list[BaseException] = []

    def good() -> None:
        with db.tx() as tx:
            tx.run("INSERT INTO t (who, n) VALUES (1, 1)")
        inside.wait()

    def bad() -> None:
        try:
            with db.tx() as tx:
                tx.run("INSERT INTO t (who, n) VALUES (2, 1)")
                raise ValueError("refused half-way")
        except ValueError as exc:
            errors.append(exc)
        inside.wait()

    threads = [threading.Thread(target=good), threading.Thread(target=bad)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [str(e) for e in errors] == ["refused half-way"]
    assert _committed(db) == {(1, 1)}
    with db.tx() as tx:  # nested transactions are savepoints of their own
        tx.run("INSERT INTO t (who, n) VALUES (3, 1)")
        with pytest.raises(KeyError), db.tx() as inner:
            inner.run("INSERT INTO t (who, n) VALUES (3, 2)")
            raise KeyError("inner")
    assert _committed(db) == {(1, 1), (3, 1)}
    db.close()
