"""BER-TLV as EMV uses it (EMV 4.3 Book 3 Annex B; ISO/IEC 7816-4 §5.2). Pure.

* tag: 1 byte, or more when the low five bits of the first byte are all set; each further
  byte with bit 8 set is followed by another (at most 4 bytes here; EMV uses up to 3);
* length: one byte below 0x80, else 0x81..0x84 followed by that many length bytes
  (indefinite length 0x80 is not allowed in EMV);
* bit 6 of the first tag byte marks a constructed object, whose value is itself TLV;
* ``00`` and ``FF`` bytes before, between and after objects mean nothing and are skipped.

Anything else raises :class:`TlvError`: the parser never fails another way, never loops
(each step consumes input; nesting is bounded), and a ``repr`` never shows a value.
"""

from __future__ import annotations

import dataclasses as dc
from collections.abc import Iterable, Iterator

from devices.smartcard.errors import TlvError

MAX_TAG_BYTES = 4
MAX_LENGTH_BYTES = 4
MAX_DEPTH = 16
_PADDING = (0x00, 0xFF)


@dc.dataclass(frozen=True, repr=False)
class Tlv:
    tag: int
    value: bytes
    children: tuple[Tlv, ...] = ()

    @property
    def constructed(self) -> bool:
        return is_constructed(self.tag)

    def find(self, tag: int) -> Tlv | None:
        """The first object with ``tag`` among the descendants, depth first."""
        return find(self.children, tag)

    def walk(self) -> Iterator[Tlv]:
        """This object and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def __repr__(self) -> str:
        return f"Tlv({self.tag:X}, {len(self.value)} bytes)"


def tag_bytes(tag: int) -> bytes:
    if tag < 0:
        raise ValueError("a tag is a non-negative number")
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")


def is_constructed(tag: int) -> bool:
    return bool(tag_bytes(tag)[0] & 0x20)


def parse(data: bytes, *, _depth: int = 0) -> tuple[Tlv, ...]:
    """All objects in ``data``; constructed ones with their children parsed too."""
    if _depth > MAX_DEPTH:
        raise TlvError(f"TLV nested deeper than {MAX_DEPTH} levels")
    objects: list[Tlv] = []
    i, end = 0, len(data)
    while i < end:
        if data[i] in _PADDING:
            i += 1
            continue
        tag, i = _read_tag(data, i)
        length, i = _read_length(data, i)
        if length > end - i:
            raise TlvError(f"tag {tag:X}: length {length} runs past the end ({end - i} left)")
        value = bytes(data[i : i + length])
        i += length
        children = parse(value, _depth=_depth + 1) if is_constructed(tag) else ()
        objects.append(Tlv(tag, value, children))
    return tuple(objects)


def _read_tag(data: bytes, i: int) -> tuple[int, int]:
    first = data[i]
    tag, i = first, i + 1
    if first & 0x1F != 0x1F:
        return tag, i
    for _ in range(MAX_TAG_BYTES - 1):
        if i >= len(data):
            raise TlvError(f"tag {tag:X} cut short")
        byte = data[i]
        tag, i = tag << 8 | byte, i + 1
        if not byte & 0x80:
            return tag, i
    raise TlvError(f"tag {tag:X}… longer than {MAX_TAG_BYTES} bytes")


def _read_length(data: bytes, i: int) -> tuple[int, int]:
    if i >= len(data):
        raise TlvError("length missing at the end")
    first = data[i]
    if first < 0x80:
        return first, i + 1
    count = first & 0x7F
    if count == 0:
        raise TlvError("indefinite length (0x80) is not allowed")
    if count > MAX_LENGTH_BYTES:
        raise TlvError(f"length of {count} bytes is too long")
    if i + 1 + count > len(data):
        raise TlvError("length bytes cut short")
    return int.from_bytes(data[i + 1 : i + 1 + count], "big"), i + 1 + count


def find(objects: Iterable[Tlv], tag: int) -> Tlv | None:
    """The first object with ``tag`` in ``objects`` or their descendants, depth first."""
    for obj in objects:
        for node in obj.walk():
            if node.tag == tag:
                return node
    return None


def find_value(objects: Iterable[Tlv], tag: int) -> bytes | None:
    node = find(objects, tag)
    return None if node is None else node.value


def parse_dol(data: bytes) -> tuple[tuple[int, int], ...]:
    """A data object list (EMV Book 3 §5.4): tags and lengths, no values (e.g. a PDOL)."""
    items: list[tuple[int, int]] = []
    i = 0
    while i < len(data):
        tag, i = _read_tag(data, i)
        length, i = _read_length(data, i)
        items.append((tag, length))
    return tuple(items)


# -- encoding (the simulator's side, and tests) ---------------------------------------------


def encode_length(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    if len(body) > MAX_LENGTH_BYTES:
        raise ValueError("value too long for BER-TLV")
    return bytes((0x80 | len(body),)) + body


def encode(tag: int, value: bytes) -> bytes:
    return tag_bytes(tag) + encode_length(len(value)) + value


def encode_constructed(tag: int, *children: bytes) -> bytes:
    if not is_constructed(tag):
        raise ValueError(f"tag {tag:X} is primitive")
    return encode(tag, b"".join(children))


def encode_dol(items: Iterable[tuple[int, int]]) -> bytes:
    return b"".join(tag_bytes(tag) + encode_length(length) for tag, length in items)
