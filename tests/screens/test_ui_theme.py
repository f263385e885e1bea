"""Elderly mode sizes and contrast, checked on the theme data (MIIT 2021 rules)."""

from __future__ import annotations

from screens import theme


def test_elderly_sizes_meet_the_rules() -> None:
    s = theme.ELDERLY
    assert s.key_text >= 30
    assert s.body_text >= 18
    assert s.small_text >= 18
    assert s.target >= 60
    assert s.home_items < theme.NORMAL.home_items  # fewer items per screen


def test_every_text_pair_reaches_4_5_to_1() -> None:
    p = theme.PALETTE
    for fg, bg in theme.TEXT_PAIRS:
        ratio = theme.contrast(getattr(p, fg), getattr(p, bg))
        assert ratio >= 4.5, f"{fg} on {bg}: {ratio:.2f}"


def test_contrast_formula_on_known_values() -> None:
    assert round(theme.contrast("#000000", "#FFFFFF"), 1) == 21.0
    assert theme.contrast("#777777", "#FFFFFF") < 4.5
