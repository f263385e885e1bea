"""SamLink against a scripted in-memory transport: resends, stale replies, lost ports."""

from __future__ import annotations

import collections
import termios

import pytest

from devices.idcard.errors import ChecksumMismatch, SamTransmissionError, TruncatedFrame
from devices.idcard.link import SamLink
from devices.idcard.protocol import (
    CardData,
    Command,
    Response,
    encode_card_data,
    encode_request,
    encode_response,
    reply_fits,
)
from devices.status import DeviceTimeout, DeviceUnavailable

FIND_OK = encode_response(0x9F, bytes(4))
SELECT_OK = encode_response(0x90, bytes(8))
STATUS_OK = encode_response(0x90)


class ScriptedPort:
    """Answers the n-th write with the n-th scripted list of chunks; silence after that."""

    def __init__(self, *answers: list[bytes], fail: BaseException | None = None) -> None:
        self.answers = collections.deque(answers)
        self.written: list[bytes] = []
        self.pending: collections.deque[bytes] = collections.deque()
        self.fail = fail

    def write(self, data: bytes) -> None:
        self.written.append(data)
        if self.answers:
            self.pending.extend(self.answers.popleft())

    def read(self, n: int, timeout: float) -> bytes:
        if self.fail is not None:
            raise self.fail
        return self.pending.popleft() if self.pending else b""

    def close(self) -> None:
        self.answers.clear()


def corrupt(frame: bytes) -> bytes:
    return frame[:-2] + bytes([frame[-2] ^ 1]) + frame[-1:]


def test_a_late_reply_to_an_earlier_command_is_skipped() -> None:
    # find timed out, its 0x9F reply comes late, then the real reply to select
    port = ScriptedPort([FIND_OK, SELECT_OK[:5], SELECT_OK[5:]])
    response = SamLink(port).transact(Command.SELECT_CARD, timeout=0.2)
    assert response == Response(0, 0, 0x90, bytes(8))


def test_a_corrupt_reply_is_asked_for_again() -> None:
    port = ScriptedPort([corrupt(FIND_OK)], [FIND_OK])
    assert SamLink(port, settle=0.01).transact(Command.FIND_CARD, 0.2).sw3 == 0x9F
    assert port.written == [encode_request(Command.FIND_CARD)] * 2


def test_a_corrupt_reply_followed_by_a_good_one_needs_no_resend() -> None:
    port = ScriptedPort([corrupt(FIND_OK), FIND_OK])
    assert SamLink(port, settle=0.01).transact(Command.FIND_CARD, 0.2).sw3 == 0x9F
    assert len(port.written) == 1


def test_corruption_on_every_try_raises_the_typed_error() -> None:
    port = ScriptedPort([corrupt(FIND_OK)], [corrupt(FIND_OK)], [corrupt(FIND_OK)])
    with pytest.raises(ChecksumMismatch):
        SamLink(port, retries=2, settle=0.01).transact(Command.FIND_CARD, 0.2)
    assert len(port.written) == 3


def test_the_sam_saying_our_frame_was_corrupt_makes_us_resend() -> None:
    nak = encode_response(0x10)
    assert SamLink(ScriptedPort([nak], [STATUS_OK])).transact(Command.SAM_STATUS, 0.2).sw3 == 0x90
    with pytest.raises(SamTransmissionError):
        SamLink(ScriptedPort([nak], [nak])).transact(Command.SAM_STATUS, 0.2)


def test_silence_is_a_timeout_and_half_a_reply_is_truncated() -> None:
    with pytest.raises(DeviceTimeout):
        SamLink(ScriptedPort()).transact(Command.FIND_CARD, 0.05)
    with pytest.raises(TruncatedFrame):
        SamLink(ScriptedPort([FIND_OK[:9]])).transact(Command.FIND_CARD, 0.05)


def test_stale_bytes_are_drained_before_sending() -> None:
    port = ScriptedPort()
    port.pending.extend([FIND_OK, b"\x00\x01"])
    port.answers.append([STATUS_OK])
    assert SamLink(port).transact(Command.SAM_STATUS, 0.2) == Response(0, 0, 0x90)


@pytest.mark.parametrize("error", [OSError(5, "Input/output error"), termios.error(5, "EIO")])
def test_port_errors_mean_the_device_is_gone(error: BaseException) -> None:
    with pytest.raises(DeviceUnavailable) as caught:
        SamLink(ScriptedPort(fail=error)).transact(Command.FIND_CARD, 0.2)
    assert caught.value.code == "noDevice"


def test_which_replies_fit_which_commands() -> None:
    read = Response(0, 0, 0x90, encode_card_data(CardData(bytes(256), bytes(1024))))
    find_ok, short_ok = Response(0, 0, 0x9F, bytes(4)), Response(0, 0, 0x90, bytes(8))
    sam_id, failure = Response(0, 0, 0x90, bytes(16)), Response(0, 0, 0x80)
    assert reply_fits(Command.FIND_CARD, find_ok) and not reply_fits(Command.FIND_CARD, short_ok)
    assert reply_fits(Command.SELECT_CARD, short_ok) and not reply_fits(Command.SELECT_CARD, read)
    assert not reply_fits(Command.SELECT_CARD, find_ok)
    assert reply_fits(Command.READ_BASE, read) and not reply_fits(Command.READ_BASE, short_ok)
    assert reply_fits(Command.SAM_ID, sam_id) and not reply_fits(Command.SAM_ID, short_ok)
    assert all(reply_fits(c, failure) for c in Command)
