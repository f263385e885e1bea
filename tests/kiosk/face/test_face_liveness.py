"""The liveness check on recorded landmark sequences (sequences.json, made by record.py
from the real model on synthesised clips): a live person passes whatever is asked, a
still photo never does, and the rules on time, order and continuity hold."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from kiosk.face.liveness import (
    LOST_S,
    Action,
    LivenessCheck,
    Outcome,
    Sample,
    State,
    challenge,
)

SEQUENCES = json.loads(Path(__file__).with_name("sequences.json").read_text(encoding="utf-8"))
CLIP_S = len(SEQUENCES["live"]) / 10.0


def samples(name: str, loops: int = 1) -> list[Sample]:
    """The recorded sequence, looped as the simulated camera loops its clip."""
    out = []
    for loop in range(loops):
        for s in SEQUENCES[name]:
            at = s["at"] + loop * CLIP_S
            if not s["face"]:
                out.append(Sample(at, face=False))
                continue
            out.append(Sample(at, True, s["eyes"], s["yaw"], tuple(s["centre"]), s["width"]))
    return out


def run(check: LivenessCheck, feed: list[Sample]) -> State:
    state = None
    for s in feed:
        state = check.feed(s)
        if state.outcome is not Outcome.RUNNING:
            break
    assert state is not None
    return state


ORDERS = [
    (Action.BLINK, Action.TURN_LEFT),
    (Action.BLINK, Action.TURN_RIGHT),
    (Action.TURN_LEFT, Action.BLINK),
    (Action.TURN_RIGHT, Action.BLINK),
]


@pytest.mark.parametrize("actions", ORDERS)
def test_a_live_person_passes_whatever_is_asked(actions: tuple[Action, ...]) -> None:
    state = run(LivenessCheck(actions, action_s=10.0, start=0.0), samples("live", loops=3))
    assert state.outcome is Outcome.PASSED and state.done == 2 and state.current is None


@pytest.mark.parametrize("actions", ORDERS)
def test_a_still_photo_never_passes(actions: tuple[Action, ...]) -> None:
    check = LivenessCheck(actions, action_s=10.0, start=0.0)
    state = run(check, samples("still", loops=3))
    assert state.outcome is Outcome.TIMED_OUT and state.done == 0
    assert check.frames > 50  # it saw the photo all along, it just never moved


def test_each_action_has_its_own_time_limit() -> None:
    live = samples("live", loops=4)
    # asked to turn right first: the clip's right turn comes only after 4.2 s
    tight = run(LivenessCheck((Action.TURN_RIGHT,), action_s=3.0, start=0.0), live)
    assert tight.outcome is Outcome.TIMED_OUT
    roomy = run(LivenessCheck((Action.TURN_RIGHT,), action_s=6.0, start=0.0), live)
    assert roomy.outcome is Outcome.PASSED


def test_a_turn_the_other_way_does_not_count() -> None:
    live = [s for s in samples("live") if s.at < 3.1]  # still, a blink, a turn to the left
    state = run(LivenessCheck((Action.TURN_RIGHT,), action_s=60.0, start=0.0), live)
    assert state.outcome is Outcome.RUNNING and state.done == 0
    state = run(LivenessCheck((Action.TURN_LEFT,), action_s=60.0, start=0.0), live)
    assert state.outcome is Outcome.PASSED


def open_eyes(at: float, x: float = 640.0) -> Sample:
    return Sample(at, True, 0.3, 0.0, (x, 360.0), 300.0)


def shut_eyes(at: float) -> Sample:
    return Sample(at, True, 0.1, 0.0, (640.0, 360.0), 300.0)


def test_another_face_or_a_lost_one_starts_again() -> None:
    check = LivenessCheck((Action.BLINK, Action.TURN_LEFT), action_s=10.0, start=0.0)
    for s in (open_eyes(0.0), shut_eyes(0.1), open_eyes(0.2)):
        state = check.feed(s)
    assert state.done == 1 and state.current is Action.TURN_LEFT
    swapped = check.feed(open_eyes(0.3, x=1000.0))  # a face half a frame away: not the same
    assert swapped.restarted and swapped.done == 0 and swapped.current is Action.BLINK
    for s in (shut_eyes(0.4), open_eyes(0.5)):
        state = check.feed(s)
    assert state.done == 1
    gone = check.feed(Sample(0.5 + LOST_S + 0.1, face=False))
    assert gone.restarted and gone.done == 0


def test_a_half_blink_is_no_blink() -> None:
    check = LivenessCheck((Action.BLINK,), action_s=5.0, start=0.0)
    feed = [open_eyes(0.0), Sample(0.1, True, 0.25, 0.0, (640.0, 360.0), 300.0), open_eyes(0.2)]
    feed += [open_eyes(t / 10) for t in range(3, 60)]
    assert run(check, feed).outcome is Outcome.TIMED_OUT


def test_the_challenge_is_a_blink_and_a_turn_in_random_order_and_direction() -> None:
    seen = {challenge(random.Random(seed)) for seed in range(40)}
    assert seen == set(ORDERS)
    with pytest.raises(ValueError):
        LivenessCheck((), action_s=5.0, start=0.0)
