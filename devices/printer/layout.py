"""Column arithmetic and line wrapping for receipt text.

A thermal printer's text grid is fixed: ASCII takes one column (12 dots) and every
double-byte GB character — ideographs and full-width punctuation alike — takes two
(24 dots). Width therefore follows the *encoding*, not Unicode's East-Asian-width
table: ``·`` and ``“`` are one byte pair in GBK and print two columns wide.
"""

from __future__ import annotations

from devices.linebreak import break_lines
from devices.status import DeviceError

# Lookalikes that printers get wrong, replaced before encoding (research/devices.md §4):
# U+00A5 has no GBK code and GB18030's 4-byte form prints as junk on GBK fonts.
_REPLACE = {"\u00a5": "\uffe5", "\u00a0": " ", "\t": " ", "\r": ""}


class EncodeError(DeviceError):
    """Text that cannot be put on paper as asked (a control character, or a character
    outside the printer's encoding when the raster fallback is switched off)."""

    code = "unprintable"


def normalize(text: str) -> str:
    """Replace known lookalikes; reject control characters, which could inject commands."""
    out = "".join(_REPLACE.get(ch, ch) for ch in text)
    for i, ch in enumerate(out):
        if ch != "\n" and (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0):
            raise EncodeError(f"control character U+{ord(ch):04X} at position {i} in text")
    return out


def char_cols(ch: str) -> int:
    """Columns one character takes on the printer: 1 for ASCII, 2 otherwise."""
    return 1 if ord(ch) < 0x80 else 2


def text_cols(text: str) -> int:
    """Columns a line takes."""
    return sum(1 if ord(ch) < 0x80 else 2 for ch in text)


def wrap(text: str, cols: int) -> list[str]:
    """Break ``text`` into lines of at most ``cols`` columns, by the Chinese
    line-breaking rules the screens follow too (devices/linebreak.py): no closing
    punctuation at a line's start, no opening bracket at its end, Latin words and
    numbers whole when they fit. Spaces at a break are dropped; nothing else is. An
    empty paragraph gives one empty line, so blank lines survive.
    """
    if cols < 2:
        raise EncodeError(f"text is too large for the paper ({cols} column line)")
    return break_lines(text, lambda line: text_cols(line) <= cols)


def key_value_lines(key: str, sep: str, value: str, cols: int) -> list[str]:
    """``key + sep + value`` on one line, or the value wrapped with a hanging indent.

    When the key takes more than half the line the value starts on its own line, so a
    long label never squeezes its value into a sliver.
    """
    head = key + sep
    head_cols = text_cols(head)
    if "\n" not in value and head_cols + text_cols(value) <= cols:
        return [head + value]
    if head_cols <= cols // 2:
        body = wrap(value, cols - head_cols)
        return [head + body[0]] + [" " * head_cols + line for line in body[1:]]
    return wrap(head, cols) + wrap(value, cols)


def separator_line(char: str, cols: int) -> str:
    """A rule of ``char`` exactly as wide as the line allows."""
    return char * (cols // char_cols(char))


def align_offset(used: int, room: int, align: str) -> int:
    """Left padding (in the unit of the arguments) placing ``used`` in ``room`` as asked."""
    free = max(room - used, 0)
    if align == "center":
        return free // 2
    if align == "right":
        return free
    return 0
