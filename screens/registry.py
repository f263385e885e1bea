"""Every screen: its name → (class, .kv file), in journey order."""

from __future__ import annotations

from screens.attract import AttractScreen
from screens.capture import CaptureScreen
from screens.complaint_category import ComplaintCategoryScreen
from screens.complaint_contact import ComplaintContactScreen
from screens.complaint_ticket import ComplaintTicketScreen
from screens.compose import ComposeScreen
from screens.done import DoneScreen
from screens.form import FormScreen
from screens.home import HomeScreen
from screens.identity import IdentityScreen
from screens.matter import MatterScreen
from screens.notice import NoticeScreen
from screens.rating import RatingScreen
from screens.receipt import ReceiptScreen
from screens.review import ReviewScreen
from screens.search import SearchScreen
from screens.service_problem import ServiceProblemScreen
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
    # the services around the modes (screens/services.py)
    "tracking_lookup": (TrackingLookupScreen, "tracking_lookup.kv"),
    "tracking_scan": (TrackingScanScreen, "tracking_scan.kv"),
    "tracking_cases": (TrackingCasesScreen, "tracking_cases.kv"),
    "tracking_case": (TrackingCaseScreen, "tracking_case.kv"),
    "complaint_category": (ComplaintCategoryScreen, "complaint_category.kv"),
    "compose": (ComposeScreen, "compose.kv"),
    "complaint_contact": (ComplaintContactScreen, "complaint_contact.kv"),
    "complaint_ticket": (ComplaintTicketScreen, "complaint_ticket.kv"),
    "wait": (WaitScreen, "wait.kv"),
    "service_problem": (ServiceProblemScreen, "service_problem.kv"),
}
