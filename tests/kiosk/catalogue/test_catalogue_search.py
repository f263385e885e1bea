"""Search by Chinese, full pinyin, pinyin initials and English, ranked sensibly."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.catalogue import Catalogue, Matter


def _names(matters: list[Matter]) -> list[str]:
    return [m.name.zh_CN for m in matters]


@pytest.mark.parametrize(
    "query",
    [
        "gljt",
        "GLJT",
        "gaoling",
        "gaolingjintie",
        "gao ling jin tie",
        "Gao Ling",
        "gāolíngjīntiē",
        "gao1ling2jin1tie1",
        "gaoljt",
        "高龄",
        "高龄津贴申领",
        "ｇｌｊｔ",
        "old-age allowance",
        "old age allowance",
        "高龄补贴",
    ],
)
def test_old_age_allowance_comes_first(shipped: Catalogue, query: str) -> None:
    assert _names(shipped.search(query))[0] == "高龄津贴申领"


def test_social_security_abbreviations(shipped: Catalogue) -> None:
    hits = _names(shipped.search("社保"))
    assert "社会保障卡申领、补换、挂失" in hits
    assert "社会保险个人权益记录查询打印" in hits
    assert "高龄津贴申领" not in hits
    assert _names(shipped.search("sbk"))[0] == "社会保障卡申领、补换、挂失"
    assert _names(shipped.search("社保卡"))[0] == "社会保障卡申领、补换、挂失"


def test_english_allowance_finds_the_three_allowances(shipped: Catalogue) -> None:
    hits = _names(shipped.search("allowance"))
    assert hits[0] == "高龄津贴申领"
    assert set(hits) == {
        "高龄津贴申领",
        "困难残疾人生活补贴和重度残疾人护理补贴",
        "最低生活保障申请",
    }


def test_exact_name_outranks_a_more_popular_partial_match(shipped: Catalogue) -> None:
    # 生育登记 is less popular than matters whose names merely contain 登记
    hits = _names(shipped.search("生育登记"))
    assert hits[0] == "生育登记"
    hits = _names(shipped.search("登记"))
    assert "生育登记" in hits and "城乡居民基本养老保险参保登记" in hits


def test_prefix_outranks_inside(shipped: Catalogue) -> None:
    hits = _names(shipped.search("养老"))
    assert hits[0] == "养老保险待遇领取资格认证"  # starts with 养老
    assert "城乡居民基本养老保险参保登记" in hits[1:]


def test_department_names_match_in_both_languages(shipped: Catalogue) -> None:
    civil = {m.code for m in shipped if m.department.code == "MZ"}
    assert {m.code for m in shipped.search("civil affairs")} == civil
    # 乡镇人民政府 contains 民政 too; it is less popular, so it comes after
    for query in ("民政", "minzheng"):
        hits = [m.code for m in shipped.search(query)]
        assert set(hits[: len(civil)]) == civil, query


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zhongdu", "困难残疾人生活补贴和重度残疾人护理补贴"),  # 重 read zhong in 重度
        ("chongdu", "困难残疾人生活补贴和重度残疾人护理补贴"),  # the other reading still finds it
        ("yinhang", "社会保障卡申领、补换、挂失"),  # 行 read hang in 银行 (a keyword)
        ("changqi", "基本医疗保险异地就医备案"),  # 长 read chang in 长期
        ("canbao", "城乡居民基本养老保险参保登记"),  # 参 read can in 参保
        ("laonianzheng", "老年人优待证办理"),
        ("lnz", "老年人优待证办理"),
        ("高令", "高龄津贴申领"),  # a sound-alike typed with the wrong character
    ],
)
def test_polyphonic_and_sound_alike_queries(shipped: Catalogue, query: str, expected: str) -> None:
    assert expected in _names(shipped.search(query))


def test_the_phrase_reading_outranks_another_reading(
    doc: dict[str, Any], load_doc: Callable[[dict[str, Any]], Catalogue]
) -> None:
    # 银行卡 reads yin-hang-ka; 步行街 reads bu-xing-jie, and hang is only another reading
    # of its 行. The less popular 银行卡 must still come first for "hang".
    bank, street = doc["matters"]
    bank["name"] = {"zh_CN": "银行卡绑定"}
    bank["popularity"], street["popularity"] = 9, 1
    street["name"] = {"zh_CN": "步行街摊位申请"}
    bank["keywords"], street["keywords"] = [], []
    catalogue = load_doc(doc)
    assert _names(catalogue.search("hang")) == ["银行卡绑定", "步行街摊位申请"]
    assert _names(catalogue.search("xing")) == ["步行街摊位申请", "银行卡绑定"]


def test_umlaut_syllables_match_typed_as_v_or_u(
    doc: dict[str, Any], load_doc: Callable[[dict[str, Any]], Catalogue]
) -> None:
    doc["matters"][0]["name"] = {"zh_CN": "旅游年卡办理"}
    catalogue = load_doc(doc)
    for query in ("lvyou", "luyou", "lǚyóu", "ly"):
        assert _names(catalogue.search(query))[0] == "旅游年卡办理", query


def test_matter_code_matches(shipped: Catalogue) -> None:
    matter = shipped.matters[3]
    assert shipped.search(matter.code.lower())[0] is matter


def test_blank_unknown_and_limited_queries(shipped: Catalogue) -> None:
    assert shipped.search("") == []
    assert shipped.search("   ") == []
    assert shipped.search("qqqqxxxzzz") == []
    assert shipped.search("!!!") == []
    assert len(shipped.search("a", limit=3)) == 3
    assert shipped.search("gljt", limit=0) == []


def test_pinyin_is_indexed_at_load_not_per_search(
    doc: dict[str, Any],
    load_doc: Callable[[dict[str, Any]], Catalogue],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalogue = load_doc(copy.deepcopy(doc))

    def refuse(_text: str) -> None:
        raise AssertionError("pinyin computed during search")

    monkeypatch.setattr("kiosk.catalogue.pinyin.syllables", refuse)
    assert _names(catalogue.search("gljt")) == ["高龄津贴申领"]


@settings(max_examples=300, deadline=None)
@given(query=st.text(max_size=200), limit=st.integers(min_value=-5, max_value=30))
def test_search_never_raises_on_any_input(shipped: Catalogue, query: str, limit: int) -> None:
    hits = shipped.search(query, limit=limit)
    assert len(hits) <= max(limit, 0)
    assert all(m.code in shipped for m in hits)
    assert len({m.code for m in hits}) == len(hits)
