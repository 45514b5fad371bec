"""Imports every module of the installed `imagekitio.types` package and prints its
models (pydantic `BaseModel`s: responses; `TypedDict`s: request parameters) as
normalised JSON in the same format as extract-nodejs.cjs (see README.md).

Run with the scratch folder's interpreter (install.sh made it):
    /work/scratch/official-models/venv/bin/python <repo>/tools/official-models/extract_python.py > models-python.json
"""

from __future__ import annotations

import datetime
import importlib
import importlib.metadata
import json
import pkgutil
import sys
import types
import typing

import typing_extensions
from pydantic import BaseModel

import imagekitio.types as root

PREFIX = root.__name__ + "."
CURRENT_NS: dict = {}


def is_typeddict(tp: object) -> bool:
    return isinstance(tp, type) and typing_extensions.is_typeddict(tp)


def is_model(tp: object) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel) and tp.__module__.startswith(PREFIX)


def qualified(tp: type) -> str:
    """`imagekitio.types.accounts.webhook.Webhook` -> `accounts.webhook.Webhook`."""
    return f"{tp.__module__[len(PREFIX):]}.{tp.__qualname__}"


# Every module under imagekitio.types, imported so its classes exist.
modules = []
for info in pkgutil.walk_packages(root.__path__, PREFIX):
    modules.append(importlib.import_module(info.name))

classes: dict[str, type] = {}
aliases: dict[str, object] = {}  # module-level unions/aliases of models (e.g. `ExtensionConfig`)
for mod in modules:
    for name, obj in vars(mod).items():
        if (is_model(obj) or is_typeddict(obj)) and obj.__module__ == mod.__name__:
            classes[qualified(obj)] = obj
for mod in modules:
    # Package `__init__` modules only re-export; each alias is named after its own module.
    if mod.__file__.endswith("__init__.py"):
        continue
    for name, obj in vars(mod).items():
        if name.startswith("_") or isinstance(obj, type) or isinstance(obj, types.ModuleType):
            continue
        origin = typing_extensions.get_origin(obj)
        if origin is None and not isinstance(obj, typing_extensions.TypeAliasType):
            continue
        if name in getattr(mod, "__all__", [name]) and name[0].isupper():
            aliases[f"{mod.__name__[len(PREFIX):]}.{name}"] = obj

alias_ids = {id(v): k for k, v in aliases.items()}

# Models that refer to each other across modules (overlays and transformations)
# hold forward references until rebuilt.
# They are resolved in the namespace of their package (`shared`, `shared_params`),
# which imports every one of them.
def namespace_of(cls: type) -> dict:
    pkg = cls.__module__.rsplit(".", 1)[0]
    return {**vars(sys.modules[pkg]), **vars(sys.modules[cls.__module__])}


for cls in classes.values():
    if is_model(cls):
        cls.model_rebuild(force=True, _types_namespace=namespace_of(cls))


def strip_annotated(tp):
    """`Annotated[T, PropertyInfo(alias=...)]` -> (T, alias or None, discriminator or None)."""
    alias = discriminator = None
    while typing_extensions.get_origin(tp) is typing_extensions.Annotated:
        args = typing_extensions.get_args(tp)
        for meta in args[1:]:
            alias = getattr(meta, "alias", None) or alias
            discriminator = getattr(meta, "discriminator", None) or discriminator
        tp = args[0]
    return tp, alias, discriminator


def convert(tp, top=False):
    """A Python annotation -> normalised type expression."""
    if not top and id(tp) in alias_ids:
        return {"kind": "ref", "name": alias_ids[id(tp)]}
    tp, _, discriminator = strip_annotated(tp)
    if not top and id(tp) in alias_ids:
        return {"kind": "ref", "name": alias_ids[id(tp)]}
    if isinstance(tp, typing.ForwardRef):
        # Only aliases keep them (`Overlay = Union[TextOverlay, "ImageOverlay"]`).
        return convert(eval(tp.__forward_arg__, CURRENT_NS))
    if isinstance(tp, typing_extensions.TypeAliasType):
        return convert(tp.__value__)
    origin = typing_extensions.get_origin(tp)
    args = typing_extensions.get_args(tp)
    if origin in (typing_extensions.Required, typing_extensions.NotRequired, typing_extensions.ReadOnly):
        return convert(args[0])
    if tp is type(None) or tp is None:
        return {"kind": "null"}
    if tp is str:
        return {"kind": "string"}
    if tp is bool:
        return {"kind": "boolean"}
    if tp is int:
        return {"kind": "integer"}
    if tp is float:
        return {"kind": "number"}
    if tp is datetime.datetime:
        return {"kind": "string", "format": "date-time"}
    if tp is datetime.date:
        return {"kind": "string", "format": "date"}
    if tp in (object, typing.Any):
        return {"kind": "unknown"}
    if origin is typing_extensions.Literal:
        members = [{"kind": "literal", "value": a} for a in args]
        return members[0] if len(members) == 1 else {"kind": "union", "members": members}
    if origin in (typing.Union, types.UnionType):
        out = {"kind": "union", "members": [convert(a) for a in args]}
        if discriminator:
            out["discriminator"] = discriminator
        return out
    if origin in (list, typing.List, typing.Sequence, typing.Iterable, tuple, set, frozenset) or (
        origin is not None and getattr(origin, "__name__", "") in ("Sequence", "Iterable", "SequenceNotStr")
    ):
        return {"kind": "array", "items": convert(args[0]) if args else {"kind": "unknown"}}
    if origin in (dict, typing.Dict, typing.Mapping) or getattr(origin, "__name__", "") == "Mapping":
        return {"kind": "map", "values": convert(args[1]) if len(args) == 2 else {"kind": "unknown"}}
    if is_model(tp) or is_typeddict(tp):
        return {"kind": "ref", "name": qualified(tp)}
    # File-like upload bodies (FileTypes) and anything else that is not JSON.
    return {"kind": "unknown", "note": repr(tp)}


def literals_of(t):
    if t["kind"] == "literal":
        return [t["value"]]
    if t["kind"] == "union" and all(m["kind"] == "literal" for m in t["members"]):
        return [m["value"] for m in t["members"]]
    return None


def normalise_property(name, optional, t):
    nullable = False
    if t["kind"] == "union":
        members = [m for m in t["members"] if m["kind"] != "null"]
        nullable = len(members) != len(t["members"])
        if len(members) == 1:
            t = members[0]
        else:
            t = dict(t, members=members)
    elif t["kind"] == "null":
        nullable = True
    out = {"name": name, "optional": optional, "nullable": nullable, "type": t}
    lits = literals_of(t)
    if lits is not None:
        out["literals"] = lits
    return out


def model_entry(name: str, cls: type) -> dict:
    mod = sys.modules[cls.__module__]
    entry = {"name": name, "file": mod.__file__.split("site-packages/", 1)[-1], "python_class": cls.__qualname__}
    props = []
    if is_model(cls):
        entry["declaration"] = "pydantic"
        for field_name, field in cls.model_fields.items():
            wire = field.alias or field_name
            props.append(normalise_property(wire, not field.is_required(), convert(field.annotation)))
        # `__pydantic_extra__: Dict[str, object]` declares that unknown keys are kept.
        # (Stainless always writes it as `Dict[str, object]`.)
        declares_extra = "__pydantic_extra__" in cls.__dict__.get("__annotations__", {})
        entry["additional"] = {"kind": "unknown"} if declares_extra else None
    else:
        entry["declaration"] = "typeddict"
        hints = typing_extensions.get_type_hints(cls, localns=namespace_of(cls), include_extras=True)
        for field_name, annotation in hints.items():
            inner, alias, _ = strip_annotated(annotation)
            # `__optional_keys__` is wrong under `from __future__ import annotations`
            # on Python < 3.12 (string annotations hide `Required`), so read the
            # wrappers: Required/NotRequired, around or inside `Annotated`.
            optional = not cls.__total__
            while typing_extensions.get_origin(inner) in (typing_extensions.Required, typing_extensions.NotRequired):
                optional = typing_extensions.get_origin(inner) is typing_extensions.NotRequired
                inner, a2, _ = strip_annotated(typing_extensions.get_args(inner)[0])
                alias = alias or a2
            props.append(normalise_property(alias or field_name, optional, convert(inner)))
        entry["additional"] = None
    entry["kind"] = "object"
    entry["properties"] = props
    return entry


models = {}
for name, cls in sorted(classes.items()):
    models[name] = model_entry(name, cls)
for name, obj in sorted(aliases.items()):
    mod = sys.modules[PREFIX + name.rsplit(".", 1)[0]]
    CURRENT_NS = {**vars(sys.modules[mod.__name__.rsplit(".", 1)[0]]), **vars(mod)}
    t = convert(obj, top=True)
    entry = {"name": name, "file": sys.modules[PREFIX + name.rsplit(".", 1)[0]].__file__.split("site-packages/", 1)[-1],
             "declaration": "alias", "kind": t["kind"], "type": t}
    lits = literals_of(t)
    if lits is not None:
        entry["kind"] = "literals"
        entry["literals"] = lits
    models[name] = entry


def refs(node, out):
    if isinstance(node, dict):
        if node.get("kind") == "ref":
            out.append(node["name"])
        for v in node.values():
            refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)
    return out


# Sides: a model is on the response side when a resource method returns it (or
# something holding it), on the webhook side when the webhook unwrap returns it.
# TypedDicts are request parameters; pydantic models no method returns (URL
# helper options) get no side.
sides: dict[str, set] = {name: set() for name in models}


def mark(name, side, seen):
    if name in seen or name not in models:
        return
    seen.add(name)
    sides[name].add(side)
    m = models[name]
    for r in refs([m.get("type"), m.get("properties")], []):
        mark(r, side, seen)


import imagekitio.resources as resources_pkg  # noqa: E402
from imagekitio._resource import SyncAPIResource  # noqa: E402

for info in pkgutil.walk_packages(resources_pkg.__path__, resources_pkg.__name__ + "."):
    mod = importlib.import_module(info.name)
    for cls in vars(mod).values():
        if not (isinstance(cls, type) and issubclass(cls, SyncAPIResource) and cls.__module__ == mod.__name__):
            continue
        side = "webhook" if info.name == resources_pkg.__name__ + ".webhooks" else "response"
        for attr, fn in vars(cls).items():
            if attr.startswith("_") or not callable(fn):
                continue
            ret = typing_extensions.get_type_hints(fn, include_extras=True).get("return")
            if ret is None:
                continue
            for r in refs(convert(ret), []):
                mark(r, side, set())

# Request parameters: the TypedDicts of the `*_params` modules and what they hold.
# `dummy_create_params` is not an endpoint: Stainless's carrier for the URL
# helper types (`Transformation`, overlays), which are not JSON payloads.
for name, m in models.items():
    module = name.rsplit(".", 1)[0]
    if m["declaration"] == "typeddict" and module.endswith("_params") and not module.startswith("dummy"):
        mark(name, "request", set())

for name, m in models.items():
    if m["declaration"] == "alias":
        for r in refs(m["type"], []):
            sides[name].update(sides.get(r, ()))
    m["sides"] = sorted(sides[name])

out = {
    "sdk": "python",
    "package": "imagekitio",
    "version": importlib.metadata.version("imagekitio"),
    "pydantic": importlib.metadata.version("pydantic"),
    "models": [models[k] for k in sorted(models)],
}
json.dump(out, sys.stdout, indent=1, default=str)
sys.stdout.write("\n")
