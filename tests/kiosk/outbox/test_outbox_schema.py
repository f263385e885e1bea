"""A rollback after a schema change: the outbox and the stand-in platform, as this release
writes them, work on files the next release has migrated (tests/kiosk/test_schema.py
says what such a release may do)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.outbox import Outbox, OutboxPump, Submission
from kiosk.upstream import HttpPlatformClient
from sandbox import SandboxPlatform
from tests.kiosk.test_schema import next_release


def test_the_outbox_and_the_platform_work_on_the_next_releases_files(
    tmp_path: Path, make_sub: Callable[..., Submission], key: bytes
) -> None:
    # A rollback: the files were migrated by a newer release, this code runs on them.
    ob_path, sb_path = tmp_path / "outbox.db", tmp_path / "sandbox.db"
    Outbox(ob_path, key).close()
    SandboxPlatform(sb_path).close()
    next_release(ob_path)
    next_release(sb_path)
    sandbox = SandboxPlatform(sb_path)
    sandbox.start()
    outbox = Outbox(ob_path, key)
    client = HttpPlatformClient(sandbox.base_url, "K-1", sandbox.register_device("K-1"), timeout=5)
    try:
        queued = outbox.enqueue(make_sub(sizes=(2_000,)))
        OutboxPump(outbox, client).flush()
        assert outbox.depth() == 0
        assert len(sandbox.applications(client_ref=queued.provisional_no)) == 1
        assert outbox.integrity_check() == "ok"
    finally:
        client.close()
        outbox.close()
        sandbox.close()
