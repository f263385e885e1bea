"""Review before submitting: who (masked), what, the answers, the captured pages."""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.flows.base import ReviewConfirmed
from kiosk.flows.promised import PromisedFlow
from kiosk.masking import mask_field
from screens.base import ErrorLineScreen
from screens.text import txt


class ReviewScreen(ErrorLineScreen):
    def render(self) -> None:
        app = self.app
        flow = self.running(PromisedFlow)
        body = self.ids.body
        body.clear_widgets()
        if flow is None:
            return
        lang = app.lang
        session = app.session
        identity = session.identity
        rows = [
            (app.tr("review.matter"), txt(flow.matter.name, lang)),
            (app.tr("review.applicant"), identity.masked_name if identity else ""),
            (app.tr("review.id_number"), identity.masked_id if identity else ""),
        ]
        for field in flow.fields:  # a correction asks no questions again
            value = session.answers.get(field.key, "")
            if field.kind == "choice":
                for choice in field.choices:
                    if getattr(choice, "value", choice) == value:
                        value = txt(getattr(choice, "label", choice), lang)
            value = mask_field(field.kind, value) if isinstance(value, str) else value
            rows.append((txt(field.label, lang), value or app.tr("review.empty")))
        for material in flow.materials:
            n = len(flow.pages_for(material.code))
            rows.append((txt(material.name, lang), app.tr("review.pages", n=n)))
        for label, value in rows:
            body.add_widget(Factory.KLabel(text=f"{label}：{value}"))

    def confirm(self) -> None:
        self.error_text = ""
        self.app.runner.send(ReviewConfirmed())

    def reset(self) -> None:
        self.error_text = ""
        self.ids.body.clear_widgets()
