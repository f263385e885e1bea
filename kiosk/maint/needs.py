"""Which devices a matter needs, read from the catalogue, and what a dead one means.

- identity: at least one device for a proof the matter accepts (ID card → ``idcard``,
  社保卡 → ``smartcard``, e-ID QR → ``camera``); none working blocks the matter;
- materials: a required material that can only come on paper needs the document camera
  (``docscan``); with it down the matter is blocked;
- receipts: every application ends with a printed receipt (``printer``); with it down the
  matter still works and the receipt is shown on screen only (a note says so).
"""

from __future__ import annotations

import dataclasses as dc
from collections.abc import Set
from typing import Any

from kiosk.catalogue.model import IdentityProof, MaterialSource

PROOF_DEVICES = {
    IdentityProof.ID_CARD: "idcard",
    IdentityProof.SOCIAL_SECURITY_CARD: "smartcard",
    IdentityProof.E_ID: "camera",
}


@dc.dataclass(frozen=True)
class Availability:
    blocked_by: tuple[str, ...] = ()  # device kinds whose absence stops the matter
    degraded_by: tuple[str, ...] = ()  # device kinds whose absence only changes it

    @property
    def ok(self) -> bool:
        return not self.blocked_by


def paper_only(matter: Any) -> bool:
    """A required material that has no other way in than the document camera."""
    return any(m.required and set(m.source_ok) <= {MaterialSource.PAPER} for m in matter.materials)


def needs(matter: Any) -> dict[str, str]:
    """Device kind → ``"required"`` or ``"receipt"`` (only a nicety) for ``matter``."""
    found: dict[str, str] = {}
    if paper_only(matter):
        found["docscan"] = "required"
    found["printer"] = "receipt"
    return found


def availability(matter: Any, usable: Set[str]) -> Availability:
    """What the devices that work now (``usable`` kinds) allow for ``matter``."""
    blocked: list[str] = []
    proofs = [PROOF_DEVICES[p] for p in matter.identity.accepts if p in PROOF_DEVICES]
    if proofs and not any(kind in usable for kind in proofs):
        blocked.append("identity")
    degraded: list[str] = []
    for kind, how in needs(matter).items():
        if kind not in usable:
            (blocked if how == "required" else degraded).append(kind)
    return Availability(tuple(blocked), tuple(degraded))
