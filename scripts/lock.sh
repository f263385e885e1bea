#!/usr/bin/env bash
# Regenerate the locks in requirements/ from pyproject.toml: every transitive dependency
# pinned, with the hashes of its files, for each role (see README "Dependencies").
# Needs uv (https://docs.astral.sh/uv/; `pip install uv` anywhere); scripts/setup.sh
# installs from the locks with pip alone.
set -euo pipefail
cd "$(dirname "$0")/.."
uv="${UV:-uv}"
compile() {
  "$uv" pip compile --quiet --generate-hashes --universal --python-version 3.11 \
    --custom-compile-command "./scripts/lock.sh" "$@"
}
compile requirements/build.in -o requirements/build.txt
compile pyproject.toml --extra kiosk -o requirements/kiosk.txt
compile pyproject.toml --extra fleet -o requirements/fleet.txt
compile pyproject.toml --extra kiosk --extra fleet --extra dev -o requirements/dev.txt
echo "lock: requirements/{build,kiosk,fleet,dev}.txt"
