"""Pages made of several captures: an ID card's front and back on one A4 sheet.

A window asks for "身份证正反面复印件": both sides of the card, at true size, on one
page. Vendor SDKs of 高拍仪 do this composition (research/devices.md §5); here it is a
pure function on two scanned cards.
"""

from __future__ import annotations

import cv2
import numpy as np

from devices.docscan.geometry import paper_size_px
from devices.docscan.page import ScannedPage

GAP_MM = 20.0  # between the two sides


def id_card_sheet(front: ScannedPage, back: ScannedPage, *, dpi: int | None = None) -> ScannedPage:
    """Both sides of a card, landscape and at true size, centred on an A4 portrait page.

    ``dpi`` defaults to the front's. The sheet is colour if either side is, bitonal if
    both are, grey otherwise; it carries both sides' problems.
    """
    dpi = dpi or front.dpi
    mode = _sheet_mode(front.mode, back.mode)
    w, h = paper_size_px("A4", dpi, landscape=False)
    sheet = np.full((h, w, 3) if mode == "colour" else (h, w), 255, np.uint8)
    cards = [_card(front, dpi, mode), _card(back, dpi, mode)]
    gap = round(GAP_MM / 25.4 * dpi)
    total = sum(c.shape[0] for c in cards) + gap
    y = max(0, (h - total) // 2)
    for card in cards:
        ch, cw = card.shape[:2]
        x = max(0, (w - cw) // 2)
        ch, cw = min(ch, h - y), min(cw, w - x)
        sheet[y : y + ch, x : x + cw] = card[:ch, :cw]
        y += ch + gap
    problems = tuple(dict.fromkeys((*front.problems, *back.problems)))
    return ScannedPage(sheet, None, problems, dpi, mode=mode, method="id-sheet")


def _sheet_mode(a: str, b: str) -> str:
    if "colour" in (a, b):
        return "colour"
    return "bw" if a == b == "bw" else "grey"


def _card(page: ScannedPage, dpi: int, mode: str) -> np.ndarray:
    """The card's image, landscape, at ``dpi``, in the sheet's colour mode."""
    img = page.image
    if img.shape[0] > img.shape[1]:
        img = cv2.rotate(img, cv2.ROTATE_90_COUNTERCLOCKWISE)
    if page.dpi != dpi:
        scale = dpi / page.dpi
        size = (max(1, round(img.shape[1] * scale)), max(1, round(img.shape[0] * scale)))
        img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
        if mode == "bw":
            img = np.where(img < 128, 0, 255).astype(np.uint8)
    if mode == "colour" and img.ndim == 2:
        return cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    if mode != "colour" and img.ndim == 3:
        return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    return img
