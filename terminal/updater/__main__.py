"""``python -m terminal.updater``: the same as ``kiosk-updater``."""

import sys

from terminal.updater.cli import main

if __name__ == "__main__":
    sys.exit(main())
