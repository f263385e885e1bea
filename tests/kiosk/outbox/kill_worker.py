"""The submitting kiosk of the SIGKILL oracle test (research/fleet.md §B7, T1 and T3).

Run as a *zygote*: it imports everything once, then for each JSON command line on stdin
forks a child that plays a kiosk (enqueue → fast case number → "print" the receipt by
appending the number to acks.log with fsync → confirm → the pump sends in the
background). The zygote SIGKILLs the child at the command's deadline unless it finished
or killed itself at an armed failpoint first, reaps it, and reports ``exit <pid> <status>``.
Forking from a warm process keeps a trial at a few hundred milliseconds, so 200 trials
fit in a CI minute. The zygote is single-threaded when it forks; each child starts its own
threads.

Usage: kill_worker.py STATE_DIR BASE_URL TOKEN
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sys
import time
import traceback
from pathlib import Path

from kiosk.outbox import Attachment, Outbox, OutboxPump, Submission, load_or_create_key
from kiosk.upstream import Applicant, Backoff, HttpPlatformClient

DEVICE = "K-KILL"
FAILPOINTS = (
    "enqueue.before_commit",
    "enqueue.after_commit",
    "receipt.printed",
    "pump.case_no.answered",
    "pump.app.answered",
    "pump.upload.created",
    "pump.chunk.answered",
    "pump.before_mark_sent",
)


def payloads(token: str) -> list[bytes]:
    """The attachments of the submission carrying ``token``: 0–2 files of 1–40 KB,
    derived from the token so the controller can check every byte at the platform."""
    rng = random.Random(token)
    out = []
    for j in range(rng.randint(0, 2)):
        block = hashlib.sha256(f"{token}:{j}".encode()).digest()
        out.append((block * 1300)[: rng.randint(1_000, 40_000)])
    return out


def submission(token: str) -> Submission:
    return Submission(
        matter_code="330110-RS-001",
        matter_name="社会保险参保证明打印",
        department="区人力社保局",
        applicant=Applicant("resident_id", "330102199001011234", "张三"),
        answers={"token": token},
        attachments=[
            Attachment(f"M{j}", f"scan-{j}.jpg", "image/jpeg", data)
            for j, data in enumerate(payloads(token))
        ],
        channel="kiosk",
        station_id="ST-KILL",
        region_code="330110",
    )


def child(state: Path, url: str, token: str, cmd: dict[str, object]) -> None:
    armed, hit, hits = cmd.get("failpoint"), int(cmd.get("hit", 1)), [0]  # type: ignore[call-overload]

    def failpoint(name: str) -> None:
        if name == armed:
            hits[0] += 1
            if hits[0] >= hit:
                os.kill(os.getpid(), signal.SIGKILL)

    seed = int(cmd["seed"])  # type: ignore[call-overload]
    rng = random.Random(seed)
    outbox = Outbox(
        state / "outbox.db", load_or_create_key(state / "outbox.key"), failpoint=failpoint
    )
    client = HttpPlatformClient(url, DEVICE, token, timeout=2, backoff=Backoff(attempts=1))
    pump = OutboxPump(
        outbox, client, backoff=Backoff(base=0.02, cap=0.2), rand=rng.random, chunk_size=16 * 1024
    )
    pump.start()
    acks = os.open(state / "acks.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    for i in range(int(cmd["n"])):  # type: ignore[call-overload]
        queued = outbox.enqueue(submission(f"{seed}-{i}"))
        outbox.try_reserve_case_number(queued, client, timeout=1)
        os.write(acks, f"{queued.provisional_no}\n".encode())  # the receipt is printed
        os.fsync(acks)
        failpoint("receipt.printed")
        outbox.confirm_receipt(queued.provisional_no)
        time.sleep(rng.uniform(0, 0.02))
    deadline = time.monotonic() + 5
    while outbox.depth() and time.monotonic() < deadline:
        time.sleep(0.01)
    pump.stop()
    client.close()
    outbox.close()


def serve(state: Path, url: str, token: str) -> None:
    print("ready", flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                child(state, url, token, cmd)
            except BaseException:
                traceback.print_exc()
                code = 3
            os._exit(code)
        print(f"pid {pid}", flush=True)
        deadline = time.monotonic() + float(cmd["deadline"])
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() >= deadline:
                os.kill(pid, signal.SIGKILL)  # our own child, not yet reaped
                _, status = os.waitpid(pid, 0)
                break
            time.sleep(0.002)
        print(f"exit {pid} {status}", flush=True)


if __name__ == "__main__":
    serve(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
