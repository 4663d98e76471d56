"""Pages written as HTML by their templates (atlante/htmlpage.py): the headings, links, tables of
contents and Markdown fields Python-Markdown and MkDocs made when the templates wrote Markdown."""

from __future__ import annotations

import re

import markdown
import pytest
from markdown.extensions.toc import TocExtension

from atlante import htmlpage
from atlante import pages as registry
from atlante.render import html_text

from helpers import ROOT

TEMPLATES = ROOT / "overrides" / "atlante"


def _as_markdown_makes(source: str) -> tuple[str, list[dict[str, object]]]:
    """What Python-Markdown makes of `source` with the site's extensions: its HTML and toc tokens."""
    md = markdown.Markdown(extensions=[*htmlpage.FIELD_EXTENSIONS, TocExtension(permalink=True)],
                           extension_configs=htmlpage.FIELD_CONFIGS)
    # the permalink as the built pages have it: the character (MkDocs' pages), not its entity
    return md.convert(source).replace("&para;", "¶"), md.toc_tokens  # type: ignore[attr-defined]


def test_headings_get_the_ids_and_table_of_contents_of_python_markdown() -> None:
    headings = htmlpage.Headings()
    page = "\n".join([
        headings(1, "Città & «borghi»"),
        '<p id="cite">x</p>',  # an id taken already: a heading that slugifies to it gets another
        headings(2, "Cite"),
        headings(2, "Scheda"),
        headings(3, "Scheda"),
        headings(2, "Affermazione 3.4", "citta-sedi"),  # an id of its own ({ #id })
    ])
    html, toc, anchors = headings.finish(page)
    expected, tokens = _as_markdown_makes("# Città &amp; «borghi»\n\nx\n{ #cite }\n\n## Cite\n\n## Scheda\n\n### Scheda\n\n"
                                          "## Affermazione 3.4 { #citta-sedi }\n")
    assert html == expected
    assert toc == tokens
    assert anchors == {"cite", "citta-borghi", "cite_1", "scheda", "scheda_1", "citta-sedi"}


def test_a_markdown_field_is_converted_sanitised_and_its_headings_are_the_pages() -> None:
    headings = htmlpage.Headings()
    body = ("## Origini\n\nVedi [Torino](torino.md#cite), [i temi](../themes/index.md) e "
            "[la fonte](https://example.org/a?b=1&c=2).\n\n<script>alert(1)</script>\n\n![x](../assets/x.png)")
    converted = htmlpage.field(body, "cities/milano.md", headings)
    html, toc, _ = headings.finish(str(converted))
    assert html.startswith('<h2 id="origini">Origini<a class="headerlink" href="#origini" title="Permanent link">¶</a></h2>')
    assert [t["id"] for t in toc] == ["origini"]
    assert 'href="../torino/#cite"' in html and 'href="../../themes/"' in html  # as MkDocs resolves them
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html and 'src="../../assets/x.png"' in html
    assert "<script" not in html


@pytest.mark.parametrize(("target", "here", "link"), [
    ("cities/torino/", "cities/milano/", "../torino/"),
    ("cities/", "cities/milano/", "../"),
    ("", "cities/milano/", "../../"),
    ("dati/cities.csv", "cities/", "../dati/cities.csv"),
    ("tag/", "tag/citta/", "../"),
    ("themes/page/2/", "themes/", "page/2/"),
    ("cities/milano/", "", "cities/milano/"),
    ("", "", "./"),
])
def test_a_link_is_relative_to_the_pages_address_as_mkdocs_writes_it(target: str, here: str, link: str) -> None:
    from mkdocs.utils import get_relative_url

    assert htmlpage.relative(target, here) == link == get_relative_url(target or "./", here or "./")


def test_a_markdown_link_resolves_from_the_source_file_to_the_pages_address() -> None:
    assert htmlpage.resolved("../dati.md", "cities/index.md") == "../dati/"
    assert htmlpage.resolved("../dati/cities.csv", "cities/index.md") == "../dati/cities.csv"
    assert htmlpage.resolved("milano.md#cite", "cities/torino.md") == "../milano/#cite"
    assert htmlpage.resolved("https://example.org/x.md", "cities/torino.md") == "https://example.org/x.md"
    assert htmlpage.resolved("#cite", "cities/torino.md") == "#cite"
    assert registry.address("cities/torino.md") == htmlpage.address_of("cities/torino.md")


def test_text_is_escaped_as_python_markdown_escapes_it() -> None:
    assert str(html_text('a & <b>\n  "c"')) == 'a &amp; &lt;b&gt; "c"'


def _text_in_attributes(template: str) -> list[str]:
    """The tags of a template that hold `|text` or `|field` (element content) inside them."""
    marked = re.sub(r"\{\{.*?\}\}", lambda m: "\x00T\x00" if re.search(r"\|\s*(text|field)\b", m[0]) else "\x00", template)
    return [tag for tag in re.findall(r"<[a-zA-Z][^<>]*>", marked) if "\x00T\x00" in tag]


def test_no_template_puts_element_text_into_an_attribute() -> None:
    """`text` leaves quotes as they are: inside an attribute's value, a quote from data would end it.
    Attributes take the autoescape, which escapes quotes."""
    found = {str(path.relative_to(ROOT)): _text_in_attributes(path.read_text(encoding="utf-8"))
             for path in sorted(TEMPLATES.rglob("*.html"))}
    assert not {path: tags for path, tags in found.items() if tags}


def test_the_check_above_can_fail() -> None:
    assert _text_in_attributes('<a title="{{ e|loc("title")|text }}" href="x">')
    assert _text_in_attributes("<p>{{ e|loc(\"title\")|text }}</p>") == []


def test_a_page_written_as_html_is_exported_as_markdown_headings_and_raw_html() -> None:
    """Another engine builds the export: its table of contents lists the page's headings (Markdown
    headings with their ids), everything else stays as written, its links absolute paths."""
    from atlante import export

    headings = htmlpage.Headings()
    page = "\n".join([headings(1, "Milano"), '<p><a href="../">Città</a> &amp; altro</p>', headings(2, "Scheda & co."),
                      "<ul>\n<li>uno</li>\n</ul>", headings(2, "Affermazione 3.4", "citta-sedi")])
    html, _, _ = headings.finish(page)
    markdown = export._html_as_markdown(html, "/atlante/cities/milano/")
    assert "Milano" not in markdown  # the title is the stub's (`# Milano`), written before it
    assert '<p><a href="/atlante/cities/">Città</a> &amp; altro</p>' in markdown
    assert "\n## Scheda &amp; co\\. { #scheda-co }\n" in markdown and "\n## Affermazione 3\\.4 { #citta-sedi }\n" in markdown
    assert "\n<ul>\n<li>uno</li>\n</ul>\n" in markdown
    converted, _ = _as_markdown_makes("# Milano\n" + markdown)
    assert '<h2 id="scheda-co">Scheda &amp; co.' in converted and '<a href="/atlante/cities/">Città</a>' in converted
