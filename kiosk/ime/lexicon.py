"""The IME's dictionary: pypinyin's character and phrase readings, reverse-indexed and ranked.

Built once per process on first use (or by :func:`warm_up` from a background thread at
start-up) from ``pypinyin.pinyin_dict`` (codepoint → toned readings) and
``pypinyin.phrases_dict`` (phrase → readings), which the catalogue's search imports anyway.

Which characters: U+4E00–U+9FA5 only, the 20,902 ideographs of GB 13000.1 that GB18030-2000
encodes in two bytes like GBK, so every font, receipt printer and platform form takes them.
Extension A, the compatibility block and everything outside the BMP are left out.

How characters rank for one syllable (first difference wins):
1. readings that are the character's first pypinyin reading or occur in some phrase, before
   readings no phrase uses (王 for ``wang``, not for ``yu``);
2. the hand-kept frequent list (:mod:`kiosk.ime.data`), for the first reading, in its order;
3. GB2312 level 1 (first byte 0xB0–0xD7), level 2 (0xD8–0xF7), then the rest;
4. more phrases using the character with this reading first (a frequency proxy);
5. pypinyin's reading order, then code point, so the order never depends on chance.

Phrases of every length made only of those characters are kept; :mod:`kiosk.ime.phrases`
ranks them. The whole build takes about a second and 30 MB (bench/bench_ime.py).
"""

from __future__ import annotations

import dataclasses as dc
import gc
import heapq
import itertools
import logging
import sys
import threading
import unicodedata
from collections import Counter, defaultdict

from kiosk.ime import data
from kiosk.ime.phrases import Phrase, PhraseIndex, ranked_index
from kiosk.ime.syllables import SYLLABLES, Token, expand

log = logging.getLogger(__name__)

FIRST, LAST = 0x4E00, 0x9FA5
MAX_CHARS = 400  # single characters offered for one prefix of a syllable


_CharKey = tuple[int, int, int, int, int, int]


@dc.dataclass(frozen=True)
class Lexicon:
    chars: dict[str, tuple[str, ...]]  # syllable → characters, best first
    char_keys: dict[str, tuple[tuple[_CharKey, str], ...]]  # the same, with their sort keys
    phrases: PhraseIndex
    common_phrases: PhraseIndex
    given_names: PhraseIndex
    compound_surnames: PhraseIndex
    surnames: tuple[tuple[str, str], ...]  # (surname, syllable), commonest first
    _prefix_cache: dict[str, tuple[str, ...]] = dc.field(default_factory=dict, repr=False)

    def chars_for(self, token: Token) -> tuple[str, ...]:
        """Characters for a syllable, or for every syllable an incomplete token begins."""
        if token.complete:
            return self.chars.get(token.text, ())
        cached = self._prefix_cache.get(token.text)
        if cached is None:
            streams = [self.char_keys.get(s, ()) for s in expand(token)]
            merged = (char for _, char in heapq.merge(*streams))
            cached = tuple(dict.fromkeys(itertools.islice(merged, MAX_CHARS * 2)))[:MAX_CHARS]
            self._prefix_cache[token.text] = cached
        return cached


def _bare(reading: str, cache: dict[str, str]) -> str:
    """``lǜ`` → ``lv``: tone marks dropped, ü written v."""
    found = cache.get(reading)
    if found is None:
        decomposed = unicodedata.normalize("NFD", reading.lower()).replace("u\u0308", "v")
        found = sys.intern("".join(c for c in decomposed if not unicodedata.combining(c)))
        cache[reading] = found
    return found


def _level(char: str) -> int:
    """0 for GB2312 level 1, 1 for level 2, 2 for the rest."""
    try:
        lead = char.encode("gb2312")[0]
    except UnicodeEncodeError:
        return 2
    return 0 if lead <= 0xD7 else 1


class _Builder:
    """One pass over pypinyin's tables; written for speed, as it runs while a citizen waits."""

    def __init__(self) -> None:
        from pypinyin.phrases_dict import phrases_dict
        from pypinyin.pinyin_dict import pinyin_dict

        self.bare_cache: dict[str, str] = {}
        cache = self.bare_cache
        self.readings: dict[str, list[str]] = {}
        for code, toned in pinyin_dict.items():
            if FIRST <= code <= LAST:
                bare = [cache.get(r) or _bare(r, cache) for r in toned.split(",")]
                self.readings[chr(code)] = [s for s in dict.fromkeys(bare) if s in SYLLABLES]
        self.levels = {c: _level(c) for c in self.readings}
        self.frequent = {c: i for i, c in reversed(list(enumerate(data.FREQUENT)))}
        self.phrase_list = self._phrases(phrases_dict)

    def _phrases(self, source: dict[str, list[list[str]]]) -> list[Phrase]:
        out = []
        known = frozenset(self.levels)
        cache = self.bare_cache
        for text, readings in source.items():
            if len(text) < 2 or len(readings) != len(text) or not known.issuperset(text):
                continue
            try:
                syllables = tuple([cache.get(r[0]) or _bare(r[0], cache) for r in readings])
            except IndexError:  # a character with no reading at all
                continue
            if SYLLABLES.issuperset(syllables):
                out.append(Phrase(syllables, text))
        return out

    def common_phrases(self) -> list[Phrase]:
        from pypinyin import Style, lazy_pinyin

        out = []
        for text in data.COMMON_PHRASES.split():
            syllables = tuple(lazy_pinyin(text, style=Style.NORMAL))
            if SYLLABLES.issuperset(syllables) and all(c in self.levels for c in text):
                out.append(Phrase(syllables, text))
        return out

    def char_index(self) -> dict[str, tuple[tuple[_CharKey, str], ...]]:
        uses = Counter(
            (c, s) for p in self.phrase_list for c, s in zip(p.text, p.syllables, strict=True)
        )
        keyed: dict[str, list[tuple[_CharKey, str]]] = defaultdict(list)
        none = len(data.FREQUENT)
        for char, syllables in self.readings.items():
            for rank, syllable in enumerate(syllables):
                count = uses[char, syllable]
                attested = 0 if rank == 0 or count else 1
                frequent = self.frequent.get(char, none) if rank == 0 else none
                key = (attested, frequent, self.levels[char], -count, rank, ord(char))
                keyed[syllable].append((key, char))
        return {s: tuple(sorted(entries)) for s, entries in keyed.items()}


def _build() -> Lexicon:
    gc.disable()  # ~100k new tuples would trigger full collections over pypinyin's tables
    try:
        built = _assemble(_Builder())
    finally:
        gc.enable()
    # Sweep the new objects once now (it untracks the many all-string tuples), or the first
    # young-generation collection after the build would stall some keystroke for ~0.25 s.
    gc.collect(1)
    return built


def _assemble(builder: _Builder) -> Lexicon:
    char_keys = builder.char_index()
    surnames = []
    compound = []
    for text, syllables in data.pairs(data.SURNAMES):
        if len(text) == 1:
            surnames.append((text, syllables[0]))
        else:
            compound.append(Phrase(syllables, text))
    given = [Phrase(syllables, text) for text, syllables in data.pairs(data.GIVEN_NAMES)]
    lexicon = Lexicon(
        chars={s: tuple(c for _, c in entries) for s, entries in char_keys.items()},
        char_keys=char_keys,
        phrases=ranked_index(builder.phrase_list, builder.levels, builder.frequent),
        common_phrases=PhraseIndex(builder.common_phrases()),
        given_names=PhraseIndex(given),
        compound_surnames=PhraseIndex(compound),
        surnames=tuple(surnames),
    )
    log.info(
        "pinyin lexicon built: %d syllables, %d phrases",
        len(lexicon.chars),
        len(builder.phrase_list),
    )
    return lexicon


_lock = threading.Lock()
_built: Lexicon | None = None


def lexicon() -> Lexicon:
    """The process-wide lexicon, built on first call (thread-safe)."""
    global _built
    if _built is None:
        with _lock:
            if _built is None:
                _built = _build()
    return _built


def warm_up() -> None:
    """Build the lexicon now (call from a background thread so no keystroke waits)."""
    lexicon()


def forget() -> None:
    """Drop the built lexicon (for benchmarks that time a cold build)."""
    global _built
    with _lock:
        _built = None
