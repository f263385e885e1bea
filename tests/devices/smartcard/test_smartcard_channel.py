"""T=0 chaining: 61xx → GET RESPONSE (in pieces), 6Cxx → resend with Le; bounded loops."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.smartcard.apdu import CommandApdu, read_record, select_by_name
from devices.smartcard.channel import CardChannel
from devices.smartcard.errors import ApduError, FileNotFound
from devices.smartcard.fixtures import FIXTURES
from devices.smartcard.simcard import SimCard
from devices.smartcard.sscfiles import SSSE_DF_NAME


def scripted(*answers: str) -> tuple[Callable[[bytes], bytes], list[bytes]]:
    """A transmit function replaying ``answers`` (hex) and recording the commands."""
    sent: list[bytes] = []
    queue = [bytes.fromhex(a) for a in answers]

    def transmit(apdu: bytes) -> bytes:
        sent.append(apdu)
        return queue.pop(0)

    return transmit, sent


def test_61xx_is_fetched_with_get_response() -> None:
    transmit, sent = scripted("6104", "0102030490 00")
    response = CardChannel(transmit).send(select_by_name(b"ABC"))
    assert response.data == bytes.fromhex("01020304") and response.ok
    assert sent[1] == bytes.fromhex("00C0000004")


def test_a_long_answer_comes_in_several_pieces() -> None:
    transmit, sent = scripted("6100", "AA" * 256 + "6103", "BBBBBB9000")
    response = CardChannel(transmit).send(select_by_name(b"ABC"))
    assert response.data == b"\xaa" * 256 + b"\xbb" * 3
    assert [s.hex() for s in sent[1:]] == ["00c0000000", "00c0000003"]


def test_6cxx_resends_the_same_command_with_the_right_le() -> None:
    transmit, sent = scripted("6C12", "00" * 18 + "9000")
    command = read_record(1, sfi=5)
    response = CardChannel(transmit).send(command)
    assert len(response.data) == 18
    assert sent == [command.encode(), command.with_le(0x12).encode()]


def test_6cxx_then_61xx_both_resolved() -> None:
    transmit, _ = scripted("6C05", "01026103", "0304059000")
    assert CardChannel(transmit).send(read_record(1, sfi=1)).data == bytes.fromhex("0102030405")


def test_asking_for_another_le_twice_is_an_error() -> None:
    transmit, _ = scripted("6C05", "6C06")
    with pytest.raises(ApduError, match="another Le twice"):
        CardChannel(transmit).send(read_record(1, sfi=1))


def test_an_endless_chain_is_cut_off() -> None:
    def forever(apdu: bytes) -> bytes:
        return b"\x00\x61\x01"

    with pytest.raises(ApduError, match="chain longer"):
        CardChannel(forever, max_chain=10).send(select_by_name(b"X"))


def test_an_empty_answer_is_an_apdu_error() -> None:
    transmit, _ = scripted("")
    with pytest.raises(ApduError, match="status word"):
        CardChannel(transmit).send(select_by_name(b"X"))


def test_check_turns_a_refusal_into_a_typed_error() -> None:
    transmit, _ = scripted("6A82")
    with pytest.raises(FileNotFound) as info:
        CardChannel(transmit).check(select_by_name(b"X"), "SELECT X")
    assert info.value.sw == 0x6A82


def test_the_virtual_chip_needs_the_chaining() -> None:
    chip = SimCard(FIXTURES["ssc"])
    raw = chip.answer(select_by_name(SSSE_DF_NAME).encode())
    assert raw[0] == 0x61  # T=0: the FCI waits
    assert chip.answer(read_record(7, sfi=5).encode())[:1] == b"\x6c"  # wrong Le
    channel = CardChannel(SimCard(FIXTURES["ssc"]).answer)
    fci = channel.check(select_by_name(SSSE_DF_NAME), "SELECT")
    assert SSSE_DF_NAME in fci
    assert channel.check(read_record(7, sfi=5), "READ")[2:] == b"T00000001"
    assert channel.exchanges == 4


@given(st.lists(st.integers(1, 40), min_size=1, max_size=8))
def test_fuzz_get_response_in_any_piece_sizes(pieces: list[int]) -> None:
    """However small the terminal asks, the chip's data comes back whole."""
    chip = SimCard(FIXTURES["bank"])
    fci = CardChannel(chip.answer).check(select_by_name(b"2PAY.SYS.DDF01"), "SELECT")
    raw = chip.answer(select_by_name(b"2PAY.SYS.DDF01").encode())
    got = b""
    i = 0
    while raw[-2] == 0x61:
        le = min(pieces[i % len(pieces)], raw[-1] or 256)
        raw = chip.answer(CommandApdu(0x00, 0xC0, 0x00, 0x00, le=le).encode())
        got += raw[:-2]
        i += 1
    assert raw[-2:] == b"\x90\x00" and got == fci
