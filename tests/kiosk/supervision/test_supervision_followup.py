"""The follow-up of a bad rating (差评回访整改): assigned → called back → rectified, who
did what on record, due in 15 working days; every other move refused."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.supervision import Action, FollowUpError, FollowUpState, advance, open_follow_up
from kiosk.supervision.followup import FollowUp
from kiosk.workdays import Card

CST = dt.timezone(dt.timedelta(hours=8))
RATED = dt.date(2026, 9, 25)  # a Friday before 国庆


def at(day: int, hour: int = 10, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=CST)


def opened() -> FollowUp:
    return open_follow_up("R00000042", "33011020260925000017", 1, RATED)


def test_a_bad_rating_is_followed_through_with_who_did_what() -> None:
    follow = opened()
    assert follow.state is FollowUpState.OPEN
    assert follow.due == dt.date(2026, 10, 22)  # 15 working days: 国庆 off, 10 Oct 调休 on
    follow = advance(follow, Action.ASSIGN, actor="admin-county", at=at(8), assignee="A-007")
    follow = advance(
        follow, Action.CALL_BACK, actor="A-007", at=at(9), outcome="unreachable", note="无人接听"
    )
    assert follow.state is FollowUpState.ASSIGNED  # an attempt, on record
    follow = advance(follow, Action.CALL_BACK, actor="A-007", at=at(9, 15), outcome="reached")
    follow = advance(follow, Action.RECTIFY, actor="A-007", at=at(12), note="窗口增加一名帮办员")
    assert follow.state is FollowUpState.RECTIFIED and follow.assignee == "A-007"
    assert [(e.action, e.actor, e.state) for e in follow.history] == [
        (Action.ASSIGN, "admin-county", FollowUpState.ASSIGNED),
        (Action.CALL_BACK, "A-007", FollowUpState.ASSIGNED),
        (Action.CALL_BACK, "A-007", FollowUpState.CALLED_BACK),
        (Action.RECTIFY, "A-007", FollowUpState.RECTIFIED),
    ]
    assert follow.history[0].assignee == "A-007" and follow.history[1].note == "无人接听"
    assert FollowUp.from_json(follow.to_json()) == follow  # what the server stores


def test_a_follow_up_may_be_handed_on_before_the_call() -> None:
    follow = advance(opened(), Action.ASSIGN, actor="admin", at=at(8), assignee="A-007")
    follow = advance(follow, Action.ASSIGN, actor="admin", at=at(8, 11), assignee="A-009")
    assert follow.assignee == "A-009" and follow.state is FollowUpState.ASSIGNED


@pytest.mark.parametrize(
    ("steps", "action", "kw", "code"),
    [
        ((), Action.CALL_BACK, {"outcome": "reached"}, "not_allowed"),  # nobody has it
        ((), Action.RECTIFY, {"note": "x"}, "not_allowed"),
        ((Action.ASSIGN,), Action.RECTIFY, {"note": "x"}, "not_allowed"),  # never called
        ((Action.ASSIGN,), Action.ASSIGN, {}, "missing"),  # to whom?
        ((Action.ASSIGN,), Action.CALL_BACK, {"outcome": "maybe"}, "invalid"),
        ((Action.ASSIGN, Action.CALL_BACK), Action.RECTIFY, {"note": " "}, "missing"),
        (
            (Action.ASSIGN, Action.CALL_BACK, Action.RECTIFY),
            Action.ASSIGN,
            {"assignee": "A-1"},
            "not_allowed",
        ),  # rectified is the end
    ],
)
def test_other_moves_are_refused_with_a_code(
    steps: tuple[Action, ...], action: Action, kw: dict[str, str], code: str
) -> None:
    follow = opened()
    args = {
        Action.ASSIGN: {"assignee": "A-007"},
        Action.CALL_BACK: {"outcome": "reached"},
        Action.RECTIFY: {"note": "已整改"},
    }
    for hour, step in enumerate(steps, start=9):
        follow = advance(follow, step, actor="A-007", at=at(8, hour), **args[step])
    with pytest.raises(FollowUpError) as err:
        advance(follow, action, actor="A-007", at=at(8, 20), **kw)
    assert err.value.code == code


def test_the_audit_needs_an_actor_and_a_time_in_order() -> None:
    follow = advance(opened(), Action.ASSIGN, actor="admin", at=at(8), assignee="A-007")
    for kw, code in [
        ({"actor": " ", "at": at(9)}, "missing"),
        ({"actor": "A-007", "at": at(7)}, "out_of_order"),
        ({"actor": "A-007", "at": dt.datetime(2026, 10, 9, 10)}, "invalid"),  # naive
    ]:
        with pytest.raises(FollowUpError) as err:
            advance(follow, Action.CALL_BACK, outcome="reached", **kw)  # type: ignore[arg-type]
        assert err.value.code == code


def test_only_bad_ratings_are_followed_up() -> None:
    with pytest.raises(FollowUpError):
        open_follow_up("R1", "C1", 3, RATED)


def test_a_follow_up_gets_cards_against_its_deadline() -> None:
    follow = opened()  # due 2026-10-22, a Thursday
    assert follow.card(dt.date(2026, 10, 19)) is None
    assert follow.card(dt.date(2026, 10, 20)) is Card.YELLOW
    assert follow.card(dt.date(2026, 10, 23)) is Card.RED
    follow = advance(follow, Action.ASSIGN, actor="admin", at=at(8), assignee="A-1")
    follow = advance(follow, Action.CALL_BACK, actor="A-1", at=at(9), outcome="reached")
    late = advance(follow, Action.RECTIFY, actor="A-1", at=at(26), note="已整改")
    assert late.card(dt.date(2026, 11, 30)) is Card.RED  # rectified, but late
    on_time = advance(follow, Action.RECTIFY, actor="A-1", at=at(22), note="已整改")
    assert on_time.card(dt.date(2026, 11, 30)) is None
