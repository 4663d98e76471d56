"""Step 4, render: the catalog as Markdown pages and a navigation, through Jinja templates.

Python builds data, the templates under overrides/atlante/ build text. Every value from data goes
through an escaping filter: `md` for plain text (title, summary, statements: never interpreted as
Markdown or HTML) and `markdown` for the fields that are Markdown by design (body), whose HTML is
then sanitised by `sanitize.clean_html`. Pages are returned in memory; nothing is written.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path as FsPath
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from .kinds import KIND_BY_NAME, KINDS, Kind
from .labels import CATEGORY_LABELS, LABELS
from .model import Catalog, Entity, Statement

# Markdown extensions the templates rely on; the MkDocs adapter checks the config has them.
REQUIRED_EXTENSIONS = ("attr_list", "pymdownx.escapeall", "admonition", "tables")

# A kind with more entities than this lists only its index page in the navigation: MkDocs
# renders the whole navigation into every page, so long flat sections make the build quadratic.
NAV_LIMIT = 40

HOME = "index.md"


@dataclass(frozen=True)
class Page:
    src_uri: str  # "cities/milano.md"
    markdown: str
    in_nav: bool = True  # False for the entities of a kind too large to list in the navigation


def page_uri(entity: Entity) -> str:
    return f"{KIND_BY_NAME[entity.kind].folder}/{entity.id}.md"


def index_uri(kind: Kind) -> str:
    return f"{kind.folder}/index.md"


def render(catalog: Catalog, templates: FsPath, *, title: str, lang: str = "it") -> list[Page]:
    """Every generated page: home, one index per kind, one page per entity, in a stable order."""
    env = _environment(templates)
    common = {"catalog": catalog, "kinds": KINDS, "kind_by_name": KIND_BY_NAME, "t": LABELS[lang],
              "categories": CATEGORY_LABELS[lang], "lang": lang, "site_title": title}
    pages = [Page(HOME, env.get_template("home.md").render(root="", home_steps=_home_steps(catalog, lang), **common))]
    for kind in KINDS:
        entities = catalog.by_kind[kind.name]
        pages.append(Page(index_uri(kind), env.get_template("kind_index.md").render(
            root="../", kind=kind, entities=entities, **common)))
        template = env.get_template("slide.md" if kind.name == "slide" else "entity.md")
        listed = len(entities) <= NAV_LIMIT
        for entity in entities:
            pages.append(Page(page_uri(entity), template.render(
                root="../", kind=kind, e=entity, groups=_link_groups(entity), **common), in_nav=listed))
    return pages


def navigation(catalog: Catalog, *, lang: str = "it", extra: list | None = None) -> list:
    """The nav as MkDocs wants it: titles only for sections (from code), pages by path."""
    nav: list = [{LABELS[lang]["home"]: HOME}]
    for kind in KINDS:
        entities = catalog.by_kind[kind.name]
        children = [index_uri(kind)]
        if len(entities) <= NAV_LIMIT:
            children += [page_uri(e) for e in entities]
        nav.append({kind.plural[lang]: children})
    return nav + list(extra or [])


# ---------------------------------------------------------------------------------------------
# Jinja environment and filters
# ---------------------------------------------------------------------------------------------


def _environment(templates: FsPath) -> jinja2.Environment:
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
    env.filters["coord"] = lambda v: f"{float(v):.4f}"
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


def href(entity: Entity, root: str) -> str:
    return f"{root}{page_uri(entity)}"


def statement_href(statement: Statement, root: str) -> str:
    return f"{root}slides/{statement.slide}.md#{statement.id}"


def _home_steps(catalog: Catalog, lang: str) -> list[dict[str, object]]:
    """The brief's argument in order: challenges, moves, platforms, circles, new circles, actions."""
    t, kinds, by = LABELS[lang], KIND_BY_NAME, catalog.by_kind
    circles = {period: [c for c in by["circle"] if c.data.get("period") == period] for period in ("storico", "nuovo")}
    return [
        {"title": t["step_challenges"], "intro": kinds["challenge"].intro[lang], "entities": by["challenge"]},
        {"title": t["step_moves"], "intro": kinds["move"].intro[lang], "entities": by["move"]},
        {"title": t["step_platforms"], "intro": kinds["platform"].intro[lang], "entities": by["platform"]},
        {"title": t["step_circles"], "intro": t["step_circles_intro"], "entities": circles["storico"] + by["city"]},
        {"title": t["step_new"], "intro": t["step_new_intro"], "entities": circles["nuovo"] + by["theme"]},
        {"title": t["step_actions"], "intro": kinds["action"].intro[lang], "entities": by["action"]},
    ]


def _link_groups(entity: Entity) -> list[tuple[str, list[Entity]]]:
    """Links grouped under their heading, outgoing first, in relation-table order."""
    groups: dict[tuple[bool, str, str], list[Entity]] = {}
    for link in entity.links:
        groups.setdefault((link.inverse, link.type, link.label), []).append(link.target)
    return [(label, targets) for (_, _, label), targets in groups.items()]
