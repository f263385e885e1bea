"""The updater: new software versions installed A/B, proven healthy, or rolled back.

It runs apart from the kiosk app (``kiosk-updater``, its own systemd unit, started from
the last version that proved itself), so a broken app cannot stop the kiosk from
fixing itself. The fleet's agent (inside the app) only hands it an *offer*
(``updates/offer.json``) and carries its *report* (``updates/status.json``) back on the
heartbeat; everything else happens here:

    offer ─► fetch (TUF metadata; checks) ─► download (resumable, rate-limited, hashed)
          ─► install (a version folder with its own venv, offline from the wheels)
          ─► wait for the update hours ─► switch ``current`` (one rename)
          ─► the app restarts when no citizen is there ─► the new version proves itself
          ─► commit (``good``)  or  switch back and report why

layout.py (the folders and links), fetch.py (TUF and the download), install.py (the
venv), proof.py (what the app writes as it proves itself), service.py (the steps),
state.py (what is remembered), cli.py (``kiosk-updater``). docs/updates.md says what
the fleet server sends and receives.
"""
