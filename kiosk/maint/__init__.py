"""The field technician's side of the kiosk: maintenance mode, device needs, service state.

Plain Python (no Kivy): :mod:`gesture` recognises the hidden way in, :mod:`technicians`
signs a technician in (personal PIN or card + PIN, lockout, audit, fleet event),
:mod:`health` keeps one snapshot of devices, network and outbox that the screens read,
:mod:`needs` says which matters a dead device stops, :mod:`report` gathers versions and
the redacted recent log.
"""

from kiosk.maint.gesture import CornerTaps
from kiosk.maint.health import HealthMonitor, HealthSnapshot, Link
from kiosk.maint.needs import Availability, availability, needs
from kiosk.maint.technicians import TechnicianDesk

__all__ = [
    "Availability",
    "CornerTaps",
    "HealthMonitor",
    "HealthSnapshot",
    "Link",
    "TechnicianDesk",
    "availability",
    "needs",
]
