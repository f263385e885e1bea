"""The ESC/POS decoder: what it reads back, and that hostile streams give typed errors."""

from __future__ import annotations

import contextlib

import escpos.constants as ec
import pytest
from escpos.printer import Dummy
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.printer import QR, Barcode, Cut, Element, KeyValue, Separator, Text
from devices.printer import ops as o
from devices.printer.decode import DecodeError, StreamDecoder, decode
from devices.printer.encoder import encode
from devices.status import ProtocolError

DOC: list[Element] = [
    Text("受理回执", size=2, bold=True, align="center"),
    Separator(),
    KeyValue("办件编号", "370102202405060000123"),
    Text("金额：（100）￥ Total"),
    QR("https://zwfw.example.gov.cn/progress?no=1", size=5),
    Barcode("AB12"),
    Cut(),
]


def test_document_round_trip() -> None:
    job = decode(encode(DOC, "58mm"))
    assert job.lines == [
        "受理回执",
        "-" * 32,
        "办件编号：370102202405060000123",
        "金额：（100）￥ Total",
    ]
    title = job.ops[1]
    assert title == o.Line("受理回执", bold=True, width=2, height=2, align="center")
    assert job.qr_payloads == ["https://zwfw.example.gov.cn/progress?no=1"]
    assert job.cuts == ["partial"]
    (barcode,) = [op for op in job.ops if isinstance(op, o.BarcodeSymbol)]
    assert (barcode.kind, barcode.data, barcode.hri) == ("CODE128", b"AB12", True)


def test_gbk_stream_decodes_with_gbk() -> None:
    assert decode(encode([Text("告知单")], "80mm-gbk"), "gbk").lines == ["告知单"]


def test_python_escpos_output_decodes() -> None:
    """Cross-check with a second encoder: python-escpos's own bytes."""
    d = Dummy()
    d.set(align="center", bold=True, double_height=True)
    d.text("Hello\n")
    d.set_with_default()
    d.qr("https://x.cn", native=True, size=6, ec=ec.QR_ECLEVEL_M)
    d.cut()
    job = decode(d.output)
    assert job.ops[0] == o.Line("Hello", bold=True, width=1, height=2, align="center")
    assert job.qr_payloads == ["https://x.cn"]
    assert job.cuts == ["full"]


def test_text_outside_kanji_mode_is_code_page_437() -> None:
    # GB18030 bytes without FS & (python-escpos's way) print as CP437 on a strict printer.
    assert decode("金".encode("gb18030") + b"\n").lines == ["╜≡"]


def test_four_byte_gb18030_in_kanji_mode() -> None:
    assert decode(b"\x1c&\x81\x39\xee\x39\x1c.\n").lines == ["㐀"]


def test_status_queries_are_ops_not_text() -> None:
    job = decode(b"\x10\x04\x01\x10\x04\x04")
    assert job.ops == (o.StatusQuery(1), o.StatusQuery(4))


def test_cut_with_feed_and_raster() -> None:
    stream = b"\x1dv0\x00\x01\x00\x02\x00\xff\x81" + b"\x1dVB\x10"
    job = decode(stream)
    (image,) = job.rasters
    assert image.ink().tolist() == [[True] * 8, [True] + [False] * 6 + [True]]
    assert job.ops[1:] == (o.FeedDots(16), o.PaperCut("partial"))


def test_text_is_flushed_by_a_feed_command() -> None:
    assert decode(b"abc\x1bd\x02").ops == (o.Line("abc"), o.FeedLines(2))


@pytest.mark.parametrize(
    ("stream", "message"),
    [
        (b"\x1b\x99\x00", "unsupported command ESC"),
        (b"\x1d\x99\x00", "unsupported command GS"),
        (b"\x07", "unexpected control byte 0x07"),
        (b"\x1c&\x80\x41", "cannot start a GB character"),
        (b"\x1c&\xb0\x0a", "bad gb18030 byte sequence"),
        (b"\x1dv0\x00\xff\xff\xff\xff", "refused"),
        (b"\x1d(k\x03\x000A0", "only QR codes"),
        (b"\x1d(k\x03\x001Z0", "bad QR function"),
        (b"\x1d!\x88", "bad character size"),
        (b"\x1dV\x07", "bad cut mode"),
        (b"\x1bt\x11", "code page"),
        (b"\x10\x04\x09", "DLE"),
        (b"\x1dv0\x00\x02\x00\x02\x00\xff", "ends inside a command"),
        (b"\x1c&\xb0", "ends inside a command"),
    ],
)
def test_malformed_streams_name_the_problem(stream: bytes, message: str) -> None:
    with pytest.raises(DecodeError, match=message) as info:
        decode(stream)
    assert isinstance(info.value, ProtocolError) and info.value.code == "badStream"


def test_error_names_the_offset() -> None:
    with pytest.raises(DecodeError, match="offset 5"):
        decode(b"abc\n\n\x07")


@given(st.binary(max_size=400))
def test_random_bytes_never_crash(stream: bytes) -> None:
    with contextlib.suppress(DecodeError):
        decode(stream)


FRAGMENTS = st.sampled_from(
    [
        b"\x1b@",
        b"\x1c&",
        b"\x1c.",
        b"\n",
        b"\x1ba\x01",
        b"\x1d!\x11",
        b"\xb0\xa1",
        b"\x81\x39\xee\x39",
        b"\x1dv0\x00\x01\x00\x01\x00",
        b"\x1d(k\x04\x001A2\x00",
        b"\x1d(k\x05\x001P0AB",
        b"\x1d(k\x03\x001Q0",
        b"\x1dkI\x02",
        b"\x1dk\x04AB\x00",
        b"\x1dVA",
        b"\x10\x04",
        b"\x1bd",
    ]
)
STREAMS = st.lists(st.one_of(FRAGMENTS, st.binary(max_size=4)), max_size=40).map(b"".join)


@given(STREAMS)
def test_command_shaped_garbage_never_crashes(stream: bytes) -> None:
    with contextlib.suppress(DecodeError):
        decode(stream)


@settings(max_examples=60)
@given(st.lists(st.integers(1, 50), max_size=20))
def test_stream_in_pieces_decodes_like_the_whole(cuts: list[int]) -> None:
    stream = encode(DOC, "80mm") + b"\x10\x04\x01" + encode([Text("第二张 2")], "80mm")
    decoder, found, pos = StreamDecoder(), [], 0
    for size in [*cuts, len(stream)]:
        for _, out in decoder.feed(stream[pos : pos + size]):
            found.extend(out)
        pos += size
    found.extend(decoder.finish())
    assert tuple(found) == decode(stream).ops


def test_stream_decoder_reports_raw_bytes_per_command() -> None:
    events = StreamDecoder().feed(b"\x1b@AB\n\x10\x04\x01")
    assert [raw for raw, _ in events] == [b"\x1b@", b"AB", b"\n", b"\x10\x04\x01"]
