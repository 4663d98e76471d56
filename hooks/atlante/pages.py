"""The page registry: every page the site generates, declared once.

A `Spec` says where a page lives (its source path: the one function `address` turns it into its
URL), which template draws it (under overrides/atlante/), what data it needs (`data`), where it
stands in the navigation and what its title and description are (keys of the translation files).
A spec with `instances` is a family (one page per tag, per kind, per entity); with `entries`, a
listing cut into numbered pages (<folder>/page/2/ ...). `render.render` loops over `SPECS`;
`navigation` and the rule that keeps hand-written pages off generated addresses (rules.py,
address-taken) read them too.

The entities' pages are two families: "entity" (the brief's argument, entity.html) and "slide" (the
brief's slides, slide.html). A spec with a `key` has pages that each show only part of the catalog:
each is rendered again only when its key changes; the others are rendered together (render.Memo).

Every other output of the site is enumerated here too: `redirects` (a renamed entity's old
addresses) and `downloads` (the files beside the pages: the pages' own and the open data's).

A template named `.html` writes the page's HTML itself (htmlpage.py: the engine converts only its
title); one named `.md` writes Markdown the engine converts (the home page, the Dati page, the field
reference and the changelog: one page an edition each, whose sentences in the translation files
hold their links).

A new generated page is its spec here, its template and its words in the translation files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from functools import cached_property
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from . import geo
from .kinds import CHAIN, HOME_STEPS, KIND_BY_NAME, KINDS, SOURCE, Kind
from .kinds import address as entity_address
from .model import Entity

if TYPE_CHECKING:
    import jinja2

    from .cache import Later
    from .history import History
    from .i18n import Translation
    from .meta import Publication
    from .model import Catalog, Json, Ref
    from .render import Chip, Citer, Download, Files, Page, Site, Values


@dataclass(frozen=True)
class Instance:
    """One page, or one listing of numbered pages, of a spec: its first page's source path, its title
    and description, the entries it lists (None: a page that lists none) and data of its own."""

    path: str
    title: str
    description: str
    entries: list[Any] | None = None
    data: dict[str, Any] = dataclass_field(default_factory=dict)
    kind: Kind | None = None  # the kind whose section of the navigation holds it
    listed: bool = True  # False: left out of the navigation (an entity of a kind too large to list there)


@dataclass(frozen=True)
class Made:
    """What a spec's `data` gives for one page: the template's values, the page's downloads, extra
    metadata (page_meta's arguments: the home page's, an entity and its date and keywords), what it
    could not offer, and for an entity's page the data file it shows (its edit link) and its tags."""

    values: dict[str, Any]
    files: Files = dataclass_field(default_factory=dict)
    meta: dict[str, Any] = dataclass_field(default_factory=dict)
    problems: tuple[str, ...] = ()
    source: str | None = None
    tags: tuple[Chip, ...] = ()


@dataclass(frozen=True)
class Spec:
    name: str
    path: str  # the first page's source path; a family's, with {key}: "tag/{key}.md", "{key}/index.md"
    template: str
    data: Callable[[Context, Instance, list[Any] | None, int], Made]
    title: str = ""  # a key of the translation files ("figures.concept_map"), for a spec of one page
    description: str = ""
    nav: str | None = None  # "head" (before the kinds), "kind" (its kind's section), "tail" (after the
    # hand-written pages); None: not in it (reachable from another page)
    nav_order: int = 0  # its place in its part of the navigation, where that is not the registry's order
    nav_title: str = ""  # the navigation's title (a key), when it is not the page's
    instances: Callable[[Context, Spec], list[Instance]] | None = None  # a family; None: one page
    paged: bool = False  # its entries continue on numbered pages
    key: Callable[[Context, Instance], str] | None = None  # what one page shows, for pages that each show
    # part of the catalog (an entity's: its file, its neighbours), each one page; None: the whole catalog

    def pages_of(self, ctx: Context) -> list[Instance]:
        if self.instances is not None:
            return self.instances(ctx, self)
        return [Instance(self.source(ctx.words), word(ctx.words, self.title), word(ctx.words, self.description))]

    def source(self, words: dict[str, Any]) -> str:
        """The first page's source path in the edition whose translation file is `words`: a page named
        in the edition's language ("{path}.md") is at the path its file gives under `paths:`."""
        return self.path.replace(NAMED, named_path(words, self.name)) if NAMED in self.path else self.path


NAMED = "{path}"  # in a spec's path: the page's path in the edition's language (`paths.<name>` of its translation file)


def named_path(words: dict[str, Any], name: str) -> str:
    """The path, below its edition's root and without ".md", of the site's page `name` (a generated
    page's spec, or a hand-written page) in the edition whose translation file is `words`: "dati",
    "data"."""
    return str(words["paths"][name])


def address(src_uri: str) -> str:
    """A generated page's address below its edition's root, with directory URLs: "index.md" -> "",
    "themes/index.md" -> "themes/", "dati.md" -> "dati/", "tag/citta/page/2.md" -> "tag/citta/page/2/"."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def paged(first: str, number: int) -> str:
    """The source path of page `number` of a listing whose first page is `first` ("themes/index.md"
    or "brief.md"): themes/page/2.md, brief/page/2.md."""
    if number == 1:
        return first
    return f"{first.removesuffix('index.md').removesuffix('.md').rstrip('/')}/page/{number}.md"


def roots(uri: str) -> tuple[str, str]:
    """`root` (Markdown links, relative to the source file) and `url_root` (raw HTML links, relative
    to the page's URL, one folder deeper) of a generated page."""
    depth = uri.count("/")
    return "../" * depth, "../" * (depth + (0 if uri.rsplit("/", 1)[-1] == "index.md" else 1))


def word(words: dict[str, Any], key: str) -> str:
    """The translation files' words at a dotted key ("figures.concept_map"); "" for no key."""
    if not key:
        return ""
    found: Any = words
    for part in key.split("."):
        found = found[part]
    return str(found)


class Context:
    """What the specs' data functions share while one edition renders: the catalog, the words, the
    Jinja environment, the citations and the values several pages draw (the map of places, the
    concept graphs)."""

    def __init__(self, catalog: Catalog, translation: Translation, site: Site, env: jinja2.Environment,
                 common: dict[str, Any], figure_files: Callable[..., Files], citer: Citer) -> None:
        self.catalog, self.translation, self.site, self.env = catalog, translation, site, env
        self.words: dict[str, Any] = translation.words
        self.lang = translation.lang
        self.common = common
        self.figure_files = figure_files
        self.citer = citer
        self.seen: dict[Ref, tuple[str, str, str, tuple[int, ...]]] = {}  # the entities' keys, each made once

    @cached_property
    def places(self) -> dict[str, Any] | None:
        return _city_map(self.catalog, self.lang)

    @cached_property
    def map_download(self) -> Download | None:
        from .render import Download

        return Download(MAP_FIGURE + ".svg", MAP_FIGURE + ".png", str(self.words["figures"]["map_file"]),
                        str(self.words["figures"]["map_title"])) if self.places else None

    @cached_property
    def steps(self) -> list[dict[str, object]]:
        return _home_steps(self.catalog, self.lang)

    @cached_property
    def tags(self) -> list[dict[str, Any]]:
        return _tags(self.catalog, self.translation)

    @cached_property
    def slides(self) -> dict[str, Entity]:
        return {e.id: e for e in self.catalog.by_kind[SOURCE.name]}

    def entities(self, kind: Kind) -> list[Entity]:
        from .render import entities_of

        return entities_of(self.catalog, kind, self.lang)


# ---- the data each page needs -------------------------------------------------------------------


def _home(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    from . import opendata

    places, download, words = ctx.places, ctx.map_download, ctx.words
    values = {"steps": ctx.steps, "city_map": places, "map_download": download, "brief": ctx.site.publication.brief,
              "chain": _chain_steps(ctx.catalog, ctx.lang)}
    files = ctx.figure_files(download, {"map": places, "width": places["base"].width, "height": places["base"].height},
                             "cities/", str(words["figures"]["map_caption"]), str(words["figures"]["attribution"])) \
        if places and download else {}
    return Made(values, files, meta={"home": True, "distribution": opendata.distribution()})


def _concept_map(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    from .render import Download

    concepts, narrow = page.data["graph"], page.data["narrow"]
    words = ctx.words
    download = Download(CONCEPT_FIGURE + ".svg", CONCEPT_FIGURE + ".png", str(words["figures"]["concept_map_file"]),
                        str(words["figures"]["concept_map"])) if concepts and number == 1 else None
    values = {"concept_map": concepts if number == 1 else None, "concept_map_narrow": narrow if number == 1 else None,
              "download": download, "chain": CHAIN,
              "listed": [(KIND_BY_NAME[k], [e for e in part or [] if e.kind == k]) for k in CHAIN],
              "count": len(page.entries or [])}
    files = ctx.figure_files(download, {"graph": concepts, "width": concepts.width, "height": concepts.height},
                             address(CONCEPT_MAP), str(words["figures"]["concept_map_caption_file"])) \
        if download and concepts else {}
    return Made(values, files)


def _concept_maps(ctx: Context, spec: Spec) -> list[Instance]:
    from . import graph, render

    catalog, words = ctx.catalog, ctx.words
    drawn = len(catalog.entities) <= render.FIGURE_LIMIT  # a larger graph is unreadable: its list is the map

    def kind_plural(k: str) -> str:
        return str(words["kinds"][k]["plural"])

    concepts = graph.concept_map(catalog, CHAIN, ctx.lang, kind_plural, ctx.translation.relation, column=140,
                                 gap=30) if drawn else None
    narrow = graph.concept_map_narrow(catalog, CHAIN, ctx.lang, kind_plural, ctx.translation.relation) if drawn else None
    chained = [e for kind_name in CHAIN for e in catalog.by_kind[kind_name]]
    return [Instance(spec.path, word(words, spec.title), word(words, spec.description), chained,
                     {"graph": concepts, "narrow": narrow})]


def _whole_briefs(ctx: Context, spec: Spec) -> list[Instance]:
    """The whole brief: the slides on its first page, then the index of the entries, page after page;
    which page holds each entry, and the brief as a PDF."""
    from .render import chunks

    everything = [e for kind in KINDS if not kind.source for e in ctx.entities(kind)]
    brief_slides = ctx.catalog.by_kind[SOURCE.name]
    page_of = {e.ref: n for n, p in enumerate(chunks(everything), 1) for e in p} | {e.ref: 1 for e in brief_slides}
    pdf = _whole_brief_pdf(ctx.env, {**ctx.common, "steps": ctx.steps, "brief_slides": brief_slides}, ctx.site.kept)
    return [Instance(spec.path, word(ctx.words, spec.title), word(ctx.words, spec.description), everything,
                     {"page_of": page_of, "pdf": pdf, "brief_slides": brief_slides})]


def _whole_brief(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    words = ctx.words
    brief_slides, page_of, (brief_pdf, pdf_problems) = page.data["brief_slides"], page.data["page_of"], page.data["pdf"]
    root = roots(paged(page.path, number))[0]

    def on_page(entity: Entity, anchor: str) -> str:
        """A link to `anchor` on the page of the whole brief that holds `entity`."""
        there = page_of[entity.ref]
        return f"#{anchor}" if there == number else f"{root}{paged(page.path, there)}#{anchor}"

    pdf_link = {"name": str(words["whole"]["pdf_file"]), "path": BRIEF_PDF} if brief_pdf else None
    values = {"steps": ctx.steps, "on_page": on_page, "brief_slides": brief_slides, "pdf": pdf_link,
              "sections": [(kind, [e for e in part or [] if e.kind == kind.name]) for kind in KINDS],
              "slides": {e.id: e for e in brief_slides}}
    return Made(values, {BRIEF_PDF: brief_pdf} if brief_pdf and number == 1 else {},
                problems=pdf_problems if number == 1 else ())


def _data_page(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    from . import opendata

    return Made({"opendata": opendata.data_page(ctx.catalog, ctx.site.schema_dir, ctx.lang, ctx.site.publication)})


def _field_reference(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    from . import reference

    return Made({"reference": reference.kinds(ctx.site.schema_dir, None if ctx.translation.source else ctx.lang)})


def _changelog_page(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    return Made({"editions": _changelog(ctx.catalog, ctx.site.history)})


def _tag_index(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    return Made({"tags": ctx.tags})


def _tag_pages(ctx: Context, spec: Spec) -> list[Instance]:
    words = ctx.words["tag_pages"]
    return [Instance(spec.path.format(key=tag["key"]), str(words["tag_title"]).replace("{name}", str(tag["name"])),
                     str(words["tag_description"]).replace("{name}", str(tag["name"])), list(tag["entities"]), {"tag": tag})
            for tag in sorted(ctx.tags, key=lambda tag: str(tag["key"]))]  # the same order of pages in every edition


def _tag_page(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    return Made({"tag": page.data["tag"], "entities": part, "description": page.description})


def _kind_indexes(ctx: Context, spec: Spec) -> list[Instance]:
    from .render import LIST_LIMIT

    found = []
    for kind in KINDS:
        entities = ctx.entities(kind)
        plural = str(ctx.words["kinds"][kind.name]["plural"])
        found.append(Instance(spec.path.format(key=kind.folder), plural, str(ctx.words["kinds"][kind.name]["intro"] or plural),
                              _grouped(kind, entities) if len(entities) > LIST_LIMIT else entities,
                              {"all": entities}, kind=kind))
    return found


def _kind_index(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    from . import opendata

    kind = page.kind
    assert kind is not None
    root = roots(paged(page.path, number))[0]
    return Made({"kind": kind, "groups": _index_groups(kind, part or [], ctx.translation),
                 "added_columns": _added_columns(kind, page.data["all"]),
                 "city_map": ctx.places if kind.place and number == 1 else None, "map_download": ctx.map_download,
                 "csv": _download_link(opendata.FOLDER + opendata.csv_name(kind), root, ctx.lang, ctx.site.publication)})


def _entity_pages(ctx: Context, spec: Spec) -> list[Instance]:
    """The page of each entity of the brief's argument (every kind but the brief's own), kind by kind."""
    return _pages_of(ctx, spec, [kind for kind in KINDS if not kind.source])


def _slide_pages(ctx: Context, spec: Spec) -> list[Instance]:
    """The page of each of the brief's slides (kinds.SOURCE)."""
    return _pages_of(ctx, spec, [SOURCE])


def _pages_of(ctx: Context, spec: Spec, kinds: list[Kind]) -> list[Instance]:
    """The pages of the entities of `kinds`, each kind's in its order; a kind with more than NAV_LIMIT
    entities lists only its index in the navigation (render.NAV_LIMIT)."""
    from .render import NAV_LIMIT

    found = []
    for kind in kinds:
        entities = ctx.entities(kind)
        found += [Instance(entity_path(kind.name, e.id),
                           str(e.text("title", ctx.lang)), str(e.text("summary", ctx.lang)), data={"entity": e},
                           kind=kind, listed=len(entities) <= NAV_LIMIT) for e in entities]
    return found


def _entity(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    """An entity's page: its facts, links, graph of neighbours, locator map and citation, with their
    downloads (the citation's .bib and .ris, the graph's SVG and PNG) under its ids old and new."""
    made = _entity_made(ctx, page)
    return replace(made, files=_with_aliases(page, made.files))


def _slide(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    """A slide's page, as an entity's, with its statements' citation files beside its own."""
    made = _entity_made(ctx, page)
    statements = {path: text for st in page.data["entity"].statements for path, text in ctx.citer.statement_files(st).items()}
    return replace(made, files=_with_aliases(page, {**made.files, **statements}))


def _entity_made(ctx: Context, page: Instance) -> Made:
    """What every entity's page shows, whatever its kind, and its own downloads (before its copies
    under retired ids: `_with_aliases`)."""
    from . import faults, graph
    from .render import Download, page_url

    kind, entity, lang, translation, words = page.kind, page.data["entity"], ctx.lang, ctx.translation, ctx.words
    assert kind is not None
    faults.note(entity.file, f"rendering its page ({lang})")
    citation, files = ctx.citer.page(entity)
    wide = graph.neighbourhood(entity, lang, translation.relation)
    title = str(words["figures"]["graph_title"]).replace("{title}", page.title)
    svg, png = (entity_path(kind.name, entity.id).removesuffix(".md") + ext for ext in GRAPH_FILES)
    download = Download(svg, png, f"{entity.id}-{words['figures']['graph_file']}", title) if wide else None
    values = {"kind": kind, "e": entity, "facts": _facts(kind, entity, translation), "added_fields": _added_fields(entity),
              "groups": _link_groups(entity, translation), "graph": wide,
              "graph_narrow": graph.neighbourhood_narrow(entity, lang, translation.relation), "download": download,
              "locator": _locator(kind, entity, translation), "citation": citation}
    if wide and download:
        files = {**files, **ctx.figure_files(download, {"graph": wide, "width": wide.width, "height": wide.height},
                                             page_url(entity), str(words["figures"]["graph_caption_file"]))}
    return Made(values, files, source=entity.file, tags=_chips(entity, translation),
                meta={"entity": entity, "updated": ctx.site.history.date_of(entity.file),
                      "keywords": [words["tags"][t] for t in entity.data.get("tags") or []]})


def _with_aliases(page: Instance, files: Files) -> Files:
    """An entity page's downloads (its .bib, .ris, figures) under each of its retired ids too: a saved
    download link keeps working after a rename, as the page's address does (`redirects`; static
    hosting has no redirect for a file: a copy is what answers). A slide's statements' files go with
    it. The .json is the open data's (opendata.downloads)."""
    kind, entity = page.kind, page.data["entity"]
    assert kind is not None
    own = f"{kind.folder}/{entity.id}"  # cities/milano.bib; a slide's statements: slides/slide-3/3-4.bib
    return {**files, **{f"{kind.folder}/{alias}{path.removeprefix(own)}": content for alias in entity.data.get("aliases") or []
                        for path, content in files.items() if path.startswith((own + ".", own + "/"))}}


def _entity_key(ctx: Context, page: Instance) -> str:
    """What an entity's page shows of the catalog: its own file and position, each linked entity,
    each quoted statement's slide and, on a slide's page, the entities that quote its statements;
    its date, and whether the navigation lists it."""
    entity = page.data["entity"]

    def one(e: Entity) -> tuple[str, str, str, tuple[int, ...]]:
        if e.ref not in ctx.seen:
            ctx.seen[e.ref] = (e.kind, e.id, e.digest, e.position)
        return ctx.seen[e.ref]

    quoted = [(st.ref, one(ctx.slides[st.slide]) if st.slide in ctx.slides else None,
               [one(e) for e in st.represented_by] if entity.kind == SOURCE.name else None) for st in entity.statements]
    return repr((page.listed, one(entity), [(ln.type, ln.inverse, one(ln.target)) for ln in entity.links], quoted,
                 ctx.site.history.date_of(entity.file)))


# ---- what the templates receive: data, grouped and ordered; never markup --------------------------


def _home_steps(catalog: Catalog, lang: str) -> list[Values]:
    """The brief's argument in order: each step lists the entities its kinds place there."""
    from . import render

    steps: dict[str, list[object]] = {step: [] for step in HOME_STEPS}
    for kind in KINDS:
        for step, field, value in kind.display.home:
            steps[step] += [e for e in render.entities_of(catalog, kind, lang) if field is None or e.data.get(field) == value]
        if kind.display.home_index:
            steps[kind.display.home_index].append(kind)
    return [{"id": step, "items": items[:render.STEP_LIMIT], "more": len(items[render.STEP_LIMIT:]),
             "more_in": [k for k in KINDS if any(isinstance(i, Entity) and i.kind == k.name for i in items[render.STEP_LIMIT:])],
             "places": any(isinstance(i, Entity) and KIND_BY_NAME[i.kind].place for i in items)}
            for step, items in steps.items() if items]


def _whole_brief_pdf(env: jinja2.Environment, context: Json, kept: FsPath | None) -> tuple[Later | None, tuple[str, ...]]:
    """The whole brief's PDF, printed when written, or None and why not (WeasyPrint or its system
    library missing)."""
    from . import pdf

    why = pdf.missing()
    return (None, (why,)) if why else (pdf.whole_brief_later(env, context, kept), ())


def _download_link(path: str, root: str, lang: str, publication: Publication) -> str:
    """A link from a page to one of the open data's files, published once at the site's root: a path
    relative to the page's source in the source edition (MkDocs checks it), the file's address in
    another edition (as on the Dati page, opendata.data_page)."""
    return root + path if lang == publication.source_lang else publication.site_url + path


def _chain_steps(catalog: Catalog, lang: str) -> list[dict[str, object]]:
    """The argument's steps for the home page's compact view of the chain: each step's id (its
    heading's anchor below) and how many entries it lists."""
    return [{"id": step["id"], "count": len(step["items"]) + int(step["more"])}
            for step in _home_steps(catalog, lang) if step["id"] != "read_more"]


def _tags(catalog: Catalog, translation: Translation) -> list[Values]:
    """Every tag the data uses, ordered by its name in the translation's language: its key (the slug
    of its address), name, index anchor and entities, these ordered by title (as Material's listing was)."""
    from . import render

    lang = translation.lang
    tagged: dict[str, list[Entity]] = {}
    for kind in KINDS:
        for entity in catalog.by_kind[kind.name]:
            for tag in entity.data.get("tags") or []:
                tagged.setdefault(str(tag), []).append(entity)
    names = translation.words["tags"]
    tags: list[Values] = [{"key": key, "name": str(names[key]), "anchor": render.tag_anchor(str(names[key])),
             "entities": sorted(entities, key=lambda e: (str(e.text("title", lang)).casefold(), e.kind, e.id))}
            for key, entities in tagged.items()]
    return sorted(tags, key=lambda tag: (str(tag["name"]).casefold(), str(tag["key"])))


def _chips(entity: Entity, translation: Translation) -> tuple[Chip, ...]:
    """An entity's tags by name, in name order (as Material showed them), each linking its tag's page."""
    from . import render

    names = translation.words["tags"]
    chips = [render.Chip(str(names[tag]), render.tag_uri(str(tag))) for tag in entity.data.get("tags") or []]
    return tuple(sorted(chips, key=lambda chip: (chip.name.casefold(), chip.page)))


def _grouped(kind: Kind, entities: list[Entity]) -> list[Entity]:
    """A kind's entities with each group of its index together, for an index of several pages: the
    groups in the order they first appear (the brief's, for the brief's data, and the order the one
    page shows when they are already together), each keeping its own order. On one page, consecutive
    runs are shown as they are; across pages, scattered runs would repeat a heading on every page."""
    field = kind.display.group_by
    if not field:
        return entities
    first: dict[object, int] = {}
    for entity in entities:
        first.setdefault(entity.data.get(field), len(first))
    return sorted(entities, key=lambda e: first[e.data.get(field)])  # stable: each group keeps its order


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
    return {str(f) for item in entity.data.get("added") or [] for f in item["fields"]}


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
        shown = translation.enum(fact.field, value) if fact.format in ("value", "region") else value
        if fact.format not in ("coordinates", "code", "wikidata") and _words(shown) == _words(entity.text("title", lang)):
            continue  # a wording, label or category that says the title again
        code = geo.region_codes().get(str(value)) if fact.format == "region" else None  # its ISTAT code
        facts.append({"field": fact.field, "format": fact.format, "value": value, "code": code})
    return facts


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


def _city_map(catalog: Catalog, lang: str) -> Values | None:
    """Italy's regions and a linked marker for every entity with coordinates, or None if none has."""
    from . import geo, render

    points = [(e, str(e.text("title", lang)), float((where := e.coordinates(field))["lat"]), float(where["lon"]))
              for kind in KINDS if (field := kind.place) for e in render.entities_of(catalog, kind, lang)]
    if not points:
        return None
    base = geo.base_map(geo.FULL)
    places = [(e, e.data.get("region")) for e, *_ in points]
    if len(points) > render.FIGURE_LIMIT:  # too many to label and link one by one: dots, and the list links them
        dots = [base.place(lat, lon) for _, _, lat, lon in points]
        return {"base": base, "markers": [], "count": len(points), "places": places, "kinds": _place_kinds(),
                "dots": [(min(max(x, 0), base.width), min(max(y, 0), base.height)) for x, y in dots]}
    return {"base": base, "markers": geo.place_markers(base, points, font=13), "count": len(points),
            "places": places, "dots": [], "kinds": _place_kinds()}


def _place_kinds() -> list[Kind]:
    return [kind for kind in KINDS if kind.place]


def _locator(kind: Kind, entity: Entity, translation: Translation) -> dict[str, object] | None:
    """The small map on a page of a kind with coordinates: the entity's point and its region."""
    from . import geo

    field = kind.place
    if not field:
        return None
    where = entity.coordinates(field)
    base = geo.base_map(geo.LOCATOR)
    x, y = base.place(float(where["lat"]), float(where["lon"]))
    region = entity.data.get("region")
    name = str(entity.text("title", translation.lang))
    label = f"{name}, {translation.enum('region', region)}" if region else name
    return {"base": base, "x": x, "y": y, "region": region, "label": label}


def _changelog(catalog: Catalog, history: History) -> list[Values]:
    """Each edition's entities, added, renamed, changed and removed: as entities where they still
    exist, else as their file's id. An entity added with an alias that the same edition removed
    was renamed: its old address redirects to it."""
    by_file = {e.file: e for e in catalog.entities.values()}
    order = {e.file: i for i, e in enumerate(e for kind in KINDS for e in catalog.by_kind[kind.name])}

    def brief_order(files: list[str]) -> list[str]:  # the brief's order, kind by kind; gone files last
        return sorted(files, key=lambda f: (order.get(f, len(order)), f))

    editions: list[Values] = []
    for edition in history.editions:
        removed = set(edition.removed)
        renamed: list[tuple[Entity, str]] = []
        added: list[object] = []
        for file in brief_order(edition.added):
            entity = by_file.get(file)
            folder = FsPath(file).parent.as_posix()
            old = next((a for a in (entity.data.get("aliases") or []) if f"{folder}/{a}.yaml" in removed), None) if entity else None
            if entity and old:
                renamed.append((entity, old))
                removed.discard(f"{folder}/{old}.yaml")
            else:
                added.append(entity or FsPath(file).stem)
        editions.append({"version": edition.version, "date": edition.date, "added": added, "renamed": renamed,
                         "changed": [by_file.get(f) or FsPath(f).stem for f in brief_order(edition.changed)],
                         "removed": [FsPath(f).stem for f in sorted(removed)]})
    return editions


# ---- the registry ---------------------------------------------------------------------------------

HOME = "index.md"
CONCEPT_MAP = "concept-map.md"
WHOLE_BRIEF = "brief.md"  # the whole brief on one page, in reading order, for print
TAG_INDEX = "tag.md"  # every tag with its count; each tag's own page is tag/<tag>.md
MAP_FIGURE = "map"  # the map of the places, as files at the edition's root: map.svg, map.png
BRIEF_PDF = "brief.pdf"  # the whole brief as a PDF, at the edition's root (pdf.py)
CONCEPT_FIGURE = CONCEPT_MAP.removesuffix(".md")  # the concept map's: concept-map.svg, concept-map.png

SPECS: tuple[Spec, ...] = (
    Spec("home", HOME, "home.md", _home, title="brief_title", description="ui.home_intro", nav="head",
         nav_title="ui.home"),
    Spec("concept_map", CONCEPT_MAP, "concept_map.html", _concept_map, title="figures.concept_map",
         description="figures.concept_map_intro", nav="head", instances=_concept_maps, paged=True),
    Spec("whole_brief", WHOLE_BRIEF, "whole_brief.html", _whole_brief, title="whole.title", description="whole.description",
         nav="head", instances=_whole_briefs, paged=True),
    Spec("data", NAMED + ".md", "data.md", _data_page, title="opendata.title", description="opendata.description", nav="tail",
         nav_order=1),
    Spec("fields", NAMED + ".md", "field_reference.md", _field_reference, title="reference.title",
         description="reference.description", nav="tail", nav_order=2),
    Spec("changelog", "changelog.md", "changelog.md", _changelog_page, title="changelog.title",
         description="changelog.description", nav="tail", nav_order=3),
    Spec("tag_index", TAG_INDEX, "tag_index.html", _tag_index, title="tag_pages.title", description="tag_pages.description",
         nav="tail", nav_order=0),
    Spec("tag", TAG_INDEX.removesuffix(".md") + "/{key}.md", "tag.html", _tag_page, instances=_tag_pages, paged=True),
    Spec("kind_index", "{key}/index.md", "kind_index.html", _kind_index, nav="kind", instances=_kind_indexes, paged=True),
    Spec("entity", "{key}.md", "entity.html", _entity, nav="kind", instances=_entity_pages, key=_entity_key),
    Spec("slide", "{key}.md", "slide.html", _slide, nav="kind", instances=_slide_pages, key=_entity_key),
)


def fixed(words: dict[str, Any]) -> tuple[str, ...]:
    """The source paths of the generated pages whose address no data decides, in the edition whose
    translation file is `words` (a page it names no path for is left out)."""
    given = words.get("paths")
    known: dict[str, Any] = given if isinstance(given, dict) else {}  # (a broken file's: reported by i18n)
    return tuple(s.source(words) if NAMED in s.path else s.path for s in SPECS
                 if "{" not in s.path or (s.path == NAMED + ".md" and isinstance(known.get(s.name), str)))


def path_of(name: str, key: str = "", number: int = 1, words: dict[str, Any] | None = None) -> str:
    """The source path of page `number` of a spec's page (a family's member: `key`; a page named in
    the edition's language: its translation file's `words`), from which every generated page's address
    is made (`address`): path_of("tag", "citta") -> "tag/citta.md", path_of("kind_index", "themes", 2)
    -> "themes/page/2.md", path_of("fields", words=<it.yaml>) -> "campi.md", path_of("entity",
    "cities/milano") -> "cities/milano.md"."""
    [spec] = [s for s in SPECS if s.name == name]
    if NAMED in spec.path:
        if words is None:
            raise ValueError(f"the page '{name}' is named in each edition's language: its path needs the edition's words")
        return paged(spec.source(words), number)
    return paged(spec.path.format(key=key), number)


def named() -> tuple[str, ...]:
    """The names of the generated pages whose path each edition's translation file gives (`paths:`)."""
    return tuple(s.name for s in SPECS if NAMED in s.path)


def entity_path(kind: str, id_: str) -> str:
    """The source path of the page of the entity of `kind` with the id `id_`: cities/milano.md."""
    return path_of("entity", entity_address(kind, id_).removesuffix("/"))


def no_data(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    """The data of a page whose template needs only what every page has (catalog, words, publication)."""
    return Made({})


def navigation(words: dict[str, Any], kinds: Iterable[tuple[str, list[str]]], extra: list[Any]) -> list[Any]:
    """The nav as MkDocs wants it: the head's pages, each kind's section (its title and pages, from
    `kinds`), the hand-written pages (`extra`), the tail's pages; titles from the translation files."""
    def part(where: str) -> list[Any]:
        return [{word(words, s.nav_title or s.title): s.source(words)}
                for s in sorted((s for s in SPECS if s.nav == where), key=lambda s: s.nav_order)]

    return [*part("head"), *({title: children} for title, children in kinds), *extra, *part("tail")]


# ---- the site's other outputs: redirects and downloads ----------------------------------------------


CITATION_FILES = (".bib", ".ris")  # a citation's files, beside what it cites: cities/milano.bib, slides/slide-3/3-4.ris
GRAPH_FILES = (".graph.svg", ".graph.png")  # an entity's graph of its neighbours: cities/milano.graph.svg


def entity_files(kind: str, id_: str) -> tuple[str, ...]:
    """An entity's page and the files every edition may publish beside it: its citation's and its
    graph's (an entity with no neighbours has none)."""
    page = entity_path(kind, id_)
    return (page, *(page.removesuffix(".md") + ext for ext in (*CITATION_FILES, *GRAPH_FILES)))


def redirects(catalog: Catalog) -> dict[str, str]:
    """Each retired id's page, as a source path, to the page of the entity that now has it: a
    renamed entity lists its old ids under `aliases`, and their addresses keep working (the MkDocs
    adapter hands them to mkdocs-redirects and writes their pages, render.redirect_page; the export
    writes them into each edition's configuration)."""
    return {entity_path(e.kind, alias): entity_path(e.kind, e.id)
            for e in catalog.entities.values() for alias in e.data.get("aliases") or []}


def downloads(made: Iterable[Page], open_data: Mapping[str, str]) -> list[tuple[str, str | bytes | Later, Page | None]]:
    """Every file the site publishes beside its pages, by path below the edition's root, with the page
    it goes with: each page's (its citations' .bib and .ris, its figures' SVG and PNG, the whole
    brief's PDF; an entity's under its retired ids too), then the open data's, with no page (JSON,
    CSV, JSON-LD, the data package, DCAT, CITATION.cff: pipeline.Result.downloads, in the source
    edition only)."""
    return [*((path, content, page) for page in made for path, content in page.files.items()),
            *((path, text, None) for path, text in open_data.items())]
