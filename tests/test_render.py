"""Step 4: rendering. Golden files for a few pages of a small fixed data set; escaping; the nav.

Regenerate the golden files after an intended change with ATLANTE_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from atlante import i18n, pipeline
from atlante import pages as registry
from atlante.kinds import KINDS
from atlante.render import NAV_LIMIT, md_text, navigation

from helpers import ROOT, make_project, shown

GOLDEN = Path(__file__).parent / "golden"
WORDS = {lang: t.words for lang, t in i18n.load(ROOT)[0].items()}
FIELD_PAGE = registry.path_of("fields", words=WORDS["it"])  # campi.md
FIXTURE = Path(__file__).parent / "fixtures" / "minimal"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("render"), data=False)
    for folder in FIXTURE.iterdir():
        shutil.copytree(folder, project / "data" / folder.name)
    # an edition of its own, so that releasing one does not change the golden files
    (project / "pyproject.toml").write_text('[project]\nname = "fixture"\nversion = "1.2.3"\n', encoding="utf-8")
    return project


def rendered(project: Path, lang: str) -> dict[str, str]:
    """The pages of edition `lang`, with no build date: the golden files say "not available"."""
    epoch = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        result = pipeline.run(project, lang=lang)
    finally:
        if epoch is not None:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
    assert result.errors == [], [str(f) for f in result.errors]
    return {page.src_uri: shown(page) for page in result.pages}


@pytest.fixture(scope="module")
def pages(project: Path) -> dict[str, str]:
    return rendered(project, "it")


@pytest.fixture(scope="module")
def pages_en(project: Path) -> dict[str, str]:
    return rendered(project, "en")


# A kind's section of the field reference, by its heading: "## Città dei circoli magici { #city }"
SECTION = re.compile(r"^## [^\n]* \{ #([a-z_]+) \}\n", re.MULTILINE)
KIND_LINK = re.compile(r"\[[^\]\n]*\]\(#([a-z_]+)\)")


def _of_kinds(text: str, kinds: set[str]) -> str:
    """The field reference's page with only the sections (and the links to them) of `kinds`: a kind
    added to atlante/kinds.py adds its section, and leaves every other one as the golden file has it."""
    found = list(SECTION.finditer(text))
    head, sections = text[:found[0].start()], [(m.group(1), text[m.start():n.start() if n else len(text)])
                                                for m, n in zip(found, [*found[1:], None], strict=True)]
    links = [m for m in KIND_LINK.finditer(head) if m.group(1) in {k.name for k in KINDS}]
    line = head[links[0].start():links[-1].end()]
    head = head.replace(line, " · ".join(m.group(0) for m in links if m.group(1) in kinds))
    # the sections kept, joined as the page joins sections and ended as it ends (a new kind may come last)
    kept = [section.rstrip("\n") for kind, section in sections if kind in kinds]
    gap = sections[0][1][len(sections[0][1].rstrip("\n")):]  # the blank lines between two sections
    end = text[len(text.rstrip("\n")):]  # and after the last
    return head + gap.join(kept) + end


def _golden(name: str, text: str) -> None:
    text = re.sub(r"atlante-figure-[0-9a-f]{24}", "atlante-figure-TOKEN", text)  # random per run (render._Figures)
    golden = GOLDEN / name
    if os.environ.get("ATLANTE_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("src_uri", ["index.md", "cities/index.md", "cities/beta.md", "circles/circolo.md", "slides/slide-1.md",
                                     "campi.md", "tag.md", "tag/innovazione.md"])
def test_page_matches_golden_file(pages: dict[str, str], src_uri: str) -> None:
    page = pages[src_uri]
    if src_uri == FIELD_PAGE:  # one section per kind: those the golden file has are compared
        page = _of_kinds(page, set(SECTION.findall((GOLDEN / FIELD_PAGE).read_text(encoding="utf-8"))))
    _golden(src_uri.replace("/", "__"), page)


def test_the_field_reference_has_a_section_for_each_kind_in_order(pages: dict[str, str]) -> None:
    page = pages[FIELD_PAGE]
    assert SECTION.findall(page) == [k.name for k in KINDS]
    assert [m.group(1) for m in KIND_LINK.finditer(page.split("\n## ")[0])] == [k.name for k in KINDS]


@pytest.mark.parametrize("src_uri", ["cities/beta.md", "slides/slide-1.md", "tag.md"])
def test_english_page_matches_golden_file(pages_en: dict[str, str], src_uri: str) -> None:
    _golden("en__" + src_uri.replace("/", "__"), pages_en[src_uri])


def test_both_editions_have_the_same_pages(pages: dict[str, str], pages_en: dict[str, str]) -> None:
    """The same pages, the site's own named in each language (dati.md, data.md)."""
    named = {registry.path_of(name, words=WORDS["it"]): registry.path_of(name, words=WORDS["en"]) for name in registry.named()}
    assert named == {"dati.md": "data.md", "campi.md": "fields.md"}
    assert sorted(named.get(src, src) for src in pages) == sorted(pages_en)


def test_an_untranslated_text_falls_back_to_the_original_in_a_non_strict_run(pages_en: dict[str, str]) -> None:
    assert "# Il circolo di prova" in pages_en["circles/circolo.md"]  # the fixture's circle has no en block
    assert ">Connections<a class=\"headerlink\"" in pages_en["circles/circolo.md"]


def test_every_entity_and_kind_has_a_page(pages: dict[str, str]) -> None:
    assert sorted(pages) == sorted([
        *registry.fixed(WORDS["it"]), *(registry.path_of("kind_index", k.folder) for k in KINDS),
        "slides/slide-1.md", "circles/circolo.md", "cities/alfa.md", "cities/beta.md", "concepts/concetto.md",
        "tag/innovazione.md",  # the page of the one tag the data uses (the tag index is a site page)
    ])


@pytest.mark.parametrize(("text", "expected"), [
    ("Milano", "Milano"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;\\/script&gt;"),
    ("# titolo\n- voce", "\\# titolo \\- voce"),
    ("[x](javascript:alert(1))", "\\[x\\]\\(javascript\\:alert\\(1\\)\\)"),
    ("R&S *forte* `code` {: .x }", "R&amp;S \\*forte\\* \\`code\\` \\{\\: \\.x \\}"),
    ("città d’arte – «sì»", "città d’arte – «sì»"),
])
def test_plain_text_can_never_become_markup(text: str, expected: str) -> None:
    assert str(md_text(text)) == expected


def test_navigation_stays_small_for_large_kinds(project: Path) -> None:
    catalog = pipeline.linked(project).catalog
    assert catalog is not None
    catalog.by_kind["city"] = catalog.by_kind["city"] * (NAV_LIMIT // len(catalog.by_kind["city"]) + 1)
    translation = i18n.load(ROOT)[0]["it"]
    nav = navigation(catalog, translation, extra=[{"Informazioni": "informazioni.md"}])
    sections = {title: children for item in nav for title, children in item.items()}
    plural = {k.name: translation.words["kinds"][k.name]["plural"] for k in KINDS}
    assert sections[plural["city"]] == ["cities/index.md"]  # more than NAV_LIMIT: the index alone
    assert sections[plural["circle"]] == ["circles/index.md", "circles/circolo.md"]
    assert [next(iter(item)) for item in nav[3:3 + len(KINDS)]] == list(plural.values())  # every kind, in order
    assert nav[0] == {"Home": "index.md"} and nav[-5] == {"Informazioni": "informazioni.md"}
    assert nav[-4] == {"Tag": "tag.md"}  # generated, after the hand-written pages, as it was written in mkdocs.yml
    assert nav[-3] == {"Dati": "dati.md"} and nav[-2] == {"Riferimento dei campi": "campi.md"}  # the data, then its fields
    assert nav[-1] == {"Novità": "changelog.md"}


def test_an_entity_page_has_its_tags_by_name_each_linking_its_page(project: Path) -> None:
    result = pipeline.run(project)
    pages = {page.src_uri: page for page in result.pages}
    chips = pages["circles/circolo.md"].tags
    assert [(chip.name, chip.url) for chip in chips] == [("innovazione", "tag/innovazione/")]
    assert all(chip.page in pages for chip in chips)
    assert not pages["cities/beta.md"].tags  # no tags: no chips


# ---------------------------------------------------------------------------------------------
# Places joined to linked data: a city's identifiers on its page and in its JSON-LD
# ---------------------------------------------------------------------------------------------


@pytest.mark.brief
@pytest.mark.parametrize(("lang", "facts"), [
    ("it", ["Regione: Lombardia (codice ISTAT 03) (aggiunto)", "Codice ISTAT del comune: 015146 (aggiunto)",
            "Wikidata: Q490 (aggiunto)"]),
    ("en", ["Region: Lombardy (ISTAT code 03) (added)", "ISTAT municipality code: 015146 (added)",
            "Wikidata: Q490 (added)"]),
])
def test_a_city_page_shows_its_region_s_code_its_istat_code_and_links_its_wikidata_item(
        real_run: dict[str, pipeline.Result], lang: str, facts: list[str]) -> None:
    (page,) = [p for p in real_run[lang].pages if p.src_uri.endswith("cities/milano.md")]
    soup = BeautifulSoup(shown(page), "html.parser")
    box = soup.find("h2", id="scheda" if lang == "it" else "key-facts").find_next("ul")
    items = [" ".join(li.get_text(" ", strip=True).split()) for li in box.find_all("li")]
    assert set(facts) <= set(items), items
    (link,) = soup.select('a[href="https://www.wikidata.org/wiki/Q490"]')
    assert link.get_text() == "Q490"


@pytest.mark.brief
@pytest.mark.parametrize("lang", ["it", "en"])
def test_a_city_s_json_ld_is_the_same_as_its_wikidata_item_and_identified_by_its_istat_code(
        real_run: dict[str, pipeline.Result], lang: str) -> None:
    (page,) = [p for p in real_run[lang].pages if p.src_uri.endswith("cities/milano.md")]
    assert page.meta is not None
    (city,) = [n for n in page.meta.jsonld["@graph"] if n.get("@type") == "Place"]
    assert city["sameAs"] == "https://www.wikidata.org/wiki/Q490"
    assert city["identifier"] == ["city:milano", {"@type": "PropertyValue", "propertyID": "ISTAT", "value": "015146"}]
    assert city["containedInPlace"] == {"@type": "AdministrativeArea", "name": "Lombardia",
                                        "identifier": {"@type": "PropertyValue", "propertyID": "ISTAT", "value": "03"}}
    assert page.meta.jsonld["@context"]["sameAs"] == {"@id": "https://schema.org/sameAs", "@type": "@id"}  # an IRI


@pytest.mark.brief
def test_a_concept_with_a_wikidata_item_links_it(real_run: dict[str, pipeline.Result]) -> None:
    (page,) = [p for p in real_run["it"].pages if p.src_uri == "concepts/patrimonio-culturale.md"]
    soup = BeautifulSoup(shown(page), "html.parser")
    assert soup.select('a[href="https://www.wikidata.org/wiki/Q210272"]')
    assert page.meta is not None
    (term,) = [n for n in page.meta.jsonld["@graph"] if n.get("@type") == "DefinedTerm"]
    assert term["sameAs"] == "https://www.wikidata.org/wiki/Q210272"
