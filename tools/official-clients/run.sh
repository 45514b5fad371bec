#!/usr/bin/env bash
# Records what the official clients send to the emulator: installs them into the scratch folder
# when it has none yet (install.sh), then runs the driver (run.py), which starts a fresh emulator
# and the recording proxy for each client, runs its workflow, prints one line per step and writes
# tests/fixtures/official-clients/*.jsonl. Arguments go to run.py (--clients, --emulator-rev, ...).
# The same as `cargo xtask clients`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRATCH="${OFFICIAL_CLIENTS_SCRATCH:-/work/scratch/official-clients}"
if [ ! -x "$SCRATCH/venv/bin/python" ] || [ ! -d "$SCRATCH/node_modules/imagekit" ] || [ ! -x /usr/bin/chromium ]; then
  "$HERE/install.sh" "$SCRATCH"
fi
exec python3 "$HERE/run.py" --scratch "$SCRATCH" "$@"
