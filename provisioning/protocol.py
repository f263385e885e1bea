"""The wire contract between the fleet server and the kiosk agent: pure functions only.

Both sides import this module and nothing else of each other, so the bytes a kiosk signs
and the bytes the server verifies come from one definition:

- a signed device request: the string of :func:`request_message`, signed with the
  device's Ed25519 key and sent in the ``X-Fleet-*`` headers;
- a configuration bundle: canonical JSON in a signed envelope (:func:`seal`/:func:`open_envelope`);
- pairing codes and the enrollment payload (the string a QR code would carry).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

BUNDLE_FORMAT = "bianmin-fleet-bundle/1"
SIGNING_PREFIX = "BMF1"
H_DEVICE = "X-Fleet-Device"
H_TIMESTAMP = "X-Fleet-Timestamp"
H_NONCE = "X-Fleet-Nonce"
H_SIGNATURE = "X-Fleet-Signature"
CLOCK_SKEW_S = 300  # a signed request older or newer than this is refused
NONCE_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
DEVICE_ID_RE = re.compile(r"dev-[0-9a-f]{16}")
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed on a pad
CODE_LENGTH = 8
PAYLOAD_SCHEME = "bmfleet"


class ProtocolError(ValueError):
    """Bytes or strings that do not follow this contract."""


def b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64d(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise ProtocolError("not base64url") from exc


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept (what gets signed)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# ---- keys ------------------------------------------------------------------------------


def public_key_text(key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return b64e(raw)


def load_public_key(text: str) -> Ed25519PublicKey:
    raw = b64d(text)
    if len(raw) != 32:
        raise ProtocolError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def key_id(public_text: str) -> str:
    """A short fingerprint of a public key (what a QR code or a technician compares)."""
    return hashlib.sha256(b64d(public_text)).hexdigest()[:32]


def device_id_for(public_text: str) -> str:
    """A device's id follows from its key, so nobody can claim another device's id."""
    return "dev-" + hashlib.sha256(b64d(public_text)).hexdigest()[:16]


def verify(key: Ed25519PublicKey, signature: str, message: bytes) -> bool:
    try:
        key.verify(b64d(signature), message)
    except (InvalidSignature, ProtocolError):
        return False
    return True


# ---- signed device requests ------------------------------------------------------------


def request_message(
    method: str, target: str, device_id: str, timestamp: int, nonce: str, body: bytes
) -> bytes:
    """What a device signs: method, path with query, who, when, a one-time nonce and the
    body's hash. Any change to one of them breaks the signature."""
    digest = hashlib.sha256(body).hexdigest()
    lines = [SIGNING_PREFIX, method.upper(), target, device_id, str(timestamp), nonce, digest]
    return "\n".join(lines).encode("utf-8")


def sign_request(
    key: Ed25519PrivateKey,
    device_id: str,
    method: str,
    target: str,
    body: bytes,
    timestamp: int,
    nonce: str,
) -> dict[str, str]:
    """The headers that authenticate one request."""
    message = request_message(method, target, device_id, timestamp, nonce, body)
    return {
        H_DEVICE: device_id,
        H_TIMESTAMP: str(timestamp),
        H_NONCE: nonce,
        H_SIGNATURE: b64e(key.sign(message)),
    }


# ---- bundles ---------------------------------------------------------------------------


def seal(key: Ed25519PrivateKey, payload: dict[str, Any], kid: str) -> dict[str, str]:
    """A signed envelope: the payload travels as the exact string that was signed."""
    text = canonical_json(payload)
    return {"payload": text, "signature": b64e(key.sign(text.encode("utf-8"))), "key_id": kid}


def open_envelope(envelope: Any, key: Ed25519PublicKey, kid: str) -> dict[str, Any]:
    """The payload of an envelope whose signature is good; ProtocolError otherwise."""
    if not isinstance(envelope, dict) or set(envelope) != {"payload", "signature", "key_id"}:
        raise ProtocolError("not a bundle envelope")
    if envelope["key_id"] != kid:
        raise ProtocolError("signed by an unknown key")
    text = envelope["payload"]
    if not isinstance(text, str) or not verify(key, str(envelope["signature"]), text.encode()):
        raise ProtocolError("bad signature")
    return _document(text, BUNDLE_FORMAT, "bundle")


def _document(raw: str | bytes, form: str, what: str) -> dict[str, Any]:
    """A JSON object whose ``format`` is ``form``; ProtocolError naming ``what`` otherwise."""
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise ProtocolError(f"{what} is not JSON") from exc
    if not isinstance(doc, dict) or doc.get("format") != form:
        raise ProtocolError(f"unknown {what} format")
    return doc


# ---- pairing codes and the enrollment payload ------------------------------------------


def normalize_code(text: str) -> str:
    """``abcd-efgh`` / ``ABCD EFGH`` → ``ABCDEFGH``; ProtocolError if it cannot be a code."""
    code = re.sub(r"[\s-]", "", text).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        raise ProtocolError(f"a pairing code is {CODE_LENGTH} of {CODE_ALPHABET}")
    return code


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def make_payload(server_url: str, code: str, server_key_id: str = "") -> str:
    """The enrollment string a QR code carries: server, pairing code, server key id."""
    text = f"{PAYLOAD_SCHEME}://enroll?s={quote(server_url, safe='')}&c={normalize_code(code)}"
    return text + (f"&k={server_key_id}" if server_key_id else "")


def parse_payload(text: str) -> tuple[str, str, str]:
    """(server_url, code, server_key_id or "") from an enrollment string."""
    parts = urlsplit(text.strip())
    if parts.scheme != PAYLOAD_SCHEME or parts.netloc != "enroll":
        raise ProtocolError(f"not a {PAYLOAD_SCHEME}://enroll string")
    query = parse_qs(parts.query, keep_blank_values=True)
    server = query.get("s", [""])[0]
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", server):
        raise ProtocolError("the server must be an http(s) URL")
    kid = query.get("k", [""])[0]
    if kid and not re.fullmatch(r"[0-9a-f]{32}", kid):
        raise ProtocolError("the server key id must be 32 hex digits")
    return server, normalize_code(query.get("c", [""])[0]), kid


# ---- configuration key rotation --------------------------------------------------------
# The server key pinned at enrollment can be replaced the way TUF replaces a root: a
# statement naming the next key set, version one higher, signed by a threshold of the
# keys it replaces and of the keys it names. A kiosk follows the chain from its pinned
# key; a key no longer in the set it reached is refused (revoked).

KEYS_FORMAT = "bianmin-fleet-keys/1"


def trust_of(server_key: str) -> dict[str, Any]:
    """The key set a kiosk trusts right after enrollment: the pinned key, version 1."""
    return {"format": KEYS_FORMAT, "version": 1, "keys": [server_key], "threshold": 1}


def sign_rotation(payload: dict[str, Any], signers: list[Ed25519PrivateKey]) -> dict[str, Any]:
    """A rotation statement: the canonical payload and one signature per signer."""
    text = canonical_json(payload)
    signatures = {
        key_id(public_key_text(k.public_key())): b64e(k.sign(text.encode())) for k in signers
    }
    return {"payload": text, "signatures": signatures}


def _count_signed(text: str, signatures: dict[str, Any], keys: list[str]) -> int:
    good = 0
    for public in keys:
        sig = signatures.get(key_id(public))
        if isinstance(sig, str) and verify(load_public_key(public), sig, text.encode()):
            good += 1
    return good


def follow_rotation(trusted: dict[str, Any], statement: Any) -> dict[str, Any]:
    """The next trusted key set if ``statement`` rotates ``trusted`` properly;
    ProtocolError otherwise (wrong version, too few old or new signatures)."""
    if not isinstance(statement, dict) or not isinstance(statement.get("payload"), str):
        raise ProtocolError("not a key rotation statement")
    signatures = statement.get("signatures")
    nxt = _document(statement["payload"], KEYS_FORMAT, "key rotation")
    keys, threshold = nxt.get("keys"), nxt.get("threshold")
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        raise ProtocolError("a key set names at least one key")
    if not isinstance(threshold, int) or not 1 <= threshold <= len(keys):
        raise ProtocolError("a key set's threshold is between 1 and its size")
    for k in keys:
        load_public_key(k)
    if nxt.get("version") != int(trusted["version"]) + 1:
        raise ProtocolError(f"rotation to version {nxt.get('version')} from {trusted['version']}")
    if not isinstance(signatures, dict):
        raise ProtocolError("rotation has no signatures")
    text = statement["payload"]
    if _count_signed(text, signatures, list(trusted["keys"])) < int(trusted["threshold"]):
        raise ProtocolError("rotation not signed by the keys it replaces")
    if _count_signed(text, signatures, keys) < threshold:
        raise ProtocolError("rotation not signed by the keys it names")
    return nxt


def trusted_key_ids(trust: dict[str, Any]) -> dict[str, str]:
    """key id → public key text, for every key of a trusted key set."""
    return {key_id(k): k for k in trust["keys"]}


# ---- software releases and update offers -----------------------------------------------
# A release is a TUF target ``releases/<version>.json`` (the manifest below) plus one
# target per wheel, content-addressed so two releases share a wheel they both need. The
# fleet tells a kiosk which version to go to with an *offer* (docs/updates.md); the
# kiosk reports each step back with an *update report*.

RELEASE_FORMAT = "bianmin-release/1"
PROJECT = "bianmin-kiosk"
#: The install group a kiosk runs with (pyproject.toml): releases carry its wheels.
EXTRA = "kiosk"
UPDATE_STATES = ("offered", "downloading", "installed", "committed", "rolled_back", "failed")
_VERSION = re.compile(r"[0-9]+(\.[0-9]+){1,3}([a-z]+[0-9]*)?(\.post[0-9]+|\.dev[0-9]+)?")
_WHEEL = re.compile(r"[A-Za-z0-9_.+-]+\.whl")


def sha256_of(path: Path) -> str:
    """A file's SHA-256 as a release manifest names its wheels (read in blocks)."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def release_target(version: str) -> str:
    return f"releases/{version}.json"


def wheel_target(sha256: str, filename: str) -> str:
    return f"wheels/{sha256}/{filename}"


def check_version(text: Any) -> str:
    if not isinstance(text, str) or not _VERSION.fullmatch(text):
        raise ProtocolError(f"not a release version: {text!r}")
    return text


def parse_release(raw: bytes) -> dict[str, Any]:
    """A release manifest (already TUF-verified bytes), checked for shape."""
    doc = _document(raw, RELEASE_FORMAT, "release manifest")
    check_version(doc.get("version"))
    wheels = doc.get("wheels")
    if not isinstance(wheels, list) or not wheels:
        raise ProtocolError("a release lists its wheels")
    for w in wheels:
        if not (
            isinstance(w, dict)
            and isinstance(w.get("filename"), str)
            and _WHEEL.fullmatch(w["filename"])
            and "/" not in w["filename"]
            and isinstance(w.get("sha256"), str)
            and re.fullmatch(r"[0-9a-f]{64}", w["sha256"])
            and isinstance(w.get("length"), int)
            and w.get("target") == wheel_target(w["sha256"], w["filename"])
        ):
            raise ProtocolError(f"bad wheel entry: {str(w)[:80]}")
    if doc.get("wheelhouse") not in ("complete", "project-only"):
        raise ProtocolError("wheelhouse must be complete or project-only")
    return doc


def parse_offer(doc: Any) -> dict[str, Any]:
    """An update offer from the fleet (heartbeat answer ``update`` or an ``update``
    command's args), checked for shape; ProtocolError otherwise."""
    if not isinstance(doc, dict):
        raise ProtocolError("an update offer is a JSON object")
    offer_id = doc.get("offer_id")
    if not isinstance(offer_id, str) or not re.fullmatch(r"[A-Za-z0-9._:-]{1,80}", offer_id):
        raise ProtocolError("an offer has an offer_id (1-80 of A-Z a-z 0-9 . _ : -)")
    repository = doc.get("repository")
    if not isinstance(repository, str) or not re.fullmatch(r"(https?://[^\s/]+)?/\S*", repository):
        raise ProtocolError("an offer names its repository: an http(s) URL or a path")
    downgrade = doc.get("downgrade", False)
    if not isinstance(downgrade, bool):
        raise ProtocolError("downgrade is true or false")
    return {
        "offer_id": offer_id,
        "version": check_version(doc.get("version")),
        "repository": repository,
        "downgrade": downgrade,
    }
