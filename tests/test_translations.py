"""The English edition's data: language blocks, untranslated warnings, translation files, generated schemas."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlante import i18n, pipeline, schemas

from helpers import OWN_GROUP, OWN_SLIDE, OWN_THEME, ROOT, atlante, edit, make_project, own_slide, write

PROVA = "data/themes/prova.yaml"
# A linked theme of the tests' own with every text translated; tests take one thing away or add one.
TRANSLATED = OWN_THEME


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The project, with the group the tests' theme links to (the theme is each test's to write)."""
    project = make_project(tmp_path)
    write(project, "data/themes/gruppo-di-prova.yaml", OWN_GROUP)
    return project


def findings(project: Path, level: str) -> list[str]:
    return [str(f) for f in pipeline.check(project).findings if f.level == level]


@pytest.mark.brief  # every text of the brief's data has its English translation
def test_the_real_data_is_translated_completely(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    assert findings(project, "warning") == []
    assert findings(project, "error") == []


def test_a_complete_translation_passes(project: Path) -> None:
    write(project, PROVA, TRANSLATED)
    assert findings(project, "warning") == [] and findings(project, "error") == []


def test_each_untranslated_text_is_a_warning_naming_file_line_and_field(project: Path) -> None:
    write(project, PROVA, TRANSLATED.replace("  summary: A test case.\n", "") + "body: Un testo.\n")
    assert findings(project, "warning") == [
        "data/themes/prova.yaml:3:1: warning: theme:prova: en.summary: expected a translation of summary in the 'en' block, found none (untranslated)",
        "data/themes/prova.yaml:10:1: warning: theme:prova: en.body: expected a translation of body in the 'en' block, found none (untranslated)",
    ]


def test_an_entity_without_a_language_block_warns_for_every_text(project: Path) -> None:
    write(project, PROVA, TRANSLATED.split("en:")[0])
    assert [w.split(": ")[3] for w in findings(project, "warning")] == ["en.title", "en.summary"]


def test_untranslated_statements_are_warnings(project: Path) -> None:
    own_slide(project)
    edit(project, OWN_SLIDE, "  - id: chiave\n", "  - id: domanda\n    text: Una domanda in più?\n  - id: chiave\n")
    warnings = findings(project, "warning")
    assert any(": en.statements.domanda.text: expected a translation of statements[1].text in the 'en' block, found none" in w
               for w in warnings), warnings


def test_strict_check_fails_on_an_untranslated_text(project: Path) -> None:
    write(project, PROVA, TRANSLATED.replace("  summary: A test case.\n", ""))
    assert atlante(project, "check").returncode == 0
    strict = atlante(project, "check", "--strict")
    assert strict.returncode == 1
    assert "warning: theme:prova: en.summary" in strict.stdout


def test_a_translation_of_a_field_the_original_lacks_is_an_error(project: Path) -> None:
    write(project, PROVA, TRANSLATED + "  body: A text the Italian does not have.\n")
    assert findings(project, "error") == [
        "data/themes/prova.yaml:11:3: theme:prova: en.body: expected only translations of fields this file has, "
        "found 'body', which the file lacks in its source text (translation-mismatch)",
    ]


def test_an_unknown_language_key_is_an_error_with_a_hint(project: Path) -> None:
    write(project, PROVA, TRANSLATED + "de:\n  title: Probe\n")
    [error] = findings(project, "error")
    assert error.startswith("data/themes/prova.yaml:11:1: theme:prova: de: expected one of the fields 'id', 'aliases', 'title', ")
    assert error.endswith("found 'de' (a language block? The site's other languages are 'en'; a new language needs its "
                          "interface words in overrides/atlante/i18n/de.yaml) (schema)")


def test_a_statement_translation_must_name_a_statement_of_the_slide(project: Path) -> None:
    own_slide(project)
    assert findings(project, "error") == []
    edit(project, OWN_SLIDE, "\n    chiave:\n", "\n    chiavi:\n")
    errors = findings(project, "error")
    assert len(errors) == 1
    assert errors[0].endswith("slide:slide-9: en.statements.chiavi: expected the id of a statement of this slide "
                              "('citta', 'chiave'), found 'chiavi' (did you mean 'chiave'?) (translation-mismatch)")
    assert "warning: slide:slide-9: en.statements.chiave.text: expected a translation" in " ".join(findings(project, "warning"))


def test_a_javascript_link_in_an_english_body_is_an_error(project: Path) -> None:
    write(project, PROVA, TRANSLATED.replace("en:\n", "body: Testo.\nen:\n") + "  body: \"[x](javascript:alert(1))\"\n")
    assert findings(project, "error") == [
        "data/themes/prova.yaml:12:9: theme:prova: en.body: expected links to https:// or mailto: addresses "
        "(or to pages of this site), found 'javascript:alert(1)' (link)",
    ]


def test_markup_in_english_fields_must_be_text(project: Path) -> None:
    write(project, PROVA, TRANSLATED.replace("  title: Test", "  title: [Test]"))
    assert findings(project, "error") == [
        "data/themes/prova.yaml:9:10: theme:prova: en.title: expected a text, found a list of 1 item (schema)",
    ]


# ---------------------------------------------------------------------------------------------
# Translation files: every key in every language
# ---------------------------------------------------------------------------------------------


def _keys(value: object, path: tuple = ()) -> set[tuple]:
    if isinstance(value, dict):
        return set().union(*(_keys(v, (*path, k)) for k, v in value.items()))
    return {path}


def test_every_interface_key_exists_in_every_language() -> None:
    translations, problems = i18n.load(ROOT)
    assert problems == []
    assert sorted(translations) == ["en", "it"]
    reference = _keys(translations["it"].words)
    for lang, translation in translations.items():
        assert _keys(translation.words) == reference, lang
        for path in reference:
            value = translation.words
            for part in path:
                value = value[part]
            assert isinstance(value, str), (lang, path)


def test_a_missing_interface_key_is_a_located_error(project: Path) -> None:
    edit(project, "overrides/atlante/i18n/en.yaml", "  relations: Connections\n", "")
    edit(project, "overrides/atlante/i18n/en.yaml", "  heading: Slide heading\n", "  heading: Slide heading\n  extra: Extra\n")
    assert findings(project, "error") == [
        "overrides/atlante/i18n/en.yaml:7:3: (language en): ui.relations: expected this key (as in it.yaml), found it missing (interface-words)",
        "overrides/atlante/i18n/en.yaml:23:3: (language en): ui.extra: expected only the keys of it.yaml, found this one, which it lacks (interface-words)",
    ]


def test_a_third_language_needs_only_its_translation_file(project: Path) -> None:
    french = (project / "overrides/atlante/i18n/en.yaml").read_text(encoding="utf-8").replace("language: English", "language: Français")
    write(project, "overrides/atlante/i18n/fr.yaml", french)
    assert i18n.languages(project) == ["it", "en", "fr"]
    assert atlante(project, "generate").returncode == 0
    result = pipeline.run(project, lang="fr")
    assert result.errors == []
    assert any(w.field == "fr.title" for w in result.warnings)  # the data is not translated yet
    named = {"dati.md": "data.md", "campi.md": "fields.md"}  # the site's own pages, at the paths fr.yaml gives (en.yaml's)
    assert [p.src_uri for p in result.pages] == [named.get(p.src_uri, p.src_uri) for p in pipeline.run(project, lang="it").pages]


# ---------------------------------------------------------------------------------------------
# Generated parts of the schemas and the README
# ---------------------------------------------------------------------------------------------


def test_the_committed_schemas_and_readme_table_are_current() -> None:
    assert schemas.stale(ROOT) == []
    assert "| `parte_di` | city → circle | Fa parte di | Comprende le città |" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_generate_check_notices_a_changed_heading_and_generate_fixes_it(project: Path) -> None:
    edit(project, "overrides/atlante/i18n/it.yaml", "parte_di: {forward: Fa parte di,", "parte_di: {forward: Appartiene a,")
    stale = atlante(project, "generate", "--check")
    assert stale.returncode == 1
    assert "data/schema/city.schema.json: not current; run `atlante generate`" in stale.stdout
    assert "README.md: not current; run `atlante generate`" in stale.stdout
    assert atlante(project, "generate").returncode == 0
    assert atlante(project, "generate", "--check").returncode == 0
    assert "«Appartiene a»" in (project / "data/schema/city.schema.json").read_text(encoding="utf-8")
