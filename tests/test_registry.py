"""The page registry (atlante/pages.py): every generated page a declared spec, its address from one
function, and a new page nothing but its spec, its template and its words."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlante import pages, pipeline
from atlante.kinds import KINDS
from atlante.render import index_uri, navigation, tag_uri

from helpers import make_project, write


@pytest.mark.parametrize(("src", "url"), [("index.md", ""), ("concept-map.md", "concept-map/"),
                                          ("concept-map/page/2.md", "concept-map/page/2/"), ("themes/index.md", "themes/"),
                                          ("themes/page/3.md", "themes/page/3/"), ("tag/citta.md", "tag/citta/"),
                                          ("tag/citta/page/2.md", "tag/citta/page/2/"), ("dati.md", "dati/")])
def test_one_function_gives_every_generated_page_its_address(src: str, url: str) -> None:
    assert pages.address(src) == url


def test_the_registry_makes_the_paths_the_rest_of_the_code_uses() -> None:
    assert pages.path_of("fields") == "campi.md" and pages.path_of("tag", "citta", 2) == "tag/citta/page/2.md"
    assert tag_uri("citta") == pages.path_of("tag", "citta")
    assert [index_uri(kind, 2) for kind in KINDS] == [pages.path_of("kind_index", kind.folder, 2) for kind in KINDS]
    assert len({spec.name for spec in pages.SPECS}) == len(pages.SPECS)
    assert len(set(pages.fixed())) == len(pages.fixed())
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
