"""Allow-list sanitising of the HTML of generated pages, with nh3 (the Rust `ammonia` library).

Markdown fields may produce only the elements and attributes listed here; scripts, styles, event
handlers, forms and frames are removed. Addresses follow the one link policy of links.py, which the
validator applies to the Markdown source: links keep only https, mailto and relative addresses,
images only relative ones, so that no page loads anything from another host.
"""

from __future__ import annotations

import nh3

from . import links

TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "details": {"open"},
}
URL_SCHEMES = set(links.LINK_SCHEMES)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if (tag, attribute) in (("a", "href"), ("img", "src")) and not links.allowed(value, image=tag == "img"):
        return None  # dropped: a link nowhere, or an image from another host
    return value


def clean_html(html: str) -> str:
    """The same HTML with everything outside the allow-list removed."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel=None,
        strip_comments=True,
    )
