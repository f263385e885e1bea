"""办件查询's effects: a number, a person, a scanned code; an appointment and its
cancellation; and an agent's list of the station's cases.

When the platform cannot be asked, what this kiosk knows still answers: an application
in its outbox is shown as saved or sent (``local_only``), and the person's applications
still waiting here are found by opening only those few sealed records.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk import tracking
from kiosk.flows.intents import AppointmentLoaded, Failed, Found, Scanned
from kiosk.intake.accept import applicant_of
from kiosk.receipts.qrcodes import classify
from kiosk.upstream.errors import PlatformRejected, PlatformUnavailable

if TYPE_CHECKING:
    from kiosk.effects import Effects
    from kiosk.session import Session

log = logging.getLogger(__name__)

SCAN_FOR_S = 60.0


class LookupEffects:
    def __init__(self, ctx: Effects, clock: Callable[[], float] = time.monotonic) -> None:
        self.ctx, self.clock = ctx, clock

    def _today(self) -> Any:
        return self.ctx.intake.now().date()

    def _warn(self) -> int:
        return int(self.ctx.settings.services.warn_days)

    def _calendar(self) -> Any:
        return self.ctx.settings.calendar.calendar()

    def _summary(self, summary: Any) -> Any:
        return tracking.from_summary(summary, self._today(), self._warn(), self._calendar())

    def _name(self, code: str) -> str:
        catalogue = self.ctx.catalogue
        return str(catalogue.get(code).name.zh_CN) if code in catalogue else code

    def _as_saved_here(self, number: str) -> str:
        """A provisional number typed in capitals, spelt as this kiosk saved it
        (``LS-<station id>-…``: a station id may have small letters)."""
        prefix = f"LS-{self.ctx.settings.site.station_id}-"
        if number.upper().startswith(prefix.upper()):
            return prefix + number[len(prefix) :]
        return number

    def find_by_number(self, number: str) -> Found:
        number = self._as_saved_here(number)
        local = self.ctx.outbox.lookup(number)
        if local is not None and local.case_no is None:  # not on the platform yet
            return Found((tracking.from_outbox(local, self._name(local.matter_code)),))
        case_no = local.case_no if local is not None and local.case_no else number
        try:
            status = self.ctx.client.get_case(case_no)
        except (PlatformUnavailable, PlatformRejected) as exc:
            gone = isinstance(exc, PlatformRejected) and exc.code != "case_not_found"
            if local is None or gone:
                raise
            return Found((tracking.from_outbox(local, self._name(local.matter_code)),))
        view = tracking.from_status(
            status,
            self._name(status.matter_code),
            self._today(),
            number=number,
            warn_days=self._warn(),
            calendar=self._calendar(),
        )
        return Found((view,))

    def load_case(self, case_no: str) -> Found:
        status = self.ctx.client.get_case(case_no)
        return Found(
            (
                tracking.from_status(
                    status,
                    self._name(status.matter_code),
                    self._today(),
                    warn_days=self._warn(),
                    calendar=self._calendar(),
                ),
            )
        )

    def find_by_identity(self, session: Session) -> Found:
        identity = session.person()
        waiting = [
            tracking.from_outbox(item, self._name(item.matter_code))
            for item in self.ctx.outbox.pending_for(identity.id_number)
            if item.case_no is None
        ]
        try:
            summaries = self.ctx.client.search_cases(applicant=applicant_of(identity))
        except PlatformUnavailable:
            if not waiting:
                raise
            return Found(tuple(waiting))
        views = [self._summary(s) for s in summaries]
        return Found(tuple(waiting + views))

    def station_cases(self) -> list[Any]:
        """The agent's list: this station's cases, newest first (blocking)."""
        station = self.ctx.settings.site.station_id
        waiting = [
            tracking.from_outbox(item, self._name(item.matter_code))
            for item in self.ctx.outbox.list_items(limit=200)
            if str(item.state) == "pending"
        ]
        summaries = self.ctx.client.search_cases(station_id=station)
        return waiting + [self._summary(s) for s in summaries]

    def load_appointment(self, appointment_id: str) -> AppointmentLoaded:
        return AppointmentLoaded(self.ctx.client.get_appointment(appointment_id))

    def cancel_appointment(self, appointment_id: str) -> AppointmentLoaded:
        return AppointmentLoaded(self.ctx.client.cancel_appointment(appointment_id))

    def scan_qr(self, ignore: str, wanted: Callable[[], bool]) -> Scanned | Failed:
        """Watch the QR camera until a code other than ``ignore`` is read, the time is
        up, or the citizen has left the scan step (``wanted`` false)."""
        hardware = self.ctx.hardware
        camera = hardware.camera
        if camera is None:
            return Failed("error.device.missing")
        reader = hardware.qr_reader()
        keys = self.ctx.intake.qr_keys
        camera.start()
        # Only frames taken after now: one held from an earlier scan may show a code
        # that is no longer in front of the camera (another citizen's receipt).
        held = camera.latest()
        deadline, seq = self.clock() + SCAN_FOR_S, (held.seq if held is not None else -1)
        try:
            while wanted() and self.clock() < deadline:
                try:
                    frame = camera.next_frame(after=seq, timeout=1.0)
                except Exception:  # a camera hiccup: it reconnects by itself
                    continue
                seq = frame.seq
                for code in reader.read(frame.image):
                    if code.text != ignore:
                        return Scanned(classify(code.text, keys))
        finally:
            camera.stop()
        return Failed("scan.error.timeout")
