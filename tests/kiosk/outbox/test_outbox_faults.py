"""Network faults between the kiosk and the platform, through our fault-injecting proxy:
every submission completes, and no acknowledged chunk is uploaded twice."""

from __future__ import annotations

import dataclasses as dc
from collections import defaultdict
from collections.abc import Callable, Iterator

import pytest

from kiosk.outbox import ItemState, Outbox, OutboxPump, Submission
from kiosk.upstream import Backoff, HttpPlatformClient
from sandbox import SandboxPlatform
from sandbox.faultproxy import FaultProxy

MakeSub = Callable[..., Submission]
KB = 1024


def _assert_once_and_whole(
    sandbox: SandboxPlatform, outbox: Outbox, prov: str, sub: Submission
) -> None:
    rows = sandbox.applications(client_ref=prov)
    assert len(rows) == 1
    status = outbox.lookup(prov)
    assert status is not None and status.state == ItemState.SENT
    for i, attachment in enumerate(sub.attachments):
        assert sandbox.attachment_bytes(rows[0]["case_no"], i) == attachment.data
    stored: dict[str, list[int]] = defaultdict(list)
    for method, path, status_code, offset in sandbox.dispatcher.journal:
        if method == "PATCH":
            assert status_code != 409, "a chunk was sent at a stale offset"
            if status_code == 204:
                stored[path].append(int(offset or -1))
    for offsets in stored.values():  # each acknowledged chunk exactly once, in order
        assert offsets == sorted(set(offsets))


@dc.dataclass
class Link:
    """The outbox sending to the sandbox through the fault proxy; faults go on ``proxy``."""

    sandbox: SandboxPlatform
    proxy: FaultProxy
    outbox: Outbox
    token: str
    clients: list[HttpPlatformClient] = dc.field(default_factory=list)

    def client(self, timeout: float) -> HttpPlatformClient:
        """A client through the proxy that tries once, closed when the test ends."""
        c = HttpPlatformClient(
            self.proxy.url, "K-0001", self.token, timeout=timeout, backoff=Backoff(attempts=1)
        )
        self.clients.append(c)
        return c

    def assert_once_and_whole(self, prov: str, sub: Submission) -> None:
        _assert_once_and_whole(self.sandbox, self.outbox, prov, sub)


@pytest.fixture
def link(sandbox: SandboxPlatform, proxy: FaultProxy, outbox: Outbox, token: str) -> Iterator[Link]:
    ln = Link(sandbox, proxy, outbox, token)
    yield ln
    for c in ln.clients:
        c.close()


@pytest.mark.parametrize(
    ("toxic", "timeout"),
    [
        ({"reset": True}, 1.0),
        ({"stall": True}, 0.4),
        ({"cut_after": 20 * KB}, 1.0),
        ({"cut_after": 300 * KB}, 1.0),
    ],
    ids=["reset", "stall", "cut-first-chunk", "cut-mid-second-chunk"],
)
def test_a_failure_then_recovery_sends_everything_once(
    link: Link, make_sub: MakeSub, toxic: dict[str, object], timeout: float
) -> None:
    client, outbox = link.client(timeout), link.outbox
    sub = make_sub(sizes=(600 * KB, 5 * KB))
    prov = outbox.enqueue(sub).provisional_no
    outbox.try_reserve_case_number(outbox.enqueue(make_sub(sizes=())), client)  # a 2nd, smaller one
    link.proxy.set(**toxic)
    pump = OutboxPump(outbox, client)
    first = pump.run_once()
    assert first.failed == 1 and first.error in ("network", "timeout")
    link.proxy.set()
    assert pump.run_once(force=True).remaining == 0
    link.assert_once_and_whole(prov, sub)


@pytest.mark.parametrize(
    ("toxic", "sizes", "chunk"),
    [({"latency": 1.0}, (), 256 * KB), ({"bandwidth": 32 * KB}, (40 * KB,), 16 * KB)],
    ids=["latency-1s", "32KB/s"],
)
def test_slow_links_still_deliver(
    link: Link, make_sub: MakeSub, toxic: dict[str, object], sizes: tuple[int, ...], chunk: int
) -> None:
    client = link.client(timeout=5.0)
    sub = make_sub(sizes=sizes)
    prov = link.outbox.enqueue(sub).provisional_no
    link.proxy.set(**toxic)
    assert OutboxPump(link.outbox, client, chunk_size=chunk).run_once().sent == 1
    link.assert_once_and_whole(prov, sub)


def test_lost_answers_are_absorbed_by_the_idempotency_keys(
    sandbox: SandboxPlatform, outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    # The platform does the work and the answer never arrives, at every step once.
    for prefix, method in [
        ("/v1/case-numbers", "POST"),
        ("/v1/applications", "POST"),
        ("/v1/applications/", "PATCH"),
    ]:
        sandbox.faults.add("drop_after", method=method, path_prefix=prefix)
    sub = make_sub(sizes=(300 * KB,))
    prov = outbox.enqueue(sub).provisional_no
    pump = OutboxPump(outbox, client)
    for _ in range(5):
        if pump.run_once(force=True).remaining == 0:
            break
    assert len(sandbox.faults.fired) == 3
    _assert_once_and_whole(sandbox, outbox, prov, sub)
