"""The kiosk core: settings, catalogue, session, flows, outbox. Never imports Kivy."""

__version__ = "0.1.0"
