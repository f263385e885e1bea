"""Steps the journeys (and the UI tests) share: find a matter by pinyin and start it in
a mode, answer a form, pick a pinyin candidate, type a case number into 办件查询, take a
picture of each screen, render the last printed paper to PNG, leave at the end."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.flows.start import offered_modes
from terminal.harness import simulation_of

if TYPE_CHECKING:
    from screens.pilot import Pilot


def shoot(pilot: Pilot, out: Path | None, name: str, shots: list[str]) -> None:
    shots.append(name)
    if out is not None:
        pilot.screenshot(out / f"{len(shots):02d}-{name}.png")


def pick_candidate(pilot: Pilot, text: str, pages: int = 6) -> None:
    """Tap the candidate showing ``text``, paging with "more" as a citizen would."""
    for _ in range(pages):
        for i in range(10):
            button = pilot.find(f"cand-{i}")
            if button is not None and button.text == text:
                pilot.tap(f"cand-{i}")
                return
        pilot.tap("cand-more")
    raise AssertionError(f"candidate {text!r} not offered")


def look_up_case(pilot: Pilot, number: str) -> None:
    """Search 办件查询 for ``number`` as a citizen would: digits on the pad, "ABC" for
    the letters of a station."""
    pilot.tap("key-clear")
    letters = False
    for char in number.upper():
        if char.isalpha() != letters:
            letters = char.isalpha()
            pilot.tap("key-ABC" if letters else "key-123")
        pilot.tap(f"key-{char}")
    if letters:
        pilot.tap("key-123")
    pilot.tap("tracking-search")


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

    def reach(self, screen: str, timeout: float | None = None) -> None:
        """Wait for ``screen``, then take its picture."""
        self.wait(screen, timeout)
        self.shoot(screen)

    def open_matter(self, query: str, code: str) -> None:
        """Attract → home → search by pinyin → the matter's guide."""
        self.wait("attract")
        self.pilot.tap("start")
        self.wait("home")
        self.find_matter(query, code)

    def find_matter(self, query: str, code: str) -> None:
        """From home: search by pinyin → the matter's guide."""
        pilot = self.pilot
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

    def apply(self, query: str, code: str, mode: str, card: str = "elder") -> None:
        """Find matter ``code`` by ``query``, start it in ``mode``, lay the test ``card``."""
        self.open_matter(query, code)
        self.start(code, mode)
        self.identify(card)

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

    def answer_form(self, answers: dict[str, Any]) -> None:
        """The form answered (see :meth:`fill`), on to the review screen."""
        self.wait("form")
        self.fill(answers)
        self.shoot("form")
        self.pilot.tap("form-next")
        self.reach("review")

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
