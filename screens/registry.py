"""Every screen: its name → (class, .kv file), in journey order."""

from __future__ import annotations

from screens.agent_check import AgentCheckScreen
from screens.attract import AttractScreen
from screens.biometric import BiometricScreen
from screens.booked import BookedScreen
from screens.capture import CaptureScreen
from screens.certificate import CertificateScreen
from screens.certified import CertifiedScreen
from screens.complaint_category import ComplaintCategoryScreen
from screens.complaint_contact import ComplaintContactScreen
from screens.complaint_ticket import ComplaintTicketScreen
from screens.compose import ComposeScreen
from screens.consent import ConsentScreen
from screens.done import DoneScreen
from screens.face_capture import FaceCaptureScreen
from screens.face_consent import FaceConsentScreen
from screens.face_other import FaceOtherScreen
from screens.form import FormScreen
from screens.home import HomeScreen
from screens.identity import IdentityScreen
from screens.maint import MaintScreen
from screens.maintlogin import MaintLoginScreen
from screens.matter import MatterScreen
from screens.mine import MineScreen
from screens.notice import NoticeScreen
from screens.outofservice import OutOfServiceScreen
from screens.payment import PaymentScreen
from screens.problem import ProblemScreen
from screens.rating import RatingScreen
from screens.receipt import ReceiptScreen
from screens.review import ReviewScreen
from screens.search import SearchScreen
from screens.selfguide import SelfGuideScreen
from screens.slot_confirm import SlotConfirmScreen
from screens.slots import SlotsScreen
from screens.staff_desk import StaffDeskScreen
from screens.staff_signin import StaffSigninScreen
from screens.submit import SubmitScreen
from screens.tracking_case import TrackingCaseScreen
from screens.tracking_cases import TrackingCasesScreen
from screens.tracking_lookup import TrackingLookupScreen
from screens.tracking_scan import TrackingScanScreen
from screens.wait import WaitScreen

SCREENS = {
    "attract": (AttractScreen, "attract.kv"),
    "home": (HomeScreen, "home.kv"),
    "search": (SearchScreen, "search.kv"),
    "matter": (MatterScreen, "matter.kv"),
    "identity": (IdentityScreen, "identity.kv"),
    "notice": (NoticeScreen, "notice.kv"),
    "form": (FormScreen, "form.kv"),
    "capture": (CaptureScreen, "capture.kv"),
    "review": (ReviewScreen, "review.kv"),
    "submit": (SubmitScreen, "submit.kv"),
    "receipt": (ReceiptScreen, "receipt.kv"),
    "rating": (RatingScreen, "rating.kv"),
    "done": (DoneScreen, "done.kv"),
    # the handling modes beyond 承诺办 (screens/routes.py maps every step)
    "payment": (PaymentScreen, "payment.kv"),
    "wait": (WaitScreen, "wait.kv"),
    "certificate": (CertificateScreen, "certificate.kv"),
    "slots": (SlotsScreen, "slots.kv"),
    "slot_confirm": (SlotConfirmScreen, "slot_confirm.kv"),
    "booked": (BookedScreen, "booked.kv"),
    "mine": (MineScreen, "mine.kv"),
    "guide": (SelfGuideScreen, "selfguide.kv"),
    "problem": (ProblemScreen, "problem.kv"),
    # 帮办代办
    "staff_signin": (StaffSigninScreen, "staff_signin.kv"),
    "staff_desk": (StaffDeskScreen, "staff_desk.kv"),
    "consent": (ConsentScreen, "consent.kv"),
    "biometric": (BiometricScreen, "biometric.kv"),
    # 资格认证 by face (人证核验), and its ways without the face
    "face_consent": (FaceConsentScreen, "face_consent.kv"),
    "face_capture": (FaceCaptureScreen, "face_capture.kv"),
    "certified": (CertifiedScreen, "certified.kv"),
    "face_other": (FaceOtherScreen, "face_other.kv"),
    "agent_check": (AgentCheckScreen, "agent_check.kv"),
    # the services around the modes
    "tracking_lookup": (TrackingLookupScreen, "tracking_lookup.kv"),
    "tracking_scan": (TrackingScanScreen, "tracking_scan.kv"),
    "tracking_cases": (TrackingCasesScreen, "tracking_cases.kv"),
    "tracking_case": (TrackingCaseScreen, "tracking_case.kv"),
    "complaint_category": (ComplaintCategoryScreen, "complaint_category.kv"),
    "compose": (ComposeScreen, "compose.kv"),
    "complaint_contact": (ComplaintContactScreen, "complaint_contact.kv"),
    "complaint_ticket": (ComplaintTicketScreen, "complaint_ticket.kv"),
    # the technician's side and the kiosk's own state
    "maintlogin": (MaintLoginScreen, "maintlogin.kv"),
    "maint": (MaintScreen, "maint.kv"),
    "outofservice": (OutOfServiceScreen, "outofservice.kv"),
}
