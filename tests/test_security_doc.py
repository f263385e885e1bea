"""docs/security.md names real tests: each ``path::name`` it cites exists."""

from __future__ import annotations

import re

from tests.support import ROOT

DOC = ROOT / "docs" / "security.md"
CITED = re.compile(r"(tests/[\w/]+\.py)::(test_\w+)")


def test_every_test_the_security_doc_cites_exists() -> None:
    cited = CITED.findall(DOC.read_text(encoding="utf-8"))
    assert len(cited) >= 20
    missing = [
        f"{path}::{name}"
        for path, name in cited
        if not (ROOT / path).is_file()
        or not re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M)
    ]
    assert missing == []


def test_the_readme_links_it() -> None:
    assert "docs/security.md" in (ROOT / "README.md").read_text(encoding="utf-8")
