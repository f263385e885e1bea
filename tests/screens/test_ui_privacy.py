"""No personal data outside the session and the encrypted outbox, on every journey.

Every journey registered for ``kiosk demo`` (terminal/demo/journeys, iterated, never named
here) runs through the real screens with planted, recognisable people on the ID card
reader and planted phone and bank-card answers. Meanwhile a real fleet server runs on
loopback with this kiosk enrolled: its agent sends heartbeats (with the runtime's probe)
and, on the server's command, the kiosk's redacted logs. Afterwards the planted values
are searched for, as UTF-8, GB18030 and UTF-16 bytes, in the kiosk's logs, its whole
state directory (the outbox included: it may hold them only encrypted), the temp
directory, the agent's files and the fleet server's database. The embedded sandbox
platform's database is the one place they must be: it stands for the provincial platform,
and finding them there proves the journeys really carried them.

The usage counters (kiosk/usage) get a stricter search: neither their file nor every
batch they would ever send (the open hours included) holds a planted value, a case,
provisional, complaint or rating number these journeys were given, or the free text
they typed, while the batches do count the journeys.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from devices.idcard.records import IdCardRecord
from kiosk.usage.batch import canonical
from provisioning.agent import Agent
from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.ratelimit import TokenBuckets
from terminal.demo.journeys import JOURNEYS, load
from terminal.demo.journeys.complaint import WORDS
from terminal.fleet import health_probe, kiosk_agent
from terminal.wiring import sandbox_db
from tests.support.people import PHONE, TYPED, plant_people, texts_of
from tests.support.usage import total

ACTOR = cli_actor("privacy-test")


def secrets_of(record: IdCardRecord) -> list[bytes]:
    """What must never be found, in every encoding it could be written in."""
    found = texts_of(record)
    out = [s.encode(enc) for s in found for enc in ("utf-8", "gb18030", "utf-16-le")]
    out.append(record.photo_wlt[:48])  # the card's photo never leaves but in an application
    return sorted(set(out))


def leaks(root: Path, secrets: list[bytes], skip: set[Path] = frozenset()) -> list[str]:  # type: ignore[assignment]
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path in skip:
            continue
        data = path.read_bytes()
        found += [f"{path}: {s!r}" for s in secrets if s in data]
    return found


@pytest.fixture
def people(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Plant the people on every ID card fixture and the typed answers in the script."""
    secrets: list[bytes] = [s.encode("utf-8") for s in TYPED]
    for person in plant_people(monkeypatch):
        secrets += secrets_of(person)
    return sorted(set(secrets))


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temp files made during the journeys land where the search can see them all."""
    path = tmp_path / "tmp"
    path.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(path))
    return path


@pytest.fixture
def fleet(tmp_path: Path, kiosk: tuple[Any, Any]) -> Iterator[tuple[FleetApp, Agent]]:
    """A real fleet server on loopback and this kiosk enrolled in it, beating every second."""
    app, _pilot = kiosk
    server = FleetApp(
        tmp_path / "fleet", None, heartbeat_s=1, buckets=TokenBuckets(rate=1000, burst=1000)
    )
    server.fleet.add_region(ACTOR, "33", "测试省", "province", None)
    server.fleet.add_region(ACTOR, "s-9001", "测试村便民服务站", "site", "33")
    server.start()
    runtime = app.core
    agent = kiosk_agent(
        tmp_path / "agent",
        probe=health_probe(runtime.hardware.statuses, runtime.outbox),
        usage=runtime.usage,  # this server has no usage endpoint yet: the batches wait
    )
    agent.hooks.log_dir = runtime.state_dir / "logs"  # the kiosk's own logs
    try:
        code, _ = server.fleet.pairing_code(ACTOR, "s-9001")
        agent.enroll(server.base_url, code, "SN-PRIVACY")
        server.fleet.approve(ACTOR, agent.key.device_id, "s-9001")
        agent.start(is_idle=lambda: False, interval=1.0)
        yield server, agent
    finally:
        agent.stop()
        agent.close()
        server.stop()


def test_no_journey_leaves_personal_data_outside_the_session(
    ui: tuple[Any, Any],
    people: list[bytes],
    temp_dir: Path,
    fleet: tuple[FleetApp, Agent],
    tmp_path: Path,
    card_away: Callable[[], None],
) -> None:
    app, pilot = ui
    server, agent = fleet
    runtime = app.core
    assert JOURNEYS, "no journeys registered"
    for number, name in enumerate(sorted(JOURNEYS)):
        card_away()  # as the ui fixture does between tests
        if pilot.screen != "attract" or app.session.identity is not None:
            app.finish()
        pilot.wait_screen("attract")
        summary = load(name)(app, pilot, tmp_path / "shots" / name)
        assert summary["ok"] is True, (name, summary)
        assert runtime.wait_for_outbox(timeout=30), name
        assert app.session.identity is None, name
        # acknowledged by the platform, so purged: no sealed payload is left behind
        assert (
            runtime.outbox.db.query(
                "SELECT provisional_no FROM items WHERE state = 'sent' AND payload IS NOT NULL"
            )
            == []
        ), name
        # the fleet asks for the kiosk's logs after each journey, as a technician would
        command_id = f"privacy-logs-{number:04d}"
        server.fleet.command(ACTOR, agent.key.device_id, "collect_logs", {}, command_id)
        # the agent's own heartbeat thread may pick it up first: either way it gets done
        for _ in range(60):
            agent.sync_once()
            with server.db.tx() as tx:
                row = tx.one("SELECT status FROM commands WHERE id = ?", (command_id,))
            if row is not None and row["status"] == "done":
                break
            time.sleep(0.5)
        assert row is not None and row["status"] == "done", (name, row)

    with server.db.tx() as tx:
        logs = tx.all("SELECT content FROM device_logs")
    assert len(logs) == len(JOURNEYS) and all(row["content"] for row in logs)
    assert agent.summary()["last_contact"] is not None  # heartbeats reached the server

    platform = sandbox_db(runtime.state_dir)
    platform_files = set(platform.parent.glob(platform.name + "*"))
    carried = b"".join(p.read_bytes() for p in platform_files)
    assert any(s in carried for s in people if s.isdigit() and len(s) == 18), (
        "the planted people never reached the platform: the search below would prove nothing"
    )
    usage_leaks = no_trace_in_usage(runtime, people)
    found = (
        usage_leaks
        + leaks(runtime.state_dir, people, skip=platform_files)
        + leaks(temp_dir, people)
        + leaks(tmp_path / "agent", people)
        + leaks(tmp_path / "fleet", people)
    )
    assert found == [], "personal data outside the session:\n" + "\n".join(found)


def no_trace_in_usage(runtime: Any, people: list[bytes]) -> list[str]:
    """What the usage counters hold or would send that came from the journeys' people:
    the planted values, the numbers their cases, complaints and ratings were given, the
    text they typed. First: they did count the journeys, or the search proves nothing."""
    docs = runtime.usage.preview()  # writes what is held, so the file below is complete
    assert total(docs, "sessions_started") >= len(JOURNEYS), docs
    assert total(docs, "journeys_started") >= len(JOURNEYS), docs
    assert total(docs, "journeys_completed") >= len(JOURNEYS), docs
    sandbox, outbox = runtime.sandbox.db, runtime.outbox.db
    numbers = [
        row[0]
        for db, sql in (
            (sandbox, "SELECT case_no FROM applications"),
            (sandbox, "SELECT complaint_id FROM complaints"),
            (sandbox, "SELECT rating_id FROM ratings"),
            (sandbox, "SELECT appointment_id FROM appointments"),
            (outbox, "SELECT provisional_no FROM items"),
            (outbox, "SELECT reference FROM messages"),
        )
        for row in db.query(sql)
    ]
    assert numbers, "the journeys were given no numbers: the search would prove nothing"
    typed = ["".join(char for _, char in WORDS), "东湖村三组", PHONE]
    secrets = people + [t.encode("utf-8") for t in numbers + typed]
    sent = b"\n".join(canonical(doc) for doc in docs)
    found = [f"usage batch: {s!r}" for s in secrets if s in sent]
    for path in sorted(runtime.state_dir.glob("usage.sqlite3*")):
        found += [f"{path}: {s!r}" for s in secrets if s in path.read_bytes()]
    return found
