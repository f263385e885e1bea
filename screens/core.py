"""What the screens may use of the kiosk core: a typed interface they are handed.

The terminal assembles a running core (terminal/runtime.py) and gives it to the app,
which gives it to the screens (``app.core``). Everything a screen asks of the kiosk goes
through this Protocol: the session, the catalogue, the flows, the effects the flows ask
for, the staff and technician desks, the device tests, the health snapshot. No screen
opens, starts or reads a device itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from kiosk.catalogue import Catalogue, Matter
from kiosk.effects import Effects
from kiosk.flows.machine import StepMachine
from kiosk.flows.start import FlowFactory
from kiosk.hardware import CardListener, CardSource, Picture
from kiosk.intake import Intake
from kiosk.maint import Availability, HealthMonitor, TechnicianDesk
from kiosk.maint.devicetests import DeviceTests
from kiosk.outbox import PassReport
from kiosk.session import Session, SessionManager
from kiosk.settings import Settings
from kiosk.staff import AuditLog, StaffDesk
from kiosk.staff.cases import DeskLists
from kiosk.voice import Voice


class Simulation(Protocol):
    """Test cards for a kiosk on simulated card devices (terminal/simulation.py)."""

    @property
    def idcard(self) -> bool: ...

    @property
    def smartcard(self) -> bool: ...

    def lay_test_card(self, fixture: str = "elder") -> None: ...

    def lay_test_smartcard(self, card: str = "ssc") -> None: ...

    @property
    def camera(self) -> bool: ...

    def show_face(self, sample: str = "elder", *, live: bool = True) -> None: ...


class Activated(Protocol):
    """A fleet configuration that became active between sessions."""

    @property
    def version(self) -> int: ...


class KioskCore(Protocol):
    """The kiosk core as the screens see it."""

    settings: Settings
    catalogue: Catalogue
    sessions: SessionManager
    voice: Voice
    flows: FlowFactory
    effects: Effects
    intake: Intake
    desk: StaffDesk
    audit: AuditLog
    technicians: TechnicianDesk
    device_tests: DeviceTests
    health: HealthMonitor

    @property
    def state_dir(self) -> Path: ...

    @property
    def simulation(self) -> Simulation | None: ...

    def warm_up(self) -> None: ...

    def popular(self, limit: int) -> list[Matter]: ...

    def on_card(self, listener: CardListener, *, source: CardSource | None = None) -> None: ...

    def idcard_problem_key(self) -> str | None: ...

    def serving(self) -> tuple[bool, str]: ...

    def usable_devices(self) -> frozenset[str]: ...

    def matter_availability(self, code: str) -> Availability: ...

    def between_sessions(self) -> Activated | None: ...

    def restart_due(self) -> bool: ...

    def service_state(self) -> tuple[bool, str]: ...

    def unconfirmed(self) -> list[str]: ...

    def confirm(self, number: str) -> None: ...

    def station_desk(self) -> DeskLists: ...

    def flush_outbox(self) -> PassReport: ...

    def versions(self) -> dict[str, str]: ...

    def recent_log(self, lines: int) -> list[str]: ...

    def camera_preview(self) -> tuple[int, Picture] | None: ...  # type: ignore[explicit-any]  # numpy's


class OnSession:
    """For the parts that act on the current session: the session and its flow, read
    afresh each time, since one session ends and the next begins under them."""

    core: KioskCore

    @property
    def session(self) -> Session:
        return self.core.sessions.current

    @property
    def flow(self) -> StepMachine | None:
        return self.session.flow
