#!/usr/bin/env bash
# Set everything up, then start the kiosk with simulated devices and the embedded
# sandbox platform. Extra arguments go to `kiosk run` (e.g. --windowed).
# Without a display (a server, an SSH session) it runs on a virtual display instead.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "kiosk.sh: no display here; running on a virtual one (Xvfb)." >&2
  echo "kiosk.sh: to see it, run '.venv/bin/kiosk demo --out demo-out' for screenshots." >&2
  exec xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/kiosk run --windowed "$@"
fi
exec .venv/bin/kiosk run "$@"
