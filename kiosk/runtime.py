"""Wiring: from validated settings to a running kiosk core (no UI).

Opens the devices, the platform link (the embedded sandbox when no URL is configured),
the outbox and its pump, and the session manager. The UI gets one :class:`Runtime`.
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
from kiosk.journey import Journey
from kiosk.outbox import Outbox, OutboxPump, load_or_create_key
from kiosk.session import SessionManager
from kiosk.settings import Settings
from kiosk.sites import popular_order
from kiosk.upstream.client import HttpPlatformClient
from kiosk.upstream.retry import Backoff
from kiosk.voice import Voice

log = logging.getLogger(__name__)


def catalogue_path(settings: Settings) -> Path:
    """The site's catalogue file, else the fleet's active one, else the shipped demo."""
    if settings.paths.catalogue:
        return Path(settings.paths.catalogue)
    from provisioning.agent import active_catalogue_file

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
        )
        self.hardware = Hardware(settings)
        self.voice = Voice(enabled=False)
        self.sandbox: Any = None
        self.client: Any = None
        self.outbox: Any = None
        self.pump: Any = None
        self.journey: Any = None
        self.agent: Any = None  # the fleet agent, once this kiosk is enrolled

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
        self.hardware.open()
        self.client = self._platform_client()
        self.outbox = Outbox(
            self.state_dir / "outbox.sqlite3",
            load_or_create_key(self.state_dir / "keys" / "outbox.key"),
        )
        self.pump = OutboxPump(self.outbox, self.client)
        if start_pump:
            self.pump.start()
        self.journey = Journey(
            self.settings,
            self.hardware,
            self.outbox,
            self.client,
            self.catalogue,
            kick=self.pump.kick,
        )
        self._start_agent()

    def _start_agent(self) -> None:
        """Heartbeats, bundles and commands, when a technician has enrolled this kiosk."""
        from provisioning.agent import Agent, Hooks, runtime_probe

        if not (self.state_dir / "fleet" / "agent.json").exists():
            return
        agent = Agent(
            self.state_dir,
            probe=runtime_probe(self),
            hooks=Hooks(test_print=self.print_test_page, log_dir=self.state_dir / "logs"),
        )
        if not agent.state.enrolled:
            agent.close()
            return
        self.agent = agent
        agent.start(is_idle=lambda: False)  # bundles become active only between sessions

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

    def _platform_client(self) -> HttpPlatformClient:
        p = self.settings.platform
        url, token = p.url, p.token
        if not url:
            from kiosk.upstream.sandbox import SandboxPlatform

            self.sandbox = SandboxPlatform(
                self.state_dir / "sandbox" / "platform.sqlite3",
                region_code=self.settings.site.region_code[:6],
            )
            url = self.sandbox.start()
            token = self.sandbox.register_device(p.device_id)
            log.info("embedded sandbox platform at %s", url)
        # One attempt per call: the pump owns retries (and stop() can interrupt its waits).
        return HttpPlatformClient(
            url, p.device_id, token, timeout=p.timeout_s, backoff=Backoff(attempts=1)
        )

    def warm_up(self) -> None:
        """Build the pinyin index (about a second of CPU) in the background; the UI
        calls this once its first screen is up, so start-up does not wait for it."""
        threading.Thread(target=warm_up, name="ime-warm-up", daemon=True).start()

    # ---- what the UI asks for ----

    def popular(self, limit: int) -> list[Any]:
        """This site's popular matters: its own ordering, else its site type's."""
        return self.catalogue.popular(list(popular_order(self.settings)), limit)

    def on_card(self, listener: CardListener) -> None:
        self.hardware.on_card(listener)

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

    def idcard_problem_key(self) -> str | None:
        return "error.device.missing" if self.hardware.idcard is None else None

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
            lambda: self.agent.close(),
            self.voice.stop,
            lambda: self.pump.stop(),
            lambda: self.outbox.close(),
            lambda: self.client.close(),
            lambda: self.sandbox.close(),
            self.hardware.close,
        ):
            with contextlib.suppress(Exception):
                closer()
