"""The kiosk's screens: the only place Kivy is imported.

Screens are handed the core's typed interface (:mod:`screens.core`), render the current
flow's step (:mod:`screens.routes` says which screen shows which step) and forward what
the citizen does as intents; they never touch a device.
"""
