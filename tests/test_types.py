"""The entity types (atlante/entities.py) agree with the JSON Schemas they are written from.

Each kind's schema is walked, `$ref`s resolved: every object must be a TypedDict with the same
property names and the same required ones, every value a compatible type (string: str, integer: int,
number: float, boolean: bool, an enum: the Literal of its values, an array: a list of its items, an
object of named properties: a TypedDict, an object of any names: a dict by str). A change to a schema
that the types do not follow, or the reverse, fails here.
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from atlante import entities, schemas
from atlante.kinds import KINDS

from helpers import ROOT

SCHEMAS = ROOT / "data" / "schema"


def _schemas() -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMAS.glob("*.schema.json"))}


def _resolve(node: dict[str, Any], by_id: dict[str, dict[str, Any]], here: str) -> tuple[dict[str, Any], str]:
    """`node` with its `$ref` followed (to another file's `$defs`, or this one's), and the file it is in."""
    while "$ref" in node:
        target, _, pointer = node["$ref"].partition("#")
        here = target or here
        node = by_id[here]
        for part in pointer.strip("/").split("/") if pointer.strip("/") else ():
            node = node[part]
    return node, here


def disagreements(node: dict[str, Any], hint: Any, by_id: dict[str, dict[str, Any]], here: str, where: str,
                  skip: frozenset[str] = frozenset()) -> list[str]:
    """Where the schema `node` and the type `hint` part ways, each as '<where>: <what>'."""
    node, here = _resolve(node, by_id, here)
    if "enum" in node:
        if get_origin(hint) is not Literal or set(get_args(hint)) != set(node["enum"]):
            return [f"{where}: the schema's enum {node['enum']} against {hint}"]
        return []
    kind = node.get("type")
    if isinstance(kind, list):  # ["string", "null"]
        members = set(get_args(hint)) if get_origin(hint) in (typing.Union, types.UnionType) else {hint}
        wanted = {_SCALARS[k] for k in kind}
        return [] if members == wanted else [f"{where}: the schema's types {kind} against {hint}"]
    if kind in _SCALARS:
        return [] if hint is _SCALARS[kind] else [f"{where}: the schema's {kind} against {hint}"]
    if kind == "array":
        if get_origin(hint) is not list:
            return [f"{where}: the schema's array against {hint}"]
        return disagreements(node["items"], get_args(hint)[0], by_id, here, f"{where}[]")
    if kind == "object" and "properties" in node:
        if not is_typeddict(hint):
            return [f"{where}: the schema's object against {hint}"]
        props = {name: sub for name, sub in node["properties"].items() if name not in skip}
        fields = get_type_hints(hint)
        out = []
        if set(props) != set(fields):
            out.append(f"{where}: the schema's properties {sorted(props)} against the type's {sorted(fields)}")
        required = set(node.get("required", ()))
        if required != set(hint.__required_keys__):
            out.append(f"{where}: the schema's required {sorted(required)} against the type's "
                       f"{sorted(hint.__required_keys__)}")
        for name in sorted(set(props) & set(fields)):
            out += disagreements(props[name], fields[name], by_id, here, f"{where}.{name}")
        return out
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        if get_origin(hint) is not dict or get_args(hint)[0] is not str:
            return [f"{where}: the schema's mapping against {hint}"]
        return disagreements(node["additionalProperties"], get_args(hint)[1], by_id, here, f"{where}{{}}")
    return [f"{where}: a schema node the test does not know: {sorted(node)}"]


_SCALARS: dict[str, Any] = {"string": str, "integer": int, "number": float, "boolean": bool, "null": type(None)}


@pytest.mark.parametrize("kind", [k.name for k in KINDS])
def test_each_kinds_type_agrees_with_its_schema(kind: str) -> None:
    by_id = _schemas()
    file = f"{kind}.schema.json"
    schema = by_id[file]
    blocks = frozenset(name for name, sub in schema["properties"].items() if sub.get(schemas.LANGUAGE_MARK))
    data, texts = entities.DATA[kind]
    assert disagreements(schema, data, by_id, file, kind, skip=blocks) == []
    assert blocks, "the project has a translation, and each schema its language block"
    for lang in sorted(blocks):
        assert disagreements(schema["properties"][lang], texts, by_id, file, f"{kind}.{lang}") == []


def test_every_kind_has_its_types_and_the_union_holds_them_all() -> None:
    assert list(entities.DATA) == [k.name for k in KINDS]
    assert set(get_args(entities.EntityData)) == {data for data, _ in entities.DATA.values()}


def test_a_disagreement_is_found() -> None:
    """The walk finds what it should: a missing field, a field made optional, a type, an enum."""
    by_id = _schemas()
    schema = json.loads(json.dumps(by_id["city.schema.json"]))
    schema["properties"]["population"] = {"type": "integer"}
    schema["required"].remove("region")
    schema["properties"]["coordinates"]["properties"]["lat"] = {"type": "string"}
    schema["properties"]["region"]["enum"].append("Atlantide")
    blocks = frozenset(n for n, s in schema["properties"].items() if s.get(schemas.LANGUAGE_MARK))
    found = disagreements(schema, entities.CityData, by_id, "city.schema.json", "city", skip=blocks)
    assert [f.split(":")[0] for f in found] == ["city", "city", "city.coordinates.lat", "city.region"]


def test_the_schema_folder_holds_the_kinds_and_the_envelope_only() -> None:
    assert {p.name for p in Path(SCHEMAS).glob("*.schema.json")} == {f"{k.name}.schema.json" for k in KINDS} | {
        "envelope.schema.json"}
