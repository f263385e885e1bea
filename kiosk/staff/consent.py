"""The consent texts of 帮办代办, kept as configuration (config/consent.json).

The law asks for separate consent for each use of personal information (PIPL art. 14,
29: sensitive information such as a face photo needs its own), so each text is its own
entry and its own screen: ``assist`` (an agent handles matters for the citizen),
``household`` (the person present acts for another household member: paper needed) and
``biometric`` (the ID card chip's photo shown to the agent). Each has a ``title`` and a
``body`` in zh_CN and en; a missing one stops loading with the file and key named.
"""

from __future__ import annotations

import json
from pathlib import Path

from config import CONSENT_FILE

KINDS = ("assist", "household", "biometric")
LANGUAGES = ("zh_CN", "en")
PARTS = ("title", "body")

ConsentTexts = dict[str, dict[str, dict[str, str]]]


class ConsentConfigError(ValueError):
    """The consent file is missing a text or is not valid JSON."""


def load_consent_texts(path: Path = CONSENT_FILE) -> ConsentTexts:
    """kind → part → language → text; every kind, part and language present."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConsentConfigError(f"{path}: cannot read consent texts: {exc}") from exc
    texts: ConsentTexts = {}
    for kind in KINDS:
        texts[kind] = {}
        for part in PARTS:
            entry = data.get(kind, {}).get(part) if isinstance(data.get(kind), dict) else None
            for lang in LANGUAGES:
                value = entry.get(lang) if isinstance(entry, dict) else None
                if not isinstance(value, str) or not value.strip():
                    raise ConsentConfigError(f"{path}: {kind}.{part}.{lang} is missing or empty")
            assert isinstance(entry, dict)
            texts[kind][part] = {lang: entry[lang] for lang in LANGUAGES}
    return texts


def consent_text(texts: ConsentTexts, kind: str, part: str, lang: str) -> str:
    """One text; a language we do not have falls back to zh_CN."""
    entry = texts[kind][part]
    return entry.get(lang) or entry["zh_CN"]
