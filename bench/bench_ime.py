"""Pinyin IME: first-use lexicon build (time, memory) and candidates latency per keystroke.

Run: ``.venv/bin/python bench/bench_ime.py`` in a fresh process (it measures the first
import). The build is timed twice: cold, pypinyin's tables imported first (a kiosk whose
catalogue has not loaded yet), and warm, on top of pypinyin already imported (the usual
case: the catalogue's search imports it at start-up). Memory is the process's resident set
(VmRSS) before and after, and its peak (VmHWM). Each keystroke is ``feed`` one letter then
``candidates(limit=10)`` for a fresh field, as the widget does; the first pass also pays
for merging the characters of unfinished syllables, which are then cached for good.

Recorded on the 2-core dev machine (Python 3.11, pypinyin 0.55), several runs while other
jobs shared the cores (load 2–4), so wall times vary more than CPU times:

    import pypinyin tables (the catalogue does it)   0.4–0.5 s                  +55 MB RSS
    first lexicon build on top of them               0.9–1.5 s (CPU 0.75–1.0 s)  +27 MB RSS
    per keystroke, feed + candidates(limit=10)        median 0.2–0.5 ms, p95 0.8–5 ms, max 11 ms
    garbage-collector pauses >= 10 ms while typing    none (the build sweeps its own objects)

Both targets hold (build under ~1.5 s, under ~60 MB extra), so the full phrase dictionary
is indexed, every length, not only 2–4 character phrases. Call ``kiosk.ime.warm_up()`` in a
background thread at start-up and no citizen waits for the build.
"""

from __future__ import annotations

import gc
import importlib
import statistics
import time

INPUTS = [
    ("text", "zhongguo"),
    ("text", "donghucun"),
    ("text", "yanshixiandonghuzhendonghucun"),
    ("text", "xian"),
    ("text", "bjdx"),
    ("text", "lvse"),
    ("name", "wangxiuying"),
    ("name", "ouyangjianguo"),
    ("name", "zhanggl"),
]
PASSES = 20


def _status(field: str) -> float:
    """A /proc/self/status memory field in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise LookupError(field)


def _clock() -> tuple[float, float]:
    """(wall, CPU) seconds: CPU time shows the cost when other jobs share the cores."""
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> str:
    wall, cpu = _clock()
    return f"{wall - start[0]:.2f} s (CPU {cpu - start[1]:.2f} s)"


def _build_rows() -> list[tuple[str, str]]:
    base = _status("VmRSS")
    start = _clock()
    for table in ("pypinyin.pinyin_dict", "pypinyin.phrases_dict"):  # as the catalogue does
        importlib.import_module(table)
    rows = [("import pypinyin tables", f"{_since(start)}, +{_status('VmRSS') - base:.0f} MB")]
    after_import = _status("VmRSS")
    peak_before = _status("VmHWM")
    imported = _clock()
    from kiosk.ime import lexicon as lexicon_module

    lexicon_module.lexicon()
    rows += [
        (
            "first lexicon build",
            f"{_since(imported)}, +{_status('VmRSS') - after_import:.0f} MB RSS, "
            f"peak +{_status('VmHWM') - max(peak_before, after_import):.0f} MB",
        ),
        ("first use, cold total", _since(start)),
    ]
    walls, cpus = [], []
    for _ in range(3):
        lexicon_module.forget()
        wall, cpu = _clock()
        lexicon_module.lexicon()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    median = f"{statistics.median(walls):.2f} s (CPU {statistics.median(cpus):.2f} s)"
    rows.append(("lexicon rebuild, median of 3", median))
    return rows


def _keystrokes(mode: str, letters: str) -> tuple[list[float], list[float]]:
    """Milliseconds per keystroke: the first pass, and every later pass."""
    from kiosk.ime import PinyinIme

    first: list[float] = []
    later: list[float] = []
    for n in range(PASSES):
        ime = PinyinIme(mode="name" if mode == "name" else "text")
        for letter in letters:
            start = time.perf_counter()
            ime.feed(letter)
            ime.candidates(limit=10)
            (first if n == 0 else later).append((time.perf_counter() - start) * 1000)
    return first, later


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


class _GcPauses:
    """Records garbage-collector pauses, to tell them from the IME's own work."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float]] = []
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses.append((info["generation"], (time.perf_counter() - self._start) * 1000))


def main() -> None:
    for name, value in _build_rows():
        print(f"{name:<32} {value}")
    print()
    gc.collect()  # the rebuilds above left garbage a kiosk would not have
    pauses = _GcPauses()
    gc.callbacks.append(pauses)
    header = f"{'mode':<5} {'input':<31} {'keys':>4} {'median ms':>9} {'p95 ms':>7}"
    print(f"{header} {'max ms':>7} {'1st pass max':>12}")
    print("-" * (len(header) + 21))
    every: list[float] = []
    for mode, letters in INPUTS:
        first, later = _keystrokes(mode, letters)
        every += first + later
        print(
            f"{mode:<5} {letters:<31} {len(letters):>4} {statistics.median(later):>9.2f} "
            f"{_p95(later):>7.2f} {max(later):>7.2f} {max(first):>12.2f}"
        )
    print(
        f"{'all':<5} {'':<31} {'':>4} {statistics.median(every):>9.2f} "
        f"{_p95(every):>7.2f} {max(every):>7.2f}"
    )
    gc.callbacks.remove(pauses)
    slow = [f"gen {g}: {ms:.0f} ms" for g, ms in pauses.pauses if ms >= 10]
    print(f"\ngc pauses >= 10 ms while typing: {', '.join(slow) or 'none'}")


if __name__ == "__main__":
    main()
