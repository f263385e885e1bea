"""The kiosk's domain core: what a citizen's visit is, independent of screen and wiring.

Settings, the catalogue, the session, the flows (step machines) and the effects they ask
for, intake (save → receipt → send), the outbox, the platform client, receipts, staff,
maintenance rules, masking and tracking. It imports devices/ and nothing above it: no
Kivy, no screen, no terminal, no fleet agent, no stand-in platform, no simulator
(tests/test_layering.py).
"""

__version__ = "0.1.0"
