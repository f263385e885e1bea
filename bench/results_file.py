"""Write a benchmark's figures into bench/RESULTS.md, under its section and subsection.

Other sections and subsections are kept as they are; the benchmark's own subsection is
replaced, stamped with the date and the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = "# Benchmark results\n\nWritten by the scripts in bench/, each into its own section.\n"

Section = tuple[str, list[str], dict[str, list[str]]]  # title, lead lines, subsections


def arguments(doc: str) -> argparse.ArgumentParser:
    """A benchmark's command line: described by the first line of its ``doc``, and with
    ``--no-write`` to print the figures without recording them in RESULTS.md."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    return parser


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def write_section(section: str, subsection: str, body: str, path: Path = RESULTS) -> None:
    """Replace ``### subsection`` inside ``## section`` with ``body`` (markdown)."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    preamble, sections = _parse(text)
    stamp = f"_{dt.date.today().isoformat()}, {machine()}_"
    lines = ["", stamp, "", *body.strip().splitlines(), ""]
    for title, _lead, subs in sections:
        if title == section:
            subs[subsection] = lines
            break
    else:
        sections.append((section, [""], {subsection: lines}))
    path.write_text(_render(preamble, sections), encoding="utf-8")


def _parse(text: str) -> tuple[list[str], list[Section]]:
    preamble: list[str] = []
    sections: list[Section] = []
    current: list[str] = preamble
    for line in text.splitlines():
        if line.startswith("## "):
            sections.append((line[3:].strip(), [], {}))
            current = sections[-1][1]
        elif line.startswith("### ") and sections:
            current = sections[-1][2].setdefault(line[4:].strip(), [])
        else:
            current.append(line)
    return preamble, sections


def _render(preamble: list[str], sections: list[Section]) -> str:
    out = [*preamble]
    for title, lead, subs in sections:
        out += ["", f"## {title}", *lead]
        for name, lines in subs.items():
            out += ["", f"### {name}", *lines]
    text = "\n".join(out).strip() + "\n"
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text
