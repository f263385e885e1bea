"""The platform API for the handling modes: corrections (退回补正) to the same case from
any kiosk, payments for fee-bearing matters, case search, certificates as fields, and
looking up one appointment."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.upstream import Applicant, Application, HttpPlatformClient, PlatformRejected
from kiosk.upstream.case_models import PaymentRequest
from kiosk.upstream.service_models import AppointmentRequest
from sandbox import SandboxPlatform
from tests.support import FakeClock
from tests.support.platform import DEVICE

DAY = 86_400.0


def _send(client: HttpPlatformClient, app: Application, files: dict[str, bytes], key: str) -> str:
    case_no = client.issue_case(key + ".case", app.matter_code).case_no
    client.submit_application(
        Application(**{**app.__dict__, "case_no": case_no}), idem_key=key + ".app"
    )
    for i, (code, data) in enumerate(files.items()):
        client.upload_attachment(case_no, code, f"{code}.jpg", "image/jpeg", data, index=i)
    return case_no


def _returned_case(
    sandbox: SandboxPlatform,
    client: HttpPlatformClient,
    make_app: Callable[..., Application],
    clock: FakeClock,
) -> str:
    files = {"id_card": b"front" * 50}
    case_no = _send(client, make_app(files), files, "orig")
    sandbox.set_review_outcome(case_no, "returned", ["household_register", "photo"])
    clock.advance(2 * DAY)
    assert client.get_case(case_no).status == "returned"
    return case_no


def _correction(make_app: Callable[..., Application], case_no: str, **kw: object) -> Application:
    files = kw.pop("files", {"household_register": b"hk" * 80, "photo": b"ph" * 70})
    assert isinstance(files, dict)
    return make_app(files, case_no=case_no, kind="correction", **kw)


def test_a_correction_from_another_kiosk_goes_to_the_same_case_and_completes(
    sandbox: SandboxPlatform,
    client: HttpPlatformClient,
    make_app: Callable[..., Application],
    clock: FakeClock,
) -> None:
    case_no = _returned_case(sandbox, client, make_app, clock)
    other = HttpPlatformClient(sandbox.base_url, "K-0002", sandbox.register_device("K-0002"))
    try:
        fix = _correction(make_app, case_no)
        # the other kiosk reads the citizen's card first: their own search hands it the
        # case's access token (without it the case is not K-0002's to correct: issue 15)
        found = other.search_cases(applicant=fix.applicant)
        assert [c.case_no for c in found] == [case_no]
        receipt = other.submit_application(fix, idem_key="fix.app")
        assert receipt.case_no == case_no and receipt.awaiting_uploads == 2
        assert other.get_case(case_no).status == "received"
        other.upload_attachment(case_no, "household_register", "h.jpg", "image/jpeg", b"hk" * 80)
        other.upload_attachment(case_no, "photo", "p.jpg", "image/jpeg", b"ph" * 70)
    finally:
        other.close()
    assert client.get_case(case_no).status == "accepted"
    clock.advance(2 * DAY)
    status = client.get_case(case_no)
    assert status.status == "completed" and status.missing_materials == []
    states = [e.state for e in status.timeline]
    assert states.count("returned") == 1 and states[-1] == "completed"
    assert states.index("returned") < states.index("completed")
    fixes = sandbox.corrections(case_no)
    assert [f["device_id"] for f in fixes] == ["K-0002"]
    assert all(a["complete"] for a in fixes[0]["attachments"])


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"applicant": Applicant("resident_id", "330102198802023456", "李四")}, "not_applicant"),
        ({"files": {"photo": b"ph" * 70}}, "materials_incomplete"),
    ],
)
def test_a_correction_that_is_not_what_was_asked_for_is_refused(
    sandbox: SandboxPlatform,
    client: HttpPlatformClient,
    make_app: Callable[..., Application],
    clock: FakeClock,
    change: dict[str, object],
    code: str,
) -> None:
    case_no = _returned_case(sandbox, client, make_app, clock)
    with pytest.raises(PlatformRejected) as err:
        client.submit_application(_correction(make_app, case_no, **change), idem_key="bad")
    assert err.value.code == code
    assert client.get_case(case_no).status == "returned"  # nothing changed


def test_only_a_returned_case_takes_a_correction(
    sandbox: SandboxPlatform, client: HttpPlatformClient, make_app: Callable[..., Application]
) -> None:
    files = {"id_card": b"front" * 50}
    case_no = _send(client, make_app(files), files, "orig")
    with pytest.raises(PlatformRejected) as err:
        client.submit_application(_correction(make_app, case_no), idem_key="early")
    assert err.value.code == "case_not_returned"
    with pytest.raises(PlatformRejected) as err:
        client.submit_application(_correction(make_app, "33011020990101000019"), idem_key="x")
    assert err.value.code == "case_not_found"
    with pytest.raises(ValueError, match="correction names"):
        Application.from_json(make_app({}, kind="correction").to_json())


def test_a_fee_is_paid_by_qr_before_the_application_is_taken(
    sandbox: SandboxPlatform,
    client: HttpPlatformClient,
    make_app: Callable[..., Application],
    clock: FakeClock,
) -> None:
    order = client.create_payment(PaymentRequest("330110-RS-001", 1000, "ST-0001"), "pay-1")
    assert client.create_payment(PaymentRequest("330110-RS-001", 1000, "ST-0001"), "pay-1") == order
    assert order.status == "pending" and order.qr.endswith(order.payment_id)
    app = make_app(mode="instant", payment_id=order.payment_id)
    with pytest.raises(PlatformRejected) as err:
        client.submit_application(app, idem_key="a1")
    assert err.value.code == "payment_not_completed"
    sandbox.pay(order.payment_id)
    assert client.payment_status(order.payment_id).paid
    receipt = client.submit_application(app, idem_key="a1")
    assert client.certificate_content(receipt.case_no).case_no == receipt.case_no
    late = client.create_payment(PaymentRequest("330110-RS-001", 500, "ST-0001"), "pay-2")
    clock.advance(16 * 60)
    assert client.payment_status(late.payment_id).status == "expired"
    with pytest.raises(PlatformRejected) as err:
        client.payment_status("P404")
    assert err.value.code == "payment_not_found"


def test_the_certificate_as_fields_says_which_values_are_personal(
    client: HttpPlatformClient, make_app: Callable[..., Application]
) -> None:
    receipt = client.submit_application(make_app(mode="instant"), idem_key="i1")
    cert = client.certificate_content(receipt.case_no)
    kinds = {f.kind: f.value for f in cert.fields}
    assert kinds["name"] == "张三" and kinds["id_number"] == "330102199001011234"
    assert cert.verify_code.startswith("V") and "张三" not in repr(cert)
    assert client.certificate(receipt.case_no).startswith(b"%PDF-")  # the PDF still


def test_cases_are_found_by_applicant_and_by_station_with_the_applicant_masked(
    client: HttpPlatformClient, make_app: Callable[..., Application]
) -> None:
    mine = client.submit_application(make_app(), idem_key="m1").case_no
    other = Applicant("resident_id", "330102198802023456", "李四")
    theirs = client.submit_application(make_app(applicant=other), idem_key="t1").case_no
    found = client.search_cases(applicant=Applicant("resident_id", "330102199001011234", "-"))
    assert [c.case_no for c in found] == [mine]
    assert found[0].applicant_masked == "张* 3301**********1234"
    station = client.search_cases(station_id="ST-0001")
    assert {c.case_no for c in station} == {mine, theirs}
    assert client.search_cases(station_id="ST-9999") == []
    with pytest.raises(ValueError):
        client.search_cases()


def test_an_appointment_can_be_looked_up_before_cancelling(client: HttpPlatformClient) -> None:
    slot = client.appointment_slots("330110-MZ-012", "ST-0001")[-1]
    who = Applicant("resident_id", "330102199001011234", "张三")
    booked = client.book_appointment(
        AppointmentRequest(slot.slot_id, "330110-MZ-012", "ST-0001", "kiosk", who)
    )
    assert client.get_appointment(booked.appointment_id) == booked
    with pytest.raises(PlatformRejected) as err:
        client.get_appointment("A404")
    assert err.value.code == "appointment_not_found"
    assert DEVICE
