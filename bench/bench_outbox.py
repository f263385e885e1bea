"""Outbox benchmarks: enqueue latency with synchronous=FULL, drain rate to the sandbox
over loopback, one 5-attachment application end to end, and bytes on the wire per
payload byte (target ≤ 1.05).

    .venv/bin/python bench/bench_outbox.py                 # quick
    .venv/bin/python bench/bench_outbox.py --drain 1000    # the issue's full drain run

Everything runs in a temporary directory; nothing is asserted (tests/ never time).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from kiosk.outbox import Attachment, Outbox, OutboxPump, Submission, new_key
from kiosk.upstream import Applicant, Backoff, HttpPlatformClient
from sandbox import SandboxPlatform
from sandbox.faultproxy import FaultProxy

KB = 1024


def submission(n_files: int, size: int) -> Submission:
    return Submission(
        matter_code="330110-MZ-012",
        matter_name="最低生活保障申请",
        department="区民政局",
        applicant=Applicant("resident_id", "330102199001011234", "张三", "13800001234"),
        answers={"household_size": "3", "address": "新港村12号"},
        attachments=[
            Attachment(f"M{i}", f"scan-{i}.jpg", "image/jpeg", os.urandom(size))
            for i in range(n_files)
        ],
        channel="kiosk",
        station_id="ST-BENCH",
        region_code="330110",
    )


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_enqueue(tmp: Path, count: int, n_files: int, size: int) -> list[tuple[str, str]]:
    outbox = Outbox(tmp / "enqueue.db", new_key())
    subs = [submission(n_files, size) for _ in range(count)]
    times = []
    for sub in subs:
        t0 = time.perf_counter()
        outbox.enqueue(sub)
        times.append(time.perf_counter() - t0)
    outbox.close()
    ms = [t * 1000 for t in times]
    label = f"enqueue, {n_files}×{size // KB} KB, FULL"
    return [
        (f"{label}: p50", f"{statistics.median(ms):.2f} ms"),
        (f"{label}: p99", f"{pct(ms, 99):.2f} ms"),
        (f"{label}: throughput", f"{count / sum(times):.0f} /s"),
    ]


def _rig(tmp: Path, name: str) -> tuple[SandboxPlatform, FaultProxy, HttpPlatformClient, Outbox]:
    sandbox = SandboxPlatform(tmp / f"{name}-platform.db")
    sandbox.start()
    token = sandbox.register_device("K-BENCH")
    proxy = FaultProxy(("127.0.0.1", int(sandbox.base_url.rsplit(":", 1)[1])))
    proxy.start()
    client = HttpPlatformClient(proxy.url, "K-BENCH", token, backoff=Backoff(attempts=1))
    return sandbox, proxy, client, Outbox(tmp / f"{name}-outbox.db", new_key())


def _close(
    sandbox: SandboxPlatform, proxy: FaultProxy, client: HttpPlatformClient, outbox: Outbox
) -> None:
    client.close()
    proxy.stop()
    sandbox.close()
    outbox.close()


def bench_drain(tmp: Path, count: int, n_files: int, size: int) -> list[tuple[str, str]]:
    sandbox, proxy, client, outbox = _rig(tmp, "drain")
    for _ in range(count):
        outbox.enqueue(submission(n_files, size))
    pump = OutboxPump(outbox, client)
    t0 = time.perf_counter()
    report = pump.run_once(force=True)
    elapsed = time.perf_counter() - t0
    payload = count * n_files * size
    ratio = proxy.bytes_up / payload
    _close(sandbox, proxy, client, outbox)
    assert report.remaining == 0, report
    label = f"drain {count} apps × {n_files}×{size // KB} KB"
    return [
        (f"{label}: rate", f"{count / elapsed:.1f} apps/s ({payload / elapsed / 1e6:.1f} MB/s)"),
        (f"{label}: wire bytes / payload bytes", f"{ratio:.4f}"),
    ]


def bench_one(tmp: Path) -> list[tuple[str, str]]:
    sandbox, proxy, client, outbox = _rig(tmp, "one")
    pump = OutboxPump(outbox, client)
    sub = submission(5, 300 * KB)
    t0 = time.perf_counter()
    queued = outbox.enqueue(sub)
    t1 = time.perf_counter()
    outbox.try_reserve_case_number(queued, client)
    t2 = time.perf_counter()
    pump.run_once(force=True)
    t3 = time.perf_counter()
    _close(sandbox, proxy, client, outbox)
    label = "one app, 5×300 KB"
    return [
        (f"{label}: enqueue (receipt may print)", f"{(t1 - t0) * 1000:.1f} ms"),
        (f"{label}: case number fast path", f"{(t2 - t1) * 1000:.1f} ms"),
        (f"{label}: send until acknowledged", f"{(t3 - t2) * 1000:.1f} ms"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enqueue", type=int, default=200, help="enqueues to time")
    parser.add_argument("--drain", type=int, default=100, help="applications to drain")
    parser.add_argument("--files", type=int, default=3, help="attachments per application")
    parser.add_argument("--size", type=int, default=200, help="KB per attachment")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += bench_enqueue(Path(tmp), args.enqueue, 0, 0)
        rows += bench_enqueue(Path(tmp) / "x", args.enqueue, args.files, args.size * KB)
        rows += bench_one(Path(tmp))
        rows += bench_drain(Path(tmp), args.drain, args.files, args.size * KB)
    width = max(len(name) for name, _ in rows)
    print(f"{'measure'.ljust(width)}  result")
    print(f"{'-' * width}  ------")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
