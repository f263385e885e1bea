"""The document camera (高拍仪): capture, and the page pipeline behind it.

``open_docscan(url)`` gives a :class:`DocCamera` (``v4l2://``, ``file://``, ``sim://``);
``process_page(photo)`` finds, flattens and checks the page (A4, A5, ID card, 户口簿
page); ``stamp`` puts a watermark on it, ``id_card_sheet`` lays an ID card's two sides
on one A4 page; ``encode_jpeg`` and ``encode_pdf`` make what is uploaded. The pipeline
is pure numpy/OpenCV (research/devices.md §5, research/perf.md "Document capture").

    cam = open_docscan("sim://docscan?seed=1")
    page = process_page(cam.capture(), mode="grey")
    if page.problems:          # e.g. ("cut_off",): ask the citizen to recapture
        ...
    pdf = encode_pdf([page])
"""

from devices.docscan.codec import decode_image, encode_jpeg, encode_pdf, page_from_jpeg
from devices.docscan.driver import DocCamera, open_docscan
from devices.docscan.page import CorruptImage, ScannedPage
from devices.docscan.pipeline import process_page
from devices.docscan.quality import Problem
from devices.docscan.sheets import id_card_sheet
from devices.docscan.watermark import stamp

__all__ = [
    "CorruptImage",
    "DocCamera",
    "Problem",
    "ScannedPage",
    "decode_image",
    "encode_jpeg",
    "encode_pdf",
    "id_card_sheet",
    "open_docscan",
    "page_from_jpeg",
    "process_page",
    "stamp",
]
