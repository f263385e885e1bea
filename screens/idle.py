"""The idle warning: a visible countdown the citizen can extend with one tap."""

from __future__ import annotations

import math

from kivy.properties import NumericProperty
from kivy.uix.modalview import ModalView


class IdleOverlay(ModalView):
    remaining = NumericProperty(0)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(auto_dismiss=False, **kwargs)
        self.shown = False

    def show(self, remaining: float) -> None:
        self.remaining = math.ceil(remaining)
        if not self.shown:
            self.shown = True
            self.open(animation=False)

    def hide(self) -> None:
        if self.shown:
            self.shown = False
            self.dismiss(animation=False)
