"""``kiosk print``: the real command against simulated printers and recorded streams."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from pyzbar import pyzbar
from pyzbar.pyzbar import ZBarSymbol

from kiosk.receipts import sample_acceptance

Kiosk = Callable[..., Any]  # conftest.kiosk_cmd: run the command, get a Done


def test_test_page_prints_and_reports_the_outcome(kiosk_cmd: Kiosk) -> None:
    done = kiosk_cmd("print", "test", "--url", "sim://printer?profile=58mm")
    assert done.code == 0, done
    outcome = done.json()
    assert outcome["result"] == "printed" and outcome["after"]["supplies"]["paper"] == "full"


def test_paper_out_mid_page_is_a_one_line_failure(kiosk_cmd: Kiosk) -> None:
    done = kiosk_cmd("print", "test", "--url", "sim://printer?out_after=5")
    assert done.code == 1, done
    assert done.json()["reason"] == "paper_out"
    assert done.err == "kiosk: not printed: paper_out\n"


def test_status_is_json_and_says_when_the_printer_is_not_ready(kiosk_cmd: Kiosk) -> None:
    ok = kiosk_cmd("print", "status", "--url", "sim://printer")
    assert ok.code == 0 and ok.json()["ready"] is True and ok.json()["device"] == "online"
    out = kiosk_cmd("print", "status", "--url", "sim://printer?paper=out")
    assert out.code == 1 and out.json()["supplies"] == {"paper": "out"}
    assert out.err == "kiosk: printer not ready: paper_out\n"
    mute = kiosk_cmd("print", "status", "--url", "sim://printer?answers=0")
    assert mute.code == 1 and mute.json()["ready"] is False  # never assumed fine
    gone = kiosk_cmd("print", "status", "--url", "tcp://127.0.0.1:9")
    assert gone.code == 2 and gone.err.startswith("kiosk: cannot open printer tcp://127.0.0.1:9")
    assert gone.err.count("\n") == 1


def test_sample_receipt_captured_to_a_file_renders_to_a_scannable_png(
    kiosk_cmd: Kiosk, tmp_path: Path
) -> None:
    stream, png = tmp_path / "receipt.bin", tmp_path / "receipt.png"
    done = kiosk_cmd("print", "receipt", "--sample", "--url", f"file://{stream}?profile=58mm")
    assert done.code == 3, done  # a file cannot say it printed
    assert done.err == "kiosk: sent, but not confirmed as printed: status_unsupported\n"
    assert kiosk_cmd("print", "render", str(stream), "-o", str(png), "--profile", "58mm").code == 0
    picture = Image.open(png)
    assert picture.width == 384
    found = pyzbar.decode(picture.convert("L"), symbols=[ZBarSymbol.QRCODE])
    assert [f.data.decode() for f in found] == [sample_acceptance().lookup_qr]


def test_bad_input_gets_one_line_and_a_status(kiosk_cmd: Kiosk, tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x1b\x99\x00 not escpos")
    bad = kiosk_cmd("print", "render", str(junk), "-o", str(tmp_path / "x.png"))
    assert bad.code == 1 and "is not a printable stream" in bad.err
    assert not (tmp_path / "x.png").exists()
    missing = kiosk_cmd(
        "print", "render", str(tmp_path / "nope.bin"), "-o", str(tmp_path / "y.png")
    )
    assert missing.code == 2 and "cannot read" in missing.err
    assert kiosk_cmd("print", "receipt").code == 2
    profile = kiosk_cmd("print", "test", "--url", "sim://printer", "--profile", "99mm")
    assert profile.code == 2 and "unknown printer profile" in profile.err
