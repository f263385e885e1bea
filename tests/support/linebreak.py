"""Checks on text already broken into lines, on paper or on screen: where a break falls
that the Chinese line-breaking rules (禁则, devices/linebreak.py) forbid."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from devices.linebreak import NO_LINE_END, NO_LINE_START


def break_faults(lines: Sequence[str]) -> list[str]:
    """Each break between two lines of one paragraph where a line starts with closing
    punctuation or ends with an opening bracket. Spaces at either side do not count (a
    hanging indent, a centred line); an empty line is a paragraph's end."""
    faults = []
    for n, (before, after) in enumerate(itertools.pairwise(lines), 2):
        tail, head = before.rstrip(" "), after.lstrip(" ")
        if not tail or not head:
            continue
        if head[0] in NO_LINE_START:
            faults.append(f"line {n} starts with {head[0]!r}: {tail!r} / {head!r}")
        if tail[-1] in NO_LINE_END:
            faults.append(f"line {n - 1} ends with {tail[-1]!r}: {tail!r} / {head!r}")
    return faults
