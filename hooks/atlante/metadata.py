"""What a page tells reference managers, search engines and link previews about itself.

- Highwire Press `citation_*` tags, which Zotero's Embedded Metadata translator reads, Dublin Core
  (`DC.*`) and Open Graph (`og:*`), written so that Zotero saves what the site's own citations say
  (cite.csl_item): a web page (`og:type` website, which Zotero's RDF translator maps to `webpage`;
  no `citation_technical_report_*`, which would make it a report, and no `DC.type`, which it would
  copy into the page's type), authored by the publisher as one name (`citation_author` ends with a
  comma: Zotero's name parser, ZU.cleanAuthor, then keeps the whole text as a last name, which the
  item stores as a single-field name, instead of splitting off the last word), on the website named
  by `og:site_name`, in the page's language (README, "Zotero");
- schema.org JSON-LD fitting the page: a city is a Place with its coordinates (its ISTAT code an `identifier`, its Wikidata item `sameAs`), a concept a
  DefinedTerm, an action an Action, a slide a CreativeWork whose statements are Quotations, the
  home page the Dataset the site publishes; every other entity a Thing of its kind.

The JSON-LD of the pages and the open data's graph (opendata.graph, /dati/atlante.jsonld) are one
graph written in pieces: the same builders make an entity's node (`entity_node`), a statement's
(`statement_node`) and the dataset's (`dataset_node`), with the same inline @context (`context`:
nothing to fetch, every property in https://schema.org/), so that a reader merging a page with the
open data finds one node per entity, under one IRI. A page gives the texts and addresses of its own
language, the open data those of every language; every text is tagged with the language it is in.

Values are data: the template escapes the tags and serialises the JSON-LD with `tojson`, which
escapes <, > and & so no text can close the script element. Every URL is absolute, from site_url.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

from . import geo
from .kinds import KIND_BY_NAME, RELATION_TYPES, SOURCE, Kind, address
from .meta import Publication
from .model import Entity, Json, Statement

SCHEMA = "https://schema.org/"  # the one namespace of every JSON-LD the site writes (never http://schema.org/)
DATA_FOLDER = "dati/"  # the open data's folder under the site root (opendata.FOLDER): its vocabulary is there
# The properties whose values are addresses: read as IRIs, so that a page's entity and its links are
# the same nodes as the open data's
LINKED = ("url", "license", "about", "hasPart", "isPartOf", "subjectOf", "mainEntity", "inDefinedTermSet",
          "additionalType", "contentUrl", "actionStatus", "sameAs")
WIKIDATA = "https://www.wikidata.org/wiki/"  # an item's page: Q490 -> https://www.wikidata.org/wiki/Q490


@dataclass(frozen=True)
class PageMeta:
    tags: list[tuple[str, str, str]] = field(default_factory=list)  # (attribute, name, content)
    jsonld: Json = field(default_factory=dict)


def page_meta(publication: Publication, *, title: str, description: str, path: str, lang: str, locale: str,
              updated: date | None, entity: Entity | None = None, home: bool = False,
              keywords: list[str] | None = None, distribution: list[tuple[str, str]] | None = None) -> PageMeta:
    """The tags and JSON-LD of the page at `path` (relative to its edition: "cities/milano/"), in the
    edition `lang`, whose Open Graph locale is `locale` (its translation file's codes.open_graph)."""
    url = publication.url(path, lang)
    publisher = publication.publisher_in(lang)
    day = (updated or publication.date)
    tags: list[tuple[str, str, str]] = [
        ("name", "citation_title", title),
        ("name", "citation_author", zotero_name(publisher)),
        ("name", "citation_publisher", publisher),
        ("name", "citation_language", lang),
        ("name", "citation_public_url", url),
    ]
    if day:
        tags.append(("name", "citation_date", day.strftime("%Y/%m/%d")))
    for word in keywords or []:
        tags.append(("name", "citation_keywords", word))
    tags += [
        ("name", "DC.title", title),
        ("name", "DC.creator", publisher),
        ("name", "DC.publisher", publisher),
        ("name", "DC.description", description),
        ("name", "DC.language", lang),
        ("name", "DC.identifier", url),
        ("name", "DC.rights", publication.licence.url),
    ]
    if day:
        tags.append(("name", "DC.date", day.isoformat()))
    tags += [
        ("property", "og:title", title),
        ("property", "og:type", "website"),  # every page is a page of the website (Zotero: a webpage item)
        ("property", "og:url", url),
        ("property", "og:description", description),
        ("property", "og:site_name", publication.site_name),
        ("property", "og:locale", locale),
    ]
    if day:
        tags.append(("property", "og:updated_time", day.isoformat()))  # article:modified_time is an article's
    return PageMeta(tags, _jsonld(publication, title, description, url, path, lang, day, entity, home, distribution))


def zotero_name(name: str) -> str:
    """An organisation's name as Zotero reads it whole from `citation_author`: with a comma at its end.

    Every name Zotero reads from a meta tag goes through ZU.cleanAuthor, which takes a name without a
    comma as "First Last" and makes its last word the last name ("Italy"); with a comma it reads
    "Last, First", and a comma at the end (which it trims) leaves the whole name as the last name and
    no first name, which the item stores as one field. (A name holding a semicolon, or a comma between
    words, Zotero would still read as several names.)"""
    return name.rstrip(" ,") + ","


def entity_url(publication: Publication, entity: Entity, lang: str | None = None) -> str:
    """The entity's page in the edition `lang` (the source edition by default)."""
    return publication.url(address(entity.kind, entity.id), lang or publication.source_lang)


def entity_iri(publication: Publication, entity: Entity) -> str:
    """The entity itself, one IRI in every edition and in the open data: its source page + #entity."""
    return iri(publication, entity.kind, entity.id)


def iri(publication: Publication, kind: str, id_: str) -> str:
    """The IRI of entity `kind:id_`, for a caller that holds only the reference."""
    return publication.url(address(kind, id_), publication.source_lang) + "#entity"


def statement_url(publication: Publication, statement: Statement, lang: str | None = None) -> str:
    """A statement of the brief: its anchor on its slide's page in the edition `lang`; in the source
    edition, also the statement's IRI."""
    return publication.url(address(SOURCE.name, statement.slide), lang or publication.source_lang) + f"#{statement.id}"


def term_set_iri(publication: Publication, kind: Kind) -> str:
    """A glossary kind's entities as a DefinedTermSet: what its index page is about, so its source
    index page + #entity, as an entity's IRI is its page + #entity (the page's address is the page's)."""
    return publication.url(f"{kind.folder}/", publication.source_lang) + "#entity"


def dataset_iri(publication: Publication) -> str:
    """The knowledge base as a Dataset: the home page's JSON-LD and the open data's graph."""
    return publication.site_url + "#dataset"


def vocabulary(publication: Publication) -> str:
    """The namespace of the site's own terms: relation types (dati/vocab#parte_di) and kinds (…#city)."""
    return publication.site_url + DATA_FOLDER + "vocab#"


def publisher_iri(publication: Publication) -> str:
    """The site's publisher: one IRI in the pages' JSON-LD, the open data's graph and its catalogue."""
    return publication.site_url + DATA_FOLDER + "#publisher"


def organisation(publication: Publication, languages: Sequence[str]) -> Json:
    """The site's publisher as a schema.org Organization, named in each of `languages` (a page's own;
    the open data's every one), each name tagged with the language it is in (the source's name where
    the configuration gives none in a language)."""
    names = {publication.publisher_in(lang): lang if publication.publisher_in(lang) != publication.publisher
             else publication.source_lang for lang in languages}
    node = {"@id": publisher_iri(publication), "@type": "Organization",
            "name": [text(name, lang) for name, lang in names.items()]}
    if publication.publisher_url:
        node["url"] = publication.publisher_url
    return node


# ---------------------------------------------------------------------------------------------
# The JSON-LD builders: one @context, one node per entity, statement and dataset, for the pages and
# for the open data's graph alike
# ---------------------------------------------------------------------------------------------


def context(publication: Publication) -> Json:
    """The @context of every JSON-LD the site writes, inline: schema.org's terms in https://schema.org/
    (schema.org's own remote context would make them http://schema.org/, and a reader fetch it), the
    relation types in the site's vocabulary, and the properties whose values are addresses as IRIs."""
    return {
        "@vocab": SCHEMA,
        "atl": vocabulary(publication),
        **{r.name: {"@id": f"atl:{r.name}", "@type": "@id"} for r in RELATION_TYPES},
        **{name: {"@id": SCHEMA + name, "@type": "@id"} for name in LINKED},
    }


def entity_node(publication: Publication, entity: Entity, languages: Sequence[str]) -> Json:
    """The entity as a node of its kind's schema.org type: its texts and its pages in `languages` (a
    page's own; the open data's every one), its statements and the relations written in its file."""
    kind = KIND_BY_NAME[entity.kind]
    node: Json = {
        "@id": entity_iri(publication, entity),  # one IRI in every edition; `url` is its page in each
        "@type": kind.schema_type,
        "additionalType": vocabulary(publication) + entity.kind,
        "identifier": str(entity.ref),
        "name": _texts(entity, "title", languages, publication.source_lang),
        "description": _texts(entity, "summary", languages, publication.source_lang),
        "url": [entity_url(publication, entity, lang) for lang in languages],
    }
    if istat := entity.data.get("istat"):  # the ISTAT municipality code, beside the site's own identifier
        node["identifier"] = [node["identifier"], istat_code(str(istat))]
    if item := entity.data.get("wikidata"):
        node["sameAs"] = WIKIDATA + str(item)
    if kind.place:
        where = entity.coordinates(kind.place)
        node["geo"] = {"@type": "GeoCoordinates", "latitude": where["lat"], "longitude": where["lon"]}
        if region := entity.data.get("region"):
            node["containedInPlace"] = {"@type": "AdministrativeArea", "name": region}
            if code := geo.region_codes().get(str(region)):
                node["containedInPlace"]["identifier"] = istat_code(code)
    if kind.schema_type == "DefinedTerm":
        node["termCode"] = entity.id
        node["inDefinedTermSet"] = term_set_iri(publication, kind)
    if kind.schema_type == "Action":
        node["actionStatus"] = SCHEMA + "PotentialActionStatus"  # the brief proposes them
    statements = [statement_url(publication, s) for s in entity.statements]
    if kind.source:
        node["position"] = entity.data.get("number")
        node["hasPart"] = statements  # a slide holds its statements
    elif statements:
        node["subjectOf"] = statements  # the statements it represents are about it
    for ln in entity.links:
        if not ln.inverse:  # as written in its file: the inverse is the other entity's node's
            node.setdefault(ln.type, []).append(entity_iri(publication, ln.target))
    return node


def istat_code(code: str) -> Json:
    """An ISTAT code (a municipality's "015146", a region's "03") as a schema.org PropertyValue."""
    return {"@type": "PropertyValue", "propertyID": "ISTAT", "value": code}


def statement_node(publication: Publication, statement: Statement, languages: Sequence[str],
                   about: Sequence[Entity] | None = None) -> Json:
    """A statement of the brief as a Quotation: its words as the brief has them (Italian, the
    quotation's language) and their translations in `languages`, where it is on its slide, and the
    entities it is about: every one that represents it (the open data), or those given (a page names
    its own entity only, so that no page grows with the number of entries drawing on a statement)."""
    source = publication.source_lang
    texts = [text(statement.text, source)]
    texts += [text(statement.text_in(lang), lang) for lang in languages if lang != source and statement.translated(lang)]
    return {
        "@id": statement_url(publication, statement),
        "@type": "Quotation",
        "identifier": statement.ref,
        "text": texts,
        "inLanguage": source,
        "position": int(statement.number.split(".")[1]),
        "isPartOf": iri(publication, SOURCE.name, statement.slide),
        "url": [statement_url(publication, statement, lang) for lang in languages],
        "about": [entity_iri(publication, e) for e in (statement.represented_by if about is None else about)],
    }


def dataset_node(publication: Publication, languages: Sequence[str], *, name: list[Json], description: list[Json],
                 distribution: Sequence[tuple[str, str]], about: Sequence[str] = ()) -> Json:
    """The knowledge base as a Dataset, in `languages`, with its downloads (`distribution`: path from
    the site root, media type) and, in the open data, every entity it is about."""
    node: Json = {
        "@id": dataset_iri(publication),
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": [publication.page_url("data", lang) for lang in languages],  # the Dati page, at each edition's path
        "inLanguage": list(languages),
        "license": publication.licence.url,
        "publisher": organisation(publication, languages),
        "creator": organisation(publication, languages),
        "isAccessibleForFree": True,
        "distribution": [_download(publication, path, media) for path, media in distribution],
    }
    if about:
        node["about"] = list(about)
    if publication.edition:
        node["version"] = publication.edition
    if publication.date:
        node["dateModified"] = publication.date.isoformat()
    return node


def _download(publication: Publication, path: str, media: str) -> Json:
    url = publication.site_url + path
    return {"@id": url, "@type": "DataDownload", "name": PurePosixPath(path).name, "contentUrl": url,
            "encodingFormat": media}


def _texts(entity: Entity, name: str, languages: Sequence[str], source: str) -> list[Json]:
    """A text field in each of `languages` the entity has it in, language-tagged; in the source
    language where it has none of them (a page of an untranslated entity shows the original)."""
    out = []
    for lang in languages:
        block = entity.data if lang == source else entity.data.get(lang)
        if isinstance(block, dict) and block.get(name):
            out.append(text(str(block[name]), lang))
    fields: Mapping[str, object] = entity.data  # `name` is a text field of every kind
    return out or [text(str(fields[name]), source)]


def text(value: str, lang: str) -> Json:
    """A text tagged with its language, as JSON-LD writes it."""
    return {"@value": value, "@language": lang}


def _jsonld(publication: Publication, title: str, description: str, url: str, path: str, lang: str,
            day: date | None, entity: Entity | None, home: bool, distribution: list[tuple[str, str]] | None) -> Json:
    """The page's JSON-LD: the page and its site (this edition's), then what the page is about, from
    the builders the open data uses: its entity and the statements it quotes, or the dataset."""
    site = publication.edition_url(lang)
    page: Json = {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": title,
        "description": description,
        "inLanguage": lang,
        "isPartOf": {"@id": site + "#website"},
        "license": publication.licence.url,
        "publisher": organisation(publication, [lang]),
    }
    if day:
        page["dateModified"] = day.isoformat()
    graph: list[Json] = [page, {"@type": "WebSite", "@id": site + "#website", "url": site,
                                "name": publication.site_name, "inLanguage": lang}]
    if entity is not None:
        node = entity_node(publication, entity, [lang])
        page["mainEntity"] = {"@id": node["@id"]}
        graph.append(node)
        graph += [statement_node(publication, s, [lang], about=[e for e in s.represented_by if e is entity])
                  for s in entity.statements]
    if home:
        languages = list(dict.fromkeys((publication.source_lang, lang)))  # the source's words, and this edition's
        dataset = dataset_node(publication, languages, name=[text(publication.site_name, lang)],
                               description=[text(description, lang)], distribution=distribution or [])
        page["mainEntity"] = {"@id": dataset["@id"]}
        graph.append(dataset)
    return {"@context": context(publication), "@graph": graph}
