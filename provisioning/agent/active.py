"""The active bundle, checked before it is used: at start-up and at every sync.

A signed bundle is checked when it arrives, but what the kiosk then reads are plain files
in ``fleet/current``. Anyone with the disk could edit ``settings.toml`` or give
``bundle.json`` a made-up signature and a high version, and the kiosk used to load that
as it was. Now the envelope is verified again (signature from a trusted key, this
kiosk's site, the version the agent activated), and every file the kiosk reads is
compared with what the verified payload makes of it:

- envelope good, files edited: the files are rebuilt from the payload (the last good
  bundle, byte for byte);
- envelope bad: back to the previous bundle if it verifies, else to none at all (the
  shipped defaults);

and either way ``config_error`` says so, and the next heartbeat tells the fleet.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from provisioning.agent import tomlwrite
from provisioning.agent.errors import BundleRefused
from provisioning.agent.state import AgentState, load_state, save_state, write_atomic
from provisioning.agent.store import PROVENANCE, BundleStore
from provisioning.agent.verify import verify_bundle
from provisioning.protocol import trusted_key_ids

log = logging.getLogger(__name__)


def expected_files(payload: dict[str, Any]) -> dict[str, bytes]:
    """What activation writes from ``payload`` (store.BundleStore._write), by file name."""
    files = {
        "settings.toml": tomlwrite.dumps(payload["settings"]).encode("utf-8"),
        "branding.json": json.dumps(payload["branding"], ensure_ascii=False, indent=1).encode(),
        "exclude_matters.json": json.dumps(
            payload.get("exclude_matters", []), ensure_ascii=False
        ).encode("utf-8"),
    }
    if "provenance" in payload:
        provenance = json.dumps(payload["provenance"], ensure_ascii=False, indent=1)
        files[PROVENANCE] = provenance.encode("utf-8")
    if payload.get("catalogue") is not None:
        catalogue = json.dumps(payload["catalogue"], ensure_ascii=False, indent=1)
        files["catalogue.json"] = catalogue.encode("utf-8")
    return files


def _verified(state: AgentState, folder: Path, version: int | None) -> dict[str, Any]:
    """The payload of ``folder``'s bundle.json if it is genuine, for this kiosk's site,
    and (given ``version``) exactly that version; BundleRefused otherwise. Expiry is not
    checked: offline, a kiosk keeps running on its last good bundle."""
    try:
        envelope = json.loads((folder / "bundle.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BundleRefused(f"active bundle unreadable: {exc}", code="active_invalid") from exc
    trusted = trusted_key_ids(state.server_trust) if state.server_trust else None
    payload = verify_bundle(
        envelope,
        server_key=state.server_key,
        server_key_id=state.server_key_id,
        site_id=state.site_id,
        highest_version=-1,
        now=float("-inf"),
        trusted=trusted,
    )
    if version is not None and payload["version"] != version:
        raise BundleRefused(
            f"active bundle is version {payload['version']}, the agent activated {version}",
            code="active_invalid",
        )
    return payload


def _differs(folder: Path, files: dict[str, bytes]) -> list[str]:
    wrong = []
    for name, data in files.items():
        try:
            if (folder / name).read_bytes() != data:
                wrong.append(name)
        except OSError:
            wrong.append(name)
    for name in ("catalogue.json", PROVENANCE):
        if name not in files and (folder / name).exists():
            wrong.append(name)
    return wrong


def check_active(store: BundleStore, state: AgentState) -> str | None:
    """Make ``fleet/current`` what the agent activated, or fall back; the problem found
    (also left in ``state.config_error``), or None when all was well."""
    current = store.current_dir()
    if current is None or not state.server_key:
        return None
    try:
        payload = _verified(state, current, state.applied_version or None)
    except BundleRefused as exc:
        problem = f"active_bundle_invalid: {exc.detail}"
        _fall_back(store, state)
    else:
        files = expected_files(payload)
        wrong = _differs(current, files)
        if not wrong:
            return None
        for name in wrong:
            if name in files:
                write_atomic(current / name, files[name], 0o644)
            else:
                (current / name).unlink(missing_ok=True)
        problem = f"active_bundle_edited: {', '.join(wrong)} rebuilt from the signed bundle"
    log.warning("%s", problem)
    state.config_error = problem[:500]
    return problem


def _fall_back(store: BundleStore, state: AgentState) -> None:
    """The current bundle is not genuine: the previous one if it is, else none."""
    previous = store.previous_dir()
    if previous is not None:
        try:
            payload = _verified(state, previous, None)
            if not _differs(previous, expected_files(payload)):
                store.rollback()
                state.applied_version = int(payload["version"])
                state.active_expires_at = int(payload["expires_at"])
                return
        except BundleRefused:
            pass
    for name in ("current", "previous"):
        link = store.root / name
        if link.is_symlink():
            os.unlink(link)
    state.applied_version, state.active_expires_at = 0, 0


def check_state_dir(state_dir: Path) -> None:
    """:func:`check_active` for a kiosk starting up (before its agent exists)."""
    root = state_dir / "fleet"
    state_file = root / "agent.json"
    if not state_file.exists():
        return
    state = load_state(state_file)
    if check_active(BundleStore(root), state) is not None:
        save_state(state_file, state)
