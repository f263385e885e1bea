"""What the kiosk counts, as data: each metric, the dimensions it is counted by, the
values each dimension may take, and the most one kiosk can plausibly count in an hour.

Every dimension is a closed list (an enum of this module or of the flows) except the
matter, which must be a code of the kiosk's catalogue. Nothing else can be counted, so
no name, number, case number or free text can reach a counter: a value outside its
list is refused (:class:`UsageRefused`) when recorded and again when sent. The same
tables make the batch's JSON Schema (kiosk/usage/batch.py, docs/analytics.md).
"""

from __future__ import annotations

import dataclasses as dc
import enum
from collections.abc import Container, Mapping

from kiosk.errors import KioskError
from kiosk.flows.base import Step
from kiosk.flows.kinds import FlowKind
from kiosk.session import EndReason
from kiosk.upstream.service_models import COMPLAINT_CATEGORIES

COUNT_CAP = 600  # one kiosk, one hour: a journey every six seconds is already absurd
SECONDS_CAP = 7_200  # one citizen at a time; a visit that ends this hour began at most
VISIT_MAX_S = 3_600  # an hour before (a longer one is counted as an hour)


class Metric(enum.StrEnum):
    SESSIONS_STARTED = "sessions_started"  # a citizen left the attract screen
    SESSIONS_ENDED = "sessions_ended"  # by reason
    JOURNEYS_STARTED = "journeys_started"  # a matter in a mode, or a service
    JOURNEYS_COMPLETED = "journeys_completed"  # reached what it was for (COMPLETED_AT)
    JOURNEYS_ABANDONED = "journeys_abandoned"  # left before that: at which step, how
    JOURNEYS_ASSISTED = "journeys_assisted"  # started by an agent for a citizen (帮办)
    STEPS_REACHED = "steps_reached"  # the funnel: journeys that reached the step
    STEP_SECONDS = "step_seconds"  # time spent at the step, in whole seconds
    STEP_VISITS = "step_visits"  # visits timed (seconds / visits = the mean)
    IDENTITY_PROVEN = "identity_proven"  # per session, by method
    SESSIONS_USING = "sessions_using"  # 长辈版, the English UI, voice guidance
    CAPTURES_RETAKEN = "captures_retaken"
    PRINTS = "prints"  # by result: printed, paper out, …
    QR_SCANS_FAILED = "qr_scans_failed"  # by reason
    RATINGS = "ratings"  # 好差评 by level
    COMPLAINTS_FILED = "complaints_filed"  # 意见投诉 by category


class IdentityMethod(enum.StrEnum):
    ID_CARD = "id_card"
    SOCIAL_SECURITY_CARD = "social_security_card"
    BANK_CARD = "bank_card"
    QR_EID = "qr_eid"
    FACE = "face"
    AGENT = "agent"  # a number typed by a signed-in agent who checked the person
    TYPED = "typed"  # typed by the citizen, where a matter's policy allows it


class Feature(enum.StrEnum):
    ELDERLY = "elderly"  # 长辈版
    ENGLISH = "english"
    VOICE = "voice"


class AbandonReason(enum.StrEnum):
    BACK = "back"  # backed out of the journey's first step
    LEFT = "left"  # went home and began something else
    TIMEOUT = "timeout"  # walked away: the idle timeout ended the session
    CARD_REMOVED = "card_removed"
    FINISHED = "finished"  # pressed 退出 (finish) midway
    CANCELLED = "cancelled"


class PrintResult(enum.StrEnum):
    PRINTED = "printed"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    UNCONFIRMED = "unconfirmed"  # the printer could not confirm the job
    FAILED = "failed"
    NO_PRINTER = "no_printer"


class QrFailure(enum.StrEnum):
    TIMEOUT = "timeout"  # no code read in time
    NOT_OURS = "not_ours"  # a lookalike of our receipt code
    NOT_A_RECEIPT = "not_a_receipt"  # some other code
    NO_CAMERA = "no_camera"
    ERROR = "error"


class Dim(enum.StrEnum):
    FLOW = "flow"
    MATTER = "matter"
    STEP = "step"
    REASON = "reason"
    METHOD = "method"
    FEATURE = "feature"
    RESULT = "result"
    LEVEL = "level"
    CATEGORY = "category"


MATTERS = "matter code"  # the domain of Dim.MATTER: the catalogue's codes
Domain = tuple[str, ...] | tuple[int, ...] | str

FLOWS_WITH_MATTER = frozenset(
    {
        FlowKind.INSTANT,
        FlowKind.PROMISED,
        FlowKind.APPOINTMENT,
        FlowKind.DEFERRED,
        FlowKind.SELF_SERVICE,
        FlowKind.CORRECTION,
        FlowKind.CERTIFICATION,
    }
)

# The step at which a journey has got what it came for; DONE completes any journey.
COMPLETED_AT: dict[FlowKind, frozenset[Step]] = {
    FlowKind.INSTANT: frozenset({Step.CERTIFICATE}),
    FlowKind.PROMISED: frozenset({Step.RECEIPT}),
    FlowKind.APPOINTMENT: frozenset({Step.BOOKED}),
    FlowKind.DEFERRED: frozenset({Step.RECEIPT}),
    FlowKind.SELF_SERVICE: frozenset({Step.GUIDE}),  # the guidance is the service
    FlowKind.TRACKING: frozenset({Step.CASE, Step.APPOINTMENT}),
    FlowKind.CORRECTION: frozenset({Step.RECEIPT}),
    FlowKind.COMPLAINT: frozenset({Step.TICKET}),
    FlowKind.ASSIST: frozenset({Step.DONE}),
    FlowKind.CERTIFICATION: frozenset({Step.CERTIFIED}),
}

_JOURNEY: tuple[tuple[Dim, Domain], ...] = (
    (Dim.FLOW, tuple(FlowKind)),
    (Dim.MATTER, MATTERS),  # for the flows of FLOWS_WITH_MATTER only
)
_STEP: tuple[tuple[Dim, Domain], ...] = ((Dim.STEP, tuple(Step)),)


@dc.dataclass(frozen=True)
class MetricSpec:
    dims: tuple[tuple[Dim, Domain], ...]
    cap: int = COUNT_CAP
    unit: str = "count"


METRICS: dict[Metric, MetricSpec] = {
    Metric.SESSIONS_STARTED: MetricSpec(()),
    Metric.SESSIONS_ENDED: MetricSpec(((Dim.REASON, tuple(EndReason)),)),
    Metric.JOURNEYS_STARTED: MetricSpec(_JOURNEY),
    Metric.JOURNEYS_COMPLETED: MetricSpec(_JOURNEY),
    Metric.JOURNEYS_ABANDONED: MetricSpec((*_JOURNEY, *_STEP, (Dim.REASON, tuple(AbandonReason)))),
    Metric.JOURNEYS_ASSISTED: MetricSpec(_JOURNEY),
    Metric.STEPS_REACHED: MetricSpec((*_JOURNEY, *_STEP)),
    Metric.STEP_SECONDS: MetricSpec((*_JOURNEY, *_STEP), SECONDS_CAP, "seconds"),
    Metric.STEP_VISITS: MetricSpec((*_JOURNEY, *_STEP)),
    Metric.IDENTITY_PROVEN: MetricSpec(((Dim.METHOD, tuple(IdentityMethod)),)),
    Metric.SESSIONS_USING: MetricSpec(((Dim.FEATURE, tuple(Feature)),)),
    Metric.CAPTURES_RETAKEN: MetricSpec(_JOURNEY),
    Metric.PRINTS: MetricSpec(((Dim.RESULT, tuple(PrintResult)),)),
    Metric.QR_SCANS_FAILED: MetricSpec(((Dim.REASON, tuple(QrFailure)),)),
    Metric.RATINGS: MetricSpec((*_JOURNEY, (Dim.LEVEL, (1, 2, 3, 4, 5)))),
    Metric.COMPLAINTS_FILED: MetricSpec(((Dim.CATEGORY, COMPLAINT_CATEGORIES),)),
}

DimValue = str | int


class UsageRefused(KioskError, ValueError):
    """A counter or a batch outside the vocabulary. ``code`` is what the fleet server
    answers for the same fault (docs/analytics.md): ``usage_invalid``,
    ``unknown_matter``, ``hour_in_future``, ``hour_too_old``, ``usage_too_large``,
    ``unknown_format``; ``field`` says where."""

    def __init__(self, code: str, field: str, detail: str) -> None:
        super().__init__(f"{code}: {field}: {detail}")
        self.code, self.field, self.detail = code, field, detail


@dc.dataclass(frozen=True)
class Counter:
    """One counted value: a metric, its dimensions (sorted by name), how many."""

    metric: Metric
    dims: tuple[tuple[str, DimValue], ...]
    value: int

    @property
    def key(self) -> tuple[Metric, tuple[tuple[str, DimValue], ...]]:
        return self.metric, self.dims

    def to_json(self) -> dict[str, DimValue]:
        return {"metric": str(self.metric), **dict(self.dims), "value": self.value}


def counter(
    metric: object,
    dims: Mapping[str, object],
    value: object,
    matters: Container[str],
    *,
    where: str = "counter",
) -> Counter:
    """The counter, checked against the vocabulary (see the module docstring);
    :class:`UsageRefused` naming the field otherwise."""
    try:
        name = Metric(str(metric))
    except ValueError:
        raise UsageRefused("usage_invalid", f"{where}.metric", "not a metric") from None
    spec = METRICS[name]
    allowed = {str(dim) for dim, _ in spec.dims}
    extra = sorted(set(dims) - allowed)
    if extra:
        raise UsageRefused("usage_invalid", f"{where}.{extra[0]}", f"not a dimension of {name}")
    checked = [
        (str(dim), _checked(dims, dim, domain, matters, f"{where}.{dim}"))
        for dim, domain in spec.dims
        if dims.get(str(dim)) is not None or dim is not Dim.MATTER
    ]
    _check_matter(dict(checked), dims, where)
    return Counter(name, tuple(sorted(checked)), _value(value, spec, f"{where}.value"))


def _checked(
    dims: Mapping[str, object], dim: Dim, domain: Domain, matters: Container[str], where: str
) -> DimValue:
    value = dims.get(str(dim))
    if value is None:
        raise UsageRefused("usage_invalid", where, "required")
    if domain == MATTERS:
        if not isinstance(value, str) or value not in matters:
            raise UsageRefused("unknown_matter", where, "not a matter of the catalogue")
        return str(value)
    if isinstance(value, bool) or not isinstance(value, str | int) or value not in domain:
        raise UsageRefused("usage_invalid", where, "not one of the values it may take")
    return str(value) if isinstance(value, str) else value


def _check_matter(checked: dict[str, DimValue], dims: Mapping[str, object], where: str) -> None:
    """A matter with exactly the journeys of a matter (not with 办件查询 or 投诉)."""
    if Dim.FLOW not in checked:
        return
    needs = FlowKind(str(checked[Dim.FLOW])) in FLOWS_WITH_MATTER
    has = dims.get(Dim.MATTER) is not None
    if needs and not has:
        raise UsageRefused("usage_invalid", f"{where}.matter", "required for this flow")
    if has and not needs:
        raise UsageRefused("usage_invalid", f"{where}.matter", "this flow has no matter")


def _value(value: object, spec: MetricSpec, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageRefused("usage_invalid", where, "must be a whole number")
    if not 1 <= value <= spec.cap:
        raise UsageRefused("usage_invalid", where, f"must be between 1 and {spec.cap}")
    return value
