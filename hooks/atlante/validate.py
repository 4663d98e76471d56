"""Step 2, validate: each document against its kind's JSON Schema, then the checks across files.

Findings are data, collected for the whole run; nothing here raises on bad input. Schema errors
come from the jsonschema library (`iter_errors`) and are rephrased as "expected …, found …" at the
line of the offending value, with the nearest known name where there is one.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path as FsPath

import jsonschema
from referencing import Registry, Resource

from . import geo
from .kinds import KIND_BY_NAME, KINDS, RELATION_BY_NAME, STATEMENT_TEXTS
from .load import Document
from .messages import describe, dotted, suggest
from .model import SLUG, SOURCE_LANG, STATEMENT_REF, Finding, Ref
from .render import SITE_PAGES

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
    readable = [d for d in documents if d.data is not None]
    findings: list[Finding] = []
    for doc in readable:
        schema_findings = _schema_findings_of(doc, validators[doc.kind], languages)
        findings.extend(schema_findings)
        findings.extend(_text_findings(doc, languages))
        if not schema_findings:
            for lang in languages[1:]:
                findings.extend(_translation_findings(doc, lang))
            findings.extend(_place_findings(doc))
    unreadable = {(d.kind, d.stem) for d in documents if d.data is None}
    findings.extend(_cross_findings(readable, languages, unreadable))
    findings.extend(_alias_findings([d for d in readable if isinstance(d.data.get("aliases"), list)], readable))
    if docs_dir is not None:
        findings.extend(_address_findings(readable, docs_dir, languages))
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
                                  f"expected the schema of kind '{kind.name}', found no file"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            line, col = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
            broken.append(Finding("error", f"{shown}/{name}", line, col, f"(schema {kind.name})", "(file)",
                                  f"expected valid JSON, found {exc.msg if isinstance(exc, json.JSONDecodeError) else 'bytes that are not UTF-8'}"))
        except jsonschema.SchemaError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "(schema)"
            broken.append(Finding("error", f"{shown}/{name}", 1, 1, f"(schema {kind.name})", where,
                                  f"expected a valid JSON Schema, found {' '.join(exc.message.split())}"))
        else:
            schemas[name] = schema
    for path in sorted(schema_dir.glob("*.schema.json")):  # shared definitions (envelope.schema.json)
        if path.name not in schemas and path.name not in {f"{k.name}.schema.json" for k in KINDS}:
            try:
                schemas[path.name] = json.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                line, col = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
                broken.append(Finding("error", f"{shown}/{path.name}", line, col, "(schema)", "(file)",
                                      f"expected valid JSON, found {exc.msg if isinstance(exc, json.JSONDecodeError) else 'bytes that are not UTF-8'}"))
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

    def at(p: tuple, message: str, key: bool = False, where: tuple | None = None) -> Finding:
        spot = where if where is not None else p
        line, col = doc.positions.of_key(spot) if key else doc.positions.of(spot)
        return Finding("error", doc.file, line, col, doc.subject, dotted(p) or "(file)", message)

    if kind == "required":
        present = set(value) if isinstance(value, dict) else set()
        for name in [n for n in expect if n not in present]:
            yield at((*path, name), "expected this field, found it missing", where=path)
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
        return
    if kind == "type":
        wanted = expect if isinstance(expect, list) else [expect]
        expected = " or ".join(_TYPE_NAMES.get(t, t) for t in wanted)
        if expect == "object" and schema.get("required"):
            expected = f"a mapping with the fields {_names(schema['required'])}"
        yield at(path, f"expected {expected}, found {describe(value)}")
        return
    if kind == "enum":
        yield at(path, f"expected one of {_names(expect)}, found {describe(value)}{suggest(value, map(str, expect))}")
        return
    if kind == "pattern":
        yield at(path, f"expected {_pattern_name(expect)}, found {describe(value)}")
        return
    if kind in ("minLength", "maxLength"):
        if kind == "minLength" and expect == 1:
            yield at(path, "expected some text, found an empty text")
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


# ---------------------------------------------------------------------------------------------
# Text checks: invisible characters anywhere, link addresses in Markdown fields
# ---------------------------------------------------------------------------------------------

MARKDOWN_FIELDS = ("body",)
_ALLOWED_CONTROLS = {"\n", "\t"}
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*)\s*:")
_LINKS = re.compile(
    r"\]\(\s*<?(?P<inline>[^)\s>]*)"  # [text](address)
    r"|^[ ]{0,3}\[[^\]]+\]:[ \t]*<?(?P<reference>[^\s>]+)"  # [label]: address
    r"|<(?P<auto>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>"  # <scheme:address>
    r"|\b(?:href|src)\s*=\s*[\"']?(?P<html>[^\"'\s>]+)",  # raw HTML attributes
    re.MULTILINE | re.IGNORECASE,
)


def _strings(value: object, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


def _is_markdown(path: tuple, languages: tuple[str, ...]) -> bool:
    """`body`, or `<lang>.body` in a language block."""
    return (len(path) == 1 and path[0] in MARKDOWN_FIELDS) or (
        len(path) == 2 and path[0] in languages[1:] and path[1] in MARKDOWN_FIELDS)


def _text_findings(doc: Document, languages: tuple[str, ...] = (SOURCE_LANG,)) -> Iterator[Finding]:
    for path, line, col, end, start in doc.positions.folded_hyphens:
        yield Finding("warning", doc.file, line, col, doc.subject, dotted(path),
                      f"expected a hyphenated word on one line, found '{end}' at the end of line {line} and "
                      f"'{start}' on the next: YAML joins them with a space ('{end} {start}'); "
                      f"move '{end}' to the next line (folded-hyphen)")
    for path, text in _strings(doc.data):
        hidden = [ch for ch in text if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")]
        if hidden:
            line, col = doc.positions.of(path)
            names = ", ".join(dict.fromkeys(f"U+{ord(ch):04X} {unicodedata.name(ch, 'CONTROL')}" for ch in hidden))
            yield Finding("error", doc.file, line, col, doc.subject, dotted(path),
                          f"expected visible text, found invisible or direction-changing characters ({names})")
        if _is_markdown(path, languages):
            for match in _LINKS.finditer(text):
                address = next(g for g in match.groups() if g is not None)
                scheme = _SCHEME.match(address)
                if scheme and scheme[1].lower() not in ("https", "mailto"):
                    line, col = doc.positions.of_line_in(path, text.count("\n", 0, match.start()))
                    yield Finding("error", doc.file, line, col, doc.subject, dotted(path),
                                  f"expected links to https:// or mailto: addresses (or to pages of this site), found '{address}'")


# ---------------------------------------------------------------------------------------------
# Places: coordinates lie in Italy, and in the region the entity names
# ---------------------------------------------------------------------------------------------


def _place_findings(doc: Document) -> Iterator[Finding]:
    """The maps show Italy: a point outside it, or outside its own region, is a typo to catch here."""
    name = KIND_BY_NAME[doc.kind].place
    where = doc.data.get(name) if name else None
    if isinstance(where, dict):
        lat, lon = where["lat"], where["lon"]
        found = geo.region_of(lat, lon)
        line, col = doc.positions.of((name,))
        if found is None:
            yield Finding("error", doc.file, line, col, doc.subject, name,
                          f"expected a point in Italy (inside the ISTAT regional boundaries), found lat {lat}, "
                          f"lon {lon}, outside every region; check the order and sign of the numbers (outside-italy)")
        elif doc.data.get("region") not in (None, found):
            yield Finding("error", doc.file, line, col, doc.subject, name,
                          f"expected a point in {doc.data['region']} (the entity's region), found lat {lat}, "
                          f"lon {lon}, which is in {found} (wrong-region)")


# ---------------------------------------------------------------------------------------------
# Translations: a language block mirrors the source text it translates, and covers all of it
# ---------------------------------------------------------------------------------------------


def _translation_findings(doc: Document, lang: str) -> Iterator[Finding]:
    """Errors for a block that translates what is not there; a warning for each text left untranslated.

    Runs on a document that passed its schema, so every value has the type the schema gives it.
    """
    data = doc.data or {}
    block = data.get(lang) or {}
    kind = KIND_BY_NAME[doc.kind]

    def at(path: tuple, message: str, level: str = "error", where: tuple | None = None, key: bool = False) -> Finding:
        spot = where if where is not None else path
        line, col = doc.positions.of_key(spot) if key else doc.positions.of(spot)
        return Finding(level, doc.file, line, col, doc.subject, dotted(path), message)

    def untranslated(path: tuple, original: tuple) -> Finding:
        return at(path, f"expected a translation of {dotted(original)} in the '{lang}' block, found none",
                  level="warning", where=original, key=True)

    for name in kind.translatable:
        if name in block and name not in data:
            yield at((lang, name), f"expected only translations of fields this file has, found '{name}', which the file lacks in its source text", key=True)
        elif name in data and data[name] not in (None, "") and name not in block:
            yield untranslated((lang, name), (name,))

    added, translated_added = data.get("added") or [], block.get("added")
    if isinstance(translated_added, list):
        if len(translated_added) > len(added):
            yield at((lang, "added", len(added)), f"expected at most {len(added)} item{'s' * (len(added) != 1)} (one per item of 'added'), found {len(translated_added)}")
    for i, _item in enumerate(added):
        if not isinstance(translated_added, list) or i >= len(translated_added):
            yield untranslated((lang, "added", i, "source"), ("added", i, "source"))

    if doc.kind != "slide":
        return
    statements = {st["id"]: (i, st) for i, st in enumerate(data.get("statements") or [])}
    translations = block.get("statements") or {}
    for sid, translation in translations.items():
        if sid not in statements:
            yield at((lang, "statements", sid), f"expected the id of a statement of this slide ({_names(statements)}), found '{sid}'{suggest(sid, statements)}", key=True)
            continue
        i, st = statements[sid]
        for name in STATEMENT_TEXTS:
            if name in translation and name not in st:
                yield at((lang, "statements", sid, name), f"expected only translations of fields statement '{sid}' has, found '{name}', which it lacks", key=True)
    for sid, (i, st) in statements.items():
        for name in STATEMENT_TEXTS:
            if name in st and name not in (translations.get(sid) or {}):
                yield untranslated((lang, "statements", sid, name), ("statements", i, name))


# ---------------------------------------------------------------------------------------------
# Addresses: an entity's URL may not be taken by a hand-written page or a generated index
# ---------------------------------------------------------------------------------------------

RESERVED_IDS = ("index",)  # /<kind>/index.md is the kind's index page


def _address_findings(docs: list[Document], docs_dir: FsPath, languages: tuple[str, ...] = (SOURCE_LANG,)) -> Iterator[Finding]:
    """A hand-written page may not take the address of a generated one (home, kind index, entity).

    Every edition has the same generated pages: the source one at /, each other at /<lang>/, whose
    hand-written pages are in docs/<lang>/.
    """
    prefixes = ["/"] + [f"/{lang}/" for lang in languages if lang != SOURCE_LANG]
    entity_urls: dict[str, Document] = {}
    for doc in docs:
        folder = KIND_BY_NAME[doc.kind].folder
        if doc.stem in RESERVED_IDS:
            yield Finding("error", doc.file, *doc.positions.of(("id",)), doc.subject, "id",
                          f"expected an id other than {_names(RESERVED_IDS)} (the address /{folder}/ is the index of the {doc.kind} pages), found '{doc.stem}'")
        else:
            for prefix in prefixes:
                entity_urls[f"{prefix}{folder}/{doc.stem}/"] = doc
    index_urls = {*prefixes, *(f"{p}{k.folder}/" for p in prefixes for k in KINDS),
                  *(p + _url_of(page).lstrip("/") for p in prefixes for page in SITE_PAGES)}
    for page in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
        rel = page.relative_to(docs_dir).as_posix()
        url = _url_of(rel)
        if url in entity_urls:
            doc = entity_urls[url]
            yield Finding("error", doc.file, *doc.positions.of(("id",)), doc.subject, "id",
                          f"expected an id whose address {url} is free, found the hand-written page docs/{rel} there")
        elif url in index_urls:
            yield Finding("error", f"docs/{rel}", 1, 1, "(docs)", "(file)",
                          f"expected no hand-written page at {url}, found one: that page is generated from data/")


def _alias_findings(aliased: list[Document], docs: list[Document]) -> Iterator[Finding]:
    """An alias is a retired address that now redirects: it may not be a live id, the reserved
    index, the entity's own id or another entity's alias of the same kind (two redirects, one URL)."""
    live = {(d.kind, d.stem): d for d in docs}
    claimed: dict[tuple[str, str], tuple[Document, int]] = {}
    for doc in aliased:
        folder = KIND_BY_NAME[doc.kind].folder
        for i, alias in enumerate(doc.data["aliases"]):  # type: ignore[arg-type]
            if not isinstance(alias, str) or not SLUG.fullmatch(alias):
                continue  # the schema has said what is wrong with it
            line, col = doc.positions.of(("aliases", i))
            field = f"aliases[{i}]"
            other = live.get((doc.kind, alias))
            if alias == doc.stem:
                message = f"expected an earlier id, found '{alias}', this entity's own id"
            elif alias in RESERVED_IDS:
                message = f"expected an earlier id, found '{alias}': /{folder}/{alias}/ is the index of the {doc.kind} pages"
            elif other is not None:
                message = (f"expected a retired id, found '{alias}', the id of {other.file}: "
                           f"/{folder}/{alias}/ cannot both show that page and redirect here")
            elif (doc.kind, alias) in claimed and claimed[(doc.kind, alias)][0] is not doc:
                first, j = claimed[(doc.kind, alias)]
                message = (f"expected each alias once among the {doc.kind} entities, found '{alias}' also in "
                           f"{first.file} (aliases[{j}], line {first.positions.of(('aliases', j))[0]})")
            else:
                claimed[(doc.kind, alias)] = (doc, i)
                continue
            yield Finding("error", doc.file, line, col, doc.subject, field, message)


def _url_of(src: str) -> str:
    """The address MkDocs gives a Markdown file with use_directory_urls (index.md and README.md are the folder)."""
    stem = src.removesuffix(".md")
    head, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return f"/{head}/" if head else "/"
    return f"/{stem}/"


# ---------------------------------------------------------------------------------------------
# Checks across files: ids and file names, duplicates, references, sources, additions, orphans
# ---------------------------------------------------------------------------------------------


def _cross_findings(docs: list[Document], languages: tuple[str, ...] = (SOURCE_LANG,),
                    unreadable: set[tuple[str, str]] = frozenset()) -> Iterator[Finding]:  # type: ignore[assignment]
    """`unreadable`: (kind, id) of files that exist but failed to load. A reference to one is not
    reported again: the file's own error is the one cause, and the one message."""
    ids: dict[str, set[str]] = {k.name: set() for k in KINDS}
    for doc in docs:
        ids[doc.kind].add(doc.stem)
    statements = _statement_index(docs)
    linked: set[str] = set()

    for doc in docs:
        data = doc.data or {}

        def at(path: tuple, message: str, level: str = "error", doc: Document = doc) -> Finding:
            line, col = doc.positions.of(path)
            return Finding(level, doc.file, line, col, doc.subject, dotted(path) or "(file)", message)

        if not SLUG.match(doc.stem):
            yield at((), f"expected a file name of lowercase letters, digits and single hyphens, found '{doc.stem}.yaml'")
        if isinstance(data.get("id"), str) and data["id"] != doc.stem:
            yield at(("id",), f"expected '{doc.stem}' (the file name), found {describe(data['id'])}")

        relations = data.get("relations")
        if isinstance(relations, dict):
            for rtype, targets in relations.items():
                rel = RELATION_BY_NAME.get(rtype)
                if rel is None or not isinstance(targets, list):
                    continue  # reported by the schema
                for i, text in enumerate(targets):
                    ref = Ref.parse(text) if isinstance(text, str) else None
                    if ref is None:
                        continue  # reported by the schema
                    path = ("relations", rtype, i)
                    if ref.kind not in KIND_BY_NAME:
                        yield at(path, f"expected a reference to a {_or(rel.targets)}, found the unknown kind '{ref.kind}'{suggest(ref.kind, KIND_BY_NAME)}")
                        continue
                    if ref.kind not in rel.targets:
                        yield at(path, f"expected a reference to a {_or(rel.targets)}, found '{ref}' (a {ref.kind})")
                        continue
                    if (ref.kind, ref.id) in unreadable:
                        continue
                    if ref.id not in ids[ref.kind]:
                        hint = suggest(str(ref), [f"{k}:{i}" for k in rel.targets for i in ids[k]])
                        yield at(path, f"expected a known {ref.kind} (a file data/{KIND_BY_NAME[ref.kind].folder}/{ref.id}.yaml), found '{ref}', which does not exist{hint}")
                        continue
                    if ref == Ref(doc.kind, doc.stem):
                        yield at(path, f"expected a reference to another entity, found '{ref}', this entity itself")
                        continue
                    linked.add(str(ref))
                    linked.add(doc.subject)

        sources = data.get("sources")
        if isinstance(sources, list):
            for i, text in enumerate(sources):
                m = STATEMENT_REF.match(text) if isinstance(text, str) else None
                if not m:
                    continue
                slide_id, statement_id = m["slide"], m["statement"]
                if ("slide", slide_id) in unreadable:
                    continue
                if slide_id not in statements:
                    yield at(("sources", i), f"expected a slide of data/slides/ ({_names(sorted(statements))}), found '{slide_id}'{suggest(slide_id, statements)}")
                elif statement_id not in statements[slide_id]:
                    yield at(("sources", i), f"expected a statement of {slide_id} ({_names(statements[slide_id])}), found '{statement_id}'{suggest(statement_id, statements[slide_id])}")

        named_as = data.get("named_as")
        if isinstance(named_as, str) and isinstance(sources, list):
            texts = [_statement_text(statements, s) for s in sources if isinstance(s, str)]
            if texts and all(t for t in texts) and not any(named_as.casefold() in t.casefold() for t in texts):
                yield at(("named_as",), f"expected words that appear in one of this entity's sources, found {describe(named_as)}")

        added = data.get("added")
        if isinstance(added, list):
            present = [k for k in data if k not in ("id", "added", *languages[1:])]
            for i, item in enumerate(added):
                if not isinstance(item, dict) or not isinstance(item.get("fields"), list):
                    continue
                for j, name in enumerate(item["fields"]):
                    if isinstance(name, str) and name not in present:
                        yield at(("added", i, "fields", j), f"expected a field written in this file ({_names(present)}), found '{name}'{suggest(name, present)}")
        if doc.kind == "city":
            marked = {n for item in (added if isinstance(added, list) else []) if isinstance(item, dict)
                      for n in (item.get("fields") or []) if isinstance(n, str)}
            for name in ("region", "coordinates"):
                if name in data and name not in marked:
                    yield at((name,), f"expected '{name}' to be listed under 'added' with its source (the brief does not give it), found it unmarked")

        if doc.kind == "slide" and isinstance(data.get("statements"), list):
            first: dict[str, int] = {}
            for i, st in enumerate(data["statements"]):
                sid = st.get("id") if isinstance(st, dict) else None
                if not isinstance(sid, str):
                    continue
                if sid in first:
                    yield at(("statements", i, "id"), f"expected each statement id once in the slide, found '{sid}' again (first at statements[{first[sid]}])")
                else:
                    first[sid] = i

    used = {text for d in docs for text in (d.data or {}).get("sources") or [] if isinstance(text, str)}
    for doc in docs:
        if doc.kind == "slide":
            for i, st in enumerate((doc.data or {}).get("statements") or []):
                if isinstance(st, dict) and isinstance(st.get("id"), str) and f"{doc.stem}#{st['id']}" not in used:
                    line, col = doc.positions.of(("statements", i))
                    yield Finding("warning", doc.file, line, col, doc.subject, f"statements[{i}]",
                                  f"expected an entity that represents statement '{st['id']}' (in its sources), found none")
        elif doc.subject not in linked:
            line, col = doc.positions.of(("relations",))
            yield Finding("warning", doc.file, line, col, doc.subject, "relations",
                          "expected a relation to or from another entity, found none: nothing links to this page")


def _statement_index(docs: list[Document]) -> dict[str, dict[str, str]]:
    """slide id -> {statement id: text}, from whatever of the slides could be read."""
    index: dict[str, dict[str, str]] = {}
    for doc in docs:
        if doc.kind == "slide":
            sts = (doc.data or {}).get("statements")
            texts = index[doc.stem] = {}
            for st in sts if isinstance(sts, list) else []:
                if isinstance(st, dict) and isinstance(st.get("id"), str):
                    texts.setdefault(st["id"], str(st.get("text", "")))  # a duplicate id is reported apart
    return index


def _statement_text(index: dict[str, dict[str, str]], ref: str) -> str:
    m = STATEMENT_REF.match(ref)
    return index.get(m["slide"], {}).get(m["statement"], "") if m else ""


def _or(kinds: Iterable[str]) -> str:
    return " or ".join(kinds)

