"""The whole brief as PDF (atlante/pdf.py): made from the real data in both editions as the renderer
would make it, and read back with pypdf; the same bytes twice; hostile text shown as text, with nothing
fetched but the fonts; a clear error where WeasyPrint or Pango is missing.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from atlante import pages as registry
from atlante import pdf, pipeline, render
from atlante.meta import Publication
from atlante.model import Entity, Statement

from helpers import ROOT, for_tests

TEMPLATES = ROOT / "overrides" / "atlante"
A4 = (595.28, 841.89)  # points
HOSTILE = ("</style><script>alert(1)</script>", "<img src=http://example.org/x>", "@import url(http://example.org/a.css);")


def environment(lang: str):
    """The renderer's environment with the filters render.render adds that the template uses."""
    env = render._environment(TEMPLATES, lang)
    env.filters["long_date"] = lambda day: render._long_date(day, lang)
    return env


def words(run: pipeline.Result, lang: str) -> dict:
    return run.translations[lang].words


def context(run: pipeline.Result, lang: str, publication: Publication | None = None) -> dict:
    """What the /brief/ page is rendered with, as render.render gives it."""
    assert run.catalog is not None
    return {"t": words(run, lang), "lang": lang, "source_lang": "it", "publication": publication or for_tests(),
            "steps": registry._home_steps(run.catalog, lang), "brief_slides": run.catalog.by_kind["slide"],
            "limit": render.STEP_LIMIT}


@contextlib.contextmanager
def fetching() -> Iterator[list[str]]:
    """Every URL WeasyPrint asks the PDF's fetcher for, while the block runs."""
    urls: list[str] = []
    real = pdf.font_file

    def spy(url: str) -> Path:
        urls.append(url)
        return real(url)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "font_file", spy)
        yield urls


FONT_URLS = {(pdf._font_folder() / name).as_uri() for name in pdf.FONTS}


@pytest.fixture(scope="module")
def made(real_run: dict[str, pipeline.Result]) -> dict[str, tuple[bytes, list[str]]]:
    """Each edition's PDF of the real brief, with the URLs the fetcher was asked for."""
    results = {}
    for lang in ("it", "en"):
        with fetching() as urls:
            results[lang] = (pdf.whole_brief(environment(lang), context(real_run[lang], lang)), urls)
    return results


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def squeezed(text: str) -> str:
    """Text without any whitespace: a line may break anywhere, after a hyphen or a slash too."""
    return re.sub(r"\s+", "", text)


def heading(word: str, number: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.]){re.escape(word)} {re.escape(number)}(?![\d.])")


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_title_page_names_the_brief_the_edition_the_address_and_the_licence(
        made: dict, real_run: dict[str, pipeline.Result], lang: str) -> None:
    t, publication = words(real_run[lang], lang), for_tests()
    first = " ".join(pages(made[lang][0])[0].split())
    for said in (t["brief_title"], t["whole"]["title"], publication.site_name, publication.edition,
                 publication.url("brief/", lang), publication.publisher_in(lang), publication.licence.name, publication.licence.url):
        assert squeezed(str(said)) in squeezed(first), said
    assert ("25 novembre 2026" if lang == "it" else "November 25, 2026") in first


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_statement_is_quoted_once_under_its_number(made: dict, real_run: dict[str, pipeline.Result], lang: str) -> None:
    text = pages(made[lang][0])
    whole = " ".join(" ".join(text).split())
    word = words(real_run[lang], lang)["ui"]["statement"]
    catalog = real_run[lang].catalog
    assert catalog is not None and catalog.statements
    for st in catalog.statements.values():
        assert len(heading(word, st.number).findall(whole)) == 1, st.number
        assert squeezed(st.text_in(lang)) in squeezed(whole), st.ref
        if lang != "it":  # the translation, then the brief's own words
            assert st.translated(lang) and st.text_in(lang) != st.text, st.ref
            original = squeezed(f"«{st.text}»")
            assert original in squeezed(whole), st.ref
            assert squeezed(st.text_in(lang)) in squeezed(whole).split(original)[0], st.ref


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_argument_comes_before_the_slides_and_each_slide_starts_a_page(
        made: dict, real_run: dict[str, pipeline.Result], lang: str) -> None:
    text = pages(made[lang][0])
    t, catalog = words(real_run[lang], lang), real_run[lang].catalog
    assert catalog is not None
    assert squeezed(text[1]).startswith(squeezed(t["whole"]["argument"] + t["home"]["thesis"]))
    starts = [n for slide in catalog.by_kind["slide"] for n, page in enumerate(text)
              if squeezed(page).startswith(squeezed(str(slide.text("title", lang))))]
    assert len(starts) == len(catalog.by_kind["slide"]) and starts == sorted(starts) and starts[0] == 2


@pytest.mark.parametrize("lang", ["it", "en"])
def test_pages_are_a4_with_a_footer_and_no_heading_left_at_the_bottom(made: dict, real_run: dict[str, pipeline.Result],
                                                                      lang: str) -> None:
    reader = PdfReader(io.BytesIO(made[lang][0]))
    count = len(reader.pages)
    assert 4 <= count <= 40
    word = words(real_run[lang], lang)["ui"]["statement"]
    for n, page in enumerate(reader.pages, 1):
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4
        *body, footer = [line for line in page.extract_text().splitlines() if line.strip()]
        assert " ".join(footer.split()) == f"{for_tests().site_name} {n} / {count} {for_tests().url('brief/', lang)}"
        assert not re.fullmatch(rf"{word} \d+\.\d+( \(.*\))?", body[-1].strip()), f"page {n} ends with {body[-1]!r}"


@pytest.mark.parametrize("lang", ["it", "en"])
def test_only_the_projects_fonts_are_loaded_and_embedded(made: dict, lang: str) -> None:
    data, urls = made[lang]
    assert urls and set(urls) <= FONT_URLS, urls
    fonts = {str(font.get_object()["/BaseFont"]) for page in PdfReader(io.BytesIO(data)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts and all(re.fullmatch(r"/[A-Z]{6}\+Atlante-Sans(-Bold|-Italic|-Bold-Italic)?", f) for f in fonts), fonts


def test_the_same_input_gives_the_same_bytes(made: dict, real_run: dict[str, pipeline.Result],
                                             caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        again = pdf.whole_brief(environment("en"), context(real_run["en"], "en"))
    assert again == made["en"][0]
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []  # nothing refused or unknown
    info = PdfReader(io.BytesIO(again)).metadata
    assert info is not None and info["/CreationDate"] == info["/ModDate"] == "D:20261125"  # the edition's day, not the clock's


def test_hostile_text_is_printed_as_text_and_nothing_is_fetched(real_run: dict[str, pipeline.Result]) -> None:
    bad = " ".join(HOSTILE)
    cities = [Entity("city", f"city-{n}", "data/cities/x.yaml", {"title": f"entry{n:02d} {bad}", "en": {"title": f"entry{n:02d} {bad}"}})
              for n in range(60)]
    statement = Statement("slide-9", "bad", "9.1", bad, label=bad, represented_by=cities,
                          translations={"en": {"text": f"EN {bad}", "label": f"EN {bad}"}})
    slide = Entity("slide", "slide-9", "data/slides/slide-9.yaml", {"title": bad, "heading": bad, "en": {"title": bad}},
                   statements=[statement])
    publication = replace(for_tests(), site_name=bad, publisher=bad)
    for lang in ("it", "en"):
        shown = {**context(real_run[lang], lang, publication), "brief_slides": [slide], "limit": 3}
        html = environment(lang).get_template(pdf.TEMPLATE).render(shown)
        soup = BeautifulSoup(html, "lxml")
        assert not soup.find_all(["script", "img", "style", "link", "object", "iframe"])
        with fetching() as urls:
            text = " ".join(" ".join(pages(pdf.whole_brief(environment(lang), shown))).split())
        assert urls and set(urls) <= FONT_URLS, urls
        for hostile in map(squeezed, HOSTILE):  # site, publisher, slide title, heading, label, text, entries
            assert squeezed(text).count(hostile) >= 9, (lang, hostile)
        assert "entry02" in text and "entry03" not in text  # `limit` entries named, the rest counted
        more = words(real_run[lang], lang)["ui"]["more_entries"].replace("{count}", str(len(cities) - 3))  # past the limit
        assert more in text


def test_a_url_other_than_the_fonts_is_refused() -> None:
    with pytest.raises(ValueError, match="refused: http://example.org/a.css"):
        pdf.font_file("http://example.org/a.css")
    with pytest.raises(ValueError):
        pdf.font_file((pdf._font_folder() / "LICENSE.txt").as_uri())


@pytest.mark.parametrize(("error", "fix"), [(ImportError("No module named 'weasyprint'"), "pip install"),
                                            (OSError("cannot load library 'libpango-1.0-0'"), "apt-get install libpango")])
def test_without_weasyprint_or_pango_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch, error: Exception,
                                                                     fix: str, real_run: dict[str, pipeline.Result]) -> None:
    real_import = builtins.__import__

    def failing(name: str, *args: object, **kwargs: object):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise error
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing)
    with pytest.raises(pdf.PdfUnavailable) as raised:
        pdf.whole_brief(environment("it"), context(real_run["it"], "it"))
    assert fix in str(raised.value) and "\n" not in str(raised.value)


def test_the_core_imports_without_weasyprint() -> None:
    code = "import sys, atlante.pdf, atlante.render; assert 'weasyprint' not in sys.modules, 'imported at once'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_whole_brief_page_links_its_pdf_in_both_editions(built_site: Path) -> None:
    from helpers import parsed

    for prefix, name in (("", "brief-circoli-magici.pdf"), ("en/", "brief-magic-circles.pdf")):
        link = parsed(built_site / prefix / "brief/index.html").find("a", string=name)
        assert link is not None, prefix
        target = (built_site / prefix / "brief" / link["href"]).resolve()
        assert target == (built_site / prefix / "brief.pdf").resolve()
        reader = PdfReader(io.BytesIO(target.read_bytes()))
        assert 4 <= len(reader.pages) <= 40
        assert squeezed(parsed(built_site / prefix / "brief/index.html").h1.get_text().rstrip("¶")) in squeezed(reader.pages[0].extract_text())


def test_a_pdf_is_made_again_only_when_its_document_changes(real_run: dict[str, pipeline.Result], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept between builds (atlante/cache.py) under the digest of its document: the same document is
    taken from the folder without WeasyPrint; another one (a new edition, here) is printed."""
    first = pdf.whole_brief(environment("it"), context(real_run["it"], "it"), tmp_path)
    printed: list[str] = []
    real = pdf._printed
    monkeypatch.setattr(pdf, "_printed", lambda html, css: printed.append(html) or real(html, css))
    assert pdf.whole_brief(environment("it"), context(real_run["it"], "it"), tmp_path) == first
    assert printed == []
    newer = pdf.whole_brief(environment("it"), context(real_run["it"], "it", for_tests(edition="9.9.9")), tmp_path)
    assert len(printed) == 1 and newer != first
