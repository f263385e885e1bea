"""The candidates for some pending letters, in the order the citizen sees them.

Groups, each in its own order (see :mod:`kiosk.ime.lexicon`), duplicates dropped:

0. name mode, before any part of the name is chosen: surname + common given name spelling
   all the letters (``wangxiuying`` → 王秀英), compound surnames (欧阳), then single-character
   surnames in order of frequency (``li`` → 李, 黎);
1. phrases spelling all the letters: exactly first, then with an unfinished last syllable
   or typed initials (``beijin``, ``bj`` → 北京); within each, the hand-kept words first
   (common given names in name mode, address and form words otherwise);
2. phrases spelling the first syllables only, longest first;
3. characters for the first syllable; readings in order (``xian`` 先 … before ``xi`` 西 …).

Each candidate knows how many letters it uses, so choosing it leaves the rest pending.
Nothing is memoised here: the letters are names and addresses, and a module-level cache
would keep them after the citizen's session is wiped (the engine keeps only its last result).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from kiosk.ime.lexicon import Lexicon, lexicon
from kiosk.ime.phrases import Phrase, PhraseIndex, matches
from kiosk.ime.syllables import Reading, parse

MAX_CANDIDATES = 400


class Candidate(NamedTuple):
    text: str
    end: int  # the candidate spells letters[:end]


class _Collector:
    def __init__(self) -> None:
        self.found: dict[str, int] = {}

    @property
    def full(self) -> bool:
        return len(self.found) >= MAX_CANDIDATES

    def add(self, texts: Iterable[str], end: int) -> None:
        for text in texts:
            if self.full:
                return
            self.found.setdefault(text, end)


def _exact(phrase: Phrase, reading: Reading) -> bool:
    return all(t.complete and t.text == s for t, s in zip(reading, phrase.syllables, strict=True))


def _names(out: _Collector, lex: Lexicon, readings: tuple[Reading, ...]) -> None:
    for reading in readings:
        for size in (2, 1):  # compound surnames before single ones
            if len(reading) >= size + 2:
                given = list(matches(lex.given_names, reading[size:], open_end=True))
                for surname in _surnames(lex, reading[:size], open_end=False):
                    out.add((surname + g.text for g in given), reading[-1].end)
    for reading in readings:
        if len(reading) >= 2:
            whole = len(reading) == 2
            found = _surnames(lex, reading[:2], open_end=whole)
            out.add(found, reading[1].end)
    for reading in readings:
        out.add(_surnames(lex, reading[:1], open_end=True), reading[0].end)


def _surnames(lex: Lexicon, tokens: Reading, open_end: bool) -> list[str]:
    """Compound surnames for two tokens; single ones for one (an incomplete token stands for
    every syllable it begins), commonest first."""
    if len(tokens) == 2:
        return [p.text for p in matches(lex.compound_surnames, tokens, open_end)]
    token = tokens[0]
    if token.complete:
        return [name for name, s in lex.surnames if s == token.text]
    return [name for name, s in lex.surnames if s.startswith(token.text)]


def ranked(
    letters: str, name_mode: bool = False, name_start: bool = False
) -> tuple[Candidate, ...]:
    """Every candidate for ``letters`` (lowercase a–z and apostrophes), best first."""
    lex = lexicon()
    readings = parse(letters).readings
    out = _Collector()
    if name_mode and name_start:
        _names(out, lex, readings)
    first = lex.given_names if name_mode else lex.common_phrases
    sources: list[PhraseIndex] = [first, lex.phrases]
    for exact in (True, False):
        for reading in readings:
            if len(reading) < 2:
                continue
            for index in sources:
                found = matches(index, reading, open_end=True)
                out.add((p.text for p in found if _exact(p, reading) == exact), reading[-1].end)
    longest = max((len(r) for r in readings), default=0)
    for size in range(longest - 1, 1, -1):
        for reading in readings:
            if len(reading) > size:
                for index in sources:
                    found = matches(index, reading[:size], open_end=False)
                    out.add((p.text for p in found), reading[size - 1].end)
    for reading in readings:
        out.add(lex.chars_for(reading[0]), reading[0].end)
    return tuple(Candidate(text, end) for text, end in out.found.items())
