"""``kiosk scan IMAGE... -o OUT.pdf``: the document-camera pipeline on photos, into a PDF.

For a technician checking a 高拍仪 or a batch of photos: each photo goes through the
same pipeline as a capture at the kiosk (find the page, flatten, check, compress), and
the pages go into one PDF in the order given. Per photo it reports the corners found,
the quality verdict (``ok`` or the problems, e.g. ``blurry``) and the page's size in
pixels, millimetres and bytes. With ``--json``, one JSON object per photo, one per
line, then ``{"pdf": ..., "pages": n, "bytes": n}``.

A photo that cannot be read (missing, empty, truncated, not an image, absurdly large)
is reported with ``error`` and left out of the PDF. Pages with problems go in, marked
by their verdict. Exit status: 0 when the PDF was written; 1 when no photo gave a page
(no PDF is written); 2 for bad options.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from terminal.commands.base import why_unreadable

MODES = ("color", "colour", "gray", "grey", "bw")
PAPERS = ("A4", "A5", "ID-1", "ID-front", "ID-back", "HUKOU")


def _scan(args: argparse.Namespace) -> int:
    from devices.docscan import CorruptImage, decode_image, process_page, stamp
    from devices.docscan.codec import pdf_image
    from devices.docscan.pdf import build_pdf

    images = []
    for name in args.images:
        record: dict[str, Any] = {"file": name}
        try:
            page = process_page(
                decode_image(Path(name).read_bytes()),
                dpi=args.dpi,
                mode=args.mode,
                paper=args.paper,
            )
        except (OSError, CorruptImage) as exc:
            record["error"] = why_unreadable(exc)
            _report(record, args.json)
            continue
        if args.watermark:
            page = stamp(page, args.watermark)
        image = pdf_image(page)
        images.append(image)
        record.update(_page_record(page, len(image.data)))
        _report(record, args.json)
    if not images:
        sys.stderr.write("kiosk scan: no photo gave a page; nothing written\n")
        return 1
    pdf = build_pdf(images)
    args.output.write_bytes(pdf)
    summary = {"pdf": str(args.output), "pages": len(images), "bytes": len(pdf)}
    if args.json:
        sys.stdout.write(json.dumps(summary) + "\n")
    else:
        sys.stdout.write(f"{args.output}: {len(images)} page(s), {len(pdf) / 1024:.0f} KiB\n")
    return 0


def _page_record(page: Any, size: int) -> dict[str, Any]:
    h, w = page.image.shape[:2]
    mm = page.size_mm
    corners = (
        None if page.corners is None else [[round(x, 1), round(y, 1)] for x, y in page.corners]
    )
    return {
        "corners": corners,
        "method": page.method,
        "verdict": "ok" if page.ok else "retake",
        "problems": [str(p) for p in page.problems],
        "mode": page.mode,
        "size": {"px": [w, h], "mm": [round(mm[0], 1), round(mm[1], 1)], "bytes": size},
    }


def _report(record: dict[str, Any], as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    if "error" in record:
        sys.stdout.write(f"{record['file']}: ERROR {record['error']}\n")
        return
    verdict = "ok" if record["verdict"] == "ok" else ", ".join(record["problems"])
    corners = (
        "none"
        if record["corners"] is None
        else " ".join(f"({x:.0f},{y:.0f})" for x, y in record["corners"])
    )
    size = record["size"]
    sys.stdout.write(
        f"{record['file']}: {verdict}; corners {corners}; "
        f"{size['px'][0]}x{size['px'][1]} px, {size['bytes'] / 1024:.0f} KiB\n"
    )


def register(sub: argparse._SubParsersAction) -> None:
    scan = sub.add_parser("scan", help="run the document-camera pipeline on photos into a PDF")
    scan.add_argument("images", nargs="+", metavar="IMAGE")
    scan.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
    scan.add_argument("--mode", choices=MODES, default="gray", help="page colours (default gray)")
    scan.add_argument("--paper", choices=PAPERS, default="A4", help="paper size (default A4)")
    scan.add_argument("--dpi", type=int, default=200, help="output resolution (default 200)")
    scan.add_argument("--watermark", default="", help="stamp this text across every page")
    scan.add_argument("--json", action="store_true", help="one JSON object per photo")
    scan.set_defaults(handler=_scan)
