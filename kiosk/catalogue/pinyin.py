"""Pinyin readings of catalogue text and normalisation of what the citizen types.

Catalogue text becomes a sequence of syllables, each with its readings: the first is the
phrase-aware reading (pypinyin knows 银行 is yin-hang and 重度 is zhong-du), the others
are the character's other readings (行 xing/hang/heng), so a citizen who guesses the other
reading still finds the matter, ranked lower. ``lv`` is also indexed as ``lu`` because
few people type ``v`` for ü.
"""

from __future__ import annotations

import functools
import re
import unicodedata

Syllables = tuple[tuple[str, ...], ...]

MAX_QUERY = 64  # characters; bounds the work one keystroke can cause
MAX_READINGS = 4
_HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_LATIN = re.compile(r"[^a-z0-9]+")
_TONE_DIGIT = re.compile(r"(?<=[a-z])[1-5]")
_SPACE = re.compile(r"\s+")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def fold(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: the form text is compared in."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _bare(text: str) -> str:
    """Folded, with tone marks and other accents removed (``gāo`` → ``gao``, ``ü`` → ``u``)."""
    decomposed = unicodedata.normalize("NFKD", fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def latin(text: str) -> str:
    """Only a-z and 0-9, accents removed."""
    return _NOT_LATIN.sub("", _bare(text))


def query_pinyin(query: str) -> str:
    """The latin key of a typed query, tone digits dropped too (``gao1ling2`` → ``gaoling``)."""
    return _NOT_LATIN.sub("", _TONE_DIGIT.sub("", _bare(query)))


def sound_of(query: str) -> str:
    """A Chinese query as plain pinyin letters (高令 → gaoling), to find sound-alikes."""
    from pypinyin import Style, lazy_pinyin

    return latin("".join(lazy_pinyin(query, style=Style.NORMAL)))


@functools.lru_cache(maxsize=4096)
def syllables(text: str) -> Syllables:
    """The syllables of ``text``; non-Chinese runs become one syllable per word."""
    out: list[tuple[str, ...]] = []
    for i, run in enumerate(_HAN_RUN.split(fold(text))):
        if i % 2:
            out.extend(_han_syllables(run))
        else:
            out.extend((word,) for word in latin_words(run))
    return tuple(out)


def latin_words(text: str) -> list[str]:
    return [w for w in _NOT_LATIN.split(_bare(text)) if w]


def _han_syllables(run: str) -> list[tuple[str, ...]]:
    from pypinyin import Style, lazy_pinyin

    primary = lazy_pinyin(run, style=Style.NORMAL)
    if len(primary) != len(run):  # a character pypinyin does not know broke the alignment
        primary = [lazy_pinyin(c, style=Style.NORMAL)[0] for c in run]
    return [_readings(c, p) for c, p in zip(run, primary, strict=True)]


@functools.lru_cache(maxsize=8192)
def _readings(char: str, primary: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    found = [primary, *pinyin(char, heteronym=True, style=Style.NORMAL)[0]]
    out: list[str] = []
    for reading in found:
        key = latin(reading)
        for variant in (key, key.replace("v", "u")):
            if variant and variant not in out:
                out.append(variant)
    return tuple(out[:MAX_READINGS]) or (char,)


def clear_caches() -> None:
    """Forget memoised readings (for benchmarks that time a cold index build)."""
    syllables.cache_clear()
    _readings.cache_clear()
