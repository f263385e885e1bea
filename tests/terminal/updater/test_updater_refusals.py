"""Bad input: each is refused with a stable reason the fleet sees (status.json, the
heartbeat), nothing of it is installed, and the kiosk keeps running its version."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from provisioning.release.httpd import StaticServer
from provisioning.release.repo import Repository
from terminal.updater.fetch import RateLimit, ReleaseSource
from terminal.updater.layout import Layout
from terminal.updater.state import write_json
from tests.terminal.updater.conftest import MakeRelease, updater_for

FAST = 1_000_000  # KB/s: no waiting in tests (the cap itself is tested with a fake clock)


def offer(kiosk: Layout, server: StaticServer, version: str, **kw: object) -> None:
    doc = {"offer_id": f"o-{version}", "version": version, "repository": server.url, **kw}
    write_json(kiosk.root.parent / "state" / "updates" / "offer.json", doc)


def refused(kiosk: Layout, reason: str, **kw: object) -> dict[str, object]:
    updater = updater_for(kiosk, kbps=FAST, **kw)
    updater.step()
    status = json.loads((updater.updates / "status.json").read_text())
    assert (status["state"], status["reason"]) == ("failed", reason), status
    assert kiosk.get("current") == kiosk.get("good") == "0.1.0"  # still running
    assert kiosk.installed() == ["0.1.0"]
    updater.step()  # a finished offer is not tried again
    assert updater.load().history[-1]["reason"] == reason and len(updater.load().history) == 1
    return dict(status)


def cached_wheels(kiosk: Layout) -> list[Path]:
    return sorted((kiosk.root.parent / "state" / "updates" / "cache").rglob("*.whl*"))


def test_a_tampered_wheel_is_refused_and_not_kept(
    kiosk: Layout, repo: Repository, server: StaticServer, make_release: MakeRelease
) -> None:
    repo.add_release(make_release("0.2.0"))
    (wheel,) = (repo.targets / "wheels").rglob("bianmin_kiosk-0.2.0*.whl")
    data = bytearray(wheel.read_bytes())
    data[1000] ^= 0xFF  # one byte changed on the server (or on the way)
    wheel.write_bytes(bytes(data))
    offer(kiosk, server, "0.2.0")
    status = refused(kiosk, "hash_mismatch")
    assert "bianmin_kiosk-0.2.0" in str(status["detail"])
    assert cached_wheels(kiosk) == []  # the bad bytes are gone, not half-kept


def truncate_the_wheel(repo: Repository) -> None:
    (wheel,) = (repo.targets / "wheels").rglob("*.whl")
    wheel.write_bytes(wheel.read_bytes()[:50_000])


def strip_the_signatures(repo: Repository) -> None:
    md = repo.load("targets")
    md.signatures.clear()
    md.signed.version += 1
    md.to_file(str(repo.metadata / "targets.json"))
    repo.refresh()


def stop_resigning(repo: Repository) -> None:
    repo.refresh(timestamp_days=-1)  # the fleet stopped re-signing: a frozen view


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (truncate_the_wheel, "truncated"),
        (strip_the_signatures, "bad_signature"),
        (stop_resigning, "expired_metadata"),
    ],
    ids=["truncated-file", "unsigned-metadata", "expired-metadata"],
)
def test_a_spoiled_release_is_refused(
    kiosk: Layout,
    repo: Repository,
    server: StaticServer,
    make_release: MakeRelease,
    spoil: Callable[[Repository], None],
    reason: str,
) -> None:
    repo.add_release(make_release("0.2.0"))
    spoil(repo)
    offer(kiosk, server, "0.2.0")
    refused(kiosk, reason)


def test_a_cut_download_resumes_where_it_stopped(
    kiosk: Layout, repo: Repository, server: StaticServer, make_release: MakeRelease
) -> None:
    repo.add_release(make_release("0.2.0", size=300_000))
    server.cut_after(70_000)  # a village line: every answer stops after 70 kB
    source = ReleaseSource(kiosk.root.parent / "state" / "updates", server.url, kbps=FAST)
    manifest, _custom = source.manifest("0.2.0")
    (path,) = source.wheels(manifest, lambda _n: None)
    (original,) = (repo.targets / "wheels").rglob("*.whl")
    assert path.read_bytes() == original.read_bytes()
    manifest_bytes = (repo.targets / "releases" / "0.2.0.json").stat().st_size
    # each byte once: the cuts resumed, not restarted
    assert source.downloaded == 300_000 + manifest_bytes


def test_a_release_for_another_platform_is_refused_before_downloading(
    kiosk: Layout, repo: Repository, server: StaticServer, make_release: MakeRelease
) -> None:
    repo.add_release(make_release("0.2.0", "numpy-2.4.6-cp311-cp311-win_amd64.whl"))
    offer(kiosk, server, "0.2.0")
    status = refused(kiosk, "wrong_platform")
    assert "win_amd64" in str(status["detail"])
    assert cached_wheels(kiosk) == []


def test_metadata_signed_with_a_rotated_out_key_is_refused(
    kiosk: Layout, repo: Repository, server: StaticServer, make_release: MakeRelease
) -> None:
    old_targets_key = repo.signer("targets")
    repo.rotate("targets")  # root v2 names a new targets key
    repo.add_release(make_release("0.2.0"))
    repo.resign("targets", old_targets_key)  # someone still holding the old key signs
    offer(kiosk, server, "0.2.0")
    status = refused(kiosk, "bad_signature")
    assert "targets" in str(status["detail"])


def test_an_older_version_is_refused_unless_a_signed_downgrade_allows_it(
    kiosk: Layout, repo: Repository, server: StaticServer, make_release: MakeRelease
) -> None:
    repo.add_release(make_release("0.0.9"))
    offer(kiosk, server, "0.0.9", downgrade=True)  # ordered, but not signed as such
    refused(kiosk, "older_version")

    repo.set_downgrade("0.0.9")  # now the targets role signs the downgrade
    write_json(
        kiosk.root.parent / "state" / "updates" / "offer.json",
        {"offer_id": "o-back", "version": "0.0.9", "repository": server.url, "downgrade": True},
    )
    updater = updater_for(kiosk, kbps=FAST)
    updater.step()
    state = updater.load()
    assert state.reason == "install_failed"  # past every check: the stand-in wheel is no wheel
    assert len(cached_wheels(kiosk)) == 1


def test_a_full_disk_is_refused_before_downloading(
    kiosk: Layout, repo: Repository, server: StaticServer, make_release: MakeRelease
) -> None:
    repo.add_release(make_release("0.2.0"))
    offer(kiosk, server, "0.2.0")
    updates = kiosk.root.parent / "state" / "updates"
    status = refused(
        kiosk,
        "disk_full",
        source=lambda url: ReleaseSource(updates, url, kbps=FAST, free_space=lambda _p: 20 << 20),
    )
    assert "MiB needed" in str(status["detail"])
    assert cached_wheels(kiosk) == []


def test_a_kiosk_follows_key_rotation(
    kiosk: Layout, repo: Repository, server: StaticServer, make_release: MakeRelease
) -> None:
    repo.rotate("root")  # v2: signed by the old root key and the new
    repo.rotate("targets")  # v3
    repo.rotate("timestamp")  # v4
    repo.add_release(make_release("0.2.0"))
    source = ReleaseSource(kiosk.root.parent / "state" / "updates", server.url, kbps=FAST)
    _manifest, custom = source.manifest("0.2.0")
    assert custom == {"version": "0.2.0", "downgrade": False}
    history = kiosk.root.parent / "state" / "updates" / "metadata" / "root_history"
    assert sorted(p.name for p in history.iterdir()) == [f"{n}.root.json" for n in (1, 2, 3, 4)]


def test_the_download_keeps_under_its_cap() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    limit = RateLimit(256, clock=lambda: now[0], sleep=sleep)
    for _ in range(128):
        limit.take(16 * 1024)  # 2 MiB at 256 KiB/s
    assert now[0] == pytest.approx(8.0)
