"""Phrases looked up by the first letters of their syllables, and matched against readings.

pypinyin's phrase list carries no frequencies, and it was collected to settle readings, so
it holds 北京 and 食言 but not 电话 or 实验. Phrases rank by, first difference wins:
1. the class of their least common character (GB2312 level 1, level 2, the rest);
2. how many longer phrases contain them (北京 is in 北京大学, 北京人 …): a proxy for the
   phrase's own frequency;
3. the mean rank of their characters (the frequent list, then phrase counts);
4. pypinyin's own order (the sort is stable).

Groups are sorted the first time they are looked up, which keeps the one-off build short.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from kiosk.ime.syllables import Token


class Phrase(NamedTuple):
    syllables: tuple[str, ...]
    text: str


class PhraseIndex:
    """Phrases grouped by the first letters of their syllables (``bj`` → 北京, 不见 …)."""

    def __init__(
        self, phrases: Iterable[Phrase], key: Callable[[Phrase], float] | None = None
    ) -> None:
        grouped: dict[str, list[Phrase]] = defaultdict(list)
        for phrase in phrases:
            grouped["".join([s[0] for s in phrase.syllables])].append(phrase)
        self._groups: dict[str, list[Phrase] | tuple[Phrase, ...]] = dict(grouped)
        self._key = key

    def __len__(self) -> int:
        return sum(len(g) for g in self._groups.values())

    def group(self, initials: str) -> tuple[Phrase, ...]:
        """The phrases whose syllables begin with these letters, best first."""
        found = self._groups.get(initials, ())
        if isinstance(found, list):  # first look-up: sort once (idempotent, so thread-safe)
            found = tuple(sorted(found, key=self._key) if self._key else found)
            self._groups[initials] = found
        return found


def matches(index: PhraseIndex, tokens: Sequence[Token], open_end: bool) -> Iterator[Phrase]:
    """Phrases whose syllables the tokens spell. An incomplete token stands for any syllable
    it begins; if ``open_end``, a complete last token also for itself + g (``beijin`` → 北京,
    the g not typed yet), but no other completion, or ``shouji`` would offer 守节 first."""
    last = len(tokens) - 1
    for phrase in index.group("".join([t.text[0] for t in tokens])):
        if len(phrase.syllables) != len(tokens):
            continue
        for i, (token, syllable) in enumerate(zip(tokens, phrase.syllables, strict=True)):
            if syllable == token.text:
                continue
            if token.complete:
                if not (open_end and i == last and syllable == token.text + "g"):
                    break
            elif not syllable.startswith(token.text):
                break
        else:
            yield phrase


def ranked_index(
    phrases: list[Phrase], levels: Mapping[str, int], frequent: Mapping[str, int]
) -> PhraseIndex:
    """The dictionary's phrases, ranked as the module doc says."""
    texts = {p.text for p in phrases}
    contained = Counter(
        [
            text[a:b]
            for text in texts
            if len(text) > 2
            for a in range(len(text) - 1)
            for b in range(a + 2, len(text) + (a > 0))
            if text[a:b] in texts
        ]
    )
    char_total = Counter("".join(texts))
    none = len(frequent)
    rank = {
        c: frequent.get(c, none + 1000 * level + 300 - min(char_total[c], 300))
        for c, level in levels.items()
    }

    def key(p: Phrase) -> float:
        # The three criteria as one number (ranks stay below 10**4), for a fast sort.
        text = p.text
        mean = sum(map(rank.__getitem__, text)) / len(text)
        inside = min(contained[text], 999)
        return max(map(levels.__getitem__, text)) * 10**8 - inside * 10**4 + mean

    return PhraseIndex(phrases, key)
