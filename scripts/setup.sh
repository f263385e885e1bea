#!/usr/bin/env bash
# Set up everything a Bianmin kiosk needs on Debian 12 (or a derivative):
# the system packages, then a virtual environment in .venv/ with the Python dependencies.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  python3 python3-venv python3-dev gcc pkg-config swig   # Python and what pyscard builds with
  pcscd libpcsclite-dev pcsc-tools vsmartcard-vpcd        # PC/SC cards (real pcscd + virtual reader)
  libzbar0                                                # QR decoding (pyzbar)
  fonts-noto-cjk fontconfig                               # Chinese text on screen and on paper
  xvfb xauth x11-utils                                    # a virtual display for demo and UI tests
  espeak-ng                                               # voice guidance
  libgl1 libegl1 libgles2 libmtdev1 libgl1-mesa-dri       # OpenGL for Kivy's window
  postgresql                                              # the fleet server's tests (private cluster)
  chromium chromium-driver                                # the fleet web console's browser tests
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e '.[dev]'
  touch "$stamp"
fi
echo "setup: ready (.venv/bin/kiosk)"
