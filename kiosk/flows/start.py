"""Which step machine serves which handling mode or service, made with what it needs of
the kiosk (settings, the clock). The screens ask for a flow by what the citizen chose;
which class that is, is the domain's decision, made here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from kiosk.appointments import rules_from
from kiosk.catalogue import HandlingMode, Matter
from kiosk.flows.appointment import AppointmentFlow
from kiosk.flows.assist import ConsentFlow
from kiosk.flows.certification import CertificationFlow
from kiosk.flows.complaint import ComplaintFlow
from kiosk.flows.correction import CorrectionFlow
from kiosk.flows.deferred import DeferredFlow
from kiosk.flows.instant import InstantFlow
from kiosk.flows.machine import StepMachine
from kiosk.flows.promised import PromisedFlow
from kiosk.flows.selfservice import SelfServiceFlow
from kiosk.flows.tracking import TrackingFlow
from kiosk.session import Session
from kiosk.settings import Settings
from kiosk.staff import StaffMember

# The kiosk's preference when a matter offers several: finish it here and now, else
# apply here, else book, else a visit, else the phone.
KIOSK_ORDER = (
    HandlingMode.INSTANT,
    HandlingMode.PROMISED,
    HandlingMode.APPOINTMENT,
    HandlingMode.DEFERRED,
    HandlingMode.SELF_SERVICE,
)


def offered_modes(matter: Matter) -> list[HandlingMode]:
    """The matter's modes this kiosk can start, the preferred first."""
    return [m for m in KIOSK_ORDER if matter.handles(m)]


class FlowFactory:
    """Makes the session's flow; each flow registers itself as ``session.flow``."""

    def __init__(
        self,
        settings: Settings,
        now: Callable[[], dt.datetime],
        audit_clock: Callable[[], float],
    ) -> None:
        self.settings = settings
        self.now = now
        self.audit_clock = audit_clock

    def for_matter(
        self, session: Session, matter: Matter, mode: HandlingMode | None = None
    ) -> StepMachine:
        """``matter`` handled as ``mode`` (default: the kiosk's preferred mode)."""
        match mode or offered_modes(matter)[0]:
            case HandlingMode.INSTANT if matter.identity.certification:  # 人证核验 is the matter
                return CertificationFlow(session, matter, attempts=self.settings.face.attempts)
            case HandlingMode.INSTANT:
                return InstantFlow(session, matter)
            case HandlingMode.APPOINTMENT:
                return AppointmentFlow(session, matter, rules_from(self.settings), self.now)
            case HandlingMode.DEFERRED:
                return DeferredFlow(session, matter)
            case HandlingMode.SELF_SERVICE:
                url = self.settings.services.mobile_url.replace("{code}", matter.code)
                return SelfServiceFlow(session, matter, url)
            case _:
                return PromisedFlow(session, matter)

    def tracking(self, session: Session) -> TrackingFlow:
        """办件查询: by the receipt's code, a typed number or the ID card."""
        return TrackingFlow(session, rules_from(self.settings), self.now)

    def complaint(self, session: Session, case_no: str | None = None) -> ComplaintFlow:
        """意见投诉, about a case just looked up when ``case_no`` is given."""
        return ComplaintFlow(session, case_no)

    def correction(
        self,
        session: Session,
        matter: Matter,
        case_no: str,
        missing: Sequence[str],
        *,
        owner_known: bool,
    ) -> CorrectionFlow:
        """退回补正 of a returned case: its missing materials, to the same case."""
        return CorrectionFlow(session, matter, case_no, missing, owner_known=owner_known)

    def consent(self, session: Session, member: StaffMember) -> ConsentFlow:
        """帮办代办: the citizen's consent before the signed-in agent acts for them."""
        return ConsentFlow(session, member, clock=self.audit_clock)
