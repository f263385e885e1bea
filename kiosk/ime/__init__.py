"""A pinyin input method engine for the kiosk's own on-screen keyboard.

Pure Python, offline and deterministic: data from the installed pypinyin, loaded on first
use (or by :func:`warm_up` in a background thread at start-up). The widget in ``screens/``
owns the keys and the candidate bar; this package only decides what the letters mean.

    ime = PinyinIme(mode="name")
    ime.feed("wangxiuying")
    ime.candidates(limit=8)        # ["王秀英", "汪秀英", "王", "汪", ...]
    field.insert(ime.choose("王"))  # ime.letters == "xiuying"
"""

from kiosk.ime.engine import MAX_LETTERS, ImeInputError, Mode, PinyinIme
from kiosk.ime.lexicon import warm_up
from kiosk.ime.syllables import SYLLABLES, segment

__all__ = [
    "MAX_LETTERS",
    "SYLLABLES",
    "ImeInputError",
    "Mode",
    "PinyinIme",
    "segment",
    "warm_up",
]
