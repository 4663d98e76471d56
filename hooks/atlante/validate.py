"""Step 2, validate: each document against its kind's JSON Schema, then the named rules (rules.py)
on the documents that passed it.

Findings are data, collected for the whole run; nothing here raises on bad input. Schema errors
come from the jsonschema library (`iter_errors`) and are rephrased as "expected …, found …" at the
line of the offending value, with the nearest known name where there is one (the rule `schema`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path as FsPath

import jsonschema
from referencing import Registry, Resource

from . import rules
from .kinds import KINDS
from .load import Document
from .messages import closest, describe, dotted, phrase, suggest
from .model import SLUG, SOURCE_LANG, Finding

# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def validate(documents: list[Document], schema_dir: FsPath, docs_dir: FsPath | None = None,
             languages: tuple[str, ...] = (SOURCE_LANG,)) -> list[Finding]:
    """All findings for these documents; a document that failed to load is skipped.

    `docs_dir` holds the hand-written pages, which may not take a generated page's address;
    `languages` are the site's editions, the source language first.
    """
    validators, broken = _validators(schema_dir)
    if broken:  # nothing can be checked against a schema that cannot be read: say only that
        return broken
    findings: list[Finding] = []
    valid: list[Document] = []
    for doc in documents:
        if doc.data is None:
            continue
        problems = _schema_findings_of(doc, validators[doc.kind], languages)
        findings.extend(problems)
        if not problems:
            valid.append(doc)
    existing: dict[str, set[str]] = {k.name: set() for k in KINDS}
    for doc in documents:
        existing[doc.kind].add(doc.stem)
    context = rules.Context(
        valid=valid, existing=existing, languages=languages, docs_dir=docs_dir,
        broken={(d.kind, d.stem) for d in documents} - {(d.kind, d.stem) for d in valid},
        statements=rules.statement_index(valid),
    )
    findings.extend(rules.run(context))
    return findings


# ---------------------------------------------------------------------------------------------
# Schema validation, one document at a time
# ---------------------------------------------------------------------------------------------


_VALIDATORS: dict[str, tuple[dict[str, jsonschema.Draft202012Validator], list[Finding]]] = {}


def _validators(schema_dir: FsPath) -> tuple[dict[str, jsonschema.Draft202012Validator], list[Finding]]:
    """Read on every run, so that `mkdocs serve` picks up an edited schema too, and compiled once
    per content of the schema files; a schema that is missing, is not JSON or is not a valid JSON
    Schema is an error located in it."""
    try:
        key = repr(sorted((p.name, p.read_bytes()) for p in schema_dir.glob("*.json")))
    except OSError:
        key = ""
    if key and key in _VALIDATORS:
        return _VALIDATORS[key]
    _VALIDATORS.clear()  # the validators of the schemas as they were: their documents' findings go too
    _SCHEMA_MEMO.clear()
    _VALIDATORS[key] = found = _read_validators(schema_dir)
    return found


def _read_validators(schema_dir: FsPath) -> tuple[dict[str, jsonschema.Draft202012Validator], list[Finding]]:
    schemas: dict[str, dict] = {}
    broken: list[Finding] = []
    shown = f"{schema_dir.parent.name}/{schema_dir.name}"
    for kind in KINDS:
        name = f"{kind.name}.schema.json"
        path = schema_dir / name
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
            jsonschema.Draft202012Validator.check_schema(schema)
        except FileNotFoundError:
            broken.append(Finding("error", f"{shown}/{name}", 1, 1, f"(schema {kind.name})", "(file)",
                                  f"expected the schema of kind '{kind.name}', found no file", "schema-file"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            line, col = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
            broken.append(Finding("error", f"{shown}/{name}", line, col, f"(schema {kind.name})", "(file)",
                                  f"expected valid JSON, found {exc.msg if isinstance(exc, json.JSONDecodeError) else 'bytes that are not UTF-8'}", "schema-file"))
        except jsonschema.SchemaError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "(schema)"
            broken.append(Finding("error", f"{shown}/{name}", 1, 1, f"(schema {kind.name})", where,
                                  f"expected a valid JSON Schema, found {' '.join(exc.message.split())}", "schema-file"))
        else:
            schemas[name] = schema
    for path in sorted(schema_dir.glob("*.schema.json")):  # shared definitions (envelope.schema.json)
        if path.name not in schemas and path.name not in {f"{k.name}.schema.json" for k in KINDS}:
            try:
                schemas[path.name] = json.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                line, col = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
                broken.append(Finding("error", f"{shown}/{path.name}", line, col, "(schema)", "(file)",
                                      f"expected valid JSON, found {exc.msg if isinstance(exc, json.JSONDecodeError) else 'bytes that are not UTF-8'}", "schema-file"))
    if broken:
        return {}, broken
    registry: Registry = Registry().with_resources(
        (name, Resource.from_contents(s)) for name, s in schemas.items()
    )
    return {
        kind.name: jsonschema.Draft202012Validator(schemas[f"{kind.name}.schema.json"], registry=registry)
        for kind in KINDS
    }, []


# A document's schema findings depend only on its bytes, its kind's schema and the languages: kept by
# those, so that a run after one edit (mkdocs serve) validates only the edited file again.
_SCHEMA_MEMO: dict[tuple, list[Finding]] = {}


def _schema_findings_of(doc: Document, validator: jsonschema.Draft202012Validator, languages: tuple[str, ...]) -> list[Finding]:
    if not doc.digest:
        return list(_schema_findings(doc, validator, languages))
    key = (doc.file, doc.digest, id(validator), languages)
    if key not in _SCHEMA_MEMO:
        if len(_SCHEMA_MEMO) > 50_000:
            _SCHEMA_MEMO.clear()
        _SCHEMA_MEMO[key] = list(_schema_findings(doc, validator, languages))
    return _SCHEMA_MEMO[key]


def _schema_findings(doc: Document, validator: jsonschema.Draft202012Validator, languages: tuple[str, ...]) -> Iterator[Finding]:
    for error in sorted(validator.iter_errors(doc.data), key=lambda e: (list(map(str, e.absolute_path)), e.validator)):
        yield from _rephrase(doc, error, languages)


_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def _rephrase(doc: Document, error: jsonschema.ValidationError, languages: tuple[str, ...] = ()) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    value, kind, expect = error.instance, error.validator, error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}

    def at(p: tuple, message: str, key: bool = False, where: tuple | None = None, said: str = "", **args: object) -> Finding:
        """`said`: the variant of rules.SCHEMA_MESSAGES that words `message` with `args`, for other languages."""
        spot = where if where is not None else p
        line, col = doc.positions.of_key(spot) if key else doc.positions.of(spot)
        return Finding("error", doc.file, line, col, doc.subject, dotted(p) or "(file)", message, "schema",
                       f"schema.{said}" if said else "", tuple((k, str(v)) for k, v in args.items()))

    def say(p: tuple, variant: str, key: bool = False, where: tuple | None = None, **args: object) -> Finding:
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
                others = [lang for lang in languages if lang != SOURCE_LANG]
                hint = (f" (a language block? The site's other languages are {_names(others)}; a new language needs "
                        f"its interface words in overrides/atlante/i18n/{name}.yaml)")
                yield at((*path, name), f"expected one of the fields {_names(allowed)}, found {describe(name)}{hint}", key=True)
                continue
            yield say((*path, name), "unknown-field", key=True, fields=_names(allowed), found=describe(name),
                      hint=closest(name, allowed))
        return
    if kind == "type":
        wanted = expect if isinstance(expect, list) else [expect]
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
}


def _pattern_name(pattern: str) -> str:
    if pattern.startswith("^https://"):
        return "an address starting with https://"
    return _PATTERN_NAMES.get(pattern, f"text matching {pattern}")


def _names(names: Iterable[object]) -> str:
    return ", ".join(f"'{n}'" for n in names)
