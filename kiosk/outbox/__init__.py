"""The durable outbox: commit first, print the receipt, then send — never lose or
duplicate an application (research/fleet.md part B)."""

from kiosk.outbox.crypto import CryptoError, load_or_create_key, new_key
from kiosk.outbox.models import (
    Attachment,
    ItemState,
    ItemStatus,
    QueuedSubmission,
    Stage,
    Submission,
)
from kiosk.outbox.pump import OutboxPump, PassReport
from kiosk.outbox.store import Outbox

__all__ = [
    "Attachment",
    "CryptoError",
    "ItemState",
    "ItemStatus",
    "Outbox",
    "OutboxPump",
    "PassReport",
    "QueuedSubmission",
    "Stage",
    "Submission",
    "load_or_create_key",
    "new_key",
]
