"""The sandbox platform: the platform API on loopback with its own SQLite database and a
simulated department review. The kiosk's embedded default and every test's other end."""

from kiosk.upstream.sandbox.app import SandboxPlatform, serve, shared_token_for
from kiosk.upstream.sandbox.faults import Faults
from kiosk.upstream.sandbox.review import ReviewPolicy

__all__ = ["Faults", "ReviewPolicy", "SandboxPlatform", "serve", "shared_token_for"]
