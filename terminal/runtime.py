"""Wiring: from validated settings to a running kiosk core (no UI).

Takes ownership of the state directory (one kiosk per directory: terminal/control.py),
opens the devices, the platform link (the embedded sandbox when no URL is configured),
the outbox and its pump, the session manager, and the control socket the ``kiosk``
CLI talks to. The UI gets one :class:`Runtime`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from config import CATALOGUE_FILE
from kiosk.catalogue import Catalogue, load_catalogue
from kiosk.hardware import CardListener, Hardware
from kiosk.ime import warm_up
from kiosk.intake.accept import Intake
from kiosk.outbox import Outbox, OutboxPump, load_or_create_key
from kiosk.session import SessionManager
from kiosk.settings import Settings
from kiosk.sites import popular_order
from kiosk.voice import Voice
from provisioning.agent import active_catalogue_file
from terminal import technician
from terminal.control import ControlServer, OwnerLock
from terminal.fleet import health_probe, kiosk_agent
from terminal.system.memory import release_freed_memory
from terminal.wiring import open_upstream, outbox_db, outbox_key

log = logging.getLogger(__name__)


def catalogue_path(settings: Settings) -> Path:
    """The site's catalogue file, else the fleet's active one, else the shipped demo."""
    if settings.paths.catalogue:
        return Path(settings.paths.catalogue)
    return active_catalogue_file(settings.state_dir) or CATALOGUE_FILE


class Runtime:
    def __init__(
        self, settings: Settings, catalogue: Catalogue, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.settings = settings
        self.catalogue = catalogue
        self.state_dir = settings.state_dir
        self.sessions = SessionManager(
            self.state_dir / "tmp",
            idle_timeout=settings.session.idle_timeout_s,
            idle_warning=settings.session.idle_warning_s,
            max_extensions=settings.session.max_extensions,
            language=settings.ui.language,
            elderly=settings.ui.elderly_default,
            clock=clock,
            reclaim=release_freed_memory,
        )
        self.hardware = Hardware(settings)
        self.voice = Voice(enabled=False)
        self.sandbox: Any = None
        self.client: Any = None
        self.outbox: Any = None
        self.pump: Any = None
        self.intake: Any = None
        self.effects: Any = None  # kiosk.effects.Effects: what the flows ask for
        self.audit: Any = None  # kiosk.staff.AuditLog of assisted work
        self.staff: Any = None  # kiosk.staff.StaffStore: this station's agents
        self.desk: Any = None  # kiosk.staff.StaffDesk: who is signed in
        self.agent: Any = None  # the fleet agent, once this kiosk is enrolled
        self.technicians: Any = None  # kiosk.maint.TechnicianDesk: who is in maintenance
        self.health: Any = None  # kiosk.maint.HealthMonitor: devices, network, outbox
        self._owner: OwnerLock | None = None
        self._control: ControlServer | None = None

    @classmethod
    def start(
        cls,
        settings: Settings,
        *,
        start_pump: bool = True,
        clock: Callable[[], float] = time.monotonic,
        voice_output: Path | None = None,
    ) -> Runtime:
        catalogue = load_catalogue(catalogue_path(settings))
        for problem in catalogue.check_site_order(popular_order(settings)):
            log.warning("site.popular: %s", problem)
        runtime = cls(settings, catalogue, clock)
        runtime.voice = Voice(enabled=settings.ui.voice, output=voice_output)
        try:
            runtime._start(start_pump)
        except BaseException:
            runtime.close()
            raise
        return runtime

    def _start(self, start_pump: bool) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._owner = OwnerLock(self.state_dir).acquire()  # AlreadyRunning: stop here
        self.hardware.open()
        self.client, self.sandbox = open_upstream(self.settings)
        self.outbox = Outbox(
            outbox_db(self.state_dir), load_or_create_key(outbox_key(self.state_dir))
        )
        self.pump = OutboxPump(self.outbox, self.client)
        self.intake = Intake(
            self.settings,
            self.hardware,
            self.outbox,
            self.client,
            self.catalogue,
            kick=self.pump.kick,
        )
        # Before the pump can send (and purge) anything: a receipt for every application
        # saved just before a crash, so that it can still be printed.
        self.outbox.jobs.purge_expired()
        rebuilt = self.intake.printing.rebuild_missing()
        if rebuilt:
            log.warning("%d saved application(s) had no receipt yet: kept for a reprint", rebuilt)
        if start_pump:
            self.pump.start()
        self._control = ControlServer(self.state_dir, technician.handlers(self))
        self._control.start()
        self._start_services()
        self._start_agent()
        self._start_maintenance()

    def _start_services(self) -> None:
        """The modes' effects, and the staff desk and audit log of 帮办代办."""
        from kiosk.effects import Effects
        from kiosk.staff import AuditLog, StaffDesk, StaffStore

        site, staff = self.settings.site, self.settings.staff
        self.audit = AuditLog(self.state_dir / "audit.sqlite3", site.station_id)
        self.staff = StaffStore(
            self.state_dir / "staff.sqlite3",
            max_failures=staff.max_pin_failures,
            lockout_s=staff.lockout_s,
        )
        self.desk = StaffDesk(self.staff, self.audit, site.station_id, idle_s=staff.idle_s)
        self.effects = Effects(
            self.settings, self.hardware, self.outbox, self.client, self.catalogue,
            self.intake, audit=self.audit,
        )  # fmt: skip

    def _start_agent(self) -> None:
        """Heartbeats, bundles and commands, when a technician has enrolled this kiosk."""
        if not (self.state_dir / "fleet" / "agent.json").exists():
            return
        agent = kiosk_agent(
            self.state_dir,
            probe=health_probe(self.hardware.statuses, self.outbox),
            test_print=self.print_test_page,
        )
        if not agent.state.enrolled:
            agent.close()
            return
        self.agent = agent
        agent.start(is_idle=lambda: False)  # bundles become active only between sessions

    def _start_maintenance(self) -> None:
        """The technician list and the health checks the maintenance screen and the
        out-of-service rule read."""
        from kiosk.maint import HealthMonitor, TechnicianDesk
        from kiosk.maint.technicians import open_store

        staff, site = self.settings.staff, self.settings.site
        store = open_store(self.state_dir, staff.max_pin_failures, staff.lockout_s)
        self.technicians = TechnicianDesk(store, self.audit, site.station_id,
                                          report=self._report_event)  # fmt: skip
        self.health = HealthMonitor(
            statuses=self.hardware.statuses,
            outbox=lambda: (self.outbox.depth(), self.outbox.oldest_pending_age()),
            ping_platform=lambda: bool(self.client.ping(timeout=2.0)),
            ping_fleet=lambda: self.agent.ping() if self.agent is not None else None,
            fleet_state=self.service_state,
            outbox_full=self.settings.maintenance.outbox_full,
        )
        self.health.start(self.settings.maintenance.health_interval_s)

    def _report_event(self, event: dict[str, Any]) -> None:
        if self.agent is not None:
            self.agent.report_event(event)

    def serving(self) -> tuple[bool, str]:
        """(can serve citizens, reason key) from the last health check; serving until
        the first check says otherwise."""
        snapshot = self.health.snapshot() if self.health is not None else None
        return (True, "") if snapshot is None else snapshot.serving()

    def usable_devices(self) -> frozenset[str]:
        from kiosk.hardware import KINDS

        snapshot = self.health.snapshot() if self.health is not None else None
        return frozenset(KINDS) if snapshot is None else snapshot.usable

    def matter_availability(self, code: str) -> Any:
        """What the devices working now allow for matter ``code`` (kiosk/maint/needs.py)."""
        from kiosk.maint import availability

        return availability(self.catalogue.get(code), self.usable_devices())

    def between_sessions(self) -> Any:
        """The session just ended: the moment a staged fleet bundle may become active.
        Returns the activation (the kiosk restarts on it) or None."""
        return self.agent.between_sessions() if self.agent is not None else None

    def service_state(self) -> tuple[bool, str]:
        """(in service, message): a kiosk locked by its admin shows the message."""
        return self.agent.service_state() if self.agent is not None else (True, "")

    def print_test_page(self) -> str:
        from kiosk.receipts import test_page

        printer = self.hardware.printer
        if printer is None:
            return "no_printer"
        outcome = printer.print_document(test_page(printer.profile))
        return "printed" if outcome.printed else outcome.reason

    def warm_up(self) -> None:
        """Build the pinyin index (about a second of CPU) in the background; the UI
        calls this once its first screen is up, so start-up does not wait for it."""
        threading.Thread(target=warm_up, name="ime-warm-up", daemon=True).start()

    # ---- what the UI asks for ----

    def popular(self, limit: int) -> list[Any]:
        """This site's popular matters: its own ordering, else its site type's."""
        return self.catalogue.popular(list(popular_order(self.settings)), limit)

    def on_card(self, listener: CardListener, *, source: str | None = None) -> None:
        self.hardware.on_card(listener, source=source)

    @property
    def idcard_simulated(self) -> bool:
        reader = self.hardware.idcard
        return reader is not None and getattr(reader, "simulator", None) is not None

    def insert_test_card(self, fixture: str = "elder") -> None:
        """Lay a test card on the simulated reader (demo and the sim-only button)."""
        if self.idcard_simulated:
            self.hardware.idcard.simulator.insert(fixture)

    def remove_test_card(self) -> None:
        if self.idcard_simulated:
            self.hardware.idcard.simulator.remove()

    @property
    def smartcard_simulated(self) -> bool:
        reader = self.hardware.smartcard
        return reader is not None and getattr(reader, "simulator", None) is not None

    def insert_test_smartcard(self, card: str = "ssc") -> None:
        """Put a synthetic card (``ssc``, ``bank``…) in the virtual PC/SC reader."""
        if self.smartcard_simulated:
            self.hardware.smartcard.simulator.insert(card)

    def remove_test_smartcard(self) -> None:
        if self.smartcard_simulated:
            self.hardware.smartcard.simulator.remove()

    def idcard_problem_key(self) -> str | None:
        return "error.device.missing" if self.hardware.idcard is None else None

    def unconfirmed(self) -> list[str]:
        """Numbers of applications saved whose number the citizen may never have got
        (a crash between saving and the receipt): the attract screen says so."""
        return [status.number for status in self.outbox.unconfirmed()]

    def confirm(self, number: str) -> None:
        """Staff or citizen have seen the number: stop telling them."""
        self.outbox.confirm_receipt(number)

    def wait_for_outbox(self, timeout: float, sleep: Callable[[float], None] = time.sleep) -> bool:
        """True once nothing is pending (demo and tests)."""
        deadline = time.monotonic() + timeout
        while self.outbox.depth() > 0:
            if time.monotonic() > deadline:
                return False
            self.pump.kick()
            sleep(0.05)
        return True

    def close(self) -> None:
        for closer in (
            lambda: self.health.stop(),
            lambda: self.agent.close(),
            self.voice.stop,
            lambda: self._control.stop(),  # type: ignore[union-attr]
            lambda: self.pump.stop(),
            lambda: self.outbox.close(),
            lambda: self.client.close(),
            lambda: self.sandbox.close(),
            lambda: self.audit.close(),
            lambda: self.staff.close(),
            lambda: self.technicians.store.close(),
            self.hardware.close,
            lambda: self._owner.release(),  # type: ignore[union-attr]  # last: all closed
        ):
            with contextlib.suppress(Exception):
                closer()
