"""The field reference (campi/): every field of every schema, nested ones included, with its type in
words, its description in the page's language and the schema's example, escaped; anchors that depend
on the kind and the field only; a field no translation file describes is a located error."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from markupsafe import escape

from atlante import i18n, opendata, pipeline, reference
from atlante import pages as pages_
from atlante.kinds import KINDS
from atlante.render import md_text

from helpers import ROOT, atlante, edit, make_project

SCHEMAS = ROOT / "data" / "schema"
EXTENSIONS = ["admonition", "attr_list", "def_list", "tables", "toc", "pymdownx.escapeall"]  # as mkdocs.yml


def schema_paths(kind_name: str) -> list[str]:
    """Every field path of a kind's schema, walked here independently of opendata.fields: list items
    as [], the groups under each id of an object as <id>, the relations' types without their items."""
    def resolve(node: dict) -> dict:
        if "$ref" in node:
            file, _, pointer = node["$ref"].partition("#")
            target = json.loads((SCHEMAS / file).read_text(encoding="utf-8"))
            for part in pointer.strip("/").split("/"):
                target = target[part]
            return {**target, **node}
        return node

    def walk(node: dict, path: str, descend: bool = True) -> Iterator[str]:
        yield path
        node = resolve(node)
        if not descend:
            return
        if isinstance(node.get("items"), dict):
            for name, sub in resolve(node["items"]).get("properties", {}).items():
                yield from walk(sub, f"{path}[].{name}")
        if isinstance(node.get("additionalProperties"), dict):
            for name, sub in node["additionalProperties"].get("properties", {}).items():
                yield from walk(sub, f"{path}.<id>.{name}")
        for name, sub in node.get("properties", {}).items():
            yield from walk(sub, f"{path}.{name}", path != "relations")

    schema = json.loads((SCHEMAS / f"{kind_name}.schema.json").read_text(encoding="utf-8"))
    return [p for name, node in schema["properties"].items() for p in walk(node, name)]


@pytest.fixture(scope="module")
def pages(real_run: dict[str, pipeline.Result]) -> dict[str, str]:
    """The field reference of each edition, as Markdown."""
    out = {}
    for lang in ("it", "en"):
        [page] = [p for p in real_run[lang].pages if p.src_uri == pages_.path_of("fields", words=real_run[lang].translations[lang].words)]
        out[lang] = page.markdown
    return out


def entries(text: str) -> dict[str, list[tuple[str, str, str]]]:
    """Kind name -> (path, anchor, definition) of each field, as the page lists them."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for section in text.split("\n## ")[1:]:
        kind = re.search(r"\{ #([a-z]+) \}", section.splitlines()[0])[1]  # type: ignore[index]
        terms = re.split(r"^\[<code>(.*?)</code>\]\(#([a-z0-9_-]+)\) \{ #\2 [^}]*\}\n", section, flags=re.M)
        out[kind] = [(terms[i], terms[i + 1], terms[i + 2]) for i in range(1, len(terms), 3)]
    return out


def test_the_page_is_in_both_editions_each_at_its_language_s_address(real_run: dict[str, pipeline.Result],
                                                                      pages: dict[str, str]) -> None:
    assert pages["it"].startswith("---\ndescription: ") and "\n# Riferimento dei campi\n" in pages["it"]
    assert "\n# Field reference\n" in pages["en"]
    assert [pages_.path_of("fields", words=real_run[lang].translations[lang].words) for lang in ("it", "en")] == \
        ["campi.md", "fields.md"]


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_field_of_every_schema_is_listed_in_schema_order(pages: dict[str, str], lang: str) -> None:
    listed = entries(pages[lang])
    assert list(listed) == [k.name for k in KINDS]  # the kinds' order
    for kind in KINDS:
        assert [path for path, _, _ in listed[kind.name]] == [str(md_text(p)) for p in schema_paths(kind.name)], kind.name


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_field_has_its_type_in_words_and_its_description_in_the_pages_language(pages: dict[str, str],
                                                                                     lang: str) -> None:
    words = i18n.load(ROOT)[0][lang].words
    required = (f"**{words['reference']['required']}** · ", f"{words['reference']['optional']} · ")
    listed = entries(pages[lang])
    for kind in KINDS:
        for field, (_, _, definition) in zip(opendata.fields(kind, SCHEMAS), listed[kind.name], strict=True):
            first = definition.removeprefix(":   ").splitlines()[0]
            assert first.startswith(required), (kind.name, field.path, first)
            assert first.split(" · ", 1)[1].strip(), (kind.name, field.path)  # the type, in words
            if field.key:
                assert str(escape(words["opendata"]["fields"][field.key])) in definition, (kind.name, field.path)
    types = words["reference"]["types"]
    shown = {e["type"]["name"] for k in reference.kinds(SCHEMAS) for e in k["fields"]}
    assert shown <= set(types) and {"values", "references", "statements", "coordinates", "translation"} <= shown


def test_types_say_what_an_editor_writes(pages: dict[str, str]) -> None:
    city = {path: definition for path, _, definition in entries(pages["en"])["city"]}
    assert "one of the listed values: <code>Abruzzo</code>, " in city["region"]
    assert "coordinates: latitude and longitude" in city["coordinates"]
    assert "number from \\-90 to 90" in city["coordinates\\.lat"]
    assert "list of references to Magic circles (kind:id)" in city["relations\\.parte\\_di"]
    assert "list of statements of the brief" in city["sources"]
    assert "The English translation of [<code>title</code>](#city-title)." in city["en\\.title"]
    assert "**required**" in city["id"] and "**required**" not in city["aliases"]


def test_the_italian_page_shows_no_description_in_english(pages: dict[str, str]) -> None:
    english = {f.description for k in KINDS for f in opendata.fields(k, SCHEMAS)}
    assert [d for d in english if d and (d in pages["it"] or str(md_text(d)) in pages["it"])] == []
    assert "inglese" in pages["it"] and "English" not in pages["it"]


def test_every_field_is_described_in_every_language() -> None:
    translations, _ = i18n.load(ROOT)
    keys = {f.key for k in KINDS for f in opendata.fields(k, SCHEMAS) if f.key}
    for lang in i18n.languages(ROOT):
        words = translations[lang].words["opendata"]
        assert keys - set(words["fields"]) == set(), f"{lang}: fields with no description under opendata.fields"
        assert set(words["fields"]) - keys == set(), f"{lang}: descriptions of fields no schema has"
        assert set(i18n.languages(ROOT)) <= set(words["languages"]), f"{lang}: a language has no name"


def test_anchors_are_the_kind_and_the_path_the_same_in_both_editions(pages: dict[str, str]) -> None:
    anchors = {lang: [a for kind in entries(text).values() for _, a, _ in kind] for lang, text in pages.items()}
    assert anchors["it"] == anchors["en"]
    assert len(set(anchors["it"])) == len(anchors["it"])  # no two fields share one
    for expected in ("city-region", "city-coordinates-lat", "city-added-source", "city-en-added-source",
                     "city-relations-parte_di", "slide-statements-corrections-original", "slide-en-statements-text"):
        assert expected in anchors["it"]
    city = next(k for k in KINDS if k.name == "city")
    assert opendata.anchor(city, "en.statements.<id>.text") == "city-en-statements-text"


def test_the_anchors_work_once_converted(pages: dict[str, str]) -> None:
    html = markdown.markdown(pages["en"], extensions=EXTENSIONS)
    assert '<dt class="atlante-field atlante-field-depth-1" id="city-coordinates-lat">' in html
    assert '<a href="#city-coordinates-lat"><code>coordinates.lat</code></a>' in html
    assert '<h2 id="city">' in html


def test_an_example_with_html_special_characters_is_shown_escaped_as_code(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    hostile = '<script>alert("x")</script> & *em* `tick` [a](javascript:x) {: #y }'
    edit(project, "data/schema/city.schema.json", '"examples": [\n        "Lombardia"\n      ]',
         f'"examples": [\n        {json.dumps(hostile)}\n      ]')
    result = pipeline.run(project, lang="it")
    assert result.errors == [], [str(f) for f in result.errors]
    [page] = [p.markdown for p in result.pages if p.src_uri == pages_.path_of("fields", words=result.translations["it"].words)]
    assert "<script>" not in page
    html = markdown.markdown(page, extensions=EXTENSIONS)
    assert "<script>" not in html and "<em>" not in html and "javascript" not in html.split("<code>", 1)[0]
    assert ('<code>&lt;script&gt;alert("x")&lt;/script&gt; &amp; *em* `tick` [a](javascript:x) {: #y }</code>' in html)


def test_a_field_without_a_description_is_a_located_error_not_a_template_error(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    for lang in ("it", "en"):
        edit(project, f"overrides/atlante/i18n/{lang}.yaml",
             re.search(r"\n    city\.region: .*", (project / f"overrides/atlante/i18n/{lang}.yaml").read_text())[0], "")  # type: ignore[index]
    edit(project, "overrides/atlante/i18n/en.yaml",
         re.search(r"\n    added\[\]\.url: .*", (project / "overrides/atlante/i18n/en.yaml").read_text())[0], "")  # type: ignore[index]
    messages = [str(f) for f in pipeline.check(project).errors]
    line = next(i for i, text in enumerate((project / "data/schema/city.schema.json").read_text().splitlines(), 1)
                if text.strip() == '"region": {')
    assert messages == [
        f"data/schema/city.schema.json:{line}:15: (language en): region: expected a description of this field under "
        "opendata.fields.'city.region' in overrides/atlante/i18n/en.yaml (the field reference and the Dati page show it), "
        "found none (field-description)",
        f"data/schema/city.schema.json:{line}:15: (language it): region: expected a description of this field under "
        "opendata.fields.'city.region' in overrides/atlante/i18n/it.yaml (the field reference and the Dati page show it), "
        "found none (field-description)",
        # missing in English only: i18n says so, once, where the key belongs
        next(m for m in messages if m.startswith("overrides/atlante/i18n/en.yaml:")),
    ]
    assert "opendata.fields.added[].url: expected this key (as in it.yaml), found it missing" in messages[2]
    checked = atlante(project, "check")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert "data/schema/city.schema.json" in checked.stdout + checked.stderr
    # what the build runs (and prints, as test_hostile's real build shows): the same located errors,
    # the templates never reached
    assert [str(f) for f in pipeline.run(project).errors] == messages


def test_a_shared_field_without_a_description_is_located_in_the_envelope(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    for lang in ("it", "en"):
        path = project / f"overrides/atlante/i18n/{lang}.yaml"
        path.write_text(re.sub(r"\n    added\[\]\.source: .*", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    [first, second] = pipeline.check(project).errors
    assert first.file == second.file == "data/schema/envelope.schema.json" and first.field == "added[].source"
    assert "\"source\": {" in (project / first.file).read_text().splitlines()[first.line - 1]



def test_each_edition_shows_its_languages_examples_and_the_source_s_values(pages: dict[str, str]) -> None:
    """A text's example in the page's language (the schema's `en:` block); ids, tags and values as written."""
    for lang, title, statement in (("it", "Milano", "Si può pensare a circoli magici nuovi o rinnovati?"),
                                   ("en", "Milan", "Can new or renewed magic circles be imagined?")):
        city, slide = entries(pages[lang])["city"], entries(pages[lang])["slide"]
        shown = {path: definition for path, _anchor, definition in city + slide}
        assert f"<code>{title}</code>" in shown["title"], lang
        assert statement[:20] in shown[str(md_text("statements[].text"))], lang
        assert "<code>Lombardia</code>" in shown["region"] and "<code>milano</code>" in shown["id"]
    assert "Una delle" not in pages["en"] and "A proposito di" not in pages["en"]


def test_a_text_field_without_an_example_in_a_language_is_a_located_warning(tmp_path: Path) -> None:
    """As an untranslated text: `atlante check` warns, a strict run fails; `atlante generate` keeps the
    examples a language block has, and gives a new language's block none."""
    project = make_project(tmp_path)
    schema = project / "data/schema/city.schema.json"
    edit(project, "data/schema/city.schema.json", '''          "description": "The English text of 'title'.",
          "examples": [
            "Milan"
          ]''', '''          "description": "The English text of 'title'."''')
    result = pipeline.check(project)
    line = schema.read_text(encoding="utf-8").splitlines().index('        "title": {', 100) + 1
    assert [str(f) for f in result.findings if f.rule == "field-example"] == [
        f"data/schema/city.schema.json:{line}:18: warning: (language en): en.title: expected an example in English of its "
        "own (the field reference of the en edition shows it), found only the original's (field-example)"]
    assert not result.errors
    before = {p.name: p.read_text(encoding="utf-8") for p in (project / "data/schema").glob("*.json")}
    assert atlante(project, "generate").returncode == 0
    assert {p.name: p.read_text(encoding="utf-8") for p in (project / "data/schema").glob("*.json")} == before
