"""Read and strictly validate a catalogue file (config/catalogue.json, or a fleet bundle's).

A bad file stops start-up: every problem raises :class:`CatalogueError` naming the file,
the key path and what is wrong. Beyond types, the loader checks what a schema cannot
say: unique codes, choices that exist, time limits that agree with the handling modes,
trust levels that agree with the sources.
"""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.catalogue.errors import CatalogueError
from kiosk.catalogue.fields import read_fields
from kiosk.catalogue.model import (
    Department,
    Fee,
    HandlingMode,
    Identity,
    IdentityProof,
    Material,
    MaterialSource,
    Matter,
    TrustLevel,
)
from kiosk.catalogue.reader import (
    KEY,
    Node,
    parse_json,
    read_code,
    read_enum,
    read_enum_set,
    read_text,
)
from kiosk.catalogue.store import Catalogue

SCHEMA = 1
MAX_DAYS = 365
MATTER_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
DEPARTMENT_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def load_catalogue(path: Path) -> Catalogue:
    """Load and validate the catalogue at ``path``; CatalogueError if it cannot be used."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(str(path), "", f"cannot read: {exc.strerror or exc}") from exc
    return parse_catalogue(raw, str(path))


def parse_catalogue(data: bytes | str, file: str) -> Catalogue:
    """Validate catalogue JSON already in memory (e.g. from a signed fleet bundle)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problem = f"not UTF-8 (bad byte at offset {exc.start})"
            raise CatalogueError(file, "", problem) from exc
    top = parse_json(data, file).obj({"schema", "version", "matters"}, {"note"})
    top.req("schema").integer(SCHEMA, SCHEMA)
    version = top.req("version").string(most=64)
    note_node = top.opt("note")
    matters = [read_matter(n) for n in top.req("matters").items(nonempty=True)]
    _check_unique_codes(top.req("matters"), matters)
    _check_departments(top.req("matters"), matters)
    note = read_text(note_node) if note_node else None
    return Catalogue(matters, version=version, source=file, note=note)


_MATTER_REQUIRED = {
    "code",
    "name",
    "summary",
    "department",
    "modes",
    "identity",
    "conditions",
    "materials",
    "fields",
    "promised_days",
    "statutory_days",
    "fee",
    "visits",
    "place",
    "hours",
    "legal_basis",
    "popularity",
}


def read_matter(node: Node) -> Matter:
    obj = node.obj(_MATTER_REQUIRED, {"keywords"})
    modes = read_enum_set(obj.req("modes"), HandlingMode, "handling mode")
    promised, statutory = _read_days(obj.req("promised_days"), obj.opt("statutory_days"))
    if HandlingMode.PROMISED in modes and promised == 0:
        obj.req("promised_days").fail("must be at least 1 for a matter handled as 'promised'")
    keywords = obj.opt("keywords")
    return Matter(
        code=read_code(obj.req("code"), MATTER_CODE, "matter code"),
        name=read_text(obj.req("name"), most=100),
        summary=read_text(obj.req("summary")),
        department=_read_department(obj.req("department")),
        modes=modes,
        identity=_read_identity(obj.req("identity")),
        conditions=tuple(read_text(n) for n in obj.req("conditions").items(nonempty=True)),
        materials=_read_materials(obj.req("materials")),
        fields=read_fields(obj.req("fields")),
        promised_days=promised,
        statutory_days=statutory,
        fee=_read_fee(obj.req("fee")),
        visits=obj.req("visits").integer(0, 1),
        place=read_text(obj.req("place")),
        hours=read_text(obj.req("hours")),
        legal_basis=read_text(obj.req("legal_basis")),
        popularity=obj.req("popularity").integer(1, 100_000),
        keywords=tuple(n.string(most=50) for n in keywords.items()) if keywords else (),
    )


def _read_days(promised_node: Node, statutory_node: Node | None) -> tuple[int, int | None]:
    promised = promised_node.integer(0, MAX_DAYS)
    if statutory_node is None:
        return promised, None
    statutory = statutory_node.integer(0, MAX_DAYS)
    if promised > statutory:
        promised_node.fail(f"promised days ({promised}) exceed the statutory {statutory}")
    return promised, statutory


def _read_department(node: Node) -> Department:
    obj = node.obj({"code", "name"})
    code = read_code(obj.req("code"), DEPARTMENT_CODE, "department code")
    return Department(code, read_text(obj.req("name"), most=100))


def _read_identity(node: Node) -> Identity:
    obj = node.obj({"accepts", "face_check", "agent_allowed"}, {"certification"})
    accepts = read_enum_set(obj.req("accepts"), IdentityProof, "identity proof")
    certification = obj.opt("certification")
    return Identity(
        accepts,
        obj.req("face_check").boolean(),
        obj.req("agent_allowed").boolean(),
        certification.boolean() if certification is not None else False,
    )


def _read_fee(node: Node) -> Fee:
    obj = node.obj({"amount_fen", "basis"})
    return Fee(obj.req("amount_fen").integer(0, 1_000_000_000), read_text(obj.req("basis")))


def _read_materials(node: Node) -> tuple[Material, ...]:
    items = node.items(most=50)
    materials = tuple(_read_material(n) for n in items)
    seen: set[str] = set()
    for item, material in zip(items, materials, strict=True):
        if material.code in seen:
            Node(None, item.child("code"), item.file).fail(
                f"duplicate material code {material.code!r} in this matter"
            )
        seen.add(material.code)
    return materials


_MATERIAL_REQUIRED = {
    "code",
    "name",
    "required",
    "copies",
    "original",
    "trust",
    "source_ok",
    "camera_hint",
}


def _read_material(node: Node) -> Material:
    obj = node.obj(_MATERIAL_REQUIRED, {"pages", "note"})
    trust = read_enum(obj.req("trust"), TrustLevel, "trust level")
    sources = read_enum_set(obj.req("source_ok"), MaterialSource, "material source")
    if trust is TrustLevel.E_LICENCE_OK and MaterialSource.E_LICENCE not in sources:
        obj.req("source_ok").fail("trust 'e_licence_ok' needs 'e_licence' among the sources")
    original = obj.req("original").boolean()
    if trust is TrustLevel.ORIGINAL_NEEDED and not original:
        obj.req("original").fail("must be true when trust is 'original_needed'")
    pages, note = obj.opt("pages"), obj.opt("note")
    return Material(
        code=read_code(obj.req("code"), KEY, "material code"),
        name=read_text(obj.req("name"), most=100),
        required=obj.req("required").boolean(),
        copies=obj.req("copies").integer(0, 20),
        original=original,
        trust=trust,
        source_ok=sources,
        camera_hint=read_text(obj.req("camera_hint")),
        pages=pages.integer(1, 50) if pages else 1,
        note=read_text(note) if note else None,
    )


def _check_unique_codes(node: Node, matters: list[Matter]) -> None:
    first: dict[str, int] = {}
    for i, matter in enumerate(matters):
        if matter.code in first:
            Node(None, f"{node.path}[{i}].code", node.file).fail(
                f"duplicate matter code {matter.code!r} (also at matters[{first[matter.code]}])"
            )
        first[matter.code] = i


def _check_departments(node: Node, matters: list[Matter]) -> None:
    """One department code, one name: a mismatch is almost always a copy-paste slip."""
    first: dict[str, int] = {}
    for i, matter in enumerate(matters):
        dept = matter.department
        j = first.setdefault(dept.code, i)
        if matters[j].department != dept:
            Node(None, f"{node.path}[{i}].department.name", node.file).fail(
                f"department {dept.code!r} is named differently at matters[{j}]"
            )
