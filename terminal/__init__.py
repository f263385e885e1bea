"""The terminal: a kiosk assembled from the core, the devices and the screens.

The ``kiosk`` command (:mod:`terminal.cli`, :mod:`terminal.commands`), the runtime
wiring (:mod:`terminal.runtime`: devices, platform link, outbox, staff, fleet agent,
health, control socket), the operating system's side (:mod:`terminal.system`), and the
scripted demo journeys a technician runs as a self-test (:mod:`terminal.demo`).
"""
