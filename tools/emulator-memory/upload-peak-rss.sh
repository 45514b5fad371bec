#!/usr/bin/env bash
# Peak resident memory (VmHWM) of the imagekit-emulator binary while it takes
# one large upload over HTTP on loopback. curl streams the multipart body from
# a file, so any large peak is the server's own buffering (uploads are spooled
# to disk: 512 MiB peaks at about 13 MiB in a release build).
#
#   tools/emulator-memory/upload-peak-rss.sh            # 512 MiB, debug binary
#   SIZE_MIB=64 PROFILE=release tools/emulator-memory/upload-peak-rss.sh
#
# Linux only (/proc/<pid>/status). Needs curl. Uses --data-dir in a temporary
# directory (blobs on disk, as a long-running emulator would keep them).
set -euo pipefail

SIZE_MIB=${SIZE_MIB:-512}
PROFILE=${PROFILE:-debug}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

command -v curl >/dev/null || { echo "curl is needed" >&2; exit 2; }
if [ "$PROFILE" = release ]; then
    cargo build --quiet --release -p imagekit-emulator --bin imagekit-emulator
else
    cargo build --quiet -p imagekit-emulator --bin imagekit-emulator
fi
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE/imagekit-emulator

work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom >"$work/upload.bin"

IMAGEKIT_PRIVATE_KEY=private_memory RUST_LOG=warn \
    "$BIN" --port 0 --data-dir "$work/data" >"$work/stdout" 2>"$work/stderr" &
pid=$!
for _ in $(seq 1 100); do
    [ -s "$work/stdout" ] && break
    sleep 0.1
done
base=$(sed -n '1s/^imagekit-emulator listening on \(http:[^ ]*\).*/\1/p' "$work/stdout")
[ -n "$base" ] || { echo "no startup line; stderr:" >&2; cat "$work/stderr" >&2; exit 1; }

kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$pid/status"; }
idle=$(kib VmRSS)

started=$(date +%s.%N)
code=$(curl -sS -u private_memory: -o "$work/response.json" -w '%{http_code}' \
    -F fileName=big.bin -F useUniqueFileName=false -F "file=@$work/upload.bin;type=application/octet-stream" \
    "$base/api/v1/files/upload")
ended=$(date +%s.%N)

peak=$(kib VmHWM)
after=$(kib VmRSS)
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB (%.2f GB)", k / 1024, k * 1024 / 1e9 }'; }
echo "upload: ${SIZE_MIB} MiB, $PROFILE build, HTTP $code in $(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.1f", b - a }') s"
echo "server RSS idle:        $(mib "$idle")"
echo "server peak RSS (HWM):  $(mib "$peak")"
echo "server RSS afterwards:  $(mib "$after")"
echo "peak / upload size:     $(awk -v p="$peak" -v s="$SIZE_MIB" 'BEGIN { printf "%.2f", p / 1024 / s }')"
[ "$code" = 200 ] || { echo "upload failed:" >&2; cat "$work/response.json" >&2; exit 1; }
