"""Full compatibility between two JSON Schemas of one event type within a major version.

Compatible means both ways: a reader on the new schema accepts data written on the old
one, and a reader on the old schema accepts data written on the new one. So, beyond
"no removed property", widening is also a break: an old consumer rejects a new enum value
or a value that is newly allowed to be null. Adding an optional property is the additive
change; everything else needs a new major and an upcaster.
"""

from __future__ import annotations

import json
from typing import Any

Schema = dict[str, Any]

# Keywords whose every change alters what some valid value may be.
_CONSTRAINTS = ("const", "format", "pattern", "minimum", "maximum", "exclusiveMinimum",
                "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "minItems",
                "maxItems", "uniqueItems")


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """Every incompatibility between ``old`` and ``new``, one line each; empty if none."""
    return _Comparison(old, new).compare(old, new, "")


class _Comparison:
    """A walk over two schema documents side by side, resolving local ``$ref`` s."""

    def __init__(self, old_root: Schema, new_root: Schema) -> None:
        self.roots = (old_root, new_root)
        self.seen: set[tuple[int, int]] = set()

    def compare(self, old: Schema, new: Schema, path: str) -> list[str]:
        """Compare two subschemas at ``path`` (a dotted field path, ``[]`` for items)."""
        old, new = _resolve(self.roots[0], old), _resolve(self.roots[1], new)
        if (id(old), id(new)) in self.seen:  # a recursive definition already compared
            return []
        self.seen.add((id(old), id(new)))
        olds, news = self._alternatives(0, old), self._alternatives(1, new)
        where = path or "(root)"
        breaks = [f"{where}: type {k} no longer accepted (new readers reject old data)"
                  for k in olds.keys() - news.keys()]
        breaks += [f"{where}: type {k} newly allowed (old readers reject new data)"
                   for k in news.keys() - olds.keys()]
        for kind in sorted(olds.keys() & news.keys()):
            breaks += self._same_kind(olds[kind], news[kind], path)
        return breaks

    def _alternatives(self, side: int, schema: Schema) -> dict[str, Schema]:
        branches = schema.get("anyOf") or schema.get("oneOf") or [schema]
        resolved = [_resolve(self.roots[side], b) for b in branches]
        return {json.dumps(b.get("type", "any")): b for b in resolved}

    def _same_kind(self, old: Schema, new: Schema, path: str) -> list[str]:
        where = path or "(root)"
        breaks = _enum_changes(old, new, where)
        breaks += [f"{where}: {key} changed from {old.get(key)!r} to {new.get(key)!r}"
                   for key in _CONSTRAINTS if old.get(key) != new.get(key)]
        if "items" in old or "items" in new:
            breaks += self.compare(old.get("items", {}), new.get("items", {}), f"{path}[]")
        if old.get("type") == "object" or "properties" in old or "properties" in new:
            breaks += self._objects(old, new, path)
        return breaks

    def _objects(self, old: Schema, new: Schema, path: str) -> list[str]:
        prefix = f"{path}." if path else ""
        props_old, props_new = old.get("properties", {}), new.get("properties", {})
        req_old, req_new = set(old.get("required", [])), set(new.get("required", []))
        breaks = [f"{prefix}{p}: property removed" for p in sorted(props_old.keys() - props_new)]
        breaks += [f"{prefix}{p}: newly required (old data lacks it)"
                   for p in sorted(req_new - req_old)]
        breaks += [f"{prefix}{p}: no longer required (old readers need it)"
                   for p in sorted((req_old - req_new) & props_new.keys())]
        extra_old, extra_new = old.get("additionalProperties"), new.get("additionalProperties")
        if extra_new is False and extra_old is not False:
            breaks.append(f"{path or '(root)'}: additionalProperties closed (old data with "
                          f"extra fields rejected)")
        if extra_old is False:
            breaks += [f"{prefix}{p}: added but old readers forbid extra properties"
                       for p in sorted(props_new.keys() - props_old.keys())]
        if isinstance(extra_old, dict) and isinstance(extra_new, dict):
            breaks += self.compare(extra_old, extra_new, f"{prefix}*")
        for name in sorted(props_old.keys() & props_new.keys()):
            breaks += self.compare(props_old[name], props_new[name], f"{prefix}{name}")
        return breaks


def _enum_changes(old: Schema, new: Schema, where: str) -> list[str]:
    if "enum" not in old and "enum" not in new:
        return []
    if "enum" not in new:
        return [f"{where}: enum dropped (old readers reject the new values)"]
    if "enum" not in old:
        return [f"{where}: enum added (new readers reject old values outside it)"]
    removed = [v for v in old["enum"] if v not in new["enum"]]
    added = [v for v in new["enum"] if v not in old["enum"]]
    breaks = [f"{where}: enum value {v!r} removed (new readers reject old data)" for v in removed]
    return breaks + [f"{where}: enum value {v!r} added (old readers reject new data)"
                     for v in added]


def _resolve(root: Schema, schema: Schema) -> Schema:
    """Follow local ``$ref`` s (``#/$defs/X``) until a schema without one."""
    hops = 0
    while "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/") or hops > 32:
            raise ValueError(f"unsupported $ref {ref!r}")
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        schema, hops = target, hops + 1
    return schema
