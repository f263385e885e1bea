"""What a scanned QR code means: our receipt, our appointment slip, a look-alike, or a token.

Our own codes are links a phone can open (the province's progress or appointment page)
that also carry a tag, so the kiosk can tell its own receipts from look-alikes: a
sticker pasted over a receipt, a forged number, a lookalike domain.

    https://zwfw.example.gov.cn/bjcx?n=<number>&k=<key id>&s=<tag>     receipt
    https://zwfw.example.gov.cn/yycx?n=<number>&k=<key id>&s=<tag>     appointment

``tag`` = the first 80 bits of HMAC-SHA256(key, ``bmk-qr1|<kind>|<number>|<key id>``),
base32 in lower case; ``key id`` = the first 8 hex digits of SHA-256(key). The signing
key is made on first use in ``<state dir>/keys/qr.key``; keys of other kiosks whose
codes this one should accept (a county's shared key, a rotated old key) go in
``<state dir>/keys/qr-trusted/*.key``. A phone ignores ``k`` and ``s``.

Everything else (an electronic ID code, a payment result, another platform's link) is
an opaque token, handed to the platform exactly as scanned.
"""

from __future__ import annotations

import base64
import dataclasses as dc
import enum
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from kiosk.storage import secret_file

log = logging.getLogger(__name__)

HOST = "zwfw.example.gov.cn"  # the province's service portal
PATHS = {"receipt": "/bjcx", "appointment": "/yycx"}  # 办件查询, 预约查询
KEY_BYTES = 32
TAG_BYTES = 10
DOMAIN = "bmk-qr1"  # separates these tags from any other use of the key
MAX_NUMBER = 96
_NUMBER = re.compile(rf"[A-Za-z0-9_.-]{{1,{MAX_NUMBER}}}")
_KID = re.compile(r"[0-9a-f]{8}")
_TAG = re.compile(r"[a-z2-7]{16}")


class CodeKind(enum.StrEnum):
    RECEIPT = "receipt"
    APPOINTMENT = "appointment"
    LOOKALIKE = "lookalike"  # looks like ours, is not: refuse it
    TOKEN = "token"  # someone else's code: pass it on as it is


@dc.dataclass(frozen=True)
class ScannedCode:
    """What a code means. ``text`` is exactly what was scanned; ``number`` is set for our
    receipts and appointments; ``reason`` says why a look-alike was refused
    (``malformed``, ``unknown_key``, ``bad_signature``, ``foreign_host``)."""

    kind: CodeKind
    text: str
    number: str | None = None
    reason: str | None = None

    @property
    def ours(self) -> bool:
        return self.kind in (CodeKind.RECEIPT, CodeKind.APPOINTMENT)


class QrKeyring:
    """The kiosk's signing key and the keys whose codes it accepts, by key id."""

    def __init__(self, signing_key: bytes, trusted: list[bytes] | None = None) -> None:
        if len(signing_key) < 16:
            raise ValueError("a QR signing key must have at least 16 bytes")
        self.signing_key = signing_key
        self.kid = key_id(signing_key)
        self._keys = {key_id(k): k for k in [*(trusted or []), signing_key]}

    @classmethod
    def load(
        cls, state_dir: Path, *, token_bytes: Callable[[int], bytes] = secrets.token_bytes
    ) -> QrKeyring:
        """The keyring in ``state_dir/keys``; the signing key is made there on first use."""
        keys = state_dir / "keys"
        signing = _load_or_create(keys / "qr.key", token_bytes)
        trusted = [p.read_bytes() for p in sorted((keys / "qr-trusted").glob("*.key"))]
        return cls(signing, [k for k in trusted if len(k) >= 16])

    def key(self, kid: str) -> bytes | None:
        return self._keys.get(kid)


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def _tag(key: bytes, kind: str, number: str, kid: str) -> str:
    mac = hmac.new(key, f"{DOMAIN}|{kind}|{number}|{kid}".encode(), hashlib.sha256).digest()
    return base64.b32encode(mac[:TAG_BYTES]).decode().lower()


def our_code(kind: str, number: str, keyring: QrKeyring) -> str:
    """The payload of our ``receipt`` or ``appointment`` code for ``number``."""
    if kind not in PATHS:
        raise ValueError(f"kind must be one of {sorted(PATHS)}, not {kind!r}")
    if not _NUMBER.fullmatch(number):
        raise ValueError(f"a number for a QR code must be 1-{MAX_NUMBER} of A-Z a-z 0-9 _ . -")
    tag = _tag(keyring.signing_key, kind, number, keyring.kid)
    return f"https://{HOST}{PATHS[kind]}?" + urlencode({"n": number, "k": keyring.kid, "s": tag})


def receipt_qr(number: str, keyring: QrKeyring) -> str:
    return our_code("receipt", number, keyring)


def appointment_qr(number: str, keyring: QrKeyring) -> str:
    return our_code("appointment", number, keyring)


def classify(text: str, keyring: QrKeyring) -> ScannedCode:
    """What ``text``, as scanned, means; never raises for any string."""
    try:
        url = urlsplit(text.strip())
        host = (url.hostname or "").lower()
    except ValueError:  # e.g. an invalid IPv6 literal: not a link of ours
        return ScannedCode(CodeKind.TOKEN, text)
    kind = next((k for k, path in PATHS.items() if url.path == path), None)
    if host != HOST:
        if kind is not None or _imitates(host):
            log.warning("QR look-alike refused: foreign host")
            return ScannedCode(CodeKind.LOOKALIKE, text, reason="foreign_host")
        return ScannedCode(CodeKind.TOKEN, text)
    if kind is None:
        return ScannedCode(CodeKind.TOKEN, text)  # another page of the portal: not ours
    number, reason = _verify(url.scheme, url.query, url.fragment, kind, keyring)
    if reason is not None:
        log.warning("QR look-alike refused: %s", reason)
        return ScannedCode(CodeKind.LOOKALIKE, text, reason=reason)
    return ScannedCode(CodeKind(kind), text, number=number)


def _imitates(host: str) -> bool:
    """A host dressed up as ours: ``zwfw.example.gov.cn.evil.cn``, ``zwfw-example.gov.cn``."""
    if host.endswith("." + HOST):  # a real subdomain of the portal
        return False
    squashed = re.sub(r"[^a-z0-9]", "", host)
    return re.sub(r"[^a-z0-9]", "", HOST) in squashed


def _verify(
    scheme: str, query: str, fragment: str, kind: str, keyring: QrKeyring
) -> tuple[str | None, str | None]:
    """(number, None) for a genuine code of ours, else (None, reason)."""
    try:
        params = parse_qs(query, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None, "malformed"
    if scheme != "https" or fragment or set(params) != {"n", "k", "s"}:
        return None, "malformed"
    if any(len(v) != 1 for v in params.values()):
        return None, "malformed"
    number, kid, tag = params["n"][0], params["k"][0], params["s"][0]
    if not (_NUMBER.fullmatch(number) and _KID.fullmatch(kid) and _TAG.fullmatch(tag)):
        return None, "malformed"
    key = keyring.key(kid)
    if key is None:
        return None, "unknown_key"
    if not hmac.compare_digest(_tag(key, kind, number, kid), tag):
        return None, "bad_signature"
    return number, None


def _load_or_create(path: Path, token_bytes: Callable[[int], bytes]) -> bytes:
    """The key in ``path``, made on first use as a 0600 file."""
    key, made = secret_file(path, lambda: token_bytes(KEY_BYTES))
    if made:
        log.info("made a new QR signing key %s", key_id(key))
    if len(key) < 16:
        raise ValueError(f"QR key file {path} is too short (at least 16 bytes)")
    return key
