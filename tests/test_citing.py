"""Citing: references in six formats for a page and a statement, page metadata, dates and editions,
CITATION.cff, downloads, the whole brief on one page, print; the copy buttons in Chromium."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import tomllib
import urllib.parse
from datetime import date
from pathlib import Path

import bibtexparser
import pytest
import rispy
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from atlante import cite, history, meta, pipeline
from atlante.kinds import KIND_BY_NAME
from atlante.model import Catalog

from helpers import (
    MILANO,
    ROOT,
    edit,
    first,
    for_tests,
    frozen_project,
    latex_text,
    open_page,
    page_of,
    parsed,
    shown,
    write,
)

HOSTILE = 'Titolo "q" {graffa \\barra\nriga <script>alert(1)</script> =HYPERLINK("x") 100% #_$&~^ @sum +1 -1 }'
DAY = date(2026, 11, 25)


def targets(lang: str) -> dict[str, cite.Target]:
    """A page (Milano) and a statement (slide 3, «concetto»), as the renderer makes them."""
    publication = for_tests(ROOT)
    return {
        "page": cite.Target("city-milano", "Milano" if lang == "it" else "Milan", publication.url("cities/milano/", lang),
                            lang, date(2026, 11, 20), publication.site_name),
        "statement": cite.Target("slide-3-concetto", "Piattaforme metropolitane/regionali e nazionali e circoli magici"
                                 if lang == "it" else "Metropolitan/regional and national platforms",
                                 publication.url("slides/slide-3/#concetto", lang), lang, None, publication.site_name,
                                 note="Slide 3, affermazione 3.1", statement=True),
    }


# ---------------------------------------------------------------------------------------------
# The six formats, in-process
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("what", ["page", "statement"])
def test_every_format_is_produced_and_parses(lang: str, what: str) -> None:
    target = targets(lang)[what]
    c = cite.cite(target, for_tests(ROOT), DAY)

    entry = bibtexparser.parse_string(c.bibtex).entries
    assert len(entry) == 1 and entry[0].key == target.key and entry[0].entry_type == "online"
    fields = {f.key: f.value for f in entry[0].fields}
    assert latex_text(fields["title"]) == target.title and fields["url"] == target.url
    assert fields["urldate"] == "2026-11-25" and fields["langid"] == {"it": "italian", "en": "english"}[lang]
    assert ("date" in fields) == (what == "page")

    (record,) = rispy.loads(c.ris)
    assert record["type_of_reference"] == "ELEC" and record["title"] == target.title
    assert record["urls"] == [target.url] and record["access_date"] == "2026/11/25" and record["language"] == lang

    (item,) = json.loads(c.csl_json)
    assert {"id", "type", "title", "URL", "accessed", "author", "language"} <= set(item)
    assert item["accessed"] == {"date-parts": [[2026, 11, 25]]} and item["language"] == lang

    styles = {key: (name, in_text, full) for key, name, in_text, full in c.styles}
    assert set(styles) == {"apa", "chicago", "iso690"}
    for _name, in_text, full in styles.values():
        text = BeautifulSoup(str(full), "html.parser").get_text()
        assert target.title.casefold() in text.casefold() and target.url in text  # Chicago title-cases English
        assert in_text.startswith("(") and in_text.endswith(")")
    retrieved = {"it": ("Recuperato", "Consultato", "Consultato il"), "en": ("Retrieved", "Accessed", "Accessed")}[lang]
    if what == "statement":  # undated: every style gives the retrieval date, in the page's language
        for (_name, _in_text, full), word in zip(styles.values(), retrieved, strict=True):
            assert word in str(full) and 'class="atlante-accessed"' in str(full)
    else:  # a dated page: ISO 690 gives it; APA and Chicago, by their rules, do not
        assert retrieved[2] in str(styles["iso690"][2])


def test_italian_titles_keep_their_case_and_english_ones_follow_the_style() -> None:
    publication = for_tests(ROOT)
    italian = cite.Target("a", "crisi dei capitalismi", "https://x.example/a/", "it", DAY, "Sito")
    english = cite.Target("b", "crisis of capitalisms", "https://x.example/b/", "en", DAY, "Site")
    chicago_it = dict((k, full) for k, _n, _i, full in cite.cite(italian, publication, DAY).styles)["chicago"]
    chicago_en = dict((k, full) for k, _n, _i, full in cite.cite(english, publication, DAY).styles)["chicago"]
    assert "crisi dei capitalismi" in chicago_it
    assert "Crisis of Capitalisms" in chicago_en  # Chicago's headline case, for an English title


def test_hostile_text_stays_inert_and_round_trips_in_every_format() -> None:
    target = cite.Target("x-y", HOSTILE, "https://x.example/y/#z", "it", None, HOSTILE, note=HOSTILE, statement=True)
    c = cite.cite(target, for_tests(ROOT, publisher=HOSTILE), DAY)
    plain = " ".join(HOSTILE.split())

    (entry,) = bibtexparser.parse_string(c.bibtex).entries
    fields = {f.key: f.value for f in entry.fields}
    assert latex_text(fields["title"]) == plain and latex_text(fields["note"]) == plain
    assert latex_text(fields["author"]) == plain

    (record,) = rispy.loads(c.ris)
    assert record["title"] == plain and record["notes"] == [plain] and record["urls"] == [target.url]
    assert c.ris.count("ER  -") == 1 and c.ris.count("TY  -") == 1  # no record smuggled in a value

    (item,) = json.loads(c.csl_json)
    assert item["title"] == plain

    for _key, _name, in_text, full in c.styles:
        soup = BeautifulSoup(f"<div>{in_text}{full}</div>", "html.parser")
        assert {tag.name for tag in soup.find_all(True)} <= {"div", "i", "b", "span", "time"}


def test_an_edition_without_an_edition_number_or_publisher_is_refused_with_located_messages() -> None:
    publication, problems = meta.from_config(site_name="S", site_url=None, project=ROOT, edition_date=None, source_lang="it",
                                             extra={"publication": {"publisher": "", "licence": {"name": "CC", "url": "http://x"}}})
    assert "extra.publication.publisher: expected a text, found ''" in problems
    assert "extra.publication.licence.url: expected an https address, found 'http://x'" in problems


def test_the_brief_facts_the_source_does_not_state_stay_unstated() -> None:
    publication, problems = meta.from_project(ROOT)
    assert problems == []
    assert publication.brief == {"author": None, "date": None, "occasion": None}
    assert publication.edition == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


# ---------------------------------------------------------------------------------------------
# Dates and editions from git
# ---------------------------------------------------------------------------------------------


def git(project: Path, *args: str, day: str = "2026-01-01") -> None:
    stamp = f"{day}T12:00:00+00:00"
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_NAME": "t",
                        "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(project), "PATH": "/usr/bin:/bin"})


def commit(project: Path, message: str, day: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message, day=day)


def test_dates_and_editions_come_from_the_git_history(tmp_path: Path) -> None:
    project = tmp_path / "p"
    git(project.parent, "init", "-q", str(project))
    write(project, "pyproject.toml", '[project]\nname = "x"\nversion = "0.1.0"\n')
    for name in ("a", "b", "c"):
        write(project, f"data/cities/{name}.yaml", f"id: {name}\n")
    write(project, "data/schema/city.schema.json", "{}")
    commit(project, "first edition", "2026-01-10")
    write(project, "data/cities/a.yaml", "id: a\ntitle: A\n")
    write(project, "data/cities/d.yaml", "id: d\n")
    (project / "data/cities/c.yaml").unlink()
    commit(project, "changes", "2026-02-03")
    write(project, "pyproject.toml", '[project]\nname = "x"\nversion = "0.2.0"\n')
    commit(project, "release 0.2.0", "2026-02-04")
    write(project, "data/cities/b.yaml", "id: b\ntitle: B\n")
    commit(project, "after the release", "2026-03-05")

    found = history.read(project)
    assert found.available
    assert found.date_of("data/cities/a.yaml") == date(2026, 2, 3)
    assert found.date_of("data/cities/b.yaml") == date(2026, 3, 5)
    assert "data/cities/c.yaml" not in found.updated
    editions = [(e.version, e.date, e.added, e.changed, e.removed) for e in found.editions]
    assert editions == [
        (None, date(2026, 3, 5), [], ["data/cities/b.yaml"], []),
        ("0.2.0", date(2026, 2, 4), ["data/cities/d.yaml"], ["data/cities/a.yaml"], ["data/cities/c.yaml"]),
        ("0.1.0", date(2026, 1, 10), ["data/cities/a.yaml", "data/cities/b.yaml", "data/cities/c.yaml"], [], []),
    ]


def test_without_history_the_date_is_the_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    found = history.read(tmp_path)
    assert not found.available and found.editions == []
    assert found.date_of("data/cities/milano.yaml") == date(2025, 11, 24)


# ---------------------------------------------------------------------------------------------
# CITATION.cff
# ---------------------------------------------------------------------------------------------


def test_citation_cff_is_valid_and_agrees_with_the_configuration() -> None:
    cffconvert = ROOT / ".venv-cff" / "bin" / "cffconvert"
    assert cffconvert.exists(), "make test installs cffconvert into .venv-cff"
    result = subprocess.run([str(cffconvert), "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    publication, _ = meta.from_project(ROOT)
    assert cff["version"] == publication.edition
    assert cff["authors"] == [{"name": publication.publisher}]
    assert "url" not in cff and "repository-code" not in cff  # the published copy has them (test_publishing)
    # the edition's date, as the changelog gives it: the day of the commit that set the version (a release
    # commit writes both files); cffconvert's references print its year
    assert cff["date-released"] == history.edition_date(ROOT, publication.edition).isoformat()
    assert cff["date-released"] == str(publication.date)
    assert cff["license"] == publication.licence.name.replace(" ", "-")  # "CC BY 4.0" is SPDX's CC-BY-4.0


# ---------------------------------------------------------------------------------------------
# In the built site
# ---------------------------------------------------------------------------------------------


def entity_pages(site: Path) -> list[tuple[str, Path]]:
    pages = []
    for prefix in ("", "en/"):
        for kind in KIND_BY_NAME.values():
            for page in sorted((site / prefix / kind.folder).glob("*/index.html")):
                pages.append((prefix, page))
    return pages


def head_meta(soup: BeautifulSoup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        name = tag.get("name") or tag.get("property")
        if name:
            found.setdefault(name, []).append(tag["content"])
    return found


def assert_zotero_reads_a_webpage(tags: dict[str, list[str]], publication: meta.Publication, lang: str) -> None:
    """The tags that make Zotero (its Embedded Metadata translator, README "Zotero") save the item the
    site's own citations describe: a web page (og:type website; no citation_technical_report_*, which
    would make it a report, and no DC.type, which it would copy into the page's type), by the publisher
    as one name (a comma at the end of citation_author: it then keeps the name whole), in the edition's
    language, on the website og:site_name names."""
    publisher = publication.publisher_in(lang)
    assert tags["citation_author"] == [publisher + ","] and "," not in publisher and ";" not in publisher
    assert tags["citation_publisher"] == tags["DC.publisher"] == tags["DC.creator"] == [publisher]
    assert not [name for name in tags if name.startswith("citation_technical_report_")]
    assert "DC.type" not in tags
    assert tags["og:type"] == ["website"] and tags["og:site_name"] == [publication.site_name]
    assert tags["citation_language"] == tags["DC.language"] == [lang]
    assert tags["og:locale"] == [{"it": "it_IT", "en": "en_GB"}[lang]]
    assert len(tags["citation_title"]) == 1 and tags["citation_title"] == tags["DC.title"] == tags["og:title"]
    assert tags["citation_public_url"] == tags["DC.identifier"] == tags["og:url"]
    assert tags["DC.description"] == tags["og:description"] and tags["og:description"][0].strip()
    assert "citation_abstract" not in tags  # the abstract is og:description's (Zotero's RDF pass)
    assert tags["DC.date"] == tags["og:updated_time"] and "article:modified_time" not in tags
    assert [d.replace("/", "-") for d in tags["citation_date"]] == tags["DC.date"]


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("home", [False, True])
def test_the_page_metadata_makes_zotero_save_a_webpage_by_the_publisher_as_one_name(lang: str, home: bool) -> None:
    from atlante import metadata

    publication = meta.from_project(ROOT, lang)[0]
    found = metadata.page_meta(publication, title="Milano", description="Una città.", path="cities/milano/", lang=lang,
                               locale={"it": "it_IT", "en": "en_GB"}[lang],
                               updated=DAY, home=home)
    tags: dict[str, list[str]] = {}
    for _attribute, name, content in found.tags:
        tags.setdefault(name, []).append(content)
    assert_zotero_reads_a_webpage(tags, publication, lang)
    assert tags["citation_author"] == [{"it": "Redazione del sito Circoli magici del made in Italy,",
                                        "en": "Editors of The Magic Circles of Made in Italy,"}[lang]]
    assert tags["og:site_name"] == [{"it": "Circoli magici del made in Italy", "en": "The Magic Circles of Made in Italy"}[lang]]


def zotero_reads_coins(title: str) -> dict[str, str]:
    """A COinS span's ContextObject as Zotero's OpenURL parser reads it (zotero/utilities, openurl.js,
    parseContextObject): split at "&", then at "=", each value with "+" and "%2B" made spaces, then
    percent-decoded."""
    read = {}
    for part in title.split("&"):
        key, value = (part.split("=") + [""])[:2]
        read[key] = urllib.parse.unquote(re.sub(r"\+|%2[bB]", " ", value), errors="strict")
    return read


def test_a_coins_span_says_what_the_csl_item_says_in_every_character() -> None:
    title = HOSTILE.replace("+", "")  # Zotero reads a "+" as a space, however written (cite.coins)
    target = cite.Target("x-y", title, "https://x.example/y/#z", "it", DAY, "Sito & co", note="n", statement=True,
                         abstract="Un'affermazione «citata» = 100% & più\nriga")
    c = cite.cite(target, for_tests(ROOT), DAY)
    read = zotero_reads_coins(c.coins)
    assert read == {"ctx_ver": "Z39.88-2004", "rft_val_fmt": "info:ofi/fmt:kev:mtx:dc", "rft.title": cite._plain(title),
                    "rft.aucorp": "Redazione del sito", "rft_id": "https://x.example/y/#z", "rft.language": "it",
                    "rft.source": "Sito & co", "rft.date": DAY.isoformat(),
                    "rft.description": "Un'affermazione «citata» = 100% & più riga",
                    "rft.rights": "https://creativecommons.org/licenses/by/4.0/"}
    assert re.fullmatch(r"[A-Za-z0-9_.~%&=-]+", c.coins)  # nothing the attribute or the split could misread
    assert cite.cite(dataclasses.replace(target, abstract=None), for_tests(ROOT), DAY).coins is None


def test_a_slide_page_offers_zotero_itself_and_each_statement_as_the_panels_cite_them(built_site: Path,
                                                                                      catalog: Catalog) -> None:
    """Zotero's COinS translator, which takes precedence over the meta tags on a page that has spans,
    offers one item per span: on a slide's page the page and each of its statements, each as its
    panel's CSL-JSON says (README, "Zotero"); no other page has a span, so Zotero reads its meta tags."""
    slides = 0
    for prefix, path in entity_pages(built_site):
        soup = parsed(path)
        spans = soup.select("span.Z3988")
        if path.parent.parent.name != "slides":
            assert spans == [], path
            continue
        slides += 1
        panels = soup.select("details.atlante-cite")
        assert len(spans) == len(panels) == 1 + len([s for s in catalog.statements.values()
                                                     if s.slide == path.parent.name]), path
        for span in spans:
            panel = span.find_parent("section").find("details", class_="atlante-cite")
            (item,) = json.loads(panel.find("code", id=panel["id"] + "-json").get_text())
            read = zotero_reads_coins(span["title"])
            assert read["rft_val_fmt"] == "info:ofi/fmt:kev:mtx:dc" and read["rft.title"] == item["title"], path
            assert [{"literal": read["rft.aucorp"]}] == item["author"] and read["rft_id"] == item["URL"], path
            assert read["rft.language"] == item["language"] == (prefix.rstrip("/") or "it")
            assert read["rft.source"] == item["container-title"] and read["rft.description"].strip()
            issued = item.get("issued", {}).get("date-parts", [[]])[0]
            assert read.get("rft.date") == ("-".join(f"{n:02d}" for n in issued) if issued else None), path
            assert ("#" in item["URL"]) == (panel["id"] != "cite-page"), path
    assert slides == 2 * len([e for e in catalog.entities.values() if e.kind == "slide"])


def test_every_entity_page_carries_citation_dublin_core_open_graph_and_json_ld(built_site: Path, catalog: Catalog) -> None:
    pages = entity_pages(built_site)
    assert len(pages) == 2 * len(catalog.entities)
    editions = {prefix: meta.from_project(ROOT, prefix.rstrip("/") or "it")[0] for prefix in ("", "en/")}
    for prefix, path in pages:
        soup = parsed(path)
        title = "".join(t for t in soup.h1.find_all(string=True) if not t.find_parent("a", class_="headerlink")).strip()
        tags = head_meta(soup)
        assert_zotero_reads_a_webpage(tags, editions[prefix], prefix.rstrip("/") or "it")
        url = soup.find("link", rel="canonical")["href"]
        assert url == f"https://redazione-circoli-magici.github.io/atlante/{prefix}{path.parent.relative_to(built_site / prefix).as_posix()}/"
        assert tags["citation_title"] == [title], path
        assert tags["citation_public_url"] == [url] and tags["og:url"] == [url] and tags["DC.identifier"] == [url]
        assert tags["citation_language"] == [prefix.rstrip("/") or "it"] and re.fullmatch(r"\d{4}/\d\d/\d\d", tags["citation_date"][0])
        for name in ("DC.title", "DC.publisher", "DC.rights", "og:title", "og:description", "og:site_name", "og:locale"):
            assert tags[name], (path, name)
        (script,) = soup.find_all("script", type="application/ld+json")
        data = json.loads(script.string)
        assert data["@context"]["@vocab"] == "https://schema.org/"  # inline: nothing to fetch (test_opendata: one graph)
        nodes = {node["@id"]: node for node in data["@graph"]}
        page = nodes[url]
        lang = prefix.rstrip("/") or "it"  # the publisher (one node with the open data's) named in the page's language
        assert page["publisher"]["name"] == [{"@value": editions[prefix].publisher_in(lang), "@language": lang}], path
        entity = nodes[page["mainEntity"]["@id"]]
        kind = path.parent.parent.name
        kind_name = next(k.name for k in KIND_BY_NAME.values() if k.folder == kind)
        assert entity["@type"] == KIND_BY_NAME[kind_name].schema_type, path  # as the kind declares it
        assert entity["name"] == [{"@value": title, "@language": prefix.rstrip("/") or "it"}]
        if kind_name == "city":
            assert isinstance(entity["geo"]["latitude"], float) and isinstance(entity["geo"]["longitude"], float)
        quotes = [nodes[iri] for iri in entity.get("hasPart" if kind_name == "slide" else "subjectOf", [])]
        assert quotes and all(q["@type"] == "Quotation" and q["text"] and "#" in q["url"][0] for q in quotes), path


def test_every_page_and_statement_offers_bib_and_ris_downloads_that_parse(built_site: Path, catalog: Catalog) -> None:
    statements = 0
    for prefix, path in entity_pages(built_site):
        soup = parsed(path)
        panel = soup.find(id="cite-page")
        assert panel is not None, path
        publisher = PUBLISHERS[prefix.rstrip("/") or "it"]  # the edition's name for the publisher, everywhere
        assert publisher in panel.get_text() and PUBLISHERS["it" if prefix else "en"] not in panel.get_text(), path
        for link in soup.select(".atlante-cite a.atlante-download"):
            target = (path.parent / link["href"]).resolve()
            assert target.is_file(), (path, link["href"])
            text = target.read_text(encoding="utf-8")
            if target.suffix == ".bib":
                (entry,) = bibtexparser.parse_string(text).entries
                assert entry.key == link["download"].removesuffix(".bib")
                assert latex_text(entry.fields_dict["author"].value) == publisher, target
            else:
                (record,) = rispy.loads(text)
                assert record["id"] == link["download"].removesuffix(".ris")
                assert record["authors"] == [publisher] and record["publisher"] == publisher, target
        for link in soup.select("a[href*='#cite-']"):  # "cite this statement": its panel on its slide's page
            slide, anchor = link["href"].split("#")
            target = parsed((path.parent / slide).resolve() / "index.html")
            assert target.find("details", id=anchor) is not None, (path, link["href"])
        if path.parent.parent.name == "slides":
            for details in soup.select("details.atlante-cite:not(#cite-page)"):
                statements += 1
                anchor = details["id"].removeprefix("cite-" + path.parent.name + "-")
                assert soup.find(id=anchor) is not None  # the statement it cites is on the page
    assert statements == 2 * len(catalog.statements)  # every statement of the brief, in both editions


def test_the_whole_brief_quotes_each_statement_once_in_slide_order(built_site: Path, catalog: Catalog) -> None:
    """/brief/: every statement once, in the slides' order, with the entries that draw on it beside it;
    then the index of the entries. The anchors cited before it was rebuilt still land (#<kind>-<id>,
    #<folder>, #s-<slide>-<statement>)."""
    for prefix in ("", "en/"):
        soup = parsed(built_site / prefix / "brief/index.html")
        ids = [tag["id"] for tag in soup.find_all(id=True)]
        statements = list(catalog.statements.values())
        for entity in catalog.entities.values():
            assert f"{entity.kind}-{entity.id}" in ids or entity.kind == "slide", entity
        positions = [ids.index(f"s-{st.slide}-{st.id}") for st in statements]
        assert positions == sorted(positions)  # slide after slide, statement after statement
        quotes = [" ".join(q.get_text(" ").split()) for q in soup.select(".md-content blockquote")]
        for st in statements:
            text = " ".join((st.text_in("en") if prefix else st.text).split())
            assert sum(text in q for q in quotes) == 1, (prefix, st.ref)  # quoted once, however many entries draw on it
            drawn = soup.find(id=f"s-{st.slide}-{st.id}").find_next_sibling("p", class_="atlante-brief-drawn")
            names = [a["href"] for a in drawn.find_all("a")]
            assert names == [f"#{e.kind}-{e.id}" for e in st.represented_by][:len(names)] and names, st.ref
        order = [ids.index(k.folder) for k in KIND_BY_NAME.values()]
        assert order[-1] < order[0] and order[:-1] == sorted(order[:-1])  # the slides first, then the index by kind
        for link in soup.select(".md-content a[href^='#']"):
            assert link["href"][1:] in ids


def test_the_changelog_page_exists_in_both_editions(built_site: Path) -> None:
    for prefix, title in (("", "Novità"), ("en/", "Changes")):
        soup = parsed(built_site / prefix / "changelog/index.html")
        assert soup.h1.get_text(strip=True).rstrip("¶") == title


def test_a_changelog_lists_each_editions_entities_from_git(tmp_path: Path) -> None:
    project = frozen_project(tmp_path)
    git(project, "init", "-q")
    commit(project, "first", "2026-01-10")
    edit(project, MILANO, "Milano è la prima", "Milano, ritoccata, è la prima")
    commit(project, "change", "2026-02-10")
    result = pipeline.run(project, lang="it")
    assert result.catalog is not None
    page = next(p.markdown for p in result.pages if p.src_uri == "changelog.md")
    assert "## Modifiche non ancora pubblicate in un’edizione · 10 febbraio 2026" in page
    assert "[Milano](cities/milano.md)" in page.split("## Edizione")[0]
    other = first(result.catalog, where=lambda e: e.id != "milano")  # an entry not changed since
    unchanged = next(shown(p) for p in result.pages if p.src_uri == f"{page_of(other)}.md")
    assert "<em>Ultimo aggiornamento: 10 gennaio 2026 · Edizione" in unchanged


# ---------------------------------------------------------------------------------------------
# In Chromium
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_the_cite_control_sits_by_the_title_closed_and_copies_from_the_keyboard(
        browser: Browser, site_url: str, catalog: Catalog, width: int, height: int) -> None:
    """"Cita questa pagina" is near the title, one line of the page while closed; opened from the
    keyboard, APA and BibTeX come first with their copy buttons, the rest folded; a copy says so on
    its button and in a live region; the retrieval dates are the reader's day."""
    city = first(catalog, "city")
    page, foreign = open_page(browser, f"{site_url}/{page_of(city)}/", wait_until="networkidle",
                              permissions=["clipboard-read", "clipboard-write"], viewport={"width": width, "height": height})
    control = page.locator("#cite-page")
    summary = control.locator("> summary")
    assert control.get_attribute("open") is None
    box, title = summary.bounding_box(), page.locator(".md-content h1").bounding_box()
    assert box is not None and title is not None
    assert box["height"] <= 48 and box["y"] < height  # one line, on the first screen
    assert page.evaluate("document.querySelector('#cite-page').getBoundingClientRect().height") <= 48
    assert box["y"] - (title["y"] + title["height"]) < 400  # under the title block, not at the page's end
    assert not page.locator("#cite-page-apa").is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert control.get_attribute("open") is not None
    today = page.evaluate("(d => [d.getFullYear(), d.getMonth() + 1, d.getDate()].map(n => String(n).padStart(2, '0')).join('-'))(new Date())")
    assert page.get_attribute("#cite-page-bib time.atlante-accessed", "datetime") == today
    visible = [el for el in ("#cite-page-apa", "#cite-page-bib", "#cite-page-chicago", "#cite-page-ris") if page.locator(el).is_visible()]
    assert visible == ["#cite-page-apa", "#cite-page-bib"]  # APA and BibTeX first, the rest folded
    assert re.search(r"\(\d{4}, \d{1,2} [a-z]+\)", page.inner_text("#cite-page-apa"))  # "(2026, 25 novembre)": Italian order
    button = page.locator('#cite-page button[data-atlante-copy="cite-page-apa"]')
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#cite-page .atlante-copy-status').textContent.length > 0")
    assert page.inner_text("#cite-page .atlante-copy-status") == "Copiato negli appunti."
    assert page.get_attribute("#cite-page .atlante-copy-status", "aria-live") == "polite"
    assert button.inner_text() == "Copiato ✓"  # seen where the reader looks
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.inner_text("#cite-page-apa").strip() and city.data["title"] in copied and "https://" in copied
    page.wait_for_function("document.querySelector('#cite-page button[data-atlante-copy=\"cite-page-apa\"]').textContent === 'Copia'")
    page.locator('#cite-page button[data-atlante-copy="cite-page-bib"]').focus()
    page.keyboard.press("Space")
    page.wait_for_function(f"navigator.clipboard.readText().then(t => t.startsWith('@online') && t.includes('{today}'))")
    page.locator("#cite-page .atlante-cite__more > summary").click()
    assert page.locator("#cite-page-chicago").is_visible() and page.locator("#cite-page-ris").is_visible()
    assert foreign == []
    page.context.close()


def test_a_statements_citation_opens_and_copies(browser: Browser, site_url: str, catalog: Catalog) -> None:
    entry = first(catalog, "platform", lambda e: e.statements)  # an entry, and the first statement it quotes
    statement = entry.statements[0]
    cited = f"cite-{statement.slide}-{statement.id}"
    page, _ = open_page(browser, f"{site_url}/en/{page_of(entry)}/", permissions=["clipboard-read", "clipboard-write"])
    page.get_by_role("link", name="cite this statement").first.click()  # from an entry, to the statement's citation
    page.wait_for_url(f"**/en/slides/{statement.slide}/#{cited}")
    assert page.locator(f"#{cited}").get_attribute("open") is not None
    summary = page.locator(f"#{cited} > summary")
    summary.focus()
    page.keyboard.press("Enter")  # the keyboard closes and opens it
    assert page.locator(f"#{cited}").get_attribute("open") is None
    page.keyboard.press("Enter")
    assert page.locator(f"#{cited}").get_attribute("open") is not None
    assert f"statement {statement.number}" in page.inner_text(f"#{cited}-apa")  # the reference names the statement
    page.locator(f"#{cited} .atlante-cite__more > summary").click()
    page.locator(f'#{cited} button[data-atlante-copy="{cited}-ris"]').click()
    page.wait_for_function(f"document.querySelector('#{cited} .atlante-copy-status').textContent.length > 0")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert rispy.loads(copied)[0]["urls"] == [f"https://redazione-circoli-magici.github.io/atlante/en/slides/{statement.slide}/#{statement.id}"]
    page.context.close()


def test_print_drops_the_navigation_and_shows_addresses(browser: Browser, site_url: str, catalog: Catalog) -> None:
    city = page_of(first(catalog, "city"))
    page, _ = open_page(browser, f"{site_url}/{city}/")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert not page.locator(".md-sidebar--primary").is_visible() and not page.locator(".md-header").is_visible()
    assert not page.locator("#cite-page").is_visible()
    assert page.locator("#cite .atlante-cite__print").is_visible()  # the reference, on paper
    assert page.inner_text("#cite .atlante-cite__print").startswith("Come citare: Redazione")
    assert page.locator(".atlante-print-url").is_visible()
    assert page.inner_text(".atlante-print-url") == f"https://redazione-circoli-magici.github.io/atlante/{city}/"
    after = page.evaluate("""getComputedStyle(document.querySelector('.md-content a[data-print-url]'), '::after').content""")
    assert "https://redazione-circoli-magici.github.io/atlante/" in after  # the published address, wherever the page is printed from
    page.context.close()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_whole_brief_prints_each_slide_on_a_new_page(browser: Browser, site_url: str, catalog: Catalog, prefix: str) -> None:
    page, _ = open_page(browser, f"{site_url}/{prefix}brief/")
    page.emulate_media(media="print")
    breaks = page.eval_on_selector_all(".md-content .atlante-brief-slide", "els => els.map(e => getComputedStyle(e).breakBefore)")
    assert breaks == ["page"] * (len(catalog.by_kind["slide"]) + 1)  # every slide, then the index of the entries
    assert not page.locator(".md-sidebar--primary").is_visible() and not page.locator(".md-header").is_visible()
    page.context.close()


def test_the_briefs_date_and_occasion_date_its_statements_once_configured() -> None:
    publication = for_tests(ROOT, brief_date="2014-05", occasion="Convegno di prova")
    c = cite.cite(targets("it")["statement"], publication, DAY)
    (item,) = json.loads(c.csl_json)
    assert item["issued"] == {"date-parts": [[2014, 5]]} and item["event"] == "Convegno di prova"
    assert dict((k, i) for k, _n, i, _f in c.styles)["apa"] == "(Redazione del sito, 2014)"
    assert rispy.loads(c.ris)[0]["date"] == "2014/05"


def test_a_configuration_mistake_names_the_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: S\nsite_url: https://x.github.io/\nextra:\n  brief:\n    date: 2014-05-20\n"
                      "  publication:\n    publisher: P\n    licence:\n      name: CC BY 4.0\n      url: http://x\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.0"\n')
    publication, findings = meta.from_project(tmp_path)
    assert publication.brief_date == "2014-05-20"  # an unquoted YAML date is read as the date it says
    assert [str(f) for f in findings] == [
        "mkdocs.yml:10:1: (configuration): extra.publication.licence.url: expected an https address, found 'http://x' (configuration)"]


PUBLISHERS = {"it": "Redazione del sito Circoli magici del made in Italy",
              "en": "Editors of The Magic Circles of Made in Italy"}  # mkdocs.yml's


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("what", ["page", "statement"])
def test_a_reference_names_the_publisher_in_its_own_language(lang: str, what: str) -> None:
    """The publisher's name in each edition's language (extra.publication.publisher_names), in every
    format: CSL-JSON (which the styled texts are rendered from), BibTeX and RIS; never the other's."""
    publication, findings = meta.from_project(ROOT, lang)
    assert findings == [] and publication.publisher_in(lang) == PUBLISHERS[lang]
    bib, ris, csl = cite.formats(targets(lang)[what], publication, DAY)
    (item,) = json.loads(csl)
    assert item["author"] == [{"literal": PUBLISHERS[lang]}] and "publisher" not in item  # one name, not twice
    (entry,) = bibtexparser.parse_string(bib).entries
    fields = {f.key: f.value for f in entry.fields}
    assert latex_text(fields["author"]) == latex_text(fields["publisher"]) == PUBLISHERS[lang]
    (record,) = rispy.loads(ris)
    assert record["authors"] == [PUBLISHERS[lang]] and record["publisher"] == PUBLISHERS[lang]
    other = PUBLISHERS["en" if lang == "it" else "it"]
    assert all(other not in text and latex_text(other) not in latex_text(text) for text in (bib, ris, csl))


def test_a_statement_by_a_named_author_has_the_publisher_in_its_language() -> None:
    publication = for_tests(ROOT, author="Autrice del brief")
    (item,) = json.loads(cite.formats(targets("en")["statement"], publication, DAY)[2])
    assert item["author"] == [{"literal": "Autrice del brief"}] and item["publisher"] == "Editorial team of the site"
    (item,) = json.loads(cite.formats(targets("it")["statement"], publication, DAY)[2])
    assert item["publisher"] == "Redazione del sito"


def test_a_publisher_name_for_no_edition_or_no_name_is_refused_naming_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nextra:\n  publication:\n    publisher: P\n    publisher_names:\n      en: ''\n      fr: F\n"
        "    licence:\n      name: CC BY 4.0\n      url: https://x.org/\n  alternate:\n"
        "    - {name: Italiano, link: /, lang: it}\n    - {name: English, link: /en/, lang: en}\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.0"\n')
    publication, findings = meta.from_project(tmp_path)
    assert [str(f) for f in findings] == [
        "mkdocs.yml:6:1: (configuration): extra.publication.publisher_names.en: expected a text, found '' (configuration)",
        "mkdocs.yml:7:1: (configuration): extra.publication.publisher_names.fr: expected the language of an edition other "
        "than the source's (en; the source's name is extra.publication.publisher), found 'fr' (configuration)"]
    assert publication.publisher_in("en") == publication.publisher_in("fr") == "P"  # the source's, where none is given
    _, problems = meta.from_config(site_name="S", site_url=None, project=ROOT, edition_date=None, source_lang="it", extra={
        "publication": {"publisher": "P", "publisher_names": "Editorial team", "licence": {"name": "C", "url": "https://x"}}})
    assert problems == ["extra.publication.publisher_names: expected a mapping of language codes to names (en: …) "
                        "or null, found 'Editorial team'"]


# ---------------------------------------------------------------------------------------------
# Faithful text: BibTeX's LaTeX and RIS read back as exactly the data's text
# ---------------------------------------------------------------------------------------------

# Every character LaTeX, BibTeX or RIS treats specially, quotes of every kind, TeX's ligatures, what a
# reference manager might merge or drop (combining accents, joiners, no-break and other spaces)
NASTY_TITLES = [
    "< > & % $ # _ { } ~ ^ \\", 'Le "virgolette" dritte e l\'apostrofo', "Le “virgolette” ‘curve’ e l’apostrofo",
    "«Piattaforme «naturali»» e ‹caporali›", "Emoji 😀 👩‍💻 🇮🇹 ❤️", "Accenti combinati: e\u0301 a\u0300 n\u0303, e precomposti: é à ñ",
    "art.\u00a02, 25\u202f%, 1\u2007000", "a--b---c ''x'' ``y`` ,,z !`?` <<w>>", "{solo aperta", "solo chiusa}", "}}}{{{",
    "\\input{/etc/passwd} \\end{document}", "@misc{pwned, title={x}}", "100% #1 $x$ _y_ ~ ^ & \\ fine", "finisce con \\",
    "ﬁne, thin\u2009space", "x^2 ^^ ~~ \\\\ {}", "Riga\nnuova\te tab", "  spazi  intorno  ", "Ω α ℓ → ½ ² µ ǅ ő ṩ Ⅻ",
    "zero\u200bwidth\u200djoiner\ufeff", "... | [] = ; : ! ?", "ER  - TY  - ER  -", "%comment \\\\ newline",
]


def real_titles(catalog: Catalog) -> list[str]:
    """Every title of the brief's entries in both languages, and every statement's text."""
    titles = [str(e.text("title", lang)) for e in catalog.entities.values() for lang in ("it", "en")]
    return titles + [s.text for s in catalog.statements.values()] + [s.text_in("en") for s in catalog.statements.values()]


def read_back(title: str, lang: str = "it") -> tuple[str, str]:
    """The title as a reader reads it back from the BibTeX entry (bibtexparser, then pylatexenc's
    latex2text, with no context of ours) and from the RIS record (rispy)."""
    from pylatexenc.latex2text import LatexNodes2Text

    target = cite.Target("k", title, "https://x.github.io/a/", lang, DAY, "Sito")
    bib, ris, _ = cite.formats(target, for_tests(ROOT), DAY)
    library = bibtexparser.parse_string(bib)
    assert len(library.entries) == 1 and not library.failed_blocks, bib
    fields = {f.key: f.value for f in library.entries[0].fields}
    (record,) = rispy.loads(ris)
    return LatexNodes2Text().latex_to_text(fields["title"]), record["title"]


@pytest.mark.parametrize("title", NASTY_TITLES)
def test_any_title_reads_back_from_bibtex_and_ris_as_exactly_the_datas_text(title: str) -> None:
    """Exactly, after the one normalisation every format applies (cite._plain, the test below)."""
    assert read_back(title) == (cite._plain(title), cite._plain(title))


def test_one_normalisation_makes_a_text_one_line_and_keeps_its_no_break_spaces() -> None:
    """A run of white space holding a line break, a tab or a space becomes one space, none is left at
    either end; a no-break space (U+00A0, U+202F, U+2007) stays where it is."""
    assert cite._plain(" \tRiga\r\nnuova\u2028e  tab\u2009 ") == "Riga nuova e tab"
    assert cite._plain("art.\u00a02, 25\u202f%, 1\u2007000 \u00a0x") == "art.\u00a02, 25\u202f%, 1\u2007000 \u00a0x"
    assert cite._plain("\u00a0ai bordi\u00a0") == "ai bordi"


def test_every_character_of_the_real_titles_and_of_ascii_and_latin_reads_back(catalog: Catalog) -> None:
    titles = real_titles(catalog)
    assert len(titles) > 2 * len(catalog.entities)
    for title in titles:
        assert read_back(title) == (cite._plain(title), cite._plain(title)), title
    for block in (range(0x21, 0x7f), range(0xa1, 0x250), range(0x2010, 0x2060), range(0x1f600, 0x1f610)):
        characters = cite._plain(" ".join(chr(c) for c in block))  # the line and paragraph separators are spaces
        assert read_back(characters) == (characters, characters)


@pytest.mark.parametrize("title", NASTY_TITLES)
def test_any_title_gives_bibtex_that_pybtex_reads_strictly(title: str) -> None:
    import pybtex.errors
    from pybtex.database import parse_string

    bib = cite.formats(cite.Target("k", title, "https://x.github.io/a/", "it", DAY, "Sito"), for_tests(ROOT), DAY)[0]
    pybtex.errors.set_strict_mode(True)
    try:
        (entry,) = parse_string(bib, "bibtex").entries.values()
    finally:
        pybtex.errors.set_strict_mode(False)
    assert len(entry.fields) + len(entry.persons) == len(re.findall(r"^  ([a-z]+) = ", bib, re.M))


def test_a_shallow_clone_has_no_history_to_date_pages_by(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    git(tmp_path, "init", "-q", str(origin))
    write(origin, "data/cities/a.yaml", "id: a\n")
    commit(origin, "one", "2026-01-10")
    write(origin, "data/cities/a.yaml", "id: a\ntitle: A\n")
    commit(origin, "two", "2026-02-10")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(tmp_path / "clone"))
    found = history.read(tmp_path / "clone")
    assert found.shallow and not found.available and found.updated == {}


def test_a_renamed_entity_is_listed_as_renamed_not_removed_and_added(catalog: Catalog) -> None:
    from atlante.pages import _changelog

    city = first(catalog, "city", lambda e: not e.data.get("aliases"))  # the session's catalog: put back below
    old = f"{city.id}-old"
    city.data["aliases"] = [old]
    try:
        edition = history.Changes("0.2.0", DAY, added=[city.file], removed=[Path(city.file).with_name(f"{old}.yaml").as_posix()])
        (listed,) = _changelog(catalog, history.History({}, None, [edition], available=True))
    finally:
        del city.data["aliases"]
    assert listed["renamed"] == [(city, old)] and listed["added"] == [] and listed["removed"] == []


def test_the_home_page_describes_the_site_as_a_dataset_with_its_downloads(built_site: Path) -> None:
    for prefix in ("", "en/"):
        soup = parsed(built_site / prefix / "index.html")
        graph = json.loads(soup.find("script", type="application/ld+json").string)["@graph"]
        (dataset,) = [node for node in graph if node["@type"] == "Dataset"]
        assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/" and dataset["version"]
        files = [d["contentUrl"].removeprefix("https://redazione-circoli-magici.github.io/atlante/") for d in dataset["distribution"]]
        assert "dati/atlante.json" in files and "dati/datapackage.json" in files
        assert all((built_site / f).is_file() for f in files)


def test_search_does_not_index_the_citation_panels(built_site: Path, catalog: Catalog) -> None:
    """A search for "Redazione" or "BibTeX" must not return every page: the panels are left out."""
    folders = tuple(f"{kind.folder}/" for kind in KIND_BY_NAME.values())  # every entry's page
    for prefix in ("", "en/"):
        index = json.loads((built_site / prefix / "search/search_index.json").read_text(encoding="utf-8"))
        entity_docs = [d for d in index["docs"] if d["location"].startswith(folders)]
        assert len(entity_docs) >= len(catalog.entities)
        for doc in entity_docs:
            text = doc["title"] + doc["text"]
            assert "@online" not in text and "TY  - ELEC" not in text and "Redazione del sito" not in text, doc["location"]


@pytest.mark.parametrize("title", ["Roma {graffa", "Roma } chiusa", "@comment{x} \\input{/etc/passwd} {a}}",
                                   'Rome @{x, y = {z}} "}', "{{{", "}}}{", "100% #1 $x$ _y_ ~ ^ & \\ end",
                                   "a\\", "@misc{pwned, title={x}}", "«Piattaforme» — é"])
def test_a_title_with_any_brace_gives_bibtex_that_pybtex_reads_strictly_with_every_field(title: str) -> None:
    """BibTeX balances braces whatever precedes them, so a brace of the text is written by its LaTeX
    name: the entry stays one entry, every field intact, under pybtex's strict mode."""
    import pybtex.errors
    from pybtex.database import parse_string

    target = cite.Target("k", title, "https://x.github.io/a/", "it", DAY, "Sito")
    c = cite.cite(target, for_tests(ROOT), DAY)
    written = re.findall(r"^  ([a-z]+) = ", c.bibtex, re.M)
    pybtex.errors.set_strict_mode(True)
    try:
        library = parse_string(c.bibtex, "bibtex")
    finally:
        pybtex.errors.set_strict_mode(False)
    (entry,) = library.entries.values()
    fields = {k.lower(): v for k, v in entry.fields.items()} | {role.lower(): str(p) for role, people in entry.persons.items()
                                                                for p in people}
    assert sorted(fields) == sorted(written) and len(written) >= 9
    assert latex_text(fields["title"]) == title
