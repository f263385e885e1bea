"""The voice of the screens: what the current screen says, as soon as it shows it.

On arriving at a screen the voice says all of it: the screen's sentences
(:meth:`~screens.base.KioskScreen.spoken`: its prompt, the outcome of the step, an error
and what to do next, the list of materials) and then the choices on it. While the
citizen stays, whatever the screen newly shows is said as it appears (a payment code that
expired, a receipt that printed after all, the choices of the next form field), and the
same choices are not offered twice. kiosk/speech.py drops any sentence with personal data.

The choices are read off the screen itself: every button the citizen can press now
(visible, enabled), but for the header's (the same on every screen), the keypads' keys
and candidates, and buttons marked ``private`` because their text is the citizen's own
(a form field showing its answer).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from kivy.clock import Clock
from kivy.uix.widget import Widget

from kiosk.speech import choices_sentence, speakable, utterance
from screens.base import KioskScreen
from screens.core import KioskCore
from screens.navigator import Navigator
from screens.widgets import KButton, Tile, shown

log = logging.getLogger(__name__)
HEADER = frozenset({"back", "lang", "elderly", "finish"})
NOT_CHOICES = ("key-", "cand-", "punct-")  # keypads and pinyin candidates


def _walk(widget: Widget) -> Iterator[Widget]:
    yield widget
    for child in reversed(widget.children):  # Kivy keeps children last-added first
        yield from _walk(child)


def choices(screen: KioskScreen) -> list[str]:
    """The labels of the buttons the citizen can press on ``screen`` now, top to bottom."""
    found = []
    for widget in _walk(screen):
        if not isinstance(widget, KButton | Tile):
            continue
        tid = str(widget.tid)
        if not tid or tid in HEADER or tid.startswith(NOT_CHOICES) or widget.private:
            continue
        text = str(widget.title if isinstance(widget, Tile) else widget.text)
        if text.strip() and shown(widget, screen):
            found.append(" ".join(text.split()))
    return found


class Announcer:
    """Says what the current screen shows that has not been said since arriving there."""

    def __init__(self, core: KioskCore, nav: Navigator) -> None:
        self.core, self.nav = core, nav
        self._screen = ""
        self._heard: set[str] = set()
        self._offered: set[str] = set()
        self._soon = Clock.create_trigger(lambda _dt: self.announce())

    def arrived(self) -> None:
        """A new screen (or the same one in another language): say all of it, next frame,
        once it has drawn what it shows."""
        self._screen = ""
        self._soon()

    def changed(self) -> None:
        """The screen may show something new (a flow's step was taken)."""
        self._soon()

    def sentences(self, screen: KioskScreen) -> tuple[list[str], str]:
        """What ``screen`` would say now: its own sentences, and the sentence of its
        choices (before the check for personal data)."""
        app = screen.app
        offered = choices_sentence(
            app.tr("voice.choices"), app.tr("voice.more_choices"), choices(screen), app.lang
        )
        return [s for s in screen.spoken() if s.strip()], offered

    def announce(self) -> None:
        """Say what is new on the current screen: everything on arriving; then what it
        did not show a moment ago, and choices not offered since arriving (a button that
        reads "busy" for a moment does not make the others news again)."""
        screen = self.nav.current_screen
        own, offered = self.sentences(screen)
        session = self.core.sessions.current
        said, kept = speakable(own, session), "".join(speakable([offered], session))
        withheld = len(said) < len(own) or kept != offered
        offered = kept
        if screen.name != self._screen:
            self._screen, self._heard, self._offered = screen.name, set(), set()
        new = [s for s in said if s not in self._heard]
        if offered and offered not in self._offered:
            new.append(offered)
            self._offered.add(offered)
        self._heard = set(said)
        if not new:
            return
        if withheld:  # a screen asked to say something personal: a bug to fix there
            log.warning("the %s screen's voice left out a sentence with personal data", screen.name)
        self.core.voice.say(utterance(new, screen.app.lang), screen.app.lang)

    def forget(self) -> None:
        """The session ended: nothing of it is kept."""
        self._screen, self._heard, self._offered = "", set(), set()
