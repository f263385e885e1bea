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
from kiosk.upstream.client import HttpPlatformClient
from kiosk.upstream.retry import Backoff

log = logging.getLogger(__name__)


def catalogue_path(settings: Settings) -> Path:
    return CATALOGUE_FILE


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
        self.sandbox: Any = None
        self.client: Any = None
        self.outbox: Any = None
        self.pump: Any = None
        self.journey: Any = None

    @classmethod
    def start(
        cls,
        settings: Settings,
        *,
        start_pump: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> Runtime:
        catalogue = load_catalogue(catalogue_path(settings))
        for problem in catalogue.check_site_order(settings.site.popular):
            log.warning("site.popular: %s", problem)
        runtime = cls(settings, catalogue, clock)
        try:
            runtime._start(start_pump)
        except BaseException:
            runtime.close()
            raise
        return runtime

    def _start(self, start_pump: bool) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        # The pinyin index takes about a second to build: do it before anyone types.
        threading.Thread(target=warm_up, name="ime-warm-up", daemon=True).start()
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

    # ---- what the UI asks for ----

    def popular(self, limit: int) -> list[Any]:
        return self.catalogue.popular(list(self.settings.site.popular), limit)

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
            lambda: self.pump.stop(),
            lambda: self.outbox.close(),
            lambda: self.client.close(),
            lambda: self.sandbox.close(),
            self.hardware.close,
        ):
            with contextlib.suppress(Exception):
                closer()
