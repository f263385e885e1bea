#!/usr/bin/env bash
# Set up a machine on Debian 12 (or a derivative): the system packages, then a virtual
# environment in .venv/ with the Python dependencies installed from the lock, hashes
# checked (requirements/<role>.txt, made by `uv pip compile`; see README "Dependencies").
#
#   ./scripts/setup.sh          development and CI: the kiosk, the fleet server, the tests
#   ./scripts/setup.sh kiosk    a kiosk: no PostgreSQL driver, no test tools
#   ./scripts/setup.sh fleet    a fleet host: no Kivy, OpenCV, pyscard or device libraries
#
# Safe to run again: it installs only what is missing or what the lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."
role="${1:-dev}"

base=(python3 python3-venv)
kiosk=(
  python3-dev gcc pkg-config swig libpcsclite-dev         # pyscard is built here (no wheel for Linux)
  pcscd vsmartcard-vpcd pcsc-tools                        # PC/SC cards (real pcscd + virtual reader)
  libzbar0                                                # QR decoding (pyzbar)
  fonts-noto-cjk fontconfig                               # Chinese text on screen and on paper
  xvfb xauth x11-utils                                    # a virtual display for demo and UI tests
  espeak-ng                                               # voice guidance
  libgl1 libegl1 libgles2 libmtdev1 libgl1-mesa-dri       # OpenGL for Kivy's window
  libusb-1.0-0                                            # usb:// receipt printers (pyusb)
)
dev=(
  postgresql                                              # the fleet server's tests (private cluster)
  chromium chromium-driver                                # the fleet web console's browser tests
)
case "$role" in
  dev) packages=("${base[@]}" "${kiosk[@]}" "${dev[@]}") ;;
  kiosk) packages=("${base[@]}" "${kiosk[@]}") ;;
  fleet) packages=("${base[@]}") ;;
  *) echo "setup: unknown role '$role' (dev, kiosk or fleet)" >&2; exit 2 ;;
esac
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
lock="requirements/$role.txt"
stamp=".venv/.installed-$role"
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ requirements/build.txt -nt "$stamp" ] \
   || [ pyproject.toml -nt "$stamp" ]; then
  # Every package, its version and its file's hash come from the lock, and nothing else
  # is fetched: the build backend is installed from its own lock first, and whatever is
  # built here (pyscard, this project) is built with it, without build isolation.
  .venv/bin/pip install --quiet --require-hashes -r requirements/build.txt
  .venv/bin/pip install --quiet --require-hashes --no-build-isolation -r "$lock"
  .venv/bin/pip install --quiet --no-deps --no-build-isolation -e .
  .venv/bin/pip check
  rm -f .venv/.installed*
  touch "$stamp"
fi
echo "setup: ready ($role: .venv/bin/kiosk, .venv/bin/kiosk-fleet)"
