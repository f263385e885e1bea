"""The updater's steps. Each :meth:`Updater.step` reads what is on disk, does at most
one piece of work and writes down where it got, so a kill at any moment is followed by
a step that carries on (or cleans up) from there.

States reported to the fleet: offered → downloading → installed → committed, or
rolled_back (the new version did not prove itself: ``reason`` says how) or failed (the
release was refused or could not be installed: ``reason`` says why). The kiosk keeps
running its current version in every case but committed.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from packaging.version import Version

from kiosk import __version__
from provisioning.protocol import ProtocolError, parse_offer
from terminal.updater import state as st
from terminal.updater.fetch import Refused, ReleaseSource, Unavailable
from terminal.updater.install import InstallFailed, install
from terminal.updater.layout import Layout
from terminal.updater.proof import CHECKS, alive
from terminal.updater.window import in_window

log = logging.getLogger(__name__)

MAX_STARTS = 3  # a version started this often without proving itself is crash-looping


class Updater:
    def __init__(
        self,
        layout: Layout,
        updates: Path,
        *,
        hours: str = "",
        kbps: int = 256,
        prove_within_s: float = 600,
        require: tuple[str, ...] = CHECKS,
        base_site: Path | None = None,
        clock: Callable[[], float] = time.time,
        local_now: Callable[[], dt.datetime] = dt.datetime.now,
        source: Callable[[str], ReleaseSource] | None = None,
    ) -> None:
        self.layout, self.updates = layout, updates
        self.hours, self.kbps, self.prove_within_s = hours, kbps, prove_within_s
        self.require, self.base_site = tuple(require), base_site
        self.clock, self.local_now = clock, local_now
        self._source = source or (lambda repo: ReleaseSource(updates, repo, kbps=self.kbps))
        self.state_file = updates / "state.json"
        self.last_source: ReleaseSource | None = None

    # ---- files ---------------------------------------------------------------------------

    def load(self) -> st.UpdaterState:
        return st.load(self.state_file)

    def save(self, s: st.UpdaterState) -> None:
        s.at = self.clock()
        self.updates.mkdir(parents=True, exist_ok=True)
        st.save(self.state_file, s)
        st.write_json(self.updates / "status.json", self.status(s))

    def offer(self) -> dict[str, Any] | None:
        raw = st.read_json(self.updates / "offer.json")
        if raw is None:
            return None
        try:
            return parse_offer(raw)
        except ProtocolError as exc:
            log.warning("offer ignored: %s", exc)
            return None

    def running(self) -> str:
        return self.layout.get("good") or self.layout.get("current") or __version__

    # ---- one step ------------------------------------------------------------------------

    def step(self) -> st.UpdaterState:
        s = self.load()
        self._repair(s)
        if s.trial is not None:
            self._judge(s)
        else:
            self._advance(s)
        self.save(s)
        return s

    def _repair(self, s: st.UpdaterState) -> None:
        """After a kill: links to complete versions only, no half-installed folder."""
        good = self.layout.get("good")
        current = self.layout.get("current")
        if good is None and current is not None:
            self.layout.point("good", current)  # a fresh layout: what runs is good
            good = current
        if current is None and good is not None:
            log.warning("current pointed at nothing complete: back to %s", good)
            self.layout.point("current", good)
        if s.trial is None and good is not None and current not in (None, good):
            # killed between switching and writing the trial down: nothing was proven
            log.warning("switched to %s without a trial on record: back to %s", current, good)
            self.layout.point("current", good)
        busy = {s.version} if s.state in ("downloading", "offered") else set()
        for name in sorted(p.name for p in self.layout.versions.glob("*")):
            if not self.layout.complete(name) and name not in busy:
                self.layout.prune({v for v in self.layout.installed()} | busy)
                break

    def _keep_baseline(self, version: str) -> None:
        """The devices ``version`` had working become what the next version must show."""
        proof = st.read_json(self.updates / "proof.json") or {}
        devices = proof.get("checks", {}).get("devices", {})
        if proof.get("version") == version and devices.get("ok") and "working" in devices:
            st.write_json(
                self.updates / "devices.json", {"version": version, "working": devices["working"]}
            )

    def _advance(self, s: st.UpdaterState) -> None:
        if not (self.updates / "devices.json").exists() and self.layout.get("good"):
            self._keep_baseline(str(self.layout.get("good")))  # the first version's
        offer = self.offer()
        if offer is None and s.state in ("offered", "downloading", "installed"):
            s.record(
                {
                    "offer_id": (s.offer or {}).get("offer_id"),
                    "version": s.version,
                    "state": "withdrawn",
                    "reason": "",
                    "detail": "",
                    "at": self.clock(),
                }
            )
            s.offer, s.state, s.phase, s.version, s.progress = None, "idle", "", "", {}
            self.layout.prune(set())  # what was installed for it goes; linked ones stay
            return
        if offer is None or offer["offer_id"] in s.done_offers:
            return
        if s.offer is None or s.offer["offer_id"] != offer["offer_id"]:
            s.offer, s.version = offer, offer["version"]
            s.state, s.phase, s.reason, s.detail, s.progress = "offered", "", "", "", {}
            if offer["version"] == self.running():
                self._finish(s, "committed", "", "already running")
                return
        if s.state in ("offered", "downloading"):
            self._get(s)
        if s.state == "installed":
            self._switch(s)

    def _get(self, s: st.UpdaterState) -> None:
        assert s.offer is not None
        source = self.last_source = self._source(s.offer["repository"])
        try:
            manifest, custom = source.manifest(s.version)
            missing = source.check(
                manifest,
                custom,
                running=self.running(),
                downgrade_ordered=bool(s.offer["downgrade"]),
                project_only_ok=self.base_site is not None,
                install_dir=self.layout.root,
            )
            s.state, s.phase = "downloading", ""
            s.progress = {"bytes": 0, "total": missing}
            self.save(s)
            wheels = source.wheels(manifest, lambda n: _add(s.progress, n))
            s.phase = "installing"
            self.save(s)
            install(self.layout, s.version, wheels, base_site=self.base_site)
        except Refused as exc:
            self._finish(s, "failed", exc.reason, exc.detail)
            return
        except Unavailable as exc:
            s.phase, s.detail = "waiting_for_network", str(exc)[:300]
            return
        except InstallFailed as exc:
            self._finish(s, "failed", "install_failed", str(exc))
            return
        st.write_json(self.updates / "releases" / f"{s.version}.json", manifest)
        s.state, s.phase, s.detail = "installed", "", ""
        log.info("version %s installed", s.version)

    def _switch(self, s: st.UpdaterState) -> None:
        if not in_window(self.hours, self.local_now()):
            s.phase = "waiting_for_hours"
            return
        previous = self.running()
        s.trial = st.Trial(s.version, previous, self.clock(), require=list(self.require))
        self.save(s)  # the trial is on record before the link moves
        self.layout.point("current", s.version)
        st.write_json(self.updates / "restart.json", {"version": s.version, "at": self.clock()})
        s.phase = "waiting_for_idle"
        log.info("switched to %s; the kiosk restarts on it when no citizen is there", s.version)

    # ---- judging a trial -----------------------------------------------------------------

    def _judge(self, s: st.UpdaterState) -> None:
        t = s.trial
        assert t is not None
        if t.verdict:  # decided before a kill: carry it out (again)
            self._carry_out(s)
            return
        if self.layout.get("current") != t.version:  # killed while switching: finish it
            self.layout.point("current", t.version)
            st.write_json(self.updates / "restart.json", {"version": t.version, "at": self.clock()})
        proof = st.read_json(self.updates / "proof.json") or {}
        mine = proof.get("version") == t.version
        if mine and not t.started_at:
            t.started_at = float(proof.get("started_at") or self.clock())
        starts = max(int(proof.get("starts", 0)) if mine else 0, self._launches(t.version))
        if not t.started_at and starts:
            t.started_at = self.clock()  # started, but died before writing its proof
        if not t.started_at:
            if not in_window(self.hours, self.local_now()):
                log.info("update hours over before %s started: back to %s", t.version, t.previous)
                self.layout.point("current", t.previous)
                (self.updates / "restart.json").unlink(missing_ok=True)
                s.trial, s.state, s.phase = None, "installed", "waiting_for_hours"
            return
        s.phase = "proving"
        checks: dict[str, Any] = proof.get("checks", {}) if mine else {}
        failed = [c for c in t.require if checks.get(c, {}).get("ok") is False]
        passed = [c for c in t.require if checks.get(c, {}).get("ok") is True]
        if failed:
            detail = "; ".join(f"{c}: {checks[c].get('detail', '')}" for c in failed)
            t.failed_at = min(float(checks[c].get("at", 0)) for c in failed)
            self._decide(s, "rolled_back", "health_failed", detail)
        elif starts > MAX_STARTS:
            self._decide(s, "rolled_back", "crash_loop", f"started {starts} times, never proven")
        elif len(passed) == len(t.require) and alive(int(proof.get("pid", 0))):
            self._decide(s, "committed", "", "")
        elif self.clock() > t.started_at + self.prove_within_s:
            missing = [c for c in t.require if c not in passed]
            self._decide(
                s, "rolled_back", "health_timeout", "not shown in time: " + ", ".join(missing)
            )

    def _decide(self, s: st.UpdaterState, verdict: str, reason: str, detail: str) -> None:
        assert s.trial is not None
        s.trial.verdict, s.trial.reason, s.trial.detail = verdict, reason, detail[:500]
        self.save(s)
        self._carry_out(s)

    def _carry_out(self, s: st.UpdaterState) -> None:
        t = s.trial
        assert t is not None
        if t.verdict == "committed":
            self._keep_baseline(t.version)
            if t.previous != t.version:
                self.layout.point("fallback", t.previous)
            self.layout.point("good", t.version)
            log.info("version %s committed", t.version)
        else:
            log.warning(
                "version %s rolled back to %s: %s: %s", t.version, t.previous, t.reason, t.detail
            )
            self.layout.point("current", t.previous)
            st.write_json(
                self.updates / "restart.json", {"version": t.previous, "at": self.clock()}
            )
        self._end_trial(s, t.verdict, t.reason, t.detail)
        if t.failed_at:
            s.history[-1]["failed_check_at"] = t.failed_at

    def _launches(self, version: str) -> int:
        """Starts of ``version`` the launcher logged (the app may die before Python)."""
        try:
            lines = (self.updates / "starts.log").read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return 0
        return sum(1 for line in lines if line.split()[-1:] == [version])

    def _end_trial(self, s: st.UpdaterState, result: str, reason: str, detail: str) -> None:
        s.trial = None
        (self.updates / "starts.log").unlink(missing_ok=True)
        if result == "committed":
            (self.updates / "restart.json").unlink(missing_ok=True)
        self._finish(s, result, reason, detail)
        keep = {v for v in (self.layout.get(n) for n in ("current", "good", "fallback")) if v}
        self.layout.prune(keep)

    def _finish(self, s: st.UpdaterState, result: str, reason: str, detail: str) -> None:
        s.state, s.phase, s.reason, s.detail = result, "", reason, detail[:500]
        if s.offer is not None:
            s.done_offers = [*s.done_offers, s.offer["offer_id"]][-50:]
        s.record(
            {
                "offer_id": (s.offer or {}).get("offer_id"),
                "version": s.version,
                "state": result,
                "reason": reason,
                "detail": detail[:200],
                "at": self.clock(),
            }
        )

    # ---- a technician's rollback ---------------------------------------------------------

    def rollback_by_hand(self) -> str:
        """Go back to the fallback version (or out of a trial to the good one); the
        version the kiosk will run. Raises LookupError when there is nothing to go to."""
        s = self.load()
        if s.trial is not None:
            target = s.trial.previous
            self._decide(s, "rolled_back", "manual", "a technician rolled back")
        else:
            target = self.layout.get("fallback") or ""
            good = self.layout.get("good")
            if not target or target == good:
                raise LookupError("no earlier good version is kept on this kiosk")
            self.layout.point("current", target)
            self.layout.point("good", target)
            if good is not None:
                self.layout.point("fallback", good)
            st.write_json(self.updates / "restart.json", {"version": target, "at": self.clock()})
            s.record(
                {
                    "version": target,
                    "state": "rolled_back",
                    "reason": "manual",
                    "detail": f"a technician went back from {good}",
                    "at": self.clock(),
                }
            )
        self.save(s)
        return target

    # ---- the report ----------------------------------------------------------------------

    def status(self, s: st.UpdaterState | None = None) -> dict[str, Any]:
        """``kiosk update status`` and the heartbeat's ``update`` field."""
        s = s or self.load()
        good, current = self.layout.get("good"), self.layout.get("current")
        last = s.history[-1] if s.history else None
        return {
            "current": current,
            "good": good,
            "previous": self.layout.get("fallback"),
            "installed": self.layout.installed(),
            "offer_id": (s.offer or {}).get("offer_id"),
            "version": s.version or None,
            "state": s.state,
            "phase": s.phase or None,
            "reason": s.reason or None,
            "detail": s.detail or None,
            "progress": s.progress or None,
            "trial": None
            if s.trial is None
            else {
                "version": s.trial.version,
                "previous": s.trial.previous,
                "started_at": s.trial.started_at or None,
            },
            "last_result": last,
            "at": s.at,
        }


def _add(progress: dict[str, int], n: int) -> None:
    progress["bytes"] = progress.get("bytes", 0) + n


def newer(a: str, b: str) -> bool:
    return Version(a) > Version(b)
