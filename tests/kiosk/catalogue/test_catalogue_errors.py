"""A bad catalogue stops start-up with an error naming the file, the key path and the
problem — for every way of getting the file wrong that we could think of."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalogue import CatalogueError, load_catalogue, parse_catalogue

Doc = dict[str, Any]


def _m(doc: Doc, i: int = 0) -> dict[str, Any]:
    matter: dict[str, Any] = doc["matters"][i]
    return matter


def _field(doc: Doc, i: int) -> dict[str, Any]:
    field: dict[str, Any] = _m(doc)["fields"][i]
    return field


def _material(doc: Doc, i: int) -> dict[str, Any]:
    material: dict[str, Any] = _m(doc)["materials"][i]
    return material


# (id, mutation, expected key path, expected words in the problem)
CASES: list[tuple[str, Callable[[Doc], object], str, str]] = [
    ("schema too new", lambda d: d.update(schema=2), "schema", "out of range (1..1)"),
    (
        "schema a string",
        lambda d: d.update(schema="1"),
        "schema",
        "expected an integer, got string",
    ),
    ("version missing", lambda d: d.pop("version"), "version", "missing"),
    ("unknown top key", lambda d: d.update(matter=[]), "matter", "unknown key"),
    ("matters empty", lambda d: d.update(matters=[]), "matters", "must not be empty"),
    (
        "matters an object",
        lambda d: d.update(matters={}),
        "matters",
        "expected an array, got object",
    ),
    (
        "matter not an object",
        lambda d: d["matters"].append(3),
        "matters[2]",
        "expected an object, got number",
    ),
    (
        "matter key typo",
        lambda d: _m(d).update(requried=True),
        "matters[0].requried",
        "unknown key",
    ),
    ("code missing", lambda d: _m(d).pop("code"), "matters[0].code", "missing"),
    (
        "code with spaces",
        lambda d: _m(d).update(code="MZ 01"),
        "matters[0].code",
        "not a valid matter code",
    ),
    (
        "code duplicate",
        lambda d: _m(d, 1).update(code=_m(d)["code"]),
        "matters[1].code",
        "duplicate matter code",
    ),
    (
        "name a string",
        lambda d: _m(d).update(name="高龄津贴"),
        "matters[0].name",
        "expected an object, got string",
    ),
    (
        "name without zh_CN",
        lambda d: _m(d).update(name={"en": "x"}),
        "matters[0].name.zh_CN",
        "missing",
    ),
    (
        "name language typo",
        lambda d: _m(d)["name"].update(zh_cn="x"),
        "matters[0].name.zh_cn",
        "unknown key",
    ),
    (
        "name blank",
        lambda d: _m(d)["name"].update(zh_CN="  "),
        "matters[0].name.zh_CN",
        "must not be blank",
    ),
    (
        "name null",
        lambda d: _m(d).update(name=None),
        "matters[0].name",
        "expected an object, got null",
    ),
    (
        "name too long",
        lambda d: _m(d)["name"].update(zh_CN="长" * 101),
        "matters[0].name.zh_CN",
        "too long",
    ),
    (
        "unknown mode",
        lambda d: _m(d).update(modes=["online"]),
        "matters[0].modes[0]",
        "unknown handling mode 'online'",
    ),
    ("no modes", lambda d: _m(d).update(modes=[]), "matters[0].modes", "must not be empty"),
    (
        "mode twice",
        lambda d: _m(d).update(modes=["promised", "promised"]),
        "matters[0].modes[1]",
        "more than once",
    ),
    (
        "required not bool",
        lambda d: _material(d, 1).update(required="yes"),
        "matters[0].materials[1].required",
        "expected true or false, got string",
    ),
    (
        "required missing",
        lambda d: _material(d, 1).pop("required"),
        "matters[0].materials[1].required",
        "missing",
    ),
    (
        "copies negative",
        lambda d: _material(d, 0).update(copies=-1),
        "matters[0].materials[0].copies",
        "out of range",
    ),
    (
        "copies a float",
        lambda d: _material(d, 0).update(copies=1.5),
        "matters[0].materials[0].copies",
        "expected an integer, got number",
    ),
    (
        "popularity a bool",
        lambda d: _m(d).update(popularity=True),
        "matters[0].popularity",
        "expected an integer, got boolean",
    ),
    (
        "unknown trust",
        lambda d: _material(d, 0).update(trust="trusted"),
        "matters[0].materials[0].trust",
        "unknown trust level 'trusted'",
    ),
    (
        "unknown source",
        lambda d: _material(d, 0).update(source_ok=["fax"]),
        "matters[0].materials[0].source_ok[0]",
        "unknown material source",
    ),
    (
        "e-licence trust, no e-licence source",
        lambda d: _material(d, 0).update(source_ok=["paper"]),
        "matters[0].materials[0].source_ok",
        "needs 'e_licence'",
    ),
    (
        "original needed but not asked",
        lambda d: _material(d, 1).update(original=False),
        "matters[0].materials[1].original",
        "must be true",
    ),
    (
        "material code twice",
        lambda d: _material(d, 1).update(code="id_card"),
        "matters[0].materials[1].code",
        "duplicate material code",
    ),
    (
        "material code bad",
        lambda d: _material(d, 1).update(code="户口簿"),
        "matters[0].materials[1].code",
        "not a valid material code",
    ),
    (
        "pages zero",
        lambda d: _material(d, 0).update(pages=0),
        "matters[0].materials[0].pages",
        "out of range",
    ),
    (
        "unknown field kind",
        lambda d: _field(d, 2).update(kind="email"),
        "matters[0].fields[2].kind",
        "unknown field kind 'email'",
    ),
    (
        "choice without choices",
        lambda d: _field(d, 0).pop("choices"),
        "matters[0].fields[0].choices",
        "needs choices",
    ),
    (
        "choices on text",
        lambda d: _field(d, 1).update(choices=[]),
        "matters[0].fields[1].choices",
        "only for fields of kind 'choice'",
    ),
    (
        "empty choices",
        lambda d: _field(d, 0).update(choices=[]),
        "matters[0].fields[0].choices",
        "must not be empty",
    ),
    (
        "choice twice",
        lambda d: _field(d, 0)["choices"][1].update(value="self"),
        "matters[0].fields[0].choices[1].value",
        "duplicate choice value",
    ),
    (
        "min above max",
        lambda d: _field(d, 1).update(min_length=40),
        "matters[0].fields[1].max_length",
        "below min_length",
    ),
    (
        "field key twice",
        lambda d: _field(d, 2).update(key="applicant"),
        "matters[0].fields[2].key",
        "duplicate field key",
    ),
    (
        "field key bad",
        lambda d: _field(d, 2).update(key="Phone No"),
        "matters[0].fields[2].key",
        "not a valid field key",
    ),
    (
        "condition on unknown field",
        lambda d: _field(d, 1)["required_when"].update(field="who"),
        "matters[0].fields[1].required_when",
        "not another field",
    ),
    (
        "condition on non-choice",
        lambda d: _field(d, 1)["required_when"].update(field="phone"),
        "matters[0].fields[1].required_when",
        "not a choice field",
    ),
    (
        "condition value not a choice",
        lambda d: _field(d, 1)["required_when"].update(equals="friend"),
        "matters[0].fields[1].required_when",
        "not one of the choices",
    ),
    (
        "condition on itself",
        lambda d: _field(d, 1)["required_when"].update(field="agent_name"),
        "matters[0].fields[1].required_when",
        "not another field",
    ),
    (
        "condition on a required field",
        lambda d: _field(d, 1).update(required=True),
        "matters[0].fields[1].required_when",
        "makes no sense",
    ),
    (
        "promised without days",
        lambda d: _m(d).update(promised_days=0),
        "matters[0].promised_days",
        "at least 1",
    ),
    (
        "promised over statutory",
        lambda d: _m(d).update(promised_days=30),
        "matters[0].promised_days",
        "exceed the statutory 20",
    ),
    ("visits two", lambda d: _m(d).update(visits=2), "matters[0].visits", "out of range (0..1)"),
    (
        "fee negative",
        lambda d: _m(d)["fee"].update(amount_fen=-100),
        "matters[0].fee.amount_fen",
        "out of range",
    ),
    (
        "fee in yuan",
        lambda d: _m(d)["fee"].update(amount_fen=12.5),
        "matters[0].fee.amount_fen",
        "expected an integer",
    ),
    ("fee without basis", lambda d: _m(d)["fee"].pop("basis"), "matters[0].fee.basis", "missing"),
    (
        "unknown identity proof",
        lambda d: _m(d)["identity"].update(accepts=["passport"]),
        "matters[0].identity.accepts[0]",
        "unknown identity proof",
    ),
    (
        "department renamed",
        lambda d: _m(d, 1).update(department=_m(d)["department"] | {"name": {"zh_CN": "民政局"}}),
        "matters[1].department.name",
        "named differently at matters[0]",
    ),
    (
        "department code bad",
        lambda d: _m(d)["department"].update(code="民政"),
        "matters[0].department.code",
        "not a valid department code",
    ),
    (
        "keyword not a string",
        lambda d: _m(d).update(keywords=[1]),
        "matters[0].keywords[0]",
        "expected a string, got number",
    ),
    (
        "no conditions",
        lambda d: _m(d).update(conditions=[]),
        "matters[0].conditions",
        "must not be empty",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "key", "problem"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_malformed_document_names_file_key_and_problem(
    doc: Doc,
    load_error: Callable[[Doc], CatalogueError],
    tmp_path: Path,
    mutate: Callable[[Doc], object],
    key: str,
    problem: str,
) -> None:
    mutate(doc)
    error = load_error(doc)
    assert error.key == key
    assert problem in error.problem
    assert error.file == str(tmp_path / "catalogue.json")
    assert str(error) == f"{tmp_path / 'catalogue.json'}: {key}: {error.problem}"


def test_the_untouched_document_loads(doc: Doc, load_doc: Callable[[Doc], Any]) -> None:
    assert len(load_doc(doc)) == 2


# (id, raw file content, expected key, expected words)
RAW: list[tuple[str, str | bytes, str, str]] = [
    ("empty file", "", "", "bad JSON at line 1, column 1"),
    (
        "trailing comma",
        '{\n  "schema": 1,\n  "version": "x",\n}',
        "",
        "bad JSON at line 4, column 1",
    ),
    ("unclosed", '{"schema": 1, "matters": [', "", "bad JSON at line 1"),
    ("array on top", "[]", "(top level)", "expected an object, got array"),
    (
        "key twice",
        '{"schema": 1, "schema": 1, "version": "x", "matters": []}',
        "schema",
        "key given more than once",
    ),
    ("not UTF-8", b'{"version": "\xb8\xdf"}', "", "not UTF-8 (bad byte at offset 13)"),
    ("nested too deeply", "[" * 100_000, "", "bad JSON"),
]


@pytest.mark.parametrize(
    ("content", "key", "problem"), [c[1:] for c in RAW], ids=[c[0] for c in RAW]
)
def test_bad_file_content_is_refused_with_position(
    load_error: Callable[[str | bytes], CatalogueError],
    content: str | bytes,
    key: str,
    problem: str,
) -> None:
    error = load_error(content)
    assert error.key == key
    assert problem in error.problem


def test_not_a_number_is_refused_where_a_number_belongs(
    doc: Doc, load_error: Callable[[str], CatalogueError]
) -> None:

    text = json.dumps(doc).replace('"promised_days": 15', '"promised_days": NaN', 1)
    error = load_error(text)
    assert (error.key, error.problem) == (
        "matters[0].promised_days",
        "expected an integer, got NaN",
    )


def test_a_byte_order_mark_is_accepted(doc: Doc, load_doc: Callable[[bytes], Any]) -> None:

    assert len(load_doc(b"\xef\xbb\xbf" + json.dumps(doc).encode())) == 2


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.file == str(path)
    assert "cannot read" in info.value.problem
    assert str(path) in str(info.value)


def test_parse_from_memory_names_the_given_source(doc: Doc) -> None:
    doc["version"] = ""

    with pytest.raises(CatalogueError) as info:
        parse_catalogue(json.dumps(doc), "bundle 42/catalogue.json")
    assert str(info.value) == "bundle 42/catalogue.json: version: must not be blank"
