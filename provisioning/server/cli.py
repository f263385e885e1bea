"""``kiosk-fleet``: the fleet server's command. A stub until fleet provisioning lands."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    sys.stderr.write(
        "kiosk-fleet: the fleet server is not built yet (see the fleet provisioning issue). "
        "Kiosks run standalone on their local settings meanwhile.\n"
    )
    return 2
