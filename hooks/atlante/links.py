"""One link policy for the Markdown fields: which addresses links and images may have.

Links may go to https: and mailto: addresses and to relative ones (pages of this site); images
only to relative ones, so that no page loads anything from another host. The validator applies
the policy to the Markdown source, the sanitiser to the HTML it becomes: the rules `link` and
`image-source` report what `sanitize.clean_html` would drop.

The validator finds the addresses with markdown-it-py, a CommonMark parser that keeps the line of
every block: inline links and images, autolinks, reference definitions (checked with the policy of
what uses them) and the `href` of `<a>` and `src` of `<img>` in raw HTML, read with html.parser.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .model import Json

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

LINK_SCHEMES = frozenset({"https", "mailto"})  # and relative addresses
IMAGE_SCHEMES: frozenset[str] = frozenset()  # relative addresses only


def allowed(address: str, *, image: bool = False) -> bool:
    """Whether a link (or, with `image`, an image) may have this address."""
    try:
        parts = urlsplit(address.strip())  # as browsers do, ignoring tabs and newlines inside
    except ValueError:  # e.g. an unclosed IPv6 bracket: no browser would follow it either
        return False
    if not parts.scheme and not parts.netloc:
        return True
    return parts.scheme.lower() in (IMAGE_SCHEMES if image else LINK_SCHEMES) and bool(parts.netloc or parts.scheme == "mailto")


# ---------------------------------------------------------------------------------------------
# The addresses of a Markdown text, with their lines
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    address: str  # as written (character references in raw HTML decoded)
    image: bool  # an image's source, else a link's target
    line: int  # 0-based line of the text where it is written
    html: bool = False  # written in raw HTML: the browser resolves it against the page's address, not MkDocs


@functools.lru_cache(maxsize=8192)  # the rules `link` and `image-source` ask for each text in turn
def addresses(markdown: str) -> tuple[Address, ...]:
    """Every link and image address of `markdown`, in order, each where it is written."""
    if "[" not in markdown and "<" not in markdown:
        return ()  # links, images and definitions start with '[' or '![', autolinks and HTML with '<'
    env: Json = {}
    tokens = _parser().parse(markdown, env)
    images = {t.attrGet("src") for t in _inline(tokens) if t.type == "image" and t.meta.get("reference")}
    found: list[Address] = []
    for block in tokens:
        first = block.map[0] if block.map else 0
        if block.type == "definition":  # [label]: address, checked as what uses it
            url = block.meta["url"]
            found.append(Address(url, url in images, first))
        elif block.type == "html_block":
            found += (Address(a, i, first + n, html=True) for a, i, n in _html_addresses(block.content))
        elif block.type == "inline":
            found += _inline_addresses(block.children or [], first)
    return tuple(found)


def _inline_addresses(children: list[Token], first: int) -> Iterator[Address]:
    line = first
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.meta.get("reference"):
            continue  # its address is written, and checked, at its definition
        elif child.type == "link_open":
            yield Address(str(child.attrGet("href")), False, line)
        elif child.type == "image":
            yield Address(str(child.attrGet("src")), True, line)
        elif child.type == "html_inline":
            yield from (Address(a, i, line + n, html=True) for a, i, n in _html_addresses(child.content))
            line += child.content.count("\n")


def _inline(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield from token.children or []


class _HtmlAddresses(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, bool, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "img": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value is not None:
                self.found.append((value, tag == "img", self.getpos()[0] - 1))

    handle_startendtag = handle_starttag


def _html_addresses(html: str) -> list[tuple[str, bool, int]]:
    """(address, is an image, 0-based line) of each `<a href>` and `<img src>` of raw HTML."""
    parser = _HtmlAddresses()
    parser.feed(html)
    parser.close()
    return parser.found


def _marking_references(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """markdown-it's link or image rule, marking the token it makes when the address comes from a
    reference definition ([text][label], [label]) rather than from the brackets that follow it."""

    def marked(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        made = next((t for t in state.tokens[count:] if t.type in ("link_open", "image")), None)  # after pending text
        if made is not None:
            made.meta["reference"] = not state.src[start:state.pos].endswith(")")
        return True

    return marked


@functools.cache
def _parser() -> MarkdownIt:
    """Made (and markdown-it imported) when a text first has a link: `atlante check` may need none."""
    from markdown_it import MarkdownIt, rules_inline

    md = MarkdownIt("commonmark", {"inline_definitions": True})
    # see every address (the policy is ours, not markdown-it's), reported as written; markdown-it-py's
    # way of changing them is to replace the instance's methods, which mypy refuses for any method
    md.validateLink, md.normalizeLink = (lambda url: True), (lambda url: url)  # type: ignore[method-assign]
    md.inline.ruler.at("link", _marking_references(rules_inline.link))
    md.inline.ruler.at("image", _marking_references(rules_inline.image))
    return md

