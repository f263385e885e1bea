"""Who the citizen is: the identity a card (or a typed number) proves, and the masked
views of card records a technician may see."""

from kiosk.identity.model import (
    Identity,
    TypedNumberRejected,
    identity_from_idcard,
    identity_from_record,
    identity_from_smartcard,
    identity_from_typed,
)

__all__ = [
    "Identity",
    "TypedNumberRejected",
    "identity_from_idcard",
    "identity_from_record",
    "identity_from_smartcard",
    "identity_from_typed",
]
