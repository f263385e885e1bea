"""What a flow is: one of the handling modes of a matter, a service around them, or the
consent of assisted handling. The screens route by it (screens/routes.py); a submission
takes its handling mode from it (kiosk/intake/submissions.py)."""

from __future__ import annotations

import enum

from kiosk.catalogue import HandlingMode


class FlowKind(enum.StrEnum):
    # the handling modes (kiosk.catalogue.HandlingMode)
    INSTANT = "instant"  # 即时办
    PROMISED = "promised"  # 承诺办
    APPOINTMENT = "appointment"  # 预约办
    DEFERRED = "deferred"  # 延时办
    SELF_SERVICE = "self_service"  # 自助办
    # the services around them, started from the home screen or a case
    TRACKING = "tracking"  # 办件查询
    CORRECTION = "correction"  # 退回补正: a 承诺办 submission to an existing case
    COMPLAINT = "complaint"  # 意见投诉
    # 帮办代办: the citizen's consent before an agent acts for them
    ASSIST = "assist"
    # 资格认证 by face (人证核验): a matter handled at once, like 即时办
    CERTIFICATION = "certification"

    @property
    def is_service(self) -> bool:
        """A service (its Back from the first step leads home, not to a matter)."""
        return self in (FlowKind.TRACKING, FlowKind.CORRECTION, FlowKind.COMPLAINT)

    @property
    def handling_mode(self) -> HandlingMode:
        """The handling mode a submission of this flow carries (a correction is 承诺办)."""
        if self is FlowKind.CERTIFICATION:
            return HandlingMode.INSTANT
        try:
            return HandlingMode(self.value)
        except ValueError:
            return HandlingMode.PROMISED
