"""The `atlante` command: check in three formats with its exit codes, list and show, in two languages."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest

from atlante import i18n, rules
from atlante.model import Catalog

from helpers import MILANO, ROOT, atlante, edit, frozen_project, make_project


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data with one unknown reference (an error) and one untranslated title (a warning), both in
    Milano as the tests know it (helpers.frozen_project): the reference is a misspelling of the circle
    it links to, which the message suggests."""
    project = frozen_project(tmp_path_factory.mktemp("cli"))
    edit(project, MILANO, "    - circle:circoli-magici-del-made-in-italy", "    - circle:circoli-magici-del-made-in-itali")
    edit(project, MILANO, '  title: "Milan"\n', "")
    return project


ERROR = ("data/cities/milano.yaml", 16, 7, "city:milano", "relations.parte_di[0]", "unknown-reference")


def test_check_as_text_lists_errors_then_warnings_and_exits_1(broken: Path) -> None:
    result = atlante(broken, "check", "--lang", "en")
    assert result.stdout.splitlines() == [
        "data/cities/milano.yaml:16:7: city:milano: relations.parte_di[0]: expected a known circle (a file "
        "data/circles/circoli-magici-del-made-in-itali.yaml), found 'circle:circoli-magici-del-made-in-itali', which does not "
        "exist (did you mean 'circle:circoli-magici-del-made-in-italy'?) (unknown-reference)",
        "data/cities/milano.yaml:3:1: warning: city:milano: en.title: expected a translation of title in the 'en' block, "
        "found none (untranslated)",
    ]
    assert result.stderr.strip() == "1 errors, 1 warnings in project/data" and result.returncode == 1


def test_check_as_github_annotations_lands_on_the_lines_titled_by_rule(broken: Path) -> None:
    result = atlante(broken, "check", "--format", "github")
    assert result.stdout.splitlines() == [
        "::error file=data/cities/milano.yaml,line=16,col=7,title=atlante unknown-reference::city:milano: "
        "relations.parte_di[0]: expected a known circle (a file data/circles/circoli-magici-del-made-in-itali.yaml), found "
        "'circle:circoli-magici-del-made-in-itali', which does not exist (did you mean 'circle:circoli-magici-del-made-in-italy'?)",
        "::warning file=data/cities/milano.yaml,line=3,col=1,title=atlante untranslated::city:milano: en.title: "
        "expected a translation of title in the 'en' block, found none",
    ]
    assert result.returncode == 1


def test_check_as_json_separates_errors_and_warnings_and_names_their_rules(broken: Path) -> None:
    result = atlante(broken, "check", "--format", "json")
    report = json.loads(result.stdout)
    assert [(f["file"], f["line"], f["col"], f["subject"], f["field"], f["rule"]) for f in report["errors"]] == [ERROR]
    assert [(f["field"], f["rule"]) for f in report["warnings"]] == [("en.title", "untranslated")] and report["valid"] is False
    assert result.returncode == 1


def test_rules_lists_every_rule_with_its_level(broken: Path) -> None:
    result = atlante(broken, "rules")
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and [line.split()[0] for line in lines] == list(rules.RULES)
    assert any(line.split()[:2] == ["unknown-reference", "error"] for line in lines)
    assert any(line.split()[:2] == ["orphan", "warning"] for line in lines)
    assert {"syntax", "schema", "hidden-character", "link", "address-taken", "alias-conflict", "untranslated",
            "outside-italy"} <= set(rules.RULES)
    said = result.stderr.split("Keys, each unique in its scope:")[1]  # what the site uses as a key, and which rule says so
    assert "a slide's number, among the slides" in said and "duplicate-number" in said and "duplicate-id" in said
    assert all(rule.split(" (")[0] in rules.RULES for _key, found in rules.KEYS for rule in found.replace("its file name: ", "").split(", "))


def test_check_says_valid_in_the_chosen_language_and_exits_0(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    italian = atlante(project, "check", "--lang", "it")
    assert (italian.returncode, italian.stdout, italian.stderr.strip()) == (0, "", "0 errori, 0 avvisi: data/ è valida")
    assert atlante(project, "check", "--strict", "--format", "json").returncode == 0


@pytest.mark.parametrize(("locale", "said"), [("it_IT.UTF-8", "0 errori, 0 avvisi: data/ è valida"),
                                              ("en_GB.UTF-8", "0 errors, 0 warnings: data/ is valid"),
                                              ("de_DE.UTF-8", "0 errori, 0 avvisi: data/ è valida"),
                                              ("C.UTF-8", "0 errori, 0 avvisi: data/ è valida")])
def test_the_words_are_the_locales_language_with_a_translation_file_else_the_sources(
        tmp_path: Path, locale: str, said: str) -> None:
    """The languages are the translation files: a locale with none speaks the source language."""
    assert atlante(make_project(tmp_path), "check", locale=locale).stderr.strip() == said


def test_a_language_without_a_translation_file_is_refused_naming_the_known_ones(tmp_path: Path) -> None:
    result = atlante(make_project(tmp_path), "check", "--lang", "fr")
    assert result.returncode == 2 and result.stderr.splitlines()[-1] == (
        "atlante check: error: argument --lang: expected one of it, en (a translation file in overrides/atlante/i18n/), "
        "found 'fr'")


@pytest.mark.parametrize("args", [("check", "--format", "xml"), ("show", "milano"), ("list", "towns"), ("new", "towns", "x"), ("frobnicate",)])
def test_wrong_usage_exits_2_saying_what_was_expected(broken: Path, args: tuple[str, ...]) -> None:
    result = atlante(broken, *args)
    assert result.returncode == 2 and "usage: atlante" in result.stderr and "Traceback" not in result.stderr


def test_every_command_has_help(broken: Path) -> None:
    for command in ("check", "rules", "list", "show", "new", "generate"):
        result = atlante(broken, command, "--help")
        assert result.returncode == 0 and result.stdout.startswith(f"usage: atlante {command}")


@pytest.mark.brief
def test_list_and_show_say_what_exists_and_how_it_is_linked(tmp_path: Path) -> None:  # the brief's cities, Milano's links
    project = make_project(tmp_path)
    listed = atlante(project, "list", "cities", "--lang", "en")
    assert listed.stdout.splitlines()[:3] == ["city (cities/): 6 entries", "  city:milano  Milano", "  city:torino  Torino"]
    shown = atlante(project, "show", "city:milano", "--lang", "en").stdout.splitlines()
    assert shown[:3] == ["city:milano  Milan", "File: data/cities/milano.yaml", shown[2]] and shown[2].startswith("Summary: Milan is")
    assert "Links written here:" in shown and "  parte_di (Is part of): circle:circoli-magici-del-made-in-italy  The magic circles of made in Italy" in shown
    assert "Links to this entry:" in shown and any(line.startswith("  coinvolge (") for line in shown)
    missing = atlante(project, "show", "city:milan", "--lang", "it")
    assert missing.returncode == 1 and missing.stderr.strip() == "city:milan: nessuna voce con questo riferimento; forse city:milano?"


def test_list_refuses_to_guess_on_broken_data(broken: Path) -> None:
    result = atlante(broken, "list", "--lang", "en")
    assert result.returncode == 1 and result.stderr.strip() == "data/ has errors: fix them first (atlante check lists them)."


def test_new_writes_a_documented_skeleton_that_passes_check_once_filled(tmp_path: Path, catalog: Catalog) -> None:
    project = make_project(tmp_path)
    result = atlante(project, "new", "cities", "pavia", "--lang", "en")
    assert result.returncode == 0 and result.stderr.strip() == "wrote data/cities/pavia.yaml: fill in the null values, then atlante check"
    path = project / "data/cities/pavia.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/city.schema.json\n")
    assert "# The page’s title, in Italian, as plain text.\ntitle: null  # fill in\n" in text
    assert "\n# tags: [\"citta\", \"made-in-italy\"]\n" in text  # an optional field, with the schema's example
    unfilled = atlante(project, "check")
    assert unfilled.returncode == 1
    assert {line.split(": ")[2] for line in unfilled.stdout.splitlines() if "city:pavia" in line and ": warning: " not in line} >= {
        "title", "summary", "sources", "region", "coordinates"}
    filled = (text.replace("title: null  # fill in", 'title: "Pavia"')
              .replace("summary: null  # fill in", "summary: Una città di prova.")
              .replace("sources: null  # fill in", f"sources: [{next(iter(catalog.statements))}]")  # any statement
              .replace("region: null  # fill in", "region: Lombardia")
              .replace("coordinates: null  # fill in", "coordinates: {lat: 45.1847, lon: 9.1582}")
              + "added:\n  - fields: [region, coordinates]\n    source: Wikipedia, voce «Pavia»\n")
    path.write_text(filled, encoding="utf-8")
    result = atlante(project, "check")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("new_id", "message"), [
    ("milano", "data/cities/milano.yaml: city: id: expected a new id, found 'milano', the id of data/cities/milano.yaml"),
    ("../pwned", "data/cities/: city: id: expected lowercase letters, digits and single hyphens (it becomes the file name "
                 "and the address /cities/<id>/), found '../pwned'"),
    ("index", "data/cities/index.yaml: city: id: expected an id other than 'index' (/cities/index/ is the index of the "
              "city pages), found 'index'"),
    ("capitale", "data/cities/capitale.yaml: city: id: expected a new id, found 'capitale', an earlier id of "
                 "data/cities/milano.yaml (listed in its aliases: its old address redirects there)"),
])
def test_new_refuses_an_id_that_is_taken_reserved_or_a_path(tmp_path: Path, new_id: str, message: str) -> None:
    project = frozen_project(tmp_path)
    edit(project, MILANO, "id: milano\n", "id: milano\naliases: [capitale]\n")
    before = sorted(p.name for p in (project / "data/cities").iterdir())
    result = atlante(project, "new", "city", new_id)
    assert (result.returncode, result.stderr.strip()) == (1, message)
    assert sorted(p.name for p in (project / "data/cities").iterdir()) == before  # nothing written
    assert not (tmp_path / "pwned.yaml").exists()


def test_check_says_the_rules_messages_in_the_chosen_language(broken: Path) -> None:
    result = atlante(broken, "check", "--lang", "it")
    assert result.stdout.splitlines() == [
        "data/cities/milano.yaml:16:7: city:milano: relations.parte_di[0]: atteso un circle esistente (un file "
        "data/circles/circoli-magici-del-made-in-itali.yaml), trovato 'circle:circoli-magici-del-made-in-itali', che non "
        "esiste (forse 'circle:circoli-magici-del-made-in-italy'?) (unknown-reference)",
        "data/cities/milano.yaml:3:1: warning: city:milano: en.title: attesa una traduzione di title nel blocco 'en', "
        "trovata nessuna (untranslated)",
    ]
    report = json.loads(atlante(broken, "check", "--lang", "it", "--format", "json").stdout)
    assert report["warnings"][0]["message"] == "attesa una traduzione di title nel blocco 'en', trovata nessuna"


def test_the_translation_files_give_every_rules_message_with_its_placeholders() -> None:
    translations, _ = i18n.load(ROOT)
    assert translations["en"].words["cli"]["findings"] == rules.templates()  # the English, as the rules say it
    italian = translations["it"].words["cli"]["findings"]
    for rule_id, english in rules.templates().items():
        pairs = english.items() if isinstance(english, dict) else [("", english)]
        for variant, template in pairs:
            translated = italian[rule_id][variant] if variant else italian[rule_id]
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert {name for _, name, _, _ in string.Formatter().parse(translated) if name} <= names, (rule_id, variant)


def test_the_schema_s_frequent_findings_are_said_in_italian_too(tmp_path: Path) -> None:
    project = frozen_project(tmp_path)
    edit(project, MILANO, "region: Lombardia", "region: Lombardi")
    edit(project, MILANO, "\nid: milano", "\nid: milano\ntitolo: Milano")
    italian = atlante(project, "check", "--lang", "it").stdout
    english = atlante(project, "check", "--lang", "en").stdout
    assert "region: atteso uno tra 'Abruzzo'," in italian and "trovato 'Lombardi' (forse 'Lombardia'?) (schema)" in italian
    assert "titolo: atteso uno dei campi " in italian and "trovato 'titolo' (forse 'title'?) (schema)" in italian
    assert "region: expected one of 'Abruzzo'," in english and "found 'Lombardi' (did you mean 'Lombardia'?) (schema)" in english
