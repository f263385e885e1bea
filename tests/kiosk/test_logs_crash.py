"""A crash in the middle of a session, with a citizen's data in its locals and in its
message, leaves none of it in the log or in the crash report the fleet collects; the
report still says where it happened and what kind of error it was."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devices.idcard.fixtures import FIXTURES
from kiosk.logs import WITHHELD, crash_text, install_crash_hooks, redact, setup_logging
from provisioning.agent.commands import collect_logs

RECORD = FIXTURES["elder"]
PHONE = "13912345678"


def secrets() -> list[str]:
    return [
        RECORD.name,
        RECORD.name[1:],
        RECORD.id_number,
        RECORD.id_number[6:14],
        RECORD.address,
        PHONE,
    ]


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = logging.getLogger()
    saved = list(root.handlers)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    setup_logging(tmp_path / "logs")
    install_crash_hooks()
    yield tmp_path / "logs"
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    for handler in saved:
        root.addHandler(handler)


def submit_for(record: Any) -> None:
    """Fails the way careless code would: the citizen in its locals and its message."""
    name, number, phone = record.name, record.id_number, PHONE
    answers = {"name": name, "id_number": number, "phone": phone, "address": record.address}
    raise ValueError(f"platform refused {name} {number}: {answers}")


def wrapped(record: Any) -> None:
    try:
        submit_for(record)
    except ValueError as exc:
        raise RuntimeError(f"submission of {record.name} failed") from exc


def read_all(log_dir: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return "".join(p.read_text(encoding="utf-8") for p in sorted(log_dir.glob("*.log*")))


def test_a_crash_mid_session_leaves_no_personal_data_in_log_or_crash_report(
    log_dir: Path,
) -> None:
    try:
        wrapped(RECORD)  # caught and logged with its traceback
    except RuntimeError:
        logging.getLogger("kiosk.effects").exception("submission failed")
    try:
        wrapped(RECORD)  # uncaught on the main thread
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    worker = threading.Thread(target=wrapped, args=(RECORD,), name="effects-worker")
    worker.start()  # uncaught in a worker thread
    worker.join()

    text = read_all(log_dir)
    report = collect_logs(log_dir, redact)  # what the fleet's collect_logs command uploads
    for secret in secrets():
        assert secret not in text, secret
        assert secret not in report, secret
    assert text.count("Traceback (most recent call last):") == 6  # 3 crashes × cause chain
    assert "in submit_for" in report and "builtins.ValueError" in report
    assert "builtins.RuntimeError" in report and WITHHELD in report
    assert "uncaught RuntimeError in thread effects-worker" in report


def test_the_crash_text_keeps_the_frames_and_types_and_drops_the_messages() -> None:
    try:
        wrapped(RECORD)
    except RuntimeError as exc:
        text = crash_text(exc)
    assert RECORD.name not in text and RECORD.id_number not in text
    assert text.index("builtins.ValueError") < text.index("builtins.RuntimeError")
    assert "in wrapped" in text and "in submit_for" in text
