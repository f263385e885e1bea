"""Column arithmetic and line wrapping for receipt text.

A thermal printer's text grid is fixed: ASCII takes one column (12 dots) and every
double-byte GB character — ideographs and full-width punctuation alike — takes two
(24 dots). Width therefore follows the *encoding*, not Unicode's East-Asian-width
table: ``·`` and ``“`` are one byte pair in GBK and print two columns wide.
"""

from __future__ import annotations

import re

from devices.status import DeviceError

# Characters a Chinese line must not start with (GB/T 15834 punctuation practice);
# when one would, the previous character moves down with it.
NO_LINE_START = frozenset("，。、：；！？）》」』】〕〉”’％…—,.;:!?)]}")

# Lookalikes that printers get wrong, replaced before encoding (research/devices.md §4):
# U+00A5 has no GBK code and GB18030's 4-byte form prints as junk on GBK fonts.
_REPLACE = {"\u00a5": "\uffe5", "\u00a0": " ", "\t": " ", "\r": ""}
_TOKEN = re.compile(r"[!-~]+| +|.", re.DOTALL)


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
    """Break ``text`` into lines of at most ``cols`` columns.

    Latin words stay whole when they fit on a line; Chinese breaks between any two
    characters except before closing punctuation. Spaces at a break are dropped; nothing
    else is. An empty paragraph gives one empty line, so blank lines survive.
    """
    if cols < 2:
        raise EncodeError(f"text is too large for the paper ({cols} column line)")
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(_wrap_paragraph(para, cols))
    return lines


def _wrap_paragraph(para: str, cols: int) -> list[str]:
    lines: list[str] = []
    cur: list[str] = []
    used = 0

    def flush() -> None:
        nonlocal cur, used
        lines.append("".join(cur).rstrip(" "))
        cur, used = [], 0

    for tok in _TOKEN.findall(para):
        width = text_cols(tok)
        if used + width <= cols:
            cur.append(tok)
            used += width
        elif tok.startswith(" "):
            flush()  # the break eats the spaces
        elif len(tok) > 1 and width > cols:
            for ch in tok:  # a word longer than a line: split it anywhere
                if used + 1 > cols:
                    flush()
                cur.append(ch)
                used += 1
        else:
            carry = _carry_for(tok, width, cur, cols)
            flush()
            cur, used = [*carry, tok], text_cols("".join(carry)) + width
    if cur or not lines:
        flush()
    return lines


def _carry_for(tok: str, width: int, cur: list[str], cols: int) -> list[str]:
    """The character to move down so that ``tok`` does not start a line (kinsoku)."""
    if tok not in NO_LINE_START or len(cur) < 2 or len(cur[-1]) != 1 or cur[-1] == " ":
        return []
    if char_cols(cur[-1]) + width > cols:
        return []
    return [cur.pop()]


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
