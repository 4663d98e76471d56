"""What a page tells reference managers, search engines and link previews about itself.

- Highwire Press `citation_*` tags, which Zotero's Embedded Metadata translator reads; with
  `citation_technical_report_institution` it saves a report, not a journal article;
- Dublin Core (`DC.*`), Open Graph (`og:*`);
- schema.org JSON-LD fitting the page: a city is a Place with its coordinates, a concept a
  DefinedTerm, an action an Action, a slide a CreativeWork whose statements are Quotations, the
  home page the Dataset the site publishes; every other entity a Thing of its kind.

Values are data: the template escapes the tags and serialises the JSON-LD with `tojson`, which
escapes <, > and & so no text can close the script element. Every URL is absolute, from site_url.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .kinds import KIND_BY_NAME, address
from .meta import Publication
from .model import SOURCE_LANG, Entity, Statement

OG_LOCALES = {"it": "it_IT", "en": "en_GB"}
SCHEMA = "https://schema.org"


@dataclass(frozen=True)
class PageMeta:
    tags: list[tuple[str, str, str]] = field(default_factory=list)  # (attribute, name, content)
    jsonld: dict = field(default_factory=dict)


def page_meta(publication: Publication, *, title: str, description: str, path: str, lang: str,
              updated: date | None, entity: Entity | None = None, home: bool = False,
              keywords: list[str] | None = None, distribution: list[tuple[str, str]] | None = None) -> PageMeta:
    """The tags and JSON-LD of the page at `path` (relative to its edition: "cities/milano/")."""
    url = publication.url(path, lang)
    author = publication.publisher
    day = (updated or publication.date)
    tags: list[tuple[str, str, str]] = [
        ("name", "citation_title", title),
        ("name", "citation_author", author),
        ("name", "citation_technical_report_institution", publication.publisher),
        ("name", "citation_publisher", publication.publisher),
        ("name", "citation_language", lang),
        ("name", "citation_public_url", url),
    ]
    if day:
        tags.append(("name", "citation_date", day.strftime("%Y/%m/%d")))
    if publication.edition:
        tags.append(("name", "citation_technical_report_number", f"{publication.site_name} {publication.edition}"))
    for word in keywords or []:
        tags.append(("name", "citation_keywords", word))
    tags += [
        ("name", "DC.title", title),
        ("name", "DC.creator", author),
        ("name", "DC.publisher", publication.publisher),
        ("name", "DC.description", description),
        ("name", "DC.language", lang),
        ("name", "DC.identifier", url),
        ("name", "DC.rights", publication.licence.url),
        ("name", "DC.type", "Text"),
    ]
    if day:
        tags.append(("name", "DC.date", day.isoformat()))
    tags += [
        ("property", "og:title", title),
        ("property", "og:type", "website" if home else "article"),
        ("property", "og:url", url),
        ("property", "og:description", description),
        ("property", "og:site_name", publication.site_name),
        ("property", "og:locale", OG_LOCALES.get(lang, lang)),
    ]
    if day and not home:
        tags.append(("property", "article:modified_time", day.isoformat()))
    return PageMeta(tags, _jsonld(publication, title, description, url, path, lang, day, entity, home, distribution))


def entity_url(publication: Publication, entity: Entity, lang: str = SOURCE_LANG) -> str:
    """The entity's page in the edition `lang`."""
    return publication.url(address(entity.kind, entity.id), lang)


def entity_iri(publication: Publication, entity: Entity) -> str:
    """The entity itself, one IRI in every edition and in the open data: its source page + #entity."""
    return iri(publication, entity.kind, entity.id)


def iri(publication: Publication, kind: str, id_: str) -> str:
    """The IRI of entity `kind:id_`, for a caller that holds only the reference."""
    return publication.url(address(kind, id_), SOURCE_LANG) + "#entity"


def statement_url(publication: Publication, statement: Statement, lang: str = SOURCE_LANG) -> str:
    """A statement of the brief: its anchor on its slide's page in the edition `lang`."""
    return publication.url(address("slide", statement.slide), lang) + f"#{statement.id}"


def dataset_iri(publication: Publication) -> str:
    """The knowledge base as a Dataset: the home page's JSON-LD and the open data's graph."""
    return publication.site_url + "#dataset"


def organisation(publication: Publication) -> dict:
    """The site's publisher as a schema.org Organization."""
    node = {"@type": "Organization", "name": publication.publisher}
    if publication.publisher_url:
        node["url"] = publication.publisher_url
    return node


def entity_node(publication: Publication, entity: Entity, lang: str) -> dict:
    """The entity as a schema.org node of its kind's type, with its statements as Quotations."""
    kind = KIND_BY_NAME[entity.kind]
    url = entity_url(publication, entity, lang)
    node: dict = {
        "@type": kind.schema_type,
        "@id": entity_iri(publication, entity),  # one IRI in every edition; `url` is the page in this language
        "name": str(entity.text("title", lang)),
        "description": str(entity.text("summary", lang)),
        "url": url,
        "identifier": f"{entity.kind}:{entity.id}",
        "additionalType": publication.site_url + f"dati/vocab#{entity.kind}",  # as in the open data's graph
    }
    if kind.place:
        where = entity.data[kind.place]
        node["geo"] = {"@type": "GeoCoordinates", "latitude": where["lat"], "longitude": where["lon"]}  # type: ignore[index]
        if entity.data.get("region"):
            node["containedInPlace"] = {"@type": "AdministrativeArea", "name": entity.data["region"]}
    if kind.schema_type == "DefinedTerm":
        node["termCode"] = entity.id
        node["inDefinedTermSet"] = publication.url(f"{kind.folder}/", lang)
    if kind.schema_type == "Action":
        node["actionStatus"] = f"{SCHEMA}/PotentialActionStatus"
    quotations = [quotation(publication, st, lang) for st in entity.statements]
    if entity.kind == "slide":
        node["position"] = entity.data.get("number")
        if quotations:
            node["hasPart"] = quotations
    elif quotations:
        node["subjectOf"] = quotations
    return node


def quotation(publication: Publication, statement: Statement, lang: str) -> dict:
    """A statement of the brief: its words as the brief has them, and where they are."""
    node: dict = {
        "@type": "Quotation",
        "@id": statement_url(publication, statement),
        "url": statement_url(publication, statement, lang),
        "text": statement.text,
        "inLanguage": SOURCE_LANG,
        "isPartOf": {"@id": publication.url(address("slide", statement.slide), lang)},
    }
    if lang != SOURCE_LANG and statement.translated(lang):
        node["workTranslation"] = {"@type": "Quotation", "text": statement.text_in(lang), "inLanguage": lang}
    return node


def _jsonld(publication: Publication, title: str, description: str, url: str, path: str, lang: str,
            day: date | None, entity: Entity | None, home: bool, distribution: list[tuple[str, str]] | None) -> dict:
    site = publication.edition_url(lang)
    page: dict = {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": title,
        "description": description,
        "inLanguage": lang,
        "isPartOf": {"@id": site + "#website"},
        "license": publication.licence.url,
        "publisher": organisation(publication),
    }
    if day:
        page["dateModified"] = day.isoformat()
    graph: list[dict] = [page, {"@type": "WebSite", "@id": site + "#website", "url": site,
                                "name": publication.site_name, "inLanguage": lang}]
    if entity is not None:
        node = entity_node(publication, entity, lang)
        page["mainEntity"] = {"@id": node["@id"]}
        graph.append(node)
    if home:
        dataset: dict = {
            "@type": "Dataset",
            "@id": dataset_iri(publication),
            "name": publication.site_name,
            "description": description,
            "url": site,
            "inLanguage": [SOURCE_LANG, *([lang] if lang != SOURCE_LANG else [])],
            "license": publication.licence.url,
            "publisher": organisation(publication),
            "creator": organisation(publication),
            "isAccessibleForFree": True,
        }
        if publication.edition:
            dataset["version"] = publication.edition
        if day:
            dataset["dateModified"] = day.isoformat()
        if distribution:
            dataset["distribution"] = [{"@type": "DataDownload", "contentUrl": publication.site_url + file,
                                        "encodingFormat": media} for file, media in distribution]
        page["mainEntity"] = {"@id": dataset["@id"]}
        graph.append(dataset)
    return {"@context": SCHEMA, "@graph": graph}

