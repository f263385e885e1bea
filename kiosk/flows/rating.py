"""The 好差评 steps every flow that ends a matter shares: RATING, and COMPOSE for a bad
rating's own words.

Five levels, nothing preselected. A rating of 2 (不满意) or 1 (非常不满意) must say what
went wrong, by a choice or in the citizen's own words (GB/T 39734-2020 annex A); the
platform refuses it otherwise, and a refused rating would be lost.
"""

from __future__ import annotations

from kiosk.flows.base import Intent, Invalid, Next, Rated, Step, Transition
from kiosk.flows.effects import SendRating
from kiosk.flows.intents import TextEntered, WriteComment

BAD_RATING_MAX = 2
COMMENT_MAX = 300


class RatingSteps:
    """Mixin for a :class:`kiosk.flows.machine.StepMachine` with ``session``."""

    rating_level = 0  # chosen so far (kept while the citizen writes a comment)
    comment = ""

    def _on_rating(self, intent: Intent) -> Transition:
        if isinstance(intent, WriteComment):
            if not 1 <= intent.level <= BAD_RATING_MAX:
                return Invalid({"level": "rating.error.level"})
            self.rating_level = intent.level
            return Next(Step.COMPOSE)
        if not isinstance(intent, Rated):
            return self._refuse(intent)  # type: ignore[attr-defined,no-any-return]
        if not 1 <= intent.level <= 5:
            return Invalid({"level": "rating.error.level"})
        comment = (intent.comment or self.comment).strip()
        if intent.level <= BAD_RATING_MAX and not (intent.reasons or comment):
            self.rating_level = intent.level
            return Invalid({"reasons": "rating.error.reason"})
        self.session.rating = intent.level  # type: ignore[attr-defined]
        return Next(Step.DONE, effect=SendRating(intent.level, tuple(intent.reasons), comment))

    def _on_compose(self, intent: Intent) -> Transition:
        if not isinstance(intent, TextEntered):
            return self._refuse(intent)  # type: ignore[attr-defined,no-any-return]
        self.comment = intent.text.strip()[:COMMENT_MAX]
        return Next(Step.RATING)

    def compose_spec(self) -> tuple[str, str, int, int]:
        """(title key, text so far, minimum, maximum length) for the compose screen."""
        return "rating.comment_title", self.comment, 0, COMMENT_MAX
