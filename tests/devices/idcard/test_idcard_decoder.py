"""The streaming frame decoder: resync on garbage, typed errors, and fuzzing."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from devices.idcard.errors import BadLength, ChecksumMismatch, FrameError, TruncatedFrame
from devices.idcard.framing import (
    HEADER_SIZE,
    MAX_LENGTH,
    PREAMBLE,
    Frame,
    FrameDecoder,
    encode_frame,
)

FIND_OK = encode_frame(bytes.fromhex("00009f00000000"))
SELECT_OK = encode_frame(bytes.fromhex("00009000000000000000000000"))
BIG = encode_frame(b"\x00\x00\x90" + bytes(range(256)) * 5)


def kinds(items: list) -> list[type]:
    return [type(i) for i in items]


def test_frames_split_byte_by_byte_come_out_whole() -> None:
    decoder = FrameDecoder()
    out = []
    for b in FIND_OK + BIG:
        out += decoder.feed(bytes([b]))
    assert out == [Frame(FIND_OK[7:-1]), Frame(BIG[7:-1])]
    assert decoder.pending == 0


def test_garbage_between_frames_is_skipped_silently() -> None:
    decoder = FrameDecoder()
    junk = b"\x00\xff\xaa\xaa\x96\x13" + b"\xaa\xaa\xaa\x96\x00"
    out = decoder.feed(junk + FIND_OK + junk + SELECT_OK + b"\xaa\xaa")
    assert kinds(out) == [Frame, Frame]
    assert decoder.discarded == 2 * len(junk)
    assert decoder.pending == 2  # a possible preamble start is kept
    assert decoder.feed(b"\x00") == [] and decoder.pending == 0


def test_a_preamble_split_across_chunks_is_found() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(b"\x01\x02" + FIND_OK[:3]) == []
    assert decoder.feed(FIND_OK[3:]) == [Frame(FIND_OK[7:-1])]


def test_a_corrupt_frame_is_reported_and_the_next_one_kept() -> None:
    corrupt = bytearray(FIND_OK)
    corrupt[10] ^= 0x01
    out = FrameDecoder().feed(bytes(corrupt) + SELECT_OK)
    assert kinds(out) == [ChecksumMismatch, Frame]
    assert out[1] == Frame(SELECT_OK[7:-1])
    assert isinstance(out[0], ChecksumMismatch) and out[0].code == "checksumError"


def test_a_frame_cut_short_by_the_next_is_truncated_as_soon_as_that_one_is_complete() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(BIG[:300]) == []
    assert decoder.feed(FIND_OK[:-1]) == []  # the next frame is not complete yet
    out = decoder.feed(FIND_OK[-1:])
    assert kinds(out) == [TruncatedFrame, Frame]
    assert out[1] == Frame(FIND_OK[7:-1])


def test_a_short_frame_cut_and_followed_is_truncated_not_corrupt() -> None:
    out = FrameDecoder().feed(SELECT_OK[:12] + BIG)
    assert kinds(out) == [TruncatedFrame, Frame]


def test_a_stream_that_stops_mid_frame_is_reported_by_flush() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(BIG[:700]) == []
    errors = decoder.flush()
    assert kinds(errors) == [TruncatedFrame]
    assert decoder.pending == 0
    assert decoder.flush() == []
    assert decoder.feed(FIND_OK) == [Frame(FIND_OK[7:-1])]


def test_flush_of_a_partial_preamble_is_just_garbage() -> None:
    decoder = FrameDecoder()
    decoder.feed(b"\xaa\xaa")
    assert decoder.flush() == []
    assert decoder.discarded == 2


def test_lengths_out_of_range_are_bad_lengths() -> None:
    too_long = PREAMBLE + (MAX_LENGTH + 1).to_bytes(2, "big")
    too_short = PREAMBLE + b"\x00\x02"
    out = FrameDecoder().feed(too_long + too_short + FIND_OK)
    assert kinds(out) == [BadLength, BadLength, Frame]


def test_a_fake_preamble_in_garbage_does_not_hold_up_the_real_frame() -> None:
    # Line noise that looks like the start of a 4 KiB frame, then the real reply.
    fake = PREAMBLE + (MAX_LENGTH - 10).to_bytes(2, "big") + b"\x01\x02"
    out = FrameDecoder().feed(fake + FIND_OK)
    assert kinds(out) == [TruncatedFrame, Frame]
    assert out[-1] == Frame(FIND_OK[7:-1])


# -- fuzzing ------------------------------------------------------------------------------

bodies = st.lists(st.binary(min_size=2, max_size=300), min_size=1, max_size=5)
junk = st.binary(max_size=40).filter(lambda b: PREAMBLE not in b)


def chunked(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    edges = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(bodies, st.lists(junk, min_size=6, max_size=6), st.lists(st.integers(0, 10_000)))
def test_fuzz_frames_in_garbage_split_anywhere_all_come_out(
    frames: list[bytes], noise: list[bytes], cuts: list[int]
) -> None:
    stream = b"".join(n + encode_frame(f) for n, f in zip(noise, frames, strict=False))
    assume(all(PREAMBLE not in f for f in frames))
    decoder = FrameDecoder()
    out: list = []
    for chunk in chunked(stream, cuts):
        out += decoder.feed(chunk)
    assert [i for i in out if isinstance(i, Frame)] == [Frame(f) for f in frames]


@settings(max_examples=300)
@given(st.lists(st.binary(max_size=200), max_size=20))
def test_fuzz_random_bytes_never_crash_and_stay_bounded(chunks: list[bytes]) -> None:
    decoder = FrameDecoder()
    for chunk in chunks:
        for item in decoder.feed(chunk):
            assert isinstance(item, Frame | FrameError)
        assert decoder.pending <= HEADER_SIZE + MAX_LENGTH + len(chunk)
    assert all(isinstance(e, FrameError) for e in decoder.flush())
    assert decoder.pending == 0


@st.composite
def mangled_streams(draw: st.DrawFn) -> bytes:
    """Valid frames, then slices dropped, duplicated or cut off the end."""
    stream = bytearray(b"".join(encode_frame(f) for f in draw(bodies)))
    for _ in range(draw(st.integers(0, 4))):
        a = draw(st.integers(0, len(stream)))
        b = draw(st.integers(a, min(len(stream), a + 50)))
        if draw(st.booleans()):
            del stream[a:b]
        else:
            stream[a:a] = stream[a:b]
    return bytes(stream[: draw(st.integers(0, len(stream)))])


@settings(max_examples=300)
@given(mangled_streams(), st.lists(st.integers(0, 10_000)))
def test_fuzz_mangled_streams_give_frames_or_typed_errors_and_then_recover(
    stream: bytes, cuts: list[int]
) -> None:
    decoder = FrameDecoder()
    for chunk in chunked(stream, cuts):
        for item in decoder.feed(chunk):
            assert isinstance(item, Frame | FrameError)
    decoder.flush()
    # Whatever came before, a clean frame afterwards is decoded.
    assert decoder.feed(FIND_OK) == [Frame(FIND_OK[7:-1])]
