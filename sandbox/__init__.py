"""The stand-in provincial platform, an application of its own: the platform API
(kiosk/upstream/openapi.yaml) on loopback with its own SQLite database and a simulated
department review, and a fault proxy for the tests. The kiosk's embedded default and
every test's other end; it shares only the API's wire models and a few pure rules with
the kiosk (tests/test_layering.py)."""

from sandbox.app import SandboxPlatform, serve, shared_token_for
from sandbox.faults import Faults
from sandbox.review import ReviewPolicy

__all__ = ["Faults", "ReviewPolicy", "SandboxPlatform", "serve", "shared_token_for"]
