"""Ratings (好差评), appointments (预约办) and complaints (投诉) through the client."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.upstream import Agent, Applicant, HttpPlatformClient, PlatformRejected
from kiosk.upstream.service_models import AppointmentRequest, Complaint, Rating
from sandbox import SandboxPlatform

CITIZEN = Applicant("resident_id", "330102199001011234", "张三")
OTHER = Applicant("resident_id", "330102198802023456", "李四")


def _rating(level: int, reasons: list[str]) -> Rating:
    return Rating(
        case_no="33011020260101000010",
        matter_code="330110-RS-001",
        department="区人力社保局",
        region_code="330110001001",
        channel="assisted",
        station_id="ST-0001",
        level=level,
        reasons=reasons,
        comment="",
        staff=Agent("A-7", "李代办"),
    )


def test_a_rating_carries_case_matter_region_and_the_rated_agent(
    sandbox: SandboxPlatform, client: HttpPlatformClient
) -> None:
    rating_id = client.rate(_rating(5, []), idem_key="r1")
    assert client.rate(_rating(5, []), idem_key="r1") == rating_id  # a resend is one rating
    rows = sandbox.db.query("SELECT body FROM ratings")
    assert len(rows) == 1 and '"staff": {"id": "A-7", "name": "李代办"}' in rows[0][0]
    assert '"region_code": "330110001001"' in rows[0][0]


def test_a_bad_rating_must_say_why(client: HttpPlatformClient) -> None:
    with pytest.raises(PlatformRejected) as err:
        client.rate(_rating(2, []))
    assert err.value.code == "invalid_field" and "reason" in err.value.detail
    assert client.rate(_rating(1, ["等待时间长"])).startswith("R")
    with pytest.raises(PlatformRejected):
        client.rate(_rating(6, ["x"]))


def _book(client: HttpPlatformClient, slot: str, who: Applicant = CITIZEN) -> Any:
    req = AppointmentRequest(slot, "330110-MZ-012", "ST-0001", "kiosk", who)
    return client.book_appointment(req)


def test_slots_are_offered_from_tomorrow_on_working_days(client: HttpPlatformClient) -> None:
    slots = client.appointment_slots("330110-MZ-012", "ST-0001")
    days = sorted({s.start[:10] for s in slots})
    # today is Thursday 2026-01-01, 元旦: Friday the 2nd is a holiday too, Sunday the 4th
    # a make-up working day (issue 19, item 1: Monday to Friday offered the holiday)
    assert days == ["2026-01-04", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"]
    assert (
        slots[0].start == "2026-01-04T09:00:00+08:00"
        and slots[0].end == "2026-01-04T09:30:00+08:00"
    )
    one_day = client.appointment_slots("330110-MZ-012", "ST-0001", date="2026-01-05")
    assert len(one_day) == 10 and all(s.remaining == 2 for s in one_day)


def test_booking_fills_slots_one_per_person_per_day(client: HttpPlatformClient) -> None:
    booked = _book(client, "S202601040900")
    assert booked.status == "booked" and booked.start == "2026-01-04T09:00:00+08:00"
    with pytest.raises(PlatformRejected) as err:
        _book(client, "S202601041000")
    assert err.value.code == "already_booked_that_day"
    _book(client, "S202601040900", OTHER)
    with pytest.raises(PlatformRejected) as err:
        _book(client, "S202601040900", Applicant("resident_id", "110101197001015555", "王五"))
    assert err.value.code == "slot_full"
    with pytest.raises(PlatformRejected) as err:
        _book(client, "S202601010900")  # today: not bookable
    assert err.value.code == "slot_unavailable"
    slot = client.appointment_slots("330110-MZ-012", "ST-0001", date="2026-01-04")[0]
    assert slot.remaining == 0


def test_cancelling_frees_the_slot_but_not_too_late(client: HttpPlatformClient, clock: Any) -> None:
    booked = _book(client, "S202601040900")
    cancelled = client.cancel_appointment(booked.appointment_id)
    assert cancelled.status == "cancelled"
    assert client.cancel_appointment(booked.appointment_id).status == "cancelled"  # harmless twice
    again = _book(client, "S202601040900")
    clock.advance(71 * 3600 + 1)  # 2026-01-04 08:00:01, less than 2 h before 09:00
    with pytest.raises(PlatformRejected) as err:
        client.cancel_appointment(again.appointment_id)
    assert err.value.code == "cancel_too_late"
    with pytest.raises(PlatformRejected) as err:
        client.cancel_appointment("A99999999")
    assert err.value.code == "appointment_not_found"


def test_an_applicants_bookings_ahead_are_found_by_id_number_only_for_them(
    client: HttpPlatformClient, clock: Any
) -> None:
    later = _book(client, "S202601051400")
    soon = _book(client, "S202601040900")
    _book(client, "S202601040930", OTHER)
    gone = _book(client, "S202601061000")
    client.cancel_appointment(gone.appointment_id)
    found = client.search_appointments(CITIZEN)
    assert [a.appointment_id for a in found] == [soon.appointment_id, later.appointment_id]
    assert client.search_appointments(Applicant("resident_id", "110101197001015555", "王五")) == []
    clock.advance(3 * 24 * 3600 + 3600)  # Sunday 10:00: the make-up Sunday's bookings are past
    assert [a.appointment_id for a in client.search_appointments(CITIZEN)] == [later.appointment_id]
    with pytest.raises(PlatformRejected) as err:
        client.search_appointments(Applicant("Resident", "x y", ""))
    assert err.value.code in ("invalid_field", "invalid_request")


def test_a_complaint_is_received(sandbox: SandboxPlatform, client: HttpPlatformClient) -> None:
    complaint = Complaint(
        "efficiency", "排队太久", "kiosk", "ST-0001", case_no="33011020260101000010"
    )
    complaint_id = client.complain(complaint, idem_key="c1")
    assert (
        complaint_id.startswith("C") and client.complain(complaint, idem_key="c1") == complaint_id
    )
    assert len(sandbox.db.query("SELECT * FROM complaints")) == 1
    with pytest.raises(PlatformRejected) as err:
        client.complain(Complaint("rudeness", "x", "kiosk", "ST-0001"))
    assert err.value.code == "invalid_field"
