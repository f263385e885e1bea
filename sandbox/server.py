"""The sandbox's HTTP protocol: webstack's (uvicorn's httptools protocol, answering a
request its parser refuses with a problem document), and ``bianmin.drop`` in each
request's scope, which aborts its connection (an injected "no answer" fault).

``serve_options`` are the uvicorn settings the platform runs on webstack's ServerThread.
"""

from __future__ import annotations

from typing import Any

from sandbox.web import DROP
from sandbox.wire import PROBLEMS
from webstack.serving import QUIET, ProblemProtocol


class SandboxProtocol(ProblemProtocol):
    problem_types = PROBLEMS

    def on_headers_complete(self) -> None:
        self.scope["extensions"] = {DROP: self._drop}  # type: ignore[dict-item]  # ours
        super().on_headers_complete()

    def _drop(self) -> None:
        self.transport.abort()


def serve_options() -> dict[str, Any]:
    """uvicorn's settings for the sandbox (the application aside)."""
    return QUIET | {"http": SandboxProtocol, "timeout_keep_alive": 30, "backlog": 1024}
