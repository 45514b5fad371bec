#!/usr/bin/env python3
"""Runs the official clients against a fresh emulator through the recording proxy and writes
tests/fixtures/official-clients/{python-legacy,node-legacy,browser}.jsonl (stdlib only).

For each client: build (once) and start `imagekit-emulator --port 0` (in memory, default keys),
start recording_proxy.py in front of it, run the client's workflow pointed at the proxy, print
its step lines and `<client>: N passed, M failed`, stop both, and normalise the recording into the
client's fixture (see fixtures.py). Every process it starts runs in its own process group and is
stopped on exit, on failure and on Ctrl-C / SIGTERM.

Usage: run.py [--scratch DIR] [--clients python,node,browser] [--out DIR] [--keep-raw DIR]
Exit status: 0 when every step passed, 1 when a step failed, 2 when the harness itself failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ beside the committed scripts
from fixtures import normalize  # noqa: E402

PRIVATE_KEY = "private_emulator_key"
PUBLIC_KEY = "public_emulator_key"
IMAGEKIT_ID = "emulator"

CLIENTS = {
    # name: (fixture file, how to run the workflow given the scratch folder)
    "python": ("python-legacy.jsonl", lambda scratch: [str(scratch / "venv/bin/python"), str(HERE / "workflow_python.py")]),
    "node": ("node-legacy.jsonl", lambda scratch: ["node", str(HERE / "workflow_node.cjs")]),
    "browser": ("browser.jsonl", lambda scratch: ["node", str(HERE / "workflow_browser.cjs")]),
}

children: list[subprocess.Popen] = []


class HarnessError(Exception):
    pass


def start(cmd: list[str], **kw) -> subprocess.Popen:
    """A child in its own process group, so that stopping it stops what it started."""
    proc = subprocess.Popen(cmd, start_new_session=True, **kw)
    children.append(proc)
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    if proc in children:
        children.remove(proc)


def stop_all() -> None:
    for proc in list(reversed(children)):
        stop(proc)


def on_signal(signum, _frame):
    stop_all()
    print(f"run.py: stopped by signal {signum}", file=sys.stderr)
    sys.exit(130)


def first_line(proc: subprocess.Popen, what: str, timeout: float = 60) -> str:
    """The first stdout line of `proc` (its address), or a HarnessError."""
    deadline = time.monotonic() + timeout
    line = b""
    os.set_blocking(proc.stdout.fileno(), False)
    while time.monotonic() < deadline:
        chunk = proc.stdout.read(4096) or b""
        line += chunk
        if b"\n" in line:
            os.set_blocking(proc.stdout.fileno(), True)
            return line.split(b"\n", 1)[0].decode()
        if proc.poll() is not None:
            raise HarnessError(f"{what} exited with {proc.returncode} before printing its address")
        time.sleep(0.05)
    raise HarnessError(f"{what} printed no address within {timeout:.0f}s")


def build_emulator(rev: str | None, scratch: Path) -> str:
    """Build the emulator of the working tree, or of commit `rev` (exported with `git archive`
    into the scratch folder and built there, for when the shared working tree does not build)."""
    cwd, env = REPO, dict(os.environ)
    if rev:
        src = scratch / "emulator-src"
        shutil.rmtree(src, ignore_errors=True)
        src.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev],
                                 stdout=subprocess.PIPE, check=False)
        if archive.returncode != 0:
            raise HarnessError(f"git archive {rev} failed")
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True)
        cwd = src
        env["CARGO_TARGET_DIR"] = str(scratch / "target")
    print(f"run.py: cargo build -p imagekit-emulator ({'commit ' + rev if rev else 'working tree'})",
          file=sys.stderr, flush=True)
    out = subprocess.run(
        ["cargo", "build", "-p", "imagekit-emulator", "--bin", "imagekit-emulator",
         "--message-format=json-render-diagnostics"],
        cwd=cwd, env=env, stdout=subprocess.PIPE, check=False)
    if out.returncode != 0:
        raise HarnessError("cargo build -p imagekit-emulator failed (another change in progress? "
                           "try --emulator-rev HEAD)")
    for line in out.stdout.decode().splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable") and \
                msg["target"]["name"] == "imagekit-emulator":
            return msg["executable"]
    raise HarnessError("cargo build reported no imagekit-emulator executable")


def png(width: int, height: int, pixel) -> bytes:
    """A small RGB PNG (deterministic bytes), made with zlib alone."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def write_assets(folder: Path) -> None:
    (folder / "sample.png").write_bytes(png(16, 16, lambda x, y: (x * 16, y * 16, 128)))
    (folder / "sample-v2.png").write_bytes(png(16, 16, lambda x, y: (255 - x * 16, 64, y * 16)))


def client_env(extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.update(extra)
    return env


def run_client(name: str, emulator_bin: str, scratch: Path, tmp: Path, out_dir: Path, raw_dir: Path | None):
    """Run one client's workflow; returns (passed, failed, failing step details)."""
    fixture_name, command = CLIENTS[name]
    raw = tmp / f"{name}.raw.jsonl"
    vars_file = tmp / f"{name}.vars.jsonl"
    emu = start([emulator_bin, "--port", "0", "--private-key", PRIVATE_KEY, "--public-key", PUBLIC_KEY,
                 "--imagekit-id", IMAGEKIT_ID],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=open(tmp / f"{name}.emulator.log", "wb"))
    try:
        line = first_line(emu, "imagekit-emulator")
        m = re.search(r"listening on (http://127\.0\.0\.1:(\d+))", line)
        if not m:
            raise HarnessError(f"unexpected first line from the emulator: {line!r}")
        emulator_url, emulator_port = m.group(1), int(m.group(2))
        proxy = start([sys.executable, str(HERE / "recording_proxy.py"), "--upstream", emulator_url, "--log", str(raw)],
                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=open(tmp / f"{name}.proxy.log", "wb"))
        line = first_line(proxy, "recording_proxy.py")
        m = re.search(r"LISTENING (http://127\.0\.0\.1:(\d+))", line)
        if not m:
            raise HarnessError(f"unexpected first line from the proxy: {line!r}")
        proxy_url, proxy_port = m.group(1), int(m.group(2))
        env = client_env({
            "OC_PROXY": proxy_url, "OC_EMULATOR": emulator_url, "OC_IMAGEKIT_ID": IMAGEKIT_ID,
            "OC_PRIVATE_KEY": PRIVATE_KEY, "OC_PUBLIC_KEY": PUBLIC_KEY, "OC_ASSETS": str(tmp / "assets"),
            "OC_VARS": str(vars_file), "OC_SCRATCH": str(scratch), "NODE_PATH": str(scratch / "node_modules"),
        })
        wf = start(command(scratch), cwd=str(scratch), env=env, stdin=subprocess.DEVNULL,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        passed = failed = None
        for raw_line in wf.stdout:
            text = raw_line.decode(errors="replace").rstrip("\n")
            sm = re.match(rf"^{name}: (\d+) passed, (\d+) failed$", text)
            if sm:
                passed, failed = int(sm.group(1)), int(sm.group(2))
                continue
            print(text, flush=True)
        wf.wait()
        children.remove(wf)
        if passed is None:
            raise HarnessError(f"the {name} workflow exited with {wf.returncode} without its summary")
    finally:
        stop_all()

    records = [json.loads(l) for l in raw.read_text().splitlines() if l.strip()] if raw.exists() else []
    values, ports = {}, {"emulator_port": emulator_port, "proxy_port": proxy_port}
    if vars_file.exists():
        for l in vars_file.read_text().splitlines():
            v = json.loads(l)
            if v.get("kind") == "port":
                ports[v["name"]] = int(v["value"])
            else:
                values[v["name"]] = str(v["value"])
    lines = normalize(records, ports, values)
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / fixture_name, "w", encoding="utf-8") as fh:
        for rec in lines:
            fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=False) + "\n")
    if raw_dir:
        raw_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(raw, raw_dir / f"{name}.raw.jsonl")
    return passed, failed, failing_exchanges(lines)


def failing_exchanges(lines: list[dict]) -> list[str]:
    """One paragraph per request whose status is an error, for the closing report."""
    out = []
    for rec in lines:
        resp = rec.get("response", {})
        status = resp.get("status")
        if status is None or status >= 400:
            body = resp.get("raw_body") or json.dumps(resp.get("body"))
            out.append(f"  [{rec['step']}] {rec['method']} {rec['target']} -> {status} {body[:300]}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scratch", default=os.environ.get("OFFICIAL_CLIENTS_SCRATCH", "/work/scratch/official-clients"))
    ap.add_argument("--clients", default="python,node,browser")
    ap.add_argument("--out", default=str(REPO / "tests/fixtures/official-clients"))
    ap.add_argument("--keep-raw", help="also copy the raw (unnormalised) recordings here")
    ap.add_argument("--emulator-bin", help="use this imagekit-emulator binary instead of building one")
    ap.add_argument("--emulator-rev", help="build the emulator of this commit (e.g. HEAD) in the scratch "
                    "folder instead of the working tree")
    args = ap.parse_args()
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    scratch = Path(args.scratch).resolve()
    if not (scratch / "venv/bin/python").exists() or not (scratch / "node_modules/imagekit").exists():
        print(f"run.py: {scratch} has no clients; run tools/official-clients/install.sh first", file=sys.stderr)
        return 2
    clients = [c.strip() for c in args.clients.split(",") if c.strip()]
    unknown = [c for c in clients if c not in CLIENTS]
    if unknown:
        ap.error(f"unknown client(s) {unknown}; choose from {list(CLIENTS)}")

    summary, details, harness_failed = [], [], False
    with tempfile.TemporaryDirectory(prefix="official-clients-") as tmpdir:
        tmp = Path(tmpdir)
        (tmp / "assets").mkdir()
        write_assets(tmp / "assets")
        try:
            emulator_bin = args.emulator_bin or build_emulator(args.emulator_rev, scratch)
        except HarnessError as exc:
            print(f"run.py: {exc}", file=sys.stderr)
            return 2
        for name in clients:
            try:
                passed, failed, fails = run_client(name, emulator_bin, scratch, tmp, Path(args.out),
                                                   Path(args.keep_raw) if args.keep_raw else None)
                summary.append(f"{name}: {passed} passed, {failed} failed")
                if fails:
                    details.append(f"{name}:")
                    details.extend(fails)
            except HarnessError as exc:
                harness_failed = True
                summary.append(f"{name}: harness error: {exc}")
                for log in sorted(tmp.glob(f"{name}.*.log")):
                    tail = log.read_text(errors="replace").strip().splitlines()[-5:]
                    if tail:
                        summary.append(f"  {log.name}: " + " | ".join(tail))
            finally:
                stop_all()

    print()
    if details:
        print("requests answered with an error status:")
        print("\n".join(details))
        print()
    print("\n".join(summary))
    if harness_failed:
        return 2
    return 0 if all(re.search(r": \d+ passed, 0 failed$", s) for s in summary) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        stop_all()
