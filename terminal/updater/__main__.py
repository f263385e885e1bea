import sys

from terminal.updater.cli import main

sys.exit(main())
