"""帮办代办: staff accounts bound to a station, the signed-in agent, the citizen's
consent, and the audit log of every assisted action."""

from kiosk.staff.accounts import Cost, Locked, OtherStation, StaffError, StaffMember, StaffStore
from kiosk.staff.audit import AuditEntry, AuditLog
from kiosk.staff.desk import AssistContext, Consent, StaffDesk, masked_subject

__all__ = [
    "AssistContext",
    "AuditEntry",
    "AuditLog",
    "Consent",
    "Cost",
    "Locked",
    "OtherStation",
    "StaffDesk",
    "StaffError",
    "StaffMember",
    "StaffStore",
    "masked_subject",
]
