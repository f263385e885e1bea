"""The provincial platform: its API (openapi.yaml), the client, and the sandbox.

Never name anything here ``platform``: it would shadow the standard library module.
"""

from kiosk.upstream.client import HttpPlatformClient, PlatformClient
from kiosk.upstream.errors import (
    AuthError,
    IdempotencyConflict,
    PlatformError,
    PlatformRejected,
    PlatformUnavailable,
)
from kiosk.upstream.models import (
    Agent,
    Applicant,
    Application,
    CaseState,
    CaseStatus,
    Channel,
    MaterialRef,
    Receipt,
    UploadInfo,
)
from kiosk.upstream.retry import Backoff

__all__ = [
    "Agent",
    "Applicant",
    "Application",
    "AuthError",
    "Backoff",
    "CaseState",
    "CaseStatus",
    "Channel",
    "HttpPlatformClient",
    "IdempotencyConflict",
    "MaterialRef",
    "PlatformClient",
    "PlatformError",
    "PlatformRejected",
    "PlatformUnavailable",
    "Receipt",
    "UploadInfo",
]
