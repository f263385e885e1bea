"""Translations in step and the log redaction safety net (the masking rules themselves
are pinned in test_masking.py)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from config import I18N_DIR
from kiosk.i18n import Translator, load_messages
from kiosk.logs import redact, setup_logging
from tests.support import ROOT


def test_languages_have_the_same_keys_and_placeholders() -> None:
    zh, en = load_messages("zh_CN"), load_messages("en")
    assert set(zh) == set(en)
    for key in zh:
        assert set(re.findall(r"{(\w+)}", zh[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_every_key_used_in_the_code_exists() -> None:
    zh = load_messages("zh_CN")
    used: set[str] = set()
    for path in [*ROOT.glob("screens/*.py"), *ROOT.glob("screens/*.kv")]:
        used |= set(re.findall(r"""tr\(\s*["']([a-z_][a-z0-9_.]+)["']""", path.read_text()))
    assert used, "no translation keys found: the pattern is stale"
    assert sorted(used - set(zh)) == []


def test_translator_falls_back_and_shows_missing_keys() -> None:
    t = Translator("en")
    assert t("nav.finish") == "Finish"
    assert t("guide.promised_days", days=20) == "Done within 20 working days"
    assert t("no.such.key") == "no.such.key"
    t.set_language("zh_CN")
    assert t("nav.finish") == "结束办理"


def test_bad_language_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "xx.json").write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(ValueError, match="flat JSON object"):
        load_messages("xx", tmp_path)
    assert I18N_DIR.is_dir()


def test_redact_masks_anything_shaped_like_personal_numbers() -> None:
    line = "id 110101194501011236 phone 13800138000 card 6222020200112233446 case 2026113000123"
    clean = redact(line)
    for secret in ("110101194501011236", "13800138000", "6222020200112233446"):
        assert secret not in clean
    assert "1101**********1236" in clean and "138****8000" in clean


def test_log_file_is_redacted(tmp_path: Path) -> None:
    root = logging.getLogger()
    saved = list(root.handlers)
    path = setup_logging(tmp_path)
    logging.getLogger("kiosk.test").warning("oops for %s", "110101194501011236")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "oops for 1101**********1236" in text
    assert "110101194501011236" not in text
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    for handler in saved:
        root.addHandler(handler)
