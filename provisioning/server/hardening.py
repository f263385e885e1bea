"""Headers every answer of the fleet server carries, whatever route made it.

``X-Content-Type-Options: nosniff`` (a browser never guesses a type, so an uploaded text
cannot run as script), ``Referrer-Policy: same-origin`` (console links do not leak ids to
other sites), and over TLS ``Strict-Transport-Security`` (a browser that met the server
once never falls back to plain HTTP). uvicorn sends no ``Server`` header (serving.py).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS = b"max-age=31536000"
ALWAYS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(ALWAYS)
        if scope.get("scheme") == "https":
            extra.append((b"strict-transport-security", HSTS))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in extra if k not in have
                ]
            await send(message)

        await self.app(scope, receive, sending)
