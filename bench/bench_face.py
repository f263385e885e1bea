"""The face check (人证核验): calibration of the match threshold, per-frame detection and
landmarks, and capture to verdict with the platform on loopback.

Run: ``.venv/bin/python bench/bench_face.py [--pairs DIR] [--people DIR] [--frames 60]
[--verdicts 10] [--write]``.

- Calibration: labelled pairs of public face photos. ``--pairs FILE.csv`` (repeatable):
  rows ``file_x,file_y,decision`` with Yes/No, the photos beside the file (file names
  only are used), as the deepface project's ``tests/unit/dataset/master.csv`` and
  ``face-recognition-pivot.csv``; ``--people DIR``: one sub-folder of photos per person
  (every pair within a folder is the same person, every pair across folders is not),
  such as face_recognition's ``examples/knn_examples/train``. A pair listed twice counts
  once. Photos with no face are counted and
  left out. The photos are not in this repository: bench/RESULTS.md says where they came
  from. For each threshold: n same / n different pairs, false accepts (different people
  under the threshold) and false rejects (the same person at or over it).
- Per frame: the model's ``analyse`` (HOG detection on the frame shrunk to 640 px wide,
  68 landmarks on the full frame) on 1280×720 camera frames of the demo resident
  (devices/face/synth.py), one OpenCV thread, timed as the thread's CPU time; then the
  same without shrinking, and one 128-d embedding.
- Capture to verdict: from the last frame of a capture to the platform's answer on the
  kiosk — the face cropped and JPEG-encoded, sent to the stand-in platform on loopback,
  compared there with the photo on record, the certification put on record. Wall time.

``--write`` puts the figures into bench/RESULTS.md (section "Face check").
"""

from __future__ import annotations

import argparse
import csv
import itertools
import statistics
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from devices.face import decode, distance, shared_model
from devices.face.model import FaceModel
from devices.face.synth import face_clip
from kiosk.face.capture import crop_jpeg
from kiosk.upstream import Applicant, HttpPlatformClient
from kiosk.upstream.service_models import CertificationRequest, Liveness
from sandbox import SandboxPlatform

THRESHOLDS = (0.40, 0.45, 0.50, 0.55, 0.60)
CHOSEN = 0.50  # config/defaults.toml [face] threshold
CLOCK = time.thread_time


def descriptors(paths: list[Path]) -> tuple[dict[Path, np.ndarray], list[Path]]:
    model = shared_model()
    found, faceless = {}, []
    for path in paths:
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        faces = model.analyse(image) if image is not None else []
        if not faces:
            faceless.append(path)
            continue
        found[path] = model.embedding(image, faces[0])  # the largest face
    return found, faceless


def labelled_pairs(pairs: list[Path], people: Path | None) -> list[tuple[Path, Path, bool]]:
    out: dict[frozenset[Path], tuple[Path, Path, bool]] = {}
    for table in pairs:
        with table.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                row = {k.lower(): v for k, v in row.items()}
                a, b = (table.parent / Path(row[k]).name for k in ("file_x", "file_y"))
                out[frozenset((a, b))] = (a, b, row["decision"].strip().lower() == "yes")
    if people is not None:
        photos = [
            (folder.name, p)
            for folder in sorted(people.iterdir())
            if folder.is_dir()
            for p in sorted(folder.iterdir())
            if p.suffix.lower() in (".jpg", ".jpeg", ".png")
        ]
        for (a, pa), (b, pb) in itertools.combinations(photos, 2):
            out[frozenset((pa, pb))] = (pa, pb, a == b)
    return list(out.values())


def calibrate(pairs: list[tuple[Path, Path, bool]]) -> list[str]:
    vectors, faceless = descriptors(sorted({p for a, b, _ in pairs for p in (a, b)}))
    scored = [
        (distance(vectors[a], vectors[b]), same)
        for a, b, same in pairs
        if a in vectors and b in vectors and a != b
    ]
    same = [d for d, s in scored if s]
    diff = [d for d, s in scored if not s]
    lines = [
        f"{len(vectors)} photos with a face, {len(faceless)} without (left out); "
        f"{len(same)} same-person pairs, {len(diff)} different-person pairs.",
        "",
        f"Distance, same person: min {min(same):.3f}, median {statistics.median(same):.3f}, "
        f"max {max(same):.3f}. Different people: min {min(diff):.3f}, "
        f"median {statistics.median(diff):.3f}, max {max(diff):.3f}.",
        "",
        "| threshold | n same | n different | false accepts | false rejects |",
        "|---|---|---|---|---|",
    ]
    for t in THRESHOLDS:
        fa = sum(1 for d in diff if d < t)
        fr = sum(1 for d in same if d >= t)
        mark = "**" if t == CHOSEN else ""
        lines.append(
            f"| {mark}{t:.2f}{mark} | {len(same)} | {len(diff)} | {fa} ({fa / len(diff):.1%}) "
            f"| {fr} ({fr / len(same):.1%}) |"
        )
    return lines


def per_frame(n: int) -> list[str]:
    cv2.setNumThreads(1)
    frames = list(face_clip("elder"))[:n]
    rows = []
    for label, model in (
        ("analyse, detection at 640 px wide (the kiosk's)", shared_model()),
        ("analyse, detection at full 1280 px", FaceModel(detect_width=1280)),
    ):
        model.analyse(frames[0])
        times = []
        for frame in frames:
            t = CLOCK()
            model.analyse(frame)
            times.append((CLOCK() - t) * 1000)
        rows.append(_row(label, times))
    model = shared_model()
    face = model.single(frames[0])
    times = []
    for _ in range(max(5, n // 4)):
        t = CLOCK()
        model.embedding(frames[0], face)
        times.append((CLOCK() - t) * 1000)
    rows.append(_row("one 128-d embedding (face found)", times))
    return ["| measure | n | median ms | p95 ms | max ms |", "|---|---|---|---|---|", *rows]


def _row(label: str, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    median = statistics.median(times)
    return f"| {label} | {len(times)} | {median:.1f} | {p95:.1f} | {max(times):.1f} |"


def capture_to_verdict(n: int) -> list[str]:
    model = shared_model()
    frame = face_clip("elder")[0]
    face = model.single(frame)
    resident = Applicant("resident_id", "110101194305120026", "李测试")
    seen = Liveness(actions=["blink", "turn_left"], frames=40, duration_ms=4000)
    with tempfile.TemporaryDirectory() as tmp, SandboxPlatform(Path(tmp) / "db.sqlite3") as sb:
        client = HttpPlatformClient(
            sb.base_url, "BENCH-1", sb.register_device("BENCH-1"), timeout=10
        )
        times, verify_only, sizes = [], [], []
        for i in range(n + 1):
            t = time.perf_counter()
            jpeg = crop_jpeg(frame, face)
            t_sent = time.perf_counter()
            verdict = client.verify_face(
                resident, jpeg, seen, matter_code="M-1", station_id="ST", idem_key=f"b{i}"
            )
            t_verdict = time.perf_counter()
            assert verdict.match
            client.certify(
                CertificationRequest(
                    "M-1",
                    resident,
                    "ST",
                    "kiosk",
                    "face_platform",
                    verification_id=verdict.verification_id,
                ),
                idem_key=f"c{i}",
            )
            if i:  # the first loads the platform's model: reported apart
                times.append((time.perf_counter() - t) * 1000)
                verify_only.append((t_verdict - t_sent) * 1000)
                sizes.append(len(jpeg))
            else:
                first = (time.perf_counter() - t) * 1000
        client.close()
    decode(jpeg)
    return [
        "| measure | n | median ms | p95 ms | max ms |",
        "|---|---|---|---|---|",
        _row("crop + JPEG + verify + certify (platform warm)", times),
        _row("the verify request alone", verify_only),
        f"| the first request (the platform loads its model) | 1 | {first:.0f} | | |",
        "",
        f"Face crop sent: median {statistics.median(sizes) / 1024:.1f} KiB of JPEG.",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pairs", type=Path, action="append", default=[], help="a CSV of labelled pairs"
    )
    parser.add_argument("--people", type=Path, help="a folder of one sub-folder per person")
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--verdicts", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args()
    body: list[str] = []
    if args.pairs or args.people:
        body += ["#### Calibration", "", *calibrate(labelled_pairs(args.pairs, args.people)), ""]
    else:
        print("calibration skipped: give --pairs and/or --people (see the docstring)")
    body += [
        "#### Per frame, 1280×720, one core (thread CPU time)",
        "",
        *per_frame(args.frames),
        "",
    ]
    body += [
        "#### Capture to verdict, platform on loopback (wall time)",
        "",
        *capture_to_verdict(args.verdicts),
    ]
    text = "\n".join(body)
    print(text)
    if args.write:
        from results_file import write_section  # beside this script

        write_section("Face check (bench_face.py)", "Figures", text)


if __name__ == "__main__":
    main()
