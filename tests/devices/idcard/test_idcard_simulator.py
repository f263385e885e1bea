"""Every simulator scenario, through the real driver, over a real pty."""

from __future__ import annotations

import dataclasses as dc

import pytest

from devices.idcard import (
    FIXTURES,
    SCENARIOS,
    CardRemoved,
    ChecksumMismatch,
    NoCard,
    SamNotAuthorised,
    SamSimulator,
    Timeouts,
    TruncatedFrame,
    UnsupportedCard,
    open_reader,
)
from devices.idcard.protocol import Command, FrameDecoder, encode_request, parse_response
from devices.simulation import Simulators
from devices.status import DeviceState, DeviceTimeout, MediaState
from devices.transport import SerialTransport, read_exact
from tests.support.devices import ReaderMaker

MakeReader = ReaderMaker
FAST = Timeouts(command=0.5, read=1.0)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_each_fixture_reads_back_through_the_wire(make_reader: MakeReader, name: str) -> None:
    reader = make_reader(name)
    assert reader.read_card() == FIXTURES[name]
    assert reader.status().media is MediaState.PRESENT


def test_card_scenario_status_and_sam_id(make_reader: MakeReader) -> None:
    reader = make_reader("elder", scenario="card")
    status = reader.status()
    assert status.device is DeviceState.ONLINE and status.usable
    assert reader.sam_id() == "05.01-22274969-0016032985-1392325177"
    reader.reset_sam()


def test_no_card(make_reader: MakeReader) -> None:
    reader = make_reader(scenario="no_card")
    assert reader.find_card() is False
    assert reader.locate_card() is False
    with pytest.raises(NoCard) as caught:
        reader.read_card()
    assert caught.value.code == "noCard"
    assert reader.status().media is MediaState.NOT_PRESENT


def test_insert_and_remove_at_run_time(make_reader: MakeReader) -> None:
    reader = make_reader(scenario="no_card")
    sim = make_reader.sim(reader)
    assert sim is not None and sim.card is None
    sim.insert("young")
    assert reader.read_card() == FIXTURES["young"]
    sim.insert(FIXTURES["hmt"])
    assert reader.read_card() == FIXTURES["hmt"]
    sim.remove()
    with pytest.raises(NoCard):
        reader.read_card()
    sim.insert()  # the configured default fixture
    assert reader.read_card() == FIXTURES["elder"]


def test_slow_replies_within_the_timeout_succeed(make_reader: MakeReader) -> None:
    reader = make_reader("elder", scenario="slow", delay=0.1)
    assert reader.read_card() == FIXTURES["elder"]


def test_a_reply_slower_than_the_timeout_times_out_and_loses_nothing(
    make_reader: MakeReader,
) -> None:
    reader = make_reader("elder", scenario="slow", delay=0.3, timeouts=Timeouts(0.1, 0.1))
    with pytest.raises(DeviceTimeout) as caught:
        reader.find_card()
    assert caught.value.code == "timeout"
    assert make_reader.sim(reader) is not None
    make_reader.sim(reader).scenario = "card"
    reader.timeouts = FAST
    assert reader.read_card() == FIXTURES["elder"]  # the late reply was drained, not misread


def test_garbage_between_frames_is_skipped(make_reader: MakeReader) -> None:
    reader = make_reader("longterm", scenario="garbage", seed=7)
    for _ in range(5):
        assert reader.read_card() == FIXTURES["longterm"]


def test_corrupted_replies_are_asked_for_again(make_reader: MakeReader) -> None:
    reader = make_reader("elder", scenario="checksum_errors")
    assert reader.read_card() == FIXTURES["elder"]
    sim = make_reader.sim(reader)
    assert sim is not None
    sent = [(r.cmd, r.para) for r in sim.requests]
    find, select, read = (
        c.value for c in (Command.FIND_CARD, Command.SELECT_CARD, Command.READ_BASE)
    )
    assert sent == [find, find, select, select, read, read]


def test_replies_corrupted_every_time_give_a_typed_error_then_recover(
    make_reader: MakeReader,
) -> None:
    reader = make_reader("elder", scenario="broken_checksums", timeouts=FAST)
    with pytest.raises(ChecksumMismatch) as caught:
        reader.read_card()
    assert caught.value.code == "checksumError"
    assert reader.status().device is DeviceState.HARDWARE_ERROR
    assert make_reader.sim(reader) is not None
    make_reader.sim(reader).scenario = "card"
    assert reader.read_card() == FIXTURES["elder"]


def test_truncated_replies_give_a_typed_error(make_reader: MakeReader) -> None:
    reader = make_reader("elder", scenario="truncated", timeouts=Timeouts(0.2, 0.2))
    with pytest.raises(TruncatedFrame) as caught:
        reader.find_card()
    assert caught.value.code == "truncatedFrame"


def test_card_taken_away_between_select_and_read(make_reader: MakeReader) -> None:
    reader = make_reader("elder", scenario="removed_during_read")
    assert reader.locate_card() is True
    with pytest.raises(CardRemoved) as caught:
        reader.read_selected()
    assert caught.value.code == "cardRemoved" and caught.value.status == 0x41
    assert reader.find_card() is False
    assert reader.status().media is MediaState.NOT_PRESENT


def test_sam_not_authorised(make_reader: MakeReader) -> None:
    reader = make_reader("elder", scenario="sam_not_authorised")
    with pytest.raises(SamNotAuthorised) as caught:
        reader.read_card()
    assert caught.value.code == "samNotAuthorised"
    status = reader.status()
    assert status.device is DeviceState.HARDWARE_ERROR
    assert status.vendor == {"code": "samNotAuthorised"} and "authorised" in status.detail
    assert reader.sam_id().startswith("05.01-")  # still readable, to get it authorised


def test_fingerprint_read(make_reader: MakeReader) -> None:
    record = dc.replace(FIXTURES["young"], fingerprint=bytes(range(256)) * 4)
    reader = make_reader(record)
    assert reader.read_card(with_fingerprint=True) == record
    assert reader.read_card(with_fingerprint=False).fingerprint is None


def test_an_unknown_card_type_on_the_wire_is_refused(make_reader: MakeReader) -> None:
    from devices.idcard.cardtext import encode_text

    text = bytearray(encode_text(FIXTURES["elder"]))
    text[248:250] = "Y".encode("utf-16-le")
    reader = make_reader(bytes(text))
    with pytest.raises(UnsupportedCard, match="2023"):
        reader.read_card()
    assert reader.status().device is DeviceState.ONLINE


def test_the_simulator_answers_a_corrupt_request_like_a_sam() -> None:
    with SamSimulator("elder") as sim:
        port = SerialTransport(sim.port_path)
        try:
            bad = bytearray(encode_request(Command.FIND_CARD))
            bad[-1] ^= 0xFF
            port.write(bytes(bad))
            (frame,) = FrameDecoder().feed(read_exact(port, 11, 2.0))
            assert parse_response(frame).sw3 == 0x10  # type: ignore[arg-type]
            assert len(sim.requests) == 0
            port.write(encode_request(Command.SAM_STATUS))
            (frame,) = FrameDecoder().feed(read_exact(port, 11, 2.0))
            assert parse_response(frame).sw3 == 0x90  # type: ignore[arg-type]
            assert [(r.cmd, r.para) for r in sim.requests] == [Command.SAM_STATUS.value]
        finally:
            port.close()


def test_scenarios_and_fixtures_are_checked() -> None:
    assert set(SCENARIOS) >= {"no_card", "card", "slow", "garbage", "checksum_errors"}
    with pytest.raises(ValueError, match="known"):
        SamSimulator(scenario="haunted")
    with pytest.raises(ValueError, match="elder"):
        SamSimulator("nobody")


def test_open_reader_for_a_simulator_url() -> None:
    sims = Simulators()
    reader = open_reader(
        "sim://idcard?fixture=hmt&scenario=card&baud=57600&pace=1", simulators=sims
    )
    try:
        sim = sims.idcard
        assert sim is not None and sim.baud == 57600 and sim.pace
        assert reader.connected
        assert reader.read_card() == FIXTURES["hmt"]
    finally:
        reader.close()
    assert not reader.connected


def test_open_reader_for_a_serial_url_drives_any_port() -> None:
    with SamSimulator("young") as sim:
        sims = Simulators()
        reader = open_reader(f"serial://{sim.port_path}?baud=115200", simulators=sims)
        try:
            assert sims.idcard is None
            assert reader.read_card() == FIXTURES["young"]
        finally:
            reader.close()


def test_open_reader_with_a_missing_port_reports_no_device() -> None:
    reader = open_reader("serial:///dev/nonexistent-idcard-reader")
    try:
        assert not reader.connected
        status = reader.status()
        assert status.device is DeviceState.NO_DEVICE
        assert "nonexistent-idcard-reader" in status.detail
    finally:
        reader.close()


@pytest.mark.parametrize("url", ["sim://printer", "file:///tmp/x", "usb://0416:5011"])
def test_open_reader_rejects_other_urls(url: str) -> None:
    with pytest.raises(ValueError):
        open_reader(url)
