"""Document-camera pipeline: time per stage and end to end, bytes per page.

Run: ``.venv/bin/python bench/bench_docscan.py [--threads N] [--repeat N]``.
Photos are synthetic (devices/docscan/synth.py), encoded as the camera's MJPEG (q90),
so the decode stage is included. Targets (issue "Document camera"): 12 MP photo to a
finished page under 250 ms on one core; corner error under 2 px at 12 MP; under 100 KB
per A4 page bitonal and under 250 KB grey at 200 dpi.

Recorded 2026-12-01 on the shared 2-core build machine (AMD EPYC), OpenCV 5.0.0, 1 thread,
best of 5, CPU time of the thread (a 4000x3000 and a 2592x1944 photo; ms):

    stage                              12 MP    5 MP
    decode MJPEG still (q90)            75.9    19.6
    grey + ~1000 px copy                11.1     5.2
    find page (small copy)               7.1     5.6
    sub-pixel corners (full)             1.6     1.4
    warp to A4 @200 dpi                 13.9    13.3
    background (1/4) + divide            6.8     6.4
    quality checks                       7.8     7.9
    process_page grey, end to end       50.5    38.3   (+ decode: 126.4 / 58.0)
    process_page bw / colour        56.2/91.5  45.3/78.5
    encode JPEG grey (q60)              34.4    34.2
    watermark stamp (grey)               6.8     6.5

    corner error mean / max           0.25/0.32 px   0.33/0.35 px
    grey JPEG page, q60               244 kB         236 kB   (q75 before: 297 / 291 kB)
    its legibility (stroke contrast)  0.999          0.996    (1.0 = no loss)
    bitonal page in PDF (G4)           45 KiB         46 KiB
    5-page PDF: G4 229 KiB (1.9 s at 1 Mbit/s), grey JPEG 1123 KiB (9.2 s)
    A5 / HUKOU / ID-1 pages at 5 MP: corner error max 0.42 / 0.47 / 0.45 px
    50 MP photo: decode 372 ms, process_page 153 ms, no problems

Against the targets: 12 MP to a finished grey page 126 ms (decode included) < 250 ms;
corner error < 2 px; bitonal < 100 KB; grey < 250 KB at quality 60 on this deliberately
dense page, with stroke contrast kept (``journey`` also caps a page at 250 KB).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np

from devices.docscan import (
    decode_image,
    encode_jpeg,
    encode_pdf,
    page_from_jpeg,
    process_page,
    quality,
    stamp,
)
from devices.docscan import pipeline as pl
from devices.docscan.geometry import find_page, is_landscape, paper_size_px
from devices.docscan.synth import synth_photo

SIZES = {"12 MP": (4000, 3000), "5 MP": (2592, 1944)}
DPI = 200


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best CPU milliseconds of ``repeat`` runs on this thread, and the last result.

    CPU time of the thread, not wall time: the build machine is shared, and with one
    OpenCV thread this is the "one core" time the targets speak of.
    """
    times, result = [], None
    for _ in range(repeat):
        start = time.thread_time()
        result = fn()
        times.append((time.thread_time() - start) * 1000)
    return min(times), result


def stages(photo_jpeg: bytes, repeat: int) -> dict[str, float]:
    """The pipeline's stages one by one, as process_page runs them (grey mode)."""
    out: dict[str, float] = {}
    out["decode MJPEG still"], bgr = timed(lambda: decode_image(photo_jpeg), repeat)
    out["grey + ~1000 px copy"], (grey, small, scale) = timed(lambda: _prepare(bgr), repeat)
    out["find page (small copy)"], found = timed(lambda: find_page(small), repeat)
    out["sub-pixel corners (full)"], corners = timed(
        lambda: pl._full_res_corners(grey, found, scale), repeat
    )
    size = paper_size_px("A4", DPI, landscape=is_landscape(corners))
    out["warp to A4 @200 dpi"], warped = timed(lambda: pl._warp(grey, corners, size), repeat)
    out["background (1/4) + divide"], (quarter, flat) = timed(lambda: _flatten(warped), repeat)
    out["quality checks"], _ = timed(
        lambda: pl._assess(quarter, pl._background(quarter, DPI), flat, DPI), repeat
    )
    out["bitonal threshold"], _ = timed(lambda: pl._bitonal(flat, DPI), repeat)
    return out


def _prepare(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    grey = pl._as_colour_grey(bgr)[1]
    return (grey, *pl._small_copy(grey))


def _flatten(warped: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    flat, quarter, _ = pl._flatten_page(warped, DPI)
    return quarter, flat


def run(threads: int, repeat: int) -> None:
    cv2.setNumThreads(threads)
    print(f"OpenCV {cv2.__version__}, {threads} thread(s), best of {repeat} runs\n")
    rows: dict[str, dict[str, float]] = {}
    extra: dict[str, dict[str, str]] = {}
    for label, size in SIZES.items():
        shot = synth_photo(11, size=size)
        jpeg = cv2.imencode(".jpg", shot.image, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes()
        rows[label] = stages(jpeg, repeat)
        rows[label]["process_page (grey), end to end"], page = timed(
            lambda shot=shot: process_page(shot.image), repeat
        )
        rows[label]["  + decode, end to end"] = (
            rows[label]["decode MJPEG still"] + rows[label]["process_page (grey), end to end"]
        )
        rows[label]["process_page (bw)"], bw = timed(
            lambda shot=shot: process_page(shot.image, mode="bw"), repeat
        )
        rows[label]["process_page (colour)"], colour = timed(
            lambda shot=shot: process_page(shot.image, mode="colour"), repeat
        )
        rows[label]["encode JPEG grey (q60)"], grey_jpeg = timed(
            lambda p=page: encode_jpeg(p), repeat
        )
        rows[label]["watermark stamp (grey)"], _ = timed(lambda p=page: stamp(p, WATERMARK), repeat)
        rows[label]["encode PDF page (G4)"], bw_pdf = timed(lambda b=bw: encode_pdf([b]), repeat)
        err = np.linalg.norm(page.corners - shot.corners, axis=1)
        extra[label] = {
            "corner error mean / max px": f"{err.mean():.2f} / {err.max():.2f}",
            "JPEG grey page (q60)": f"{len(grey_jpeg) / 1000:.0f} kB",
            "  its legibility (stroke contrast)": f"{_legibility(page, grey_jpeg):.3f}",
            "JPEG grey page at q75 (before)": f"{len(encode_jpeg(page, 75)) / 1000:.0f} kB",
            "JPEG colour page (q70)": f"{len(encode_jpeg(colour)) / 1000:.0f} kB",
            "PDF, 1 grey page": f"{len(encode_pdf([page])) / 1024:.0f} KiB",
            "PDF, 1 bitonal page (G4)": f"{len(bw_pdf) / 1024:.0f} KiB",
            "sharpness (var. Laplacian)": f"{quality.sharpness(page.image, DPI):.0f}",
            "problems": ",".join(page.problems) or "none",
        }
    _table("stage (ms)", rows, "{:.1f}")
    print()
    _table("output", extra, "{}")
    print()
    papers_and_extremes()
    pages = [process_page(synth_photo(s, size=SIZES["5 MP"]).image, mode="bw") for s in range(5)]
    greys = [process_page(synth_photo(s, size=SIZES["5 MP"]).image) for s in range(5)]
    g4, jp = len(encode_pdf(pages)), len(encode_pdf(greys))
    print(
        f"\n5-page PDF: bitonal G4 {g4 / 1024:.0f} KiB ({g4 * 8 / 1e6:.1f} s at 1 Mbit/s), "
        f"grey JPEG {jp / 1024:.0f} KiB ({jp * 8 / 1e6:.1f} s at 1 Mbit/s)"
    )


WATERMARK = "此件经与原件核对无误，仅供办理社会保障卡申领使用 演示村便民服务站 2024-11-01"


def _legibility(page: Any, jpeg: bytes) -> float:
    return quality.legibility(page.image, page_from_jpeg(jpeg, dpi=page.dpi).image)


def papers_and_extremes() -> None:
    """Corner error per paper size at 5 MP, and a 50 MP photo end to end."""
    for paper in ("A5", "HUKOU", "ID-1"):
        errs = []
        for seed in range(4):
            shot = synth_photo(seed, size=SIZES["5 MP"], paper=paper)
            page = process_page(shot.image, paper=paper)
            errs.append(float(np.linalg.norm(page.corners - shot.corners, axis=1).max()))
        print(
            f"{paper:6} page: {page.image.shape[1]}x{page.image.shape[0]} px, "
            f"corner error max {max(errs):.2f} px over 4 photos, problems {page.problems or 'none'}"
        )
    shot = synth_photo(1, size=SIZES["5 MP"])
    big = cv2.resize(shot.image, (8192, 6144), interpolation=cv2.INTER_LINEAR)
    jpeg = cv2.imencode(".jpg", big, [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes()
    del big
    t_dec, image = timed(lambda: decode_image(jpeg), 1)
    t_proc, page = timed(lambda: process_page(image), 1)
    print(
        f"50 MP photo ({len(jpeg) / 1e6:.1f} MB JPEG): decode {t_dec:.0f} ms, "
        f"process_page {t_proc:.0f} ms, problems {page.problems or 'none'}"
    )


def _table(title: str, rows: dict[str, dict[str, Any]], fmt: str) -> None:
    labels = list(rows)
    keys = list(next(iter(rows.values())))
    width = max(len(k) for k in keys) + 2
    print(f"{title:<{width}}" + "".join(f"{label:>14}" for label in labels))
    for key in keys:
        cells = "".join(f"{fmt.format(rows[label][key]):>14}" for label in labels)
        print(f"{key:<{width}}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="OpenCV threads (default 1)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    run(args.threads, args.repeat)


if __name__ == "__main__":
    main()
