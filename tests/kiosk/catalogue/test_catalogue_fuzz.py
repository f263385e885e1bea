"""Hostile catalogue files (a fleet bundle or a file a technician edited): any bytes,
the real catalogue with any value anywhere replaced, or cut short, give a catalogue or
one CatalogueError naming the file, never another exception."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from config import CATALOGUE_FILE
from kiosk.catalogue import Catalogue, CatalogueError
from kiosk.catalogue.loader import parse_catalogue

RAW = CATALOGUE_FILE.read_bytes()
REAL = json.loads(RAW)
FILE = "fuzz/catalogue.json"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def parse(data: bytes | str) -> Catalogue | None:
    try:
        return parse_catalogue(data, FILE)
    except CatalogueError as exc:
        assert FILE in str(exc)
        return None


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document a value sits, for the mutations to pick from."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node[:2]):  # two matters / items are plenty
            found += paths(value, (*prefix, i))
    return found


PATHS = paths(REAL)[1:]


def replaced(doc: Any, where: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(doc))
    node = copy
    for step in where[:-1]:
        node = node[step]
    node[where[-1]] = value
    return copy


def test_the_real_catalogue_parses() -> None:
    assert isinstance(parse(RAW), Catalogue)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATHS), json_values)
def test_any_value_anywhere_gives_a_catalogue_or_a_catalogue_error(
    where: tuple[Any, ...], value: Any
) -> None:
    result = parse(json.dumps(replaced(REAL, where, value), ensure_ascii=False))
    assert result is None or isinstance(result, Catalogue)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(PATHS))
def test_a_missing_value_anywhere_is_handled(where: tuple[Any, ...]) -> None:
    doc = json.loads(json.dumps(REAL))
    node = doc
    for step in where[:-1]:
        node = node[step]
    del node[where[-1]]
    result = parse(json.dumps(doc, ensure_ascii=False))
    assert result is None or isinstance(result, Catalogue)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=len(RAW)), st.binary(max_size=8))
def test_a_file_cut_or_corrupted_anywhere_is_a_catalogue_error_or_still_whole(
    at: int, junk: bytes
) -> None:
    result = parse(RAW[:at] + junk)
    assert result is None or isinstance(result, Catalogue)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_give_a_catalogue_error(data: bytes) -> None:
    assert parse(data) is None
