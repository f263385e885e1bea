"""site.nearest_alternative and [maintenance]: defaults, overrides key by key, and bad
values named by file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.settings import SettingsError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_defaults_name_a_full_alternative() -> None:
    alt = load_settings().site.nearest_alternative
    assert alt.name and alt.address and alt.hours and alt.phone
    assert load_settings().maintenance.outbox_full > 0


def test_a_site_overrides_one_key_of_the_alternative(tmp_path: Path) -> None:
    s = load_settings(write(tmp_path, '[site.nearest_alternative]\nphone = "0571-88889999"\n'))
    alt = s.site.nearest_alternative
    assert alt.phone == "0571-88889999"
    assert alt.name == load_settings().site.nearest_alternative.name


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('[site.nearest_alternative]\nname = ""\n', "site.nearest_alternative.name", "1-80"),
        (
            '[site.nearest_alternative]\nphone = "call us"\n',
            "site.nearest_alternative.phone",
            "phone number",
        ),
        ("[site.nearest_alternative]\nfax = 1\n", "site.nearest_alternative.fax", "unknown key"),
        (
            "[site.nearest_alternative]\nhours = 9\n",
            "site.nearest_alternative.hours",
            "must be str",
        ),
        ('[site]\nnearest_alternative = "镇中心"\n', "site.nearest_alternative", "table"),
        ("[maintenance]\noutbox_full = 0\n", "maintenance.outbox_full", "between"),
    ],
)
def test_bad_values_are_named(tmp_path: Path, text: str, key: str, words: str) -> None:
    site = write(tmp_path, text)
    with pytest.raises(SettingsError) as info:
        load_settings(site)
    assert info.value.key == key and words in info.value.problem
    assert info.value.file == str(site)
