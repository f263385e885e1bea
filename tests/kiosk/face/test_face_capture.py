"""The live capture on the simulated camera replaying face clips, read by the real
model: a live person gives a face crop and the liveness evidence; a photo held up, or
nobody, fails with the reason; the camera keeps no frame afterwards."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from devices.camera import Camera, open_camera
from devices.face import decode, shared_model
from devices.face.synth import face_clip
from devices.simulation import Simulators
from kiosk.face.capture import Board, CaptureFailed, FaceCapture, Phase
from kiosk.face.liveness import Action


@pytest.fixture
def camera() -> Iterator[tuple[Camera, Simulators]]:
    sims = Simulators()
    cam = open_camera("sim://camera?fps=10", simulators=sims)
    yield cam, sims
    cam.close()


def capture(cam: Camera, seed: int = 1, action_s: float = 6.0) -> FaceCapture:
    return FaceCapture(cam, shared_model(), action_s=action_s, rng=random.Random(seed))


class Watched(Board):
    """A board that remembers every prompt posted."""

    def __init__(self) -> None:
        super().__init__()
        self.prompts: list[str] = []

    def post(self, progress: object) -> None:
        super().post(progress)  # type: ignore[arg-type]
        self.prompts.append(progress.prompt)  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", [1, 2])
def test_a_live_person_gives_a_face_crop_and_the_evidence(
    camera: tuple[Camera, Simulators], seed: int
) -> None:
    cam, sims = camera
    assert sims.camera is not None
    sims.camera.play(face_clip("elder"))
    board = Watched()
    result = capture(cam, seed).run(board)
    assert result is not None
    assert Action.BLINK in result.actions and len(result.actions) == 2  # a blink and a turn
    crop = decode(result.jpeg)
    assert crop.shape[1] <= 360 and len(shared_model().analyse(crop)) == 1
    assert result.frames > 5
    assert "face.prompt.blink" in board.prompts
    assert board.read().phase is Phase.DONE
    assert cam.latest() is None  # stopped: no frame of the face is left behind


def test_a_photo_held_up_fails_the_liveness_check(camera: tuple[Camera, Simulators]) -> None:
    cam, sims = camera
    assert sims.camera is not None
    sims.camera.play(face_clip("elder", live=False))
    board = Watched()
    with pytest.raises(CaptureFailed) as failed:
        capture(cam, action_s=3.0).run(board)
    assert failed.value.reason == "liveness"
    assert any(
        p in ("face.prompt.blink", "face.prompt.turn_left", "face.prompt.turn_right")
        for p in board.prompts
    )
    assert cam.latest() is None


def test_nobody_in_front_of_the_camera_is_asked_to_face_it(
    camera: tuple[Camera, Simulators],
) -> None:
    cam, _sims = camera  # the simulator's own scene: no face in it
    board = Watched()
    with pytest.raises(CaptureFailed) as failed:
        capture(cam, action_s=3.0).run(board)
    assert failed.value.reason == "position"
    assert set(board.prompts) == {"face.prompt.no_face"}


def test_leaving_the_step_stops_the_capture(camera: tuple[Camera, Simulators]) -> None:
    cam, sims = camera
    assert sims.camera is not None
    sims.camera.play(face_clip("elder", live=False))
    asked = iter([True, True, True, False])
    assert capture(cam).run(Board(), wanted=lambda: next(asked, False)) is None
    assert cam.latest() is None
