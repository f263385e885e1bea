"""Two kiosks (real runtimes on simulated devices, each with its embedded platform) serve
scripted citizens; their agents send the hour's usage to a fleet server on loopback
(tests/support/usage_fleet.py), and what arrives is what the journeys did: served,
completed, abandoned at a known step, ratings, a complaint, the paper printed."""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.flows import base
from kiosk.flows.base import Next, Step
from kiosk.flows.complaint import ComplaintFlow
from kiosk.flows.effects import FileComplaint, SendRating, SubmitApplication
from kiosk.flows.intents import Choose, PhoneEntered, TextEntered
from kiosk.flows.promised import PromisedFlow
from kiosk.session import EndReason
from kiosk.settings import load_settings, with_overrides
from provisioning.agent import Agent
from terminal.fleet import kiosk_agent
from terminal.runtime import Runtime
from tests.support import FakeClock
from tests.support.allowance import ALLOWANCE, ANSWERS, CITIZEN, scanned_page
from tests.support.closing import closing_all
from tests.support.usage import CST, WallClock, rows, total
from tests.support.usage_fleet import UsageFleet

START = dt.datetime(2026, 1, 5, 9, 5, tzinfo=CST)


@dc.dataclass
class Kiosk:
    runtime: Runtime
    agent: Agent
    clock: FakeClock

    @classmethod
    def start(cls, state_dir: Path, station: str, wall: WallClock, **agent: Any) -> Kiosk:
        """A kiosk core of ``station`` on ``state_dir``, its usage hours read from
        ``wall``, and its fleet agent (``agent``: kiosk_agent's options), not enrolled."""
        settings = with_overrides(
            load_settings(),
            paths={"state_dir": str(state_dir)},
            ui={"voice": False},
            site={"station_id": station},
        )
        clock = FakeClock(1_000.0)
        runtime = Runtime.start(settings, start_pump=False, clock=clock)
        runtime.usage.now = wall  # the hours the test decides
        return cls(runtime, kiosk_agent(settings.state_dir, usage=runtime.usage, **agent), clock)

    def close(self) -> None:
        self.agent.close()
        self.runtime.close()

    def run(self, effect: Any) -> Any:
        session = self.runtime.sessions.current
        outcome = self.runtime.effects.run(effect, session)
        return None if outcome is None else session.flow.handle(outcome)

    def apply(self, *, until: Step = Step.DONE, rating: base.Rated | None = None) -> None:
        """A citizen lays their card and applies for 高龄津贴, 20 s at each step, as far
        as ``until``; then rates."""
        rt = self.runtime
        rt.sessions.begin()  # as the app does on leaving the attract screen
        session = rt.sessions.current
        session.identity = CITIZEN
        flow = PromisedFlow(session, rt.catalogue.get(ALLOWANCE))
        said: dict[Step, Any] = {Step.NOTICE: base.NoticeAccepted(),
                                 Step.FORM: base.FormSubmitted(ANSWERS),
                                 Step.RECEIPT: base.Continue()}  # fmt: skip
        while flow.step is not until:
            self.clock.advance(20)
            if flow.step is Step.MATERIALS:
                if flow.current_material.required:
                    flow.handle(base.PageCaptured(scanned_page(flow.current_material.code)))
                flow.handle(base.NextMaterial())
            elif flow.step is Step.REVIEW:
                assert isinstance(flow.handle(base.ReviewConfirmed()).effect, SubmitApplication)
                assert self.run(SubmitApplication()) == Next(Step.RECEIPT)
            elif flow.step is Step.RATING:
                assert rating is not None
                result = flow.handle(rating)
                assert isinstance(result, Next) and isinstance(result.effect, SendRating)
                self.run(result.effect)
            else:
                flow.handle(said[flow.step])

    def complain(self) -> None:
        rt = self.runtime
        rt.sessions.begin()
        flow = ComplaintFlow(rt.sessions.current)
        flow.handle(Choose("service_attitude"))
        flow.handle(TextEntered("窗口工作人员态度不好"))
        flow.handle(PhoneEntered(""))
        assert self.run(FileComplaint()) == Next(Step.TICKET)
        flow.handle(base.Continue())


@pytest.fixture
def fleet(tmp_path: Path) -> Iterator[tuple[UsageFleet, WallClock]]:
    wall = WallClock(START)
    server = UsageFleet(matters={ALLOWANCE}, now=wall).start()
    yield server, wall
    server.stop()


@pytest.fixture
def kiosks(tmp_path: Path, fleet: tuple[UsageFleet, WallClock]) -> Iterator[list[Kiosk]]:
    server, wall = fleet
    with closing_all(Kiosk.start) as start:
        made: list[Kiosk] = []
        for station in ("s-0001", "s-0002"):
            kiosk = start(tmp_path / station, station, wall)
            server.enroll(kiosk.agent, site_id=station)
            made.append(kiosk)
        yield made


def test_what_the_fleet_receives_is_what_the_journeys_did(
    kiosks: list[Kiosk], fleet: tuple[UsageFleet, WallClock]
) -> None:
    server, wall = fleet
    one, two = kiosks
    one.apply(rating=base.Rated(5))
    one.runtime.sessions.end(EndReason.FINISHED)
    one.apply(until=Step.FORM)  # walks away at the form
    one.clock.advance(60)
    one.runtime.sessions.end(EndReason.TIMEOUT)
    two.complain()
    two.runtime.sessions.end(EndReason.FINISHED)
    two.apply(rating=base.Rated(2, ("efficiency",)))
    two.runtime.sessions.end(EndReason.CARD_REMOVED)  # took the card at once: done anyway

    for kiosk in kiosks:  # still 09:xx: nothing is sent before the hour has ended
        assert kiosk.agent.sync_once()["usage"]["sent"] == 0
    wall.advance(hours=1)
    for kiosk in kiosks:
        assert kiosk.agent.sync_once()["usage"] == {"sent": 1, "refused": [], "kept": 0}

    (first,) = server.batches(one.agent.key.device_id)
    (second,) = server.batches(two.agent.key.device_id)
    assert first["hour"] == second["hour"] == "2026-01-05T09:00:00+08:00"
    journey = {"flow": "promised", "matter": ALLOWANCE}

    assert total([first], "sessions_started") == 2  # served
    assert total([first], "journeys_started", **journey) == 2
    assert total([first], "journeys_completed", **journey) == 1
    assert rows([first], "journeys_abandoned") == {
        tuple(sorted({**journey, "step": "form", "reason": "timeout"}.items())): 1
    }
    assert rows([first], "ratings") == {tuple(sorted({**journey, "level": 5}.items())): 1}
    assert total([first], "steps_reached", step="receipt") == 1
    assert total([first], "steps_reached", step="form") == 2  # the funnel narrows after it
    assert total([first], "step_seconds", step="form", **journey) == 20 + 60
    assert total([first], "prints", result="printed") == 1  # the receipt
    assert total([first], "identity_proven", method="id_card") == 2
    assert rows([first], "sessions_ended") == {
        (("reason", "finished"),): 1,
        (("reason", "timeout"),): 1,
    }

    assert total([second], "sessions_started") == 2
    assert rows([second], "complaints_filed") == {(("category", "service_attitude"),): 1}
    assert total([second], "journeys_completed", flow="complaint") == 1
    assert total([second], "journeys_completed", **journey) == 1
    assert total([second], "journeys_abandoned") == 0
    assert rows([second], "ratings") == {tuple(sorted({**journey, "level": 2}.items())): 1}
    assert total([second], "prints", result="printed") == 2  # the complaint slip, a receipt
    assert total([second], "identity_proven") == 1  # the complaint needed nobody's card

    # a resend of the same hours (the answers lost, say) changes nothing
    for kiosk in kiosks:
        with kiosk.runtime.usage.store.db.tx() as conn:
            conn.execute("UPDATE batches SET state = 'pending'")
        assert kiosk.agent.sync_once()["usage"]["sent"] == 1
    assert len(server.stored) == 2
