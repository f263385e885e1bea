"""``kiosk face compare`` and ``kiosk face check``, run as the real command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from sandbox.faces import RESIDENTS
from tests.support.faces import SAMPLES, camera_frame
from tests.terminal.commands.conftest import Done

ELDER, OTHER = str(SAMPLES / "elder.jpg"), str(SAMPLES / "other.jpg")
ON_RECORD = str(RESIDENTS / "110101194305120026.jpg")


def test_compare_says_same_distance_and_threshold(kiosk_cmd: Callable[..., Done]) -> None:
    same = kiosk_cmd("face", "compare", ELDER, ON_RECORD)
    assert same.code == 0, same
    assert same.json()["same"] is True and same.json()["threshold"] == 0.5
    assert same.json()["distance"] < 0.5
    other = kiosk_cmd("face", "compare", ELDER, OTHER, "--threshold", "0.6")
    assert other.code == 0 and other.json()["same"] is False, other
    assert other.json()["distance"] >= 0.6 and other.json()["threshold"] == 0.6


def test_check_prints_the_gates_verdict(kiosk_cmd: Callable[..., Done], tmp_path: Path) -> None:
    good = kiosk_cmd("face", "check", ELDER)
    assert good.code == 0 and good.json()["ok"] is True and good.json()["problems"] == [], good
    dark = tmp_path / "dark.jpg"
    cv2.imwrite(str(dark), (camera_frame().astype(np.float32) * 0.25).astype(np.uint8))
    verdict = kiosk_cmd("face", "check", str(dark))
    assert verdict.code == 0 and verdict.json()["ok"] is False, verdict
    assert "too_dark" in verdict.json()["problems"] and verdict.json()["measure"]["faces"] == 1


def test_no_face_several_faces_or_no_image_is_a_clear_error(
    kiosk_cmd: Callable[..., Done], tmp_path: Path
) -> None:
    blank, two, text = tmp_path / "blank.png", tmp_path / "two.jpg", tmp_path / "notes.jpg"
    cv2.imwrite(str(blank), np.full((300, 300, 3), 128, np.uint8))
    cv2.imwrite(
        str(two), cv2.hconcat([camera_frame()[:, 320:960], camera_frame("other")[:, 320:960]])
    )
    text.write_text("not a picture", encoding="utf-8")
    cases = [
        (("compare", str(blank), ELDER), "blank.png: no face found"),
        (("compare", ELDER, str(two)), "two.jpg: 2 faces found; one is needed"),
        (("check", str(two)), "two.jpg: 2 faces found; one is needed"),
        (("check", str(text)), "notes.jpg: not an image"),
        (("compare", ELDER, str(tmp_path / "gone.jpg")), "gone.jpg: no such file"),
    ]
    for args, why in cases:
        done = kiosk_cmd("face", *args)
        assert done.code == 1 and done.out == "", (args, done)
        assert why in done.err, (args, done)
    assert kiosk_cmd("face", "compare", ELDER).code == 2  # one file: a usage error
