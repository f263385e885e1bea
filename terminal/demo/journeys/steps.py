"""Steps the handling modes' journeys share: find a matter by pinyin and start it in a
mode, answer a form, render the last printed paper to PNG, leave at the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.flows.start import offered_modes
from terminal.demo.script import pick_candidate, shoot
from terminal.harness import simulation_of


class Trip:
    """One journey's pilot, output folder and the screens passed through."""

    def __init__(self, app: Any, pilot: Any, out: Path | None) -> None:
        self.app, self.pilot, self.out = app, pilot, out
        self.shots: list[str] = []

    def shoot(self, name: str) -> None:
        shoot(self.pilot, self.out, name, self.shots)

    def shoot_elderly(self, name: str) -> None:
        """The same screen in elderly mode (larger text and targets), then back."""
        self.pilot.tap("elderly")
        self.pilot.step(3)
        self.shoot(f"{name}-elderly")
        self.pilot.tap("elderly")
        self.pilot.step(3)

    def wait(self, screen: str, timeout: float | None = None) -> None:
        self.pilot.wait_screen(screen, timeout)

    def open_matter(self, query: str, code: str) -> None:
        """Attract → home → search by pinyin → the matter's guide."""
        pilot = self.pilot
        self.wait("attract")
        pilot.tap("start")
        self.wait("home")
        pilot.tap("search")
        self.wait("search")
        pilot.type(query)
        pilot.wait_until(lambda: pilot.find(f"result-{code}"), f"search result {code}")
        pilot.tap(f"result-{code}")
        self.wait("matter")
        self.shoot("matter")

    def start(self, code: str, mode: str) -> None:
        """Tap the matter's start button for ``mode``."""
        matter = self.app.core.catalogue.get(code)
        first = offered_modes(matter)[0]
        self.pilot.tap("apply" if mode == first else f"apply-{mode}")

    def identify(self, card: str = "elder") -> None:
        self.wait("identity")
        self.shoot("identity")
        simulation_of(self.app).lay_test_card(card)
        self.pilot.wait_until(lambda: self.app.session.identity is not None, "identity read")

    def fill(self, answers: dict[str, Any]) -> None:
        """``answers``: key → a choice value (str), digits to type ("#13800138000"), or
        [(pinyin, character), …] for Chinese text."""
        pilot = self.pilot
        for key, answer in answers.items():
            pilot.tap(f"field-{key}")
            if isinstance(answer, list):
                for letters, char in answer:
                    pilot.type(letters)
                    pick_candidate(pilot, char)
            elif answer.startswith("#"):
                pilot.type(answer[1:])
            else:
                pilot.tap(f"choice-{answer}")

    def paper(self, name: str) -> str | None:
        """The printer's last job rendered to ``name``.png (what the citizen took away)."""
        if self.out is None:
            return None
        path = self.out / f"{name}.png"
        return path.name if simulation_of(self.app).render_last_job(path) else None

    def rate_and_finish(self, level: int = 5) -> None:
        self.wait("rating")
        self.shoot("rating")
        self.pilot.tap(f"rate-{level}")
        self.finish()

    def finish(self) -> None:
        self.wait("done")
        self.shoot("done")
        self.pilot.tap("done-finish")
        self.wait("attract")

    def printed_text(self) -> str:
        job = simulation_of(self.app).last_job()
        return "\n".join(job.lines) if job is not None else ""

    def jobs(self) -> int:
        return simulation_of(self.app).printed_jobs()
