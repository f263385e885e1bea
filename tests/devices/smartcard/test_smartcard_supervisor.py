"""ReaderSupervisor: inserted/removed/state events, and recovery from a pcscd restart and
from the reader vanishing, without restarting anything on our side."""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any

import pytest

from devices.smartcard import ReaderSupervisor, SmartCardReader, UnsupportedCard, VirtualCard
from devices.smartcard.fixtures import DEBIT, SSC_CARD
from devices.smartcard.pcscd import PcscdService
from devices.status import DeviceState
from tests.support.card_watch import WatchEvents

MakeCard = Callable[..., VirtualCard]
WAIT = 15.0  # generous: pcscd restarts and backoff; never a timing assertion


class Events(WatchEvents):
    def supervise(self, reader: SmartCardReader, **options: Any) -> ReaderSupervisor:
        return ReaderSupervisor(reader, **options, **self.callbacks)


@pytest.fixture
def watch(pcscd: PcscdService) -> Any:
    supervisors: list[ReaderSupervisor] = []
    readers: list[SmartCardReader] = []

    def make(events: Events, match: str = "Virtual PCD 00 00") -> ReaderSupervisor:
        reader = SmartCardReader(match)
        supervisor = events.supervise(reader, interval=0.1).start()
        supervisors.append(supervisor)
        readers.append(reader)
        return supervisor

    yield make
    for supervisor in supervisors:
        supervisor.stop()
    for reader in readers:
        reader.close()


def reported_at_start(
    virtual_card: MakeCard, watch: Any, card: str, record: object
) -> tuple[Events, ReaderSupervisor]:
    """``card`` lies in the reader before the supervisor starts; it is read as ``record``."""
    virtual_card(card)
    events = Events()
    supervisor = watch(events)
    assert events.next("inserted") == ("inserted", record)
    return events, supervisor


def test_insert_and_remove_are_reported_once_each(virtual_card: MakeCard, watch: Any) -> None:
    card, events = virtual_card("ssc", scenario="no_card"), Events()
    supervisor = watch(events)
    assert events.next("state") == ("state", DeviceState.ONLINE)
    card.insert()
    assert events.next("inserted", "removed", "error") == ("inserted", SSC_CARD)
    assert supervisor.card_present
    card.remove()
    assert events.next("inserted", "removed", "error") == ("removed", None)
    card.insert("bank")
    assert events.next("inserted", "removed", "error") == ("inserted", DEBIT)
    assert events.queue.empty() or events.queue.get_nowait()[0] == "state"


def test_a_card_swapped_within_one_poll_is_heard_removed_then_inserted(
    virtual_card: MakeCard, pcscd: PcscdService
) -> None:
    # Issue 19, item 4: does a swap between two polls go unheard? Not here: pcsc-lite
    # counts every insertion and removal in the slot's event counter, and the supervisor
    # compares it. This keeps it so (it passed before the ID card watcher's fix too).
    card = virtual_card("ssc", scenario="no_card", min_absence=0.0)
    events = Events()
    with SmartCardReader("Virtual PCD 00 00") as reader:
        supervisor = events.supervise(reader, interval=0.1).start()
        try:
            card.insert()
            assert events.next("inserted", "removed", "error") == ("inserted", SSC_CARD)
            with reader.lock:  # the supervisor cannot poll until the swap is over
                card.insert("bank")  # out, and another card in
                assert card.wait_seen(WAIT)  # pcscd has seen the new card
            assert events.next("inserted", "removed", "error") == ("removed", None)
            assert events.next("inserted", "removed", "error") == ("inserted", DEBIT)
        finally:
            supervisor.stop()


def test_a_card_already_in_the_reader_is_reported_at_start(
    virtual_card: MakeCard, watch: Any
) -> None:
    # pyscard #231: its CardMonitor gives no event for a card present at start
    reported_at_start(virtual_card, watch, "bank", DEBIT)


def test_an_unreadable_card_is_reported_once_as_an_error(
    virtual_card: MakeCard, watch: Any
) -> None:
    card, events = virtual_card("blank"), Events()
    supervisor = watch(events)
    kind, exc = events.next("inserted", "error")
    assert kind == "error" and isinstance(exc, UnsupportedCard)
    card.remove()
    card.insert("bank")
    assert events.next("inserted", "error") == ("inserted", DEBIT)  # no second error
    assert supervisor.state is DeviceState.ONLINE


def test_pcscd_restarting_is_survived(
    virtual_card: MakeCard, watch: Any, pcscd: PcscdService
) -> None:
    pcscd.require_control()
    events, _ = reported_at_start(virtual_card, watch, "ssc", SSC_CARD)
    pcscd.stop()
    seen = events.until(("removed", None))
    assert ("state", DeviceState.NO_DEVICE) in seen
    pcscd.ensure()
    # back online by itself, and the card still in the reader is read again
    events.until(("state", DeviceState.ONLINE))
    assert events.next("inserted") == ("inserted", SSC_CARD)


def test_the_reader_vanishing_and_coming_back(
    virtual_card: MakeCard, watch: Any, pcscd: PcscdService
) -> None:
    pcscd.require_control()
    events, supervisor = reported_at_start(virtual_card, watch, "bank", DEBIT)
    pcscd.restart(virtual_readers=False)  # pcscd up, our reader gone (like an unplug)
    seen = events.until(("removed", None))
    assert ("state", DeviceState.NO_DEVICE) in seen
    assert supervisor.state is DeviceState.NO_DEVICE
    with SmartCardReader("Virtual PCD 00 00") as probe:  # pcscd answers; the reader is gone
        assert "no PC/SC reader matching" in probe.status().detail
    pcscd.restart(virtual_readers=True)  # plugged back in
    events.until(("state", DeviceState.ONLINE))
    assert events.next("inserted") == ("inserted", DEBIT)


def test_a_callback_that_raises_does_not_stop_the_supervisor(
    virtual_card: MakeCard, pcscd: PcscdService
) -> None:
    card = virtual_card("ssc", scenario="no_card")
    seen: queue.Queue[str] = queue.Queue()

    def bad(record: object) -> None:
        seen.put("inserted")
        raise RuntimeError("kiosk bug")

    with SmartCardReader("Virtual PCD 00 00") as reader:
        supervisor = ReaderSupervisor(
            reader, on_inserted=bad, on_removed=lambda: seen.put("removed"), interval=0.1
        ).start()
        try:
            card.insert()
            assert seen.get(timeout=WAIT) == "inserted"
            card.remove()
            assert seen.get(timeout=WAIT) == "removed"
        finally:
            supervisor.stop()


def test_no_pcscd_at_start_is_no_device_then_online(pcscd: PcscdService) -> None:
    pcscd.require_control()
    pcscd.stop()
    events = Events()
    with SmartCardReader("Virtual PCD 00 00") as reader:
        supervisor = events.supervise(reader, interval=0.1, backoff_max=0.5).start()
        try:
            assert events.next("state") == ("state", DeviceState.NO_DEVICE)
            pcscd.ensure()
            assert events.next("state") == ("state", DeviceState.ONLINE)
        finally:
            supervisor.stop()
