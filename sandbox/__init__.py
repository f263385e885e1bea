"""The sandbox platform: the platform API on loopback with its own SQLite database and a
simulated department review. The kiosk's embedded default and every test's other end."""

from sandbox.app import SandboxPlatform, serve, shared_token_for
from sandbox.faults import Faults
from sandbox.review import ReviewPolicy

__all__ = ["Faults", "ReviewPolicy", "SandboxPlatform", "serve", "shared_token_for"]
