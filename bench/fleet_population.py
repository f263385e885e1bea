"""A province for the fleet benchmarks: 500 sites, N kiosks with a realistic mix of health.

10 counties x 5 townships x 10 sites (the fleet benchmark's population since the
beginning). Accepted kiosks are spread evenly over the sites; their last contact, alerts,
software versions, configuration versions and service state follow fixed proportions
(seeded), and each carries a heartbeat's health document of the usual size. A few hundred
kiosks wait as pending. Devices are written in bulk, straight into the database (through
the server's own database layer), so a 100,000-kiosk province takes seconds, not hours.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from provisioning.server.accounts import Actor, cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.fleet import Fleet
from provisioning.server.health import OFFLINE_AFTER_S

PASSWORD = "correct horse battery"
TOTP_SECRETS: dict[str, str] = {}  # the admins' authenticator secrets, made by populate
VERSIONS = (("0.1.0", 0.70), ("0.2.0", 0.28), ("0.3.0rc1", 0.02))
HEALTH = {
    "uptime_s": 86400, "software_version": "0.1.0", "config_version": 1, "config_error": "",
    "in_service": True, "paper": "full",
    "devices": {k: {"device": "online", "supplies": {"paper": "full"} if k == "printer" else {},
                    "detail": ""} for k in ("idcard", "smartcard", "printer", "docscan", "camera")},
    "outbox": {"depth": 0, "oldest_pending_age_s": None}, "events": [],
}  # fmt: skip


def region_tree(fleet: Fleet, actor: Actor) -> list[str]:
    """The province: 10 counties x 5 townships x 10 sites; the site ids."""
    fleet.add_region(actor, "33", "浙江省", "province", None)
    sites = []
    for c in range(10):
        fleet.add_region(actor, f"c{c}", f"第{c}县", "county", "33")
        for t in range(5):
            fleet.add_region(actor, f"t{c}{t}", f"第{c}{t}镇", "township", f"c{c}")
            for s in range(10):
                site = f"s{c}{t}{s}"
                fleet.add_region(actor, site, f"第{c}{t}{s}村便民服务站", "site", f"t{c}{t}")
                sites.append(site)
    return sites


def sites_of(app: FleetApp) -> list[str]:
    """The region tree and its admins (alice for the province, bob for county c3), made
    once; the site ids."""
    fleet, actor = app.fleet, cli_actor("bench")
    sites = region_tree(fleet, actor)
    secret = fleet.add_admin(actor, "alice", PASSWORD, "province_admin", None)
    assert secret is not None
    TOTP_SECRETS["alice"] = secret  # province admins sign in with a one-time code too
    fleet.add_admin(actor, "bob", PASSWORD, "county_admin", "c3")
    return sites


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    x, acc = rng.random(), 0.0
    for value, share in table:
        acc += share
        if x < acc:
            return value
    return table[-1][0]


def populate(data: Path, db_url: str | None, kiosks: int, pending: int = 300,
             seed: int = 1) -> dict[str, Any]:  # fmt: skip
    """Make the province and ``kiosks`` accepted kiosks; what was made, for the report."""
    rng = random.Random(seed)
    now = time.time()
    app = FleetApp(data, db_url)
    sites = sites_of(app)
    actor = cli_actor("bench")
    app.fleet.push(actor, "33", {"settings": {"session": {"idle_timeout_s": 180}}})
    with app.db.read() as tx:
        rows = tx.all("SELECT id, bundle_version FROM regions WHERE level = 'site'")
    latest = {r["id"]: r["bundle_version"] for r in rows}
    devices: list[tuple[Any, ...]] = []
    alerts: list[tuple[Any, ...]] = []
    counts = {"online": 0, "offline": 0, "never": 0, "alerts": 0}
    enrolled, decided = now - 30 * 86400, now - 29 * 86400
    for i in range(kiosks + pending):
        device, key, serial = f"dev-{i:016x}", f"bench-key-{i}", f"SN-{i:07d}"
        site = sites[i % len(sites)]
        if i >= kiosks:  # waiting for an admin
            asked = now - rng.uniform(0, 86400)
            devices.append((device, key, serial, "pending", None, site, "0.1.0", asked,
                            None, None, None, 1, "{}", None))  # fmt: skip
            continue
        x = rng.random()
        seen: float | None = None
        if x < 0.04:
            counts["never"] += 1
        else:
            online = x < 0.90
            age = (rng.uniform(0, OFFLINE_AFTER_S * 0.9) if online
                   else rng.uniform(OFFLINE_AFTER_S * 1.1, 5 * 86400))  # fmt: skip
            seen = now - age
            counts["online" if online else "offline"] += 1
            if age > 86400:
                alerts.append((device, "offline_day", "no heartbeat for a day", seen + 86400))
        version = _pick(rng, VERSIONS)
        config = None if seen is None else latest[site] - (rng.random() < 0.10)
        in_service = 0 if rng.random() < 0.02 else 1
        health = "{}"
        if seen is not None:
            doc = dict(HEALTH, software_version=version, config_version=config,
                       in_service=bool(in_service))  # fmt: skip
            y = rng.random()
            if y < 0.02:
                doc["paper"] = "out"
                alerts.append((device, "paper_out", "printer paper out", seen))
            elif y < 0.03:
                alerts.append((device, "device_error", "idcard: hardwareError", seen))
            elif y < 0.035:
                alerts.append((device, "outbox_stale", "oldest pending 30 h, depth 12", seen))
            elif y < 0.038:
                alerts.append((device, "config_error", "settings.ui.width: bad", seen))
            health = json.dumps(doc, ensure_ascii=False)
        devices.append((device, key, serial, "accepted", site, site, version, enrolled,
                        decided, "bench", config, in_service, health, seen))  # fmt: skip
    with app.db.tx() as tx:
        tx.many(
            "INSERT INTO devices (id, public_key, serial, status, site_id, requested_site,"
            " software_version, enrolled_at, decided_at, decided_by, config_version,"
            " in_service, health, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            devices,
        )
        tx.many("INSERT INTO alerts (device_id, kind, detail, opened_at) VALUES (?,?,?,?)", alerts)
    counts["alerts"] = len(alerts)
    app.stop()
    return {"sites": len(sites), "kiosks": kiosks, "pending": pending, **counts}
