"""Open data: the whole knowledge base as files other tools read, described the way data portals expect.

`downloads` gives every file to publish, by path under the site root: the knowledge base as one JSON
file (entities with both directions of every relation, and the brief's statements), one JSON file
per entity at /<kind folder>/<id>.json (a read-only API), flat CSV tables (one per kind, one of the
relations in both directions, one of the statements: `tables`), a schema.org JSON-LD graph, a
Frictionless Data Package describing the CSVs, and DCAT-AP_IT metadata that Italian data catalogues
harvest. `data_page` gives the "Dati" page its facts and each table's columns; `fields`
reads every field of every kind from the JSON Schemas (for the tables, the data package and the field
reference, reference.py), so that no description of the data can drift from it.

Each entity's data is copied as it is: the JSON files hold exactly what data/ holds, nested. The CSV
tables hold the same values flat, one per cell, as a spreadsheet or a GIS reads them: a list of texts
is joined by one separator (SEPARATOR, " | "), coordinates are two numeric columns, each translated
text has its own column. Serialisers do all the quoting (json, csv, rdflib); no file is built by
joining strings. One rule changes a value: a CSV text cell that a spreadsheet would run as a formula
gets an apostrophe in front (`neutralise`), which the Dati page and the data package state, and
`restore` undoes.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, cast

import yaml

from . import files, geo, i18n
from .entities import SlideData
from .kinds import KINDS, RELATION_BY_NAME, RELATION_TYPES, SOURCE, Kind, RelationType, address
from .meta import Publication
from .metadata import (
    DATA_FOLDER,
    context,
    dataset_iri,
    dataset_node,
    entity_iri,
    entity_node,
    entity_url,
    publisher_iri,
    statement_node,
    statement_url,
    term_set_iri,
    text,
)
from .model import Catalog, Entity, Json, Statement
from .schemas import LANGUAGE_MARK

if TYPE_CHECKING:
    from rdflib import URIRef

    from .history import Changes

FOLDER = DATA_FOLDER  # the downloads' folder under the site root ("dati/"); the Dati page (dati.md) is served there too
KNOWLEDGE_BASE = "atlante.json"
GRAPH = "atlante.jsonld"
PACKAGE = "datapackage.json"
DCAT_FILE = "dcat-ap_it.rdf"

# Spreadsheet formula injection (OWASP, "CSV Injection"): a text cell starting with one of these is
# read as a formula. Such a cell, and one starting with the apostrophe itself (so that the rule can be
# undone without doubt), gets an apostrophe in front.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")  # with the full-width forms
APOSTROPHE = "'"

KEYED = "<id>"  # in a field's path, the key of an object holding one group of fields per id

# ---------------------------------------------------------------------------------------------
# The downloads
# ---------------------------------------------------------------------------------------------


def downloads(catalog: Catalog, publication: Publication, schema_dir: FsPath,
              updated: Mapping[str, date | None], translations: Mapping[str, i18n.Translation] | None = None,
              issued: date | None = None) -> dict[str, str]:
    """Every file to publish: path relative to the site root -> text. Deterministic: the same data,
    publication and dates give byte-identical files.

    `updated` maps an entity's file ("data/cities/milano.yaml") to the date it last changed. The
    dataset's words (title, description in every language) come from the translation files of the
    project that holds `schema_dir` (overrides/atlante/i18n/<lang>.yaml, under `opendata:`), or from
    `translations` when the caller has read them already. `issued` dates the catalogue's first
    publication (the first edition's day: `first_issued`); without it, the catalogue says this edition's.
    """
    words = _dataset_words(schema_dir, translations)
    records = [entity_record(e, publication, updated) for e in _entities(catalog)]
    files: dict[str, str] = {}
    files[FOLDER + KNOWLEDGE_BASE] = _json(knowledge_base(catalog, publication, records))
    licence = {"name": publication.licence.name, "url": publication.licence.url}
    for entity, record in zip(_entities(catalog), records, strict=True):
        files[api_path(entity)] = _json({**record, "licence": licence})
        for alias in entity.data.get("aliases") or []:  # a retired id's address keeps answering, as its page does
            files[api_path(entity, alias)] = files[api_path(entity)]
    layout = tables(schema_dir, publication.source_lang)
    for table in layout:
        files[FOLDER + table.file] = table_text(table, catalog, publication, words)
    files[FOLDER + GRAPH] = _json(graph(catalog, publication, words))
    files[FOLDER + PACKAGE] = _json(data_package(layout, publication, words))
    files[FOLDER + DCAT_FILE] = dcat(catalog, publication, words, updated, files, issued)
    return files


def entity_record(entity: Entity, publication: Publication, updated: Mapping[str, date | None]) -> Json:
    """One entity as the knowledge base and the per-entity API give it: `data` is its YAML mapping."""
    day = updated.get(entity.file)
    return {
        "kind": entity.kind,
        "id": entity.id,
        "url": entity_url(publication, entity),
        "json": publication.site_url + api_path(entity),
        "file": entity.file,
        "updated": day.isoformat() if day else None,
        "data": entity.data,
        "relations": [{"type": ln.type, "target": str(ln.target.ref)} for ln in entity.links if not ln.inverse],
        "inverse": [{"type": ln.type, "target": str(ln.target.ref)} for ln in entity.links if ln.inverse],
    }


def knowledge_base(catalog: Catalog, publication: Publication, records: list[Json]) -> Json:
    """The whole knowledge base: what it is, the model's relation types, every entity, every statement."""
    return {
        "title": publication.site_name,
        "url": publication.site_url,
        "publisher": {"name": publication.publisher, "url": publication.publisher_url},
        "licence": {"name": publication.licence.name, "url": publication.licence.url},
        "edition": publication.edition,
        "date": publication.date.isoformat() if publication.date else None,
        "repository": publication.repository,
        "relation_types": [{"name": r.name, "sources": list(r.sources), "targets": list(r.targets)}
                           for r in RELATION_TYPES],
        "entities": records,
        "statements": [_statement_record(s, publication) for s in _statements(catalog)],
    }


def _statement_record(statement: Statement, publication: Publication) -> Json:
    return {
        "slide": statement.slide,
        "id": statement.id,
        "number": statement.number,
        "text": statement.text,
        "label": statement.label,
        "url": statement_url(publication, statement),
        "represented_by": [str(e.ref) for e in statement.represented_by],
    }


def api_path(entity: Entity, id_: str | None = None) -> str:
    """The entity's JSON file under the site root: the page's address with .json for the slash (at
    one of its earlier ids, if given)."""
    return address(entity.kind, id_ or entity.id).removesuffix("/") + ".json"


def csv_name(kind: Kind) -> str:
    return f"{kind.folder}.csv"


def _entities(catalog: Catalog) -> Iterator[Entity]:
    for kind in KINDS:
        yield from catalog.by_kind[kind.name]


def _statements(catalog: Catalog) -> Iterator[Statement]:
    for slide in catalog.by_kind[SOURCE.name]:
        yield from slide.statements


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# ---------------------------------------------------------------------------------------------
# CSV: flat tables, as a spreadsheet or a GIS reads them, one value per cell. A kind's table has a
# row per entity and a column per field of the kind's schema, in schema order, then the page's URL:
# an object's fields become columns of their own (a place's coordinates: lat and lon), a list of
# texts is one cell joined by SEPARATOR, a list of objects gives one column per field of its items
# (the items' values in order, joined: added_fields, added_sources), and each text of a language
# block gets a column `<column>_<lang>`. Two fields leave their kind's table for a long table of
# their own: relations (relations.csv, one row per relation in each direction) and the slides'
# statements (statements.csv, one row per statement).
# ---------------------------------------------------------------------------------------------

SEPARATOR = " | "  # between the values of a list in one cell: the Dati page and the data package state it
ITEM_SEPARATOR = ", "  # between the values of a list inside one item of a list (the fields of one addition)
RELATIONS = "relations.csv"
STATEMENTS = "statements.csv"
LONG_TABLES = ("relations", "statements")  # fields that leave their kind's table for a table of their own
DIRECTIONS = ("declared", "derived")  # a relation as written in data/, and its inverse, derived by the catalog
_SCALARS = ("string", "integer", "number", "boolean")


@dataclass(frozen=True)
class Column:
    """One column of a CSV table: its header, its type and description in the data package, where a
    row's record holds its values, and the anchor of its field on the field reference."""

    name: str  # "lat", "title_en", "added_sources"
    type: str  # Table Schema's: string, integer, number, boolean
    description: str  # English, for the data package
    path: str = ""  # where a row's record holds it ("coordinates.lat", "en.added[].source"); "" if the row names it
    anchor: str | None = None  # its field's anchor on the field reference (`anchor`), where a schema has the field
    required: bool = False
    joined: bool = False  # several values in one cell, joined by SEPARATOR
    items: bool = False  # one value per item of a list of objects, in the items' order
    language: str | None = None  # a translation's column: its language
    enum: tuple[object, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    format: str | None = None  # a string's format in Table Schema ("uri")


@dataclass(frozen=True)
class Table:
    """One CSV file under dati/: its columns, the columns that tell its rows apart, and the kind whose
    entities are its rows (None for a long table: relations, statements)."""

    name: str  # its resource's name in the data package: the kind's folder, "relations", "statements"
    file: str  # "cities.csv"
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    kind: Kind | None = None
    references: tuple[tuple[str, str, str], ...] = ()  # (column, table, column): a value of the other table


def tables(schema_dir: FsPath, source: str) -> list[Table]:
    """Every CSV table, in the downloads' order: one per kind, then relations and statements (whose
    texts are in the source language `source`, then each other one)."""
    kind_fields = {kind.name: fields(kind, schema_dir) for kind in KINDS}
    languages = sorted({f.language for found in kind_fields.values() for f in found if f.language})
    slides = SOURCE  # the kind whose entities hold the brief's statements
    url = Column("url", "string", "The address of the entity's page.", required=True, format="uri")
    return [
        *(Table(kind.folder, csv_name(kind), (*_with_region_code(kind, flat_columns(kind, kind_fields[kind.name])), url),
                ("id",), kind)
          for kind in KINDS),
        Table("relations", RELATIONS, _relation_columns([source, *(lang for lang in languages if lang != source)]), ("source", "relation", "target", "direction")),
        Table("statements", STATEMENTS, _statement_columns(slides, kind_fields[slides.name]), ("slide", "id"),
              references=(("slide", slides.folder, "id"),)),
    ]


def flat_columns(kind: Kind, kind_fields: list[Field], within: str = "") -> list[Column]:
    """The columns that `kind`'s fields give a flat table, in schema order: the kind's own table, or,
    with `within`, the long table of the list of objects `within` ("statements"), a row per item.
    A column is a text, a number, a boolean or a list of them (joined); a translation's column
    follows the name of the column it translates, with the language after an underscore."""
    by_path = {f.path: f for f in kind_fields}
    outer = f"{within}[]." if within else ""  # the prefix of the fields a row's record holds
    out: list[Column] = []
    for f in kind_fields:
        if f.type not in _SCALARS and not (f.type == "array" and f.items != "object"):
            continue  # an object, a list of objects, a language block: their fields give the columns
        source = f.original or f.path  # the field in the source language: "added[].source", "statements[].text"
        top = re.split(r"[.\[]", source, maxsplit=1)[0]
        belongs = top == within if within else top not in LONG_TABLES
        if not belongs:
            continue  # another table's
        path = source.removeprefix(outer)  # within a row's record
        items = "[]." in path
        joined = items or f.type == "array"
        steps = path.split(".")
        chain = [] if joined or f.language else [by_path[outer + ".".join(steps[:i])] for i in range(1, len(steps) + 1)]
        table_type = "string" if joined else f.type
        out.append(Column(
            name=_column_name(path, None if within else kind.place) + (f"_{f.language}" if f.language else ""),
            type=table_type,
            description=f.description + _joined_note(path, f) if joined else f.description,
            path=f"{f.language}.{path}" if f.language else path,
            anchor=anchor(kind, f.path),
            required=bool(chain) and all(g.required and not g.nullable for g in chain),  # then a cell is never empty
            joined=joined, items=items, language=f.language,
            enum=tuple(neutralise(str(v)) for v in f.enum) if f.enum and table_type == "string" else (),
            minimum=f.minimum, maximum=f.maximum))
    return out


REGION_CODE = "region_istat"  # after a place's region: the region's ISTAT code, from the regional boundaries


def _with_region_code(kind: Kind, columns: list[Column]) -> list[Column]:
    """A place's columns with, after its `region`, the region's ISTAT code (two digits), which no file
    holds: the vendored ISTAT boundaries give it (geo.region_codes), as they give the maps."""
    at = next((i for i, c in enumerate(columns) if kind.place and c.path == "region"), None)
    if at is None:
        return columns
    code = Column(REGION_CODE, "string", "The ISTAT code of the region (two digits), from ISTAT's regional boundaries.",
                  anchor=columns[at].anchor, required=columns[at].required)
    return [*columns[: at + 1], code, *columns[at + 1:]]


def _column_name(path: str, place: str | None) -> str:
    """A field's column: the names of its path joined by underscores ("coordinates.lat" would be
    coordinates_lat), the last one plural where the path crosses a list of objects (one value per
    item: "added[].source" -> added_sources); a place's fields by their own names (lat, lon), the
    names GIS tools look for."""
    if place and path.startswith(f"{place}."):
        path = path.removeprefix(f"{place}.")
    names = re.split(r"\[\]\.|\.", path)
    if "[]." in path and not names[-1].endswith(("s", "ed")):
        names[-1] += "s"
    return "_".join(names)


def _joined_note(path: str, field: Field) -> str:
    """What the data package says of a joined column, after the field's own description."""
    if "[]." not in path:
        return f" In the CSV, the values are joined by '{SEPARATOR}'."
    inner = f", the values of one item separated by '{ITEM_SEPARATOR}'" if field.type == "array" else ""
    return (f" In the CSV, one value per item of '{path.split('[].')[0]}', in the items' order, joined by "
            f"'{SEPARATOR}'{inner}; an item without one leaves its place empty.")


def _relation_columns(languages: list[str]) -> tuple[Column, ...]:
    """The relations table's columns; `languages` the source language first."""
    def texts(name: str, what: str) -> list[Column]:
        return [Column(name, "string", f"{what}, in the source language ({languages[0]}).", required=True),
                *(Column(f"{name}_{lang}", "string", f"{what}, in {lang}; empty where it is not translated.",
                         language=lang) for lang in languages[1:])]
    kinds = tuple(k.name for k in KINDS)
    return (
        Column("source", "string", "The entity the relation is read from, as kind:id.", required=True),
        Column("source_kind", "string", "The source entity's kind.", required=True, enum=kinds),
        *texts("source_title", "The source entity's title"),
        Column("relation", "string", "The relation's type, as the files in data/ name it (parte_di).", required=True,
               enum=tuple(r.name for r in RELATION_TYPES)),
        *texts("relation_name", "The relation's heading on the source entity's page (relations.<type>.forward in the "
                                "translation files for a declared row, .inverse for a derived one)"),
        Column("target", "string", "The entity the relation leads to, as kind:id.", required=True),
        Column("target_kind", "string", "The target entity's kind.", required=True, enum=kinds),
        *texts("target_title", "The target entity's title"),
        Column("direction", "string", "declared: the relation as written in the source entity's file in data/; "
               "derived: the inverse of a relation written in the target's file, which the site derives. "
               "Each relation has one row in each direction.", required=True, enum=DIRECTIONS),
    )


def _statement_columns(kind: Kind, kind_fields: list[Field]) -> tuple[Column, ...]:
    own = flat_columns(kind, kind_fields, within="statements")
    return (
        Column("slide", "string", "The id of the slide the statement is on.", anchor=anchor(kind, "id"), required=True),
        *(c for c in own if c.name == "id"),
        Column("number", "string", "The statement's number: the slide's number, a dot, its place on the slide (3.2).",
               required=True),
        *(c for c in own if c.name != "id"),
        Column("represented_by", "string", "The entities that represent the statement (their sources name it), "
               f"as kind:id, joined by '{SEPARATOR}'.", joined=True),
        Column("url", "string", "The address of the statement: its anchor on its slide's page.", required=True,
               format="uri"),
    )


def table_text(table: Table, catalog: Catalog, publication: Publication, words: dict[str, Json]) -> str:
    """A table as CSV: its header, then a row per entity of its kind, per relation and direction, or
    per statement."""
    if table.kind is not None:
        codes = geo.region_codes()
        rows: Iterator[tuple[Mapping[str, object], Mapping[str, object]]] = (
            (e.data, {"url": entity_url(publication, e), REGION_CODE: codes.get(str(e.data.get("region")))})
            for e in catalog.by_kind[table.kind.name])
    elif table.name == "relations":
        rows = _relation_rows(catalog, words)
    else:
        rows = _statement_rows(catalog, publication)
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for record, given in rows:
        writer.writerow([_cell(_values(record, c.path) if c.path else given.get(c.name), c) for c in table.columns])
    return out.getvalue()


def _relation_rows(catalog: Catalog, words: dict[str, Json]) -> Iterator[tuple[Mapping[str, object], Mapping[str, object]]]:
    """Every relation from each of its ends: as written (declared) and as derived (its inverse).
    `words` by language, the source language's first (_dataset_words)."""
    source = next(iter(words.values()))
    for entity in _entities(catalog):
        for ln in entity.links:
            side = "inverse" if ln.inverse else "forward"
            row: dict[str, object] = {
                "source": str(entity.ref), "source_kind": entity.kind, "source_title": entity.title,
                "relation": ln.type, "relation_name": source["relations"][ln.type][side],
                "target": str(ln.target.ref), "target_kind": ln.target.kind, "target_title": ln.target.title,
                "direction": "derived" if ln.inverse else "declared",
            }
            for lang in words:
                if words[lang] is not source:
                    row[f"source_title_{lang}"] = _translation(entity, "title", lang)
                    row[f"relation_name_{lang}"] = words[lang]["relations"][ln.type][side]
                    row[f"target_title_{lang}"] = _translation(ln.target, "title", lang)
            yield {}, row


def _statement_rows(catalog: Catalog, publication: Publication) -> Iterator[tuple[Mapping[str, object], Mapping[str, object]]]:
    """Every statement of every slide, in reading order: its data with its translations under their languages."""
    for slide in catalog.by_kind[SOURCE.name]:
        for item in cast(SlideData, slide.data).get("statements") or []:  # the kind's data: a slide's
            statement = catalog.statements[f"{slide.id}#{item['id']}"]
            yield {**item, **statement.translations}, {
                "slide": slide.id, "number": statement.number, "url": statement_url(publication, statement),
                "represented_by": [str(e.ref) for e in statement.represented_by]}


def _translation(entity: Entity, name: str, lang: str) -> object:
    """Field `name` of the entity's `lang` block, as it is there (None where the block lacks it)."""
    block = entity.data.get(lang)
    return block.get(name) if isinstance(block, dict) else None


def _values(record: object, path: str) -> object:
    """The value at `path` in a record ("coordinates.lat"); where the path crosses a list of objects
    ("added[].source"), the list of its items' values."""
    head, crossed, rest = path.partition("[].")
    for name in head.split("."):
        record = record.get(name) if isinstance(record, dict) else None
    if not crossed:
        return record
    return [_values(item, rest) for item in record] if isinstance(record, list) else None


def _cell(value: object, column: Column) -> str:
    return neutralise(_joined(value)) if column.joined else cell(value)


def _joined(value: object) -> str:
    """A list as one cell: its values joined by SEPARATOR, an item's own list by ITEM_SEPARATOR. An
    item without a value keeps its place, empty, so that the columns of one list stay aligned; a
    list with no value at all is an empty cell."""
    if not isinstance(value, list):
        return _plain(value)
    parts = [ITEM_SEPARATOR.join(_plain(v) for v in item) if isinstance(item, list) else _plain(item) for item in value]
    return SEPARATOR.join(parts) if any(parts) else ""


def _plain(value: object) -> str:
    if value is None:
        return ""
    return cell(value) if isinstance(value, bool | int | float) else str(value)


def cell(value: object) -> str:
    """A value as CSV text: numbers and booleans as Table Schema reads them, text with the formula
    rule applied; an absent or null value is an empty cell. (Anything structured, which no flat
    column holds, would be JSON.)"""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value, allow_nan=False)
    if isinstance(value, str):
        return neutralise(value)
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def neutralise(text: str) -> str:
    """The text a spreadsheet cannot run: an apostrophe before a formula's first character (or an apostrophe)."""
    return APOSTROPHE + text if text.startswith((*FORMULA_START, APOSTROPHE)) else text


def restore(text: str) -> str:
    """The original text of a CSV text cell: without the apostrophe `neutralise` put in front."""
    return text[1:] if text.startswith(APOSTROPHE) else text


# ---------------------------------------------------------------------------------------------
# The fields of a kind, from its JSON Schema: the CSV columns, the Table Schema, the field reference
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One field of a kind, at any depth: "coordinates.lat", "statements[].corrections[].original",
    "en.statements.<id>.text"."""

    path: str
    key: str  # its description's key under opendata.fields in the translation files ("" where composed)
    type: str  # the JSON type: string, integer, number, boolean, array, object
    required: bool  # in the object that holds it
    depth: int  # 0 for a top-level field
    description: str  # the schema's own (English, for editors): the data package's field description
    items: str | None = None  # an array's item type
    nullable: bool = False
    enum: tuple[object, ...] = ()
    example: object = None
    minimum: float | None = None
    maximum: float | None = None
    relation: RelationType | None = None  # a relation type under `relations`
    language: str | None = None  # a language block, or a field in one: its language
    translated: tuple[str, ...] = ()  # a language block's fields
    original: str | None = None  # a field in a language block: the path of the field it translates
    keyed: bool = False  # an object holding one group of fields per id (a language block's statements)


def fields(kind: Kind, schema_dir: FsPath) -> list[Field]:
    """Every field of `kind`, in schema order, children after their parent (a language block's too);
    $refs followed."""
    schema = _read(schema_dir / f"{kind.name}.schema.json")
    required = set(schema.get("required", []))
    out: list[Field] = []
    for name, node in schema["properties"].items():
        if node.get(LANGUAGE_MARK):  # its fields translate others: described from them, not one by one
            out.append(Field(name, "", "object", False, 0, node.get("description", ""), language=name,
                             translated=tuple(node.get("properties", {})), example=(node.get("examples") or [None])[0]))
            out += [replace(f, key="", language=name, original=_translated(f.path, name))
                    for sub_name, sub in node.get("properties", {}).items()
                    for f in _walk(schema_dir, sub, f"{name}.{sub_name}", sub_name, False, 1)]
        elif name == "relations":
            out.append(_field(node, name, "relations", name in required, 0))
            out += [Field(f"{name}.{r}", "", "array", False, 1, _resolve(schema_dir, sub).get("description", ""),
                          items="string", relation=RELATION_BY_NAME[r], example=(sub.get("examples") or [None])[0])
                    for r, sub in node.get("properties", {}).items()]
        else:
            out += _walk(schema_dir, node, name, f"{kind.name}.{name}", name in required, 0)
    return out


def _walk(schema_dir: FsPath, node: Json, path: str, key: str, required: bool, depth: int) -> list[Field]:
    if "$ref" in node:  # a definition shared by every kind: described once, under its own name
        key = node["$ref"].rsplit("/", 1)[-1]
        node = _resolve(schema_dir, node)
    out = [_field(node, path, key, required, depth)]
    items = node.get("items") if node.get("type") == "array" else None
    keyed = node.get("additionalProperties")
    if isinstance(items, dict):  # an object's fields, its items' or those under each of its keys
        holder, sep = items, "[]."
    elif isinstance(keyed, dict) and "properties" in keyed:
        holder, sep = keyed, f".{KEYED}."
        out[0] = replace(out[0], keyed=True)
    else:
        holder, sep = node, "."
    wanted = set(holder.get("required", []))
    for name, sub in holder.get("properties", {}).items():
        out += _walk(schema_dir, sub, f"{path}{sep}{name}", f"{key}{sep}{name}", name in wanted, depth + 1)
    return out


def anchor(kind: Kind, path: str) -> str:
    """A field's anchor on the field reference page (reference.py), which the Dati page links too:
    the kind's name, then the path's names joined by hyphens ("city", "added[].source" ->
    "city-added-source"). Field names never hold a hyphen, so two fields never share an anchor."""
    return "-".join([kind.name, *(p for p in re.split(r"[.\[\]]+", path.replace(KEYED, "")) if p)])


def _translated(path: str, lang: str) -> str:
    """The field a language block's field translates: en.added[].source -> added[].source,
    en.statements.<id>.text -> statements[].text."""
    return path.removeprefix(f"{lang}.").replace(f".{KEYED}.", "[].")


def _field(node: Json, path: str, key: str, required: bool, depth: int) -> Field:
    types = node.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    enum = tuple(node.get("enum", ()))
    main = next((t for t in types if t != "null"), None) or _enum_type(enum)
    items = node.get("items") if main == "array" else None
    return Field(
        path, key, main, required, depth, node.get("description", ""),
        items=items.get("type") if isinstance(items, dict) else None,
        nullable="null" in types, enum=enum, example=(node.get("examples") or [None])[0],
        minimum=node.get("minimum"), maximum=node.get("maximum"),
    )


def _enum_type(enum: tuple[object, ...]) -> str:
    """The type of an enumeration written without one: its values' own type."""
    kinds = {type(v) for v in enum}
    return {bool: "boolean", int: "integer", float: "number"}.get(kinds.pop(), "string") if len(kinds) == 1 else "string"


def _read(path: FsPath) -> Json:
    schema: Json = json.loads(files.read_text(path))  # a schema file, which validate.py has checked
    return schema


def _resolve(schema_dir: FsPath, node: Json) -> Json:
    """`node` with its $ref ("envelope.schema.json#/$defs/title") replaced by the definition; the
    node's own keywords (a more precise description, examples) win."""
    if "$ref" not in node:
        return node
    file, _, pointer = node["$ref"].partition("#")
    target: Json = _read(schema_dir / file)
    for part in pointer.strip("/").split("/") if pointer.strip("/") else ():
        target = target[part]
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}


# Frictionless Data Package (v1): a Table Schema per CSV, with each column's real type, the JSON
# files as plain resources
# ---------------------------------------------------------------------------------------------


def data_package(layout: list[Table], publication: Publication, words: dict[str, Json]) -> Json:
    source = next(iter(words.values()))  # the source language's words come first (_dataset_words)
    package: Json = {
        "profile": "data-package",
        "name": package_name(publication),
        "title": publication.site_name,
        "description": "\n\n".join(w["package_description"].replace("{separator}", SEPARATOR) for w in words.values()),
        "homepage": publication.site_url,
        "licenses": [{"name": _licence_id(publication), "path": publication.licence.url,
                      "title": publication.licence.name}],
        "contributors": [{"title": publication.publisher, "role": "publisher",
                          **({"path": publication.publisher_url} if publication.publisher_url else {})}],
    }
    if publication.edition:
        package["version"] = publication.edition
    if publication.date:
        package["created"] = f"{publication.date.isoformat()}T00:00:00Z"
    resources: list[Json] = []
    for table in layout:
        schema: Json = {
            "fields": [_table_field(c, table.key) for c in table.columns],
            "primaryKey": list(table.key),
            "missingValues": [""],
        }
        if table.references:
            schema["foreignKeys"] = [{"fields": [mine], "reference": {"resource": other, "fields": [theirs]}}
                                     for mine, other, theirs in table.references]
        resources.append({
            "profile": "tabular-data-resource",
            "name": table.name,
            "path": table.file,
            "title": source["kinds"][table.kind.name] if table.kind else source["tables"][table.name],
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        })
    resources.append({"profile": "data-resource", "name": "atlante", "path": KNOWLEDGE_BASE, "format": "json",
                      "mediatype": "application/json", "encoding": "utf-8"})
    resources.append({"profile": "data-resource", "name": "atlante-jsonld", "path": GRAPH, "format": "jsonld",
                      "mediatype": "application/ld+json", "encoding": "utf-8"})
    package["resources"] = resources
    return package


def _table_field(column: Column, key: tuple[str, ...]) -> Json:
    out: Json = {"name": column.name, "type": column.type, "description": column.description}
    if column.format:
        out["format"] = column.format
    constraints: Json = {}
    if column.required:
        constraints["required"] = True
    if key == (column.name,):
        constraints["unique"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.type in ("integer", "number"):
        constraints.update({k: v for k, v in (("minimum", column.minimum), ("maximum", column.maximum)) if v is not None})
    if constraints:
        out["constraints"] = constraints
    return out


def package_name(publication: Publication) -> str:
    """The package's name: lowercase letters, digits and hyphens, from the site's name."""
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in publication.site_name.casefold()).split()
    return "-".join(words) or "atlante"


def _licence_id(publication: Publication) -> str:
    """The licence's Open Definition / SPDX-style id: "CC BY 4.0" -> "CC-BY-4.0"."""
    return "-".join(publication.licence.name.split())


# ---------------------------------------------------------------------------------------------
# JSON-LD: schema.org, with the relation types in the site's own vocabulary, written by the builders of
# the pages' own JSON-LD (metadata.py), in every language: a page's entity is this graph's node.
# ---------------------------------------------------------------------------------------------

MEDIA_TYPES = {"json": "application/json", "jsonld": "application/ld+json", "csv": "text/csv",
               "rdf": "application/rdf+xml"}


def graph(catalog: Catalog, publication: Publication, words: dict[str, Json]) -> Json:
    """The whole knowledge base as one graph: the dataset with its downloads, the glossaries' term
    sets, every entity and every statement."""
    languages = list(words)
    nodes: list[Json] = [dataset_node(
        publication, languages, name=[text(w["title"], lang) for lang, w in words.items()],
        description=[text(w["description"], lang) for lang, w in words.items()], distribution=distribution(),
        about=[entity_iri(publication, e) for e in _entities(catalog)])]
    nodes += [{"@id": term_set_iri(publication, kind), "@type": "DefinedTermSet",  # a glossary
               "name": [text(w["kinds"][kind.name], lang) for lang, w in words.items()],
               "url": [publication.url(f"{kind.folder}/", lang) for lang in languages]}
              for kind in KINDS if kind.schema_type == "DefinedTerm"]
    nodes += [entity_node(publication, entity, languages) for entity in _entities(catalog)]
    nodes += [statement_node(publication, statement, languages) for statement in _statements(catalog)]
    return {"@context": context(publication), "@graph": nodes}


# ---------------------------------------------------------------------------------------------
# DCAT-AP_IT: the catalogue, the dataset and one distribution per download, in RDF/XML written by
# rdflib. No blank nodes (their ids are random) and a store that keeps insertion order, so that
# two builds write the same bytes. rdflib is imported by `dcat` (`atlante check` need not wait for it).
# ---------------------------------------------------------------------------------------------

DCATAPIT_NS = "http://dati.gov.it/onto/dcatapit#"
VCARD_NS = "http://www.w3.org/2006/vcard/ns#"
EU = "http://publications.europa.eu/resource/authority/"
EUROVOC = "http://eurovoc.europa.eu/"
# The dataset's EU data themes and sub-themes, with their vocabulary's labels: subjects.yaml
SUBJECTS_FILE = FsPath(__file__).with_name("subjects.yaml")
FILE_TYPES = {"json": "JSON", "jsonld": "JSON_LD", "csv": "CSV", "rdf": "RDF_XML"}  # EU file-type authority
FORMAT_NAMES = {"json": "JSON", "jsonld": "JSON-LD", "csv": "CSV", "rdf": "RDF/XML"}
LICENCE_TYPES = {"https://creativecommons.org/licenses/by/": "Attribution",
                 "https://creativecommons.org/licenses/by-sa/": "ShareAlike",
                 "https://creativecommons.org/publicdomain/zero/": "PublicDomain"}


def dcat(catalog: Catalog, publication: Publication, words: dict[str, Json],
         updated: Mapping[str, date | None], files: Mapping[str, str], issued: date | None = None) -> str:
    """The DCAT-AP_IT catalogue. `issued` is the day the catalogue was first published (the first
    edition's, where the history tells it); without it, this edition's date."""
    from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

    DCATAPIT, VCARD = Namespace(DCATAPIT_NS), Namespace(VCARD_NS)  # named as the vocabularies are
    g = Graph(store="SimpleMemory")
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("dcatapit", DCATAPIT), ("foaf", FOAF), ("vcard", VCARD),
                       ("skos", SKOS)):
        g.bind(prefix, ns)
    page = publication.site_url + FOLDER
    catalogue, dataset = URIRef(publication.site_url + "#catalog"), URIRef(dataset_iri(publication))
    agent, contact, licence = URIRef(publisher_iri(publication)), URIRef(page + "#contact"), URIRef(publication.licence.url)
    days = [d for d in updated.values() if d]
    modified = publication.date or (max(days) if days else None)
    issued = issued or modified

    def day(subject: URIRef, predicate: URIRef, value: date | None) -> None:
        if value:
            g.add((subject, predicate, Literal(value.isoformat(), datatype=XSD.date)))

    def texts(subject: URIRef, predicate: URIRef, key: str) -> None:
        for lang, w in words.items():
            g.add((subject, predicate, Literal(w[key], lang=lang)))

    g.add((catalogue, RDF.type, DCATAPIT.Catalog))
    g.add((catalogue, RDF.type, DCAT.Catalog))
    texts(catalogue, DCTERMS.title, "catalogue_title")
    texts(catalogue, DCTERMS.description, "catalogue_description")
    g.add((catalogue, DCTERMS.publisher, agent))
    g.add((catalogue, FOAF.homepage, URIRef(publication.site_url)))
    g.add((catalogue, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))
    languages = [URIRef(EU + "language/" + w["eu_language"]) for w in words.values()]  # the translation files' codes
    for language in languages:
        g.add((catalogue, DCTERMS.language, language))
    day(catalogue, DCTERMS.issued, issued)
    day(catalogue, DCTERMS.modified, modified)
    g.add((catalogue, DCAT.dataset, dataset))

    g.add((dataset, RDF.type, DCATAPIT.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.identifier, Literal(package_name(publication))))
    texts(dataset, DCTERMS.title, "title")
    texts(dataset, DCTERMS.description, "description")
    for theme, subjects in _subjects().items():
        g.add((dataset, DCAT.theme, URIRef(EU + "data-theme/" + theme)))
        for code, labels in subjects.items():
            subject = URIRef(EUROVOC + code)
            g.add((dataset, DCTERMS.subject, subject))
            g.add((subject, RDF.type, SKOS.Concept))
            for lang in words:
                if lang in labels:
                    g.add((subject, SKOS.prefLabel, Literal(labels[lang], lang=lang)))
    g.add((dataset, DCTERMS.publisher, agent))
    g.add((dataset, DCTERMS.rightsHolder, agent))
    g.add((dataset, DCAT.contactPoint, contact))
    day(dataset, DCTERMS.issued, issued)
    day(dataset, DCTERMS.modified, modified)
    g.add((dataset, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/IRREG")))
    for language in languages:
        g.add((dataset, DCTERMS.language, language))
    g.add((dataset, DCTERMS.spatial, URIRef(EU + "country/ITA")))
    g.add((dataset, DCAT.landingPage, URIRef(page)))
    if publication.edition:
        g.add((dataset, URIRef("http://www.w3.org/2002/07/owl#versionInfo"), Literal(publication.edition)))
    for lang, w in words.items():
        for name in w["keywords"].split(","):
            g.add((dataset, DCAT.keyword, Literal(name.strip(), lang=lang)))

    g.add((agent, RDF.type, DCATAPIT.Agent))
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, FOAF.name, Literal(publication.publisher)))
    g.add((agent, DCTERMS.identifier, Literal(publication.publisher_url or publication.site_url)))
    g.add((contact, RDF.type, DCATAPIT.Organization))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(publication.publisher)))
    if publication.contact_email:  # required by DCAT-AP_IT: a strict build has one (meta.contact_problems)
        g.add((contact, VCARD.hasEmail, URIRef("mailto:" + publication.contact_email)))  # as vCard writes it
    g.add((contact, VCARD.hasURL, URIRef(publication.repository or publication.publisher_url or publication.site_url)))

    g.add((licence, RDF.type, DCATAPIT.LicenseDocument))
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((licence, FOAF.name, Literal(publication.licence.name)))
    kind = next((t for prefix, t in LICENCE_TYPES.items() if publication.licence.url.startswith(prefix)), None)
    if kind:
        g.add((licence, DCTERMS.type, URIRef("http://purl.org/adms/licencetype/" + kind)))

    for name, key, fmt in _distributions():
        distribution = URIRef(page + "#" + name.replace(".", "-"))
        g.add((dataset, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCATAPIT.Distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        for lang, w in words.items():
            g.add((distribution, DCTERMS.title, Literal(name, lang=lang)))
            said = w["downloads"][key]
            g.add((distribution, DCTERMS.description,
                   Literal(said.replace("{kind}", w["kinds"].get(name.removesuffix(".csv"), "")), lang=lang)))
        g.add((distribution, DCTERMS["format"], URIRef(EU + "file-type/" + FILE_TYPES[fmt])))
        g.add((distribution, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + MEDIA_TYPES[fmt])))
        g.add((distribution, DCAT.accessURL, URIRef(page)))
        g.add((distribution, DCAT.downloadURL, URIRef(page + name)))
        g.add((distribution, DCTERMS.license, licence))
        g.add((distribution, DCAT.byteSize, Literal(len(files[FOLDER + name].encode()), datatype=XSD.decimal)))
        day(distribution, DCTERMS.modified, modified)
    return g.serialize(format="xml")


def first_issued(editions: Sequence[Changes]) -> date | None:
    """The day the catalogue was first published: the first edition's (history.read lists editions
    newest first, and the changes not yet released, if any, without a version)."""
    released = [e.date for e in editions if e.version is not None]
    return released[-1] if released else None


def _distributions() -> list[tuple[str, str, str]]:
    """(file, what it is, format) of each download a catalogue lists."""
    return [(KNOWLEDGE_BASE, "json", "json"), (GRAPH, "jsonld", "jsonld"), *((csv_name(k), "csv", "csv") for k in KINDS),
            (RELATIONS, "relations", "csv"), (STATEMENTS, "statements", "csv"), (PACKAGE, "package", "json")]


def distribution() -> list[tuple[str, str]]:
    """(path from the site root, media type) of each download a catalogue lists: the home page's
    Dataset names them."""
    return [(FOLDER + name, MEDIA_TYPES[fmt]) for name, _what, fmt in _distributions()]


@functools.cache
def _subjects() -> dict[str, dict[str, dict[str, str]]]:
    """theme -> EuroVoc code -> language -> label (subjects.yaml)."""
    return {str(theme): {str(code): {str(k): str(v) for k, v in labels.items()} for code, labels in codes.items()}
            for theme, codes in yaml.safe_load(SUBJECTS_FILE.read_text(encoding="utf-8")).items()}


def _dataset_words(schema_dir: FsPath, translations: Mapping[str, i18n.Translation] | None = None) -> dict[str, Json]:
    """Every language's words for the dataset, source language first, with the kinds' plural names
    by folder and by name, the long tables' titles and the relations' headings."""
    if translations is None:
        translations, _ = i18n.load(schema_dir.parent.parent)
    out: dict[str, Json] = {}
    for lang in sorted(translations, key=lambda x: (not translations[x].source, x)):
        words = translations[lang].words
        plural = {k.name: words["kinds"][k.name]["plural"] for k in KINDS}
        out[lang] = {**words["opendata"]["dataset"], "downloads": words["opendata"]["downloads"],
                     "eu_language": words["codes"]["eu_language"],
                     "kinds": {**plural, **{k.folder: plural[k.name] for k in KINDS}},
                     "tables": {name: t["title"] for name, t in words["opendata"]["long_tables"].items()},
                     "relations": words["relations"]}
    return out


# ---------------------------------------------------------------------------------------------
# The Dati page: what the template needs, data only
# ---------------------------------------------------------------------------------------------


def data_page(catalog: Catalog, schema_dir: FsPath, lang: str, publication: Publication) -> Json:
    """What the Dati page needs, data only: what a reader can do with the downloads (`uses`, each
    with the link and the columns it names), the downloads with their links, the per-entity API's
    pattern and example, the CSV rules (the separator, the columns a field becomes) and every table's
    columns, each with its field's anchor on the field reference (`anchor`) where a schema has it.

    Links: the source edition's page (dati.md at the docs root) links the files as Markdown paths
    relative to it ("dati/atlante.json"), which MkDocs checks and rewrites; another edition links
    the files, published once at the site's root, by absolute URL.
    """
    def href(path: str) -> str:
        return path if lang == publication.source_lang else publication.site_url + path

    def listed(table: Table) -> Json:
        return {"kind": table.kind, "key": table.name, "name": table.file, "href": href(FOLDER + table.file),
                "count": counts[table.name], "columns": [{"name": c.name, "anchor": c.anchor} for c in table.columns]}

    layout = tables(schema_dir, publication.source_lang)
    counts = {k.folder: len(catalog.by_kind[k.name]) for k in KINDS}
    counts |= {"relations": sum(len(e.links) for e in _entities(catalog)), "statements": len(catalog.statements)}
    example = next(_entities(catalog), None)
    own = [t for t in layout if t.kind]
    place = next((t for t in own if t.kind and t.kind.place), None)  # the table a GIS maps: the cities'
    place_columns = [c.name for c in place.columns if place.kind and c.path.startswith(f"{place.kind.place}.")] if place else []
    relations = next(t for t in layout if t.name == "relations")
    uses = [{"key": "spreadsheet", "href": "#tables", "columns": []}]
    if place and place_columns:
        uses.append({"key": "map", "href": href(FOLDER + place.file), "columns": place_columns})
    uses.append({"key": "network", "href": href(FOLDER + relations.file), "columns": ["source", "target"]})
    if example:
        uses.append({"key": "entity", "href": "#api", "columns": []})
    uses.append({"key": "whole", "href": href(FOLDER + KNOWLEDGE_BASE), "columns": []})
    columns = [c for t in own for c in t.columns]
    return {
        "uses": uses,
        "licence": publication.licence,
        "publisher": publication.publisher_in(lang),  # the page's words; the files name the source's
        "edition": publication.edition,
        "date": publication.date.isoformat() if publication.date else None,
        "files": [{"name": name, "href": href(FOLDER + name), "what": what, "format": FORMAT_NAMES[fmt]}
                  for name, what, fmt in (*_distributions(), (DCAT_FILE, "dcat", "rdf")) if what != "csv"],
        "tables": [listed(t) for t in own],
        "long_tables": [{**listed(t), "words": [c.name for c in t.columns] + ([*DIRECTIONS] if t is relations else [])}
                        for t in layout if not t.kind],
        "separator": SEPARATOR,
        "flat": {  # examples of the columns a field becomes, from the tables themselves
            "translated": _unique(c.name for c in columns if c.language)[:3],
            "place": place_columns,
            "grouped": _unique(c.name for c in columns if c.items and not c.language),  # one value per item
        },
        "api_root": publication.site_url,
        "example": {"name": api_path(example), "href": href(api_path(example)),
                    "title": str(example.text("title", lang))} if example else None,
        "formula_start": [c for c in FORMULA_START if c.isprintable()],  # tab and CR: in the words
    }


def _unique(names: Iterator[str]) -> list[str]:
    return list(dict.fromkeys(names))
