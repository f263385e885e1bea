"""The simulation's controls: what a kiosk on simulated devices lets a person do that a
real kiosk leaves to the hardware — lay the demo's test card on the reader, take it
away — and what it lets them see: the paper the simulated printer put out. The identity
screen's "【模拟】放上测试身份证" button, the staff sign-in's test staff card, the scripted
demo journeys (a technician's self-test) and the tests use them; a kiosk on real devices
has none.
"""

from __future__ import annotations

from pathlib import Path

from devices.face.synth import face_clip
from devices.printer import DecodedJob, decode, render_stream
from devices.simulation import Simulators


class SimulationControls:
    """Test cards for the ``sim://`` card devices in ``simulators``."""

    def __init__(self, simulators: Simulators) -> None:
        self.simulators = simulators

    @property
    def active(self) -> bool:
        """Any device is simulated."""
        s = self.simulators
        return any(x is not None for x in (s.idcard, s.smartcard, s.printer, s.docscan, s.camera))

    @property
    def idcard(self) -> bool:
        return self.simulators.idcard is not None

    @property
    def smartcard(self) -> bool:
        return self.simulators.smartcard is not None

    def lay_test_card(self, fixture: str = "elder") -> None:
        """Lay a test ID card (a synthetic resident) on the simulated reader."""
        if self.simulators.idcard is not None:
            self.simulators.idcard.insert(fixture)

    def take_test_card(self) -> None:
        if self.simulators.idcard is not None:
            self.simulators.idcard.remove()

    def lay_test_smartcard(self, card: str = "ssc") -> None:
        """Put a synthetic card (``ssc``, ``bank``, ``staff``…) in the virtual PC/SC reader."""
        if self.simulators.smartcard is not None:
            self.simulators.smartcard.insert(card)

    def take_test_smartcard(self) -> None:
        if self.simulators.smartcard is not None:
            self.simulators.smartcard.remove()

    def hold_up_code(self, payload: str) -> None:
        """Hold a QR code carrying ``payload`` up to the simulated QR camera."""
        if self.simulators.camera is not None:
            self.simulators.camera.show(payload)

    def take_code_away(self) -> None:
        if self.simulators.camera is not None:
            self.simulators.camera.hide()

    @property
    def camera(self) -> bool:
        return self.simulators.camera is not None

    def show_face(self, sample: str = "elder", *, live: bool = True) -> None:
        """Put a face in front of the simulated camera: ``sample`` (devices/face/samples)
        blinking and turning its head both ways, looping (``live``), or the same photo
        held still, as a printed photo would be (``live=False``)."""
        camera = self.simulators.camera
        if camera is not None:
            camera.play(face_clip(sample, live=live, size=camera.size))

    # ---- the simulated printer's paper ----

    def printed_jobs(self) -> int:
        """How many jobs the simulated printer received (0 without one)."""
        printer = self.simulators.printer
        return len(printer.jobs) if printer is not None else 0

    def last_job(self) -> DecodedJob | None:
        """The simulated printer's last job, decoded from the bytes it received."""
        printer = self.simulators.printer
        if printer is None or not printer.jobs:
            return None
        return decode(printer.jobs[-1], printer.profile.encoding)

    def render_last_job(self, path: Path) -> bool:
        """Draw the last job as the paper would come out; False when there is none."""
        printer = self.simulators.printer
        if printer is None or not printer.jobs:
            return False
        render_stream(printer.jobs[-1], printer.profile).save(path)
        return True
