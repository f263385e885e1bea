"""A minimal PDF writer for scanned pages: one full-page image per page.

Images go in already compressed, as img2pdf does: a JPEG file becomes a ``DCTDecode``
stream byte for byte, a CCITT Group 4 strip a ``CCITTFaxDecode`` stream (PDF 1.4,
ISO 32000-1 §7.4.6 and §7.4.8). Nothing is re-encoded, every page keeps its own
physical size, and the output is deterministic: no dates, no random ids.
"""

from __future__ import annotations

import dataclasses as dc


@dc.dataclass(frozen=True)
class PdfImage:
    """One page image. ``kind``: ``jpeg-grey``, ``jpeg-rgb`` or ``g4`` (0 bits black)."""

    data: bytes
    kind: str
    width: int
    height: int
    dpi: float


def build_pdf(pages: list[PdfImage]) -> bytes:
    """The PDF file bytes for ``pages``, in order."""
    if not pages:
        raise ValueError("a PDF needs at least one page")
    objects: list[bytes] = []  # object n is objects[n - 1]
    page_ids = [3 + 3 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % n for n in page_ids)
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)))
    for n, page in zip(page_ids, pages, strict=True):
        w_pt, h_pt = page.width * 72 / page.dpi, page.height * 72 / page.dpi
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
            % (_num(w_pt), _num(h_pt), n + 1, n + 2)
        )
        objects.append(_image_object(page))
        draw = b"q %s 0 0 %s 0 0 cm /Im0 Do Q" % (_num(w_pt), _num(h_pt))
        objects.append(_stream(b"", draw))
    return _assemble(objects)


def _image_object(page: PdfImage) -> bytes:
    head = b"/Type /XObject /Subtype /Image /Width %d /Height %d " % (page.width, page.height)
    if page.kind == "g4":
        head += (
            b"/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode "
            b"/DecodeParms << /K -1 /Columns %d /Rows %d /BlackIs1 true >>"
            % (page.width, page.height)
        )
    elif page.kind in ("jpeg-grey", "jpeg-rgb"):
        space = b"/DeviceGray" if page.kind == "jpeg-grey" else b"/DeviceRGB"
        head += b"/ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode" % space
    else:
        raise ValueError(f"unknown PDF image kind {page.kind!r}")
    return _stream(head, page.data)


def _stream(head: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (head, len(data), data)


def _num(x: float) -> bytes:
    return (b"%.3f" % x).rstrip(b"0").rstrip(b".")


def _assemble(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
