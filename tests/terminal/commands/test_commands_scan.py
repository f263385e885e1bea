"""``kiosk scan``: photos through the document pipeline into one PDF, with a verdict each."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest

from devices.docscan.synth import synth_photo
from terminal.cli import main

SIZE = (1600, 1200)


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("photos")
    out = {}
    for name, scenario in (("good", "ok"), ("blurry", "blurry"), ("nopage", "no_page")):
        out[name] = folder / f"{name}.jpg"
        cv2.imwrite(str(out[name]), synth_photo(3, scenario=scenario, size=SIZE).image)
    out["truncated"] = folder / "truncated.jpg"
    out["truncated"].write_bytes(out["good"].read_bytes()[:3000])
    out["empty"] = folder / "empty.jpg"
    out["empty"].write_bytes(b"")
    out["text"] = folder / "notes.jpg"
    out["text"].write_text("not a photo", encoding="utf-8")
    return out


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    code = main(["scan", *args, "--json"])
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_every_photo_gets_a_verdict_and_good_ones_a_page(photos, tmp_path: Path, capsys) -> None:
    order = ("good", "blurry", "nopage", "truncated", "empty", "text")
    pdf = tmp_path / "out.pdf"
    code, records = run(capsys, *(str(photos[k]) for k in order), "-o", str(pdf))
    assert code == 0
    by = dict(zip(order, records, strict=False))
    assert by["good"]["verdict"] == "ok" and by["good"]["problems"] == []
    assert len(by["good"]["corners"]) == 4 and by["good"]["method"] != "frame"
    assert by["good"]["size"]["px"] == [1654, 2339] and by["good"]["size"]["mm"] == [210.1, 297.1]
    assert 0 < by["good"]["size"]["bytes"] < 250_000
    assert by["blurry"]["verdict"] == "retake" and by["blurry"]["problems"] == ["blurry"]
    assert by["nopage"]["problems"] == ["no_page"] and by["nopage"]["corners"] is None
    for bad in ("truncated", "empty", "text"):
        assert "error" in by[bad] and "corners" not in by[bad]
    summary = records[-1]
    assert summary == {"pdf": str(pdf), "pages": 3, "bytes": pdf.stat().st_size}
    assert pdf.read_bytes().startswith(b"%PDF-1.4") and pdf.read_bytes().count(b"/Type /Page ") == 3


def test_bitonal_hukou_pages_are_small(photos, tmp_path: Path, capsys) -> None:
    code, records = run(
        capsys, str(photos["good"]), "-o", str(tmp_path / "bw.pdf"), "--mode", "bw", "--paper", "A5"
    )
    assert code == 0
    assert records[0]["mode"] == "bw" and records[0]["size"]["bytes"] < 100_000
    assert records[0]["size"]["px"] == [1165, 1654]


def test_watermark_and_plain_text_report(photos, tmp_path: Path, capsys) -> None:
    pdf = tmp_path / "wm.pdf"
    assert (
        main(["scan", str(photos["good"]), "-o", str(pdf), "--watermark", "仅供办理社保使用"]) == 0
    )
    out = capsys.readouterr().out
    assert "good.jpg: ok; corners (" in out and "1654x2339 px" in out
    assert f"{pdf}: 1 page(s)" in out


def test_nothing_usable_writes_nothing(photos, tmp_path: Path, capsys) -> None:
    pdf = tmp_path / "none.pdf"
    code, records = run(capsys, str(photos["empty"]), str(tmp_path / "missing.jpg"), "-o", str(pdf))
    assert code == 1 and not pdf.exists()
    assert [r["error"] for r in records] == ["empty image data", "no such file"]


def test_bad_mode_is_a_usage_error(photos, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["scan", str(photos["good"]), "-o", str(tmp_path / "x.pdf"), "--mode", "sepia"])
    assert info.value.code == 2
