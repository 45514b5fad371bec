"""Turns the proxy's raw records of one client into its replayable fixture (stdlib only).

What changes from run to run is replaced by named placeholders, so that two runs against the
same emulator give the same file and a replay test can put its own values back:

- ports: `127.0.0.1:<port>` (also `%3A`-encoded) -> `127.0.0.1:{{emulator_port}}`,
  `{{proxy_port}}`, `{{page_port}}`;
- ids (24 hex digits, as ImageKit's and the emulator's): `{{fileId_1}}`, `{{versionId_1}}`,
  `{{fieldId_1}}`, `{{jobId_1}}`, `{{requestId_1}}`, `{{id_1}}` ... numbered by first appearance;
  the record where a placeholder first appears lists it in `captures` with the JSON pointer of
  the string that holds it (the normalised string there is a template for the live one);
  `x-ik-requestid` response headers -> `{{request-id}}`;
- the 9 random characters of a unique file name (`bytes_AbC123xyz.png`) -> `{{unique_1}}`;
- ISO-8601 timestamps -> `{{timestamp}}`, HTTP dates -> `{{http-date}}`;
- signed URL parameters `ik-t=` / `ik-s=` -> `{{ik-t}}` / `{{ik-s}}`;
- values a workflow declared as varying (browser upload `token`, `expire`, `signature`) ->
  `{{token}}`, `{{expire}}`, `{{signature}}`;
- multipart boundaries -> `[boundary]` (in `content-type`; parts never show them).

`body_length` and `content-length` stay as sent (a placeholder may be longer or shorter than
the value it stands for).
"""

from __future__ import annotations

import re

ID_RE = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{24}(?![0-9A-Za-z])")
ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")
HTTP_DATE_RE = re.compile(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT")
IK_T_RE = re.compile(r"(ik-t=)\d+")
IK_S_RE = re.compile(r"(ik-s=)[0-9a-f]{40}")
BOUNDARY_RE = re.compile(r"(boundary=)(\"[^\"]*\"|[^;,\s]+)")
UNIQUE_RE = re.compile(r"^(?P<stem>.*)_(?P<suffix>[A-Za-z0-9]{9})(?P<ext>\.[^./]*)?$")

REQUEST_ID_HEADERS = {"x-ik-requestid", "x-request-id"}


def pointer_escape(key) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


class Normalizer:
    def __init__(self, ports: dict[str, int], values: dict[str, str]):
        # Longest first, so that a value containing another is replaced whole.
        self.values = sorted(((v, k) for k, v in values.items() if v), key=lambda p: -len(p[0]))
        self.port_res = [
            (re.compile(rf"((?:127\.0\.0\.1|localhost)(?::|%3A|%3a)){port}(?!\d)"), name)
            for name, port in ports.items()
        ]
        self.ids: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.uniques: dict[str, str] = {}

    def placeholder(self, base: str) -> str:
        self.counts[base] = self.counts.get(base, 0) + 1
        return f"{base}_{self.counts[base]}"

    # -- pre-scan: unique file names of uploads ------------------------------------------------

    def scan_unique_names(self, rec: dict) -> None:
        if not rec["path"].endswith("/files/upload"):
            return
        sent = None
        body = rec.get("body")
        if isinstance(body, dict):
            for part in body.get("multipart/form-data", []):
                if part.get("name") == "fileName" and "value" in part:
                    sent = part["value"]
        got = (rec.get("response") or {}).get("body")
        if not sent or not isinstance(got, dict) or not isinstance(got.get("name"), str):
            return
        m = UNIQUE_RE.match(got["name"])
        if got["name"] != sent and m and f"{m['stem']}{m['ext'] or ''}" == sent:
            suffix = m["suffix"]
            if suffix not in self.uniques:
                self.uniques[suffix] = self.placeholder("unique")

    # -- substitution --------------------------------------------------------------------------

    def text(self, s: str, key, parent, rec: dict, pointer: str, captures: dict, in_response: bool) -> str:
        for rx, name in self.port_res:
            s = rx.sub(lambda m, n=name: m.group(1) + "{{" + n + "}}", s)
        for value, name in self.values:
            s = s.replace(value, "{{" + name + "}}")
        for suffix, name in self.uniques.items():
            s = s.replace("_" + suffix, "_{{" + name + "}}")
        s = ISO_RE.sub("{{timestamp}}", s)
        s = HTTP_DATE_RE.sub("{{http-date}}", s)
        s = IK_T_RE.sub(r"\1{{ik-t}}", s)
        s = IK_S_RE.sub(r"\1{{ik-s}}", s)
        if key == "content-type" and parent == "headers":
            s = BOUNDARY_RE.sub(r"\1[boundary]", s)  # before ids: a boundary may hold 24 hex digits
        if key in REQUEST_ID_HEADERS and parent == "headers":
            return ID_RE.sub("{{request-id}}", s)

        def repl(m: re.Match) -> str:
            value = m.group(0)
            if value not in self.ids:
                name = self.placeholder(self.id_base(key, parent, rec))
                self.ids[value] = name
                captures[name] = {"pointer": pointer, "in": "response" if in_response else "request"}
            return "{{" + self.ids[value] + "}}"

        return ID_RE.sub(repl, s)

    @staticmethod
    def id_base(key, parent, rec: dict) -> str:
        if isinstance(key, str) and key.endswith("Id") and key.isalnum():
            return key  # fileId, folderId, jobId, requestId, purgeRequestId
        if key == "id" and parent == "versionInfo":
            return "versionId"
        if key == "id" and "/customMetadataFields" in rec["path"]:
            return "fieldId"
        return "id"

    def walk(self, value, key, parent, rec, pointer, captures, in_response):
        if isinstance(value, str):
            return self.text(value, key, parent, rec, pointer, captures, in_response)
        if isinstance(value, list):
            return [self.walk(v, key, parent, rec, f"{pointer}/{i}", captures, in_response)
                    for i, v in enumerate(value)]
        if isinstance(value, dict):
            return {k: self.walk(v, k, key, rec, f"{pointer}/{pointer_escape(k)}", captures, in_response)
                    for k, v in value.items()}
        return value

    def fields(self, obj: dict, prefix: str, rec: dict, captures: dict, in_response: bool, done: dict) -> None:
        """Normalise the fields of `obj` into `done`; raw_body last, so that an id is named after
        the parsed JSON field that holds it (`fileId`), not after the raw text."""
        order = [k for k in obj if k not in ("response", "raw_body")] + [k for k in obj if k == "raw_body"]
        for k in order:
            done[k] = self.walk(obj[k], k, None, rec, f"{prefix}/{pointer_escape(k)}", captures, in_response)
        if isinstance(done.get("query"), list):  # decoded query pairs: the signed URL's values alone
            done["query"] = [[n, "{{" + n + "}}"] if n in ("ik-t", "ik-s") and len(p) == 2 else p
                             for p in done["query"] for n in [p[0] if p else None]]

    def record(self, rec: dict) -> dict:
        captures: dict = {}
        req: dict = {}
        self.fields(rec, "", rec, captures, False, req)
        out = {k: req[k] for k in rec if k in req}  # the recorded key order
        if "response" in rec:
            resp: dict = {}
            self.fields(rec["response"], "/response", rec, captures, True, resp)
            out["response"] = {k: resp[k] for k in rec["response"]}
        if captures:
            out["captures"] = captures
        return out


def normalize(records: list[dict], ports: dict[str, int], values: dict[str, str]) -> list[dict]:
    """The fixture lines for `records` (one client's, in order)."""
    norm = Normalizer(ports, values)
    for rec in records:
        norm.scan_unique_names(rec)
    return [norm.record(rec) for rec in records]
