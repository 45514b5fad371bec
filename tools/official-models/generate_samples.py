"""Generates sample JSON values from the normalised models (models-nodejs.json,
models-python.json) into samples.jsonl, one line per sample:

    {"sdk": "nodejs"|"python", "model": "...", "case": "...", "fractional": bool, "json": ...}

For every model on the response or webhook side, and every request model (they
are cheap), it writes:
  - `all`: every property set (first union member, first literal, integral numbers);
  - `all-fractional` (marked `"fractional": true`): the same with every
    fractional-capable number (`number` in Node, `float` in Python) at 12.5;
  - `all-float-integral` (response/webhook only): integral numbers written as `12.0`;
  - `required`: only the required properties (nested objects likewise);
  - `nulls`: `all`, with every nullable property `null`;
  - `literal:P=V`: each further value V of a literal union at property P;
  - `union:P#I=KIND`: each further member I of a union at property P (or in its array items);
  - for union and array aliases: `member:NAME` for each member.
Nested named models are filled with their own `all`/`required` values; their
own variations are samples of those models.

Usage: python3 generate_samples.py MODELS_NODEJS MODELS_PYTHON > samples.jsonl
"""

from __future__ import annotations

import copy
import json
import sys

SIDES = {"response", "webhook", "request"}
MAX_DEPTH = 6


class Gen:
    def __init__(self, sdk: str, models: dict):
        self.sdk = sdk
        self.models = models

    # -- values ------------------------------------------------------------

    def value(self, t: dict, *, frac: bool, float_int: bool, required_only: bool, depth: int, hint: str):
        k = t["kind"]
        if k == "string":
            if t.get("format") == "date-time":
                return "2025-01-02T03:04:05.000Z"
            if t.get("format") == "date":
                return "2025-01-02"
            return f"{hint}-value"
        if k == "number":
            return 12.5 if frac else (12.0 if float_int else 12)
        if k == "integer":
            return 12.0 if float_int else 12
        if k == "boolean":
            return True
        if k == "literal":
            return t["value"]
        if k == "unknown":
            return f"{hint}-value"
        if k == "null":
            return None
        if k == "union":
            return self.value(t["members"][0], frac=frac, float_int=float_int, required_only=required_only, depth=depth, hint=hint)
        if k == "array":
            return [self.value(t["items"], frac=frac, float_int=float_int, required_only=required_only, depth=depth, hint=hint)]
        if k == "map":
            return {"key": self.value(t["values"], frac=frac, float_int=float_int, required_only=required_only, depth=depth, hint=hint)}
        if k == "ref":
            return self.model_value(t["name"], frac=frac, float_int=float_int, required_only=required_only, depth=depth + 1)
        if k in ("object",):
            return self.object_value(t, frac=frac, float_int=float_int, required_only=required_only, depth=depth)
        raise ValueError(f"cannot make a value of {t}")

    def model_value(self, name: str, *, frac: bool, float_int: bool, required_only: bool, depth: int):
        m = self.models[name]
        if m["kind"] == "object":
            return self.object_value(m, frac=frac, float_int=float_int, required_only=required_only or depth > MAX_DEPTH, depth=depth)
        return self.value(m["type"], frac=frac, float_int=float_int, required_only=required_only, depth=depth, hint=name.rsplit(".", 1)[-1])

    def object_value(self, m: dict, *, frac: bool, float_int: bool, required_only: bool, depth: int):
        out = {}
        for p in m["properties"]:
            if required_only and p["optional"]:
                continue
            out[p["name"]] = self.value(p["type"], frac=frac, float_int=float_int, required_only=required_only, depth=depth, hint=p["name"])
        return out

    # -- cases -------------------------------------------------------------

    def cases(self, m: dict):
        name = m["name"]
        response = bool(set(m["sides"]) & {"response", "webhook"})
        if m["kind"] == "object":
            yield from self.object_cases(m, response)
        elif m["kind"] in ("union", "array", "literals"):
            t = m["type"]
            items = t["items"] if t["kind"] == "array" else t
            members = items["members"] if items["kind"] == "union" else [items]
            for i, member in enumerate(members):
                v = self.value(member, frac=False, float_int=False, required_only=False, depth=0, hint=name.rsplit(".", 1)[-1])
                label = member.get("name") or json.dumps(member.get("value", member["kind"]))
                yield f"member:{label}", False, [v] if t["kind"] == "array" else v
        else:
            raise ValueError(f"{name}: unknown model kind {m['kind']}")

    def object_cases(self, m: dict, response: bool):
        base = lambda **kw: self.object_value(m, depth=0, **kw)  # noqa: E731
        all_ = base(frac=False, float_int=False, required_only=False)
        yield "all", False, all_
        fractional = base(frac=True, float_int=False, required_only=False)
        if fractional != all_ or json.dumps(fractional) != json.dumps(all_):
            yield "all-fractional", True, fractional
        if response:
            float_int = base(frac=False, float_int=True, required_only=False)
            if json.dumps(float_int) != json.dumps(all_):
                yield "all-float-integral", False, float_int
        required = base(frac=False, float_int=False, required_only=True)
        if required != all_:
            yield "required", False, required
        nullable = [p["name"] for p in m["properties"] if p["nullable"]]
        if nullable:
            nulls = copy.deepcopy(all_)
            for n in nullable:
                nulls[n] = None
            yield "nulls", False, nulls
        for p in m["properties"]:
            t = p["type"]
            in_array = t["kind"] == "array"
            inner = t["items"] if in_array else t
            inner = self.resolve_alias(inner)
            if inner["kind"] != "union":
                continue
            members = inner["members"]
            for i, member in enumerate(members[1:], start=1):
                v = self.value(member, frac=False, float_int=False, required_only=False, depth=0, hint=p["name"])
                sample = copy.deepcopy(all_)
                sample[p["name"]] = [v] if in_array else v
                if member["kind"] == "literal":
                    yield f"literal:{p['name']}{'[]' if in_array else ''}={member['value']}", False, sample
                else:
                    label = member.get("name", member["kind"])
                    yield f"union:{p['name']}{'[]' if in_array else ''}#{i}={label}", False, sample

    def resolve_alias(self, t: dict) -> dict:
        """A reference to a literal-union alias (`StreamingResolution`) counts as its union."""
        if t["kind"] == "ref" and self.models[t["name"]]["kind"] == "literals":
            return self.models[t["name"]]["type"]
        return t


def main():
    out = sys.stdout
    for path in sys.argv[1:]:
        doc = json.load(open(path))
        models = {m["name"]: m for m in doc["models"]}
        gen = Gen(doc["sdk"], models)
        for m in doc["models"]:
            if not set(m["sides"]) & SIDES:
                continue
            for case, fractional, value in gen.cases(m):
                line = {"sdk": doc["sdk"], "model": m["name"], "case": case, "fractional": fractional, "json": value}
                out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
