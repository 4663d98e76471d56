"""Step 4, render: the catalog as Markdown pages and a navigation, in one language, through Jinja.

Python builds data, the templates under overrides/atlante/ build text. Every value from data goes
through an escaping filter: `md` for plain text (title, summary, statements: never interpreted as
Markdown or HTML) and `markdown` for the fields that are Markdown by design (body), whose HTML is
then sanitised by `sanitize.clean_html`. Words come from the language's translation file; templates
hold no kind names, and read each kind's display (facts, index grouping, home step) from kinds.py.
Pages are returned in memory; nothing is written.
"""

from __future__ import annotations

import functools
import hashlib
import json
import posixpath
import re
import secrets
import string
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from pathlib import Path as FsPath
from typing import Any, TypeVar
from urllib.parse import quote

import jinja2
from babel.numbers import format_decimal
from markupsafe import Markup, escape
from pymdownx.slugs import slugify

from . import cite, faults, figures, htmlpage
from . import pages as registry
from .cache import Later
from .history import History
from .i18n import Translation
from .kinds import KIND_BY_NAME, KINDS, SOURCE, Kind, address
from .meta import Publication
from .metadata import PageMeta, entity_url, page_meta, statement_url
from .model import Catalog, Entity, Json, Statement, Stopped

# Markdown extensions the templates rely on; the MkDocs adapter checks the config has them.
REQUIRED_EXTENSIONS = ("attr_list", "pymdownx.escapeall", "admonition", "tables", "def_list")

# A kind with more entities than this lists only its index page in the navigation: MkDocs
# renders the whole navigation into every page, so long flat sections make the build quadratic.
NAV_LIMIT = 40
# Entries one listing shows on one page. A longer listing (a kind's index, the whole brief, the concept
# map's list) continues on numbered pages, <folder>/page/2/ and on; a step of the home page or a
# statement's list shows this many and links to the rest. So no page lists thousands of links.
LIST_LIMIT = 100
# Markers a map labels and links one by one; with more it draws them as unlabelled dots, and the
# concept map (a drawn graph) is left out above this many entries: their lists carry the links.
FIGURE_LIMIT = 150
STEP_LIMIT = 40  # entries a step of the home page lists; it links the indexes of the rest

_T = TypeVar("_T")
Values = dict[str, Any]  # what a template is handed by name (a step, a tag, a map): it shows anything
Files = dict[str, str | bytes | Later]  # a page's downloads, by path (Page.files)
_PanelKey = tuple[cite.Target, str, str, date, Publication]  # what a citation's panel is made from (Citer._panel)
_Panel = tuple[dict[str, object], Files]  # a citation's panel, for the template, and its downloads

# Every generated page is a spec of the registry (pages.py); `render` draws them.


@dataclass(frozen=True)
class Page:
    src_uri: str  # "cities/milano.md"
    markdown: str
    in_nav: bool = True  # False for the entities of a kind too large to list in the navigation
    figures: dict[str, str] = dataclass_field(default_factory=dict)  # placeholder -> SVG figure (see place_figures)
    meta: PageMeta | None = None  # citation_*, DC, Open Graph tags and JSON-LD for the page's <head>
    files: dict[str, str | bytes | Later] = dataclass_field(default_factory=dict)  # path -> content: the page's .bib
    # and .ris, its figures' SVG and PNG, the whole brief's PDF (the last two made when written: cache.Later)
    source: str | None = None  # the data file the page shows ("data/cities/milano.yaml"), for its edit link
    tags: tuple[Chip, ...] = ()  # an entity page's tags, by name, each linking its tag's page
    problems: tuple[str, ...] = ()  # what the page could not offer (the whole brief's PDF, without WeasyPrint)
    pages: tuple[Page, ...] = ()  # only in a Memo: the site pages rendered together (SITE_BUNDLE)
    # A page whose template is HTML (htmlpage.py): `markdown` is only its front matter and title, for
    # the engine; this is the page's HTML, with its table of contents and the ids it holds.
    html: str | None = None
    toc: list[htmlpage.Token] = dataclass_field(default_factory=list)
    anchors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Chip:
    """A tag as an entity page shows it: its name in the page's language and the source path of its
    page ("tag/citta.md"). The theme draws it (overrides/partials/tags.html); the export writes it."""

    name: str
    page: str

    @property
    def url(self) -> str:
        """The tag page's address below the edition's root: "tag/citta/"."""
        return registry.address(self.page)


@dataclass(frozen=True)
class Site:
    """What render needs beyond the catalog: the publication's facts and the data files' history."""

    publication: Publication
    history: History
    schema_dir: FsPath  # the JSON Schemas, which the field reference and the Dati page document
    kept: FsPath | None = None  # where the figures' PNGs and the PDF are kept between builds (cache.folder)
    citations: cite.Engine | None = None  # citeproc-js (cite.engine_for); None: the checkout's own


@dataclass(frozen=True)
class Download:
    """A figure's files, for the links under it: paths below the edition's root, the file name
    offered (without extension) and the figure's title."""

    svg: str
    png: str
    name: str
    title: str
    png_width: int = figures.PNG_WIDTH


def place_figures(html: str, figures: dict[str, str]) -> str:
    """The page's HTML with each figure in place of its placeholder paragraph.

    Figures (maps, graphs) are inline SVG drawn by the templates under figures/, every value escaped.
    They are kept out of the Markdown so that the sanitiser, which cleans the HTML converted from
    Markdown, can refuse SVG altogether: a data field can never draw over the page. The placeholder
    holds a random token that no data file can know in advance. (Only the pages whose templates
    still write Markdown have placeholders: a template written as HTML holds its figures.)
    """
    for token, figure in figures.items():
        def put(_m: re.Match[str], figure: str = figure) -> str:  # the figure as it is, not a template
            return figure

        html = re.sub(rf"<p>{token}</p>", put, html, count=1)
    return html


# Random per process, so that no data file can know it in advance, and stable between the renders
# of one process, so that an unchanged page renders to the same text (Memo, and `mkdocs serve`).
_FIGURE_PREFIX = f"atlante-figure-{secrets.token_hex(12)}"


class _Figures:
    """The `figure` filter: keeps a rendered figure aside and leaves its placeholder in the page."""

    def __init__(self) -> None:
        self.prefix = _FIGURE_PREFIX
        self.kept: dict[str, str] = {}

    def keep(self, html: str) -> Markup:
        token = f"{self.prefix}-{len(self.kept)}"
        self.kept[token] = str(html).strip()
        return Markup(f"\n\n{token}\n\n")

    def take(self) -> dict[str, str]:
        kept, self.kept = self.kept, {}
        return kept


def page_uri(entity: Entity) -> str:
    """The source path of an entity's page: cities/milano.md."""
    return registry.entity_path(entity.kind, entity.id)


def index_uri(kind: Kind, number: int = 1) -> str:
    return registry.path_of("kind_index", kind.folder, number)


def tag_uri(tag: str, number: int = 1) -> str:
    """The source path of page `number` of a tag's page (`tag`: its key in data/, a slug):
    tag/citta.md, tag/citta/page/2.md."""
    return registry.path_of("tag", tag, number)


def tag_anchor(name: str) -> str:
    """The id of a tag's entry on the tag index: the one Material's tags plugin gave the tag's
    heading there (its name as pymdownx slugifies it: «città» -> tag:città, "magic circles" ->
    tag:magic-circles), so that the anchors readers cited before the index was ours still land."""
    return "tag:" + _TAG_SLUG(name, "-")


_TAG_SLUG: Callable[[str, str], str] = slugify(case="lower")


def chunks(items: list[_T], limit: int | None = None) -> list[list[_T]]:
    """A listing cut into pages of `limit` entries, LIST_LIMIT by default (one empty page for an empty listing)."""
    limit = limit or LIST_LIMIT
    return [items[i:i + limit] for i in range(0, len(items), limit)] or [[]]


def _pager(first: str, number: int, count: int) -> dict[str, object] | None:
    """The links of page `number` of `count` to every page of its listing, as source paths below the
    edition's root (the templates' `link`), or None for a listing of one page."""
    if count == 1:
        return None
    return {"number": number, "count": count,
            "pages": [(n, None if n == number else registry.paged(first, n)) for n in range(1, count + 1)],
            "previous": registry.paged(first, number - 1) if number > 1 else None,
            "next": registry.paged(first, number + 1) if number < count else None}


@dataclass
class Memo:
    """What one edition's render keeps for the next one, in a process that renders again and again
    (`mkdocs serve`): the Jinja environment (compiled templates; Jinja recompiles an edited one) and
    every page with the key of what it was made from. A page whose key is unchanged is not rendered
    again. An entity page's key covers its file, its neighbours' files (links, statements and the
    entities that quote the same statements), its dates, the templates, the translation and the
    publication; the pages of the whole site (home, indexes, maps) cover every file.
    """

    environments: dict[tuple[str, str], jinja2.Environment] = dataclass_field(default_factory=dict)
    pages: dict[str, tuple[str, Page]] = dataclass_field(default_factory=dict)
    rendered: int = 0  # pages rendered by the last run (the others were kept)
    citations: dict[_PanelKey, _Panel] = dataclass_field(default_factory=dict)

    def environment(self, templates: FsPath, lang: str) -> jinja2.Environment:
        key = (str(templates), lang)
        if key not in self.environments:
            self.environments[key] = _environment(templates, lang)
        return self.environments[key]


def render(catalog: Catalog, templates: FsPath, translation: Translation, site: Site,
           memo: Memo | None = None, hurried: bool = False, stop: Callable[[], bool] | None = None) -> list[Page]:
    """Every page of the registry (pages.SPECS) in the translation's language, each with its metadata
    and its downloads, in the order of the site's sections (`_in_sections`). With a `memo`, pages
    whose inputs did not change since the memo's last run are taken from it; `hurried`, the whole
    site's pages too, as they were (the preview's first phase does not write them); `stop`, asked
    before each page is rendered and each request for citations: True raises Stopped."""
    lang = translation.lang
    publication = site.publication
    figures_kept = _Figures()
    citer = Citer(publication, translation, site.history, memo.citations if memo else None, site.citations)
    citer.prepare([e for kind in KINDS for e in catalog.by_kind[kind.name]],
                  [st for slide in catalog.by_kind[SOURCE.name] for st in slide.statements], stop)
    env = memo.environment(templates, lang) if memo else _environment(templates, lang)
    env.filters["figure"] = figures_kept.keep
    env.filters["updated"] = lambda entity: site.history.date_of(entity.file)
    env.filters["long_date"] = lambda day: _long_date(day, lang)
    env.filters["cite_statement"] = citer.statement
    common = {"catalog": catalog, "kinds": KINDS, "t": translation.words, "tr": translation, "lang": lang,
              "source_lang": publication.source_lang, "publication": publication, "history": site.history, "limit": STEP_LIMIT}
    words = translation.words
    kept: dict[str, tuple[str, Page]] = {}
    rendered = 0

    def made(uri: str, key: str, make: Callable[[], Page]) -> Page:
        nonlocal rendered
        hit = memo.pages.get(uri) if memo else None
        if hit is None or hit[0] != key:
            if stop is not None and stop():
                raise Stopped
            hit, rendered = (key, make()), rendered + 1
        kept[uri] = hit
        return hit[1]

    base = _key(lang, repr(publication), json.dumps(words, sort_keys=True, default=str), _tree_state(templates),
                repr(site.history.fallback)) if memo else ""
    whole = _key(base, _catalog_state(catalog), repr(site.history), _tree_state(site.schema_dir)) if memo else ""

    def figure_files(download: Download, drawn: Values, page: str, caption: str, credit: str = "") -> Files:
        """A figure's two downloads: the standalone SVG (its drawing with title, caption, source and
        licence lines) and its PNG."""
        svg = _standalone(env, drawn, title=download.title, caption=caption, url=publication.url(page, lang),
                          credit=credit, words=words, publication=publication, lang=lang,
                          url_root=publication.edition_url(lang), common=common)
        return {download.svg: svg, download.png: figures.png_later(svg, site.kept, download.png_width)}

    ctx = registry.Context(catalog, translation, site, env, common, figure_files, citer)

    def drawn(spec: registry.Spec, instance: registry.Instance) -> list[Page]:
        """An instance's pages: its listing cut into numbered pages, each drawn by the spec's template."""
        template = env.get_template(spec.template)
        parts: list[list[Any] | None] = list(chunks(instance.entries)) if instance.entries is not None else [None]
        found = []
        for number, part in enumerate(parts, 1):
            if stop is not None and stop():
                raise Stopped
            uri = registry.paged(instance.path, number)
            root, url_root = registry.roots(uri)
            title = instance.title if number == 1 else f"{instance.title} ({_page_of(words, number, len(parts))})"
            made = spec.data(ctx, instance, part, number)
            paging = {"title": title, "pager": _pager(instance.path, number, len(parts))} if spec.paged else {}
            html, toc, anchors = None, list[htmlpage.Token](), frozenset[str]()
            if spec.template.endswith(".html"):  # written as HTML: the engine converts only its title
                headings = htmlpage.Headings()
                front, body = htmlpage.split_front_matter(template.render(
                    root=root, url_root=url_root, page_uri=uri, here=registry.address(uri), heading=headings,
                    **{"title": title, **paging, **made.values}, **common))
                html, toc, anchors = headings.finish(body.strip())
                markdown = htmlpage.stub(front, title, md_text)
            else:
                markdown = template.render(root=root, url_root=url_root, **paging, **made.values, **common)
            dated = {"updated": publication.date, **made.meta}  # the edition's day, or what the spec says (an entity's file's)
            meta = page_meta(publication, title=title, description=instance.description, path=registry.address(uri),
                             lang=lang, locale=str(words["codes"]["open_graph"]), **dated)
            found.append(Page(uri, markdown, in_nav=spec.nav is not None and instance.listed and number == 1,
                              figures=figures_kept.take(), meta=meta, files=made.files, source=made.source,
                              tags=made.tags, problems=made.problems, html=html, toc=toc, anchors=anchors))
        return found

    def alone(spec: registry.Spec, instance: registry.Instance) -> Page:
        [page] = drawn(spec, instance)  # a spec with a key has pages of one page each
        return page

    def site_pages() -> list[Page]:
        """The pages of the specs that show the whole catalog, rendered together."""
        faults.note("data/", f"rendering the site's pages ({lang}: home, indexes, maps, the whole brief)")
        return [page for spec in registry.SPECS if spec.key is None for instance in spec.pages_of(ctx)
                for page in drawn(spec, instance)]

    hit = memo.pages.get(SITE_BUNDLE) if memo else None
    if hit is not None and (hit[0] == whole or hurried):
        site_bundle = hit[1]
        kept[SITE_BUNDLE] = hit  # under its own key: the next run that is not hurried makes them again
    else:
        site_bundle, rendered = Page(SITE_BUNDLE, "", pages=tuple(site_pages())), rendered + 1
        kept[SITE_BUNDLE] = (whole, site_bundle)
    pages = list(site_bundle.pages)
    for spec in registry.SPECS:
        if spec.key is not None:  # each of its pages rendered again only when what it shows changed
            pages += [made(instance.path, _key(base, spec.key(ctx, instance)) if memo else "",
                           functools.partial(alone, spec, instance)) for instance in spec.pages_of(ctx)]
    if memo is not None:
        memo.pages, memo.rendered = kept, rendered
    return _in_sections(pages)


def _in_sections(pages: list[Page]) -> list[Page]:
    """The pages in the order MkDocs is handed them (its search index keeps it): those of no kind's
    folder first, then each kind's section, its index before its entities' pages; otherwise in the
    order they were rendered."""
    section = {kind.folder: number for number, kind in enumerate(KINDS, 1)}
    return sorted(pages, key=lambda page: section.get(page.src_uri.split("/", 1)[0], 0))


SITE_BUNDLE = "(site pages)"  # the memo's entry for the pages of the whole site, rendered together
_CREDIT_FONT = 11  # px: the standalone figures' lines under the drawing
_TITLE_FONT = 16


def _standalone(env: jinja2.Environment, drawn: Values, *, title: str, caption: str, url: str, credit: str,
                words: Json, publication: Publication, lang: str, url_root: str, common: Json) -> str:
    """A figure as a standalone SVG file (figures/standalone.svg): its title above the drawing, and
    under it the caption, the site and page it comes from, the credit and the licence, wrapped to the
    drawing's width (the lines' widths estimated as graph.py estimates its boxes')."""
    margin = 24
    width, height = float(drawn["width"]), float(drawn["height"])

    def wrapped(text: str, font: float) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), max(int(width / (0.5 * font)), 20), break_on_hyphens=False) or [""]

    heads = wrapped(title, _TITLE_FONT)
    title_lines = [{"y": margin + _TITLE_FONT + i * (_TITLE_FONT + 4), "text": line} for i, line in enumerate(heads)]
    top = margin + len(heads) * (_TITLE_FONT + 4) + 12
    said = [caption, str(words["figures"]["source_line"]).replace("{site}", publication.site_name).replace("{url}", url)]
    licence = str(words["figures"]["licence_line"]).replace("{publisher}", publication.publisher_in(lang)) \
        .replace("{licence}", publication.licence.name).replace("{licence_url}", publication.licence.url)
    said += [f"{credit} {licence}" if credit else licence]
    lines, y = [], top + height + 12
    for text in said:
        for line in wrapped(text, _CREDIT_FONT):
            y += _CREDIT_FONT + 4
            lines.append({"y": y, "text": line})
    s = {"width": width + 2 * margin, "height": y + margin, "margin": margin, "top": top, "drawing_width": width,
         "drawing_height": height, "graph": drawn.get("graph"), "map": drawn.get("map"), "url_root": url_root,
         "title": title, "caption": caption, "title_lines": title_lines, "lines": lines}
    return env.get_template("figures/standalone.svg").render(s=s, **common).strip() + "\n"



def _key(*parts: object) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _tree_state(folder: FsPath) -> str:
    """The names, sizes and modification times of the files under `folder`: changes when one is edited."""
    if not folder.is_dir():
        return ""
    return repr(sorted((p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
                       for p in folder.rglob("*") if p.is_file()))


def _catalog_state(catalog: Catalog) -> str:
    return repr([(str(ref), e.digest, e.position) for ref, e in catalog.entities.items()])


class Citer:
    """The citations of one edition's pages and statements, each made once, with their downloads."""

    def __init__(self, publication: Publication, translation: Translation, history: History,
                 kept: dict[_PanelKey, _Panel] | None = None,
                 engine: cite.Engine | None = None) -> None:
        self.publication, self.translation, self.history = publication, translation, history
        self.accessed = publication.date or history.fallback or date(1970, 1, 1)
        self.kept = kept  # a Memo's: the panels of earlier runs, by what they cite
        self.engine = engine
        self.statements: dict[str, _Panel] = {}
        self.styled: dict[cite.Target, cite.Styles] = {}

    def prepare(self, entities: list[Entity], statements: list[Statement], stop: Callable[[], bool] | None = None) -> None:
        """Render the styles of every citation the pages will show at once (citeproc-js takes a
        request per style and language, and a second to make each engine): those not kept from an
        earlier run. `stop`: as render's."""
        kept = {key[0] for key in self.kept if key[3:] == (self.accessed, self.publication)} if self.kept else set()
        targets = [t for t in [*(self._page_target(e) for e in entities), *(self._statement_target(s) for s in statements)]
                   if t not in kept]
        if targets:
            engine = self.engine or cite.default_engine()
            items = [(cite.csl_item(t, self.publication, self.accessed), t.lang) for t in targets]
            self.styled.update(zip(targets, engine.styled(items, self.accessed, stop), strict=True))

    def page(self, entity: Entity) -> _Panel:
        return self._panel(self._page_target(entity), page_uri(entity).removesuffix(".md"), "cite-page")

    def _page_target(self, entity: Entity) -> cite.Target:
        lang = self.translation.lang
        return cite.Target(key=f"{entity.kind}-{entity.id}", title=str(entity.text("title", lang)),
                           url=entity_url(self.publication, entity, lang), lang=lang,
                           updated=self.history.date_of(entity.file), container=self.publication.site_name,
                           abstract=str(entity.text("summary", lang)) if entity.kind == SOURCE.name else None)

    def statement(self, statement: Statement) -> dict[str, object]:
        """The citation of a statement: its anchor URL, its slide; its files go with the slide's page."""
        return self._statement(statement)[0]

    def statement_files(self, statement: Statement) -> Files:
        return self._statement(statement)[1]

    def _statement(self, statement: Statement) -> _Panel:
        if statement.ref not in self.statements:
            self.statements[statement.ref] = self._panel(self._statement_target(statement),
                                                         f"{SOURCE.folder}/{statement.slide}/{statement.id}",
                                                         f"cite-{statement.slide}-{statement.id}")
        return self.statements[statement.ref]

    def _statement_target(self, statement: Statement) -> cite.Target:
        lang, words = self.translation.lang, self.translation.words
        title = str(words["cite"]["statement_title"]).replace("{brief}", str(words["brief_title"])) \
            .replace("{slide}", statement.number.split(".")[0]).replace("{number}", statement.number)
        return cite.Target(key=f"{statement.slide}-{statement.id}", title=title,
                           url=statement_url(self.publication, statement, lang), lang=lang,
                           updated=None, container=self.publication.site_name, statement=True,
                           abstract=statement.text_in(lang))  # a slide's page offers Zotero each statement

    def _panel(self, target: cite.Target, base: str, pid: str) -> _Panel:
        """The panel's data, and its downloads: `base`.bib and `base`.ris, dated by the edition."""
        if self.kept is None:
            return self._make_panel(target, base, pid)
        key = (target, base, pid, self.accessed, self.publication)
        if key not in self.kept:
            self.kept[key] = self._make_panel(target, base, pid)
        return self.kept[key]

    def _make_panel(self, target: cite.Target, base: str, pid: str) -> _Panel:
        c = cite.cite(target, self.publication, self.accessed, self.engine, self.styled.get(target))
        shown: tuple[str, ...] = (c.bibtex, c.ris, c.csl_json)
        if not any(form in text for text in shown for form, _name in _SENTINEL_FORMS):  # no data holds the sentinel
            shown = tuple(_accessed_html(text, self.accessed)
                          for text in cite.formats(target, self.publication, _SENTINEL_DAY))
        bib, ris = (base + ext for ext in registry.CITATION_FILES)
        panel = {"c": c, "pid": pid, "bib": bib, "ris": ris, "key": target.key,
                 "bibtex": shown[0], "ris_text": shown[1], "csl_json": shown[2]}
        return panel, {bib: c.bibtex, ris: c.ris}


# The panel's machine formats are written with this retrieval date, then each occurrence becomes a
# <time> element that the page's script sets to the reader's day (see cite.py)
_SENTINEL_DAY = date(1111, 11, 11)
_SENTINEL_FORMS = (("1111-11-11", "iso"), ("1111/11/11", "ris"), ("[[1111, 11, 11]]", "csl"))


def _accessed_html(text: str, accessed: date) -> Markup:
    html = str(escape(text))
    for form, name in _SENTINEL_FORMS:
        shown = {"iso": accessed.isoformat(), "ris": accessed.strftime("%Y/%m/%d"),
                 "csl": f"[[{accessed.year}, {accessed.month}, {accessed.day}]]"}[name]
        html = html.replace(form, f'<time class="atlante-accessed" datetime="{accessed.isoformat()}" '
                                  f'data-format="{name}">{shown}</time>')
    return Markup(html)


def _long_date(day: date | None, lang: str) -> str:
    return cite.long_date(day, lang) if day else ""


def navigation(catalog: Catalog, translation: Translation, *, extra: list[Any] | None = None) -> list[Any]:
    """The nav as MkDocs wants it: titles only for sections (from the translation), pages by path;
    a kind's section lists its entities' pages too, unless they are more than NAV_LIMIT."""
    words = translation.words
    sections = []
    for kind in KINDS:
        entities = entities_of(catalog, kind, translation.lang)
        children = [index_uri(kind)] + ([page_uri(e) for e in entities] if len(entities) <= NAV_LIMIT else [])
        sections.append((str(words["kinds"][kind.name]["plural"]), children))
    return registry.navigation(words, sections, list(extra or []))


def redirect_page(old: str, new: str, edition_url: str, lang: str, words: Mapping[str, str]) -> str:
    """The page a retired id's address serves (pages.redirects; `old`, `new`: addresses below the edition's root,
    "cities/milan/" and "cities/milano/"): it sends the reader on at once, keeping a statement's
    anchor, and tells a search engine or a reference manager the page's one address, absolute, as
    every page's canonical link does. In the edition's language; not to be indexed."""
    relative = posixpath.relpath(new, old) + "/"
    canonical = edition_url + new
    target = json.dumps(relative)  # the alias and the id are ids: no quote, no '<'; json.dumps all the same
    return (f'<!doctype html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">\n'
            f'<title>{escape(words["title"])}</title>\n<meta name="robots" content="noindex">\n'
            f'<link rel="canonical" href="{escape(canonical)}">\n'
            f'<meta http-equiv="refresh" content="0; url={escape(relative)}">\n'
            f'<script>location.replace({target} + location.hash)</script>\n</head>\n'
            f'<body>\n<p>{escape(words["text"])} <a href="{escape(relative)}">{escape(canonical)}</a></p>\n'
            f'</body>\n</html>\n')


def entities_of(catalog: Catalog, kind: Kind, lang: str) -> list[Entity]:
    """A kind's entities in brief order, or alphabetical in `lang` where the kind says so."""
    entities = catalog.by_kind[kind.name]
    if kind.display.alphabetical:
        return sorted(entities, key=lambda e: (str(e.text("title", lang)).casefold(), e.id))
    return entities


# ---------------------------------------------------------------------------------------------
# What the templates receive: data, grouped and ordered; never markup
# ---------------------------------------------------------------------------------------------


def _page_of(words: Json, number: int, count: int) -> str:
    return str(words["ui"]["page_of"]).replace("{number}", str(number)).replace("{count}", str(count))


def _coordinates(where: Json, lang: str) -> str:
    """45.4642, 9.19 -> "45,4642° N, 9,1900° E" in Italian, "45.4642° N, 9.1900° E" in English: four
    decimals, with the language's decimal sign (Babel's locale data)."""
    lat, lon = float(where["lat"]), float(where["lon"])

    def number(value: float) -> str:
        return format_decimal(abs(value), format="0.0000", locale=lang)

    return f"{number(lat)}° {'N' if lat >= 0 else 'S'}, {number(lon)}° {'E' if lon >= 0 else 'W'}"


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
    env.filters["code"] = code_text
    env.filters["href"] = href
    env.filters["url"] = safe_url
    env.filters["coordinates"] = lambda v: _coordinates(v, lang)
    env.filters["loc"] = lambda entity, name: entity.text(name, lang)
    env.filters["page_url"] = page_url
    env.filters["yaml_str"] = lambda v: Markup(json.dumps(" ".join(str(v).split()), ensure_ascii=False))  # front matter
    env.filters["index_url"] = lambda kind: f"{KIND_BY_NAME[kind].folder}/"
    env.filters["tag_uri"] = tag_uri
    # for the templates written as HTML (htmlpage.py)
    env.filters["text"] = html_text
    env.filters["https"] = lambda value: escape(str(safe_url(value)))
    env.filters["src"] = page_uri
    env.filters["statement_src"] = lambda statement: registry.entity_path(SOURCE.name, statement.slide)
    env.filters["field"] = jinja2.pass_context(lambda context, value: htmlpage.field(value, context["page_uri"], context["heading"]))
    env.filters["resolved"] = jinja2.pass_context(lambda context, link: htmlpage.resolved(str(link), context["page_uri"]))
    env.globals["link"] = jinja2.pass_context(
        lambda context, src, anchor=None: htmlpage.relative(htmlpage.address_of(src), context["here"]) + (f"#{anchor}" if anchor else ""))
    return env


def html_text(value: object) -> Markup:
    """Plain text in an element's content, written as Python-Markdown wrote it: its runs of white
    space one space, &, < and > escaped, quotes as they are. Never inside an attribute's value (the
    autoescape, which escapes quotes too, is for those; a test keeps it out of them)."""
    return Markup(htmlpage.text(" ".join(str(value).split())))


_MD_PUNCTUATION = frozenset(string.punctuation) - {"&", "<", ">"}
_MD_ESCAPES = str.maketrans({**{ch: "\\" + ch for ch in _MD_PUNCTUATION}, "&": "&amp;", "<": "&lt;", ">": "&gt;"})


def md_text(value: object) -> Markup:
    """Plain text safe in any Markdown inline context: HTML-escaped, Markdown syntax escaped.

    Relies on pymdownx.escapeall, which makes a backslash escape any character. Newlines become
    spaces so a value can never start a new block (a heading, a list, a fence).
    """
    return Markup(" ".join(str(value).split()).translate(_MD_ESCAPES))


def code_text(value: object) -> Markup:
    """Plain text shown as code (a field's name, a schema's example): `md_text` inside <code>, so
    that no character can close the element or become Markdown."""
    return Markup(f"<code>{md_text(value)}</code>")


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
    return address(entity.kind, entity.id)


def href(entity: Entity, root: str) -> str:
    return f"{root}{page_uri(entity)}"

