"""Step 2, validate: each document against its kind's JSON Schema, then the named rules (rules.py)
on the documents that passed it.

Findings are data, collected for the whole run; nothing here raises on bad input. Schema errors
come from the jsonschema library (`iter_errors`) and are rephrased as "expected …, found …" at the
line of the offending value, with the nearest known name where there is one (the rule `schema`).

Two validators per kind: a compiled one (jsonschema-rs) says only whether a document is valid, and
is asked first; the detailed one (jsonschema) runs only on the documents it does not accept, so
that the findings are those of the detailed one alone. The compiled one checks `pattern` with
Python's `re`, as jsonschema does (Rust's regular expressions differ on what is whitespace and
where `$` matches), and a value it cannot take (a date, a key that is not text) is not accepted.
The schemas themselves are checked the same way: by jsonschema-rs against the JSON Schema
meta-schema (and their regular expressions compiled by `re`), by jsonschema only when that fails.
jsonschema is imported only then, or for a document that fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, cast

import jsonschema_rs

from . import faults, files, rules, yamlsource
from .kinds import KINDS
from .load import Document
from .messages import closest, describe, dotted, phrase, suggest
from .model import SLUG, Finding, Json, Path
from .yamlsource import Positions

if TYPE_CHECKING:
    import jsonschema

# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def validate(documents: list[Document], schema_dir: FsPath, docs_dir: FsPath | None = None,
             languages: tuple[str, ...] = (), *, fast: bool = True, kept: FsPath | None = None,
             paths: dict[str, dict[str, str]] | None = None) -> list[Finding]:
    """All findings for these documents; a document that failed to load is skipped.

    `docs_dir` holds the hand-written pages, which may not take a generated page's address;
    `languages` are the site's editions, the source language first. `fast`: ask the compiled
    validator first (the findings are the same without it, only slower: the tests compare them).
    `kept`: the folder of what earlier runs found (cache.py), here the regions of places. `paths`: each
    language's site pages' paths (its translation file's `paths:`), where they differ between editions.
    """
    validators, broken = _validators(schema_dir)
    if broken:  # nothing can be checked against a schema that cannot be read: say only that
        return broken
    findings: list[Finding] = []
    valid: list[Document] = []
    for doc in documents:
        if doc.data is None:
            continue
        faults.note(doc.file, "checking it against its schema")
        problems = _schema_findings_of(doc, validators[doc.kind], languages, fast)
        findings.extend(problems)
        if not problems:
            valid.append(doc)
    existing: dict[str, set[str]] = {k.name: set() for k in KINDS}
    for doc in documents:
        existing[doc.kind].add(doc.stem)
    checked = cast("list[rules.Valid]", valid)  # each was read (its data not None) and passed its schema
    context = rules.Context(
        valid=checked, existing=existing, languages=languages, docs_dir=docs_dir, paths=dict(paths or {}),
        broken={(d.kind, d.stem) for d in documents} - {(d.kind, d.stem) for d in valid},
        statements=rules.statement_index(checked), kept=kept,
    )
    faults.note("data/", "applying the rules")
    findings.extend(rules.run(context))
    return findings


# ---------------------------------------------------------------------------------------------
# Schema validation, one document at a time
# ---------------------------------------------------------------------------------------------


@dataclass
class _Validator:
    schema: Json
    schemas: dict[str, Json]  # every schema file, by name: what its references point to
    compiled: jsonschema_rs.Validator | None  # None: the schema is beyond it; the detailed one does all
    _detailed: jsonschema.Draft202012Validator | None = field(default=None, repr=False)

    @property
    def detailed(self) -> jsonschema.Draft202012Validator:
        """jsonschema's validator, made when first needed."""
        if self._detailed is None:
            import jsonschema
            from referencing import Registry, Resource

            registry: Registry = Registry().with_resources(
                (name, Resource.from_contents(s)) for name, s in self.schemas.items()
            )
            self._detailed = jsonschema.Draft202012Validator(self.schema, registry=registry)
        return self._detailed

    def accepts(self, data: object) -> bool:
        """Whether the compiled validator finds `data` valid (False also when it cannot tell)."""
        if self.compiled is None:
            return False
        try:
            return self.compiled.is_valid(data)
        except Exception:  # noqa: BLE001 - a value it cannot convert (a date, a lone surrogate): ask the other
            return False


class _PythonPattern:
    """`pattern` as jsonschema checks it (`re.search`), for the compiled validator."""

    def __init__(self, _parent: Json, pattern: str, _path: list[str | int]) -> None:
        self.search = re.compile(pattern).search

    def validate(self, instance: object) -> None:
        if isinstance(instance, str) and not self.search(instance):
            raise ValueError("does not match")


_VALIDATORS: dict[str, tuple[dict[str, _Validator], list[Finding]]] = {}


def _validators(schema_dir: FsPath) -> tuple[dict[str, _Validator], list[Finding]]:
    """Read on every run, so that `mkdocs serve` picks up an edited schema too, and compiled once
    per content of the schema files; a schema that is missing, is not JSON or is not a valid JSON
    Schema is an error located in it."""
    try:
        key = repr(sorted((p.name, files.read_bytes(p)) for p in schema_dir.glob("*.json")))
    except OSError:  # a file that cannot be read (or is not a regular file): read again, and said, below
        key = ""
    if key and key in _VALIDATORS:
        return _VALIDATORS[key]
    _VALIDATORS.clear()  # the validators of the schemas as they were: their documents' findings go too
    _SCHEMA_MEMO.clear()
    _VALIDATORS[key] = found = _read_validators(schema_dir)
    return found


def _read_validators(schema_dir: FsPath) -> tuple[dict[str, _Validator], list[Finding]]:
    schemas: dict[str, Json] = {}
    broken: list[Finding] = []
    shown = f"{schema_dir.parent.name}/{schema_dir.name}"
    for kind in KINDS:
        name = f"{kind.name}.schema.json"
        path = schema_dir / name
        try:
            schema = json.loads(files.read_text(path))
        except files.NotRegular as exc:
            broken.append(Finding("error", f"{shown}/{name}", 1, 1, f"(schema {kind.name})", "(file)", "not a regular "
                                  f"file: expected the schema of kind '{kind.name}', found {exc.what}, which is not read", "file-type"))
        except FileNotFoundError:
            broken.append(Finding("error", f"{shown}/{name}", 1, 1, f"(schema {kind.name})", "(file)",
                                  f"expected the schema of kind '{kind.name}', found no file", "schema-file"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            line, col = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
            broken.append(Finding("error", f"{shown}/{name}", line, col, f"(schema {kind.name})", "(file)",
                                  f"expected valid JSON, found {exc.msg if isinstance(exc, json.JSONDecodeError) else 'bytes that are not UTF-8'}", "schema-file"))
        else:
            if (wrong := _schema_error(schema)) is not None:
                where = "/".join(str(p) for p in wrong.absolute_path) or "(schema)"
                broken.append(Finding("error", f"{shown}/{name}", 1, 1, f"(schema {kind.name})", where,
                                      f"expected a valid JSON Schema, found {' '.join(wrong.message.split())}", "schema-file"))
            else:
                schemas[name] = schema
    for path in sorted(schema_dir.glob("*.schema.json")):  # shared definitions (envelope.schema.json)
        if path.name not in schemas and path.name not in {f"{k.name}.schema.json" for k in KINDS}:
            try:
                schemas[path.name] = json.loads(files.read_text(path))
            except files.NotRegular as exc:
                broken.append(Finding("error", f"{shown}/{path.name}", 1, 1, "(schema)", "(file)", "not a regular file: "
                                      f"expected a schema, found {exc.what}, which is not read", "file-type"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                line, col = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
                broken.append(Finding("error", f"{shown}/{path.name}", line, col, "(schema)", "(file)",
                                      f"expected valid JSON, found {exc.msg if isinstance(exc, json.JSONDecodeError) else 'bytes that are not UTF-8'}", "schema-file"))
    broken += _remote_references(schemas, schema_dir, shown)
    if broken:
        return {}, broken
    return {
        kind.name: _Validator(schemas[f"{kind.name}.schema.json"], schemas, _compiled(schemas[f"{kind.name}.schema.json"], schemas))
        for kind in KINDS
    }, []


def _remote_references(schemas: dict[str, Json], schema_dir: FsPath, shown: str) -> list[Finding]:
    """Every `$ref` that is neither a pointer into its own schema (#/…) nor one into a schema file
    beside it (envelope.schema.json#/…): nothing is ever fetched, and a reference elsewhere would
    otherwise end in the referencing library's traceback. Located at the reference, in its file."""
    found = []
    for name, schema in sorted(schemas.items()):
        for pointer, ref in _refs(schema):
            target = ref.partition("#")[0] if isinstance(ref, str) else None
            if target is None or (target and (target not in schemas or "/" in target or ":" in target)):
                positions = _json_positions(schema_dir / name, f"{shown}/{name}")
                line, col = positions.of(pointer) if positions is not None else (1, 1)
                field = "/" + "/".join(str(p) for p in pointer)
                found.append(Finding("error", f"{shown}/{name}", line, col, "(schema)", field,
                                     f"expected a $ref to this schema (#/…) or to a schema file beside it "
                                     f"({', '.join(sorted(schemas))}), found {ref!r}: nothing is fetched", "schema-file"))
    return found


def _refs(node: object, path: Path = ()) -> Iterator[tuple[Path, object]]:
    """(JSON path of the $ref value, the value) of every $ref in `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield (*path, key), value
            else:
                yield from _refs(value, (*path, key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _refs(item, (*path, i))


def _json_positions(path: FsPath, shown: str) -> Positions | None:
    """Where each node of a schema file is (JSON is YAML: read by the loader that records lines)."""
    try:
        _data, positions, problems = yamlsource.read(files.read_bytes(path), shown, "(schema)")
    except OSError:
        return None
    return None if problems else positions


def _schema_error(schema: Any) -> jsonschema.SchemaError | None:  # any JSON value: what the file holds
    """What jsonschema finds wrong in `schema` as a JSON Schema (it checks `format: regex` with
    `re`), asked only when jsonschema-rs (which does not check formats) and `re` find a problem."""
    try:
        if _is_2020_12(schema) and jsonschema_rs.meta.is_valid(schema) and all(_compiles(p) for p in _patterns(schema)):
            return None
    except Exception:  # noqa: BLE001, S110 - a schema it cannot take: the detailed check says what is wrong
        pass
    import jsonschema

    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        return exc
    return None


DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def _is_2020_12(schema: object) -> bool:
    """jsonschema checks every schema as draft 2020-12; jsonschema-rs, as its `$schema` says: the
    fast paths are taken only where the two agree."""
    return isinstance(schema, dict) and schema.get("$schema") == DRAFT_2020_12


def _patterns(schema: object) -> Iterator[object]:
    """Every text that may be a regular expression of `schema` (and a few that are not: harmless)."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern":
                yield value
            elif key == "patternProperties" and isinstance(value, dict):
                yield from value
            yield from _patterns(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _patterns(item)


def _compiles(pattern: object) -> bool:
    if not isinstance(pattern, str):
        return True
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def _compiled(schema: Json, schemas: dict[str, Json]) -> jsonschema_rs.Validator | None:
    """The compiled validator of `schema` (its references resolved among `schemas`), or None when it
    cannot be built (a regular expression or a construct it does not know)."""
    if not all(_is_2020_12(s) for s in schemas.values()):
        return None
    try:
        registry = jsonschema_rs.Registry(list(schemas.items()))
        return jsonschema_rs.Draft202012Validator(schema, registry=registry, validate_formats=False, offline=True,
                                                  keywords={"pattern": _PythonPattern})  # offline: nothing fetched
    except Exception:  # noqa: BLE001 - then every document goes to the detailed validator
        return None


# A document's schema findings depend only on its bytes, its kind's schema and the languages: kept by
# those, so that a run after one edit (mkdocs serve) validates only the edited file again.
_SCHEMA_MEMO: dict[tuple[str, str, int, tuple[str, ...], bool], list[Finding]] = {}


def _schema_findings_of(doc: Document, validator: _Validator, languages: tuple[str, ...], fast: bool = True) -> list[Finding]:
    if not doc.digest:
        return _checked(doc, validator, languages, fast)
    key = (doc.file, doc.digest, id(validator), languages, fast)
    if key not in _SCHEMA_MEMO:
        if len(_SCHEMA_MEMO) > 50_000:
            _SCHEMA_MEMO.clear()
        _SCHEMA_MEMO[key] = _checked(doc, validator, languages, fast)
    return _SCHEMA_MEMO[key]


def _checked(doc: Document, validator: _Validator, languages: tuple[str, ...], fast: bool) -> list[Finding]:
    if fast and validator.accepts(doc.data):
        return []
    return list(_schema_findings(doc, validator.detailed, languages))


def _schema_findings(doc: Document, validator: jsonschema.Draft202012Validator, languages: tuple[str, ...]) -> Iterator[Finding]:
    for error in sorted(validator.iter_errors(doc.data), key=lambda e: (list(map(str, e.absolute_path)), e.validator)):
        yield from _rephrase(doc, error, languages)


_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def _rephrase(doc: Document, error: jsonschema.ValidationError, languages: tuple[str, ...] = ()) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    # the instance and the schema's value for the keyword: jsonschema types them `Any | Unset`, unset on
    # no error that a validator reports
    value: Any
    expect: Any
    value, kind, expect = error.instance, error.validator, error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}

    def at(p: Path, message: str, key: bool = False, where: Path | None = None, said: str = "", **args: object) -> Finding:
        """`said`: the variant of rules.SCHEMA_MESSAGES that words `message` with `args`, for other languages."""
        spot = where if where is not None else p
        line, col = doc.positions.of_key(spot) if key else doc.positions.of(spot)
        return Finding("error", doc.file, line, col, doc.subject, dotted(p) or "(file)", message, "schema",
                       f"schema.{said}" if said else "", tuple((k, str(v)) for k, v in args.items()))

    def say(p: Path, variant: str, key: bool = False, where: Path | None = None, **args: object) -> Finding:
        return at(p, phrase(rules.SCHEMA_MESSAGES[variant], [(k, str(v)) for k, v in args.items()]), key, where,
                  variant, **args)

    if kind == "required":
        present = set(value) if isinstance(value, dict) else set()
        for name in [n for n in expect if n not in present]:
            yield say((*path, name), "missing", where=path)
        return
    if kind == "additionalProperties":
        allowed = schema.get("properties", {})
        for name in [k for k in value if k not in allowed]:
            hint = suggest(name, allowed)
            if not path and not hint and isinstance(name, str) and _LANGUAGE_CODE.match(name):
                others = list(languages[1:])  # the source language first
                hint = (f" (a language block? The site's other languages are {_names(others)}; a new language needs "
                        f"its interface words in overrides/atlante/i18n/{name}.yaml)")
                yield at((*path, name), f"expected one of the fields {_names(allowed)}, found {describe(name)}{hint}", key=True)
                continue
            yield say((*path, name), "unknown-field", key=True, fields=_names(allowed), found=describe(name),
                      hint=closest(name, allowed))
        return
    if kind == "type":
        wanted: list[str] = expect if isinstance(expect, list) else [expect]
        expected = " or ".join(_TYPE_NAMES.get(t, t) for t in wanted)
        if expect == "object" and schema.get("required"):
            expected = f"a mapping with the fields {_names(schema['required'])}"
        yield at(path, f"expected {expected}, found {describe(value)}")
        return
    if kind == "enum":
        if isinstance(value, str):
            yield say(path, "not-listed", values=_names(expect), found=describe(value), hint=closest(value, map(str, expect)))
        else:
            yield at(path, f"expected one of {_names(expect)}, found {describe(value)}{suggest(value, map(str, expect))}")
        return
    if kind == "pattern":
        yield at(path, f"expected {_pattern_name(expect)}, found {describe(value)}")
        return
    if kind in ("minLength", "maxLength"):
        if kind == "minLength" and expect == 1:
            yield say(path, "empty")
        else:
            bound = "at least" if kind == "minLength" else "at most"
            yield at(path, f"expected {bound} {expect} characters, found {len(value)}")
        return
    if kind in ("minItems", "maxItems"):
        bound = "at least" if kind == "minItems" else "at most"
        yield at(path, f"expected {bound} {expect} item{'s' if expect != 1 else ''}, found {len(value)}")
        return
    if kind in ("minimum", "maximum"):
        sign = "≥" if kind == "minimum" else "≤"
        yield at(path, f"expected a number {sign} {expect}, found {describe(value)}")
        return
    if kind == "uniqueItems":
        seen: dict[str, int] = {}
        for i, item in enumerate(value):
            key = json.dumps(item, sort_keys=True, default=str)
            if key in seen:
                yield at((*path, i), f"expected each item once, found {describe(item)} again (first at item {seen[key]})")
            else:
                seen[key] = i
        return
    yield at(path, f"expected a value valid for '{kind}', found {describe(value)}")


_TYPE_NAMES = {
    "string": "a text", "integer": "a whole number", "number": "a number", "array": "a list",
    "object": "a mapping of fields", "boolean": "true or false", "null": "nothing (null)",
}

_PATTERN_NAMES = {
    SLUG.pattern: "lowercase letters, digits and single hyphens (like 'made-in-italy')",
    "^[a-z0-9]+(-[a-z0-9]+)*$": "lowercase letters, digits and single hyphens (like 'made-in-italy')",
    "^[a-z]+:[a-z0-9]+(-[a-z0-9]+)*$": "a reference '<kind>:<id>' (like 'city:milano')",
    "^[a-z0-9]+(-[a-z0-9]+)*#[a-z0-9]+(-[a-z0-9]+)*$": "a statement '<slide>#<statement>' (like 'slide-3#concetto')",
    "^Q[1-9][0-9]*$": "a Wikidata item: Q and its number, no leading zero (like 'Q490')",
    "^[0-9]{6}$": "an ISTAT municipality code: six digits, written as text (like '015146')",
}


def _pattern_name(pattern: str) -> str:
    if pattern.startswith("^https://"):
        return "an address starting with https://"
    return _PATTERN_NAMES.get(pattern, f"text matching {pattern}")


def _names(names: Iterable[object]) -> str:
    return ", ".join(f"'{n}'" for n in names)
