"""A label that wraps by the Chinese line-breaking rules (禁则), for every screen.

Kivy wraps a line at spaces and, where there are none, wherever the width runs out: on
the payment screen "。" ended up alone on a line, and "App" came out as "A" / "pp".
:class:`BreakingLabel` breaks its text itself (kiosk/linebreak.py, the rule paper follows
too), measuring each line with its own font exactly as Kivy's layout measures it, and
hands Kivy lines that already fit: Kivy's own wrapping then never has to act. The text
property keeps what the screen set; only what is drawn is broken.

Labels that shorten (one line with an ellipsis) or use markup are left to Kivy.
"""

from __future__ import annotations

from kivy.uix.label import Label

from kiosk.linebreak import break_lines


class BreakingLabel(Label):
    """A :class:`~kivy.uix.label.Label` whose wrapped lines follow 禁则."""

    def texture_update(self, *largs: object) -> None:
        self._label.text = self.broken_text()
        super().texture_update(*largs)

    def broken_text(self) -> str:
        """The text as it is drawn: broken into lines that fit the label's width."""
        text: str = self.text
        width = self.text_size[0]
        if not text or width is None or width <= 0 or self.markup or self.shorten:
            return text
        core = self._label
        core.resolve_font_name()  # measure with the font the label will draw with
        padding = core.options["padding"]
        room = width - padding[0] - padding[2]
        extents = core.get_extents
        return "\n".join(break_lines(text, lambda line: extents(line)[0] <= room))
