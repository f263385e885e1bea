"""Hardware: protocols, drivers and wire-faithful simulators.

Nothing here imports ``kiosk``, ``screens`` or Kivy. Each ``devices/<kind>/`` is shaped
like a small library: ``protocol.py`` (pure bytes in, bytes out), ``driver.py`` (I/O
through an injected transport) and ``simulator.py`` (the same bytes from the other side).
"""
