"""The page registry: every page the site generates beside the entities' own, declared once.

A `Spec` says where a page lives (its source path: the one function `address` turns it into its
URL), which template draws it (under overrides/atlante/), what data it needs (`data`), where it
stands in the navigation and what its title and description are (keys of the translation files).
A spec with `instances` is a family (one page per tag, per kind); with `entries`, a listing cut into
numbered pages (<folder>/page/2/ ...). `render.render` loops over `SPECS`; `navigation` and the
rule that keeps hand-written pages off generated addresses (rules.py, address-taken) read them too.

A new generated page is its spec here, its template and its words in the translation files.
Entity pages (one per data file, their template by kind) are rendered by `render.render` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .kinds import CHAIN, KIND_BY_NAME, KINDS, Kind

if TYPE_CHECKING:
    import jinja2

    from .i18n import Translation
    from .model import Catalog, Entity
    from .render import Download, Files, Site


@dataclass(frozen=True)
class Instance:
    """One page, or one listing of numbered pages, of a spec: its first page's source path, its title
    and description, the entries it lists (None: a page that lists none) and data of its own."""

    path: str
    title: str
    description: str
    entries: list[Any] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    kind: Kind | None = None  # the kind whose section of the navigation holds it


@dataclass(frozen=True)
class Made:
    """What a spec's `data` gives for one page: the template's values, the page's downloads, extra
    metadata (page_meta's keywords) and what it could not offer."""

    values: dict[str, Any]
    files: Files = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


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

    def pages_of(self, ctx: Context) -> list[Instance]:
        if self.instances is not None:
            return self.instances(ctx, self)
        return [Instance(self.path, word(ctx.words, self.title), word(ctx.words, self.description))]


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
    Jinja environment and the values several pages draw (the map of places, the concept graphs)."""

    def __init__(self, catalog: Catalog, translation: Translation, site: Site, env: jinja2.Environment,
                 common: dict[str, Any], figure_files: Callable[..., Files]) -> None:
        self.catalog, self.translation, self.site, self.env = catalog, translation, site, env
        self.words: dict[str, Any] = translation.words
        self.lang = translation.lang
        self.common = common
        self.figure_files = figure_files

    @cached_property
    def places(self) -> dict[str, Any] | None:
        from .render import _city_map

        return _city_map(self.catalog, self.lang)

    @cached_property
    def map_download(self) -> Download | None:
        from .render import MAP_FIGURE, Download

        return Download(MAP_FIGURE + ".svg", MAP_FIGURE + ".png", str(self.words["figures"]["map_file"]),
                        str(self.words["figures"]["map_title"])) if self.places else None

    @cached_property
    def steps(self) -> list[dict[str, object]]:
        from .render import _home_steps

        return _home_steps(self.catalog, self.lang)

    @cached_property
    def tags(self) -> list[dict[str, Any]]:
        from .render import _tags

        return _tags(self.catalog, self.translation)

    def entities(self, kind: Kind) -> list[Entity]:
        from .render import entities_of

        return entities_of(self.catalog, kind, self.lang)


# ---- the data each page needs -------------------------------------------------------------------


def _home(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    from . import opendata
    from .render import _chain_steps

    places, download, words = ctx.places, ctx.map_download, ctx.words
    values = {"steps": ctx.steps, "city_map": places, "map_download": download, "brief": ctx.site.publication.brief,
              "chain": _chain_steps(ctx.catalog, ctx.lang)}
    files = ctx.figure_files(download, {"map": places, "width": places["base"].width, "height": places["base"].height},
                             "cities/", str(words["figures"]["map_caption"]), str(words["figures"]["attribution"])) \
        if places and download else {}
    return Made(values, files, meta={"home": True, "distribution": opendata.distribution()})


def _concept_map(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    from .render import CONCEPT_FIGURE, Download

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
    from . import graph
    from .render import FIGURE_LIMIT

    catalog, words = ctx.catalog, ctx.words
    drawn = len(catalog.entities) <= FIGURE_LIMIT  # a larger graph is unreadable: its list is the map

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
    from .render import _whole_brief_pdf, chunks

    everything = [e for kind in KINDS if kind.name != "slide" for e in ctx.entities(kind)]
    brief_slides = ctx.catalog.by_kind["slide"]
    page_of = {e.ref: n for n, p in enumerate(chunks(everything), 1) for e in p} | {e.ref: 1 for e in brief_slides}
    pdf = _whole_brief_pdf(ctx.env, {**ctx.common, "steps": ctx.steps, "brief_slides": brief_slides}, ctx.site.kept)
    return [Instance(spec.path, word(ctx.words, spec.title), word(ctx.words, spec.description), everything,
                     {"page_of": page_of, "pdf": pdf, "brief_slides": brief_slides})]


def _whole_brief(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    from .render import BRIEF_PDF, _roots

    words = ctx.words
    brief_slides, page_of, (brief_pdf, pdf_problems) = page.data["brief_slides"], page.data["page_of"], page.data["pdf"]
    root = _roots(paged(page.path, number))[0]

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

    return Made({"reference": reference.kinds(ctx.site.schema_dir)})


def _changelog_page(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    from .render import _changelog

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
    from .render import LIST_LIMIT, _grouped

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
    from .render import _added_columns, _download_link, _index_groups, _roots

    kind = page.kind
    assert kind is not None
    root = _roots(paged(page.path, number))[0]
    return Made({"kind": kind, "groups": _index_groups(kind, part or [], ctx.translation),
                 "added_columns": _added_columns(kind, page.data["all"]),
                 "city_map": ctx.places if kind.place and number == 1 else None, "map_download": ctx.map_download,
                 "csv": _download_link(opendata.FOLDER + opendata.csv_name(kind), root, ctx.lang, ctx.site.publication)})


# ---- the registry ---------------------------------------------------------------------------------

HOME = "index.md"
CONCEPT_MAP = "concept-map.md"
WHOLE_BRIEF = "brief.md"  # the whole brief on one page, in reading order, for print
TAG_INDEX = "tag.md"  # every tag with its count; each tag's own page is tag/<tag>.md

SPECS: tuple[Spec, ...] = (
    Spec("home", HOME, "home.md", _home, title="brief_title", description="ui.home_intro", nav="head",
         nav_title="ui.home"),
    Spec("concept_map", CONCEPT_MAP, "concept_map.md", _concept_map, title="figures.concept_map",
         description="figures.concept_map_intro", nav="head", instances=_concept_maps, paged=True),
    Spec("whole_brief", WHOLE_BRIEF, "whole_brief.md", _whole_brief, title="whole.title", description="whole.description",
         nav="head", instances=_whole_briefs, paged=True),
    Spec("data", "dati.md", "data.md", _data_page, title="opendata.title", description="opendata.description", nav="tail",
         nav_order=1),
    Spec("fields", "campi.md", "field_reference.md", _field_reference, title="reference.title",
         description="reference.description", nav="tail", nav_order=2),
    Spec("changelog", "changelog.md", "changelog.md", _changelog_page, title="changelog.title",
         description="changelog.description", nav="tail", nav_order=3),
    Spec("tag_index", TAG_INDEX, "tag_index.md", _tag_index, title="tag_pages.title", description="tag_pages.description",
         nav="tail", nav_order=0),
    Spec("tag", TAG_INDEX.removesuffix(".md") + "/{key}.md", "tag.md", _tag_page, instances=_tag_pages, paged=True),
    Spec("kind_index", "{key}/index.md", "kind_index.md", _kind_index, nav="kind", instances=_kind_indexes, paged=True),
)



def fixed() -> tuple[str, ...]:
    """The source paths of the generated pages whose address no data decides."""
    return tuple(s.path for s in SPECS if "{" not in s.path)


def path_of(name: str, key: str = "", number: int = 1) -> str:
    """The source path of page `number` of a spec's page (a family's member: `key`), from which every
    generated page's address is made (`address`): path_of("tag", "citta") -> "tag/citta.md",
    path_of("kind_index", "themes", 2) -> "themes/page/2.md", path_of("fields") -> "campi.md"."""
    [spec] = [s for s in SPECS if s.name == name]
    return paged(spec.path.format(key=key), number)


def no_data(ctx: Context, page: Instance, part: list[Any] | None, number: int) -> Made:
    """The data of a page whose template needs only what every page has (catalog, words, publication)."""
    return Made({})


def navigation(words: dict[str, Any], kinds: Iterable[tuple[str, list[str]]], extra: list[Any]) -> list[Any]:
    """The nav as MkDocs wants it: the head's pages, each kind's section (its title and pages, from
    `kinds`), the hand-written pages (`extra`), the tail's pages; titles from the translation files."""
    def part(where: str) -> list[Any]:
        return [{word(words, s.nav_title or s.title): s.path}
                for s in sorted((s for s in SPECS if s.nav == where), key=lambda s: s.nav_order)]

    return [*part("head"), *({title: children} for title, children in kinds), *extra, *part("tail")]
