"""Generated pages written as HTML by their templates: no Markdown to parse for what we write.

A spec whose template is `.html` (pages.SPECS) is rendered straight to the page's final HTML; the
engine is handed only its front matter and title (`stub`), and the adapter puts this HTML, its
table of contents and its anchors in place of what the engine made of the stub. The HTML is what
Python-Markdown made of the Markdown templates before (the same elements, headings with the same
ids, permalinks and table of contents, links with the same relative addresses), so the engine's
theme, its search and every test read the pages as they did.

- Headings (`Headings`): the templates call `heading(level, text)`; once the page is rendered, each
  gets the id Python-Markdown's `toc` extension would give it (slugified, made unique among every
  id of the page), and the page's table of contents is made from them.
- Links (`relative`): from the page's address to another page's, as MkDocs resolves a Markdown
  link to a source file.
- Markdown fields (`Fields`): a data field written in Markdown (an entity's body) is converted on
  its own, with the site's extensions, its relative links resolved as MkDocs would, then sanitised
  (sanitize.clean_html), since data never becomes markup unescaped. A text is converted once.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
import secrets
from typing import Any
from xml.etree import ElementTree as etree

import markdown
from markdown.extensions import toc as md_toc
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from .pages import address
from .sanitize import clean_html

Token = dict[str, Any]  # a heading of the table of contents: level, id, name, children (Python-Markdown's toc_tokens)

PERMALINK = '<a class="headerlink" href="#{id}" title="Permanent link">¶</a>'  # mkdocs.yml: toc, permalink: true
# The extensions of mkdocs.yml that a Markdown field may use (toc: the page's headings, see Headings).
FIELD_EXTENSIONS = ("admonition", "attr_list", "def_list", "tables", "pymdownx.escapeall")
FIELD_CONFIGS = {"pymdownx.escapeall": {"hardbreak": False, "nbsp": False}}

# Random per process, so that no data file can know it in advance (as render._FIGURE_PREFIX).
_MARK = f"atlante-heading-{secrets.token_hex(12)}"
_MARKED = re.compile(rf"{_MARK}-(\d+)(?=\")")
_ID = re.compile(r'\sid="([^"]*)"')
_FIELD_HEADING = re.compile(r"<h([1-6])((?: [a-z-]+=\"[^\"]*\")*)>(.*?)</h\1>", re.S)


def text(value: object) -> str:
    """Text as Python-Markdown writes it in an element: &, < and > escaped, quotes as they are."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Headings:
    """The `heading` of one page's render: each heading marked, then given its id by `finish`."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str, str | None]] = []  # level, inner HTML and own id, in the order written

    def __call__(self, level: int, words: object, id_: str | None = None, class_: str | None = None) -> Markup:
        """A heading of plain text (escaped), with its permalink; its id the one given (`{ #id }` in
        Markdown), or made by `finish`; its class the one given (`{ .class }`)."""
        return self.marked(level, text(" ".join(str(words).split())), f' class="{escape(class_)}"' if class_ else "", id_)

    def marked(self, level: int, inner: str, attributes: str = "", own: str | None = None) -> Markup:
        """A heading of `inner` HTML: its own id, or a mark that `finish` replaces with its id."""
        anchor = escape(own) if own is not None else f"{_MARK}-{len(self.found)}"
        self.found.append((level, inner, own))
        return Markup(f'<h{level}{attributes} id="{anchor}">{inner}{PERMALINK.format(id=anchor)}</h{level}>')

    def in_field(self, converted: str) -> str:
        """The headings of a converted Markdown field, marked like the template's own."""
        def mark(m: re.Match[str]) -> str:
            own = _ID.search(m[2])
            if own:  # an id of the field's own ({ #id }): kept, as Python-Markdown keeps it
                self.found.append((int(m[1]), m[3], own[1]))
                return f"<h{m[1]}{m[2]}>{m[3]}{PERMALINK.format(id=own[1])}</h{m[1]}>"
            return str(self.marked(int(m[1]), m[3], m[2]))

        return _FIELD_HEADING.sub(mark, converted)

    def finish(self, page: str) -> tuple[str, list[Token], frozenset[str]]:
        """The page with its headings' ids, its table of contents and every id it holds."""
        used = {found for found in _ID.findall(page) if not found.startswith(_MARK)}
        counters: dict[str, int] = {}
        ids: dict[int, str] = {}
        tokens: list[Any] = []  # Python-Markdown's flat toc tokens, then nested (md_toc.nest_toc_tokens)
        for number, (level, inner, own) in enumerate(self.found):
            name = md_toc.strip_tags(inner)
            if own is None:
                ids[number] = md_toc.unique(md_toc.slugify(html.unescape(name), "-"), used, counters)
            id_ = ids.get(number, own or "")
            tokens.append({"level": level, "id": id_, "name": name, "html": inner, "data-toc-label": ""})
        page = _MARKED.sub(lambda m: ids[int(m[1])], page)
        nested: list[Token] = md_toc.nest_toc_tokens(tokens)  # type: ignore[assignment]  # (a TypedDict of its own)
        return page, nested, frozenset(used | set(ids.values()))


def relative(target: str, here: str) -> str:
    """The address `target` (below the edition's root: "cities/torino/", "cities/torino.bib") as a
    link from the page at `here` ("cities/milano/"): "../torino/", as MkDocs writes a link (its
    utils.get_relative_url)."""
    dest = [p for p in target.split("/") if p]
    base = [p for p in here.split("/") if p]
    common = 0
    for a, b in zip(base, dest, strict=False):
        if a != b:
            break
        common += 1
    link = "/".join([".."] * (len(base) - common) + dest[common:]) or "."
    return link + "/" if target.endswith("/") or not target else link  # "": the home page, "./" to MkDocs


def address_of(src_uri: str) -> str:
    """Where MkDocs puts a source file with directory URLs: a page ("cities/milano.md") at its
    address (pages.address: "cities/milano/"), any other file where it is."""
    return address(src_uri) if src_uri.endswith(".md") else src_uri


def resolved(link: str, src_uri: str) -> str:
    """A link written as Markdown writes it, relative to the source file `src_uri` ("../dati.md",
    "milano.md#cite"), as MkDocs writes it in the page: relative to the page's address. An address
    with a scheme, an absolute path or a fragment alone is left as it is."""
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|/|#", link):
        return link
    path, hash_, anchor = link.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path)) if path else src_uri
    return relative(address_of(target), address_of(src_uri)) + hash_ + anchor


class _Links(Treeprocessor):
    """A Markdown field's relative links and images, from the source file's folder to the page's
    address, as MkDocs resolves them (the validator has refused any that names nothing)."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.src_uri = ""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            key = {"a": "href", "img": "src"}.get(str(element.tag))
            value = element.get(key) if key else None
            if key and value:
                element.set(key, resolved(value, self.src_uri))


class Fields:
    """Markdown fields converted to sanitised HTML, each text once per page it is on."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(extensions=list(FIELD_EXTENSIONS), extension_configs=FIELD_CONFIGS)
        self.links = _Links(self.md)
        self.md.treeprocessors.register(self.links, "atlante-links", 5)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 -- one converter per process (FIELDS): its cache lives as long
    def html(self, value: str, src_uri: str) -> str:
        self.links.src_uri = src_uri
        converted = self.md.reset().convert(value.strip())
        return clean_html(converted)


FIELDS = Fields()


def field(value: object, src_uri: str, headings: Headings) -> Markup:
    """A Markdown field of the page `src_uri`, as sanitised HTML whose headings are the page's."""
    return Markup(headings.in_field(FIELDS.html(str(value), src_uri)))


def stub(front_matter: str, title: str, md_text: Any) -> str:
    """What the engine is handed for a page written as HTML: its front matter and its title as a
    Markdown heading (the engine takes a page's title from it), with nothing else to convert."""
    return f"{front_matter}# {md_text(title)}\n"


def split_front_matter(rendered: str) -> tuple[str, str]:
    """A rendered template's front matter (with its `---` lines) and the HTML after it."""
    if not rendered.startswith("---\n"):
        return "", rendered
    end = rendered.index("\n---\n", 3) + len("\n---\n")
    return rendered[:end], rendered[end:]


__all__ = ["Fields", "Headings", "Token", "address_of", "escape", "field", "relative", "split_front_matter", "stub", "text"]
