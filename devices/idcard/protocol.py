"""The SAM frame protocol of 2nd-generation ID card readers (GA/T 467; research §2.2-2.5).

Pure: bytes in, bytes out, no I/O. Frames look like::

    request : AA AA AA 96 69 | LEN_H LEN_L | CMD PARA DATA… | CHK
    response: AA AA AA 96 69 | LEN_H LEN_L | SW1 SW2 SW3 DATA… | CHK

``LEN`` counts the bytes after itself up to and including ``CHK``; ``CHK`` is the XOR of
every byte from ``LEN_H`` to the last data byte. The check byte is always computed here,
never copied from published samples (some of those are wrong).
"""

from __future__ import annotations

import dataclasses as dc
import enum

from devices.idcard import errors
from devices.idcard.framing import PREAMBLE as PREAMBLE
from devices.idcard.framing import Frame as Frame
from devices.idcard.framing import FrameDecoder as FrameDecoder
from devices.idcard.framing import encode_frame
from devices.idcard.framing import xor_check as xor_check

TEXT_SIZE = 256  # UCS-2LE text block (research §2.5)
PHOTO_SIZE = 1024  # WLT photo
SAM_ID_SIZE = 16  # management info returned by 12 FF


class Command(enum.Enum):
    """(CMD, PARA) pairs from GA/T 467 ch. 7 as published in research §2.3."""

    RESET = (0x10, 0xFF)  # 复位SAM
    SAM_STATUS = (0x11, 0xFF)  # SAM状态检测
    SAM_ID = (0x12, 0xFF)  # 读SAM管理信息
    FIND_CARD = (0x20, 0x01)  # 寻找证/卡
    SELECT_CARD = (0x20, 0x02)  # 选取证/卡
    READ_BASE = (0x30, 0x01)  # 读固定信息: text + photo
    READ_WITH_FINGERPRINT = (0x30, 0x10)  # text + photo + fingerprint

    @property
    def cmd(self) -> int:
        return self.value[0]

    @property
    def para(self) -> int:
        return self.value[1]


class SamStatus(enum.IntEnum):
    """SW3 values (research §2.4; libsamv.h). SW1 = SW2 = 0x00 on success."""

    SUCCESS = 0x90
    NO_CONTENT = 0x91
    FIND_SUCCESS = 0x9F
    CHECKSUM_ERROR = 0x10
    LENGTH_ERROR = 0x11
    COMMAND_ERROR = 0x21
    UNAUTHORISED_OPERATION = 0x23
    UNRECOGNISED_ERROR = 0x24
    CARD_AUTH_OF_SAM_FAILED = 0x31
    SAM_AUTH_OF_CARD_FAILED = 0x32
    INFO_VERIFY_ERROR = 0x33
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_FAILED = 0x47
    SELF_TEST_FAILED = 0x60
    SAM_NOT_AUTHORISED = 0x66
    FIND_FAILED = 0x80
    SELECT_FAILED = 0x81


STATUS_TEXT: dict[int, str] = {
    0x90: "success (操作成功)",
    0x91: "no content for this item (无此项内容)",
    0x9F: "card found (寻找证/卡成功)",
    0x10: "SAM received a frame with a bad checksum (接收业务终端数据的校验和错)",
    0x11: "SAM received a frame with a bad length (接收业务终端数据的长度错)",
    0x21: "command error: bad value or sequence (接收业务终端的命令错误)",
    0x23: "unauthorised operation (越权操作)",
    0x24: "unrecognised error (无法识别的错误)",
    0x31: "card failed to authenticate the SAM (证/卡认证SAM失败)",
    0x32: "SAM failed to authenticate the card (SAM认证证/卡失败)",
    0x33: "information verification error (信息验证错误)",
    0x40: "unrecognised card type (无法识别的证/卡类型)",
    0x41: "read card failed (读证/卡操作失败)",
    0x47: "get random number failed (取随机数失败)",
    0x60: "SAM self-test failed (SAM自检失败)",
    0x66: "SAM not authorised (SAM未经授权)",
    0x80: "find card failed: no card (寻找证/卡失败)",
    0x81: "select card failed (选取证/卡失败)",
}

_ERRORS: dict[int, type[errors.IdCardError]] = {
    0x80: errors.NoCard,
    0x81: errors.CardRemoved,
    0x41: errors.CardRemoved,
    0x40: errors.UnsupportedCard,
    0x66: errors.SamNotAuthorised,
    0x10: errors.SamTransmissionError,
    0x11: errors.SamTransmissionError,
    0x31: errors.CardAuthenticationFailed,
    0x32: errors.CardAuthenticationFailed,
    0x33: errors.CardAuthenticationFailed,
    0x60: errors.SamFault,
}


def describe_status(sw3: int) -> str:
    return STATUS_TEXT.get(sw3, f"unknown SAM status 0x{sw3:02X}")


def error_for_status(sw3: int) -> errors.IdCardError:
    """The typed exception for a failing SW3 (caller decides which values are failures)."""
    return _ERRORS.get(sw3, errors.SamError)(describe_status(sw3), status=sw3)


def encode_request(command: Command, data: bytes = b"") -> bytes:
    return encode_frame(bytes([command.cmd, command.para]) + data)


def encode_response(sw3: int, data: bytes = b"", *, sw1: int = 0, sw2: int = 0) -> bytes:
    return encode_frame(bytes([sw1, sw2, sw3]) + data)


@dc.dataclass(frozen=True)
class Request:
    cmd: int
    para: int
    data: bytes = b""


@dc.dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    sw3: int
    data: bytes = dc.field(default=b"", repr=False)


def parse_request(frame: Frame) -> Request:
    if len(frame.body) < 2:
        raise errors.MalformedFrame(f"request of {len(frame.body)} bytes has no CMD/PARA")
    return Request(frame.body[0], frame.body[1], frame.body[2:])


def parse_response(frame: Frame) -> Response:
    if len(frame.body) < 3:
        raise errors.MalformedFrame(f"response of {len(frame.body)} bytes has no SW1-SW3")
    b = frame.body
    return Response(b[0], b[1], b[2], b[3:])


def reply_fits(command: Command, response: Response) -> bool:
    """Whether ``response`` can be the reply to ``command``, judged by status and size.

    Frames carry no sequence number, so a reply that arrives after its command timed out
    would otherwise be taken for the reply to the next one. Only find answers 0x9F; a
    read's success carries the card data, other successes a few bytes. Failures look
    alike for every command and always fit.
    """
    if response.sw3 == SamStatus.FIND_SUCCESS:
        return command is Command.FIND_CARD
    if response.sw3 != SamStatus.SUCCESS:
        return True
    carries_card = len(response.data) >= TEXT_SIZE
    if command in (Command.READ_BASE, Command.READ_WITH_FINGERPRINT):
        return carries_card
    if command is Command.SAM_ID:
        return len(response.data) >= SAM_ID_SIZE and not carries_card
    return command is not Command.FIND_CARD and not carries_card


@dc.dataclass(frozen=True)
class CardData:
    """The data of a successful read: text, WLT photo and, for ``30 10``, fingerprints."""

    text: bytes = dc.field(repr=False)
    photo: bytes = dc.field(repr=False)
    fingerprint: bytes | None = dc.field(default=None, repr=False)


def split_card_data(data: bytes, *, with_fingerprint: bool) -> CardData:
    """Split a read reply: big-endian lengths (2 or 3 of them) then the blocks in order."""
    count = 3 if with_fingerprint else 2
    if len(data) < 2 * count:
        raise errors.MalformedFrame("read reply too short for its length fields")
    sizes = [int.from_bytes(data[2 * i : 2 * i + 2], "big") for i in range(count)]
    if 2 * count + sum(sizes) != len(data):
        raise errors.MalformedFrame(
            f"read reply lengths {sizes} do not add up to {len(data)} bytes"
        )
    if sizes[0] != TEXT_SIZE:
        raise errors.MalformedFrame(f"text block is {sizes[0]} bytes, expected {TEXT_SIZE}")
    pos = 2 * count
    blocks = []
    for size in sizes:
        blocks.append(data[pos : pos + size])
        pos += size
    return CardData(blocks[0], blocks[1], blocks[2] if with_fingerprint else None)


def encode_card_data(card: CardData) -> bytes:
    """The inverse of :func:`split_card_data` (used by the simulator)."""
    blocks = [card.text, card.photo]
    if card.fingerprint is not None:
        blocks.append(card.fingerprint)
    sizes = b"".join(len(b).to_bytes(2, "big") for b in blocks)
    return sizes + b"".join(blocks)


def format_sam_id(data: bytes) -> str:
    """SAM management info (16 bytes) as the usual ``05.01-20101209-0016372569-3221192013``.

    Two little-endian 16-bit and three 32-bit fields, after public SDK code [P].
    """
    if len(data) < SAM_ID_SIZE:
        raise errors.MalformedFrame(f"SAM id reply has {len(data)} bytes, expected {SAM_ID_SIZE}")
    h1, h2 = (int.from_bytes(data[i : i + 2], "little") for i in (0, 2))
    d1, d2, d3 = (int.from_bytes(data[i : i + 4], "little") for i in (4, 8, 12))
    return f"{h1:02d}.{h2:02d}-{d1:08d}-{d2:010d}-{d3:010d}"
