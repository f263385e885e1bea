"""``kiosk update status|trust|offer|rollback``: a technician's view of software updates."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from kiosk import __version__
from provisioning.release.repo import Repository
from tests.terminal.commands.conftest import Done


def test_status_on_a_kiosk_that_never_updated(
    kiosk_cmd: Callable[..., Done], tmp_path: Path
) -> None:
    done = kiosk_cmd("update", "status", "--json", "--root", str(tmp_path / "opt"))
    assert done.code == 0, done
    status = done.json()
    assert (status["running"], status["state"], status["last_result"]) == (
        __version__,
        "idle",
        None,
    )
    text = kiosk_cmd("update", "status", "--root", str(tmp_path / "opt"))
    assert text.out.splitlines()[0].startswith(f"running   {__version__}")


def test_trust_then_offer_then_nothing_to_roll_back_to(
    kiosk_cmd: Callable[..., Done], state_dir: Path, tmp_path: Path
) -> None:
    repo = Repository.init(tmp_path / "repo")
    root = repo.metadata / "1.root.json"
    assert kiosk_cmd("update", "trust", str(root)).json() == {"trusted_root_version": 1}
    again = kiosk_cmd("update", "trust", str(root))
    assert again.code == 1 and "already trusts" in again.err
    bogus = tmp_path / "bogus.json"
    bogus.write_text("{}")
    assert kiosk_cmd("update", "trust", str(bogus), "--replace").code == 1

    done = kiosk_cmd(
        "update", "offer", "--version", "0.2.0", "--repository", "http://127.0.0.1:8700/"
    )
    assert done.code == 0, done
    offer = json.loads((state_dir / "updates" / "offer.json").read_text())
    assert offer == {
        "offer_id": "manual-0.2.0",
        "version": "0.2.0",
        "repository": "http://127.0.0.1:8700/",
        "downgrade": False,
    }
    bad = kiosk_cmd("update", "offer", "--version", "two", "--repository", "http://x/")
    assert bad.code == 2 and "not a release version" in bad.err

    back = kiosk_cmd("update", "rollback", "--root", str(tmp_path / "opt"))
    assert back.code == 1 and "no earlier good version" in back.err
