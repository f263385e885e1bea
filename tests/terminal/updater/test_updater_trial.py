"""After the switch: the new version proves itself and is committed, or the kiosk goes
back by itself and says why; a decision cut by a kill is carried out on the next step."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from terminal.updater import state as st
from terminal.updater.layout import Layout
from terminal.updater.proof import CHECKS
from terminal.updater.service import Updater
from tests.terminal.updater.conftest import updater_for

NIGHT = dt.datetime(2026, 3, 2, 2, 30)
NOON = dt.datetime(2026, 3, 2, 12, 0)


def installed(kiosk: Layout, now: list[float], local: dt.datetime = NIGHT) -> Updater:
    """0.2.0 installed and waiting; an updater whose clocks the test turns."""
    (kiosk.venv("0.2.0") / "bin").mkdir(parents=True)
    kiosk.mark_complete("0.2.0")
    updater = updater_for(
        kiosk,
        hours="01:00-05:00",
        prove_within_s=600,
        clock=lambda: now[0],
        local_now=lambda: local,
    )
    offer = {
        "offer_id": "o-1",
        "version": "0.2.0",
        "repository": "http://127.0.0.1:9/",
        "downgrade": False,
    }
    st.write_json(updater.updates / "offer.json", offer)
    st.save(updater.state_file, st.UpdaterState(offer=offer, state="installed", version="0.2.0"))
    return updater


def prove(updater: Updater, now: float, **checks: bool) -> None:
    st.write_json(
        updater.updates / "proof.json",
        {
            "version": "0.2.0",
            "pid": os.getpid(),
            "starts": 1,
            "started_at": now,
            "checks": {
                c: {"ok": ok, "detail": "" if ok else "printer offline"} for c, ok in checks.items()
            },
        },
    )


def restart_asked(updater: Updater) -> str | None:
    doc = st.read_json(updater.updates / "restart.json")
    return None if doc is None else str(doc["version"])


def rolled_back(kiosk: Layout, updater: Updater) -> st.UpdaterState:
    """The next step, which must go back to 0.1.0; its state, to read why."""
    s = updater.step()
    assert s.state == "rolled_back" and kiosk.get("current") == "0.1.0", s
    return s


def test_a_version_that_proves_itself_is_committed(kiosk: Layout) -> None:
    now = [1000.0]
    updater = installed(kiosk, now)
    updater.step()
    assert kiosk.get("current") == "0.2.0" and kiosk.get("good") == "0.1.0"
    assert restart_asked(updater) == "0.2.0"  # the app restarts onto it when idle
    updater.step()
    assert updater.load().trial is not None  # not started yet: nothing to judge
    prove(updater, 1010.0, attract=True, devices=True, outbox=True)
    updater.step()
    assert updater.load().state == "installed"  # the fleet not reached yet
    prove(updater, 1010.0, **dict.fromkeys(CHECKS, True))
    s = updater.step()
    assert (s.state, s.trial) == ("committed", None)
    assert (kiosk.get("current"), kiosk.get("good"), kiosk.get("fallback")) == (
        "0.2.0",
        "0.2.0",
        "0.1.0",
    )
    assert restart_asked(updater) is None
    status = json.loads((updater.updates / "status.json").read_text())
    assert status["last_result"]["state"] == "committed" and status["previous"] == "0.1.0"


def test_a_failed_health_check_rolls_back_and_says_why(kiosk: Layout) -> None:
    now = [1000.0]
    updater = installed(kiosk, now)
    updater.step()
    prove(updater, 1005.0, attract=True, devices=False, outbox=True)
    s = rolled_back(kiosk, updater)
    assert s.reason == "health_failed" and "devices: printer offline" in s.detail
    assert kiosk.get("current") == kiosk.get("good") == "0.1.0"
    assert restart_asked(updater) == "0.1.0"  # the running bad version restarts back
    assert kiosk.installed() == ["0.1.0"]  # the bad version's folder is gone
    updater.step()
    assert kiosk.get("current") == "0.1.0"  # the same offer is not tried again


def test_a_crash_looping_version_never_commits(kiosk: Layout) -> None:
    now = [1000.0]
    updater = installed(kiosk, now)
    updater.step()
    # the launcher logs each start; this version dies before it writes any proof
    (updater.updates / "starts.log").write_text("".join(f"{1000 + i} 0.2.0\n" for i in range(4)))
    assert rolled_back(kiosk, updater).reason == "crash_loop"


def test_a_version_that_does_not_prove_itself_in_time_goes_back(kiosk: Layout) -> None:
    now = [1000.0]
    updater = installed(kiosk, now)
    updater.step()
    prove(updater, 1000.0, attract=True, devices=True, outbox=True)  # the fleet: silent
    now[0] = 1599.0
    assert updater.step().state == "installed"
    now[0] = 1601.0
    s = rolled_back(kiosk, updater)
    assert (s.reason, s.detail) == ("health_timeout", "not shown in time: fleet")


def test_a_new_version_waits_for_the_update_hours(kiosk: Layout) -> None:
    now = [1000.0]
    updater = installed(kiosk, now, local=NOON)
    s = updater.step()
    assert (s.state, s.phase) == ("installed", "waiting_for_hours")
    assert kiosk.get("current") == "0.1.0" and restart_asked(updater) is None


def test_hours_that_end_before_the_new_version_starts_undo_the_switch(kiosk: Layout) -> None:
    now = [1000.0]
    local = [NIGHT]
    updater = installed(kiosk, now)
    updater.local_now = lambda: local[0]
    updater.step()
    assert kiosk.get("current") == "0.2.0"
    local[0] = dt.datetime(2026, 3, 2, 5, 30)  # citizens all night long: never idle
    s = updater.step()
    assert (s.state, s.phase, s.trial) == ("installed", "waiting_for_hours", None)
    assert kiosk.get("current") == "0.1.0" and restart_asked(updater) is None


def test_a_decision_cut_by_a_kill_is_carried_out(kiosk: Layout) -> None:
    now = [1000.0]
    updater = installed(kiosk, now)
    updater.step()
    s = updater.load()
    assert s.trial is not None
    s.trial.verdict, s.trial.reason, s.trial.detail = "rolled_back", "health_failed", "x"
    st.save(updater.state_file, s)  # written down, then killed before the link moved
    assert rolled_back(kiosk, updater).reason == "health_failed"


def test_a_switch_cut_by_a_kill_is_finished(kiosk: Layout) -> None:
    now = [1000.0]
    updater = installed(kiosk, now)
    s = updater.load()
    s.trial = st.Trial("0.2.0", "0.1.0", 1000.0, require=list(CHECKS))
    st.save(updater.state_file, s)  # the trial on record, the link not moved yet
    updater.step()
    assert kiosk.get("current") == "0.2.0" and restart_asked(updater) == "0.2.0"


def test_a_technician_goes_back_to_the_version_before(kiosk: Layout) -> None:
    now = [1000.0]
    updater = installed(kiosk, now)
    updater.step()
    prove(updater, 1000.0, **dict.fromkeys(CHECKS, True))
    updater.step()
    assert kiosk.get("good") == "0.2.0"
    assert updater.rollback_by_hand() == "0.1.0"
    assert (kiosk.get("current"), kiosk.get("good"), kiosk.get("fallback")) == (
        "0.1.0",
        "0.1.0",
        "0.2.0",
    )
    assert restart_asked(updater) == "0.1.0"
    assert updater.load().history[-1]["reason"] == "manual"


def test_a_fresh_layout_and_broken_links_are_repaired(tmp_path: Path) -> None:
    layout = Layout(tmp_path / "opt")
    (layout.venv("0.1.0") / "bin").mkdir(parents=True)
    layout.mark_complete("0.1.0")
    layout.point("current", "0.1.0")
    (layout.versions / "0.2.0" / "venv").mkdir(parents=True)  # an install cut by a kill
    updater = Updater(layout, tmp_path / "updates")
    updater.step()
    assert layout.get("good") == "0.1.0"
    assert not (layout.versions / "0.2.0").exists()
    (tmp_path / "opt" / "current").unlink()
    os.symlink("versions/0.9.9", tmp_path / "opt" / "current")  # points at nothing complete
    updater.step()
    assert layout.get("current") == "0.1.0"


def test_an_offer_withdrawn_before_the_switch_is_dropped(kiosk: Layout) -> None:
    now = [1000.0]
    updater = installed(kiosk, now, local=NOON)  # waiting for the night
    updater.step()
    (updater.updates / "offer.json").unlink()  # the fleet paused the rollout: "update": null
    s = updater.step()
    assert (s.state, s.history[-1]["state"]) == ("idle", "withdrawn")
    assert kiosk.installed() == ["0.1.0"] and kiosk.get("current") == "0.1.0"
