#!/usr/bin/env bash
# Regenerates tests/fixtures/official-models/ from the pinned official SDKs:
# installs them into the scratch folder (install.sh), extracts their models there
# and writes the normalised models and the samples into the repository.
# Usage: regenerate.sh [SCRATCH_DIR]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SCRATCH="${1:-${OFFICIAL_MODELS_SCRATCH:-/work/scratch/official-models}}"
OUT="$REPO/tests/fixtures/official-models"

"$HERE/install.sh" "$SCRATCH"
mkdir -p "$OUT"
cd "$SCRATCH"   # Node and Python run here, resolving packages from the scratch folder only
node "$HERE/extract-nodejs.cjs" > models-nodejs.json
venv/bin/python "$HERE/extract_python.py" > models-python.json
venv/bin/python "$HERE/generate_samples.py" models-nodejs.json models-python.json > samples.jsonl
cp models-nodejs.json models-python.json samples.jsonl "$OUT/"
python3 - "$OUT" <<'PY'
import json, sys, collections
out = sys.argv[1]
for sdk in ("nodejs", "python"):
    d = json.load(open(f"{out}/models-{sdk}.json"))
    print(f"{sdk}: {d['package']} {d['version']}: {len(d['models'])} models")
c = collections.Counter(json.loads(l)["sdk"] for l in open(f"{out}/samples.jsonl"))
print("samples:", dict(c), "total", sum(c.values()))
PY
