"""Step 2: validation. Each kind of problem is asserted with its exact message, file, line, field."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from atlante import links, pipeline, rules
from atlante.kinds import KINDS
from atlante.sanitize import clean_html

from helpers import MILANO, ORPHAN_CONCEPT, OWN_SLIDE, ROOT, edit, frozen_project, make_project, own_slide, write


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The project, with data/cities/milano.yaml as the tests know it (tests/fixtures/frozen): the
    lines they edit and the positions they expect stay put whatever an editor changes in the file."""
    return frozen_project(tmp_path)


def messages(project: Path, level: str = "error") -> list[str]:
    return [str(f) for f in pipeline.check(project).findings if f.level == level]


@pytest.mark.brief
def test_real_data_is_valid_without_warnings(tmp_path: Path) -> None:
    assert [str(f) for f in pipeline.check(make_project(tmp_path)).findings] == []


def test_unknown_field_suggests_the_near_miss_and_missing_field_is_named(project: Path) -> None:
    edit(project, MILANO, 'title: "Milano"', 'titel: "Milano"')
    assert messages(project) == [
        "data/cities/milano.yaml:2:1: city:milano: title: expected this field, found it missing (schema)",
        "data/cities/milano.yaml:3:1: city:milano: titel: expected one of the fields 'id', 'aliases', 'title', 'summary', "
        "'named_as', 'body', 'tags', 'sources', 'relations', 'added', 'region', 'coordinates', 'istat', "
        "'wikidata', 'en', found 'titel' (did you mean 'title'?) (schema)",
    ]


def test_wrong_type(project: Path) -> None:
    edit(project, MILANO, "lat: 45.4642", "lat: nord")
    assert messages(project) == [
        "data/cities/milano.yaml:9:20: city:milano: coordinates.lat: expected a number, found 'nord' (schema)",
    ]


def test_out_of_range_coordinate(project: Path) -> None:
    edit(project, MILANO, "lon: 9.1900", "lon: 190")
    assert messages(project) == [
        "data/cities/milano.yaml:9:34: city:milano: coordinates.lon: expected a number ≤ 180, found the number 190 (schema)",
    ]


def test_enum_suggests_the_near_miss(project: Path) -> None:
    edit(project, MILANO, "region: Lombardia", "region: Lombardi")
    [message] = messages(project)
    assert message.startswith("data/cities/milano.yaml:8:9: city:milano: region: expected one of 'Abruzzo', ")
    assert message.endswith(", found 'Lombardi' (did you mean 'Lombardia'?) (schema)")


def test_pattern_is_explained_in_words(project: Path) -> None:
    edit(project, MILANO, "tags: [citta, circoli-magici]", "tags: [citta, Circoli Magici]")
    assert messages(project) == [
        "data/cities/milano.yaml:10:15: city:milano: tags[1]: expected lowercase letters, digits and single "
        "hyphens (like 'made-in-italy'), found 'Circoli Magici' (schema)",
    ]


def test_id_must_equal_the_file_name(project: Path) -> None:
    edit(project, MILANO, "id: milano", "id: milan")
    assert messages(project) == [
        "data/cities/milano.yaml:2:5: city:milano: id: expected 'milano' (the file name), found 'milan' (id-mismatch)",
    ]


def test_file_name_must_be_a_slug(project: Path) -> None:
    (project / MILANO).rename(project / "data/cities/Milano.yaml")
    errors = [m for m in messages(project) if m.startswith("data/cities/Milano.yaml")]
    assert errors == [  # one cause, one message: not also an id that differs from the file name
        "data/cities/Milano.yaml:2:1: city:Milano: (file): expected a file name of lowercase letters, digits and single "
        "hyphens, found 'Milano.yaml' (file-name)",
    ]


def test_dangling_reference_suggests_the_closest_id(project: Path) -> None:
    edit(project, MILANO, "- circle:circoli-magici-del-made-in-italy", "- circle:circoli-magici-del-made-in-itali")
    assert messages(project) == [
        "data/cities/milano.yaml:16:7: city:milano: relations.parte_di[0]: expected a known circle (a file "
        "data/circles/circoli-magici-del-made-in-itali.yaml), found 'circle:circoli-magici-del-made-in-itali', "
        "which does not exist (did you mean 'circle:circoli-magici-del-made-in-italy'?) (unknown-reference)",
    ]


def test_reference_of_the_wrong_kind(project: Path) -> None:
    edit(project, MILANO, "- circle:circoli-magici-del-made-in-italy", "- city:roma")
    assert messages(project) == [
        "data/cities/milano.yaml:16:7: city:milano: relations.parte_di[0]: expected a reference to a circle, "
        "found 'city:roma' (a city) (relation-kind)",
    ]


def test_reference_to_an_unknown_kind(project: Path) -> None:
    edit(project, MILANO, "- circle:circoli-magici-del-made-in-italy", "- circl:circoli-magici-del-made-in-italy")
    assert messages(project) == [
        "data/cities/milano.yaml:16:7: city:milano: relations.parte_di[0]: expected a reference to a circle, "
        "found the unknown kind 'circl' (did you mean 'circle'?) (relation-kind)",
    ]


def test_unknown_relation_type(project: Path) -> None:
    edit(project, MILANO, "  parte_di:", "  parte-di:")
    assert messages(project) == [
        "data/cities/milano.yaml:15:3: city:milano: relations.parte-di: expected one of the fields 'parte_di', "
        "'richiama', found 'parte-di' (did you mean 'parte_di'?) (schema)",
    ]


# A theme of the tests' own, which is a domain of itself
SELF_THEME = """
    id: prova
    title: Prova
    summary: Un tema della prova.
    category: dominio
    sources: [slide-3#citta-sedi]
    relations:
      dominio_di:
        - theme:prova
    en: {title: Test, summary: A theme of the test.}
    """

# A city of the tests' own, beside Milano
PAVIA = """
    id: pavia
    title: Pavia
    summary: Una città della prova.
    region: Lombardia
    coordinates: {lat: 45.1847, lon: 9.1582}
    sources: [slide-3#citta-sedi]
    added:
      - fields: [region, coordinates]
        source: Una fonte di prova
    en: {title: Pavia, summary: A city of the test., added: [{source: A source of the test}]}
    """


def test_self_reference(project: Path) -> None:
    write(project, "data/themes/prova.yaml", SELF_THEME)
    assert messages(project) == [
        "data/themes/prova.yaml:8:7: theme:prova: relations.dominio_di[0]: expected a reference to another entity, "
        "found 'theme:prova', this entity itself (self-reference)"]


def test_duplicate_relation(project: Path) -> None:
    edit(project, MILANO, "    - circle:circoli-magici-del-made-in-italy\n",
         "    - circle:circoli-magici-del-made-in-italy\n    - circle:circoli-magici-del-made-in-italy\n")
    assert messages(project) == [
        "data/cities/milano.yaml:17:7: city:milano: relations.parte_di[1]: expected each item once, found "
        "'circle:circoli-magici-del-made-in-italy' again (first at item 0) (schema)",
    ]


def test_unknown_statement_suggests_the_closest(project: Path) -> None:
    edit(project, MILANO, "- slide-3#citta-sedi", "- slide-3#citta-sede")
    [message] = messages(project)
    assert message.startswith("data/cities/milano.yaml:12:5: city:milano: sources[0]: expected a statement of slide-3 ('")
    assert "'citta-sedi'" in message.split("), found")[0]  # among the slide's statements it lists
    assert message.endswith("found 'citta-sede' (did you mean 'citta-sedi'?) (unknown-statement)")


def test_unknown_slide(project: Path) -> None:
    own_slide(project)  # slide-9, the nearest to what is written
    edit(project, MILANO, "- slide-3#citta-sedi", "- slide-99#citta-sedi")
    slides = ", ".join(repr(p.stem) for p in sorted((project / "data" / "slides").glob("*.yaml")))
    assert messages(project) == [
        f"data/cities/milano.yaml:12:5: city:milano: sources[0]: expected a slide of data/slides/ ({slides}), "
        "found 'slide-99' (did you mean 'slide-9'?) (unknown-statement)",
    ]


def test_added_must_name_fields_of_the_file(project: Path) -> None:
    edit(project, MILANO, "fields: [region, coordinates]", "fields: [regione, coordinates]")
    errors = messages(project)
    assert errors == [
        "data/cities/milano.yaml:8:9: city:milano: region: expected 'region' to be listed under 'added' with its "
        "source (the brief does not give it), found it unmarked (unmarked-addition)",
        "data/cities/milano.yaml:18:14: city:milano: added[0].fields[0]: expected a field written in this file "
        "('title', 'summary', 'region', 'coordinates', 'tags', 'sources', 'relations'), found 'regione' "
        "(did you mean 'region'?) (added-field)",
    ]


def test_named_as_must_appear_in_a_source(project: Path) -> None:
    edit(project, MILANO, 'title: "Milano"\n', 'title: "Milano"\nnamed_as: "maggiori città"\n')
    assert messages(project) == []  # words of its statements
    edit(project, MILANO, 'named_as: "maggiori città"', 'named_as: "catene del valore"')
    assert messages(project) == [
        "data/cities/milano.yaml:4:11: city:milano: named_as: expected words that appear in one of this "
        "entity's sources, found 'catene del valore' (unsourced-wording)",
    ]


def test_duplicate_statement_id(project: Path) -> None:
    own_slide(project)
    edit(project, OWN_SLIDE, "  - id: chiave", "  - id: citta")
    assert messages(project) == [
        "data/slides/slide-9.yaml:11:9: slide:slide-9: statements[1].id: expected each statement id once in the "
        "slide, found 'citta' again (first at statements[0]) (duplicate-id)",
        # the English block's `citta` is read as the second one's, which has no label
        "data/slides/slide-9.yaml:23:7: slide:slide-9: en.statements.citta.label: expected only translations of fields "
        "statement 'citta' has, found 'label', which it lacks (translation-mismatch)",
        # and it still translates the other statement under its old id
        "data/slides/slide-9.yaml:24:5: slide:slide-9: en.statements.chiave: expected the id of a statement of "
        "this slide ('citta'), found 'chiave' (translation-mismatch)",
    ]


def test_entity_nothing_links_to_is_a_warning(project: Path) -> None:
    write(project, "data/concepts/innovazione.yaml", ORPHAN_CONCEPT)
    assert messages(project) == []
    assert messages(project, "warning") == [
        "data/concepts/innovazione.yaml:1:1: warning: concept:innovazione: relations: expected a relation to or "
        "from another entity, found none: nothing links to this page (orphan)",
    ]


def test_statement_no_entity_represents_is_a_warning(project: Path) -> None:
    own_slide(project)  # its two statements cited by Milano
    edit(project, MILANO, "  - slide-3#catalizzatori\n", "  - slide-3#catalizzatori\n  - slide-9#citta\n  - slide-9#chiave\n")
    assert messages(project, "warning") == []
    edit(project, OWN_SLIDE, "  - id: chiave\n", "  - id: domanda\n    text: Una domanda in più?\n  - id: chiave\n")
    assert messages(project, "warning") == [
        "data/slides/slide-9.yaml:11:5: warning: slide:slide-9: statements[1]: expected an entity that represents "
        "statement 'domanda' (in its sources), found none (uncited-statement)",
        "data/slides/slide-9.yaml:12:5: warning: slide:slide-9: en.statements.domanda.text: expected a translation of "
        "statements[1].text in the 'en' block, found none (untranslated)",
    ]


def test_every_problem_of_a_run_is_reported(project: Path) -> None:
    edit(project, MILANO, "region: Lombardia", "region: 12")
    write(project, "data/cities/pavia.yaml", PAVIA.replace("id: pavia", "id: pavese"))
    write(project, "data/themes/rotto.yaml", "id: rotto\ntitle: [\n")
    write(project, "data/concepts/innovazione.yaml", ORPHAN_CONCEPT.replace("slide-3#citta-sedi", "slide-3#nessuna"))
    files = [m.split(":")[0] for m in messages(project)]
    assert files == [
        "data/cities/milano.yaml",
        "data/cities/pavia.yaml",
        "data/concepts/innovazione.yaml",
        "data/themes/rotto.yaml",
    ]


# ---------------------------------------------------------------------------------------------
# Folded text that splits a hyphenated word, and places off the map
# ---------------------------------------------------------------------------------------------


def test_a_folded_line_ending_inside_a_hyphenated_word_is_reported_in_any_text_field(project: Path) -> None:
    edit(project, MILANO, 'title: "Milano"', 'title: "Milano"\nnamed_as: >-\n  la ri-\n  personalizzazione')
    edit(project, MILANO, '  title: "Milan"', '  title: "Milan"\n  named_as: >-\n    a pre-\n    industrial city')
    assert [m for m in messages(project, "warning") if "folded-hyphen" in m] == [
        "data/cities/milano.yaml:5:6: warning: city:milano: named_as: expected a hyphenated word on one line, found "
        "'ri-' at the end of line 5 and 'personalizzazione' on the next: YAML joins them with a space "
        "('ri- personalizzazione'); move 'ri-' to the next line (folded-hyphen)",
        "data/cities/milano.yaml:27:7: warning: city:milano: en.named_as: expected a hyphenated word on one line, "
        "found 'pre-' at the end of line 27 and 'industrial' on the next: YAML joins them with a space ('pre- industrial'); "
        "move 'pre-' to the next line (folded-hyphen)",
    ]


def test_a_suspended_hyphen_before_a_conjunction_is_not_reported(project: Path) -> None:
    edit(project, MILANO, 'title: "Milano"', 'title: "Milano"\nnamed_as: >-\n  città pre-\n  e post-industriale')
    assert [m for m in messages(project, "warning") if "folded-hyphen" in m] == []


def _identifiers(project: Path, istat: str, wikidata: str, marked: str = "istat, wikidata") -> None:
    """Milano with an ISTAT code and a Wikidata item after its coordinates (lines 10 and 11), `marked` as added."""
    edit(project, MILANO, "coordinates: {lat: 45.4642, lon: 9.1900}\n",
         f"coordinates: {{lat: 45.4642, lon: 9.1900}}\nistat: {istat}\nwikidata: {wikidata}\n")
    edit(project, MILANO, "  - fields: [region, coordinates]", f"  - fields: [region, coordinates, {marked}]")


def test_well_formed_identifiers_are_valid(project: Path) -> None:
    _identifiers(project, '"015146"', "Q490")
    assert messages(project) == []


@pytest.mark.parametrize(("istat", "wikidata", "expected"), [
    ('"15146"', "Q0490", [
        "data/cities/milano.yaml:10:8: city:milano: istat: expected an ISTAT municipality code: six digits, written as "
        "text (like '015146'), found '15146' (schema)",
        "data/cities/milano.yaml:11:11: city:milano: wikidata: expected a Wikidata item: Q and its number, no leading "
        "zero (like 'Q490'), found 'Q0490' (schema)"]),
    ("015146", "q490", [  # unquoted, YAML 1.1 reads the code as a number, an octal one: why it is quoted
        "data/cities/milano.yaml:10:8: city:milano: istat: expected a text, found the number 6758 (schema)",
        "data/cities/milano.yaml:11:11: city:milano: wikidata: expected a Wikidata item: Q and its number, no leading "
        "zero (like 'Q490'), found 'q490' (schema)"]),
    ('"0151460"', "https://www.wikidata.org/wiki/Q490", [
        "data/cities/milano.yaml:10:8: city:milano: istat: expected an ISTAT municipality code: six digits, written as "
        "text (like '015146'), found '0151460' (schema)",
        "data/cities/milano.yaml:11:11: city:milano: wikidata: expected a Wikidata item: Q and its number, no leading "
        "zero (like 'Q490'), found 'https://www.wikidata.org/wiki/Q490' (schema)"]),
])
def test_malformed_identifiers_are_refused_where_they_are(project: Path, istat: str, wikidata: str,
                                                          expected: list[str]) -> None:
    _identifiers(project, istat, wikidata)
    assert messages(project) == expected


def test_identifiers_are_additions_marked_with_their_source(project: Path) -> None:
    _identifiers(project, '"015146"', "Q490", marked="istat")
    assert messages(project) == [
        "data/cities/milano.yaml:11:11: city:milano: wikidata: expected 'wikidata' to be listed under 'added' with its "
        "source (the brief does not give it), found it unmarked (unmarked-addition)",
    ]


def test_coordinates_must_fall_in_italy_and_in_the_stated_region(project: Path) -> None:
    edit(project, MILANO, "coordinates: {lat: 45.4642, lon: 9.1900}", "coordinates: {lat: 45.0703, lon: 7.6869}")
    assert messages(project) == [
        "data/cities/milano.yaml:9:14: city:milano: coordinates: expected a point in Lombardia (the entity's region), "
        "found lat 45.0703, lon 7.6869, which is in Piemonte (wrong-region)",
    ]


def test_a_check_finds_the_regions_of_places_it_has_seen_without_loading_the_boundaries(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The regions found are kept (cache.py): the next check says the same from them, and neither
    projects a point nor reads the boundaries (most of what a check of thousands of entries took)."""
    monkeypatch.setenv("ATLANTE_CACHE", str(tmp_path / "kept"))
    edit(project, MILANO, "coordinates: {lat: 45.4642, lon: 9.1900}", "coordinates: {lat: 45.0703, lon: 7.6869}")
    first = messages(project)
    assert [m.rsplit("(", 1)[1] for m in first] == ["wrong-region)"]
    script = ("import sys; from pathlib import Path; from atlante import pipeline\n"
              f"said = [str(f) for f in pipeline.check(Path({str(project)!r})).findings if f.level == 'error']\n"
              "print(repr((said, sorted(m for m in ('pyproj', 'shapely') if m in sys.modules))))")
    again = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")},
                           capture_output=True, text=True, check=True).stdout
    assert again.strip() == repr((first, []))
    edit(project, MILANO, "coordinates: {lat: 45.0703, lon: 7.6869}", "coordinates: {lat: 48.8566, lon: 2.3522}")
    assert [m.rsplit("(", 1)[1] for m in messages(project)] == ["outside-italy)"]  # a new place: found anew


def test_a_tag_needs_a_name_in_the_translation_files(project: Path) -> None:
    edit(project, MILANO, "tags: [citta, circoli-magici]", "tags: [citta, circoli-magici, metropoli]")
    assert messages(project) == [
        "data/cities/milano.yaml:10:31: city:milano: tags[2]: expected a tag named under 'tags:' in "
        "overrides/atlante/i18n/it.yaml (known: circoli-magici, citta, crisi, globalizzazione, imprese, innovazione, "
        "made-in-italy, patrimonio-culturale, piattaforme, politiche, smart-cities, territorio), found 'metropoli'; "
        "add its name there, in every language (unknown-tag)",
    ]


# ---------------------------------------------------------------------------------------------
# Aliases: retired ids that redirect
# ---------------------------------------------------------------------------------------------


def test_aliases_may_not_take_a_live_id_the_index_their_own_id_or_another_alias(project: Path) -> None:
    write(project, "data/cities/pavia.yaml", PAVIA.replace("id: pavia\n", "id: pavia\n    aliases: [milan]\n"))
    edit(project, MILANO, "id: milano\n", "id: milano\naliases: [pavia, index, milano, milan]\n")
    assert messages(project) == [
        "data/cities/milano.yaml:3:11: city:milano: aliases[0]: expected a retired id, found 'pavia', the id of "
        "data/cities/pavia.yaml: /cities/pavia/ cannot both show that page and redirect here (alias-conflict)",
        "data/cities/milano.yaml:3:18: city:milano: aliases[1]: expected an earlier id, found 'index': /cities/index/ "
        "is the index of the city pages (alias-conflict)",
        "data/cities/milano.yaml:3:25: city:milano: aliases[2]: expected an earlier id, found 'milano', this entity's own id (alias-conflict)",
        "data/cities/pavia.yaml:2:11: city:pavia: aliases[0]: expected each alias once among the city entities, found "
        "'milan' also in data/cities/milano.yaml (aliases[3], line 3) (alias-conflict)",
    ]


# ---------------------------------------------------------------------------------------------
# Rules: each finding names its rule; the rules wait for a document to pass its schema
# ---------------------------------------------------------------------------------------------


def test_every_finding_names_a_listed_rule_of_its_level(project: Path) -> None:
    edit(project, MILANO, "- circle:circoli-magici-del-made-in-italy", "- circle:circoli-magici")
    edit(project, MILANO, '  title: "Milan"\n', "")
    found = pipeline.check(project).findings
    assert [(f.rule, f.level) for f in found] == [("untranslated", "warning"), ("unknown-reference", "error")]  # by line
    assert all(rules.RULES[f.rule].level == f.level for f in found)


def test_a_document_that_fails_its_schema_is_not_checked_by_the_rules(project: Path) -> None:
    write(project, "data/cities/pavia.yaml", PAVIA)
    edit(project, MILANO, "id: milano\n", "id: milano\naliases: [pavia, Milan]\n")  # (pavia: a live id, not said)
    assert messages(project) == [
        "data/cities/milano.yaml:3:18: city:milano: aliases[1]: expected lowercase letters, digits and single hyphens "
        "(like 'made-in-italy'), found 'Milan' (schema)",
    ]


def test_the_fields_outside_the_brief_are_declared_per_kind() -> None:
    assert {k.name: k.not_in_brief for k in KINDS if k.not_in_brief} == {
        "city": ("region", "coordinates", "istat", "wikidata"), "concept": ("wikidata",)}
    assert rules.RULES["unmarked-addition"].check is not None


# ---------------------------------------------------------------------------------------------
# One link policy: the validator reports in the Markdown source what the sanitiser drops
# ---------------------------------------------------------------------------------------------

BAD_LINKS = """\
Un [testo](https://example.org/) con una [fonte](http://example.org/)
e un [clic](javascript:alert(1)).

Un [rimando][a] e un'immagine ![traccia](https://example.org/pixel.png),
<a href="java&#115;cript:alert(2)">clic</a> e [una pagina](../milano/).

[a]: vbscript:msgbox(1)
"""


def test_each_link_or_image_against_the_policy_is_one_finding_on_its_line(project: Path) -> None:
    indented = "".join(f"  {line}\n" for line in BAD_LINKS.splitlines())
    edit(project, MILANO, "region: Lombardia\n", f"body: |\n{indented}region: Lombardia\n")
    edit(project, MILANO, '  title: "Milan"\n', '  title: "Milan"\n  body: An English body.\n')
    assert messages(project) == [
        "data/cities/milano.yaml:9:1: city:milano: body: expected links to https:// or mailto: addresses (or to pages "
        "of this site), found 'http://example.org/' (link)",
        "data/cities/milano.yaml:10:1: city:milano: body: expected links to https:// or mailto: addresses (or to pages "
        "of this site), found 'javascript:alert(1)' (link)",
        "data/cities/milano.yaml:12:1: city:milano: body: expected an image of this site (a relative address: pages "
        "load nothing from other hosts), found 'https://example.org/pixel.png' (image-source)",
        # MkDocs would refuse the page's address written for its file: the check says so first
        "data/cities/milano.yaml:13:1: city:milano: body: expected a link to a page's file ('milano.md'), found '../milano/' "
        "(link-target)",
        "data/cities/milano.yaml:13:1: city:milano: body: expected links to https:// or mailto: addresses (or to pages "
        "of this site), found 'javascript:alert(2)' (link)",
        "data/cities/milano.yaml:15:1: city:milano: body: expected links to https:// or mailto: addresses (or to pages "
        "of this site), found 'vbscript:msgbox(1)' (link)",
    ]


def test_the_sanitiser_drops_what_the_policy_refuses_from_a_built_page() -> None:
    html = clean_html(markdown.markdown(BAD_LINKS, extensions=["attr_list", "tables"]))
    page = BeautifulSoup(html, "html.parser")
    assert [a.get("href") for a in page.find_all("a")] == ["https://example.org/", None, None, None, None, "../milano/"]
    assert [img.get("src") for img in page.find_all("img")] == [None]
    assert all(links.allowed(a["href"]) for a in page.find_all("a", href=True))


@pytest.mark.parametrize(("address", "image", "allowed"), [
    ("https://example.org/", False, True), ("mailto:redazione@example.org", False, True), ("../roma/", False, True),
    ("#fonti", False, True), ("http://example.org/", False, False), (" javascript:alert(1)", False, False),
    ("java\tscript:alert(1)", False, False), ("//example.org/", False, False), ("data:text/html,x", False, False),
    ("img/mappa.png", True, True), ("https://example.org/p.png", True, False), ("data:image/png;base64,x", True, False),
])
def test_the_link_policy(address: str, image: bool, allowed: bool) -> None:
    assert links.allowed(address, image=image) is allowed


def test_a_ref_that_is_not_text_in_a_shared_schema_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    """A shared schema file (envelope.schema.json) is read before it is checked as a schema: a `$ref`
    that is a number there is said, located, like any other reference that goes nowhere."""
    from atlante.validate import _remote_references

    (tmp_path / "envelope.schema.json").write_text('{\n  "$defs": {"aliases": {"$ref": 5}}\n}\n')
    [finding] = _remote_references({"envelope.schema.json": {"$defs": {"aliases": {"$ref": 5}}}}, tmp_path, "data/schema")
    assert (finding.file, finding.line, finding.field) == ("data/schema/envelope.schema.json", 2, "/$defs/aliases/$ref")
    assert "found 5: nothing is fetched" in finding.message
