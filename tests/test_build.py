"""End to end: `mkdocs build --strict` in a temporary folder, its HTML parsed as a reader gets it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from atlante import pipeline
from atlante.kinds import KIND_BY_NAME, KINDS, address
from atlante.model import Catalog

from helpers import (
    BIN,
    MILANO,
    ORPHAN_CONCEPT,
    REPO_URL,
    ROOT,
    SITE_URL,
    atlante,
    edit,
    env,
    first,
    frozen_project,
    make_project,
    mkdocs_build,
    one_tab,
    page_of,
    parsed,
    serving,
    shared,
    write,
)


def soup(site: Path, url_path: str) -> BeautifulSoup:
    return parsed(site / url_path.strip("/") / "index.html")


def content(site: Path, url_path: str) -> BeautifulSoup:
    article = soup(site, url_path).select_one("article.md-content__inner")
    assert article is not None
    return article


def heading(tag: BeautifulSoup) -> str:
    """A heading's text without its permalink sign."""
    return tag.get_text(strip=True).removesuffix("¶")


def hrefs(tag: BeautifulSoup) -> list[str]:
    return [a["href"] for a in tag.find_all("a", href=True)]


def linked(site: Path, url_path: str) -> set[str]:
    """The addresses (from the site's root, with a leading slash) the page's content links to."""
    return {urlsplit(urljoin(f"/{url_path}/", h)).path for h in hrefs(content(site, url_path))}


# A theme whose category is misspelt, its line known to the test
BROKEN_THEME = """
    id: rotto
    title: Rotto
    summary: Un tema la cui categoria ha un refuso.
    sources: [slide-3#citta-sedi]
    category: domini
    """


# ---------------------------------------------------------------------------------------------
# The real site
# ---------------------------------------------------------------------------------------------


def used_tags(catalog: Catalog) -> set[str]:
    return {tag for e in catalog.entities.values() for tag in e.data.get("tags") or []}


def test_every_entity_has_its_page_at_its_address(built_site: Path, catalog: Catalog) -> None:
    for entity in catalog.entities.values():
        assert (built_site / page_of(entity) / "index.html").is_file(), entity.ref
        assert (built_site / "en" / page_of(entity) / "index.html").is_file(), entity.ref
    italian = [p for p in built_site.rglob("index.html") if not p.is_relative_to(built_site / "en") and not is_redirect(p)]
    english = [p for p in (built_site / "en").rglob("index.html") if not is_redirect(p)]  # (/en/dati/ and the others)
    # home, concept map, whole brief, data, field reference, changelog, kind indexes, entities,
    # hand-written pages (about, accessibility), the tag index and the page of each tag in use
    assert len(italian) == len(english) == 1 + 1 + 4 + len(KINDS) + len(catalog.entities) + 2 + 1 + len(used_tags(catalog))


@pytest.mark.brief  # the addresses the brief's entities were published at: a rename keeps its old one (aliases)
def test_the_brief_entities_pages_stay_at_their_published_addresses(built_site: Path) -> None:
    expected = {
        "cities": ["milano", "torino", "verona", "bologna", "firenze", "roma"],
        "moves": ["crisi", "varieta-organizzativo-territoriale", "transizione", "centralita-delle-citta"],
        "actions": ["piani-strategici-delle-citta-maggiori", "investimenti-delle-imprese-maggiori",
                    "politiche-per-i-distretti-industriali", "politiche-di-sistema-nazionale",
                    "sfruttamento-di-eventi-globali"],
        "themes": ["smart-cities-e-patrimonio-culturale", "agri-food", "energia", "mobilita", "edilizia-verde",
                   "conservazione", "altre-applicazioni-possibili", "welfare-locale-e-terzo-settore",
                   "arte-e-scienza", "recupero-di-aree-di-crisi-ambientale", "slow-food", "domotica",
                   "edilizia-mediterranea", "turismo-sostenibile"],
        "slides": ["slide-2", "slide-3", "slide-4"],
    }
    for folder, ids in expected.items():
        for id_ in ids:
            assert (built_site / folder / id_ / "index.html").is_file(), f"/{folder}/{id_}/"


@pytest.mark.parametrize(("prefix", "title", "fields", "data"), [("", "Riferimento dei campi", "campi", "dati"),
                                                                 ("en/", "Field reference", "fields", "data")])
def test_the_field_reference_is_in_each_edition_and_its_nav_and_the_dati_page_links_its_fields(
        built_site: Path, catalog: Catalog, prefix: str, title: str, fields: str, data: str) -> None:
    page = soup(built_site, prefix + fields)
    assert heading(page.select_one("article h1")) == title
    nav = [(heading(a), a["href"]) for a in soup(built_site, prefix + page_of(first(catalog))).select("nav.md-nav--primary a")]
    assert (title, f"../../{fields}/") in nav
    labels = [label for label, _ in nav]
    assert labels.index(title) == labels.index("Dati" if not prefix else "Data") + 1  # beside the data it describes
    ids = {tag["id"] for tag in page.select("dt[id]")}
    assert {"city-region", "city-coordinates-lat", "slide-statements-corrections-original"} <= ids
    linked = [h for h in hrefs(content(built_site, prefix + data)) if f"{fields}/#" in h]
    assert f"../{fields}/#city-region" in linked and {h.split("#")[1] for h in linked} <= ids


def field_examples(site: Path, page: str, label: str) -> dict[str, str]:
    """Each field's example on a field reference, by the field's anchor."""
    found = {}
    for term in soup(site, page).select("dt[id]"):
        for paragraph in term.find_next_sibling("dd").find_all("p"):
            if paragraph.get_text().startswith(label + ":"):
                found[term["id"]] = paragraph.find("code").get_text()
    return found


def test_the_english_field_reference_shows_english_examples(built_site: Path) -> None:
    """Texts in the edition's language (from the schemas' `en:` blocks); ids, tags and values as the files hold them."""
    english, italian = field_examples(built_site, "en/fields", "Example"), field_examples(built_site, "campi", "Esempio")
    assert english["city-title"] == "Milan" and italian["city-title"] == "Milano"
    assert english["city-summary"].startswith("One of the major Italian cities") and italian["city-summary"].startswith("Una delle")
    assert (english["move-label"], english["slide-statements-label"]) == ("transition", "crisis")
    assert english["slide-heading"] == "On metropolitan/regional and national platforms – 1"
    assert english["slide-statements-text"] == "Can new or renewed magic circles be imagined?"
    assert "article «Milano»" in english["city-added"] and "voce «Milano»" in italian["city-added"]
    assert (english["city-id"], english["city-region"], english["city-tags"]) == ("milano", "Lombardia", '["citta", "made-in-italy"]')
    assert not [anchor for anchor, example in english.items() if "Una delle" in example or "A proposito" in example]
    assert italian["city-en-title"] == "Milan"  # the Italian page shows the translation's own example


@pytest.mark.brief  # Milano's page as the brief and its editors give it: its words, sources and links
def test_entity_page_shows_title_summary_statements_relations_and_tags(built_site: Path) -> None:
    page = content(built_site, "cities/milano")
    assert heading(page.h1) == "Milano"
    assert "sede privilegiata dell’alta tecnologia" in page.select_one(".atlante-summary").get_text()
    quotes = [q.get_text(" ", strip=True) for q in page.find_all("blockquote")]
    assert quotes[0].startswith("alcune delle maggiori città italiane (Milano, Torino, Verona, …, Bologna, …, Firenze, Roma)")
    assert "../../slides/slide-3/#citta-sedi" in hrefs(page)
    headings = [heading(h) for h in page.find_all(["h2", "h3"])]
    assert headings == ["Scheda", "Cosa dice il brief", "Aggiunte al brief", "Collegamenti", "Fa parte di", "Coinvolta in"]
    assert page.select_one("#cite > details > summary").get_text(strip=True) == "Cita questa pagina"  # by the title
    assert "../../circles/circoli-magici-del-made-in-italy/" in hrefs(page)
    assert "Lombardia (codice ISTAT 03) (aggiunto)" in page.get_text(" ", strip=True)
    assert "https://it.wikipedia.org/wiki/Milano" in hrefs(page)
    assert "https://www.wikidata.org/wiki/Q490" in hrefs(page)  # its Wikidata item, linked from the facts
    tags = [t.get_text(strip=True) for t in soup(built_site, "cities/milano").select(".md-tag")]
    assert tags == ["circoli magici", "città"]  # tags by name, not slug


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_every_tag_on_an_entity_page_links_its_tag_page(built_site: Path, catalog: Catalog, prefix: str) -> None:
    entity = first(catalog, where=lambda e: len(e.data.get("tags") or []) > 1)
    chips = soup(built_site, prefix + page_of(entity)).select("nav.md-tags a.md-tag")
    assert sorted(a["href"] for a in chips) == sorted(f"../../tag/{tag}/" for tag in entity.data["tags"])
    names = [a.get_text(strip=True) for a in chips]
    assert names == sorted(names, key=str.casefold)  # by their names in the edition's language, not by slug
    for chip in chips:
        page = built_site / prefix / page_of(entity) / chip["href"] / "index.html"
        assert page.resolve().is_file(), chip["href"]
        assert chip.get_text(strip=True) in heading(parsed(page).select_one("article h1"))  # "Tag: città"


def tagged(tag: str) -> set[str]:
    """The addresses of the entities whose data carries `tag`."""
    catalog = pipeline.run(ROOT).catalog
    assert catalog is not None
    return {address(e.kind, e.id) for e in catalog.entities.values() if tag in (e.data.get("tags") or [])}


@pytest.mark.parametrize(("prefix", "title", "anchor", "name"), [("", "Tag", "tag:città", "città"),
                                                                 ("en/", "Tags", "tag:cities", "cities")])
def test_the_tag_index_lists_each_tag_once_with_its_count_and_page(built_site: Path, catalog: Catalog, prefix: str,
                                                                    title: str, anchor: str, name: str) -> None:
    page = content(built_site, prefix + "tag")
    assert heading(page.h1) == title
    entries = page.select("li")
    names = [li.a.get_text(strip=True) for li in entries]
    assert len(names) == len(set(names)) == len(used_tags(catalog))
    for li in entries:
        target = built_site / prefix / "tag" / li.a["href"] / "index.html"
        assert target.resolve().is_file(), li.a["href"]
        count = int(re.search(r"— (\d+) ", li.get_text(" ", strip=True))[1])  # type: ignore[index]
        assert len(content(built_site, str(target.resolve().parent.relative_to(built_site))).select("li")) == count
    entry = page.find(id=anchor)  # the id Material's tags plugin gave the tag: cited anchors still land
    assert entry is not None and entry.get_text(strip=True) == name and entry["href"] == "citta/"


def test_a_tag_page_lists_the_entries_with_its_tag_by_title_and_kind(built_site: Path, catalog: Catalog) -> None:
    page = content(built_site, "tag/citta")
    assert heading(page.h1) == "Tag: città"
    links = [a["href"] for a in page.select("li a")]
    assert {urljoin("/tag/citta/", h).lstrip("/") for h in links} == tagged("citta")
    tagged_city = first(catalog, "city", lambda e: "citta" in (e.data.get("tags") or []))
    assert f"{tagged_city.data['title']} — Città" in [li.get_text(" ", strip=True) for li in page.select("li")]
    assert "../#tag:città" in hrefs(page)  # back to the tag on the index


def test_relations_link_both_ways(built_site: Path, catalog: Catalog) -> None:
    words = yaml.safe_load((ROOT / "overrides" / "atlante" / "i18n" / "it.yaml").read_text(encoding="utf-8"))
    # a relation between two kinds, and one within a kind (a hierarchy), where the data has one
    for same in (False, True):
        source = first(catalog, where=lambda e, same=same: any(not link.inverse and (link.target.kind == e.kind) == same
                                                              for link in e.links))
        link = next(link for link in source.links if not link.inverse and (link.target.kind == source.kind) == same)
        target = link.target
        assert "/" + address(target.kind, target.id) in linked(built_site, page_of(source))
        assert "/" + address(source.kind, source.id) in linked(built_site, page_of(target))
        assert words["relations"][link.type]["inverse"] in content(built_site, page_of(target)).get_text()  # "Comprende le città"


def test_slide_pages_give_every_statement_a_stable_anchor(built_site: Path, catalog: Catalog) -> None:
    for slide in (e for e in catalog.entities.values() if e.kind == "slide"):
        page = content(built_site, page_of(slide))
        anchors = [h["id"] for h in page.find_all("h2")]
        assert anchors == [st["id"] for st in slide.data["statements"]], slide.ref  # its statements' own ids
        assert page.find(id="cite") is not None  # the page's citation, by its title


@pytest.mark.brief  # slide 4 as the brief has it: a slip of the original corrected, a slide without a number
def test_a_slide_page_says_its_corrections_and_that_the_original_has_no_number(built_site: Path) -> None:
    slide4 = content(built_site, "slides/slide-4").get_text(" ", strip=True)
    assert "Correzione redazionale: «delle città maggiori»; il testo originale ha «della città maggiori»." in slide4
    assert "Nel documento originale questa slide non è numerata." in slide4


def test_home_page_follows_the_argument_of_the_brief(built_site: Path) -> None:
    page = content(built_site, "")
    steps = [heading(h) for h in page.find_all("h2")]
    assert steps == [
        "1. Le sfide", "2. La risposta, in blocchi etichettati", "3. Le piattaforme", "4. I circoli magici e le loro città",
        "5. Circoli nuovi e temi applicativi", "6. Le azioni più coordinate",
        "Il brief e la sua origine", "Questo sito", "Approfondire",
    ]
    english = [heading(h) for h in content(built_site, "en").find_all("h2")]
    assert english == [
        "1. The challenges", "2. The response, in labelled blocks", "3. The platforms", "4. The magic circles and their cities",
        "5. New circles and application themes", "6. Better-coordinated action",
        "The brief and where it comes from", "This site", "Read more",
    ]


def test_each_edition_speaks_its_language_and_nothing_loads_from_another_host(built_site: Path) -> None:
    for html_file in built_site.rglob("*.html"):
        doc = parsed(html_file)
        assert doc.html["lang"] == ("en" if html_file.is_relative_to(built_site / "en") else "it"), html_file
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src")):
            for el in doc.find_all(tag):
                value = el.get(attr)
                if value and (tag != "link" or {"stylesheet", "preload", "icon", "preconnect", "modulepreload"} & set(el.get("rel", []))):
                    assert not urlsplit(value).netloc, f"{html_file}: <{tag} {attr}={value}>"
    for edition, lang in (("", "it"), ("en/", "en")):
        search_config = (built_site / edition / "search" / "search_index.json").read_text(encoding="utf-8").replace(" ", "")
        assert f'"lang":["{lang}"]' in search_config
        assert '"pipeline":["stemmer","stopWordFilter","trimmer"]' in search_config


def test_every_internal_link_resolves_and_every_external_one_is_https(built_site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    for html_file in built_site.rglob("index.html"):
        page_url = "/" + html_file.parent.relative_to(built_site).as_posix() + "/"
        for href in hrefs(parsed(html_file)):
            parts = urlsplit(urljoin("http://site" + page_url.replace("//", "/"), href))
            if parts.netloc != "site":
                assert parts.scheme in ("https", "mailto") and (parts.netloc or parts.scheme == "mailto"), f"{page_url}: {href}"
                continue
            target = built_site / parts.path.lstrip("/")
            target = target / "index.html" if parts.path.endswith("/") else target
            assert target.is_file(), f"{page_url}: {href}"
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {el["id"] for el in parsed(target).find_all(id=True)}
                assert parts.fragment in ids[target], f"{page_url}: {href}"


# ---------------------------------------------------------------------------------------------
# Two editions: every page in both languages, linked to its counterpart
# ---------------------------------------------------------------------------------------------



# The site's own pages, whose address each edition gives in its language: Italian -> English
ENGLISH_PATHS = {"dati/": "data/", "campi/": "fields/", "informazioni/": "about/", "accessibilita/": "accessibility/"}


def is_redirect(page: Path) -> bool:
    return parsed(page).find("meta", attrs={"http-equiv": "refresh"}) is not None


def edition_pages(site: Path) -> dict[str, set[str]]:
    """Page addresses of each edition, relative to the edition's root (a redirect's page is none)."""
    def urls(base: Path, skip: Path | None = None) -> set[str]:
        return {("" if p.parent == base else p.parent.relative_to(base).as_posix() + "/")
                for p in base.rglob("index.html") if (skip is None or not p.is_relative_to(skip)) and not is_redirect(p)}
    return {"it": urls(site, site / "en"), "en": urls(site / "en")}


def test_every_page_has_its_counterpart_in_the_other_language(built_site: Path, catalog: Catalog) -> None:
    pages = edition_pages(built_site)
    assert {ENGLISH_PATHS.get(url, url) for url in pages["it"]} == pages["en"]
    assert {"", *(address(e.kind, e.id) for e in catalog.entities.values()), "informazioni/", "tag/", *ENGLISH_PATHS} <= pages["it"]
    assert set(ENGLISH_PATHS.values()) <= pages["en"] and not set(ENGLISH_PATHS) & pages["en"]


def test_every_page_links_its_counterparts_with_hreflang_and_the_switch(built_site: Path) -> None:
    for url in sorted(edition_pages(built_site)["it"]):
        english = ENGLISH_PATHS.get(url, url)
        for prefix, lang in (("", "it"), ("en/", "en")):
            here = prefix + (english if prefix else url)
            doc = soup(built_site, here)
            assert doc.html["lang"] == lang
            alternates = {link["hreflang"]: link["href"] for link in doc.select("head link[rel=alternate][hreflang]")}
            assert alternates == {"it": SITE_URL + url, "en": SITE_URL + "en/" + english, "x-default": SITE_URL + url}, here
            switch = {a["hreflang"]: urljoin(f"http://site/{here}", a["href"]) for a in doc.select(".md-select__link")}
            assert switch == {"it": f"http://site/{url}", "en": f"http://site/en/{english}"}, here
            canonical = doc.select_one("link[rel=canonical]")
            assert canonical is not None and canonical["href"] == SITE_URL + here


def test_the_english_editions_own_pages_have_english_paths_and_their_italian_ones_redirect(built_site: Path) -> None:
    """/en/data/, /en/fields/, /en/about/, /en/accessibility/; /en/dati/ and the others, where the pages were
    first published, send the reader on (in English, absolute canonical, not indexed, not in the sitemap nor
    the search); the Italian edition keeps its paths."""
    sitemap = (built_site / "en" / "sitemap.xml").read_text(encoding="utf-8")
    search = json.loads((built_site / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))
    searched = {doc["location"].split("#")[0] for doc in search["docs"]}
    for italian, english in ENGLISH_PATHS.items():
        assert soup(built_site, "en/" + english).html["lang"] == "en"
        assert not is_redirect(built_site / italian / "index.html")  # the original, where it always was
        old = parsed(built_site / "en" / italian / "index.html")
        assert old.html["lang"] == "en" and old.title.string == "Page moved"
        assert old.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url=../{english}"
        assert old.find("link", rel="canonical")["href"] == f"{SITE_URL}en/{english}"
        assert old.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert urljoin(f"http://site/en/{italian}", old.find("a")["href"]) == f"http://site/en/{english}"
        assert f"<loc>{SITE_URL}en/{english}</loc>" in sitemap and f"{SITE_URL}en/{italian}" not in sitemap
        assert english in searched and italian not in searched
    # every link of the English edition goes to the new paths, and the English Dataset names its Dati page
    for page in (built_site / "en").rglob("index.html"):
        if not is_redirect(page):
            base = f"http://site/{page.parent.relative_to(built_site).as_posix()}/"
            linked = {urljoin(base, h).split("#")[0] for h in hrefs(parsed(page))}
            assert not {f"http://site/en/{italian}" for italian in ENGLISH_PATHS} & linked, page
    graph = json.loads((built_site / "dati" / "atlante.jsonld").read_text(encoding="utf-8"))["@graph"]
    [dataset] = [node for node in graph if node["@type"] == "Dataset"]
    assert dataset["url"] == [SITE_URL + "dati/", SITE_URL + "en/data/"]


def test_the_language_switch_of_the_dati_page_leads_to_the_english_data_page_and_back(built_site: Path) -> None:
    italian = soup(built_site, "dati")
    [english_link] = italian.select(".md-select__link[hreflang=en]")
    assert urljoin("http://site/dati/", english_link["href"]) == "http://site/en/data/"
    english = soup(built_site, urlsplit(urljoin("http://site/dati/", english_link["href"])).path.strip("/"))
    assert heading(english.select_one("article h1")) == "Data"
    [back] = english.select(".md-select__link[hreflang=it]")
    assert urljoin("http://site/en/data/", back["href"]) == "http://site/dati/"


def test_every_english_page_says_it_is_a_translation_and_links_the_original(built_site: Path) -> None:
    for url in sorted(edition_pages(built_site)["it"]):
        english = ENGLISH_PATHS.get(url, url)
        notice = soup(built_site, "en/" + english).select_one("article .atlante-translation")
        assert notice is not None, english
        assert notice.get_text(" ", strip=True).startswith("This page is an English translation of the Italian original")
        link = notice.find("a")
        assert urljoin(f"http://site/en/{english}", link["href"]) == f"http://site/{url}" and link["hreflang"] == "it"
        assert soup(built_site, url).select_one(".atlante-translation") is None  # the original says nothing


@pytest.mark.brief  # Milano's English page: the brief's words about it, quoted in Italian beside their translation
def test_an_english_entity_page_quotes_the_brief_in_italian_beside_the_translation(built_site: Path) -> None:
    page = content(built_site, "en/cities/milano")
    assert heading(page.h1) == "Milan"
    assert [heading(h) for h in page.find_all(["h2", "h3"])] == [
        "Key facts", "What the brief says", "Additions to the brief", "Connections", "Is part of", "Involved in"]
    assert "Region: Lombardy (ISTAT code 03) (added)" in page.get_text(" ", strip=True)
    quote = page.find("blockquote")
    translation, original = quote.find_all("p")
    assert translation.get_text(strip=True).startswith("some of the major Italian cities (Milan")
    italian = original.find("span", lang="it")
    assert italian.get_text(strip=True).startswith("«alcune delle maggiori città italiane (Milano, Torino, Verona")
    assert "../../slides/slide-3/#citta-sedi" in hrefs(page)
    nav = soup(built_site, "en/cities/milano").select_one("nav.md-nav--primary").get_text(" ", strip=True)
    assert "Magic-circle cities" in nav and "Città dei circoli magici" not in nav


def test_statement_anchors_are_the_same_in_both_languages(built_site: Path, catalog: Catalog) -> None:
    for slide in (e for e in catalog.entities.values() if e.kind == "slide"):
        ids = [[h["id"] for h in content(built_site, prefix + page_of(slide)).find_all("h2")] for prefix in ("", "en/")]
        assert ids[0] == ids[1] and ids[0]


def test_the_english_interface_is_materials_english(built_site: Path, catalog: Catalog) -> None:
    doc = soup(built_site, "en/" + page_of(first(catalog)))
    assert doc.select_one("input.md-search__input")["placeholder"] == "Search"
    assert doc.select_one("label.md-nav__title[for=__toc]").get_text(" ", strip=True) == "Table of contents"
    assert soup(built_site, page_of(first(catalog))).select_one("input.md-search__input")["placeholder"] == "Cerca"


@pytest.mark.build
def test_an_edition_listed_without_its_config_fails_the_build_and_says_which(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "mkdocs.en.yml").unlink()
    edit(project, "mkdocs.yml", "  - mkdocs.en.yml\n", "")  # (watch: MkDocs itself refuses a missing path there)
    result = mkdocs_build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "mkdocs.yml: extra.alternate lists 'en', expected its config mkdocs.en.yml beside it, found none" in result.stderr
    assert not (project / "site").exists()  # refused before anything is built: not half a site


@pytest.mark.build
def test_an_edition_whose_build_fails_fails_the_whole_build_and_says_why(tmp_path: Path, catalog: Catalog) -> None:
    """Under `mkdocs build` the other editions build in processes of their own (atlante/build.py): a
    failure there is said here, once, located, and the build fails as MkDocs fails a build."""
    project = make_project(tmp_path)
    (project / "mkdocs.en.yml").write_text((project / "mkdocs.en.yml").read_text() + "use_directory_urls: false\n")
    result = mkdocs_build(project)
    said = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in said
    assert said.count("mkdocs.en.yml: use_directory_urls: expected true, found false") == 1, said
    assert said.count("Aborted with a BuildError!") == 1
    entity = first(catalog)
    assert (project / "site" / page_of(entity) / "index.html").is_file()  # the source edition was built
    assert not (project / "site" / "en" / KIND_BY_NAME[entity.kind].folder).exists()


@pytest.fixture(scope="module")
def warned(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """One strict build of the real project with six mistakes that are only warnings: in the data,
    an untranslated title and an entity nothing links to; in the Italian pages, a link to no page; in
    the English edition only, a misspelt key in its config, a link to no page and a page missing."""
    project = frozen_project(tmp_path_factory.mktemp("warned"))
    edit(project, MILANO, '  title: "Milan"\n', "")
    write(project, "data/concepts/innovazione.yaml", ORPHAN_CONCEPT)
    edit(project, "docs/informazioni.md", "(per esempio\n`/cities/milano/`)", "(per esempio\n[Milano](cities/milan.md))")
    edit(project, "docs/en/about.md", "(for example `/en/cities/milano/`)", "(for example [Milan](cities/milan-en.md))")
    (project / "docs/en/accessibility.md").unlink()
    edit(project, "mkdocs.en.yml", "  - Accessibility: accessibility.md\n", "")
    edit(project, "mkdocs.en.yml", "        accessibilita.md: accessibility.md\n", "")  # (the page's old path)
    edit(project, "mkdocs.en.yml", "edit_uri: edit/main/docs/en/\n", "edit_url: edit/main/docs/en/\n")
    return mkdocs_build(project)


@pytest.mark.build
def test_a_strict_build_reports_every_warning_of_both_editions_in_one_run(warned: subprocess.CompletedProcess[str]) -> None:
    """All at once (the editor fixes everything before the next run), each once, and one failure
    that counts them all."""
    assert warned.returncode == 1 and "Traceback" not in warned.stderr
    assert "/en/accessibility/: expected this page too (its counterpart exists in another edition), found none" in warned.stderr
    assert "Doc file 'about.md' contains a link 'cities/milan-en.md', but the target is not found" in warned.stderr
    assert "Config value 'edit_url': Unrecognised configuration name: edit_url" in warned.stderr
    warnings = [line for line in warned.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == len(set(warnings)) == 6, warnings  # the English edition repeats none of the others
    said = warned.stdout + warned.stderr  # (MkDocs prints its verdict on stdout)
    assert said.count("in strict mode!") == 1 and "Aborted with 6 warnings in strict mode!" in said


@pytest.mark.build
def test_an_untranslated_entity_fails_the_strict_build(warned: subprocess.CompletedProcess[str]) -> None:
    assert warned.returncode == 1
    assert re.search(r"WARNING +- +data/cities/milano.yaml:3:1: warning: city:milano: en.title: expected a translation of title in the 'en' block, found none \(untranslated\)", warned.stderr)


@pytest.mark.build
def test_a_broken_internal_link_fails_the_strict_build(warned: subprocess.CompletedProcess[str]) -> None:
    assert warned.returncode == 1
    assert "Doc file 'informazioni.md' contains a link 'cities/milan.md', but the target is not found" in warned.stderr


@pytest.mark.build
def test_an_orphan_entity_fails_the_strict_build_with_a_warning(warned: subprocess.CompletedProcess[str]) -> None:
    assert warned.returncode == 1
    assert re.search(r"WARNING +- +data/concepts/innovazione.yaml:1:1: warning: concept:innovazione: relations: expected a relation", warned.stderr)


# ---------------------------------------------------------------------------------------------
# Broken data, broken links
# ---------------------------------------------------------------------------------------------


@pytest.mark.build
def test_broken_data_aborts_with_located_messages_and_no_site(tmp_path: Path) -> None:
    project = frozen_project(tmp_path)
    edit(project, MILANO, "- circle:circoli-magici-del-made-in-italy", "- circle:circoli-magici")
    write(project, "data/themes/rotto.yaml", BROKEN_THEME)
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "data/cities/milano.yaml:16:7: city:milano: relations.parte_di[0]: expected a known circle" in result.stderr
    assert "data/themes/rotto.yaml:5:11: theme:rotto: category: expected one of 'tema', 'dominio', 'gruppo', 'applicazione', found 'domini' (did you mean 'dominio'?) (schema)" in result.stderr
    assert "2 errors in data/: nothing was built." in result.stderr
    assert not (project / "site").exists()


@pytest.mark.build
def test_broken_data_leaves_a_previous_site_untouched(tmp_path: Path, built_site: Path) -> None:
    project = make_project(tmp_path)
    shutil.copytree(built_site, project / "site")  # a previous build of the same project
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    write(project, "data/cities/napoli.yaml", "id: napoli\n")
    result = mkdocs_build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()} == before


# ---------------------------------------------------------------------------------------------
# atlante check
# ---------------------------------------------------------------------------------------------


@pytest.mark.brief  # the brief's own data is valid (the command's words on valid data, besides)
def test_atlante_check_passes_on_the_real_data(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    result = atlante(project, "check", "--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr == "0 errors, 0 warnings: data/ is valid\n"
    assert not (project / "site").exists()


def test_atlante_check_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    project = frozen_project(tmp_path)
    edit(project, MILANO, "id: milano", "id: milan")
    write(project, "data/themes/rotto.yaml", "id: rotto\ntitle: [\n")
    result = atlante(project, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "data/cities/milano.yaml:2:5: city:milano: id: expected 'milano' (the file name), found 'milan' (id-mismatch)",
        "data/themes/rotto.yaml:3:1: theme:rotto: (file): expected valid YAML, found a syntax error: expected the node content, but found '<stream end>' "
        "(while parsing a flow node that starts at line 3, column 1) (syntax)",
    ]
    assert result.stderr == "2 errors, 0 warnings in project/data\n"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("strict", "code"), [(False, 0), (True, 1)])
def test_atlante_check_strict_fails_on_warnings(tmp_path: Path, strict: bool, code: int) -> None:
    project = make_project(tmp_path)
    write(project, "data/concepts/innovazione.yaml", ORPHAN_CONCEPT)
    result = atlante(project, "check", *(["--strict"] if strict else []))
    assert result.returncode == code
    assert "warning: concept:innovazione" in result.stdout


# ---------------------------------------------------------------------------------------------
# Reproducibility
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two copies of the real project, each committed to git at the same date (Milano with an old
    id, `milan`, as after a rename), each built strict with no SOURCE_DATE_EPOCH: their site folders."""

    def build(folder: Path) -> None:
        for name in ("first", "second"):
            (folder / name).mkdir()
            project = frozen_project(folder / name)
            edit(project, MILANO, "id: milano\n", "id: milano\naliases: [milan]\n")
            git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
            subprocess.run(["git", "init", "-q"], cwd=project, check=True)
            subprocess.run([*git, "add", "-A"], cwd=project, check=True)
            commit_env = {**env(), "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z", "GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z"}
            subprocess.run([*git, "commit", "-qm", "x"], cwd=project, check=True, env=commit_env)
            build_env = {k: v for k, v in env().items() if k != "SOURCE_DATE_EPOCH"}  # the hook must date it
            result = subprocess.run([str(BIN / "mkdocs"), "build", "--strict"], cwd=project, env=build_env,
                                    capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, result.stderr

    folder = shared(tmp_path_factory, "committed", build)
    return [folder / name / "project" / "site" for name in ("first", "second")]


@pytest.mark.build
def test_two_builds_of_the_same_commit_are_byte_identical(committed: list[Path]) -> None:
    for site in committed:  # dated by the commit, not by the clock: a build tomorrow gives the same bytes
        assert "<lastmod>2026-01-02</lastmod>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    files = [sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) for site in committed]
    assert files[0] == files[1] and len(files[0]) > 100
    different = [rel for rel in files[0] if (committed[0] / rel).read_bytes() != (committed[1] / rel).read_bytes()]
    assert different == []


def test_every_page_has_its_own_meta_description(built_site: Path) -> None:
    for edition in (built_site, built_site / "en"):
        pages = [p for p in edition.rglob("index.html") if (edition == built_site / "en" or not p.is_relative_to(built_site / "en"))
                 and not is_redirect(p)]  # a redirect's page is none: it sends the reader on
        descriptions: dict[str, Path] = {}
        for path in pages:
            meta = parsed(path).find("meta", attrs={"name": "description"})
            assert meta is not None and len(meta["content"]) > 40, path
            assert meta["content"] not in descriptions, (path, descriptions.get(meta["content"]))
            descriptions[meta["content"]] = path


def test_the_fact_box_never_just_repeats_the_title(built_site: Path) -> None:
    checked = 0
    for path in built_site.rglob("index.html"):
        doc = parsed(path)
        box = doc.find("h2", id=re.compile(r"^(scheda|key-facts)$"))
        if box is None:
            continue
        title = re.findall(r"\w+", doc.select_one("article h1").get_text().casefold())
        facts = box.find_next_sibling("ul")
        assert facts is not None, path
        for item in facts.find_all("li"):
            value = item.get_text().split(":", 1)[1].replace("(aggiunto)", "").replace("(added)", "")
            assert re.findall(r"\w+", value.casefold()) != title, (path, item.get_text())
        checked += 1
    assert checked > 80


def test_no_page_repeats_an_id(built_site: Path) -> None:
    """Figures, headings and statements share one id space per page: a clash breaks anchors and labels."""
    for path in built_site.rglob("index.html"):
        ids = [el["id"] for el in parsed(path).find_all(id=True)]
        assert len(ids) == len(set(ids)), (path, sorted({i for i in ids if ids.count(i) > 1}))


@pytest.mark.parametrize("name", ["search.html", "nav-item.html", "source.html"])
def test_our_copies_of_material_partials_differ_only_where_they_say(name: str) -> None:
    """overrides/partials/ holds three of Material's templates with added aria names or, for the
    repository link, without the component that calls GitHub's API: when Material changes its own
    file, this fails, and the copy is redone."""
    import material

    theirs = (Path(material.__file__).parent / "templates" / "partials" / name).read_text(encoding="utf-8")
    ours = (ROOT / "overrides" / "partials" / name).read_text(encoding="utf-8")
    strip = lambda text: re.sub(r'\s(?:aria-label(?:ledby)?|role|data-md-component)="[^"]*"', "", re.sub(r"\{#-.*?-#\}\n", "", text, flags=re.S))  # noqa: E731
    assert strip(ours) == strip(theirs)


@pytest.mark.build
def test_a_renamed_entitys_old_address_redirects_in_both_languages(committed: list[Path]) -> None:
    site = committed[0]  # Milano, once `milan`
    for prefix, lang, title in (("", "it", "Pagina spostata"), ("en/", "en", "Page moved")):
        old = parsed(site / prefix / "cities/milan/index.html")
        assert old.html["lang"] == lang and old.title.string == title
        assert old.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=../milano/"
        # one address for the page, absolute, as every page's canonical link gives it; the old one not indexed
        assert old.find("link", rel="canonical")["href"] == f"{SITE_URL}{prefix}cities/milano/"
        assert old.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert 'location.hash' in old.find("script").get_text()  # a statement anchor survives the redirect
        assert old.find("a")["href"] == "../milano/"
        assert (site / prefix / "cities/milano/index.html").is_file()
        # a saved download link keeps working: the citation files and figures under the old id too
        for ext in (".bib", ".ris", ".graph.svg", ".graph.png"):
            assert (site / prefix / f"cities/milan{ext}").read_bytes() == (site / prefix / f"cities/milano{ext}").read_bytes()
        # the sitemap lists each page at its one address
        sitemap = (site / prefix / "sitemap.xml").read_text(encoding="utf-8") if (site / prefix / "sitemap.xml").exists() else ""
        assert "cities/milan/" not in sitemap
    assert "cities/milano/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    # the old id's JSON still answers, with the entity under its new id
    assert json.loads((site / "cities/milan.json").read_text(encoding="utf-8"))["id"] == "milano"


@pytest.mark.build
def test_a_browser_at_an_old_address_lands_on_the_new_page_and_its_statement(committed: list[Path], browser: Browser) -> None:
    with serving(committed[0]) as url, one_tab(browser) as tab:
        for prefix in ("", "en/"):
            tab.goto(f"{url}/{prefix}cities/milan/#cite", wait_until="load")
            tab.wait_for_url(f"{url}/{prefix}cities/milano/#cite")
            assert tab.locator("article h1").inner_text().rstrip("¶") == ("Milan" if prefix else "Milano")


def test_each_entity_page_links_to_its_data_file_for_editing(built_site: Path, catalog: Catalog) -> None:
    """"Modifica questa pagina" opens the entity's YAML file in the repository, in both editions; a
    generated page of no entity (an index, the home page) has no edit link."""
    for prefix in ("", "en/"):
        for entity in catalog.entities.values():
            page = parsed(built_site / prefix / page_of(entity) / "index.html")
            assert page.find("a", rel="edit")["href"] == f"{REPO_URL}/edit/main/{entity.file}"
        about = built_site / prefix / ("about" if prefix else "informazioni") / "index.html"
        assert parsed(about).find("a", rel="edit")["href"].endswith(f"/edit/main/docs/{prefix}{about.parent.name}.md")
        for generated in ("index.html", "cities/index.html", "brief/index.html"):
            assert parsed(built_site / prefix / generated).find("a", rel="edit") is None
        assert 'data-md-component="source"' not in (built_site / prefix / "index.html").read_text(encoding="utf-8")
