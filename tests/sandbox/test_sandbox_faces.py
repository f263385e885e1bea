"""人证核验 and 资格认证 over HTTP: the client against the stand-in platform on loopback,
which compares a face crop with the photo on record using the same dlib model."""

from __future__ import annotations

import cv2
import pytest
import requests

from kiosk.upstream import Applicant, HttpPlatformClient
from kiosk.upstream.errors import PlatformRejected
from kiosk.upstream.models import Agent
from kiosk.upstream.service_models import CertificationRequest, Liveness
from sandbox import SandboxPlatform
from tests.support.faces import camera_frame, jpeg, sample

RESIDENT = Applicant("resident_id", "110101194305120026", "李测试")
NOBODY = Applicant("resident_id", "522627200309010016", "赵测试")
SEEN = Liveness(actions=["blink", "turn_left"], frames=40, duration_ms=4200)


def face(name: str = "elder") -> bytes:
    """The face cropped from a camera frame, as the kiosk sends it."""
    frame = camera_frame(name)
    return jpeg(frame[100:620, 400:880])


def verify(client: HttpPlatformClient, data: bytes, who: Applicant = RESIDENT, **kw: str) -> object:
    return client.verify_face(who, data, SEEN, matter_code="M-1", station_id="ST", **kw)


def certify(client: HttpPlatformClient, method: str, **how: object) -> object:
    req = CertificationRequest("M-1", RESIDENT, "ST", "kiosk", method, **how)  # type: ignore[arg-type]
    return client.certify(req)


def test_the_same_person_matches_and_is_certified_for_a_year(client: HttpPlatformClient) -> None:
    verdict = verify(client, face())
    assert verdict.match and verdict.distance < verdict.threshold == 0.5  # type: ignore[attr-defined]
    cert = certify(client, "face_platform", verification_id=verdict.verification_id)  # type: ignore[attr-defined]
    assert cert.method == "face_platform"  # type: ignore[attr-defined]
    assert (cert.certified_on, cert.valid_until) == ("2026-01-01", "2027-01-01")  # type: ignore[attr-defined]


def test_someone_else_does_not_match_and_cannot_be_certified_on_it(
    client: HttpPlatformClient,
) -> None:
    verdict = verify(client, face("other"))
    assert not verdict.match and verdict.distance >= 0.5  # type: ignore[attr-defined]
    with pytest.raises(PlatformRejected) as refused:
        certify(client, "face_platform", verification_id=verdict.verification_id)  # type: ignore[attr-defined]
    assert refused.value.code == "verification_mismatch"


def test_a_verification_of_another_person_does_not_certify_this_one(
    client: HttpPlatformClient, sandbox: SandboxPlatform
) -> None:
    sandbox.put_photo_on_record(NOBODY.id_number, jpeg(sample("other")))
    theirs = verify(client, face("other"), who=NOBODY)
    assert theirs.match  # type: ignore[attr-defined]
    with pytest.raises(PlatformRejected) as refused:
        certify(client, "face_platform", verification_id=theirs.verification_id)  # type: ignore[attr-defined]
    assert refused.value.code == "verification_mismatch"


@pytest.mark.parametrize(
    ("who", "data", "code"),
    [
        (NOBODY, "face", "no_reference"),
        (RESIDENT, "grey", "no_face"),
        (RESIDENT, "text", "bad_image"),
        (RESIDENT, "two", "several_faces"),
    ],
)
def test_what_cannot_be_compared_is_a_problem_with_a_code(
    client: HttpPlatformClient, who: Applicant, data: str, code: str
) -> None:
    images = {
        "face": face(),
        "grey": jpeg(
            cv2.cvtColor(cv2.cvtColor(sample(), cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)[:60]
        ),
        "text": b"this is no picture",
        "two": jpeg(
            cv2.resize(
                cv2.hconcat([camera_frame()[:, 320:960], camera_frame("other")[:, 320:960]]),
                (640, 360),
            )
        ),
    }
    with pytest.raises(PlatformRejected) as refused:
        verify(client, images[data], who=who)
    assert refused.value.code == code


def test_the_same_key_gives_the_same_verification(client: HttpPlatformClient) -> None:
    first = verify(client, face(), idem_key="fv-1")
    again = verify(client, face(), idem_key="fv-1")
    assert again == first


def test_an_agents_certification_names_the_agent(
    client: HttpPlatformClient, sandbox: SandboxPlatform
) -> None:
    cert = certify(client, "agent", staff=Agent("1007", "李代办"))
    assert cert.method == "agent"  # type: ignore[attr-defined]
    assert '"1007"' in sandbox.certifications()[-1]["body"]


def test_the_methods_evidence_is_required(sandbox: SandboxPlatform, token: str) -> None:
    body = {
        "matter_code": "M-1",
        "applicant": {"id_type": "resident_id", "id_number": RESIDENT.id_number, "name": "李测试"},
        "station_id": "ST",
        "channel": "kiosk",
        "method": "agent",
    }
    headers = {"X-Device-Id": "K-0001", "Authorization": f"Bearer {token}"}
    resp = requests.post(
        sandbox.base_url + "/v1/certifications", json=body, headers=headers, timeout=10
    )
    assert resp.status_code == 422 and resp.json()["field"] == "staff"
    chip = body | {"method": "face_chip", "distance": 0.7}
    resp = requests.post(
        sandbox.base_url + "/v1/certifications", json=chip, headers=headers, timeout=10
    )
    assert resp.status_code == 422 and resp.json()["code"] == "verification_mismatch"
