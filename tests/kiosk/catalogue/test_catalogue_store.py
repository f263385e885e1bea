"""Look-up by code, this site's popular matters, and the site-order check."""

from __future__ import annotations

import pytest

from kiosk.catalogue import Catalogue, Text, UnknownMatter
from kiosk.errors import describe


def test_get_returns_the_matter(shipped: Catalogue) -> None:
    first = shipped.matters[0]
    assert shipped.get(first.code) is first
    assert first.code in shipped


def test_an_unknown_code_is_a_clear_error(shipped: Catalogue) -> None:
    with pytest.raises(UnknownMatter) as info:
        shipped.get("33102300XX-XX-9999")
    error = info.value
    assert isinstance(error, LookupError)
    assert error.code == "33102300XX-XX-9999"
    assert "33102300XX-XX-9999" in str(error)
    assert describe(error).key == "catalogue.error.unknown_matter"
    assert "33102300XX-XX-9999" not in shipped


def test_popular_without_site_order_follows_default_popularity(shipped: Catalogue) -> None:
    top = shipped.popular(None, limit=5)
    assert [m.popularity for m in top] == [1, 2, 3, 4, 5]


def test_site_order_comes_first_then_default_popularity(shipped: Catalogue) -> None:
    by_rank = {m.popularity: m for m in shipped}
    site = [by_rank[15].code, by_rank[9].code]
    top = shipped.popular(site, limit=4)
    assert [m.popularity for m in top] == [15, 9, 1, 2]


def test_unknown_and_repeated_site_codes_are_skipped(shipped: Catalogue) -> None:
    by_rank = {m.popularity: m for m in shipped}
    site = ["NO-SUCH-CODE", by_rank[7].code, by_rank[7].code]
    top = shipped.popular(site, limit=3)
    assert [m.popularity for m in top] == [7, 1, 2]


def test_popular_limit_bounds_the_list(shipped: Catalogue) -> None:
    assert len(shipped.popular(None, limit=100)) == len(shipped)
    assert shipped.popular(None, limit=0) == []
    assert shipped.popular(None, limit=-3) == []


def test_check_site_order_reports_unknown_and_repeated_codes(shipped: Catalogue) -> None:
    good = shipped.matters[0].code
    problems = shipped.check_site_order([good, "NO-SUCH-CODE", good])
    assert problems == [
        "popular[1]: unknown matter code 'NO-SUCH-CODE'",
        f"popular[2]: matter code {good!r} listed more than once",
    ]
    assert shipped.check_site_order([good]) == []
    assert shipped.check_site_order([]) == []


def test_departments_are_listed_once_each(shipped: Catalogue) -> None:
    codes = [d.code for d in shipped.departments()]
    assert len(codes) == len(set(codes))
    assert {m.department.code for m in shipped} == set(codes)


def test_a_catalogue_built_by_hand_refuses_duplicate_codes(shipped: Catalogue) -> None:
    matter = shipped.matters[0]
    with pytest.raises(ValueError, match="duplicate"):
        Catalogue([matter, matter])


def test_matter_field_and_material_lookups(shipped: Catalogue) -> None:
    matter = next(m for m in shipped if m.fields and m.materials)
    assert matter.field(matter.fields[0].key) is matter.fields[0]
    assert matter.material(matter.materials[0].code) is matter.materials[0]
    with pytest.raises(KeyError):
        matter.field("no_such_field")
    with pytest.raises(KeyError):
        matter.material("no_such_material")


def test_text_falls_back_to_chinese() -> None:
    assert Text("高龄津贴").get("en") == "高龄津贴"
    assert Text("高龄津贴", "Old-age allowance").get("EN") == "Old-age allowance"
    assert str(Text("高龄津贴", "Old-age allowance")) == "高龄津贴"
