"""Search over matters by Chinese, full pinyin, pinyin initials and English.

The index is built once, when the catalogue loads. A pinyin query is matched against a
run of syllables where each syllable may be typed in full or cut short, which covers
``gaolingjintie``, ``gljt`` and mixtures such as ``gaoljt`` with one rule.

Ranking, best first: exact match of a whole name, then a prefix, then anywhere inside,
then a Chinese query that only sounds like the name (高令 → 高龄); within each, a match in
the name beats a keyword or code, which beats the department; a reading that is not the
phrase reading (行 read xing in 银行) ranks lower; then the default popularity.
"""

from __future__ import annotations

import dataclasses as dc
from collections.abc import Iterable

from kiosk.catalogue import pinyin
from kiosk.catalogue.model import Matter

EXACT, PREFIX, INSIDE, SOUND = range(4)
NAME, KEYWORD, DEPARTMENT = range(3)


@dc.dataclass(frozen=True)
class _Field:
    weight: int
    text: str  # folded
    compact: str  # folded, letters and digits only ("old-age" → "oldage")
    syllables: pinyin.Syllables
    starts: dict[str, tuple[int, ...]]  # first letter → syllables with a reading so begun
    letters: frozenset[str]  # every letter of every reading, to reject most fields at once


def _field(weight: int, text: str) -> _Field:
    folded = pinyin.fold(text)
    compact = "".join(ch for ch in folded if ch.isalnum())
    syllables = pinyin.syllables(text)
    starts: dict[str, list[int]] = {}
    for i, readings in enumerate(syllables):
        for first in {r[0] for r in readings}:
            starts.setdefault(first, []).append(i)
    letters = frozenset(ch for readings in syllables for r in readings for ch in r)
    frozen_starts = {k: tuple(v) for k, v in starts.items()}
    return _Field(weight, folded, compact, syllables, frozen_starts, letters)


def _fields(matter: Matter) -> tuple[_Field, ...]:
    texts = [
        (NAME, matter.name.zh_CN),
        (NAME, matter.name.en),
        (KEYWORD, matter.code),
        *((KEYWORD, k) for k in matter.keywords),
        (DEPARTMENT, matter.department.name.zh_CN),
        (DEPARTMENT, matter.department.name.en),
    ]
    return tuple(_field(w, t) for w, t in texts if t)


class SearchIndex:
    """Precomputed searchable forms of each matter's names, keywords and department."""

    def __init__(self, matters: Iterable[Matter]) -> None:
        self._entries = [(m, _fields(m)) for m in matters]

    def search(self, query: str, limit: int = 20) -> list[Matter]:
        """Matters matching ``query``, best first; [] for a blank query or no match."""
        q = _Query.of(query)
        if q is None or limit <= 0:
            return []
        scored = []
        for matter, fields in self._entries:
            best = _best(fields, q)
            if best is not None:
                scored.append(((*best, matter.popularity, matter.code), matter))
        scored.sort(key=lambda pair: pair[0])
        return [matter for _, matter in scored[:limit]]


@dc.dataclass(frozen=True)
class _Query:
    text: str  # folded
    compact: str  # letters and digits only
    spoken: str  # pinyin letters to spell with syllables
    letters: frozenset[str]
    sound_only: bool  # spoken comes from Chinese characters: a sound-alike match

    @classmethod
    def of(cls, query: str) -> _Query | None:
        text = pinyin.fold(query[: 4 * pinyin.MAX_QUERY])[: pinyin.MAX_QUERY]
        if not text:
            return None
        compact = "".join(ch for ch in text if ch.isalnum())
        sound_only = pinyin.has_han(text)
        spoken = pinyin.sound_of(text) if sound_only else pinyin.query_pinyin(text)
        return cls(text, compact, spoken, frozenset(spoken), sound_only)


def _best(fields: tuple[_Field, ...], q: _Query) -> tuple[int, int, int] | None:
    """(quality, field weight, reading cost) of the best match among ``fields``."""
    best: tuple[int, int, int] | None = None
    for field in fields:
        quality = _text_quality(field, q.text, q.compact)
        if quality is not None:
            candidate = (quality, field.weight, 0)
            best = candidate if best is None else min(best, candidate)
        if q.spoken and q.letters <= field.letters:
            found = _pinyin_quality(q.spoken, field)
            if found is not None:
                quality, cost = found
                candidate = (SOUND if q.sound_only else quality, field.weight, cost)
                best = candidate if best is None else min(best, candidate)
    return best


def _text_quality(field: _Field, text: str, compact: str) -> int | None:
    for target, probe in ((field.text, text), (field.compact, compact)):
        if not probe:
            continue
        if target == probe:
            return EXACT
        if target.startswith(probe):
            return PREFIX
        if probe in target:
            return INSIDE
    return None


def _pinyin_quality(query: str, field: _Field) -> tuple[int, int] | None:
    """(quality, reading cost) of the best run of the field's syllables that ``query``
    spells."""
    memo: dict[tuple[int, int], tuple[int | None, int | None]] = {}
    best: tuple[int, int] | None = None
    for start in field.starts.get(query[0], ()):
        any_end, whole = _spell(query, field.syllables, 0, start, memo)
        if start == 0 and whole is not None:
            candidate = (EXACT, whole)
        elif any_end is not None:
            candidate = (PREFIX if start == 0 else INSIDE, any_end)
        else:
            continue
        best = candidate if best is None else min(best, candidate)
    return best


def _spell(
    query: str,
    syllables: pinyin.Syllables,
    qi: int,
    si: int,
    memo: dict[tuple[int, int], tuple[int | None, int | None]],
) -> tuple[int | None, int | None]:
    """Least reading cost to spell ``query[qi:]`` from syllable ``si`` on: (ending
    anywhere, ending exactly at the last syllable); None where impossible.

    Each syllable is consumed by a non-empty prefix of one of its readings; the phrase
    reading costs 0, any other reading 1.
    """
    if qi == len(query):
        return 0, (0 if si == len(syllables) else None)
    if si == len(syllables):
        return None, None
    key = (qi, si)
    if key in memo:
        return memo[key]
    any_end: int | None = None
    whole: int | None = None
    for rank, reading in enumerate(syllables[si]):
        cost = 0 if rank == 0 else 1
        n = 0
        while n < len(reading) and qi + n < len(query) and query[qi + n] == reading[n]:
            n += 1
            rest_any, rest_whole = _spell(query, syllables, qi + n, si + 1, memo)
            if rest_any is not None and (any_end is None or rest_any + cost < any_end):
                any_end = rest_any + cost
            if rest_whole is not None and (whole is None or rest_whole + cost < whole):
                whole = rest_whole + cost
    memo[key] = (any_end, whole)
    return any_end, whole
