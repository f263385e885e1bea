"""Translation keys → text. zh_CN first, then en.

Every user-facing string goes through a key. A missing key shows the key itself (so it is
noticed in review) and is logged once; a test keeps the language files in step.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from config import I18N_DIR

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "zh_CN"


def load_messages(lang: str, directory: Path = I18N_DIR) -> dict[str, str]:
    path = directory / f"{lang}.json"
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ValueError(f"{path}: must be a flat JSON object of string keys to strings")
    return data


class Translator:
    """Looks up keys in the current language, falling back to zh_CN."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE, directory: Path = I18N_DIR) -> None:
        self._directory = directory
        self._tables: dict[str, dict[str, str]] = {}
        self._missing: set[str] = set()
        self.lang = DEFAULT_LANGUAGE
        self.set_language(lang)

    def set_language(self, lang: str) -> None:
        if lang not in self._tables:
            self._tables[lang] = load_messages(lang, self._directory)
        if DEFAULT_LANGUAGE not in self._tables:
            self._tables[DEFAULT_LANGUAGE] = load_messages(DEFAULT_LANGUAGE, self._directory)
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        text = self._tables[self.lang].get(key)
        if text is None:
            text = self._tables[DEFAULT_LANGUAGE].get(key)
        if text is None:
            if key not in self._missing:
                self._missing.add(key)
                log.warning("missing translation key %s", key)
            return key
        return text.format(**values) if values else text
