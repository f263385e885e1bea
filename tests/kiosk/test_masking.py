"""The masking rules, pinned, and kept in one module (kiosk/masking.py).

The screen, the paper and the logs all mask through kiosk.masking; the second half of
this file reads every source file of the kiosk and fails when one of them builds
asterisks of its own, i.e. re-implements a rule that could then drift.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

import pytest

from kiosk import masking
from kiosk.logs import redact
from tests.support import ROOT

SOURCES = ("kiosk", "screens", "devices", "provisioning")
RULES = ROOT / "kiosk" / "masking.py"


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        # ID numbers: first 4 and last 4, whatever the length; X kept as printed
        (masking.mask_id_number, "110101194301010012", "1101**********0012"),
        (masking.mask_id_number, "11010119430101001X", "1101**********001X"),
        (masking.mask_id_number, " 110101194301010012 ", "1101**********0012"),
        (masking.mask_id_number, "CAN310880101002", "CAN3*******1002"),
        (masking.mask_id_number, "110101194501011236", "1101**********1236"),
        (masking.mask_id_number, "12345678", "********"),
        (masking.mask_id_number, "1234", "****"),
        # names: the family name (first character) kept, the given name masked
        (masking.mask_name, "王秀英", "王**"),
        (masking.mask_name, "李", "李*"),
        (masking.mask_name, "欧阳娜娜", "欧***"),
        (masking.mask_name, "", ""),
        # phones: middle-masked, 3 + 4 kept
        (masking.mask_phone, "13800138000", "138****8000"),
        (masking.mask_phone, "138 0013 8000", "138****8000"),
        (masking.mask_phone, "123456", "******"),
        # PANs: first 6 and last 4
        (masking.mask_pan, "6222020200112233446", "622202*********3446"),
        (masking.mask_pan, "6200 0000 0000 0005", "620000******0005"),
        (masking.mask_pan, "1", "*"),
        # other numbers and places
        (masking.mask_card_number, "T00000001", "*****0001"),
        (masking.mask_card_id, "330100D15600000500BF7C7A48FB4966", "330100" + "*" * 26),
        (masking.mask_place, "330102", "33****"),
        (masking.mask_address, "测试省示例市幸福县测试村一组8号", "测试省示例市***"),
        (masking.mask_address, "东湖村", "东湖*"),
    ],
)
def test_the_masking_rules(rule: Callable[[str], str], value: str, expected: str) -> None:
    assert rule(value) == expected


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("name", "王秀英", "王**"),
        ("id_number", "110101194301010012", "1101**********0012"),
        ("phone", "13800138000", "138****8000"),
        ("bank_card", "6222020200112233446", "622202*********3446"),
        ("text", "东湖村三组", "东湖村三组"),
        ("phone", "", ""),
    ],
)
def test_a_field_is_masked_by_its_kind(kind: str, value: str, expected: str) -> None:
    assert masking.mask_field(kind, value) == expected


def test_the_log_safety_net_masks_with_the_same_rules() -> None:
    line = "id 110101194301010012 card 6222020200112233446 phone 13800138000"
    assert redact(line) == (
        f"id {masking.mask_id_number('110101194301010012')} "
        f"card {masking.mask_pan('6222020200112233446')} phone {masking.mask_phone('13800138000')}"
    )


# ---- nobody masks in their own way ----------------------------------------------------


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (examples there are prose)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def mask_literals(source: str) -> Iterator[tuple[int, str]]:
    """(line, literal) for each string that looks like a mask being built: only
    asterisks, or a run of two or more of them."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            text = node.value
            if (text and not text.strip("*")) or "**" in text:
                yield node.lineno, text


def kv_mask_lines(source: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(source.splitlines(), 1):
        code = line.split("#", 1)[0]
        if "'*'" in code or '"*"' in code or "**" in code:
            yield number, line.strip()


def test_no_module_but_kiosk_masking_builds_a_mask() -> None:
    offenders: list[str] = []
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            if path == RULES or ".venv" in path.parts:
                continue
            for line, text in mask_literals(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
        for path in sorted((ROOT / top).rglob("*.kv")):
            for line, text in kv_mask_lines(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {text}")
    assert offenders == [], "mask with kiosk.masking instead:\n" + "\n".join(offenders)


def test_the_check_sees_a_mask_built_by_hand() -> None:
    home_made = '"""Docstring: 1101**********1234 is fine here."""\n' + (
        "def show(v):\n    return v[:3] + '*' * (len(v) - 7) + v[-4:]\n"
        "def show2(v):\n    return f'{v[:4]}**********{v[-4:]}'\n"
    )
    assert sorted(line for line, _ in mask_literals(home_made)) == [3, 5]
    assert list(kv_mask_lines("Label:\n    text: root.v[:3] + '*' * 4  # masked\n"))
    assert mask_literals(RULES.read_text(encoding="utf-8"))  # the rules themselves would be
