"""Which charset a QR payload without an ECI is in: UTF-8, GB18030 or Shift_JIS, on evidence.

A byte segment of a QR code names no charset unless the generator wrote an ECI, and
most write none. Three reach a kiosk in China: UTF-8 (WeChat, Alipay, every modern
generator), GBK (older Chinese systems; read as GB18030, its superset) and Shift_JIS
(Japanese phones and labels). Bytes are often valid in more than one, and the wrong one
is mojibake that still decodes: katakana read as GBK become rare characters (モバイル →
儌僶僀儖), half-width katakana become common ones (ﾃﾞｻﾞｲﾝ → 棉晦草), GBK read as
Shift_JIS becomes half-width katakana.

So each charset the bytes are valid in gives a reading, and each reading is weighed as
text: a GB18030 reading as Chinese, a Shift_JIS reading as Japanese, a UTF-8 reading as
either. A :class:`Language` is a small model of text: characters come in runs of one
script (ASCII, ideographs, hiragana, katakana, half-width katakana, CJK punctuation,
other alphabets), with a share of text for each script; within a script characters are
equally likely, except that

- ideographs come in tiers of frequency: for Chinese the commonest characters of modern
  text (:data:`FREQUENT_HANZI`), then GB 2312 level 1, level 2, the rest; for Japanese
  JIS X 0208 level 1, level 2, the rest (both standards chose level 1 by frequency of
  use, and both tables come from Python's codecs);
- a half-width voiced-sound mark (ﾞ, ﾟ) is likely after a kana that takes it and all but
  impossible anywhere else; small half-width kana and the long-vowel mark only follow a
  kana;
- Latin-1 letters are likelier than Latin-1 signs.

The reading with the highest probability, weighted by how often each charset is met
(:data:`PRIOR`: UTF-8 most), wins. Pinned in tests/devices/qr/test_qr_charset.py.
"""

from __future__ import annotations

import contextlib
import dataclasses as dc
import enum
import functools
import math
import unicodedata
from collections.abc import Mapping

CANDIDATES = ("utf-8", "gb18030", "shift_jis")
# How often each charset is met in codes without an ECI at a kiosk in China: a judgement
# (UTF-8 is what phones and today's generators write, GBK what older Chinese systems
# wrote, Shift_JIS is rare here). Another reading must beat UTF-8 by this on evidence.
PRIOR = {"utf-8": 0.80, "gb18030": 0.17, "shift_jis": 0.03}
UTF8_LANGUAGES = {"zh": 0.97, "ja": 0.03}  # what UTF-8 payloads here are written in

# The commonest characters of modern written Chinese, about the first 500 of the
# published character-frequency lists in their order (they make up about 78 % of
# running text), then characters frequent in what kiosk codes carry: places, streets,
# surnames and given names. (kiosk/ime/data.py keeps a like list to rank input
# candidates; devices/ cannot import the kiosk, and the two may part ways.)
FREQUENT_HANZI = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之"
    "年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理"
    "心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间"
    "由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世"
    "位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神"
    "总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决"
    "治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该"
    "交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服"
    "快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党"
    "华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委"
    "乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响"
    "虽推势参希古众构房半节土投某案黑维革划敢"
    "省县乡镇村街巷楼栋户室码卡账缴纳税款登申补换询预窗站厅审批"
    "吴杨刘陈黄赵孙徐朱胡郭宋唐冯邓曹彭肖田董袁潘蒋蔡余杜叶苏魏吕丁沈姚卢姜崔钟谭陆汪范"
    "秀兰桂芳玉珍凤梅丽霞娟燕琴云萍春伟福志永忠荣宝淑芬敏静婷勇刚杰涛斌辉鹏磊超"
)


class Script(enum.Enum):
    """What a character is written in: runs of text keep to one."""

    ASCII = "ascii"
    CONTROL = "control"
    IDEOGRAPH = "ideograph"
    HIRAGANA = "hiragana"
    KATAKANA = "katakana"
    HALFWIDTH_KANA = "half-width katakana"
    PUNCTUATION = "CJK punctuation"
    LATIN = "Latin-1 letters and signs"
    ALPHABET = "other alphabets"
    OTHER = "other"


# How many characters each script holds, for the chance of one of them.
_SIZE = {
    Script.ASCII: 98,  # printable, tab, CR, LF
    Script.CONTROL: 65,
    Script.HIRAGANA: 86,
    Script.KATAKANA: 92,
    Script.HALFWIDTH_KANA: 63,
    Script.PUNCTUATION: 400,
    Script.LATIN: 96,
    Script.ALPHABET: 800,
    Script.OTHER: 100_000,
}
_RUN = {  # the chance that the next character is in the same script
    Script.ASCII: 0.9,
    Script.CONTROL: 0.2,
    Script.IDEOGRAPH: 0.7,
    Script.HIRAGANA: 0.6,
    Script.KATAKANA: 0.75,
    # Low on purpose: one byte is one half-width kana, so a run of them would otherwise be
    # likelier per byte than GBK Chinese, and GBK bytes read as Shift_JIS are mostly such
    # runs. At 0.4 a byte of half-width kana is no likelier than a byte of a GB 2312 level 1
    # character: kana alone do not overturn Chinese; voiced marks where Japanese puts them do.
    Script.HALFWIDTH_KANA: 0.4,
    Script.PUNCTUATION: 0.1,
    Script.LATIN: 0.02,  # a Latin-1 letter sits in an ASCII word: é in café
    Script.ALPHABET: 0.7,
    Script.OTHER: 0.3,
}
_UNWRITTEN = frozenset({"Cn", "Co", "Cs"})  # unassigned, private use, surrogates
_VOICED, _SEMI_VOICED = "\uff9e", "\uff9f"  # ﾞ ﾟ
_TAKES_MARK = {_VOICED: frozenset("ｳｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎ"), _SEMI_VOICED: frozenset("ﾊﾋﾌﾍﾎ")}
_MARK_AFTER_KANA = 0.25  # the chance of the mark right after a kana that takes it
_MARK_ELSEWHERE = 1e-4
# Half-width kana that only follow a full-size kana: the small ones and the long-vowel mark.
_FOLLOWERS = frozenset("ｧｨｩｪｫｬｭｮｯｰ")
_FULL_SIZE_KANA = frozenset(chr(c) for c in range(0xFF66, 0xFF9E)) - _FOLLOWERS - {"ﾝ"}
_FOLLOWER_ELSEWHERE = 0.01  # relative chance of a follower after anything else
# Latin-1: letters (é, ü, ô) are written far more than signs (¬, ÷, ¼), and two-byte
# UTF-8 signs are what GBK bytes often spell (卢 is C2 AC, which is also UTF-8 ¬).
_LATIN_LETTERS = frozenset(c for c in map(chr, range(0xA0, 0x100)) if c.isalpha())
_LATIN_LETTER_SHARE = 0.8


@dc.dataclass(frozen=True)
class Language:
    """A model of text in one language: script shares and tiers of ideographs.

    ``tiers``: (name of a table of ideographs, share of ideographs in it), most frequent
    first; ideographs in none of them share what is left.
    """

    name: str
    share: Mapping[Script, float]
    tiers: tuple[tuple[str, float], ...]

    def log_probability(self, text: str) -> float:
        """The natural log of the chance of ``text`` in this language."""
        total = 0.0
        prev_script: Script | None = None
        prev = ""
        for ch in text:
            script = script_of(ch)
            total += self._log_script(prev_script, script) + self._log_within(script, ch, prev)
            prev_script, prev = script, ch
        return total

    def _log_script(self, prev: Script | None, script: Script) -> float:
        share = self.share[script]
        if prev is None:
            return math.log(share)
        run = _RUN[prev]
        return math.log((run if script is prev else 0.0) + (1 - run) * share)

    def _log_within(self, script: Script, ch: str, prev: str) -> float:
        if script is Script.IDEOGRAPH:
            rest = 1.0
            for table, share in self.tiers:
                chars = _table(table)
                if ch in chars:
                    return math.log(share / len(chars))
                rest -= share
            return math.log(rest / _RARE_IDEOGRAPHS)
        if script is Script.LATIN:
            if ch in _LATIN_LETTERS:
                return math.log(_LATIN_LETTER_SHARE / len(_LATIN_LETTERS))
            return math.log((1 - _LATIN_LETTER_SHARE) / (_SIZE[script] - len(_LATIN_LETTERS)))
        if ch in _TAKES_MARK:
            return math.log(_MARK_AFTER_KANA if prev in _TAKES_MARK[ch] else _MARK_ELSEWHERE)
        if ch in _FOLLOWERS and prev not in _FULL_SIZE_KANA and prev not in _TAKES_MARK:
            return math.log(_FOLLOWER_ELSEWHERE / _SIZE[script])
        return -math.log(_SIZE[script])


_RARE_IDEOGRAPHS = 90_000
CHINESE = Language(
    "zh",
    {
        Script.ASCII: 0.55,
        Script.CONTROL: 0.002,
        Script.IDEOGRAPH: 0.35,
        Script.HIRAGANA: 0.0005,
        Script.KATAKANA: 0.0005,
        Script.HALFWIDTH_KANA: 0.00001,  # GBK has none
        Script.PUNCTUATION: 0.06,
        Script.LATIN: 0.005,
        Script.ALPHABET: 0.002,
        Script.OTHER: 0.001,
    },
    (("frequent hanzi", 0.78), ("GB 2312 level 1", 0.2), ("GB 2312 level 2", 0.015)),
)
JAPANESE = Language(
    "ja",
    {
        Script.ASCII: 0.35,
        Script.CONTROL: 0.002,
        Script.IDEOGRAPH: 0.20,
        Script.HIRAGANA: 0.18,
        Script.KATAKANA: 0.08,
        Script.HALFWIDTH_KANA: 0.10,  # common in codes of Japanese phones
        Script.PUNCTUATION: 0.05,
        Script.LATIN: 0.005,
        Script.ALPHABET: 0.002,
        Script.OTHER: 0.001,
    },
    (("JIS X 0208 level 1", 0.95), ("JIS X 0208 level 2", 0.04)),
)


def guess(data: bytes) -> tuple[str, str]:
    """The likeliest text of ``data`` and its charset, one of :data:`CANDIDATES`.

    ``ValueError`` when the bytes are valid in none of them.
    """
    if data.isascii():
        return data.decode("ascii"), "utf-8"
    best: tuple[float, str, str] | None = None
    for codec in CANDIDATES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = math.log(PRIOR[codec]) + log_probability(text, codec)
        if best is None or score > best[0]:
            best = (score, text, codec)
    if best is None:
        raise ValueError("the bytes are neither UTF-8, GB18030 nor Shift_JIS")
    return best[1], best[2]


def log_probability(text: str, codec: str) -> float:
    """The natural log of the chance of ``text`` as a payload written in ``codec``."""
    if codec == "gb18030":
        return CHINESE.log_probability(text)
    if codec == "shift_jis":
        return JAPANESE.log_probability(text)
    zh = math.log(UTF8_LANGUAGES["zh"]) + CHINESE.log_probability(text)
    ja = math.log(UTF8_LANGUAGES["ja"]) + JAPANESE.log_probability(text)
    top = max(zh, ja)
    return top + math.log(math.exp(zh - top) + math.exp(ja - top))


def script_of(ch: str) -> Script:
    """The :class:`Script` of one character."""
    cp = ord(ch)
    if 0x20 <= cp < 0x7F or ch in "\t\n\r":
        return Script.ASCII
    if cp < 0xA0:
        return Script.CONTROL
    if unicodedata.category(ch) in _UNWRITTEN:
        return Script.OTHER
    if cp <= 0xFF:
        return Script.LATIN
    if 0x3041 <= cp <= 0x309F:
        return Script.HIRAGANA
    if 0x30A0 <= cp <= 0x30FF:
        return Script.KATAKANA
    if 0xFF61 <= cp <= 0xFF9F:
        return Script.HALFWIDTH_KANA
    if 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF:
        return Script.IDEOGRAPH
    if 0x3000 <= cp <= 0x303F or 0xFF01 <= cp <= 0xFF60 or 0xFFE0 <= cp <= 0xFFEF:
        return Script.PUNCTUATION
    if 0x2010 <= cp <= 0x205E:  # dashes, quotes, ellipsis, ※
        return Script.PUNCTUATION
    if cp <= 0x24F or 0x370 <= cp <= 0x4FF or 0x1E00 <= cp <= 0x1EFF:
        return Script.ALPHABET  # Latin Extended-A and B (pinyin ǎ), Greek, Cyrillic
    if ch in _table("symbol rows"):
        return Script.PUNCTUATION  # the symbol rows of GB 2312 and JIS X 0208: ※ ○ → …
    return Script.OTHER


TABLES = (
    "frequent hanzi",
    "GB 2312 level 1",
    "GB 2312 level 2",
    "JIS X 0208 level 1",
    "JIS X 0208 level 2",
    "symbol rows",
)


@functools.cache
def _table(name: str) -> frozenset[str]:
    """A table of characters by name, from the codecs: GB 2312 and JIS X 0208 are both
    94 x 94 tables, reachable through their EUC forms (row r at byte 0xA0 + r)."""
    if name == "frequent hanzi":
        return frozenset(FREQUENT_HANZI)
    if name == "GB 2312 level 1":
        return _rows("gb2312", 16, 55) - _table("frequent hanzi")
    if name == "GB 2312 level 2":
        return _rows("gb2312", 56, 87)
    if name == "JIS X 0208 level 1":
        return _rows("euc_jp", 16, 47)
    if name == "JIS X 0208 level 2":
        return _rows("euc_jp", 48, 84)
    if name == "symbol rows":
        return _rows("gb2312", 1, 9) | _rows("euc_jp", 1, 8)
    raise KeyError(name)


def _rows(codec: str, first: int, last: int) -> frozenset[str]:
    out: set[str] = set()
    for row in range(first, last + 1):
        cells = [bytes((0xA0 + row, 0xA0 + cell)) for cell in range(1, 95)]
        try:
            out.update(b"".join(cells).decode(codec))  # a whole row at once: fast
        except UnicodeDecodeError:  # a row with gaps: cell by cell
            for cell in cells:
                with contextlib.suppress(UnicodeDecodeError):
                    out.add(cell.decode(codec))
    return frozenset(out)


def warm_up() -> None:
    """Build the :data:`TABLES` now (about 5 ms), so that the first code read does not."""
    for name in TABLES:
        _table(name)
