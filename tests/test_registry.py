"""The page registry (atlante/pages.py): every generated page a declared spec, its address from one
function, and a new page nothing but its spec, its template and its words."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from atlante import i18n, pages, pipeline
from atlante.kinds import KINDS, SOURCE
from atlante.render import index_uri, md_text, navigation, page_uri, tag_uri

from helpers import MILANO, ROOT, edit, frozen_project, make_project, write


@pytest.mark.parametrize(("src", "url"), [("index.md", ""), ("concept-map.md", "concept-map/"),
                                          ("concept-map/page/2.md", "concept-map/page/2/"), ("themes/index.md", "themes/"),
                                          ("themes/page/3.md", "themes/page/3/"), ("tag/citta.md", "tag/citta/"),
                                          ("tag/citta/page/2.md", "tag/citta/page/2/"), ("dati.md", "dati/")])
def test_one_function_gives_every_generated_page_its_address(src: str, url: str) -> None:
    assert pages.address(src) == url


def test_the_registry_makes_the_paths_the_rest_of_the_code_uses() -> None:
    words = {lang: t.words for lang, t in i18n.load(ROOT)[0].items()}
    assert pages.path_of("tag", "citta", 2) == "tag/citta/page/2.md"
    assert [pages.path_of("fields", words=words[lang]) for lang in ("it", "en")] == ["campi.md", "fields.md"]
    with pytest.raises(ValueError, match="named in each edition's language"):
        pages.path_of("data")
    assert tag_uri("citta") == pages.path_of("tag", "citta")
    assert pages.path_of("entity", "cities/milano") == "cities/milano.md"
    assert [index_uri(kind, 2) for kind in KINDS] == [pages.path_of("kind_index", kind.folder, 2) for kind in KINDS]
    assert len({spec.name for spec in pages.SPECS}) == len(pages.SPECS)
    assert all(len(set(pages.fixed(w))) == len(pages.fixed(w)) == len(pages.fixed({})) + len(pages.named()) for w in words.values())
    for spec in pages.SPECS:  # every template a spec names exists
        assert (Path(__file__).parents[1] / "overrides" / "atlante" / spec.template).is_file(), spec.template


NEW_PAGE = "{{ t.glossario.intro | md }}\n\n{% for kind in kinds %}- {{ t.kinds[kind.name].plural | md }}\n{% endfor %}"


@pytest.fixture
def with_a_new_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project with one more generated page: a spec, a template, its words (in every
    translation file); no other file changes."""
    project = make_project(tmp_path)
    write(project, "overrides/atlante/glossario.md", NEW_PAGE)
    for lang, words in (("it", ("Glossario", "Ogni voce del glossario.", "Le parole del brief.")),
                        ("en", ("Glossary", "Every glossary entry.", "The brief's words."))):
        path = project / "overrides" / "atlante" / "i18n" / f"{lang}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + f"glossario:\n  title: {words[0]}\n  description: {words[1]}\n"
                        f"  intro: {words[2]}\n", encoding="utf-8")
    spec = pages.Spec("glossario", "glossario.md", "glossario.md", pages.no_data, title="glossario.title",
                      description="glossario.description", nav="tail", nav_order=9)
    monkeypatch.setattr(pages, "SPECS", (*pages.SPECS, spec))
    return project


def test_a_new_page_is_its_spec_its_template_and_its_words(with_a_new_page: Path) -> None:
    for lang, title, intro in (("it", "Glossario", "Le parole del brief"), ("en", "Glossary", "The brief\\'s words")):
        result = pipeline.run(with_a_new_page, lang=lang)
        assert not result.errors, result.errors
        [page] = [p for p in result.pages if p.src_uri == "glossario.md"]
        assert intro in page.markdown and page.in_nav
        assert page.meta is not None and ("name", "citation_title", title) in page.meta.tags
        assert ("property", "og:url", f"https://redazione-circoli-magici.github.io/atlante/{'en/' if lang == 'en' else ''}"
                "glossario/") in page.meta.tags
        assert result.catalog is not None
        nav = navigation(result.catalog, result.translations[lang])
        assert nav[-1] == {title: "glossario.md"}  # its place in the navigation, from its spec


def test_a_new_page_takes_its_address_from_hand_written_pages(with_a_new_page: Path) -> None:
    write(with_a_new_page, "docs/glossario.md", "# Glossario\n")
    findings = pipeline.check(with_a_new_page).findings
    assert [f.rule for f in findings if f.file == "docs/glossario.md"] == ["address-taken"], findings


def test_the_entities_pages_are_the_registrys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entity's page, and a slide's, is a spec's instance: drawn by the spec's template, and gone
    with the spec's instances."""
    project = make_project(tmp_path)
    write(project, "overrides/atlante/plain.md", "{{ e | loc('title') | md }} ({{ kind.name }})\n")
    whole = pipeline.run(project)
    assert whole.catalog is not None and not whole.errors
    slides = [e for e in whole.catalog.entities.values() if e.kind == "slide"]
    others = [e for e in whole.catalog.entities.values() if e.kind != "slide"]
    drawn = {p.src_uri: p for p in whole.pages}
    monkeypatch.setattr(pages, "SPECS", tuple(dataclasses.replace(s, template="plain.md") if s.name == "entity" else s
                                              for s in pages.SPECS))
    plain = {p.src_uri: p for p in pipeline.run(project).pages}
    for entity in others:
        page = plain[page_uri(entity)]
        assert page.markdown == f"{md_text(entity.text('title', 'it'))} ({entity.kind})\n"
        assert page.source == entity.file and page.meta is not None
        assert ("name", "citation_title", str(entity.text("title", "it"))) in page.meta.tags
    assert all(plain[page_uri(e)].markdown == drawn[page_uri(e)].markdown for e in slides)
    monkeypatch.setattr(pages, "SPECS", tuple(dataclasses.replace(s, instances=lambda ctx, spec: [])
                                              if s.name in ("entity", "slide") else s for s in pages.SPECS))
    without = {p.src_uri for p in pipeline.run(project).pages}
    assert set(drawn) - without == {page_uri(e) for e in [*others, *slides]}


def test_redirects_and_downloads_are_the_registrys(tmp_path: Path) -> None:
    """A retired id's address and every file beside the pages are enumerated by the registry: the
    redirect to the entity's page, its downloads under the old id too, the open data's files."""
    project = frozen_project(tmp_path)  # Milano as the tests know it
    edit(project, MILANO, "id: milano\n", "id: milano\naliases: [milan]\n")
    result = pipeline.run(project)
    assert result.catalog is not None and not result.errors, result.errors
    assert pages.redirects(result.catalog) == {"cities/milan.md": "cities/milano.md"}
    files = {path: page for path, _content, page in pages.downloads(result.pages, result.downloads)}
    [milano] = [p for p in result.pages if p.src_uri == "cities/milano.md"]
    assert set(pages.entity_files("city", "milano")) == {milano.src_uri, *(p for p in milano.files if "milan." not in p)}
    assert set(pages.entity_files("city", "milan")[1:]) == {p for p in milano.files if "milan." in p}  # under the old id
    assert all(files[path] is milano for path in milano.files)
    assert {path for path, page in files.items() if page is None} == set(result.downloads)
    assert {"dati/atlante.json", "dati/cities.csv", "map.svg", "map.png"} <= set(files)


# A kind tested by its name ("slide") where the code means the brief's source: what kinds.SOURCE declares
BY_NAME = re.compile(r'kind(\.name)?\s*[!=]=\s*"slide"|(by_kind|KIND_BY_NAME|existing)\["slide"\]|address\("slide"|iri\([^)]*"slide"'
                     r'|in \("slide"|\("slide", slide_id\)')


def test_the_brief_is_the_kind_that_declares_it_and_no_code_names_it() -> None:
    assert [kind.name for kind in KINDS if kind.source] == [SOURCE.name] == ["slide"]
    hooks = Path(__file__).parents[1] / "hooks" / "atlante"
    named = [f"{path.name}:{n}: {line.strip()}" for path in sorted(hooks.glob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if BY_NAME.search(line)]
    assert not named, named
