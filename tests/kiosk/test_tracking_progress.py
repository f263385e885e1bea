"""办件进度's lines: the state's label and the platform's note, nothing said twice.

Regression (issue 19, item 7b): the case screen wrote "已受理（已受理）" and
"已收件（已收件，等待材料上传）": the label, then the platform's note that repeats it.
"""

from __future__ import annotations

import json

import pytest

from config import I18N_DIR
from kiosk.tracking import progress_text
from kiosk.upstream.models import CaseState
from sandbox.review import NOTES

ZH = json.loads((I18N_DIR / "zh_CN.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("state", list(CaseState))
def test_the_platforms_notes_do_not_repeat_the_label(state: CaseState) -> None:
    label = ZH[f"tracking.status.{state}"]
    line = progress_text(label, NOTES[state])
    assert line.count(label) == 1, line
    assert NOTES[state] in line  # whatever more the platform said is kept


@pytest.mark.parametrize(
    ("label", "note", "line"),
    [
        ("已受理", "已受理", "已受理"),
        ("已收件", "已收件，等待材料上传", "已收件，等待材料上传"),
        ("审核中", "部门审核中", "部门审核中"),
        ("退回补正", "缺少户口簿", "退回补正（缺少户口簿）"),
        ("已受理", "", "已受理"),
        ("已受理", "  ", "已受理"),
        ("Accepted", "已受理", "Accepted（已受理）"),  # English label, the platform's Chinese
    ],
)
def test_a_note_follows_the_label_only_when_it_adds_something(
    label: str, note: str, line: str
) -> None:
    assert progress_text(label, note) == line
