"""The one SQLite helper and the key files every kiosk store uses (kiosk/storage.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk.storage import Database, secret_file, write_atomically

SCHEMA = "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v INTEGER NOT NULL);"


def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3", SCHEMA)
    with db.tx() as conn:
        conn.execute("INSERT INTO t VALUES ('a', 1)")
    with pytest.raises(RuntimeError), db.tx() as conn:
        conn.execute("INSERT INTO t VALUES ('b', 2)")
        raise RuntimeError("power cut, as far as this transaction knows")
    assert [tuple(r) for r in db.query("SELECT k, v FROM t")] == [("a", 1)]
    db.close()
    again = Database(tmp_path / "s.sqlite3", SCHEMA)  # the schema applies again, harmlessly
    assert again.one("SELECT v FROM t WHERE k = 'a'")["v"] == 1  # type: ignore[index]
    assert again.one("SELECT v FROM t WHERE k = 'b'") is None
    again.close()


def test_stores_get_the_durability_they_ask_for(tmp_path: Path) -> None:
    strict = Database(tmp_path / "o.sqlite3", SCHEMA, secure_delete=True, private=True)
    loose = Database(tmp_path / "p.sqlite3", SCHEMA, synchronous="NORMAL")
    assert strict.one("PRAGMA synchronous")[0] == 2  # type: ignore[index]  # FULL
    assert strict.one("PRAGMA secure_delete")[0] == 1  # type: ignore[index]
    assert strict.one("PRAGMA journal_mode")[0] == "wal"  # type: ignore[index]
    assert loose.one("PRAGMA synchronous")[0] == 1  # type: ignore[index]  # NORMAL
    assert stat.S_IMODE((tmp_path / "o.sqlite3").stat().st_mode) == 0o600
    strict.close()
    loose.close()


def test_a_secret_is_made_once_owner_only_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "k.key"
    made: list[int] = []

    def make() -> bytes:
        made.append(1)
        return os.urandom(32)

    first, new = secret_file(path, make)
    second, again = secret_file(path, make)
    assert new and not again and first == second and made == [1]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)  # someone loosened it: made owner-only again on the next read
    secret_file(path, make)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_process_that_loses_the_race_reads_the_winners_secret(tmp_path: Path) -> None:
    path = tmp_path / "k.key"

    def make_while_another_wins() -> bytes:
        path.write_bytes(b"the other process's key")  # it got there between read and create
        return b"mine"

    secret, made = secret_file(path, make_while_another_wins)
    assert (secret, made) == (b"the other process's key", False)


def test_an_atomic_write_replaces_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    write_atomically(path, b"old")
    write_atomically(path, b"new" * 100_000)
    assert path.read_bytes() == b"new" * 100_000
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporary left
