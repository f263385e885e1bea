"""Unplug and replug: the port disappears, the driver reports noDevice, retries with
backoff, and is online again when a reader is back at the same path.

The "USB reader" is a simulator whose pty is reached through a symlink standing in for
a udev name such as /dev/idcard: stopping the simulator closes the pty (EIO on the
driver's side, then the path is gone); a new simulator is a reader plugged back in.
"""

from __future__ import annotations

import itertools
import pathlib

from devices.idcard import FIXTURES, Backoff, CardWatcher, IdCardReader, SamSimulator
from devices.status import DeviceState
from devices.transport import Transport, open_transport
from tests.support import FakeClock


def plug(link: pathlib.Path, card: str) -> SamSimulator:
    sim = SamSimulator(card).start()
    link.unlink(missing_ok=True)
    link.symlink_to(sim.port_path)
    return sim


def unplug(link: pathlib.Path, sim: SamSimulator) -> None:
    sim.stop()
    link.unlink()


def test_unplug_backoff_and_replug(tmp_path: pathlib.Path) -> None:
    link = tmp_path / "idcard"
    clock, opens = FakeClock(100.0), []

    def opener() -> Transport:
        opens.append(clock.now)
        return open_transport(f"serial://{link}")

    first = plug(link, "elder")
    reader = IdCardReader(opener, clock=clock, backoff=Backoff(initial=1.0, maximum=4.0))
    try:
        assert reader.status().device is DeviceState.ONLINE
        assert reader.read_card() == FIXTURES["elder"]

        unplug(link, first)
        lost = reader.status()
        assert lost.device is DeviceState.NO_DEVICE
        assert "connection lost" in lost.detail
        assert not reader.connected

        # Retries come at growing intervals: 1, then 2, then 4 (the cap), then 4 s.
        for _ in range(60):
            clock.now += 0.25
            assert reader.status().device is DeviceState.NO_DEVICE
        gaps = [b - a for a, b in itertools.pairwise(opens[1:])]
        assert gaps[:3] == [2.0, 4.0, 4.0]

        second = plug(link, "young")
        try:
            clock.now += 4.0
            assert reader.status().device is DeviceState.ONLINE
            assert reader.read_card() == FIXTURES["young"]
        finally:
            second.stop()
    finally:
        reader.close()


def test_the_watcher_follows_the_reader_through_a_replug(tmp_path: pathlib.Path) -> None:
    link = tmp_path / "idcard"
    clock, events = FakeClock(100.0), list[tuple[str, str]]()
    first = plug(link, "elder")
    reader = IdCardReader(lambda: open_transport(f"serial://{link}"), clock=clock)
    watcher = CardWatcher(
        reader,
        on_inserted=lambda record: events.append(("inserted", str(record.card_type))),
        on_removed=lambda: events.append(("removed", "")),
        on_state=lambda state: events.append(("state", str(state))),
    )
    try:
        watcher.poll_once()
        unplug(link, first)
        watcher.poll_once()
        clock.now += 10.0
        watcher.poll_once()  # reopen attempt fails: still no device, no duplicate events
        second = plug(link, "hmt")
        try:
            clock.now += 10.0
            watcher.poll_once()
        finally:
            second.stop()
    finally:
        reader.close()
    assert events == [
        ("state", "online"),
        ("inserted", "resident"),
        ("state", "noDevice"),
        ("removed", ""),
        ("state", "online"),
        ("inserted", "hmt_permit"),
    ]
