#!/usr/bin/env bash
# Installs the pinned official SDKs and the TypeScript compiler into a scratch
# folder OUTSIDE the repository (default /work/scratch/official-models), so that
# nothing installed is ever committed. Usage: install.sh [SCRATCH_DIR]
set -euo pipefail

SCRATCH="${1:-${OFFICIAL_MODELS_SCRATCH:-/work/scratch/official-models}}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
case "$(cd "$(dirname "$SCRATCH")" 2>/dev/null && pwd)/" in
  "$REPO"/*) echo "scratch folder $SCRATCH is inside the repository; choose one outside" >&2; exit 2 ;;
esac

# Exact versions: the fixture is regenerated from these and nothing else.
NODE_SDK_VERSION=7.11.0
PY_SDK_VERSION=5.11.0
TYPESCRIPT_VERSION=5.9.3
PYDANTIC_VERSION=2.14.4   # imagekitio allows a range; the extraction reads pydantic internals

mkdir -p "$SCRATCH"
cd "$SCRATCH"
[ -f package.json ] || echo '{"name":"official-models-scratch","private":true}' > package.json
npm install --no-audit --no-fund --save-exact \
  "@imagekit/nodejs@$NODE_SDK_VERSION" "typescript@$TYPESCRIPT_VERSION"

[ -x venv/bin/python ] || python3 -m venv venv
venv/bin/pip install --quiet --disable-pip-version-check "imagekitio==$PY_SDK_VERSION" "pydantic==$PYDANTIC_VERSION"

echo "installed into $SCRATCH:"
for p in @imagekit/nodejs typescript; do
  node -e 'console.log(" ", process.argv[1], JSON.parse(require("fs").readFileSync(process.argv[2])).version)' "$p" "node_modules/$p/package.json"
done
venv/bin/python -c 'import importlib.metadata as m; print("  imagekitio", m.version("imagekitio")); print("  pydantic", m.version("pydantic"))'
