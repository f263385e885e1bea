"""A citizen applying for 高龄津贴申领 (承诺办, with a form and materials), the matter the
journey tests walk through: answers its form takes, a real page to capture, and the
materials step passed with one page of each required material."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from kiosk.flows.base import Next, NextMaterial, PageCaptured, Step
from kiosk.flows.promised import PromisedFlow
from kiosk.identity import Identity
from kiosk.session import CapturedPage

ALLOWANCE = "33102300MZ-JF-0001"  # 高龄津贴申领: 承诺办 with a form and materials
ANSWERS = {
    "applicant": "self",
    "phone": "13800138000",
    "payment_card_number": "6222020200112233446",
    "bank": "rcb",
    "address": "东湖村三组12号",
}
CITIZEN = Identity("idcard", "resident", "110101194501011236", "王秀英")


def _page_jpeg() -> bytes:
    """A small real page: the journey stamps its watermark on the image it sends."""
    blank = np.full((1170, 827), 255, np.uint8)
    cv2.putText(blank, "TEST PAGE", (100, 300), cv2.FONT_HERSHEY_SIMPLEX, 2, 0, 4)
    ok, data = cv2.imencode(".jpg", blank, [cv2.IMWRITE_JPEG_QUALITY, 60])
    assert ok
    return bytes(data)


PAGE_JPEG = _page_jpeg()


def scanned_page(code: str) -> CapturedPage:
    """One page of material ``code`` as the document camera hands it over."""
    return CapturedPage(code, PAGE_JPEG, 827, 1170)


def capture_required(
    flow: PromisedFlow, page: Callable[[str], CapturedPage] = scanned_page
) -> None:
    """Capture one page of each required material and step past the optional ones, so
    the flow stands at the review."""
    while flow.step is Step.MATERIALS:
        material = flow.current_material
        if material.required:
            assert flow.handle(PageCaptured(page(material.code))) == Next(Step.MATERIALS)
        flow.handle(NextMaterial())
