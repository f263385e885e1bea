#!/usr/bin/env bash
# Set everything up, then run the whole test suite: lint, types, and pytest (unit,
# integration over ptys/TCP/HTTP, and the UI under a virtual display the tests start).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy kiosk devices screens terminal sandbox provisioning config webstack
exec .venv/bin/pytest "$@"
