"""Pinyin syllables and the segmentation of what the citizen types into them.

The table is the 414 toneless syllables that pypinyin 0.55 gives the characters the IME
offers (U+4E00–U+9FA5), ``ü`` written ``v`` (``lv`` 绿, ``nve`` 虐). The interjection-only
readings m, n, ng, hm and hng are left out: they would split ``xian`` into ``xia'n`` and
``ang`` into ``a'ng``. ``lue``/``nue`` are accepted for ``lve``/``nve``, as every IME does.

Segmentation works in tiers, best first, so the engine never has to guess:

1. complete syllables only, every way (greedy longest-first order: ``xian`` before
   ``xi'an``);
2. else complete syllables and a final incomplete one (``zhongg`` → zhong + g…);
3. else any syllable or syllable prefix anywhere (``bj`` → b… j…: typed initials);
4. letters no syllable can start (``wangi``) stay pending, outside every reading.
"""

from __future__ import annotations

import dataclasses as dc
from collections.abc import Callable
from typing import NamedTuple

_TABLE = """
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai
can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua
chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de
dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er
fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu
gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai
huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka
kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan
lang lao le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun
luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu
na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan
nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu
qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng
ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang
shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou
su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu
tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing
xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za
zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong
zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
"""

SYLLABLES: frozenset[str] = frozenset(_TABLE.split())
ALIASES = {"lue": "lve", "nue": "nve"}
_SPELLINGS = SYLLABLES | ALIASES.keys()
PREFIXES: frozenset[str] = frozenset(s[:k] for s in SYLLABLES for k in range(1, len(s))) - SYLLABLES
MAX_SYLLABLE = max(map(len, _SPELLINGS))
SEPARATOR = "'"


class Token(NamedTuple):
    """One piece of a reading: ``text`` is a syllable or, if not ``complete``, a prefix of
    one; it was typed as ``letters[start:end]``."""

    text: str
    start: int
    end: int
    complete: bool


Reading = tuple[Token, ...]


@dc.dataclass(frozen=True)
class Parse:
    """The readings of some letters, best first; ``covered`` letters are read, the rest
    (if any) cannot start a syllable and are left out of every reading."""

    readings: tuple[Reading, ...]
    covered: int
    abbreviated: bool  # tier 3: the readings stand for typed initials


MAX_READINGS = 4
_Accept = Callable[[str, bool], bool]


def _complete(piece: str, last: bool) -> bool:
    return piece in _SPELLINGS


def _open_end(piece: str, last: bool) -> bool:
    return piece in _SPELLINGS or (last and piece in PREFIXES)


def _anything(piece: str, last: bool) -> bool:
    return piece in _SPELLINGS or piece in PREFIXES


def _token(letters: str, start: int, end: int) -> Token:
    piece = letters[start:end]
    if piece in _SPELLINGS:
        return Token(ALIASES.get(piece, piece), start, end, True)
    return Token(piece, start, end, False)


def _readings(letters: str, accept: _Accept, limit: int) -> tuple[Reading, ...]:
    """Up to ``limit`` ways to cut all of ``letters`` into accepted pieces, longest first."""
    end = len(letters.rstrip(SEPARATOR))
    if end == 0:
        return ()
    feasible = [False] * (len(letters) + 1)
    feasible[end:] = [True] * (len(letters) + 1 - end)
    for i in range(end - 1, -1, -1):
        if letters[i] == SEPARATOR:
            feasible[i] = feasible[i + 1]
            continue
        feasible[i] = any(feasible[j] for j in _cuts(letters, i, end, accept))
    if not feasible[0]:
        return ()
    found: list[Reading] = []

    def walk(i: int, acc: tuple[Token, ...]) -> None:
        while i < end and letters[i] == SEPARATOR:
            i += 1
        if i >= end:
            found.append(acc)
            return
        for j in _cuts(letters, i, end, accept):
            if len(found) >= limit:
                return
            if feasible[j]:
                walk(j, (*acc, _token(letters, i, j)))

    walk(0, ())
    return tuple(found)


def _cuts(letters: str, i: int, end: int, accept: _Accept) -> list[int]:
    """Ends j (longest first) such that ``letters[i:j]`` is an accepted piece."""
    stop = letters.find(SEPARATOR, i, end)
    top = min(end if stop < 0 else stop, i + MAX_SYLLABLE)
    return [j for j in range(top, i, -1) if accept(letters[i:j], j == end)]


def _reach(letters: str) -> int:
    """How many leading letters can be read at all (tier 3 pieces), apostrophes included."""
    reached = [False] * (len(letters) + 1)
    reached[0] = True
    best = 0
    for i in range(len(letters)):
        if not reached[i]:
            continue
        if letters[i] == SEPARATOR:
            reached[i + 1] = True
            continue
        for j in _cuts(letters, i, len(letters), _anything):
            reached[j] = True
            best = max(best, j)
    return best


def parse(letters: str) -> Parse:
    """Read ``letters`` (lowercase a–z and apostrophes) as pinyin; see the module doc."""
    covered = _reach(letters)
    head = letters[:covered]
    for accept, limit, abbreviated in (
        (_complete, MAX_READINGS, False),
        (_open_end, MAX_READINGS, False),
        (_anything, 1, True),
    ):
        readings = _readings(head, accept, limit)
        if readings:
            return Parse(readings, covered, abbreviated)
    return Parse((), 0, False)


def segment(letters: str) -> list[tuple[str, ...]]:
    """The readings of ``letters`` as syllable texts, best first (``xian`` →
    ``[("xian",), ("xi", "an")]``); an incomplete last piece is kept as typed."""
    return [tuple(t.text for t in r) for r in parse(letters.lower()).readings]


def expand(token: Token) -> list[str]:
    """The syllables a token stands for: itself, or every syllable it begins."""
    if token.complete:
        return [token.text]
    return sorted(s for s in SYLLABLES if s.startswith(token.text))
