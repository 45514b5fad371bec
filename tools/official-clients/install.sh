#!/usr/bin/env bash
# Installs the pinned official ImageKit clients and playwright-core into a scratch folder OUTSIDE
# the repository (default /work/scratch/official-clients), so nothing installed is ever committed,
# and makes sure the system Chromium exists (apt-get, as root, when it does not; playwright-core
# never downloads a browser). Usage: install.sh [SCRATCH_DIR]
set -euo pipefail

SCRATCH="${1:-${OFFICIAL_CLIENTS_SCRATCH:-/work/scratch/official-clients}}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
mkdir -p "$SCRATCH"
SCRATCH="$(cd "$SCRATCH" && pwd -P)"
case "$SCRATCH/" in
  "$(cd "$REPO" && pwd -P)"/*)
    echo "install.sh: scratch folder $SCRATCH is inside the repository; choose one outside" >&2
    exit 2 ;;
esac

# Exact versions: the recordings in tests/fixtures/official-clients come from these and nothing else.
PY_LEGACY_VERSION=4.2.0          # imagekitio, the SDK of ImageKit's Python quick start
NODE_LEGACY_VERSION=6.0.0        # imagekit (npm)
BROWSER_SDK_VERSION=5.5.1        # @imagekit/javascript
PLAYWRIGHT_CORE_VERSION=1.65.1   # drives /usr/bin/chromium; downloads no browser
# The libraries that put the legacy SDKs' requests on the wire (their ranges allow newer ones),
# pinned so that a re-run records the same headers and encodings.
AXIOS_VERSION=1.21.1 FORM_DATA_VERSION=4.0.6                                  # imagekit 6.0.0
REQUESTS_VERSION=2.34.2 TOOLBELT_VERSION=1.0.0 URLLIB3_VERSION=2.8.0           # imagekitio 4.2.0

cd "$SCRATCH"
[ -f package.json ] || echo '{"name":"official-clients-scratch","private":true}' > package.json
# playwright-core has no install script; PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD guards anyway.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --save-exact \
  "imagekit@$NODE_LEGACY_VERSION" "@imagekit/javascript@$BROWSER_SDK_VERSION" \
  "playwright-core@$PLAYWRIGHT_CORE_VERSION" "axios@$AXIOS_VERSION" "form-data@$FORM_DATA_VERSION"

[ -x venv/bin/python ] || python3 -m venv venv
venv/bin/pip install --quiet --disable-pip-version-check "imagekitio==$PY_LEGACY_VERSION" \
  "requests==$REQUESTS_VERSION" "requests-toolbelt==$TOOLBELT_VERSION" "urllib3==$URLLIB3_VERSION"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: /usr/bin/chromium is missing; install Debian's chromium package (needs root)" >&2
    exit 1
  fi
  echo "install.sh: /usr/bin/chromium is missing: apt-get install chromium (as root)"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

echo "installed into $SCRATCH:"
for p in imagekit @imagekit/javascript playwright-core axios form-data; do
  node -e 'console.log(" ", process.argv[1], JSON.parse(require("fs").readFileSync(process.argv[2])).version)' \
    "$p" "node_modules/$p/package.json"
done
venv/bin/python -c 'import importlib.metadata as m; [print(" ", p, m.version(p)) for p in ("imagekitio", "requests", "requests-toolbelt", "urllib3")]'
echo "  $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium: version unknown')"
