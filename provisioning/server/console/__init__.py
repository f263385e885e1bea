"""The web console: server-rendered pages in Chinese for admins."""

from __future__ import annotations

from provisioning.server.routes import Route

ROUTES: tuple[Route, ...] = ()
