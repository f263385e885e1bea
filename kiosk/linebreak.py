"""Chinese line breaking (禁则) for the screens: the rule paper follows too.

The rule itself is pure and lives at the bottom layer (devices/linebreak.py), where the
printer's layout uses it; the screens never import devices/, so they take it from here.
"""

from devices.linebreak import NO_LINE_END, NO_LINE_START, Fits, break_lines

__all__ = ["NO_LINE_END", "NO_LINE_START", "Fits", "break_lines"]
