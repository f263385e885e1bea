"""Every screen: its name → (class, .kv file), in journey order."""

from __future__ import annotations

from screens.attract import AttractScreen
from screens.capture import CaptureScreen
from screens.done import DoneScreen
from screens.form import FormScreen
from screens.home import HomeScreen
from screens.identity import IdentityScreen
from screens.maint import MaintScreen
from screens.maintlogin import MaintLoginScreen
from screens.matter import MatterScreen
from screens.notice import NoticeScreen
from screens.outofservice import OutOfServiceScreen
from screens.rating import RatingScreen
from screens.receipt import ReceiptScreen
from screens.review import ReviewScreen
from screens.search import SearchScreen
from screens.submit import SubmitScreen

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
    # the technician's side and the kiosk's own state
    "maintlogin": (MaintLoginScreen, "maintlogin.kv"),
    "maint": (MaintScreen, "maint.kv"),
    "outofservice": (OutOfServiceScreen, "outofservice.kv"),
}
