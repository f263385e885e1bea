"""``kiosk qr decode`` and ``kiosk qr watch`` as a technician runs them."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import cv2
import numpy as np
import pytest

from devices.qr.encode import qr_matrix
from kiosk.receipts.qrcodes import QrKeyring, receipt_qr
from terminal.cli import main


def write_code(path: Path, text: str, encoding: str = "utf-8", module: int = 5) -> Path:
    img = np.where(qr_matrix(text, encoding=encoding), 0, 255).astype(np.uint8)
    img = cv2.resize(img, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)
    cv2.imwrite(str(path), np.pad(img, 30, constant_values=255))
    return path


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line]


def test_decode_prints_one_object_per_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    utf8 = write_code(tmp_path / "a.png", "王芳")
    gbk = write_code(tmp_path / "b.jpg", "居民户口簿", encoding="gbk")
    blank = tmp_path / "c.png"
    cv2.imwrite(str(blank), np.full((200, 300), 255, np.uint8))
    broken = tmp_path / "d.jpg"
    broken.write_bytes(gbk.read_bytes()[:400])
    code = main(
        ["qr", "decode", str(utf8), str(gbk), str(blank), str(broken), str(tmp_path / "e.png")]
    )
    assert code == 0
    got = lines(capsys.readouterr().out)
    assert [r["file"] for r in got] == [
        str(p) for p in (utf8, gbk, blank, broken, tmp_path / "e.png")
    ]
    assert [c["text"] for c in got[0]["codes"]] == ["王芳"]
    assert [c["text"] for c in got[1]["codes"]] == ["居民户口簿"]
    assert got[0]["codes"][0]["format"] == "QRCode"
    assert len(got[0]["codes"][0]["position"]) == 4
    assert got[2] == {"file": str(blank), "codes": []}
    assert "truncated" in got[3]["error"] and got[3]["codes"] == []
    assert got[4]["error"] == "no such file"


def test_decode_fails_only_when_every_file_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.jpg").write_bytes(b"")
    assert main(["qr", "decode", str(tmp_path / "empty.jpg"), str(tmp_path / "none.png")]) == 1
    assert all("error" in r for r in lines(capsys.readouterr().out))
    assert main(["qr", "decode", str(tmp_path)]) == 1  # a folder is not an image
    assert lines(capsys.readouterr().out)[0]["error"] == "is a directory"


@pytest.mark.parametrize("backend", ["zxing", "zbar"])
def test_decode_with_either_backend_raw_or_not(tmp_path: Path, capsys, backend: str) -> None:
    path = write_code(tmp_path / "a.png", "杨周")
    for extra in ([], ["--raw"]):
        assert main(["qr", "decode", "--backend", backend, *extra, str(path)]) == 0
        assert [c["text"] for c in lines(capsys.readouterr().out)[0]["codes"]] == ["杨周"]


def test_decode_classify_knows_our_receipts(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("KIOSK_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    keys = QrKeyring.load(tmp_path / "state")
    ours = write_code(tmp_path / "r.png", receipt_qr("2024110100123", keys), module=4)
    fake = write_code(
        tmp_path / "f.png", receipt_qr("2024110100123", QrKeyring(b"x" * 32)), module=4
    )
    token = write_code(tmp_path / "t.png", "CTID1.abcdef")
    assert main(["qr", "decode", "--classify", str(ours), str(fake), str(token)]) == 0
    r, f, t = (rec["codes"][0] for rec in lines(capsys.readouterr().out))
    assert (r["kind"], r["number"]) == ("receipt", "2024110100123")
    assert (f["kind"], f["reason"]) == ("lookalike", "unknown_key")
    assert t["kind"] == "token" and "number" not in t


def test_watch_prints_each_code_once(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sim://camera?qr={quote('https://zwfw.example.gov.cn/q/r?n=1')}&blur=0.8&tilt=15&fps=60"
    assert main(["qr", "watch", "--url", url, "--frames", "6"]) == 0
    got = lines(capsys.readouterr().out)
    assert [r["text"] for r in got] == ["https://zwfw.example.gov.cn/q/r?n=1"]
    assert got[0]["format"] == "QRCode" and "frame" in got[0]


def test_watch_reports_a_missing_camera_and_stops_on_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["qr", "watch", "--url", "v4l2:///dev/video99", "--seconds", "1.2"]) == 0
    out = capsys.readouterr()
    assert out.out == ""
    assert "camera: offline" in out.err and "/dev/video99" in out.err


def test_bad_backend_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as info:
        main(["qr", "decode", "--backend", "opencv", "x.png"])
    assert info.value.code == 2
