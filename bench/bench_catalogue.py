"""Catalogue load time (validation + pinyin index) and search latency per keystroke.

Run: ``.venv/bin/python bench/bench_catalogue.py``. Besides the shipped 15-matter demo it
times synthetic catalogues of 300 and 1,000 matters (the demo matters cloned under new
codes and numbered names), the size of a township's or a county's full implementation
list. The pinyin cache is cleared before each load so every run pays for the full index.

Recorded on the 2-core dev machine (Python 3.11, pypinyin 0.55) while other jobs shared
it (load average ~3), so read the ranges, not the digits:

    first load, incl. pypinyin import    0.4–0.75 s
    load + index, 15 matters             30–55 ms
    index only, 300 / 1,000 matters      0.25–0.6 s / 1–2 s
    search, 15 matters                   0.1–0.3 ms per query
    search, 300 matters                  4–15 ms per query
    search, 1,000 matters                15–70 ms per query

Search fits well inside a keystroke (~100 ms) even at 1,000 matters; the index is built
once at start-up (or when a fleet bundle brings a new catalogue).
"""

from __future__ import annotations

import dataclasses as dc
import functools
import time
import unicodedata
from collections.abc import Callable

from timing import median_ms

from config import CATALOGUE_FILE
from kiosk.catalogue import Catalogue, Text, load_catalogue, pinyin

QUERIES = ["gljt", "gaolingjintie", "高龄", "社保", "sbk", "allowance", "高令", "a", "zz" * 32]


_CHINESE_NUMBER = "零一二三四五六七八九"


def _load() -> Catalogue:
    pinyin.clear_caches()  # each run pays for the whole index, as at start-up
    return load_catalogue(CATALOGUE_FILE)


def _scaled(base: Catalogue, size: int) -> Callable[[], Catalogue]:
    """A builder of a ``size``-matter catalogue made of renamed copies of ``base``."""
    matters = [
        dc.replace(
            m,
            code=f"{m.code}-{i:04d}",
            name=Text(f"{m.name.zh_CN}（{_CHINESE_NUMBER[i % 10]}{i}）", f"{m.name.en} {i}"),
            popularity=i * 100 + m.popularity,
        )
        for i in range(size // len(base) + 1)
        for m in base
    ][:size]

    def build() -> Catalogue:
        pinyin.clear_caches()
        return Catalogue(matters)

    return build


def main() -> None:
    rows: list[tuple[str, float]] = []
    start = time.perf_counter()
    shipped = load_catalogue(CATALOGUE_FILE)
    rows.append(("first load, incl. pypinyin import", (time.perf_counter() - start) * 1000))
    rows.append(
        (
            f"load + index, {len(shipped)} matters",
            median_ms(_load, 10),
        )
    )
    catalogues = {len(shipped): shipped}
    for size in (300, 1000):
        build = _scaled(shipped, size)
        rows.append((f"index only, {size} matters", median_ms(build, 3)))
        catalogues[size] = build()
    for size, catalogue in catalogues.items():
        for query in QUERIES:
            ms = median_ms(functools.partial(catalogue.search, query), 20 if size < 500 else 5)
            rows.append((f"search {query[:12]!r}, {size} matters", ms))
    width = max(_width(name) for name, _ in rows)
    print(f"{'case':<{width}}  {'median ms':>10}")
    print("-" * (width + 12))
    for name, ms in rows:
        print(f"{name}{' ' * (width - _width(name))}  {ms:>10.2f}")


def _width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


if __name__ == "__main__":
    main()
