#!/usr/bin/env python3
"""A recording reverse proxy for loopback HTTP (stdlib only).

Listens on a loopback address, forwards every request to one upstream (the
emulator) unchanged, sends the upstream's answer back unchanged, and records
each exchange, request AND response, as one JSON line. The request side uses
the record format of shared/tools/capture_server.py (seq, http_version,
method, target, path, query_string, query, headers, header_names_raw,
body_length, body_kind, body, raw_body); a multipart body is written as its
parts the way imagekit-transport's test_util renders them
(`{"multipart/form-data": [{"name", "filename"?, "content_type"?, "headers"?,
"value" | "file" | "binary"}]}`, files as `{"len", "sha256": <16 hex>}`),
plus `"base64"` for files and binary bodies up to --inline-limit bytes so a
recording can be replayed. `authorization` is written as `[redacted]`.
The response is recorded under `response` in the same shape (status, reason,
headers, header_names_raw, body_length, body_kind, body, raw_body).

Usage:
    recording_proxy.py --upstream http://127.0.0.1:8787 [--port 0]
                       [--log FILE] [--port-file FILE]

The first stdout line is "LISTENING http://127.0.0.1:PORT".

Control API (never forwarded, never recorded), JSON:
    GET  /__proxy/health                     -> {"ok": true, "seq": N}
    POST /__proxy/label {"client", "step", "expect"?}
                                             -> label the following records (expect: the
                                                statuses the real service answers, kept as
                                                `expect_status`)
    GET  /__proxy/records?since=N            -> {"records": [... seq > N]}
    POST /__proxy/shutdown
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import http.client
import json
import socket
import sys
import threading
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONTROL_PREFIX = "/__proxy/"
REDACTED = "[redacted]"
REDACT = {"authorization", "proxy-authorization", "cookie"}
# Hop-by-hop headers (RFC 9110 7.6.1) are not forwarded; bodies are re-framed with Content-Length.
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


# ---------------------------------------------------------------------------
# Body rendering


def sha16(data: bytes) -> str:
    """The first 16 hex digits of the SHA-256, as test_util renders it."""
    return hashlib.sha256(data).hexdigest()[:16]


def fingerprint(data: bytes, inline_limit: int) -> dict:
    out = {"len": len(data), "sha256": sha16(data)}
    if len(data) <= inline_limit:
        out["base64"] = base64.b64encode(data).decode("ascii")
    return out


def parse_params(value: str) -> tuple[str, dict]:
    """'form-data; name="a"; filename="b"' -> ('form-data', {'name': 'a', 'filename': 'b'})."""
    parts, cur, in_q, esc = [], "", False, False
    for ch in value:
        if esc:
            cur, esc = cur + ch, False
        elif ch == "\\" and in_q:
            cur, esc = cur + ch, True
        elif ch == '"':
            in_q = not in_q
            cur += ch
        elif ch == ";" and not in_q:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    params = {}
    for p in parts[1:]:
        if "=" not in p:
            continue
        k, v = p.split("=", 1)
        k, v = k.strip().lower(), v.strip()
        if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
            v = v[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        params[k] = v
    return parts[0].strip().lower(), params


def utf8(data: bytes):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def parse_multipart(body: bytes, boundary: str, inline_limit: int):
    """The parts of a multipart body, or None when it does not parse."""
    delim = b"--" + boundary.encode("latin-1")
    segments = body.split(delim)
    if len(segments) < 2:
        return None
    parts, closed, epilogue = [], False, b""
    for i, seg in enumerate(segments[1:]):
        if seg.startswith(b"--"):
            closed = True
            epilogue = seg[2:]
            if epilogue.startswith(b"\r\n"):
                epilogue = epilogue[2:]
            break
        if not seg.startswith(b"\r\n"):
            return None
        seg = seg[2:]
        if seg.endswith(b"\r\n"):
            seg = seg[:-2]
        head, sep, content = seg.partition(b"\r\n\r\n")
        if not sep:
            return None
        headers = {}
        for line in head.split(b"\r\n"):
            name, _, val = line.decode("utf-8", "replace").partition(":")
            headers[name.strip().lower()] = val.strip()
        _, params = parse_params(headers.get("content-disposition", ""))
        part = {}
        if "name" in params:
            part["name"] = params["name"]
        if "filename" in params:
            part["filename"] = params["filename"]
        if "content-type" in headers:
            part["content_type"] = headers["content-type"]
        other = {k: v for k, v in sorted(headers.items()) if k not in ("content-disposition", "content-type")}
        if other:
            part["headers"] = other
        text = utf8(content)
        if "filename" in params:
            part["file"] = fingerprint(content, inline_limit)
        elif text is None:
            part["binary"] = fingerprint(content, inline_limit)
        else:
            part["value"] = text
        parts.append(part)
    out = {"multipart/form-data": parts}
    preamble = segments[0]
    if preamble:
        out["preamble"] = fingerprint(preamble, inline_limit)
    if epilogue:
        out["epilogue"] = fingerprint(epilogue, inline_limit)
    return out, closed


def render_body(body: bytes, content_type: str | None, inline_limit: int) -> dict:
    """capture_server's body fields: body_length, body_kind, body (+ raw_body for text)."""
    info: dict = {"body_length": len(body)}
    if not body:
        info.update(body_kind="empty", body=None)
        return info
    main, params = parse_params(content_type or "")
    if main == "multipart/form-data" and "boundary" in params:
        parsed = parse_multipart(body, params["boundary"], inline_limit)
        if parsed is not None:
            form, closed = parsed
            info.update(body_kind="multipart", multipart={"closed": closed}, body=form)
            return info
        info.update(body_kind="unparsed_multipart", body={"unparsed_multipart": fingerprint(body, inline_limit)})
        return info
    text = utf8(body)
    if text is None or "\x00" in text:
        info.update(body_kind="binary", body={"binary": fingerprint(body, inline_limit)})
        return info
    info["raw_body"] = text
    if main == "application/x-www-form-urlencoded":
        info.update(body_kind="form", body=urllib.parse.parse_qsl(text, keep_blank_values=True))
        return info
    try:
        info.update(body_kind="json", body=json.loads(text))
    except ValueError:
        info.update(body_kind="text", body=text)
    return info


def decoded(body: bytes, encoding: str | None) -> bytes:
    """The body without its content-coding, for the record only."""
    enc = (encoding or "").strip().lower()
    try:
        if enc == "gzip":
            return gzip.decompress(body)
        if enc == "deflate":
            return zlib.decompress(body)
    except (OSError, zlib.error):
        pass
    return body


def header_map(pairs) -> dict:
    """Lower-cased names; a repeated header becomes a list; secrets redacted."""
    out: dict = {}
    for k, v in pairs:
        lk = k.lower()
        if lk in REDACT:
            v = REDACTED
        if lk in out:
            prev = out[lk]
            out[lk] = (prev if isinstance(prev, list) else [prev]) + [v]
        else:
            out[lk] = v
    return out


# ---------------------------------------------------------------------------
# Server


class State:
    def __init__(self, upstream: urllib.parse.SplitResult, log_path: str | None, inline_limit: int):
        self.upstream = upstream
        self.log_path = log_path
        self.inline_limit = inline_limit
        self.lock = threading.Lock()
        self.seq = 0
        self.records: list[dict] = []
        self.label = {"client": None, "step": None}

    def add(self, rec: dict) -> None:
        with self.lock:
            self.records.append(rec)
            if self.log_path:
                with open(self.log_path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "recording-proxy/1.0"
    state: State

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self.handle_any()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def reply(self, status: int, headers: list, body: bytes) -> None:
        self.send_response_only(status)
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def handle_any(self):
        body = self.read_body()
        parsed = urllib.parse.urlsplit(self.path)
        if parsed.path.startswith(CONTROL_PREFIX):
            self.control(parsed, body)
        else:
            self.forward(parsed, body)

    def control(self, parsed, body: bytes):
        st = self.state
        name = parsed.path[len(CONTROL_PREFIX):]
        payload = json.loads(body) if body else {}
        if name == "health":
            out = {"ok": True, "seq": st.seq}
        elif name == "label":
            with st.lock:
                st.label = {"client": payload.get("client"), "step": payload.get("step"),
                            "expect": payload.get("expect")}
            out = {"ok": True}
        elif name == "records":
            since = int(dict(urllib.parse.parse_qsl(parsed.query)).get("since", "0"))
            with st.lock:
                out = {"records": [r for r in st.records if r["seq"] > since], "seq": st.seq}
        elif name == "shutdown":
            out = {"ok": True}
            threading.Thread(target=self.server.shutdown, daemon=True).start()
        else:
            self.reply(404, [("Content-Type", "application/json"), ("Content-Length", "2")], b"{}")
            return
        data = json.dumps(out).encode()
        self.reply(200, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))], data)

    def forward(self, parsed, body: bytes):
        st = self.state
        with st.lock:
            st.seq += 1
            seq = st.seq
            label = dict(st.label)
        raw_pairs = list(self.headers.items())
        rec = {
            "seq": seq,
            "client": label["client"],
            "step": label["step"],
            "http_version": self.request_version,
            "method": self.command,
            "target": self.path,
            "path": parsed.path,
            "query_string": parsed.query,
            "query": urllib.parse.parse_qsl(parsed.query, keep_blank_values=True),
            "headers": header_map(raw_pairs),
            "header_names_raw": [k for k, _ in raw_pairs],
        }
        if label.get("expect"):
            rec["expect_status"] = label["expect"]
        rec.update(render_body(body, self.headers.get("Content-Type"), st.inline_limit))

        # The body is already read (and 100-continue answered), so `expect` is not passed on.
        skip = HOP_BY_HOP | {"content-length", "expect"}
        send_headers = [(k, v) for k, v in raw_pairs if k.lower() not in skip]
        if body or self.command in ("POST", "PUT", "PATCH"):
            send_headers.append(("Content-Length", str(len(body))))
        up = st.upstream
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=120)
        try:
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for k, v in send_headers:
                conn.putheader(k, v)
            conn.endheaders(body or None)
            resp = conn.getresponse()
            resp_body = resp.read()
            resp_pairs = resp.getheaders()
            status, reason = resp.status, resp.reason
        except OSError as exc:
            rec["response"] = {"error": f"{type(exc).__name__}: {exc}"}
            st.add(rec)
            msg = f"recording proxy: upstream failed: {exc}".encode()
            self.reply(502, [("Content-Type", "text/plain"), ("Content-Length", str(len(msg)))], msg)
            return
        finally:
            conn.close()

        keep_length = self.command == "HEAD"  # a HEAD answer announces the GET body's length
        out_headers = [
            (k, v) for k, v in resp_pairs
            if k.lower() not in HOP_BY_HOP and (keep_length or k.lower() != "content-length")
        ]
        if not keep_length and not (status in (204, 304) or 100 <= status < 200):
            out_headers.append(("Content-Length", str(len(resp_body))))
        lower = {k.lower(): v for k, v in resp_pairs}
        response = {
            "status": status,
            "reason": reason,
            "headers": header_map(resp_pairs),
            "header_names_raw": [k for k, _ in resp_pairs],
        }
        plain = decoded(resp_body, lower.get("content-encoding"))
        response.update(render_body(plain, lower.get("content-type"), st.inline_limit))
        rec["response"] = response
        st.add(rec)
        try:
            self.reply(status, out_headers, resp_body)
        except OSError:
            self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, OSError)):
            return
        super().handle_error(request, client_address)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--upstream", required=True, help="http://127.0.0.1:PORT of the emulator")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", help="append each exchange as a JSON line to this file")
    ap.add_argument("--port-file", help="write the bound port here")
    ap.add_argument("--inline-limit", type=int, default=16384,
                    help="binary bodies and files up to this many bytes are also recorded as base64")
    args = ap.parse_args(argv)
    upstream = urllib.parse.urlsplit(args.upstream)
    if upstream.scheme != "http" or not upstream.hostname or not upstream.port:
        ap.error("--upstream must be http://HOST:PORT")
    if not is_loopback(args.host) or not is_loopback(upstream.hostname):
        ap.error("only loopback addresses are allowed")
    Handler.state = State(upstream, args.log, args.inline_limit)
    httpd = Server((args.host, args.port), Handler)
    port = httpd.server_address[1]
    if args.port_file:
        with open(args.port_file, "w") as fh:
            fh.write(str(port))
    print(f"LISTENING http://{args.host}:{port}", flush=True)
    try:
        httpd.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    socket.setdefaulttimeout(None)
    main()
