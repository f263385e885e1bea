"""The fleet agent, assembled for this kiosk.

The agent (provisioning/agent/) knows only the fleet protocol and what it is handed. This
module hands it the kiosk's parts: the validator that runs a staged bundle through the
kiosk's own settings and catalogue loaders, the software version, the redaction that
every log line passes before it leaves, and a probe reading device and outbox health.
"""

from __future__ import annotations

import json
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any  # heartbeat bodies are JSON objects

from config import CATALOGUE_FILE
from devices.status import DeviceStatus
from kiosk import __version__
from kiosk.catalogue import Catalogue, CatalogueError, load_catalogue
from kiosk.logs import redact
from kiosk.outbox import Outbox
from kiosk.settings import SettingsError, load_settings
from provisioning import policy
from provisioning.agent import Agent, BundleRefused, Hooks, health_from
from provisioning.agent.agent import Probe
from provisioning.agent.store import PROVENANCE
from provisioning.agent.usage import UsageQueue
from terminal.updater.proof import updates_dir
from terminal.updater.state import read_json, write_json
from terminal.wiring import outbox_db, outbox_key


def validate_bundle(bundle_dir: Path) -> list[str]:
    """Refuse a bundle that would stop start-up or that sets what the fleet may not: the
    kiosk checks the fleet's allow-list (levels, second-admin approvals, length caps,
    pinned platform hosts: provisioning/policy.py) itself, whatever the server signed,
    and then its typed settings and its catalogue rules. What it does not refuse but the
    admin should read comes back as warnings (the agent reports them)."""
    check_fleet_policy(bundle_dir)
    try:
        settings = load_settings(bundle_dir / "settings.toml")
    except SettingsError as exc:
        raise BundleRefused(
            f"settings invalid: {exc.key}: {exc.problem}", code="invalid_settings"
        ) from exc
    catalogue_file = bundle_dir / "catalogue.json"
    if not catalogue_file.exists():
        return unknown_exclusions(bundle_dir, load_catalogue(CATALOGUE_FILE))
    try:
        catalogue = load_catalogue(catalogue_file)
    except CatalogueError as exc:
        raise BundleRefused(f"catalogue invalid: {exc}", code="invalid_catalogue") from exc
    problems = catalogue.check_site_order(list(settings.site.popular))
    if problems:
        raise BundleRefused(
            f"settings invalid: site.popular: {problems[0]}", code="invalid_settings"
        )
    return []  # the server checked its exclusions against the catalogue it sent


def unknown_exclusions(bundle_dir: Path, builtin: Catalogue) -> list[str]:
    """The bundle's excluded matter codes that this kiosk's built-in catalogue does not
    have: a typo excludes nothing, and the server cannot see the built-in catalogue
    (issue 19, item 7)."""
    try:
        excluded = json.loads((bundle_dir / "exclude_matters.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    known = {matter.code for matter in builtin.matters}
    return [
        f"exclude_matters: {code} 不在本机目录（{builtin.version or '内置'}）中"
        for code in excluded
        if code not in known
    ]


def check_fleet_policy(bundle_dir: Path) -> None:
    """BundleRefused when the bundle's settings break the fleet's allow-list."""
    try:
        with (bundle_dir / "settings.toml").open("rb") as fh:
            pushed = tomllib.load(fh)
        found = bundle_dir / PROVENANCE  # none from a server before issue 15: refused below
        provenance = json.loads(found.read_text(encoding="utf-8")) if found.exists() else {}
    except (OSError, ValueError) as exc:
        raise BundleRefused(f"settings unreadable: {exc}", code="invalid_settings") from exc
    try:
        policy.check_bundle_settings(pushed, provenance if isinstance(provenance, dict) else {})
    except policy.PolicyError as exc:
        raise BundleRefused(
            f"settings not allowed: {exc.key}: {exc.problem}", code=exc.code
        ) from exc


def kiosk_agent(
    state_dir: Path,
    *,
    probe: Probe | None = None,
    test_print: Callable[[], str] | None = None,
    clock: Callable[[], float] = time.time,
    usage: UsageQueue | None = None,
) -> Agent:
    """An agent for the kiosk whose state lives in ``state_dir``; ``usage``: the running
    kiosk's usage batches (kiosk.usage.UsageRecorder), which only it may open."""
    hooks = Hooks(
        test_print=test_print,
        log_dir=state_dir / "logs",
        redact=redact,
        offer_update=lambda offer: hand_offer(state_dir, offer),
        update_report=lambda: update_report(state_dir),
    )
    return Agent(
        state_dir,
        validate=validate_bundle,
        software_version=__version__,
        probe=probe or outbox_probe(state_dir),
        hooks=hooks,
        clock=clock,
        usage=usage,
    )


REPORTED = (
    "offer_id",
    "version",
    "state",
    "phase",
    "reason",
    "detail",
    "progress",
    "current",
    "good",
    "previous",
    "at",
)


def hand_offer(state_dir: Path, offer: dict[str, Any] | None) -> None:
    """The fleet's offer for the updater (its own process: terminal/updater)."""
    path = updates_dir(state_dir) / "offer.json"
    if offer is None:
        path.unlink(missing_ok=True)
    else:
        write_json(path, offer)


def update_report(state_dir: Path) -> dict[str, Any] | None:
    """What the updater last reported, for the heartbeat; None with no updater."""
    status = read_json(updates_dir(state_dir) / "status.json")
    if not isinstance(status, dict):
        return None
    return {key: status.get(key) for key in REPORTED}


def health_probe(statuses: Callable[[], dict[str, DeviceStatus]], outbox: Outbox) -> Probe:
    """A running kiosk's heartbeat health: its devices and its outbox."""
    return lambda: health_from(statuses(), outbox.depth(), outbox.oldest_pending_age())


def outbox_probe(state_dir: Path) -> Probe:
    """Outbox figures for a heartbeat sent from the shell (devices belong to the kiosk)."""
    path, key_file = outbox_db(state_dir), outbox_key(state_dir)

    def probe() -> dict[str, Any]:
        if not (path.exists() and key_file.exists()):
            return {}
        outbox = Outbox(path, key_file.read_bytes())
        try:
            depth, oldest = outbox.depth(), outbox.oldest_pending_age()
            return {"outbox": {"depth": depth, "oldest_pending_age_s": oldest}}
        finally:
            outbox.close()

    return probe
