"""Hostile settings files: whatever a site file holds, start-up either gets typed
settings or one SettingsError naming the file and the key, never another exception."""

from __future__ import annotations

import dataclasses as dc
import json
import tempfile
import typing
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.settings import Settings, SettingsError, load_settings

SECTIONS = {
    f.name: [sf.name for sf in dc.fields(typing.get_type_hints(Settings)[f.name])]
    for f in dc.fields(Settings)
}
KEYS = [(section, key) for section, keys in SECTIONS.items() for key in keys]

# TOML values of every kind, in the shapes a careless or hostile editor would type
toml_scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(
        lambda x: (
            "nan"
            if x != x
            else ("inf" if x == float("inf") else "-inf" if x == float("-inf") else repr(x))
        )
    ),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.text(max_size=40).map(lambda s: json.dumps(s)),
    st.sampled_from(["1979-05-27", "07:32:00", "{}", "{ a = 1 }", "[]", '["", 0]']),
)
toml_values = st.one_of(
    toml_scalars,
    st.lists(toml_scalars, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
)


@st.composite
def site_files(draw: st.DrawFn) -> str:
    """A site file: known and unknown sections and keys with values of any kind."""
    chosen = draw(st.lists(st.sampled_from(KEYS), max_size=6, unique=True))
    extra = draw(
        st.lists(st.tuples(st.sampled_from([*SECTIONS, "nope"]), st.just("bogus")), max_size=1)
    )
    lines: list[str] = []
    for section in sorted({s for s, _ in chosen + extra}):
        lines.append(f"[{section}]")
        lines += [f"{k} = {draw(toml_values)}" for s, k in chosen + extra if s == section]
    return "\n".join(lines) + "\n"


def load(text: bytes) -> Settings | None:
    with tempfile.TemporaryDirectory(prefix="settings-fuzz-") as tmp:
        path = Path(tmp) / "site.toml"
        path.write_bytes(text)
        try:
            return load_settings(path)
        except SettingsError as exc:
            assert exc.file == str(path) or exc.file.endswith("defaults.toml")
            assert exc.key and exc.problem
            return None


@settings(max_examples=200, deadline=None)
@given(site_files())
def test_any_site_file_gives_settings_or_a_settings_error(text: str) -> None:
    result = load(text.encode("utf-8"))
    assert result is None or isinstance(result, Settings)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_a_settings_error(data: bytes) -> None:
    result = load(data)
    assert result is None or isinstance(result, Settings)


def test_a_wrong_type_is_named_with_its_key(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[ui]\nwidth = "wide"\n', encoding="utf-8")
    try:
        load_settings(site)
    except SettingsError as exc:
        assert exc.key == "ui.width" and exc.file == str(site)
    else:
        raise AssertionError("a string width was accepted")


def test_a_file_not_in_utf8_is_a_settings_error(tmp_path: Path) -> None:
    # Regression: a GB18030-saved site file raised UnicodeDecodeError out of tomllib.
    site = tmp_path / "site.toml"
    site.write_bytes('[site]\nstation_name = "测试站"\n'.encode("gb18030"))
    try:
        load_settings(site)
    except SettingsError as exc:
        assert "not UTF-8" in exc.problem and exc.file == str(site)
    else:
        raise AssertionError("a GB18030 file was read as UTF-8")
