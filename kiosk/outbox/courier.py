"""Sending queued ratings and complaints (messages.py) to the platform.

A message that rates or names a case goes out with the platform's case number: the
kiosk's provisional number is looked up in the outbox, and the message waits while that
application has no case number yet. A number the outbox does not know came from the
platform already (a case looked up at this kiosk) and is used as it is.
"""

from __future__ import annotations

import dataclasses as dc
import logging
from collections.abc import Callable
from typing import Any

from kiosk.outbox.messages import Message
from kiosk.upstream.errors import AuthError, PlatformRejected, PlatformUnavailable
from kiosk.upstream.fields import FieldError
from kiosk.upstream.retry import Backoff
from kiosk.upstream.service_models import Complaint, Rating

log = logging.getLogger(__name__)

WAIT_FOR_CASE = 30.0  # seconds before asking again whether the case has its number


@dc.dataclass
class Delivery:
    sent: int = 0
    rejected: int = 0
    waiting: int = 0
    error: str | None = None  # the platform is down (the pass stopped)


def case_number(outbox: Any, ref: str | None) -> str | None:
    """The platform's number for ``ref`` (None while it has none yet)."""
    if ref is None:
        return None
    status = outbox.lookup(ref)
    if status is None:
        return ref
    return status.case_no  # type: ignore[no-any-return]


def send_one(outbox: Any, client: Any, msg: Message) -> str | None:
    """Send ``msg``; its platform id, or None when it must wait for its case number."""
    case_no = case_number(outbox, msg.case_ref)
    if msg.case_ref is not None and case_no is None:
        return None
    if msg.kind == "rating":
        rating = Rating.from_json(msg.body | {"case_no": case_no})
        return client.rate(rating, idem_key=f"{msg.idem_key}.rate")  # type: ignore[no-any-return]
    body = msg.body | ({"case_no": case_no} if case_no else {})
    return client.complain(Complaint.from_json(body), idem_key=f"{msg.idem_key}.complain")  # type: ignore[no-any-return]


def deliver(
    outbox: Any,
    client: Any,
    backoff: Backoff,
    rand: Callable[[], float],
    *,
    force: bool = False,
    stopping: Callable[[], bool] = lambda: False,
) -> Delivery:
    """One pass over the due messages, oldest first."""
    messages = outbox.messages
    report = Delivery()
    for msg in messages.due(force=force):
        if stopping():
            break
        try:
            remote = send_one(outbox, client, msg)
        except (PlatformUnavailable, AuthError) as exc:
            delay = backoff.delay(messages.attempts(msg.seq), rand)
            messages.schedule_retry(msg.seq, messages.clock() + delay, exc.code)
            report.error = exc.code
            break
        except (PlatformRejected, FieldError) as exc:
            code = getattr(exc, "code", "invalid")
            log.warning("outbox: %s %s refused: %s", msg.kind, msg.reference, code)
            messages.mark_rejected(msg.seq, code)
            report.rejected += 1
            continue
        if remote is None:
            messages.schedule_retry(msg.seq, messages.clock() + WAIT_FOR_CASE, "waiting_for_case")
            report.waiting += 1
            continue
        messages.mark_sent(msg.seq, remote)
        log.info("outbox: %s %s sent as %s", msg.kind, msg.reference, remote)
        report.sent += 1
    return report
