"""The whole brief as one PDF per edition, made at build time by WeasyPrint, without a browser.

What the /brief/ page shows of the brief (its argument, then each slide with each statement quoted
once and the entries that draw on it) goes through one Jinja template, print/brief.html, whose every
value is escaped, and its stylesheet, print/brief.css (A4, a new page for each slide, a running
footer with the site, "n / N" and the address); WeasyPrint lays the document out and writes the PDF.
There is no index of the entries: the PDF keeps its length whatever their number.

Nothing is fetched. The stylesheet's only resources are the Source Sans Pro files installed with the
project (font-source-sans-pro, SIL OFL 1.1), and the URL fetcher refuses every other address, so the
PDF depends neither on the network nor on the machine's fonts. The same input gives the same bytes:
the document's dates are the edition's (none without one) and its identifier is a digest of its content.

WeasyPrint is imported when a PDF is made, not with this module, so that the core imports fast; a
machine without it, or without its system library Pango, gets PdfUnavailable, saying what to install.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path as FsPath
from types import ModuleType
from typing import TYPE_CHECKING

from . import cache
from .model import Json

if TYPE_CHECKING:
    import jinja2

TEMPLATE = "print/brief.html"  # below overrides/atlante/, as the renderer's other templates
STYLESHEET = "print/brief.css"  # read as is (not a template): its relative URLs name the font files
# What the template reads of the /brief/ page's context. Its environment must have the renderer's
# filters `loc`, `page_url` and `index_url` (render._environment) and `long_date` (render.render).
CONTEXT = ("t", "lang", "source_lang", "publication", "steps", "brief_slides", "limit")
FONTS = ("SourceSansPro-Regular.ttf", "SourceSansPro-Bold.ttf", "SourceSansPro-It.ttf", "SourceSansPro-BoldIt.ttf")


class PdfUnavailable(Exception):
    """WeasyPrint or its system library (Pango) is missing; str() says what to install."""


def whole_brief(env: jinja2.Environment, context: Json, kept: FsPath | None = None) -> bytes:
    """The whole brief in the language of `context` as PDF bytes: `context` holds what the /brief/
    page is rendered with (see CONTEXT), `env` is the renderer's Jinja environment. A PDF is kept in
    the folder `kept` (cache.py) under the digest of its document, its stylesheet, WeasyPrint's version
    and the fonts: a build whose document did not change takes it from there, without WeasyPrint."""
    return whole_brief_later(env, context, kept)()


def whole_brief_later(env: jinja2.Environment, context: Json, kept: FsPath | None = None) -> cache.Later:
    """whole_brief, printed when it is first asked for (cache.Later): the document is made now, the
    PDF then."""
    html = env.get_template(TEMPLATE).render({key: context[key] for key in CONTEXT})
    assert env.loader is not None
    css = env.loader.get_source(env, STYLESHEET)[0]
    return cache.Later(kept, cache.key("pdf", _engine(), html, css) + ".pdf", lambda: _printed(html, css), linked=True)


@functools.cache
def missing() -> str | None:
    """Why no PDF can be made here, found without importing WeasyPrint (which takes most of a second),
    or None: WeasyPrint is installed and the system has Pango."""
    import ctypes.util
    import importlib.util

    if importlib.util.find_spec("weasyprint") is None:
        return _NOT_INSTALLED
    if not all(ctypes.util.find_library(name) for name in ("pango-1.0", "pangoft2-1.0")):
        return _NO_PANGO
    return None


def _printed(html: str, css: str) -> bytes:
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FontsOnly(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types: its class is Any
        """Hands WeasyPrint the font files; any other address is refused (WeasyPrint logs it and goes on)."""

        def fetch(self, url: str, headers: Json | None = None) -> URLFetcherResponse:
            return URLFetcherResponse(url, font_file(url).read_bytes(), {"Content-Type": "font/ttf"})

    fetcher = FontsOnly()
    fonts = FontConfiguration()
    stylesheet = weasyprint.CSS(string=css, base_url=_font_folder().as_uri() + "/", url_fetcher=fetcher, font_config=fonts)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    # pdf_identifier=True: the file's identifier is a digest of its objects, not a random one
    return bytes(document.write_pdf(stylesheets=[stylesheet], font_config=fonts, pdf_identifier=True))


def font_file(url: str) -> FsPath:
    """The font file at `url`, one of FONTS; ValueError for any other address."""
    path = _font_urls().get(url)
    if path is None:
        raise ValueError(f"the whole brief's PDF loads nothing but its fonts ({', '.join(FONTS)}), refused: {url}")
    return path


# ---------------------------------------------------------------------------------------------
# WeasyPrint and the fonts, found when the first PDF is made
# ---------------------------------------------------------------------------------------------


def _weasyprint() -> ModuleType:
    try:
        import weasyprint
    except ImportError as exc:
        raise PdfUnavailable(f"{_NOT_INSTALLED} ({exc})") from exc
    except OSError as exc:  # cffi could not open Pango (or the libraries it loads)
        raise PdfUnavailable(f"{_NO_PANGO} ({exc})") from exc
    module: ModuleType = weasyprint  # (untyped: the module as such)
    return module


_NOT_INSTALLED = "the whole brief's PDF needs WeasyPrint, which is not installed: pip install -c constraints.txt weasyprint"
_NO_PANGO = "the whole brief's PDF needs WeasyPrint's system library Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0"


@functools.cache
def _engine() -> str:
    """What else decides the bytes: WeasyPrint's version (read without importing it) and the fonts'."""
    from importlib import metadata

    try:
        version = metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        version = "none"
    fonts = hashlib.blake2b(b"".join((_font_folder() / name).read_bytes() for name in FONTS), digest_size=8).hexdigest()
    return f"weasyprint {version}, fonts {fonts}"


@functools.cache
def _font_folder() -> FsPath:
    import font_source_sans_pro

    return FsPath(font_source_sans_pro.font_directory).resolve()


@functools.cache
def _font_urls() -> dict[str, FsPath]:
    """Each font file by its file: URL, as WeasyPrint asks for it."""
    return {(_font_folder() / name).as_uri(): _font_folder() / name for name in FONTS}
