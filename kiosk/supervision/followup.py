"""The follow-up of a bad rating (差评回访整改), as a pure state machine.

Every rating of 不满意 (2) or 非常不满意 (1) must be called back and put right: all of
them called back, rectified within 15 working days (Sichuan's rule, research/features.md
§2.1). A follow-up opens when such a rating arrives and goes

    open --assign--> assigned --call_back(reached)--> called_back --rectify--> rectified
                     assigned --assign--> assigned                (handed to someone else)
                     assigned --call_back(unreachable)--> assigned (an attempt, on record)

Each step is an :class:`AuditEntry`: who did it, when, what it led to, and what they
said. :func:`advance` returns a new follow-up or raises :class:`FollowUpError` with a
code the server maps to an answer (``not_allowed`` 409, the others 422). The fleet
server stores the result (``to_json``/``from_json``); nothing here stores anything.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import enum
from typing import Any

from kiosk.workdays import STATUTORY, Card, WorkCalendar, due_card

BAD_RATING_MAX = 2
RECTIFY_WITHIN_WORKING_DAYS = 15
NOTE_MAX = 500
ACTOR_MAX = 64


class FollowUpState(enum.StrEnum):
    OPEN = "open"  # a bad rating arrived; nobody has it yet
    ASSIGNED = "assigned"  # someone is to call the citizen back
    CALLED_BACK = "called_back"  # 回访: the citizen was reached
    RECTIFIED = "rectified"  # 整改: what went wrong was put right


class Action(enum.StrEnum):
    ASSIGN = "assign"
    CALL_BACK = "call_back"
    RECTIFY = "rectify"


class CallOutcome(enum.StrEnum):
    REACHED = "reached"
    UNREACHABLE = "unreachable"


# (state, action) -> the state it leads to; a call back that did not reach the citizen
# stays where it was (see _next)
MOVES: dict[tuple[FollowUpState, Action], FollowUpState] = {
    (FollowUpState.OPEN, Action.ASSIGN): FollowUpState.ASSIGNED,
    (FollowUpState.ASSIGNED, Action.ASSIGN): FollowUpState.ASSIGNED,
    (FollowUpState.ASSIGNED, Action.CALL_BACK): FollowUpState.CALLED_BACK,
    (FollowUpState.CALLED_BACK, Action.RECTIFY): FollowUpState.RECTIFIED,
}


class FollowUpError(ValueError):
    """A step the follow-up does not take. ``code``: ``not_allowed`` (not from this
    state), ``missing`` (a required field is empty), ``invalid`` (a bad value),
    ``out_of_order`` (earlier than the last step on record)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


@dc.dataclass(frozen=True)
class AuditEntry:
    action: Action
    actor: str  # who did it: a fleet admin's or a staff member's id
    at: dt.datetime  # aware
    state: FollowUpState  # what it led to
    assignee: str = ""  # assign: to whom
    outcome: str = ""  # call_back: a CallOutcome
    note: str = ""  # what was said or done


@dc.dataclass(frozen=True)
class FollowUp:
    rating_id: str
    case_no: str
    level: int
    rated_on: dt.date
    due: dt.date  # rectified by this day
    state: FollowUpState = FollowUpState.OPEN
    assignee: str = ""
    history: tuple[AuditEntry, ...] = ()

    def card(
        self, today: dt.date, warn_days: int = 2, calendar: WorkCalendar = STATUTORY
    ) -> Card | None:
        """Red or yellow against the rectification deadline, as cases get them."""
        finished = self.history[-1].at.date() if self.state is FollowUpState.RECTIFIED else None
        return due_card(self.due, today, warn_days, calendar, finished=finished)

    def to_json(self) -> dict[str, Any]:
        return {
            "rating_id": self.rating_id,
            "case_no": self.case_no,
            "level": self.level,
            "rated_on": self.rated_on.isoformat(),
            "due": self.due.isoformat(),
            "state": str(self.state),
            "assignee": self.assignee,
            "history": [
                {
                    **dc.asdict(e),
                    "action": str(e.action),
                    "state": str(e.state),
                    "at": e.at.isoformat(),
                }
                for e in self.history
            ],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> FollowUp:
        history = tuple(
            AuditEntry(
                action=Action(e["action"]),
                actor=e["actor"],
                at=dt.datetime.fromisoformat(e["at"]),
                state=FollowUpState(e["state"]),
                assignee=e.get("assignee", ""),
                outcome=e.get("outcome", ""),
                note=e.get("note", ""),
            )
            for e in d["history"]
        )
        return cls(
            rating_id=d["rating_id"],
            case_no=d["case_no"],
            level=int(d["level"]),
            rated_on=dt.date.fromisoformat(d["rated_on"]),
            due=dt.date.fromisoformat(d["due"]),
            state=FollowUpState(d["state"]),
            assignee=d.get("assignee", ""),
            history=history,
        )


def open_follow_up(
    rating_id: str,
    case_no: str,
    level: int,
    rated_on: dt.date,
    calendar: WorkCalendar = STATUTORY,
) -> FollowUp:
    """The follow-up a bad rating opens, due ``RECTIFY_WITHIN_WORKING_DAYS`` working
    days after the day it was given."""
    if not 1 <= level <= BAD_RATING_MAX:
        raise FollowUpError("invalid", f"only ratings of 1 or 2 are followed up, not {level}")
    due = calendar.add_working_days(rated_on, RECTIFY_WITHIN_WORKING_DAYS).date
    return FollowUp(rating_id, case_no, level, rated_on, due)


def advance(
    follow_up: FollowUp,
    action: Action,
    *,
    actor: str,
    at: dt.datetime,
    assignee: str = "",
    outcome: str = "",
    note: str = "",
) -> FollowUp:
    """``follow_up`` after ``actor`` did ``action`` at ``at``; see the module docstring."""
    _check(follow_up, action, actor, at, assignee, outcome, note)
    state = _next(follow_up.state, action, outcome)
    entry = AuditEntry(action, actor.strip(), at, state, assignee.strip(), outcome, note.strip())
    return dc.replace(
        follow_up,
        state=state,
        assignee=entry.assignee if action is Action.ASSIGN else follow_up.assignee,
        history=(*follow_up.history, entry),
    )


def _next(state: FollowUpState, action: Action, outcome: str) -> FollowUpState:
    target = MOVES.get((state, action))
    if target is None:
        raise FollowUpError("not_allowed", f"cannot {action} a follow-up that is {state}")
    if action is Action.CALL_BACK and outcome == CallOutcome.UNREACHABLE:
        return state
    return target


def _check(
    follow_up: FollowUp,
    action: Action,
    actor: str,
    at: dt.datetime,
    assignee: str,
    outcome: str,
    note: str,
) -> None:
    if not actor.strip() or len(actor) > ACTOR_MAX:
        raise FollowUpError("missing", "who did it (actor) is required")
    if at.tzinfo is None:
        raise FollowUpError("invalid", "the time must carry its zone")
    if follow_up.history and at < follow_up.history[-1].at:
        raise FollowUpError("out_of_order", "earlier than the last step on record")
    if len(note) > NOTE_MAX:
        raise FollowUpError("invalid", f"a note is at most {NOTE_MAX} characters")
    if action is Action.ASSIGN and not assignee.strip():
        raise FollowUpError("missing", "assign to whom (assignee) is required")
    if action is Action.CALL_BACK and outcome not in tuple(CallOutcome):
        raise FollowUpError("invalid", "a call back is reached or unreachable")
    if action is Action.RECTIFY and not note.strip():
        raise FollowUpError("missing", "say what was put right (note)")
