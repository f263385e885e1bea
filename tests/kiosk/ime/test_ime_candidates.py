"""What the candidate bar shows for common inputs, and in which order."""

from __future__ import annotations

import pytest

from kiosk.ime import ImeInputError, PinyinIme
from kiosk.ime.lexicon import lexicon


def _candidates(letters: str, limit: int = 10, mode: str = "text") -> list[str]:
    ime = PinyinIme(mode="name" if mode == "name" else "text")
    ime.feed(letters)
    return ime.candidates(limit=limit)


def _taps(ime: PinyinIme, target: str, letters: str, limit: int = 10) -> int:
    """Choices needed to type ``target`` taking, each time, the longest candidate on the
    first page that continues it; fails if the first page has none."""
    ime.feed(letters)
    done, taps = "", 0
    while done != target:
        page = ime.candidates(limit=limit)
        fits = [c for c in page if target.startswith(done + c)]
        assert fits, f"nothing on the first page continues {done!r}: {page}"
        done += ime.choose(max(fits, key=len))
        taps += 1
    assert ime.letters == ""
    return taps


@pytest.mark.parametrize(
    ("letters", "expected"),
    [("zhong", "中"), ("guo", "国"), ("cun", "村"), ("zhen", "镇"), ("xian", "县"), ("hu", "湖")],
)
def test_common_characters_are_on_the_first_page(letters: str, expected: str) -> None:
    assert expected in _candidates(letters)


@pytest.mark.parametrize(
    ("letters", "first"),
    [("de", "的"), ("shi", "是"), ("le", "了"), ("zai", "在"), ("wo", "我"), ("lv", "绿")],
)
def test_the_commonest_character_comes_first(letters: str, first: str) -> None:
    assert _candidates(letters)[0] == first


def test_v_stands_for_u_umlaut() -> None:
    assert _candidates("nv")[0] == "女"
    assert "绿" in _candidates("lv")
    assert "女" not in _candidates("nu", limit=400)  # nu and nv are different syllables
    assert "略" in _candidates("lue")


def test_a_character_leads_only_for_its_common_reading() -> None:
    # 和 is frequent as he; its rare reading hu (和牌) must not put it before 湖 and 胡.
    assert _candidates("he")[0] == "和"
    hu = _candidates("hu", limit=400)
    assert hu.index("和") > hu.index("湖")


def test_gb2312_level_1_before_level_2_before_the_rest() -> None:
    li = _candidates("li", limit=400)
    assert li.index("李") < li.index("郦") < li.index("麗")
    for char, lead in (("李", 0xC0), ("郦", 0xDB)):
        assert char.encode("gb2312")[0] == lead
    with pytest.raises(UnicodeEncodeError):
        "麗".encode("gb2312")


def test_only_two_byte_gb18030_ideographs_are_offered() -> None:
    offered = {c for chars in lexicon().chars.values() for c in chars}
    assert all(0x4E00 <= ord(c) <= 0x9FA5 for c in offered)
    assert "㐀" not in offered  # Extension A: four bytes in GB18030
    assert len(offered) > 20000


def test_xian_characters_come_before_xi_an() -> None:
    xian = _candidates("xian", limit=400)
    assert xian[0] in lexicon().chars["xian"]
    assert xian.index("先") < xian.index("西")
    assert _candidates("xi'an")[0] in lexicon().chars["xi"]


def test_whole_phrases_come_before_single_characters() -> None:
    found = _candidates("beijing")
    assert found.index("北京") < found.index("北")
    assert _candidates("zhongguo")[0] == "中国"


def test_an_unfinished_syllable_already_finds_the_phrase() -> None:
    assert _candidates("zhongg")[0] == "中国"
    assert "北京" in _candidates("beijin")


def test_a_finished_last_syllable_is_not_stretched_into_another() -> None:
    # Regression: shouji offered 守节 and 受教 (shou jie, shou jiao) before 手机 and 手.
    found = _candidates("shouji")
    assert found[:2] == ["手机", "手"]
    assert "守节" not in found


@pytest.mark.parametrize(
    ("letters", "word"),
    [("nongcun", "农村"), ("shequ", "社区"), ("dianhua", "电话"), ("cunweihui", "村委会")],
)
def test_address_and_form_words_pypinyin_lacks_come_first(letters: str, word: str) -> None:
    assert _candidates(letters)[0] == word


def test_every_hand_kept_word_comes_first_when_typed_in_full() -> None:
    from pypinyin import Style, lazy_pinyin

    from kiosk.ime import data

    words = data.COMMON_PHRASES.split()
    assert len(lexicon().common_phrases) == len(words) == len(set(words))
    for word in words:
        assert _candidates("".join(lazy_pinyin(word, style=Style.NORMAL)))[0] == word


def test_initials_find_phrases() -> None:
    assert "北京" in _candidates("bj", limit=20)
    assert "中国" in _candidates("zg", limit=20)


def test_a_phrase_covering_the_first_syllables_comes_before_their_characters() -> None:
    found = _candidates("zhongguoren", limit=30)  # 中国人 if known, else 中国 then 中
    assert found.index("中国") < found.index("中")


def test_dong_hu_cun_takes_at_most_three_taps() -> None:
    assert _taps(PinyinIme(), "东湖村", "donghucun") <= 3
    assert _taps(PinyinIme(), "东湖村", "dong hu cun") <= 3


def test_a_whole_address_typed_at_once_can_be_chosen_piece_by_piece() -> None:
    assert _taps(PinyinIme(), "东湖镇东湖村", "donghuzhendonghucun") <= 6


def test_pages_split_one_ranking() -> None:
    ime = PinyinIme()
    ime.feed("yi")
    pages = [ime.candidates(limit=8, page=n) for n in range(4)]
    assert [len(p) for p in pages] == [8, 8, 8, 8]
    assert [c for page in pages for c in page] == ime.candidates(limit=32)
    assert ime.candidates(limit=10, page=10_000) == []


@pytest.mark.parametrize(("limit", "page"), [(0, 0), (-1, 0), (10, -1)])
def test_a_bad_page_request_is_refused(limit: int, page: int) -> None:
    ime = PinyinIme()
    ime.feed("yi")
    with pytest.raises(ImeInputError):
        ime.candidates(limit=limit, page=page)
    assert ime.letters == "yi"


def test_the_ranking_is_the_same_every_time() -> None:
    assert _candidates("shi", limit=300) == _candidates("shi", limit=300)
    assert _candidates("z", limit=400) == _candidates("z", limit=400)
