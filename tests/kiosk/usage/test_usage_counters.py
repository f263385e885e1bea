"""Counting against the vocabulary: what is outside it (negative or absurd values,
unknown matters, metrics, dimensions or values, free text) is refused with a clear
error when recorded, and nothing of it is stored."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.catalogue import Catalogue
from kiosk.usage import Metric, UsageRefused
from kiosk.usage.vocabulary import COUNT_CAP, METRICS, SECONDS_CAP, counter
from tests.support.usage import total

from .conftest import Kiosk

ALLOWANCE = "33102300MZ-JF-0001"
JOURNEY = {"flow": "promised", "matter": ALLOWANCE}


@pytest.mark.parametrize(
    ("metric", "value", "dims", "code", "field"),
    [
        ("ratings", -1, JOURNEY | {"level": 5}, "usage_invalid", "counter.value"),
        ("ratings", 0, JOURNEY | {"level": 5}, "usage_invalid", "counter.value"),
        ("sessions_started", COUNT_CAP + 1, {}, "usage_invalid", "counter.value"),
        ("step_seconds", SECONDS_CAP + 1, JOURNEY | {"step": "form"}, "usage_invalid",
         "counter.value"),
        ("sessions_started", 2.5, {}, "usage_invalid", "counter.value"),
        ("sessions_started", True, {}, "usage_invalid", "counter.value"),
        ("journeys_started", 1, {"flow": "promised", "matter": "NO-SUCH-MATTER"},
         "unknown_matter", "counter.matter"),
        ("journeys_started", 1, {"flow": "promised", "matter": "王秀英"}, "unknown_matter",
         "counter.matter"),
        ("journeys_started", 1, {"flow": "promised"}, "usage_invalid", "counter.matter"),
        ("journeys_started", 1, {"flow": "tracking", "matter": ALLOWANCE}, "usage_invalid",
         "counter.matter"),
        ("journeys_started", 1, {"flow": "teleport"}, "usage_invalid", "counter.flow"),
        ("ratings", 1, JOURNEY | {"level": 6}, "usage_invalid", "counter.level"),
        ("ratings", 1, JOURNEY | {"level": "5"}, "usage_invalid", "counter.level"),
        ("ratings", 1, JOURNEY | {"level": 5, "comment": "态度差"}, "usage_invalid",
         "counter.comment"),
        ("complaints_filed", 1, {"category": "窗口的王某态度差"}, "usage_invalid",
         "counter.category"),
        ("identity_proven", 1, {"method": "110101194501011236"}, "usage_invalid",
         "counter.method"),
        ("case_numbers", 1, {}, "usage_invalid", "counter.metric"),
    ],
)  # fmt: skip
def test_what_is_outside_the_vocabulary_is_refused_and_not_stored(
    kiosk: Kiosk, metric: str, value: Any, dims: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(UsageRefused) as err:
        kiosk.recorder.count(metric, value, **dims)
    assert (err.value.code, err.value.field) == (code, field)
    assert str(err.value).startswith(f"{code}: {field}: ")  # says what, where, and why
    kiosk.recorder.flush()
    assert kiosk.docs() == []


def test_within_the_vocabulary_it_counts(kiosk: Kiosk) -> None:
    kiosk.recorder.count(Metric.RATINGS, **JOURNEY, level=2)
    kiosk.recorder.count("journeys_started", flow="tracking")
    kiosk.recorder.count("prints", 3, result="paper_out")
    docs = kiosk.docs()
    assert total(docs, "ratings", level=2) == 1 and total(docs, "journeys_started") == 1
    assert total(docs, "prints", result="paper_out") == 3


def test_an_hour_cannot_be_pushed_past_its_cap(kiosk: Kiosk) -> None:
    kiosk.recorder.count("sessions_started", COUNT_CAP - 1)
    kiosk.recorder.count("sessions_started")
    with pytest.raises(UsageRefused):
        kiosk.recorder.count("sessions_started")
    kiosk.recorder.flush()
    assert total(kiosk.docs(), "sessions_started") == COUNT_CAP


def test_the_printing_hook_counts_any_outcome_quietly(kiosk: Kiosk) -> None:
    for result in ("printed", "paper_out", "jammed by a goat"):
        kiosk.recorder.printed(result)
    assert total(kiosk.docs(), "prints", result="failed") == 1  # an unknown reason
    assert total(kiosk.docs(), "prints") == 3


def test_every_metric_is_described_with_a_cap() -> None:
    assert set(METRICS) == set(Metric)
    assert all(spec.cap in (COUNT_CAP, SECONDS_CAP) for spec in METRICS.values())


@given(
    metric=st.sampled_from([*map(str, Metric), "x", ""]) | st.text(max_size=20),
    dims=st.dictionaries(
        st.sampled_from(["flow", "matter", "step", "level", "reason", "method", "x"]),
        st.one_of(st.text(max_size=20), st.integers(), st.none(), st.booleans()),
        max_size=4,
    ),
    value=st.one_of(st.integers(), st.floats(allow_nan=True), st.text(max_size=5)),
)
def test_any_input_gives_a_counter_or_a_refusal(
    catalogue: Catalogue, metric: str, dims: dict[str, Any], value: Any
) -> None:
    try:
        item = counter(metric, dims, value, catalogue)
    except UsageRefused as exc:
        assert exc.code in ("usage_invalid", "unknown_matter")
        return
    for _name, dim_value in item.dims:  # whatever passed is from the vocabulary's lists
        assert isinstance(dim_value, int) or dim_value in catalogue or dim_value.isascii()
