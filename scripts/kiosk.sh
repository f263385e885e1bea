#!/usr/bin/env bash
# Set everything up, then start the kiosk with simulated devices and the embedded
# sandbox platform. Extra arguments go to `kiosk run` (e.g. --windowed).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/kiosk run "$@"
