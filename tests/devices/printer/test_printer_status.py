"""DLE EOT answers → printer flags → the common DeviceStatus, for every byte pattern."""

from __future__ import annotations

import dataclasses as dc
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.printer import protocol as p
from devices.status import DeviceState, ProtocolError, SupplyLevel

FREE_BITS = (0x04, 0x08, 0x20, 0x40)  # bits 2, 3, 5, 6; the others are fixed
VALID = sorted({0x12 | sum(c) for r in range(5) for c in itertools.combinations(FREE_BITS, r)})


def test_there_are_sixteen_valid_answers_per_query() -> None:
    assert len(VALID) == 16 and VALID[0] == 0x12 and VALID[-1] == 0x7E


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_every_malformed_byte_is_a_protocol_error(n: int) -> None:
    for value in set(range(256)) - set(VALID):
        with pytest.raises(ProtocolError):
            p.check_status_byte(n, value)


def test_every_combination_of_answers_maps_consistently() -> None:
    """All 16^4 answer sets: usable exactly when nothing is wrong; paper follows n=4."""
    for a1, a2, a3, a4 in itertools.product(VALID, repeat=4):
        status = p.to_device_status({1: a1, 2: a2, 3: a3, 4: a4})
        wrong = a1 & 0x08 or a2 & 0x64 or a3 & 0x68 or a4 & 0x60
        assert status.usable == (not wrong), (a1, a2, a3, a4)
        assert (status.detail == "") == (not wrong and not a4 & 0x0C)
        paper = status.supplies["paper"]
        if a4 & 0x60 or a2 & 0x20:
            assert paper is SupplyLevel.OUT
        else:
            assert paper is (SupplyLevel.LOW if a4 & 0x0C else SupplyLevel.FULL)
        assert status.vendor["status_known"] is True


@pytest.mark.parametrize(
    ("answers", "device", "detail", "paper"),
    [
        ({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}, DeviceState.ONLINE, "", SupplyLevel.FULL),
        ({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E}, DeviceState.ONLINE, "paper_near_end", "low"),
        ({1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72}, DeviceState.USER_ERROR, "paper_out", "out"),
        ({1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E}, DeviceState.USER_ERROR, "paper_out", "out"),
        ({1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}, DeviceState.USER_ERROR, "cover_open", "full"),
        ({1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12}, DeviceState.HARDWARE_ERROR, "cutter_error", "full"),
        (
            {1: 0x1A, 2: 0x52, 3: 0x32, 4: 0x12},
            DeviceState.HARDWARE_ERROR,
            "unrecoverable_error",
            "full",
        ),
        ({1: 0x1A, 2: 0x52, 3: 0x52, 4: 0x12}, DeviceState.OFFLINE, "recovering", "full"),
        ({1: 0x1A, 2: 0x52, 3: 0x12, 4: 0x12}, DeviceState.HARDWARE_ERROR, "error", "full"),
        ({1: 0x1A, 2: 0x12, 3: 0x12, 4: 0x12}, DeviceState.OFFLINE, "offline", "full"),
        ({1: 0x12}, DeviceState.ONLINE, "", "unknown"),  # DLE EOT 2..4 not supported
    ],
)
def test_named_states(
    answers: dict[int, int], device: DeviceState, detail: str, paper: str
) -> None:
    status = p.to_device_status(answers)
    assert (status.device, status.detail, str(status.supplies["paper"])) == (device, detail, paper)


def test_no_answer_is_unknown_and_not_usable() -> None:
    status = p.to_device_status({})
    assert not status.usable
    assert status.detail == "no_status_answer"
    assert status.supplies["paper"] is SupplyLevel.UNKNOWN
    assert p.status_known(status) is False


def test_unsupported_status_is_flagged_unknown_even_when_online() -> None:
    status = p.unknown_status("status_unsupported", DeviceState.ONLINE)
    assert p.status_known(status) is False
    assert status.supplies["paper"] is SupplyLevel.UNKNOWN
    assert status.to_dict()["detail"] == "status_unsupported"


def test_the_research_reference_bytes() -> None:
    """research/devices.md (b): 0x12 online, 0x1E near-end, 0x72 paper-out, 0x1A offline."""
    assert p.status_bytes(p.PrinterFlags()) == {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
    assert p.status_bytes(p.PrinterFlags(paper_near_end=True))[4] == 0x1E
    assert p.status_bytes(p.PrinterFlags(paper_out=True))[4] == 0x72
    assert p.status_bytes(p.PrinterFlags(online=False))[1] == 0x1A


@given(st.builds(p.PrinterFlags, *[st.booleans()] * 8))
def test_simulator_bytes_parse_back_to_the_same_flags(flags: p.PrinterFlags) -> None:
    error = (
        flags.cutter_error
        or flags.unrecoverable_error
        or flags.auto_recoverable_error
        or flags.error_occurred
    )
    expected = dc.replace(
        flags,
        online=flags.online and not (flags.cover_open or flags.paper_out or error),
        error_occurred=error,
    )
    assert p.parse_flags(p.status_bytes(flags)) == expected
