"""Electronic supervision (电子监察) as pure rules the fleet server reuses: red and yellow
cards on cases (cards.py) and the follow-up of bad ratings (followup.py).

The data comes from the platform's supervision listing (kiosk/upstream, ``GET
/v1/supervision/cases``); these modules only decide, they store and fetch nothing.
"""

from kiosk.supervision.cards import CardCount, case_card, tally
from kiosk.supervision.followup import (
    Action,
    AuditEntry,
    FollowUp,
    FollowUpError,
    FollowUpState,
    advance,
    open_follow_up,
)

__all__ = [
    "Action",
    "AuditEntry",
    "CardCount",
    "FollowUp",
    "FollowUpError",
    "FollowUpState",
    "advance",
    "case_card",
    "open_follow_up",
    "tally",
]
