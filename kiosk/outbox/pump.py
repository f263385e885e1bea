"""The pump: a background thread that sends queued submissions to the platform.

For each pending item, oldest first: the case number (if the fast path did not get
one), the application, then each attachment in bounded chunks. Every acknowledged step
is committed before the next request, so after a crash or a cut connection the pump
resumes exactly there; the platform's idempotency keys absorb the one step whose answer
was lost. When the platform is unreachable the pass stops and the pump waits with
capped exponential backoff and full jitter (``Retry-After`` honoured); a refusal marks
that one item *rejected* for staff and the queue moves on.

Give the pump a client whose own ``Backoff.attempts`` is small (1–2): the long waits
belong here, where ``stop()`` can interrupt them.
"""

from __future__ import annotations

import dataclasses as dc
import logging
import random
import threading
from collections.abc import Callable

from kiosk.outbox.courier import deliver
from kiosk.outbox.crypto import CryptoError
from kiosk.outbox.models import ItemStatus
from kiosk.outbox.progress import Part, Work, case_key
from kiosk.outbox.store import Outbox
from kiosk.upstream.client import CHUNK_SIZE, PlatformClient
from kiosk.upstream.errors import AuthError, PlatformRejected, PlatformUnavailable
from kiosk.upstream.retry import Backoff

log = logging.getLogger(__name__)

#: Rejections that are about where an upload stands, not about the submission.
_UPLOAD_RETRY_CODES = frozenset({"offset_mismatch", "checksum_mismatch", "upload_not_found"})


class _Stopped(Exception):
    pass


@dc.dataclass
class PassReport:
    """What one pass over the queue did (``kiosk outbox flush`` prints it)."""

    sent: int = 0
    rejected: int = 0
    failed: int = 0
    remaining: int = 0
    error: str | None = None
    messages_sent: int = 0  # ratings and complaints


class OutboxPump:
    """``on_change(status)`` runs on the pump thread after an item gets its case number,
    is sent or is rejected; hand it to the UI thread yourself."""

    def __init__(
        self,
        outbox: Outbox,
        client: PlatformClient,
        *,
        on_change: Callable[[ItemStatus], None] | None = None,
        backoff: Backoff | None = None,
        rand: Callable[[], float] = random.random,
        idle: float = 60.0,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        self.outbox, self.client = outbox, client
        self.progress = outbox.progress
        self._on_change = on_change
        self.backoff = backoff or Backoff(base=2.0, cap=300.0)
        self._rand, self._idle, self._chunk = rand, idle, chunk_size
        self._kick, self._stopping = threading.Event(), threading.Event()
        self._pass_lock = threading.Lock()  # one pass at a time: never two senders
        self._thread: threading.Thread | None = None
        self._pause_until = 0.0
        outbox.add_listener(self.kick)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="outbox-pump", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the current request; nothing acknowledged is lost."""
        self._stopping.set()
        self._kick.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def kick(self) -> None:
        """Send now (after an enqueue, or when the network is known to be back)."""
        self._pause_until = 0.0
        self._kick.set()

    def flush(self) -> PassReport:
        """Send everything pending now, retry times ignored (``kiosk outbox flush``).
        Waits for a pass the pump thread may be running, then makes its own."""
        report = self.run_once(force=True)
        self.kick()  # the thread recomputes its wait from what is left
        return report

    def run_once(self, force: bool = False) -> PassReport:
        """One pass over the due items; ``force`` ignores retry times."""
        with self._pass_lock:
            return self._pass(force)

    def _pass(self, force: bool) -> PassReport:
        report = PassReport()
        for seq in self.progress.due(force=force):
            if self._stopping.is_set():
                break
            try:
                self._send(self.progress.work(seq))
                report.sent += 1
            except (PlatformUnavailable, AuthError) as exc:
                report.failed += 1
                report.error = exc.code
                self._retry_later(seq, exc)
                break  # the platform is down, or this kiosk is refused: stop the pass
            except CryptoError as exc:  # this item only (wrong key file, damaged blob)
                log.error("outbox: seq %d cannot be opened: %s", seq, exc.code)
                report.failed += 1
                report.error = exc.code
                self._retry_later(seq, exc, pause=False)
            except PlatformRejected as exc:
                log.warning("outbox: seq %d rejected by the platform: %s", seq, exc.code)
                self.progress.mark_rejected(seq, exc.code)
                report.rejected += 1
                self._changed(seq)
            except _Stopped:
                break
        if report.error is None:  # the platform answers: ratings and complaints too
            sent = deliver(
                self.outbox,
                self.client,
                self.backoff,
                self._rand,
                force=force,
                stopping=self._stopping.is_set,
            )
            report.messages_sent = sent.sent
            report.error = sent.error
            if sent.error is not None:
                self._pause_until = self.outbox.clock() + self.backoff.delay(0, self._rand)
        report.remaining = self.outbox.depth()
        return report

    # -- one item -------------------------------------------------------------------------

    def _send(self, work: Work) -> None:
        fp = self.outbox.failpoint
        if work.case_no is None:
            app = work.application
            case_no = self.client.issue_case(
                case_key(work.idem_key),
                app.matter_code,
                region_code=app.region_code,
                promised_days=app.promised_days,  # so a replay to the receipt has the date
            ).case_no
            fp("pump.case_no.answered")
            self.progress.set_case_no(work.seq, case_no)
            work = self.progress.work(work.seq)  # the UI's fast path may have set it first
            self._changed(work.seq)
        assert work.case_no is not None
        if not work.app_acked:
            app = dc.replace(work.application, case_no=work.case_no)
            self.client.submit_application(app, f"{work.idem_key}.app")
            fp("pump.app.answered")
            self.progress.mark_app_acked(work.seq)
        for part in work.parts:
            if not part.done:
                self._upload(work, work.case_no, part)
        fp("pump.before_mark_sent")
        self.progress.mark_sent(work.seq)
        log.info("outbox: %s sent as %s", work.provisional_no, work.case_no)
        self._changed(work.seq)

    def _upload(self, work: Work, case_no: str, part: Part) -> None:
        data = self.progress.part_data(work, part.idx)
        upload_id = part.upload_id
        if upload_id is None:
            ref = work.application.materials[part.idx]
            info = self.client.create_upload(
                case_no, ref, f"{work.idem_key}.att{part.idx}", index=part.idx
            )
            self.outbox.failpoint("pump.upload.created")
            upload_id, offset = info.upload_id, info.offset
            self.progress.set_upload(work.seq, part.idx, upload_id, offset)
        else:  # resuming: the platform's offset is the truth
            offset = self._server_offset(work, case_no, part.idx, upload_id)
        while offset < len(data):
            if self._stopping.is_set():
                raise _Stopped
            chunk = data[offset : offset + self._chunk]
            try:
                offset = self.client.append_chunk(case_no, upload_id, offset, chunk)
            except PlatformRejected as exc:
                if exc.code not in _UPLOAD_RETRY_CODES:
                    raise
                raise PlatformUnavailable(exc.detail, code=exc.code) from exc
            self.outbox.failpoint("pump.chunk.answered")
            self.progress.set_offset(work.seq, part.idx, offset, done=offset == len(data))
        if not data:
            self.progress.set_offset(work.seq, part.idx, 0, done=True)

    def _server_offset(self, work: Work, case_no: str, idx: int, upload_id: str) -> int:
        try:
            return self.client.upload_status(case_no, upload_id).offset
        except PlatformRejected as exc:
            if exc.code != "upload_not_found":
                raise
            self.progress.set_upload(work.seq, idx, None, 0)  # start that upload afresh
            raise PlatformUnavailable("upload vanished", code=exc.code) from exc

    # -- scheduling ---------------------------------------------------------------------

    def _retry_later(
        self, seq: int, exc: PlatformUnavailable | AuthError | CryptoError, pause: bool = True
    ) -> None:
        delay = self.backoff.delay(self.progress.attempts(seq), self._rand)
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            delay = max(delay, retry_after)
        at = self.outbox.clock() + delay
        self.progress.schedule_retry(seq, at, exc.code)
        if pause:
            self._pause_until = at
        log.info("outbox: seq %d not sent (%s), retry in %.1fs", seq, exc.code, delay)

    def _changed(self, seq: int) -> None:
        if self._on_change is None:
            return
        try:
            self._on_change(self.progress.status_of(seq))
        except Exception:
            log.exception("outbox on_change callback failed")

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._kick.clear()
            try:
                self.run_once()
            except Exception:
                log.exception("outbox pump pass failed")
                self._pause_until = self.outbox.clock() + self.backoff.cap
            self._kick.wait(self._wait_time())

    def _wait_time(self) -> float:
        now = self.outbox.clock()
        wait = self._idle
        for next_due in (self.progress.next_due_at(), self.outbox.messages.next_due_at()):
            if next_due is not None:
                wait = min(wait, max(0.0, next_due - now))
        return max(wait, self._pause_until - now, 0.0)
