"""The platform contract binds cases and appointments to who may see them (issue 15,
item 6): the device that filed or booked them, or a kiosk where the citizen proved who
they are (their own search, after a card read, hands out the access token)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from kiosk.upstream import Applicant, Application, HttpPlatformClient, PlatformRejected
from kiosk.upstream.service_models import AppointmentRequest
from sandbox import SandboxPlatform

CITIZEN = Applicant("resident_id", "330102199001011234", "张三", "13800001234")
TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


@pytest.fixture
def kiosk_b(sandbox: SandboxPlatform) -> Iterator[HttpPlatformClient]:
    """Another station's kiosk, with valid credentials of its own."""
    b = HttpPlatformClient(sandbox.base_url, "K-0002", sandbox.register_device("K-0002"),
                           sleep=lambda s: None)  # fmt: skip
    yield b
    b.close()


def _raw(sandbox: SandboxPlatform, method: str, path: str, **headers: str) -> requests.Response:
    token = sandbox.register_device("K-0003")
    return requests.request(
        method,
        sandbox.base_url + path,
        timeout=10,
        headers={"X-Device-Id": "K-0003", "Authorization": f"Bearer {token}", **headers},
    )


def test_another_station_cannot_read_a_case_or_its_certificate(
    sandbox: SandboxPlatform, client: HttpPlatformClient, kiosk_b: HttpPlatformClient,
    make_app: Callable[..., Application],
) -> None:  # fmt: skip
    # issue 15 item 6: with its own valid credentials kiosk B fetched the certificate of
    # a case filed at kiosk A: a name and the full, unmasked ID number
    case_no = client.submit_application(make_app(mode="instant"), "a1").case_no
    fields = client.certificate_content(case_no).fields  # the filing kiosk still may
    assert any(f.value == CITIZEN.id_number for f in fields)
    for call in (kiosk_b.certificate_content, kiosk_b.certificate):
        with pytest.raises(PlatformRejected) as refused:
            call(case_no)
        assert (refused.value.status, refused.value.code) == (404, "case_not_found")
    progress = kiosk_b.get_case(case_no)  # 办件查询 at any station: progress, no person
    assert progress.case_no == case_no and CITIZEN.id_number not in repr(progress)
    assert CITIZEN.name not in repr(progress)
    unknown = _raw(sandbox, "GET", "/v1/cases/33011020260101999999/certificate")
    probing = _raw(sandbox, "GET", f"/v1/cases/{case_no}/certificate")
    assert probing.status_code == unknown.status_code == 404  # ids cannot be probed
    assert probing.json()["code"] == unknown.json()["code"]
    forged = _raw(sandbox, "GET", f"/v1/cases/{case_no}/certificate",
                  **{"X-Access-Token": "A" * 22, "Accept": "application/json"})  # fmt: skip
    assert forged.status_code == 404


def test_a_citizen_who_proves_who_they_are_opens_their_case_at_any_kiosk(
    client: HttpPlatformClient, kiosk_b: HttpPlatformClient,
    make_app: Callable[..., Application],
) -> None:  # fmt: skip
    case_no = client.submit_application(make_app(mode="instant"), "a1").case_no
    found = kiosk_b.search_cases(applicant=CITIZEN)  # after reading the citizen's card
    assert [c.case_no for c in found] == [case_no]
    assert kiosk_b.certificate_content(case_no).case_no == case_no
    assert kiosk_b.get_case(case_no).case_no == case_no


def test_case_and_appointment_tokens_are_unguessable(
    sandbox: SandboxPlatform, client: HttpPlatformClient, make_app: Callable[..., Application],
) -> None:  # fmt: skip
    answers = [_raw_submit(sandbox, make_app, n) for n in range(3)]
    tokens = [a["access_token"] for a in answers]
    assert all(TOKEN.fullmatch(t) for t in tokens) and len(set(tokens)) == 3
    numbers = [a["case_no"] for a in answers]
    assert all(t not in n and n not in t for t, n in zip(tokens, numbers, strict=True))
    # one case's token opens no other case's certificate (its progress is open to all)
    path = f"/v1/cases/{numbers[1]}/certificate"
    other = _raw(sandbox, "GET", path, **{"X-Access-Token": tokens[0]})
    assert other.status_code == 404
    own = _raw(sandbox, "GET", path, **{"X-Access-Token": tokens[1]})
    assert (own.status_code, own.json()["code"]) == (409, "certificate_not_available")


def _raw_submit(
    sandbox: SandboxPlatform, make_app: Callable[..., Application], n: int
) -> dict[str, Any]:
    token = sandbox.register_device("K-0009")
    resp = requests.post(sandbox.base_url + "/v1/applications", timeout=10,
                         json=make_app().to_json(),
                         headers={"X-Device-Id": "K-0009", "Authorization": f"Bearer {token}",
                                  "Idempotency-Key": f"raw-{n}"})  # fmt: skip
    assert resp.status_code == 201, resp.text
    answer: dict[str, Any] = resp.json()
    return answer


def test_another_station_cannot_cancel_or_read_an_appointment(
    client: HttpPlatformClient, kiosk_b: HttpPlatformClient
) -> None:
    # issue 15 item 6: kiosk B cancelled kiosk A's appointment by its sequential id
    slot = client.appointment_slots("330110-MZ-012", "ST-0001")[0].slot_id
    booked = client.book_appointment(
        AppointmentRequest(slot, "330110-MZ-012", "ST-0001", "kiosk", CITIZEN)
    )
    for call in (kiosk_b.cancel_appointment, kiosk_b.get_appointment):
        with pytest.raises(PlatformRejected) as refused:
            call(booked.appointment_id)
        assert (refused.value.status, refused.value.code) == (404, "appointment_not_found")
    assert client.get_appointment(booked.appointment_id).status == "booked"
    # the citizen, at kiosk B with their card: their own search, then cancel
    assert [a.appointment_id for a in kiosk_b.search_appointments(CITIZEN)] == [
        booked.appointment_id
    ]
    assert kiosk_b.cancel_appointment(booked.appointment_id).status == "cancelled"


def test_a_correction_for_another_stations_case_needs_the_citizen(
    sandbox: SandboxPlatform, client: HttpPlatformClient, kiosk_b: HttpPlatformClient,
    make_app: Callable[..., Application],
) -> None:  # fmt: skip
    case_no = client.submit_application(make_app(), "a1").case_no
    someone = Applicant("resident_id", "110101194305120026", "李四", None)
    fix = make_app(case_no=case_no, kind="correction", applicant=someone)
    with pytest.raises(PlatformRejected) as refused:
        kiosk_b.submit_application(fix, idem_key="b1")
    assert (refused.value.status, refused.value.code) == (404, "case_not_found")
    # the case's own applicant (their card read at kiosk B) gets past the check; this
    # case waits for no materials, which is what the answer then says
    own = make_app(case_no=case_no, kind="correction")
    with pytest.raises(PlatformRejected) as refused:
        kiosk_b.submit_application(own, idem_key="b2")
    assert (refused.value.status, refused.value.code) == (409, "case_not_returned")
