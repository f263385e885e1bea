"""The colour of a case against its promised date, and the site type's popular list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config import CATALOGUE_FILE
from kiosk.catalogue import load_catalogue
from kiosk.settings import SettingsError, load_settings, with_overrides
from kiosk.sites import popular_order, type_popular
from kiosk.tracking import ACTION, DONE, GREEN, RED, YELLOW, rag

THU = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("status", "promised", "colour"),
    [
        ("in_review", dt.date(2026, 1, 9), GREEN),
        ("in_review", dt.date(2026, 1, 5), YELLOW),  # Fri and Mon left: within 2 working days
        ("accepted", THU, YELLOW),
        ("in_review", dt.date(2025, 12, 31), RED),
        ("completed", dt.date(2025, 12, 31), DONE),  # done late is still done
        ("returned", dt.date(2026, 1, 9), ACTION),
        ("received", None, GREEN),
    ],
)
def test_green_yellow_red_against_the_promised_date(
    status: str, promised: dt.date | None, colour: str
) -> None:
    assert rag(status, promised, THU, warn_days=2) == colour


@given(st.dates(), st.integers(min_value=-30, max_value=60))
def test_an_open_case_past_its_date_is_always_red(today: dt.date, offset: int) -> None:
    promised = today + dt.timedelta(days=offset)
    colour = rag("in_review", promised, today)
    assert (colour == RED) == (offset < 0)


def test_a_bank_branch_has_its_own_popular_list(tmp_path: Path) -> None:
    village = load_settings()
    bank = with_overrides(village, site={"type": "bank"})
    assert popular_order(village) == ()
    assert popular_order(bank)[:2] == ("33102300RS-GG-0002", "33102300SW-GG-0001")
    assert load_catalogue(CATALOGUE_FILE).check_site_order(popular_order(bank)) == []
    own = with_overrides(bank, site={"popular": ("33102300MZ-JF-0001",)})
    assert popular_order(own) == ("33102300MZ-JF-0001",)  # the site's own list wins
    with pytest.raises(ValueError):
        type_popular("casino")
    site = tmp_path / "site.toml"
    site.write_text('[site]\ntype = "casino"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"site\.type"):
        load_settings(site)
