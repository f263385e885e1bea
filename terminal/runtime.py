"""Wiring: from validated settings to a running kiosk core (no UI).

:meth:`Runtime.start` takes ownership of the state directory (one kiosk per directory:
terminal/control.py), opens the devices, the platform link (the embedded stand-in
platform when no URL is configured), the outbox and its pump, the session manager, the
staff desk, the fleet agent (once enrolled), the health checks, and the control socket
the ``kiosk`` CLI talks to. The screens get the result as their typed interface to the
core (screens/core.py); what it opened, it closes in the reverse order.
"""

from __future__ import annotations

import contextlib
import dataclasses as dc
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from config import CATALOGUE_FILE
from devices.simulation import Simulators
from devices.status import DeviceState
from kiosk import __version__
from kiosk.catalogue import Catalogue, Matter, load_catalogue
from kiosk.effects import Effects
from kiosk.flows.start import FlowFactory
from kiosk.hardware import KINDS, CardListener, CardSource, DeviceKind, Hardware, Picture
from kiosk.ime import warm_up
from kiosk.intake import Intake
from kiosk.maint import Availability, HealthMonitor, TechnicianDesk, availability
from kiosk.maint.devicetests import DeviceTests
from kiosk.maint.health import WORKING
from kiosk.maint.report import recent_log
from kiosk.maint.technicians import open_store
from kiosk.outbox import Outbox, OutboxPump, PassReport, load_or_create_key
from kiosk.session import SessionManager
from kiosk.settings import Settings
from kiosk.sites import popular_order
from kiosk.staff import AuditLog, StaffDesk, StaffStore
from kiosk.staff.cases import DeskLists, station_desk
from kiosk.upstream import HttpPlatformClient
from kiosk.usage import UsageRecorder, UsageStore
from kiosk.voice import Voice
from provisioning.agent import Activation, Agent, active_catalogue
from sandbox import SandboxPlatform
from terminal import technician
from terminal.control import ControlServer, OwnerLock
from terminal.devices import open_devices
from terminal.fleet import health_probe, kiosk_agent
from terminal.simulation import SimulationControls
from terminal.system.memory import release_freed_memory
from terminal.updater.proof import Proof, prove, updates_dir
from terminal.updater.state import read_json
from terminal.wiring import open_upstream, outbox_db, outbox_key

log = logging.getLogger(__name__)


def catalogue_source(settings: Settings) -> tuple[Path, list[str]]:
    """The site's catalogue file, else the fleet's active one, else the shipped demo; and
    the matters the fleet's active bundle excludes (the bundle is verified once for both)."""
    fleet_file, excluded = active_catalogue(settings.state_dir)
    site = settings.paths.catalogue
    return (Path(site) if site else fleet_file or CATALOGUE_FILE), excluded


def catalogue_path(settings: Settings) -> Path:
    """The catalogue file this kiosk reads: :func:`catalogue_source`'s."""
    return catalogue_source(settings)[0]


def site_catalogue(settings: Settings) -> Catalogue:
    """The catalogue this kiosk offers: :func:`catalogue_path`'s, less the matters the
    fleet's active bundle excludes (a bundle without a catalogue of its own leaves the
    built-in one, which the server cannot filter)."""
    path, excluded = catalogue_source(settings)
    return load_catalogue(path).without(excluded)


@dc.dataclass(eq=False)
class Runtime:
    """A running kiosk core; see the module docstring. Made by :meth:`start`."""

    settings: Settings
    catalogue: Catalogue
    sessions: SessionManager
    voice: Voice
    hardware: Hardware
    simulators: Simulators  # the sim:// devices' other ends (empty on real devices)
    simulation: SimulationControls | None  # test cards and paper, when devices are simulated
    client: HttpPlatformClient
    sandbox: SandboxPlatform | None  # the embedded stand-in platform, if no URL was set
    outbox: Outbox
    pump: OutboxPump
    intake: Intake
    effects: Effects
    flows: FlowFactory
    audit: AuditLog
    staff: StaffStore
    desk: StaffDesk
    technicians: TechnicianDesk
    device_tests: DeviceTests
    health: HealthMonitor
    usage: UsageRecorder  # counts what the kiosk does for people; the agent sends it
    agent: Agent | None  # the fleet agent, once this kiosk is enrolled
    control: ControlServer  # what ``kiosk print``/``outbox`` ask of a running kiosk
    _closing: contextlib.ExitStack

    @property
    def state_dir(self) -> Path:
        return self.settings.state_dir

    @classmethod
    def start(
        cls,
        settings: Settings,
        *,
        start_pump: bool = True,
        clock: Callable[[], float] = time.monotonic,
        voice_output: Path | None = None,
    ) -> Runtime:
        catalogue = site_catalogue(settings)
        for problem in catalogue.check_site_order(popular_order(settings)):
            log.warning("site.popular: %s", problem)
        with contextlib.ExitStack() as stack:  # closes what was opened if a step fails
            runtime = _assemble(settings, catalogue, stack, start_pump, clock, voice_output)
            runtime._closing = stack.pop_all()
        return runtime

    def close(self) -> None:
        """Close everything :meth:`start` opened, newest first; the state directory's
        lock is released last."""
        self._closing.close()

    # ---- what the screens ask for (screens/core.py) ----

    def warm_up(self) -> None:
        """Build the pinyin index (about a second of CPU) in the background; the UI
        calls this once its first screen is up, so start-up does not wait for it."""
        threading.Thread(target=warm_up, name="ime-warm-up", daemon=True).start()

    def popular(self, limit: int) -> list[Matter]:
        """This site's popular matters: its own ordering, else its site type's."""
        return self.catalogue.popular(list(popular_order(self.settings)), limit)

    def on_card(self, listener: CardListener, *, source: CardSource | None = None) -> None:
        self.hardware.on_card(listener, source=source)

    def idcard_problem_key(self) -> str | None:
        return "error.device.missing" if self.hardware.idcard is None else None

    def serving(self) -> tuple[bool, str]:
        """(can serve citizens, reason key) from the last health check; serving until
        the first check says otherwise."""
        snapshot = self.health.snapshot()
        return (True, "") if snapshot is None else snapshot.serving()

    def usable_devices(self) -> frozenset[str]:
        snapshot = self.health.snapshot()
        return frozenset(KINDS) if snapshot is None else snapshot.usable

    def matter_availability(self, code: str) -> Availability:
        """What the devices working now allow for matter ``code`` (kiosk/maint/needs.py)."""
        return availability(self.catalogue.get(code), self.usable_devices())

    def between_sessions(self) -> Activation | None:
        """The session just ended: the moment a staged fleet bundle may become active.
        Returns the activation (the kiosk restarts on it) or None."""
        return self.agent.between_sessions() if self.agent is not None else None

    def service_state(self) -> tuple[bool, str]:
        """(in service, message): a kiosk locked by its admin shows the message."""
        return self.agent.service_state() if self.agent is not None else (True, "")

    def report(self, event: dict[str, str]) -> None:
        """Tell the fleet of an event (a technician signed in…), once enrolled."""
        if self.agent is not None:
            self.agent.report_event(event)

    def unconfirmed(self) -> list[str]:
        """Numbers of applications saved whose number the citizen may never have got
        (a crash between saving and the receipt): the attract screen says so."""
        return [status.number for status in self.outbox.unconfirmed()]

    def confirm(self, number: str) -> None:
        """Staff or citizen have seen the number: stop telling them."""
        self.outbox.confirm_receipt(number)

    def station_desk(self) -> DeskLists:
        """The agent's lists of this station's cases (blocking: off the UI thread)."""
        return station_desk(self.client, self.settings.site.station_id, dt.date.today())

    def flush_outbox(self) -> PassReport:
        """Send everything queued now (blocking); what was sent and what is left."""
        return self.pump.flush()

    def versions(self) -> dict[str, str]:
        """Software, active configuration bundle and catalogue versions, as text."""
        bundle = self.agent.state.applied_version if self.agent is not None else 0
        return {
            "software": __version__,
            "config": str(bundle) if bundle else "-",
            "catalogue": str(self.catalogue.version or "-"),
        }

    def recent_log(self, lines: int) -> list[str]:
        """The last lines of the kiosk log, redacted again on the way out."""
        return recent_log(self.state_dir / "logs" / "kiosk.log", lines)

    def camera_preview(self) -> tuple[int, Picture] | None:  # type: ignore[explicit-any]  # numpy's
        """The QR camera's live preview while it scans (kiosk/hardware.py)."""
        return self.hardware.camera_preview()

    # ---- a new version proving itself (terminal/updater/proof.py) ----

    def devices_answer(self) -> tuple[bool, str, dict[str, list[str]]]:
        """The devices answering their health check: every device the last good version
        had working (``updates/devices.json``), else every device that is present."""
        statuses = self.hardware.statuses()
        working = sorted(k for k, status in statuses.items() if status.device in WORKING)
        baseline = read_json(updates_dir(self.state_dir) / "devices.json") or {}
        required = baseline.get("working")
        if not isinstance(required, list):
            required = [k for k, st in statuses.items() if st.device != DeviceState.NO_DEVICE]
        bad = [
            f"{k} {statuses[k].device}" if k in statuses else f"{k} missing"
            for k in sorted(required)
            if k not in working
        ]
        return not bad, ", ".join(bad), {"working": working}

    def outbox_readable(self) -> tuple[bool, str]:
        check = self.outbox.integrity_check()
        return check == "ok", f"{self.outbox.depth()} pending" if check == "ok" else check

    def fleet_reached(self) -> bool | None:
        """True once the fleet answered; None when this kiosk is not enrolled."""
        return None if self.agent is None else self.agent.ping()

    def prove_update(self, proof: Proof, interval: float = 5.0) -> threading.Thread:
        """Mark devices, outbox and fleet in the background as they show themselves."""
        thread = threading.Thread(
            target=prove,
            args=(proof,),
            kwargs={
                "devices": self.devices_answer,
                "outbox": self.outbox_readable,
                "fleet": self.fleet_reached,
                "interval": interval,
            },
            name="update-proof",
            daemon=True,
        )
        thread.start()
        return thread

    def restart_due(self) -> bool:
        """The updater switched versions: restart (when no citizen is here) onto it."""
        asked = read_json(updates_dir(self.state_dir) / "restart.json") or {}
        return bool(asked.get("version")) and asked.get("version") != __version__

    # ---- for the demo and the tests ----

    def wait_for_outbox(self, timeout: float, sleep: Callable[[float], None] = time.sleep) -> bool:
        """True once nothing is pending."""
        deadline = time.monotonic() + timeout
        while self.outbox.depth() > 0:
            if time.monotonic() > deadline:
                return False
            self.pump.kick()
            sleep(0.05)
        return True


def _assemble(
    settings: Settings,
    catalogue: Catalogue,
    stack: contextlib.ExitStack,
    start_pump: bool,
    clock: Callable[[], float],
    voice_output: Path | None,
) -> Runtime:
    """Open every part in order, registering each one's close on ``stack``."""
    state_dir = settings.state_dir
    state_dir.mkdir(parents=True, exist_ok=True)
    owner = OwnerLock(state_dir).acquire()  # AlreadyRunning: stop here
    _closes(stack, owner.release)  # last: everything else is closed by then

    simulators = Simulators()
    hardware = Hardware(open_devices(settings.devices, simulators))
    _closes(stack, hardware.close)
    hardware.start()
    sim = SimulationControls(simulators)
    simulation = sim if sim.active else None

    client, sandbox = open_upstream(settings)
    if sandbox is not None:
        _closes(stack, sandbox.close)
    _closes(stack, client.close)
    outbox = Outbox(outbox_db(state_dir), load_or_create_key(outbox_key(state_dir)))
    _closes(stack, outbox.close)
    pump = OutboxPump(outbox, client)
    _closes(stack, pump.stop)
    intake = Intake(settings, hardware, outbox, client, catalogue, kick=pump.kick)
    # Before the pump can send (and purge) anything: a receipt for every application
    # saved just before a crash, so that it can still be printed.
    outbox.jobs.purge_expired()
    rebuilt = intake.printing.rebuild_missing()
    if rebuilt:
        log.warning("%d saved application(s) had no receipt yet: kept for a reprint", rebuilt)
    if start_pump:
        pump.start()

    site, staff_settings = settings.site, settings.staff
    audit = AuditLog(state_dir / "audit.sqlite3", site.station_id)
    _closes(stack, audit.close)
    staff = StaffStore(
        state_dir / "staff.sqlite3",
        max_failures=staff_settings.max_pin_failures,
        lockout_s=staff_settings.lockout_s,
    )
    _closes(stack, staff.close)
    desk = StaffDesk(staff, audit, site.station_id, idle_s=staff_settings.idle_s)
    effects = Effects(settings, hardware, outbox, client, catalogue, intake, audit=audit)
    device_tests = DeviceTests(hardware)
    usage = UsageRecorder(
        UsageStore(state_dir / "usage.sqlite3"),
        matters=lambda: catalogue,
        now=intake.now,
        clock=clock,
        voice_on=lambda: runtime.voice.enabled,
    )
    _closes(stack, usage.close)
    intake.printing.observe = usage.printed

    agent = _start_agent(state_dir, hardware, outbox, device_tests, usage)
    if agent is not None:
        _closes(stack, agent.close)
    technician_store = open_store(
        state_dir, staff_settings.max_pin_failures, staff_settings.lockout_s
    )
    _closes(stack, technician_store.close)
    # The fleet's parts are asked for through the runtime at call time: an agent
    # enrolled while the kiosk runs takes part at once.
    technicians = TechnicianDesk(
        technician_store, audit, site.station_id, report=lambda event: runtime.report(event)
    )
    health = HealthMonitor(
        statuses=hardware.statuses,
        outbox=lambda: (outbox.depth(), outbox.oldest_pending_age()),
        ping_platform=lambda: bool(client.ping(timeout=2.0)),
        ping_fleet=lambda: runtime.agent.ping() if runtime.agent is not None else None,
        fleet_state=lambda: runtime.service_state(),
        outbox_full=settings.maintenance.outbox_full,
    )

    control = ControlServer(
        state_dir,
        technician.handlers(pump, intake, hardware.printer, hardware.problem(DeviceKind.PRINTER)),
    )
    control.start()
    _closes(stack, control.stop)

    voice = Voice(enabled=settings.ui.voice, output=voice_output)
    _closes(stack, voice.stop)
    sessions = SessionManager(
        state_dir / "tmp",
        idle_timeout=settings.session.idle_timeout_s,
        idle_warning=settings.session.idle_warning_s,
        max_extensions=settings.session.max_extensions,
        language=settings.ui.language,
        elderly=settings.ui.elderly_default,
        clock=clock,
        reclaim=release_freed_memory,
        observer=usage.journeys,
    )
    runtime = Runtime(
        settings=settings,
        catalogue=catalogue,
        sessions=sessions,
        voice=voice,
        hardware=hardware,
        simulators=simulators,
        simulation=simulation,
        client=client,
        sandbox=sandbox,
        outbox=outbox,
        pump=pump,
        intake=intake,
        effects=effects,
        flows=FlowFactory(settings, intake.now, audit.clock),
        audit=audit,
        staff=staff,
        desk=desk,
        technicians=technicians,
        device_tests=device_tests,
        health=health,
        usage=usage,
        agent=agent,
        control=control,
        _closing=stack,
    )
    health.start(settings.maintenance.health_interval_s)
    _closes(stack, health.stop)
    return runtime


def _closes(stack: contextlib.ExitStack, close: Callable[[], object]) -> None:
    """Register ``close`` on ``stack``; a part that fails to close is logged, and the
    others still close."""

    def quietly() -> None:
        try:
            close()
        except Exception:
            log.exception("closing %s failed", getattr(close, "__qualname__", close))

    stack.callback(quietly)


def _start_agent(
    state_dir: Path,
    hardware: Hardware,
    outbox: Outbox,
    device_tests: DeviceTests,
    usage: UsageRecorder,
) -> Agent | None:
    """Heartbeats, bundles, commands and usage batches, when a technician has enrolled
    this kiosk."""
    if not (state_dir / "fleet" / "agent.json").exists():
        return None
    agent = kiosk_agent(
        state_dir,
        probe=health_probe(hardware.statuses, outbox),
        test_print=device_tests.print_test_page,
        usage=usage,
    )
    if not agent.state.enrolled:
        agent.close()
        return None
    agent.start(is_idle=lambda: False)  # bundles become active only between sessions
    return agent
