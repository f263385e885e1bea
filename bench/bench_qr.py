"""QR decoding: rate and time per frame, both backends, raw and with the reader's closer looks.

Run: ``.venv/bin/python bench/bench_qr.py [--codes 480] [--empty 60] [--sequences 24]
[--photos DIR ...] [--photos-only]``.

Frames come from devices/qr/samples.py: codes of every payload kind (our receipts, UTF-8
with and without ECI, GBK, short all-Chinese names, e-ID tokens, other platforms' links)
at easy / medium / hard difficulty (modules 2-10 px, tilt up to 35°, blur up to half a
module, motion streaks, low contrast, noise, JPEG 40-95), half at 1280x720 and half at
1920x1080, plus frames with look-alikes and no code. A frame counts as read only when
the exact payload text comes back. One OpenCV thread; times are the reading thread's
CPU time; each frame is read on its own (the frame-to-frame track is cleared), so the
figures are per independent frame.

The sequence part holds one hard code up for 30 frames with a shaking hand (the code
moves and turns a little, blur and noise change per frame) and counts showings read
within the second, with the track carried from frame to frame.

The photograph part reads real photographs (devices/qr/photos.py: an image beside the
exact text of its code; by default the 119 of tests/devices/qr/photos, or any checkout of
zxing's or zxing-cpp's blackbox sets given with ``--photos``), each on its own and within
the same 24 ms budget, with the kiosk's readers and with zxing-cpp and pyzbar called as
their users call them: library defaults (QR codes only) and the library's own text.

Figures recorded in bench/RESULTS.md, section "Camera, QR and document camera".
"""

from __future__ import annotations

import argparse
import dataclasses as dc
import platform
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

from devices.qr import QrReader, open_backend
from devices.qr.encode import code_image
from devices.qr.photos import Photo, labelled_photos
from devices.qr.samples import LEVELS, Sample, make_payload, payload_matrix, sample_set
from devices.qr.synth import random_scene, render_frame

SIZES = ((1280, 720), (1920, 1080))
# CPU time of the reading thread, for the figures and for the reader's budget: "on one
# core" is what the target asks, and the build machine is shared, so wall time under
# other people's load would measure them, not us. At the kiosk the clock is wall time.
CLOCK = time.thread_time
CONFIGS = (("zxing", False), ("zxing", True), ("zbar", False), ("zbar", True))
PHOTOS = Path(__file__).resolve().parent.parent / "tests" / "devices" / "qr" / "photos"


def run_set(samples: list[Sample]) -> dict[str, dict[str, object]]:
    """Per configuration: successes per level/size, wrong texts, false positives, times."""
    results: dict[str, dict[str, object]] = {}
    for name, improve in CONFIGS:
        reader = QrReader(open_backend(name), improve=improve, clock=CLOCK)
        ok: dict[str, list[bool]] = defaultdict(list)
        times: dict[int, list[float]] = defaultdict(list)
        wrong = false_pos = 0
        for s in samples:
            reader.track.clear()
            t0 = CLOCK()
            texts = [c.text for c in reader.read(s.frame)]
            times[s.size[1]].append((CLOCK() - t0) * 1000)
            if s.payload is None:
                false_pos += bool(texts)
                continue
            hit = s.payload.text in texts
            wrong += sum(t != s.payload.text for t in texts)
            for key in ("all", s.level, f"{s.size[1]}p", s.payload.kind):
                ok[key].append(hit)
        label = f"{name} {'improved' if improve else 'raw'}"
        results[label] = {"ok": ok, "times": times, "wrong": wrong, "false_pos": false_pos}
    return results


def chinese_exactness(n: int = 80) -> dict[str, dict[str, int]]:
    """Clean codes of each Chinese encoding: exact texts out of ``n`` per backend."""
    rng = np.random.default_rng(7)
    kinds = {
        "UTF-8": "utf8",
        "UTF-8 + ECI 26": "utf8_eci",
        "GBK": "gbk",
        "short names": "short_name",
    }
    out: dict[str, dict[str, int]] = {}
    for label, kind in kinds.items():
        counts = {"zxing": 0, "zbar": 0, "pyzbar text": 0}
        for _ in range(n):
            payload = make_payload(rng, kind)
            img = code_image(payload_matrix(payload), module=4)
            for backend in ("zxing", "zbar"):
                texts = [c.text for c in QrReader(open_backend(backend)).read(img)]
                counts[backend] += texts == [payload.text]
            got = pyzbar.decode(img, symbols=[pyzbar.ZBarSymbol.QRCODE])
            counts["pyzbar text"] += (
                bool(got) and got[0].data.decode("utf-8", "replace") == payload.text
            )
        out[label] = counts
    return out


def sequences(n: int, frames: int = 30) -> dict[str, tuple[int, float]]:
    """Showings (of ``n``) read within ``frames`` frames, and the mean frames to the first read."""
    out: dict[str, tuple[int, float]] = {}
    showings = []
    for i in range(n):
        rng = np.random.default_rng(10_000 + i)
        payload = make_payload(rng, ("receipt", "utf8", "gbk", "eid")[i % 4])
        matrix = payload_matrix(payload)
        base = random_scene(rng, "hard", matrix.shape[0])
        shots = []
        for f in range(frames):
            jitter = dc.replace(
                base,
                centre=(
                    base.centre[0] + rng.normal(0, 0.004),
                    base.centre[1] + rng.normal(0, 0.006),
                ),
                rotation=base.rotation + rng.normal(0, 1.0),
                motion=float(abs(rng.normal(0, 2.0))),
                blur=float(max(0.3, base.blur + rng.normal(0, 0.25))),
            )
            shots.append(render_frame(matrix, jitter, SIZES[i % 2], seed=i * 100 + f))
        showings.append((payload.text, shots))
    for name, improve in CONFIGS:
        reader = QrReader(open_backend(name), improve=improve, clock=CLOCK)
        read, first = 0, []
        for text, shots in showings:
            reader.track.clear()
            for f, shot in enumerate(shots):
                if text in [c.text for c in reader.read(shot)]:
                    read += 1
                    first.append(f + 1)
                    break
        out[f"{name} {'improved' if improve else 'raw'}"] = (
            read,
            float(np.mean(first)) if first else 0,
        )
    return out


def photo_readers() -> dict[str, Callable[[np.ndarray], list[str]]]:
    """The libraries as their users call them, then the kiosk's four readers."""

    def zxing_cpp(grey: np.ndarray) -> list[str]:
        found = zxingcpp.read_barcodes(
            grey,
            formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
            text_mode=zxingcpp.TextMode.Plain,
        )
        return [b.text for b in found]

    def zbar(grey: np.ndarray) -> list[str]:
        found = pyzbar.decode(grey, symbols=[pyzbar.ZBarSymbol.QRCODE])
        return [s.data.decode("utf-8", "replace") for s in found]

    readers: dict[str, Callable[[np.ndarray], list[str]]] = {
        "zxing-cpp as shipped": zxing_cpp,
        "pyzbar as shipped": zbar,
    }
    for name, improve in CONFIGS:
        reader = QrReader(open_backend(name), improve=improve, clock=CLOCK)

        def ours(grey: np.ndarray, reader: QrReader = reader) -> list[str]:
            reader.track.clear()  # each photograph on its own
            return [c.text for c in reader.read(grey)]

        readers[f"{name} {'improved' if improve else 'raw'}"] = ours
    return readers


def run_photos(photos: list[Photo]) -> dict[str, tuple[set[str], int, list[float]]]:
    """Per reader: the photographs read right, how many gave only wrong text, times."""
    out = {}
    for label, read in photo_readers().items():
        right: set[str] = set()
        wrong = 0
        times = []
        for photo in photos:
            t0 = CLOCK()
            texts = read(photo.grey)
            times.append((CLOCK() - t0) * 1000)
            if photo.text in texts:
                right.add("/".join(photo.path.parts[-3:]))
            elif texts:
                wrong += 1
        out[label] = (right, wrong, times)
    return out


def report_photos(results: dict[str, tuple[set[str], int, list[float]]], n: int) -> None:
    print(f"\n{n} real photographs, each read on its own")
    print(f"{'':22}{'read':>10}{'wrong':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for label, (right, wrong, times) in results.items():
        t = np.array(times)
        print(
            f"{label:22}{len(right):>5} / {n:<3}{wrong:>6}"
            + f"{np.median(t):>9.1f}{np.percentile(t, 95):>9.1f}{t.max():>9.1f}"
        )
    ours, theirs = results["zxing improved"][0], results["zxing-cpp as shipped"][0]
    for what, names in (("only the kiosk", ours - theirs), ("only zxing-cpp", theirs - ours)):
        print(f"  read by {what}: {', '.join(sorted(names)) or 'none'}")


def _pct(values: list[bool]) -> str:
    return f"{100 * np.mean(values):.1f} %" if values else "-"


def report(results: dict[str, dict[str, object]], n_codes: int, n_empty: int) -> None:
    print(f"\n{n_codes} frames with a code + {n_empty} without; one OpenCV thread")
    head = f"{'':18}{'read':>8}{'easy':>8}{'medium':>8}{'hard':>8}{'720p':>8}{'1080p':>8}"
    print(head + f"{'p50/p95 720p ms':>18}{'p50/p95 1080p ms':>19}{'wrong':>7}{'FP':>5}")
    for label, r in results.items():
        ok, times = r["ok"], r["times"]
        assert isinstance(ok, dict) and isinstance(times, dict)
        cells = [_pct(ok[k]) for k in ("all", *LEVELS, "720p", "1080p")]
        t720, t1080 = np.array(times[720]), np.array(times[1080])
        print(
            f"{label:18}"
            + "".join(f"{c:>8}" for c in cells)
            + f"{np.median(t720):>9.1f} / {np.percentile(t720, 95):<6.1f}"
            + f"{np.median(t1080):>9.1f} / {np.percentile(t1080, 95):<7.1f}"
            + f"{r['wrong']:>6}{r['false_pos']:>5}"
        )
    fixed = ("all", *LEVELS, "720p", "1080p")
    kinds = sorted({k for r in results.values() for k in r["ok"] if k not in fixed})  # type: ignore[attr-defined]
    print(f"\n{'read by payload kind':18}" + "".join(f"{k:>12}" for k in kinds))
    for label, r in results.items():
        print(f"{label:18}" + "".join(f"{_pct(r['ok'][k]):>12}" for k in kinds))  # type: ignore[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=480)
    parser.add_argument("--empty", type=int, default=60)
    parser.add_argument("--sequences", type=int, default=24)
    parser.add_argument("--photos", type=Path, action="append", help="labelled photographs")
    parser.add_argument("--photos-only", action="store_true", help="skip the synthetic frames")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    machine = platform.processor() or platform.machine()
    print(f"{machine}, Python {platform.python_version()}, OpenCV {cv2.__version__}")
    photos = [p for folder in args.photos or [PHOTOS] for p in labelled_photos(folder)]
    report_photos(run_photos(photos), len(photos))
    if args.photos_only:
        return
    t0 = time.perf_counter()
    samples = list(sample_set(args.codes, args.empty, SIZES))
    print(f"rendered {len(samples)} frames in {time.perf_counter() - t0:.0f} s")
    report(run_set(samples), args.codes, args.empty)
    print("\nChinese payloads on clean codes, exact text out of 80")
    for label, counts in chinese_exactness().items():
        print(f"  {label:16}" + "".join(f"{k} {v:>3}   " for k, v in counts.items()))
    print(f"\nA hard code held up for 30 frames, {args.sequences} showings (track carried)")
    for label, (read, first) in sequences(args.sequences).items():
        print(f"  {label:18} read {read:>3} / {args.sequences}, first read at frame {first:.1f}")


if __name__ == "__main__":
    main()
