"""CardWatcher: card placed / taken away events, refusals, state changes."""

from __future__ import annotations

import threading
from typing import Any

from devices.idcard import FIXTURES, CardWatcher, IdCardReader, InvalidCardData, SamSimulator
from devices.idcard.records import IdCardRecord
from devices.status import DeviceError, DeviceState
from tests.support.card_watch import WatchEvents
from tests.support.devices import ReaderMaker

MakeReader = ReaderMaker


class Events(WatchEvents):
    def watch(self, reader: IdCardReader, **options: Any) -> CardWatcher:
        return CardWatcher(reader, **options, **self.callbacks)


def watching(
    make_reader: MakeReader, card: Any = None, **options: Any
) -> tuple[SamSimulator, Events, CardWatcher]:
    """A watcher on a reader for ``card`` (options as make_reader's), the events it
    reports, and the card's side of the wire."""
    reader, events = make_reader(card, **options), Events()
    return make_reader.sim(reader), events, events.watch(reader)


def test_insert_and_remove_are_reported_once_each(make_reader: MakeReader) -> None:
    sim, events, watcher = watching(make_reader, scenario="no_card")
    watcher.poll_once()
    assert events.drain() == [("state", DeviceState.ONLINE)]
    sim.insert("elder")
    watcher.poll_once()
    watcher.poll_once()
    assert events.drain() == [("inserted", FIXTURES["elder"])]
    assert watcher.card_present
    sim.remove()
    watcher.poll_once()
    watcher.poll_once()
    assert events.drain() == [("removed", None)]
    assert not watcher.card_present


def test_swapping_cards_reports_both(make_reader: MakeReader) -> None:
    sim, events, watcher = watching(make_reader, "young")
    watcher.poll_once()
    sim.remove()
    watcher.poll_once()
    sim.insert("hmt")
    watcher.poll_once()
    kinds = [(k, p) for k, p in events.drain() if k != "state"]
    assert kinds == [
        ("inserted", FIXTURES["young"]),
        ("removed", None),
        ("inserted", FIXTURES["hmt"]),
    ]


def test_an_unreadable_card_is_reported_once_as_an_error(make_reader: MakeReader) -> None:
    bad: IdCardRecord = FIXTURES["elder"].replace(id_number="110101194305120020")
    sim, events, watcher = watching(make_reader, bad)
    watcher.poll_once()
    watcher.poll_once()
    (error,) = [p for k, p in events.drain() if k == "error"]
    assert isinstance(error, InvalidCardData)
    assert watcher.card_present
    sim.remove()
    watcher.poll_once()
    assert [k for k, _ in events.drain()] == []  # never inserted, so never removed


def test_a_card_pulled_away_during_the_read_is_not_reported(make_reader: MakeReader) -> None:
    _, events, watcher = watching(make_reader, "elder", scenario="removed_during_read")
    watcher.poll_once()
    watcher.poll_once()
    assert events.drain() == [("state", DeviceState.ONLINE)]


def test_sam_not_authorised_is_a_hardware_error(make_reader: MakeReader) -> None:
    _, events, watcher = watching(make_reader, "elder", scenario="sam_not_authorised")
    watcher.poll_once()
    got = events.drain()
    assert got[0] == ("state", DeviceState.HARDWARE_ERROR)
    assert got[1][0] == "error" and got[1][1].code == "samNotAuthorised"
    assert watcher.state is DeviceState.HARDWARE_ERROR


def test_the_reader_unplugged_counts_as_the_card_taken_away(make_reader: MakeReader) -> None:
    sim, events, watcher = watching(make_reader, "elder")
    watcher.poll_once()
    sim.stop()
    watcher.poll_once()
    watcher.poll_once()
    got = events.drain()
    assert got[-2:] == [("state", DeviceState.NO_DEVICE), ("removed", None)]
    assert got.count(("removed", None)) == 1


def test_the_thread_reports_events_and_survives_a_failing_callback(
    make_reader: MakeReader,
) -> None:
    reader, events = make_reader(scenario="no_card"), Events()
    calls: list[str] = []
    first_call = threading.Event()

    def flaky(record: IdCardRecord) -> None:
        calls.append(record.card_type)
        if len(calls) == 1:
            first_call.set()
            raise RuntimeError("a bug in the kiosk")
        events.queue.put(("inserted", record))

    watcher = CardWatcher(
        reader,
        on_inserted=flaky,
        on_removed=lambda: events.queue.put(("removed", None)),
        interval=0.02,
    ).start()
    try:
        sim = make_reader.sim(reader)
        sim.insert("elder")
        assert first_call.wait(10.0)
        sim.remove()
        # the failing callback did not stop the watch
        assert events.next("removed") == ("removed", None)
        sim.insert("young")
        assert events.next("inserted") == ("inserted", FIXTURES["young"])
    finally:
        watcher.stop()
    assert calls == ["resident", "resident"]


def test_timeouts_are_errors_but_not_removals(make_reader: MakeReader) -> None:
    from devices.idcard import Timeouts

    sim, events, watcher = watching(make_reader, "elder", timeouts=Timeouts(0.1, 0.1))
    watcher.poll_once()
    sim.scenario = "slow"  # 0.25 s per reply: longer than the timeout
    watcher.poll_once()
    got = events.drain()
    assert [k for k, _ in got] == ["state", "inserted", "error"]
    assert isinstance(got[-1][1], DeviceError) and got[-1][1].code == "timeout"
    assert watcher.card_present


# Regression (issue 19, item 4): presence alone missed a card swapped between two polls
# (one citizen takes theirs away, the next lays theirs down within a second): the reader
# said "a card" both times, so the first stayed reported and the second was never read.


def test_a_card_swapped_within_one_poll_is_heard_removed_then_inserted(
    make_reader: MakeReader,
) -> None:
    sim, events, watcher = watching(make_reader, "young")
    watcher.poll_once()
    sim.remove()
    sim.insert("hmt")  # before the next poll
    watcher.poll_once()
    watcher.poll_once()  # and the new card stays quiet while it lies there
    kinds = [(k, p) for k, p in events.drain() if k != "state"]
    assert kinds == [
        ("inserted", FIXTURES["young"]),
        ("removed", None),
        ("inserted", FIXTURES["hmt"]),
    ]
    assert watcher.card_present


def test_the_same_card_lying_on_the_reader_is_reported_once(make_reader: MakeReader) -> None:
    sim, events, watcher = watching(make_reader, "elder")
    for _ in range(3):
        watcher.poll_once()
    sim.remove()
    sim.insert("elder")  # lifted and laid down again between two polls
    watcher.poll_once()
    assert [k for k, _ in events.drain() if k != "state"] == ["inserted"]


def test_a_card_swapped_for_an_unreadable_one_is_removed_then_refused(
    make_reader: MakeReader,
) -> None:
    bad: IdCardRecord = FIXTURES["elder"].replace(id_number="110101194305120020")
    sim, events, watcher = watching(make_reader, "young")
    watcher.poll_once()
    sim.insert(bad)
    watcher.poll_once()
    watcher.poll_once()
    got = [(k, p if k != "error" else type(p)) for k, p in events.drain() if k != "state"]
    assert got == [
        ("inserted", FIXTURES["young"]),
        ("removed", None),
        ("error", InvalidCardData),  # once, however long it lies there
    ]


def test_a_swap_is_heard_by_the_watch_thread_too(make_reader: MakeReader) -> None:
    reader, events = make_reader("young"), Events()
    watcher = events.watch(reader, interval=0.05).start()
    try:
        assert events.next("inserted") == ("inserted", FIXTURES["young"])
        with reader.lock:  # no poll can run between the two: a swap within one poll
            make_reader.sim(reader).remove()
            make_reader.sim(reader).insert("hmt")
        assert events.next("removed") == ("removed", None)
        assert events.next("inserted") == ("inserted", FIXTURES["hmt"])
    finally:
        watcher.stop()
