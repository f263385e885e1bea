"""Paper sizes (A5, ID card, 户口簿 page), the ID front/back sheet and the watermark."""

from __future__ import annotations

import numpy as np
import pytest

from devices.docscan import encode_jpeg, page_from_jpeg, process_page
from devices.docscan.geometry import paper_size_px
from devices.docscan.page import ScannedPage
from devices.docscan.quality import legibility
from devices.docscan.sheets import id_card_sheet
from devices.docscan.synth import synth_photo
from devices.docscan.watermark import stamp, text_mask

SMALL = (1600, 1200)


@pytest.mark.parametrize(
    ("paper", "size"),
    [("A5", (1165, 1654)), ("HUKOU", (827, 1126)), ("ID-1", (425, 674)), ("户口簿", (827, 1126))],
)
def test_each_paper_comes_out_at_its_real_proportions(paper: str, size: tuple[int, int]) -> None:
    canonical = {"户口簿": "HUKOU"}.get(paper, paper)
    shot = synth_photo(2, size=(2592, 1944), paper=canonical)
    page = process_page(shot.image, paper=paper)
    assert page.problems == ()
    assert page.image.shape[::-1] == size
    assert np.abs(page.corners - shot.corners).max() < 2.0


def test_id_front_and_back_are_aliases_of_id_1() -> None:
    img = synth_photo(1, size=SMALL, paper="ID-1").image
    front = process_page(img, paper="ID-front")
    back = process_page(img, paper="id-back")
    assert front.image.shape == back.image.shape == (674, 425)
    assert paper_size_px("HUKOU", 200, landscape=False) == (827, 1126)


@pytest.fixture(scope="module")
def card() -> ScannedPage:
    return process_page(synth_photo(1, size=SMALL, paper="ID-1").image, paper="ID-1")


def test_id_card_sheet_puts_both_sides_at_true_size_on_a4(card: ScannedPage) -> None:
    sheet = id_card_sheet(card, card)
    assert sheet.image.shape == (2339, 1654) and sheet.mode == "grey"
    assert sheet.method == "id-sheet" and sheet.corners is None
    rows = np.nonzero((sheet.image < 250).any(axis=1))[0]
    cols = np.nonzero((sheet.image < 250).any(axis=0))[0]
    assert cols[-1] - cols[0] + 1 <= 674  # a card's long side: 85.6 mm at 200 dpi
    assert rows[-1] - rows[0] + 1 > 2 * 425  # two cards, one above the other


def test_id_card_sheet_modes_and_dpi(card: ScannedPage) -> None:
    colour = process_page(
        synth_photo(1, size=SMALL, paper="ID-1").image, paper="ID-1", mode="colour"
    )
    assert id_card_sheet(card, colour).image.shape == (2339, 1654, 3)
    bw = process_page(synth_photo(1, size=SMALL, paper="ID-1").image, paper="ID-1", mode="bw")
    both_bw = id_card_sheet(bw, bw, dpi=150)
    assert both_bw.mode == "bw" and both_bw.image.shape == (1754, 1240)
    assert set(np.unique(both_bw.image)) <= {0, 255}
    flagged = ScannedPage(card.image, None, ("blurry",), 200, mode="grey")
    assert id_card_sheet(card, flagged).problems == ("blurry",)


@pytest.fixture(scope="module")
def page() -> ScannedPage:
    return process_page(synth_photo(11, size=(2592, 1944)).image)


TEXT = "此件经与原件核对无误，仅供办理社会保障卡申领使用 2024-11-01"


def test_watermark_is_visible_and_the_text_stays_legible(page: ScannedPage) -> None:
    marked = stamp(page, TEXT)
    assert marked.image.shape == page.image.shape and marked is not page
    mask = text_mask(TEXT, page.image.shape[::-1], page.dpi)
    glyphs = mask > 128
    assert 0.01 < glyphs.mean() < 0.2  # rows of text over the whole page
    tinted = marked.image[glyphs & (page.image == 255)].mean()
    assert 200 < tinted < 230  # the paper under the glyphs is tinted, lightly
    untouched = mask == 0
    assert np.array_equal(marked.image[untouched], page.image[untouched])
    assert legibility(page.image, marked.image) > 0.75
    assert (marked.image <= page.image).all()  # nothing is lightened: ink stays ink


def test_watermark_on_colour_and_bitonal_pages() -> None:
    img = synth_photo(11, size=SMALL).image
    colour = stamp(process_page(img, mode="colour"), TEXT)
    assert colour.image.ndim == 3 and colour.mode == "colour"
    bw_page = process_page(img, mode="bw")
    bw = stamp(bw_page, TEXT)
    assert set(np.unique(bw.image)) <= {0, 255}
    added = (bw.image == 0) & (bw_page.image == 255)
    assert 0.005 < added.mean() < 0.08  # outlines only, not filled glyphs


def test_watermark_refuses_bad_input(page: ScannedPage) -> None:
    with pytest.raises(ValueError, match="text"):
        stamp(page, "  ")
    with pytest.raises(ValueError, match="opacity"):
        stamp(page, TEXT, opacity=0)
    with pytest.raises(ValueError, match="CJK font"):
        stamp(page, TEXT, font_path="/nonexistent/font.ttc")


def test_grey_page_under_250_kb_and_legible(page: ScannedPage) -> None:
    data = encode_jpeg(page)
    assert len(data) < 250_000
    back = page_from_jpeg(data, dpi=200)
    assert back.image.shape == page.image.shape and back.mode == "grey"
    assert legibility(page.image, back.image) > 0.97


def test_a_byte_limit_lowers_the_quality_until_the_page_fits(page: ScannedPage) -> None:
    unlimited = encode_jpeg(page, quality=90)
    limited = encode_jpeg(page, quality=90, max_bytes=len(unlimited) // 2)
    assert len(limited) <= len(unlimited) // 2
    floor = encode_jpeg(page, max_bytes=1000)  # cannot fit: the lowest quality, not a loop
    assert len(floor) == len(encode_jpeg(page, quality=40))


def test_bitonal_and_colour_round_trip_through_jpeg() -> None:
    img = synth_photo(11, size=SMALL).image
    bw = page_from_jpeg(encode_jpeg(process_page(img, mode="bw")), dpi=200, mode="bw")
    assert set(np.unique(bw.image)) <= {0, 255}
    colour = page_from_jpeg(encode_jpeg(process_page(img, mode="colour")), dpi=200, mode="colour")
    assert colour.image.ndim == 3
