"""The quality gate on real frames (the model reads them) and on measures alone."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.face import Limits, Measure, Problem, check, judge, shared_model
from devices.face.landmarks import eyes_open, yaw
from devices.face.synth import VARIANTS, Pose
from tests.support.faces import camera_frame


def verdict(image: np.ndarray) -> tuple[Problem, ...]:
    return check(image, shared_model().analyse(image)).problems


def test_a_good_frontal_frame_passes() -> None:
    assert verdict(camera_frame()) == ()


def test_no_face_and_two_faces_are_refused_first() -> None:
    assert verdict(np.full((720, 1280, 3), 128, np.uint8)) == (Problem.NO_FACE,)
    two = np.hstack([camera_frame()[:, 320:960], camera_frame("other")[:, 320:960]])
    assert verdict(two) == (Problem.SEVERAL_FACES,)


def test_a_face_far_away_is_asked_to_come_closer() -> None:
    small = cv2.resize(camera_frame(), (640, 360))  # the face: 13 % of the frame's width
    frame = np.full((720, 1280, 3), 128, np.uint8)
    frame[180:540, 320:960] = small
    assert Problem.TOO_SMALL in verdict(frame)


def test_dark_and_blurred_frames_are_named() -> None:
    dark = (camera_frame().astype(np.float32) * 0.25).astype(np.uint8)
    assert Problem.TOO_DARK in verdict(dark)
    blurred = cv2.GaussianBlur(camera_frame(), (0, 0), 9)
    assert Problem.BLURRY in verdict(blurred)


def test_shut_eyes_and_a_turned_head_move_the_landmark_signals() -> None:
    model = shared_model()
    open_eyes = eyes_open(model.single(camera_frame()).landmarks)
    shut = [
        eyes_open(model.single(camera_frame(pose=Pose(shut=1.0, variant=v))).landmarks)
        for v in range(len(VARIANTS))
    ]
    assert min(shut) < 0.7 * open_eyes  # a blink's frames: at least one reads shut
    left = yaw(model.single(camera_frame(pose=Pose(turn=1.0))).landmarks)
    right = yaw(model.single(camera_frame(pose=Pose(turn=-1.0))).landmarks)
    assert left > 0.15 > -0.15 > right


@pytest.mark.parametrize(
    ("measure", "problems"),
    [
        (Measure(1, 0.3, 0.0, 0.0, 0.3, 120, 100), ()),
        (Measure(1, 0.1, 0.0, 0.0, 0.3, 120, 100), (Problem.TOO_SMALL,)),
        (Measure(1, 0.9, 0.0, 0.0, 0.3, 120, 100), (Problem.TOO_CLOSE,)),
        (Measure(1, 0.3, 0.4, 0.0, 0.3, 120, 100), (Problem.NOT_FRONTAL,)),
        (Measure(1, 0.3, 0.0, 25.0, 0.3, 120, 100), (Problem.NOT_FRONTAL,)),
        (Measure(1, 0.3, 0.0, 0.0, 0.1, 120, 100), (Problem.EYES_CLOSED,)),
        (Measure(1, 0.3, 0.0, 0.0, 0.3, 30, 100), (Problem.TOO_DARK,)),
        (Measure(1, 0.3, 0.0, 0.0, 0.3, 240, 100), (Problem.TOO_BRIGHT,)),
        (Measure(1, 0.3, 0.0, 0.0, 0.3, 120, 5), (Problem.BLURRY,)),
        (
            Measure(1, 0.1, 0.4, 0.0, 0.1, 30, 5),
            (
                Problem.TOO_SMALL,
                Problem.NOT_FRONTAL,
                Problem.TOO_DARK,
                Problem.EYES_CLOSED,
                Problem.BLURRY,
            ),
        ),
        (Measure(2, 0.3), (Problem.SEVERAL_FACES,)),
        (Measure(0), (Problem.NO_FACE,)),
    ],
)
def test_the_gate_names_what_to_fix_most_important_first(
    measure: Measure, problems: tuple[Problem, ...]
) -> None:
    assert judge(measure).problems == problems


def test_a_site_may_loosen_the_limits() -> None:
    dim = Measure(1, 0.3, 0.0, 0.0, 0.3, 50, 100)
    assert not judge(dim).ok
    assert judge(dim, Limits(min_light=40)).ok
