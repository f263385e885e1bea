"""The last screen of a flow: what came of it and whether its paper printed.

Receipt, appointment slip, complaint ticket, certificate and 资格认证 slip end their
flows the same way: the outcome stays on screen whatever the printer did, back does
nothing (the matter is done), and 继续 ends the flow.
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.properties import BooleanProperty, StringProperty

from kiosk.flows.base import Continue
from kiosk.flows.intents import PrintRequested
from screens.base import KioskScreen


def print_outcome(
    tr: Callable[[str], str],
    printed: bool,
    problem: str | None,
    printed_key: str,
    advice_key: str | None = None,
) -> str:
    """What to say of the paper: printed, or the printer's problem and, with
    ``advice_key``, what to do without it."""
    if printed:
        return tr(printed_key)
    said = tr(problem or "error.printer.generic")
    return f"{said}\n{tr(advice_key)}" if advice_key else said


class OutcomeScreen(KioskScreen):
    print_status = StringProperty("")
    print_ok = BooleanProperty(True)

    def proceed(self) -> None:
        self.app.runner.send(Continue())

    def on_back(self) -> bool:
        return True


class PrintedAtOnceScreen(OutcomeScreen):
    """An outcome printed as soon as it is shown (a certificate, a 资格认证 slip), which
    the citizen may print again when the printer failed. ``print_status`` is a message
    key here: the .kv translates it, so a language change follows."""

    printed_key = "certificate.printed"
    print_status = StringProperty("certificate.printing")
    can_print = BooleanProperty(False)

    def show_print(self, printed: bool | None, problem: str | None) -> None:
        """The flow's print state: None while printing, then whether it printed."""
        if printed is None:
            self.print_status, self.print_ok, self.can_print = "certificate.printing", True, False
        elif printed:
            self.print_status, self.print_ok, self.can_print = self.printed_key, True, True
        else:
            self.print_status = problem or "error.printer.generic"
            self.print_ok, self.can_print = False, True

    def print_again(self) -> None:
        self.show_print(None, None)
        self.app.runner.send(PrintRequested())
