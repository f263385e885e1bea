"""Server-side fault injection for the sandbox: answer 503/429 instead of working, close
the connection before working, or do the work and then close without answering (the
"lost response" that makes idempotency keys necessary, research/fleet.md §B7).

Seeded, so a failing run repeats. Network-level faults (resets, stalls, slow links, cuts
mid-chunk) live in faultproxy.py.
"""

from __future__ import annotations

import dataclasses as dc
import random
import threading
from collections.abc import Callable

ACTIONS = ("status", "drop_before", "drop_after")


class Dropped(Exception):
    """Close the connection without an answer."""


@dc.dataclass
class FaultRule:
    action: str
    method: str | None = None
    path_prefix: str = "/"
    count: int = 1  # -1: until cleared
    status: int = 503
    retry_after: str | None = None
    probability: float = 1.0
    hook: Callable[[], None] | None = None  # run when the rule fires (the kill test's SIGKILL)


class Faults:
    """Rules consulted by the dispatcher before and after each request."""

    def __init__(self, seed: int = 0) -> None:
        self._rules: list[FaultRule] = []
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.fired: list[tuple[str, str, str]] = []  # (action, method, path)

    def add(
        self,
        action: str,
        *,
        method: str | None = None,
        path_prefix: str = "/",
        count: int = 1,
        status: int = 503,
        retry_after: str | None = None,
        probability: float = 1.0,
        hook: Callable[[], None] | None = None,
    ) -> FaultRule:
        if action not in ACTIONS:
            raise ValueError(f"unknown fault action {action!r}")
        rule = FaultRule(action, method, path_prefix, count, status, retry_after, probability, hook)
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def take(self, method: str, path: str, phase: str) -> FaultRule | None:
        """The rule that fires for this request in ``phase`` ("before" or "after")."""
        wanted = ("drop_after",) if phase == "after" else ("status", "drop_before")
        with self._lock:
            for rule in self._rules:
                if rule.action not in wanted or not path.startswith(rule.path_prefix):
                    continue
                if rule.method is not None and rule.method != method:
                    continue
                if rule.count == 0 or self._rng.random() >= rule.probability:
                    continue
                if rule.count > 0:
                    rule.count -= 1
                self.fired.append((rule.action, method, path))
                break
            else:
                return None
        if rule.hook is not None:
            rule.hook()
        return rule
