"""The kiosk's trust anchor for releases: the fleet's TUF root, set up once.

``kiosk install-service --update-root FILE`` or ``kiosk update trust FILE`` puts the
first root in ``updates/metadata/root.json``; from then on the kiosk follows the
repository's newer roots itself, each signed by the keys of the one before. Replacing
the anchor by hand (``--replace``) is for a fleet that lost its root keys.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tuf.api.metadata import Metadata, Root

from kiosk.storage import write_atomically


class BadRoot(ValueError):
    pass


def install_root(updates: Path, data: bytes, *, replace: bool = False) -> int:
    """Check ``data`` is a TUF root signed by its own keys, store it; its version."""
    try:
        md = Metadata[Root].from_bytes(data)
        md.verify_delegate(Root.type, md)
    except Exception as exc:
        raise BadRoot(f"not a self-signed TUF root: {exc}") from exc
    metadata = updates / "metadata"
    if (metadata / "root.json").exists():
        if not replace:
            raise FileExistsError("this kiosk already trusts a root (use --replace to change it)")
        shutil.rmtree(metadata)
    metadata.mkdir(parents=True, exist_ok=True)
    write_atomically(metadata / "root.json", data, 0o644)
    return int(md.signed.version)


def trusted_root_version(updates: Path) -> int | None:
    path = updates / "metadata" / "root.json"
    if not path.exists():
        return None
    return int(Metadata[Root].from_file(str(path)).signed.version)
