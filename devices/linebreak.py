"""Line breaking for Chinese (and mixed Chinese and Latin) text: one rule for the screen
and for paper.

The rules are the 禁则 of Chinese typesetting (GB/T 15834-2011, and the W3C's
*Requirements for Chinese Text Layout* §3.1.7):

- 行首禁则: closing punctuation never starts a line (。，、；：？！ closing brackets and
  quotes, ％, the ellipsis …… and the dash ——, which also stay in one piece);
- 行尾禁则: an opening bracket or quote never ends a line, nor a currency sign that
  belongs to the amount after it (￥12.50);
- a word (a run of Latin letters, digits and their punctuation: ``App``, ``12.50``,
  ``2026-12-25``, ``9:00–9:30``, ``station’s``) is kept whole when it fits on a line;
- between any other two Chinese characters a line may break; at ASCII spaces too, and
  the spaces at a break are dropped.

A character that must not start a line takes the one before it along to the next line
(oidashi, as word processors do); nothing is ever squeezed past the width. Only a piece
too long for a whole line is split, at its characters.

Width is the caller's: :func:`break_lines` asks ``fits(line)`` of each line it builds, so
the printer counts columns (devices/printer/layout.py) and a screen label measures its
font (screens/labels.py). The module lives at the bottom layer, with no imports of its
own, so paper uses it here and the screens reach it through kiosk/linebreak.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Fits = Callable[[str], bool]

# 行首禁则: characters a line must not start with.
NO_LINE_START = frozenset("，。、：；！？）》」』】〕〉〗〙〛］｝”’％‰℃°…‥—·・～．,.;:!?)]}%")
# 行尾禁则: characters a line must not end with.
NO_LINE_END = frozenset("（《「『【〔〈〖〘〚［｛“‘￥＄([{$¥£€#＃№")

# Characters of the wide scripts, between any two of which a line may break: CJK
# ideographs, kana, hangul, CJK punctuation and the full-width forms (but for full-width
# digits and letters, which make words).
_WIDE = (
    "\u1100-\u11ff\u2e80-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\ua960-\ua97f"
    "\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40"
    "\uff5b-\uff65\uffe0-\uffe6\U00020000-\U0003ffff"
)
# A word is a run of anything else but spaces: Latin words with their punctuation
# (station’s, e-mail), numbers (12.50, 2026-12-25, 9:00–9:30), ¥12. Chinese opening quotes
# and the double closing quote stay out of words: they sit between Chinese characters.
_UNIT = re.compile(f"[^ {_WIDE}“”‘]+| +|.", re.DOTALL)


def units(paragraph: str) -> list[str]:
    """The smallest pieces of a paragraph: a word, a run of spaces, or one character."""
    return _UNIT.findall(paragraph)


def pieces(paragraph: str) -> list[str]:
    """The paragraph cut where a line may break: units glued together where 禁则 forbid a
    break between them (across spaces too: ``word .``, ``（ 首``). A run of spaces between
    two pieces is a piece of its own: a line may break there."""
    out: list[str] = []
    for unit in units(paragraph):
        if len(out) > 1 and _blank(out[-1]) and unit[0] in NO_LINE_START:
            spaces = out.pop()
            out[-1] += spaces + unit
        elif out and _glued(out[-1], unit):
            out[-1] += unit
        else:
            out.append(unit)
    return out


def _blank(piece: str) -> bool:
    return not piece.strip(" ")


def _glued(before: str, after: str) -> bool:
    if before.rstrip(" ")[-1:] in NO_LINE_END:
        return True
    return not _blank(after) and after[0] in NO_LINE_START


def break_lines(text: str, fits: Fits) -> list[str]:
    """``text`` in lines that each satisfy ``fits``, broken by the rules above.

    Newlines in ``text`` start new lines (an empty paragraph gives an empty line, so
    blank lines survive). Nothing but the spaces at a break is dropped. ``fits`` must be
    monotone: a line that fits still fits with its end cut off.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _break_paragraph(paragraph, fits)
    return lines


def _break_paragraph(paragraph: str, fits: Fits) -> list[str]:
    *lines, last = _fill(pieces(paragraph), fits, lambda piece: _split(piece, fits))
    if last.strip(" ") or not lines:
        lines.append(last.rstrip(" "))
    return lines


def _split(piece: str, fits: Fits) -> list[str]:
    """A piece too long for a line: at its units first, then at its characters. Every
    line gets at least one character, so even an impossible width ends."""
    return _fill(units(piece), fits, lambda unit: _characters(unit, fits))


def _fill(parts: list[str], fits: Fits, cut: Callable[[str], list[str]]) -> list[str]:
    """``parts`` laid on lines greedily, breaking only between parts; the spaces at a
    break are dropped, and a part too long for a whole line is ``cut`` into lines, the
    last of which goes on. The last line, unfinished, is the last item."""
    lines: list[str] = []
    line = ""
    for part in parts:
        if fits(line + part):
            line += part
            continue
        if line.strip(" "):
            lines.append(line.rstrip(" "))
        line = ""
        if _blank(part):
            continue  # the break eats the spaces
        if fits(part):
            line = part
        else:
            *full, line = cut(part)
            lines += full
    return [*lines, line]


def _characters(unit: str, fits: Fits) -> list[str]:
    lines: list[str] = []
    line = ""
    for ch in unit:
        if line and not fits(line + ch):
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line]
