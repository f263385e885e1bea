"""The sandbox platform: idempotency, case numbers, review over time, certificates."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.upstream import Application, CaseState, HttpPlatformClient, PlatformRejected
from sandbox import ReviewPolicy, SandboxPlatform, serve, shared_token_for
from sandbox.context import luhn_digit

DAY = 86_400.0
MakeApp = Callable[..., Application]


@pytest.fixture
def other_client(sandbox: SandboxPlatform) -> Iterator[HttpPlatformClient]:
    token = sandbox.register_device("K-0002")
    c = HttpPlatformClient(sandbox.base_url, "K-0002", token, sleep=lambda s: None)
    yield c
    c.close()


def _count(sandbox: SandboxPlatform, table: str) -> int:
    return int(sandbox.db.query(f"SELECT COUNT(*) FROM {table}")[0][0])


def test_a_repeated_key_replays_the_first_answer(
    sandbox: SandboxPlatform, client: HttpPlatformClient, make_app: MakeApp
) -> None:
    first = client.issue_case("k1.case", "330110-RS-001").case_no
    assert client.issue_case("k1.case", "330110-RS-001").case_no == first
    app = make_app(case_no=first)
    receipt = client.submit_application(app, "k1.app")
    assert client.submit_application(app, "k1.app") == receipt
    assert _count(sandbox, "case_numbers") == 1
    assert len(sandbox.applications()) == 1


def test_replays_are_marked(sandbox: SandboxPlatform, token: str) -> None:
    headers = {"X-Device-Id": "K-0001", "Authorization": f"Bearer {token}", "Idempotency-Key": "k"}
    url = sandbox.base_url + "/v1/case-numbers"
    body = {"matter_code": "330110-RS-001"}
    first = requests.post(url, json=body, headers=headers, timeout=5)
    # same content, other key order and spacing: still the same request
    again = requests.post(
        url,
        data=b'{ "matter_code" : "330110-RS-001" }',
        headers=headers | {"Content-Type": "application/json"},
        timeout=5,
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers


def test_a_reused_key_with_other_content_is_refused_and_changes_nothing(
    sandbox: SandboxPlatform, client: HttpPlatformClient, make_app: MakeApp
) -> None:
    case_no = client.issue_case("k1.case", "330110-RS-001").case_no
    client.submit_application(make_app(case_no=case_no), "k1.app")
    with pytest.raises(PlatformRejected) as err:
        client.submit_application(make_app(case_no=case_no, answers={"purpose": "其他"}), "k1.app")
    assert err.value.status == 409 and err.value.code == "idempotency_key_reused"
    assert sandbox.application(case_no)["form"] == {"purpose": "贷款", "copies": "1"}
    assert len(sandbox.applications()) == 1


def test_keys_belong_to_one_device(
    client: HttpPlatformClient, other_client: HttpPlatformClient
) -> None:
    mine = client.issue_case("same-key", "330110-RS-001").case_no
    theirs = other_client.issue_case("same-key", "330110-RS-001").case_no
    assert mine != theirs


def test_keys_are_kept_at_least_30_days_then_forgotten(
    sandbox: SandboxPlatform, client: HttpPlatformClient, clock: Any
) -> None:
    first = client.issue_case("k1", "330110-RS-001").case_no
    clock.advance(30 * DAY)
    assert client.issue_case("k1", "330110-RS-001").case_no == first
    assert sandbox.purge_idempotency() == 0
    clock.advance(6 * DAY)
    assert sandbox.purge_idempotency() == 1
    assert client.issue_case("k1", "330110-RS-001").case_no != first


def test_a_refused_request_is_not_recorded_so_the_key_can_be_used_again(
    client: HttpPlatformClient, make_app: MakeApp
) -> None:
    with pytest.raises(PlatformRejected):
        client.submit_application(make_app(region_code="33"), "k1.app")
    receipt = client.submit_application(make_app(), "k1.app")
    assert receipt.status == CaseState.ACCEPTED


def test_case_numbers_look_real(client: HttpPlatformClient) -> None:
    a = client.issue_case("a", "330110-RS-001").case_no
    b = client.issue_case("b", "330110-RS-001").case_no
    c = client.issue_case("c", "330110-RS-001", region_code="330106001001").case_no
    assert a.startswith("33011020260101") and len(a) == 20
    assert int(b[14:19]) == int(a[14:19]) + 1
    assert c.startswith("33010620260101") and c[14:19] == "00001"
    for number in (a, b, c):
        assert luhn_digit(number[:-1]) == number[-1]


def test_review_moves_from_accepted_to_completed_over_time(
    sandbox: SandboxPlatform, client: HttpPlatformClient, make_app: MakeApp, clock: Any
) -> None:
    receipt = client.submit_application(make_app(), "k1")
    sandbox.set_review_outcome(receipt.case_no, "completed")
    status = client.get_case(receipt.case_no)
    # 5 working days from 元旦 2026 (issue 19, item 1: calendar days said the 6th)
    assert status.status == CaseState.ACCEPTED and status.promised_date == "2026-01-08"
    clock.advance(600)
    assert client.get_case(receipt.case_no).status == CaseState.IN_REVIEW
    clock.advance(DAY)
    final = client.get_case(receipt.case_no)
    assert [e.state for e in final.timeline] == ["received", "accepted", "in_review", "completed"]
    assert final.timeline[-1].note == "已办结" and final.missing_materials == []


def test_a_returned_case_names_the_missing_materials(
    sandbox: SandboxPlatform, client: HttpPlatformClient, make_app: MakeApp, clock: Any
) -> None:
    receipt = client.submit_application(make_app(), "k1")
    sandbox.set_review_outcome(receipt.case_no, "returned", ["户口簿"])
    clock.advance(DAY)
    status = client.get_case(receipt.case_no)
    assert status.status == CaseState.RETURNED and status.missing_materials == ["户口簿"]


@pytest.mark.parametrize(("percent", "state"), [(100, "returned"), (0, "completed")])
def test_default_outcome_is_deterministic_per_policy(
    tmp_path: Path, clock: Any, make_app: MakeApp, percent: int, state: str
) -> None:
    sb = SandboxPlatform(
        tmp_path / "s.db",
        clock=clock,
        review=ReviewPolicy(return_percent=percent),
        review_speed=3600.0,
    )
    with sb:
        c = HttpPlatformClient(sb.base_url, "K-9", sb.register_device("K-9"))
        case_no = c.submit_application(make_app(), "k").case_no
        clock.advance(24)  # a simulated day at 3600x speed
        status = c.get_case(case_no)
        c.close()
    assert status.status == state
    assert status.missing_materials == (["supplementary"] if state == "returned" else [])


def test_received_until_every_attachment_arrived(
    sandbox: SandboxPlatform, client: HttpPlatformClient, make_app: MakeApp
) -> None:
    scan = b"\xff\xd8" + b"p" * 5000
    receipt = client.submit_application(make_app({"ID-CARD": scan}), "k1")
    assert receipt.status == CaseState.RECEIVED and receipt.awaiting_uploads == 1
    client.upload_attachment(receipt.case_no, "ID-CARD", "scan.jpg", "image/jpeg", scan)
    status = client.get_case(receipt.case_no)
    assert status.status == CaseState.ACCEPTED and status.awaiting_uploads == 0
    seen = sandbox.application(receipt.case_no)
    assert seen["attachments"][0]["length"] == len(scan) and seen["attachments"][0]["complete"]
    assert sandbox.attachment_bytes(receipt.case_no, 0) == scan


def test_an_instant_case_has_a_pdf_certificate(
    client: HttpPlatformClient, make_app: MakeApp
) -> None:
    instant = client.submit_application(make_app(mode="instant"), "k1").case_no
    pdf = client.certificate(instant)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert instant.encode() in pdf and b"330102199001011234" not in pdf  # ID masked
    promised = client.submit_application(make_app(), "k2").case_no
    with pytest.raises(PlatformRejected) as err:
        client.certificate(promised)
    assert err.value.code == "certificate_not_available"
    waiting = client.submit_application(make_app({"X": b"x"}, mode="instant"), "k3").case_no
    with pytest.raises(PlatformRejected) as err:
        client.certificate(waiting)
    assert err.value.code == "certificate_not_ready"


def test_a_case_number_must_be_this_devices_and_unused(
    client: HttpPlatformClient, other_client: HttpPlatformClient, make_app: MakeApp
) -> None:
    case_no = client.issue_case("k1.case", "330110-RS-001").case_no
    with pytest.raises(PlatformRejected) as err:
        other_client.submit_application(make_app(case_no=case_no), "x")
    assert err.value.code == "unknown_case_no"
    client.submit_application(make_app(case_no=case_no), "k1.app")
    with pytest.raises(PlatformRejected) as err:
        client.submit_application(make_app(case_no=case_no), "k2.app")
    assert err.value.code == "case_exists"


def test_the_sandbox_keeps_its_data_across_restarts(
    sandbox: SandboxPlatform, client: HttpPlatformClient, make_app: MakeApp
) -> None:
    case_no = client.submit_application(make_app(), "k1").case_no
    url = sandbox.base_url
    sandbox.stop()
    assert sandbox.start() == url
    assert client.get_case(case_no).case_no == case_no
    assert client.submit_application(make_app(), "k1").case_no == case_no


def test_serve_runs_alone_with_a_shared_token(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path / "alone.db"
    token = shared_token_for(db)
    assert shared_token_for(db) == token  # kept in the sandbox's database
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(port, db), kwargs={"stop": stop})
    thread.start()
    try:
        client = HttpPlatformClient(f"http://127.0.0.1:{port}", "ANY-DEVICE-7", token)
        for _ in range(250):  # until it listens
            if client.ping(timeout=0.2):
                break
            stop.wait(0.02)
        assert client.issue_case("k", "330110-RS-001").case_no.startswith("330110")
        client.close()
    finally:
        stop.set()
        thread.join()
