"""Carrying the kiosk's hourly usage batches to the fleet server (docs/analytics.md).

The kiosk keeps the batches (durably, for as long as it is offline) and hands the agent
a :class:`UsageQueue`; each sync round, after the heartbeat, the agent posts the
waiting batches one by one, oldest first, to ``POST /v1/device/usage``:

- 2xx (``stored``, or ``duplicate`` for a resend after a cut): delivered;
- 400, 409, 413, 422 with the server's problem document: refused for good, kept by the
  kiosk with the server's code and detail, never sent again;
- anything else (no answer, 5xx, 429, 401/403, a server without the endpoint yet, a
  proxy's page): kept, and the round stops; the next round tries again.

Nothing in a batch is personal (the kiosk checks each one against its vocabulary before
handing it over); the agent only carries it.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from provisioning.agent.client import FleetClient
from provisioning.agent.errors import Refused, Unreachable

log = logging.getLogger(__name__)

USAGE_PATH = "/v1/device/usage"
PER_ROUND = 48  # two days of hours: a kiosk back from a long absence catches up in rounds
FINAL = frozenset({400, 409, 413, 422})  # the server refused this batch: do not send it again


class UsageQueue(Protocol):
    """The kiosk's side (kiosk.usage.UsageRecorder)."""

    def outgoing(self, limit: int) -> list[dict[str, Any]]:
        """Batches waiting for the fleet, oldest first, each already checked."""
        ...

    def delivered(self, bid: str) -> None: ...

    def refused(self, bid: str, code: str, detail: str) -> None: ...


def send_usage(client: FleetClient, queue: UsageQueue, limit: int = PER_ROUND) -> dict[str, Any]:
    """One round (see the module docstring); what happened, for the sync report."""
    report: dict[str, Any] = {"sent": 0, "refused": [], "kept": 0}
    batches = queue.outgoing(limit)
    for i, batch in enumerate(batches):
        bid = str(batch.get("batch_id", ""))
        try:
            client.call("POST", USAGE_PATH, batch)
        except Refused as exc:
            if exc.status in FINAL and not exc.code.startswith("http_"):
                queue.refused(bid, exc.code, exc.detail)
                report["refused"].append({"batch_id": bid, "code": exc.code})
                continue
            _stop(report, len(batches) - i, exc.code, exc.retry_after)
            break
        except Unreachable as exc:
            _stop(report, len(batches) - i, exc.code, 0.0)
            break
        queue.delivered(bid)
        report["sent"] += 1
    return report


def _stop(report: dict[str, Any], kept: int, code: str, retry_after: float) -> None:
    log.info("usage: %d batch(es) kept for the next round (%s)", kept, code)
    report.update(kept=kept, error=code)
    if retry_after:
        report["retry_after"] = retry_after
