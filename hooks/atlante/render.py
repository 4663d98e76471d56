"""Step 4, render: the catalog as Markdown pages and a navigation, in one language, through Jinja.

Python builds data, the templates under overrides/atlante/ build text. Every value from data goes
through an escaping filter: `md` for plain text (title, summary, statements: never interpreted as
Markdown or HTML) and `markdown` for the fields that are Markdown by design (body), whose HTML is
then sanitised by `sanitize.clean_html`. Words come from the language's translation file; templates
hold no kind names, and read each kind's display (facts, index grouping, home step) from kinds.py.
Pages are returned in memory; nothing is written.
"""

from __future__ import annotations

import json
import re
import secrets
import string
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path as FsPath
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from . import geo, graph
from .i18n import Translation
from .kinds import CHAIN, HOME_STEPS, KIND_BY_NAME, KINDS, Kind
from .model import SOURCE_LANG, Catalog, Entity, Statement

# Markdown extensions the templates rely on; the MkDocs adapter checks the config has them.
REQUIRED_EXTENSIONS = ("attr_list", "pymdownx.escapeall", "admonition", "tables")

# A kind with more entities than this lists only its index page in the navigation: MkDocs
# renders the whole navigation into every page, so long flat sections make the build quadratic.
NAV_LIMIT = 40

HOME = "index.md"
CONCEPT_MAP = "concept-map.md"


@dataclass(frozen=True)
class Page:
    src_uri: str  # "cities/milano.md"
    markdown: str
    in_nav: bool = True  # False for the entities of a kind too large to list in the navigation
    figures: dict[str, str] = dataclass_field(default_factory=dict)  # placeholder -> SVG figure (see place_figures)


def place_figures(html: str, figures: dict[str, str]) -> str:
    """The page's HTML with each figure in place of its placeholder paragraph.

    Figures (maps, graphs) are inline SVG drawn by the templates under figures/, every value escaped.
    They are kept out of the Markdown so that the sanitiser, which cleans the HTML converted from
    Markdown, can refuse SVG altogether: a data field can never draw over the page. The placeholder
    holds a random token that no data file can know in advance.
    """
    for token, figure in figures.items():
        html = html.replace(f"<p>{token}</p>", figure, 1)
    return html


class _Figures:
    """The `figure` filter: keeps a rendered figure aside and leaves its placeholder in the page."""

    def __init__(self) -> None:
        self.prefix = f"atlante-figure-{secrets.token_hex(12)}"
        self.kept: dict[str, str] = {}

    def keep(self, html: str) -> Markup:
        token = f"{self.prefix}-{len(self.kept)}"
        self.kept[token] = str(html).strip()
        return Markup(f"\n\n{token}\n\n")

    def take(self) -> dict[str, str]:
        kept, self.kept = self.kept, {}
        return kept


def page_uri(entity: Entity) -> str:
    return f"{KIND_BY_NAME[entity.kind].folder}/{entity.id}.md"


def index_uri(kind: Kind) -> str:
    return f"{kind.folder}/index.md"


def render(catalog: Catalog, templates: FsPath, translation: Translation, brief: dict | None = None) -> list[Page]:
    """Every generated page in the translation's language: home, concept map, kind indexes, entities.

    `brief` is what the configuration says of the brief itself (mkdocs.yml `extra.brief`: author,
    date, occasion); a missing value is shown as not stated by the source, never invented.
    """
    lang = translation.lang
    figures = _Figures()
    env = _environment(templates, lang)
    env.filters["figure"] = figures.keep
    common = {"catalog": catalog, "kinds": KINDS, "t": translation.words, "tr": translation, "lang": lang,
              "source_lang": SOURCE_LANG}
    places = _city_map(catalog, lang)
    concepts = graph.concept_map(catalog, CHAIN, lang, lambda k: translation.words["kinds"][k]["plural"],
                                 translation.relation, column=140, gap=30)
    about = {key: (brief or {}).get(key) for key in ("author", "date", "occasion")}
    home = env.get_template("home.md").render(root="", url_root="", steps=_home_steps(catalog, lang),
                                              city_map=places, concept_map=concepts, brief=about, **common)
    pages = [Page(HOME, home, figures=figures.take())]
    pages.append(Page(CONCEPT_MAP, env.get_template("concept_map.md").render(
        root="", url_root="../", concept_map=concepts, chain=CHAIN, **common), figures=figures.take()))
    for kind in KINDS:
        entities = entities_of(catalog, kind, lang)
        pages.append(Page(index_uri(kind), env.get_template("kind_index.md").render(
            root="../", url_root="../", kind=kind, groups=_index_groups(kind, entities, translation),
            added_columns=_added_columns(kind, entities), city_map=places if kind.place else None, **common),
            figures=figures.take()))
        template = env.get_template("slide.md" if kind.name == "slide" else "entity.md")
        listed = len(entities) <= NAV_LIMIT
        for entity in entities:
            pages.append(Page(page_uri(entity), template.render(
                root="../", url_root="../../", kind=kind, e=entity, facts=_facts(kind, entity, translation),
                added_fields=_added_fields(entity), groups=_link_groups(entity, translation),
                graph=graph.neighbourhood(entity, lang, translation.relation),
                locator=_locator(kind, entity, translation), **common),
                in_nav=listed, figures=figures.take()))
    return pages


def navigation(catalog: Catalog, translation: Translation, *, extra: list | None = None) -> list:
    """The nav as MkDocs wants it: titles only for sections (from the translation), pages by path."""
    words = translation.words
    nav: list = [{words["ui"]["home"]: HOME}, {words["figures"]["concept_map"]: CONCEPT_MAP}]
    for kind in KINDS:
        entities = entities_of(catalog, kind, translation.lang)
        children = [index_uri(kind)]
        if len(entities) <= NAV_LIMIT:
            children += [page_uri(e) for e in entities]
        nav.append({words["kinds"][kind.name]["plural"]: children})
    return nav + list(extra or [])


def redirects(catalog: Catalog) -> dict[str, str]:
    """Each retired id's page, as a source path, to the page of the entity that now has it: a
    renamed entity lists its old ids under `aliases`, and their addresses keep working."""
    return {f"{KIND_BY_NAME[e.kind].folder}/{alias}.md": page_uri(e)
            for e in catalog.entities.values() for alias in e.data.get("aliases") or []}  # type: ignore[union-attr]


def entities_of(catalog: Catalog, kind: Kind, lang: str) -> list[Entity]:
    """A kind's entities in brief order, or alphabetical in `lang` where the kind says so."""
    entities = catalog.by_kind[kind.name]
    if kind.display.alphabetical:
        return sorted(entities, key=lambda e: (str(e.text("title", lang)).casefold(), e.id))
    return entities


# ---------------------------------------------------------------------------------------------
# What the templates receive: data, grouped and ordered; never markup
# ---------------------------------------------------------------------------------------------


def _home_steps(catalog: Catalog, lang: str) -> list[dict[str, object]]:
    """The brief's argument in order: each step lists the entities its kinds place there."""
    steps: dict[str, list[object]] = {step: [] for step in HOME_STEPS}
    for kind in KINDS:
        for step, field, value in kind.display.home:
            steps[step] += [e for e in entities_of(catalog, kind, lang) if field is None or e.data.get(field) == value]
        if kind.display.home_index:
            steps[kind.display.home_index].append(kind)
    return [{"id": step, "items": items,
             "places": any(isinstance(i, Entity) and KIND_BY_NAME[i.kind].place for i in items)}
            for step, items in steps.items() if items]


def _index_groups(kind: Kind, entities: list[Entity], translation: Translation) -> list[tuple[str | None, list[Entity]]]:
    """Consecutive runs of entities sharing the kind's grouping value, with the value's name."""
    field = kind.display.group_by
    groups: list[tuple[str | None, list[Entity]]] = []
    current: object = object()
    for entity in entities:
        value = entity.data.get(field) if field else None
        if not groups or value != current:
            groups.append((translation.enum(field, value) if field and value else None, []))
            current = value
        groups[-1][1].append(entity)
    return groups


def _added_fields(entity: Entity) -> set[str]:
    return {str(f) for item in entity.data.get("added") or [] for f in item["fields"]}  # type: ignore[union-attr, index]


def _added_columns(kind: Kind, entities: list[Entity]) -> set[str]:
    """Table columns whose values some entity lists as added: the header marks them."""
    return {c.field for c in kind.display.columns for e in entities if c.field in _added_fields(e)}


def _facts(kind: Kind, entity: Entity, translation: Translation) -> list[dict[str, object]]:
    """The fact box: each declared field the entity has, except one that only repeats the title."""
    lang = translation.lang
    facts = []
    for fact in kind.display.facts:
        value = entity.text(fact.field, lang) if fact.format == "text" else entity.data.get(fact.field)
        if value in (None, ""):
            continue
        shown = translation.enum(fact.field, value) if fact.format == "value" else value
        if fact.format != "coordinates" and _words(shown) == _words(entity.text("title", lang)):
            continue  # a wording, label or category that says the title again
        facts.append({"field": fact.field, "format": fact.format, "value": value})
    return facts


def _coordinates(where: dict, lang: str) -> str:
    """45.4642, 9.19 -> "45,4642° N, 9,1900° E" in Italian, "45.4642° N, 9.1900° E" in English."""
    lat, lon = float(where["lat"]), float(where["lon"])
    text = f"{abs(lat):.4f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.4f}° {'E' if lon >= 0 else 'W'}"
    return text.replace(".", ",") if lang == SOURCE_LANG else text


def _words(text: object) -> list[str]:
    """A text's words, case and punctuation aside: "Varietà organizzativo-territoriale" has the
    same words as "varietà organizzativo territoriale"."""
    return re.findall(r"\w+", str(text).casefold())


def _link_groups(entity: Entity, translation: Translation) -> list[tuple[str, list[Entity]]]:
    """Links grouped under their heading in the page's language, outgoing first, in table order."""
    groups: dict[tuple[bool, str], list[Entity]] = {}
    for link in entity.links:
        groups.setdefault((link.inverse, link.type), []).append(link.target)
    return [(translation.relation(rtype, inverse), targets) for (inverse, rtype), targets in groups.items()]


def _city_map(catalog: Catalog, lang: str) -> dict[str, object] | None:
    """Italy's regions and a linked marker for every entity with coordinates, or None if none has."""
    points = [(e, str(e.text("title", lang)), float(e.data[field]["lat"]), float(e.data[field]["lon"]))  # type: ignore[index]
              for kind in KINDS if (field := kind.place) for e in entities_of(catalog, kind, lang)]
    if not points:
        return None
    base = geo.base_map(geo.FULL)
    return {"base": base, "markers": geo.place_markers(base, points, font=13),
            "places": [(e, e.data.get("region")) for e, *_ in points]}


def _locator(kind: Kind, entity: Entity, translation: Translation) -> dict[str, object] | None:
    """The small map on a page of a kind with coordinates: the entity's point and its region."""
    field = kind.place
    if not field:
        return None
    where = entity.data[field]
    base = geo.base_map(geo.LOCATOR)
    x, y = base.place(float(where["lat"]), float(where["lon"]))  # type: ignore[index]
    region = entity.data.get("region")
    name = str(entity.text("title", translation.lang))
    label = f"{name}, {translation.enum('region', region)}" if region else name
    return {"base": base, "x": x, "y": y, "region": region, "label": label}


# ---------------------------------------------------------------------------------------------
# Jinja environment and filters
# ---------------------------------------------------------------------------------------------


def _environment(templates: FsPath, lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # every {{ value }} is HTML-escaped unless a filter says otherwise
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_text
    env.filters["markdown"] = markdown_field
    env.filters["href"] = href
    env.filters["statement_href"] = statement_href
    env.filters["url"] = safe_url
    env.filters["coordinates"] = lambda v: _coordinates(v, lang)
    env.filters["loc"] = lambda entity, name: entity.text(name, lang)
    env.filters["page_url"] = page_url
    env.filters["yaml_str"] = lambda v: Markup(json.dumps(" ".join(str(v).split()), ensure_ascii=False))  # front matter
    env.filters["index_url"] = lambda kind: f"{KIND_BY_NAME[kind].folder}/"
    return env


_MD_PUNCTUATION = frozenset(string.punctuation) - {"&", "<", ">"}


def md_text(value: object) -> Markup:
    """Plain text safe in any Markdown inline context: HTML-escaped, Markdown syntax escaped.

    Relies on pymdownx.escapeall, which makes a backslash escape any character. Newlines become
    spaces so a value can never start a new block (a heading, a list, a fence).
    """
    text = " ".join(str(value).split())
    out = []
    for ch in text:
        if ch in _MD_PUNCTUATION:
            out.append("\\" + ch)
        else:
            out.append(str(escape(ch)))
    return Markup("".join(out))


def markdown_field(value: object) -> Markup:
    """A Markdown field, passed as Markdown: its HTML output is sanitised after conversion."""
    return Markup(str(value).strip())


def safe_url(value: object) -> Markup:
    """An external address for a Markdown link: https only (the schema insists), percent-encoded
    so that no character can close the link or open markup."""
    text = str(value)
    if not text.startswith("https://"):
        return Markup("#")
    return Markup(quote(text, safe=":/?#@!$&*+,;=%~-._"))


def page_url(entity: Entity) -> str:
    """An entity page's address relative to the site root (directory URLs, as mkdocs.yml sets):
    for links written as HTML (maps, graphs), which MkDocs does not rewrite as it does Markdown's."""
    return page_uri(entity).removesuffix(".md") + "/"


def href(entity: Entity, root: str) -> str:
    return f"{root}{page_uri(entity)}"


def statement_href(statement: Statement, root: str) -> str:
    return f"{root}slides/{statement.slide}.md#{statement.id}"
