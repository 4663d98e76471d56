"""The field reference ("Riferimento dei campi", /campi/; "Field reference", /en/fields/): every field of every kind, from the JSON Schemas.

`kinds` gives the page its data: for each kind, in the kinds' order, every field that
opendata.fields reads from the kind's schema (nested objects, list items and the language blocks
included), each with an anchor that depends only on the kind and the field's path
(`city-coordinates-lat`), whether it is required, what its type is in words, and the schema's
first example. The descriptions are the translation files' (`opendata.fields.<key>`), looked up
by the template in the page's language; `description_findings` reports, as located errors, every
field that a translation file does not describe, so that a page is never rendered without them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path as FsPath

from . import files, i18n, yamlsource
from .kinds import KINDS, Kind
from .model import Finding, Json, Path
from .opendata import Field, anchor, fields
from .schemas import ENVELOPE


def kinds(schema_dir: FsPath, lang: str | None = None) -> list[Json]:
    """What the page shows, kind by kind: data only; every value is escaped by the template. In the
    edition of `lang`, a text field's example is its translation's in the schema's `<lang>:` block."""
    return [{"kind": kind, "file": f"data/{kind.folder}/<id>.yaml", "schema": f"data/schema/{kind.name}.schema.json",
             "fields": _entries(kind, fields(kind, schema_dir), lang)} for kind in KINDS]


def _entries(kind: Kind, kind_fields: list[Field], lang: str | None = None) -> list[Json]:
    """A translation's schema repeats the example of the field it translates, in the source language,
    unless its language block gives one of its own: the page shows an example of its own only, and
    links the field translated. In the edition of a language with a block, a field the block translates
    shows the block's example (a group, such as `added`, its own with the block's texts in place)."""
    examples = {f.path: f.example for f in kind_fields if not f.language}
    own = {f.original: f.example for f in kind_fields if lang and f.language == lang and f.original
           and f.example is not None and examples.get(f.original) != f.example}
    shown = {path: _translated(example, own.get(path)) for path, example in examples.items()}
    return [_entry(kind, f, None if f.original and examples.get(f.original) == f.example else
                   f.example if f.language else shown.get(f.path, f.example))
            for f in kind_fields]


def _translated(example: object, translation: object) -> object:
    """A field's example in another language: its translation's example; for a list of groups (added)
    the groups with the translated texts in place, item by item; for the statements, by their id."""
    if translation is None:
        return example
    if isinstance(example, list) and isinstance(translation, list) and all(isinstance(i, dict) for i in example + translation):
        return [{**item, **tr} for item, tr in zip(example, translation, strict=False)] + example[len(translation):]
    if isinstance(example, list) and isinstance(translation, dict) and all(isinstance(i, dict) for i in example):
        return [{**item, **(translation.get(item.get("id")) or {})} if isinstance(translation.get(item.get("id")), dict)
                else item for item in example]
    return translation


def _entry(kind: Kind, field: Field, example: object) -> Json:
    return {
        "path": field.path, "anchor": anchor(kind, field.path),
        "depth": field.depth, "key": field.key, "required": field.required, "type": _type(kind, field),
        "relation": field.relation.name if field.relation else None,
        "targets": list(field.relation.targets) if field.relation else [],
        "language": field.language, "translated": list(field.translated),
        "original": field.original, "original_anchor": anchor(kind, field.original) if field.original else None,
        "example": None if example is None else example if isinstance(example, str) else
        json.dumps(example, ensure_ascii=False),
    }


def _type(kind: Kind, field: Field) -> Json:
    """The field's type as the words under reference.types name it, with what those words need."""
    out: Json = {"nullable": field.nullable, "values": [], "minimum": field.minimum, "maximum": field.maximum}
    if field.language and not field.original:
        out["name"] = "translation"
    elif field.relation:
        out["name"] = "references"
    elif field.path == "relations":
        out["name"] = "relations"
    elif field.key == "sources":
        out["name"] = "statements"
    elif field.path == kind.place:
        out["name"] = "coordinates"
    elif field.enum:
        out["name"], out["values"] = "values", [str(v) for v in field.enum]
    elif field.keyed:
        out["name"] = "keyed"
    elif field.type == "array":
        out["name"] = "items" if field.items == "object" else "texts" if field.items == "string" else "list"
    elif field.type == "object":
        out["name"] = "group"
    else:
        out["name"] = {"string": "text"}.get(field.type, field.type)  # integer, number, boolean
    return out


# ---------------------------------------------------------------------------------------------
# Every field described in every language: checked with the data, before any page is rendered
# ---------------------------------------------------------------------------------------------


def description_findings(project: FsPath, translations: Mapping[str, i18n.Translation]) -> Iterator[Finding]:
    """One error for each field of a schema whose description a translation file lacks, located in
    the schema where the field is written. A key the source language has and another lacks is
    already reported by i18n.load (as a key missing from that file): it is not reported twice."""
    schema_dir = project / "data" / "schema"
    if not translations or not all((schema_dir / f"{k.name}.schema.json").is_file() for k in KINDS):
        return
    described = {lang: _descriptions(t) for lang, t in translations.items()}
    first = i18n.source_of(translations)
    source = described.get(first.lang, set()) if first else set()
    seen: set[tuple[str, str]] = set()
    places: dict[str, yamlsource.Positions | None] = {}
    for kind in KINDS:
        try:
            kind_fields = fields(kind, schema_dir)
        except (OSError, ValueError, KeyError, TypeError):
            return  # a broken schema: validate reports it
        for field in kind_fields:
            if not field.key:
                continue  # a relation or a translation: described from the model's words
            for lang in translations:
                if field.key in described[lang] or (not translations[lang].source and field.key in source) \
                        or (lang, field.key) in seen:
                    continue
                seen.add((lang, field.key))
                file, pointer = _written_at(kind, field)
                if file not in places:
                    places[file] = _positions(project / file, file)
                line, col = found.of(pointer) if (found := places[file]) else (1, 1)
                where = "/".join((*i18n.FOLDER, f"{lang}.yaml"))
                yield Finding("error", file, line, col, f"(language {lang})", field.path,
                              f"expected a description of this field under opendata.fields.'{field.key}' in {where} "
                              f"(the field reference and the Dati page show it), found none", "field-description")


def example_findings(project: FsPath, translations: Mapping[str, i18n.Translation]) -> Iterator[Finding]:
    """A warning, as for an untranslated text (a strict run fails on it), for each text field of a
    language block of a schema (`en.title`, `en.statements.<id>.text`) that has no example of its own in
    that language: the field reference of the language's edition shows the field's example in it."""
    schema_dir = project / "data" / "schema"
    others = [lang for lang, t in translations.items() if not t.source]
    if not others or not all((schema_dir / f"{k.name}.schema.json").is_file() for k in KINDS):
        return
    for kind in KINDS:
        try:
            kind_fields = fields(kind, schema_dir)
        except (OSError, ValueError, KeyError, TypeError):
            return  # a broken schema: validate reports it
        file = f"data/schema/{kind.name}.schema.json"
        positions = None
        examples = {f.path: f.example for f in kind_fields if not f.language}
        for field in kind_fields:
            if field.language not in others or not field.original or field.type != "string" \
                    or (field.example is not None and field.example != examples.get(field.original)):
                continue
            positions = positions or _positions(project / file, file)
            line, col = positions.of(_pointer(field.path)) if positions else (1, 1)
            language = str(translations[field.language].words.get("language") or field.language)
            found = "none" if field.example is None else "only the original's"
            yield Finding("warning", file, line, col, f"(language {field.language})", field.path,
                          f"expected an example in {language} of its own (the field reference of the {field.language} "
                          f"edition shows it), found {found}", "field-example")


def _pointer(path: str) -> Path:
    """Where a field of a kind's schema is written, from its path: "en.added[].source" is under
    properties/en/properties/added/items/properties/source; "en.statements.<id>.text" under
    …/statements/additionalProperties/properties/text."""
    pointer: list[str | int] = []
    for part in path.split("."):
        if part == "<id>":
            pointer.append("additionalProperties")
            continue
        pointer += ["properties", part.removesuffix("[]")] + (["items"] if part.endswith("[]") else [])
    return tuple(pointer)


def _descriptions(translation: i18n.Translation) -> set[str]:
    """The keys a translation file describes (its shape is i18n's to report)."""
    words = translation.words
    data = words.get("opendata") if isinstance(words, dict) else None
    described = data.get("fields") if isinstance(data, dict) else None
    return {k for k, v in described.items() if isinstance(v, str) and v.strip()} if isinstance(described, dict) else set()


def _written_at(kind: Kind, field: Field) -> tuple[str, Path]:
    """The schema file and the JSON path where a field is written: a kind's own field in the kind's
    schema, a shared one ("added[].source") in the envelope's definitions."""
    own = field.key.startswith(f"{kind.name}.")
    pointer: list[str | int] = ["properties" if own else "$defs"]
    for part in re.split(r"(\[\]\.|\.)", field.key.removeprefix(f"{kind.name}.")):
        pointer += {".": ["properties"], "[].": ["items", "properties"]}.get(part, [part] if part else [])
    file = f"data/schema/{kind.name}.schema.json" if own else "data/schema/" + ENVELOPE.split("#")[0]
    return file, tuple(pointer)


def _positions(path: FsPath, shown: str) -> yamlsource.Positions | None:
    """Where each node of a JSON file is: JSON is YAML, read by the loader that records lines."""
    try:
        _data, positions, problems = yamlsource.read(files.read_bytes(path), shown, "(schema)")
    except OSError:
        return None
    return None if problems else positions
