"""Capture each material under the document camera (高拍仪), one at a time."""

from __future__ import annotations

import numpy as np
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.errors import describe
from kiosk.flows.base import NextMaterial, PageCaptured, Retake
from kiosk.flows.machine import CapturesMaterials
from kiosk.session import CapturedPage
from screens.base import ErrorLineScreen
from screens.images import texture_from_bgr, thumbnail_texture
from screens.text import txt


class CaptureScreen(ErrorLineScreen):
    voiced = ("progress", "material_name", "material_hint", "advice", "error_text")
    material_name = StringProperty("")
    material_hint = StringProperty("")
    progress = StringProperty("")
    advice = StringProperty("")
    pages = NumericProperty(0)
    required = BooleanProperty(True)
    busy = BooleanProperty(False)

    def render(self) -> None:
        app = self.app
        flow = app.flow
        if not isinstance(flow, CapturesMaterials):
            return
        material = flow.current_material
        lang = app.lang
        self.material_name = txt(material.name, lang)
        self.material_hint = txt(material.camera_hint, lang)
        self.required = bool(material.required)
        self.progress = app.tr(
            "capture.progress", n=flow.material_index + 1, total=len(flow.materials)
        )
        pages = flow.pages_for(material.code)
        self.pages = len(pages)
        if pages:
            self.ids.page.texture = thumbnail_texture(pages[-1].jpeg)
            self.advice = self._advice(pages[-1].problems)
        else:
            self.ids.page.texture = None
            self.advice = ""
            self.refresh_preview()

    def _advice(self, problems: tuple[str, ...]) -> str:
        if not problems:
            return self.app.tr("capture.ok")
        return "\n".join(self.app.tr(f"capture.problem.{p}") for p in problems)

    def refresh_preview(self) -> None:
        app = self.app
        app.worker.run(app.core.intake.preview, self._show_preview, self._failed)

    def _show_preview(self, frame: np.ndarray | None) -> None:
        if frame is not None and not self.pages:
            self.ids.page.texture = texture_from_bgr(frame)

    def capture(self) -> None:
        if self.busy:
            return
        app = self.app
        flow = app.flow
        if not isinstance(flow, CapturesMaterials):
            return
        code = flow.current_material.code
        session = app.session
        self.busy = True
        self.error_text = ""

        def done(page: CapturedPage) -> None:
            self.busy = False
            if session is app.session and app.flow is flow:
                app.runner.send(PageCaptured(page))

        app.worker.run(lambda: app.core.intake.capture(session, code), done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.error_text = self.app.tr(describe(exc).key)

    def retake(self) -> None:
        self.app.runner.send(Retake())

    def next_material(self) -> None:
        self.app.runner.send(NextMaterial())

    def reset(self) -> None:
        self.ids.page.texture = None
        for name in ("material_name", "material_hint", "progress", "advice", "error_text"):
            setattr(self, name, "")
        self.pages = 0
        self.busy = False
