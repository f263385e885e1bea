"""``kiosk demo``: whole journeys scripted through the real screens on a virtual
display, with screenshots and the paper rendered (:mod:`terminal.demo.run`); the
journeys themselves are in :mod:`terminal.demo.journeys`."""
