"""The preview's engine-free parts: a run that keeps a cache gives exactly what a fresh run gives,
after any kind of edit, while rendering only what the edit touched; the error page escapes what it
shows; the page files and the search index of a partial build stay whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atlante import pipeline, preview
from atlante.model import Stopped

from helpers import MILANO, ORPHAN_CONCEPT, ROOT, edit, frozen_project, make_project, shown, write

# Edits of every kind an editor makes, each step applied on top of the previous ones: an entry's
# title in both languages and its text (one save), then a translation file rewritten as it was. The
# entry is Milano as the tests know it (helpers.frozen_project).
EDITS = [
    [(MILANO, 'title: "Milano"', 'title: "Milano <città> & *co*"'),
     (MILANO, 'title: "Milan"', 'title: "Milan, metropolitan city"'),
     (MILANO, "Milano è la prima", "Milano, ritoccata, è la prima")],
    [("overrides/atlante/i18n/it.yaml", "language: Italiano", "language: Italiano")],  # rewritten as is: nothing changes
]


def _same(a: pipeline.Result, b: pipeline.Result) -> None:
    assert not a.errors and not b.errors, (a.errors[:3], b.errors[:3])
    assert [p.src_uri for p in a.pages] == [p.src_uri for p in b.pages]
    for x, y in zip(a.pages, b.pages, strict=True):
        assert (x.markdown, x.html, x.toc, x.anchors) == (y.markdown, y.html, y.toc, y.anchors), x.src_uri
        assert (x.figures, x.meta, x.files, x.in_nav, x.source) == (y.figures, y.meta, y.files, y.in_nav, y.source), x.src_uri
    assert a.downloads == b.downloads


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["it", "en"])
def test_a_cached_run_gives_what_a_fresh_run_gives_after_every_edit(tmp_path: Path, lang: str) -> None:
    project = frozen_project(tmp_path)
    cache = pipeline.Cache()
    first = pipeline.run(project, lang=lang, cache=cache)
    assert cache.memo(lang).rendered == len([p for p in first.pages if p.source]) + 1  # every entity, the site pages
    _same(pipeline.run(project, lang=lang, cache=cache), first)  # the first run, its cache empty, is a fresh one
    assert cache.memo(lang).rendered == 0, "nothing changed, yet pages were rendered again"

    for step in EDITS:
        for file, old, new in step:
            edit(project, file, old, new)
        _same(pipeline.run(project, lang=lang, cache=cache), pipeline.run(project, lang=lang))

    # a statement's wording, quoted on the pages of every entry that cites it
    path = sorted((project / "data" / "slides").glob("*.yaml"))[0]  # the first slide, whichever it is
    slide = path.read_text(encoding="utf-8")
    assert "text:" in slide
    path.write_text(slide.replace("text: ", "text: Ritoccato, ", 1), encoding="utf-8")
    cached = pipeline.run(project, lang=lang, cache=cache)
    _same(cached, pipeline.run(project, lang=lang))
    assert 0 < cache.memo(lang).rendered < len(cached.pages) / 2, "an edit should render some pages, not all"

    # an entry added, linked from nothing (a warning), then removed
    write(project, "data/concepts/innovazione.yaml", ORPHAN_CONCEPT)
    _same(pipeline.run(project, lang=lang, cache=cache), pipeline.run(project, lang=lang))
    (project / "data/concepts/innovazione.yaml").unlink()
    _same(pipeline.run(project, lang=lang, cache=cache), pipeline.run(project, lang=lang))

    # a template edit renders again every page that uses it
    template = project / "overrides/atlante/entity.html"
    template.write_text(template.read_text(encoding="utf-8").replace("heading(2, t.ui.facts)", "heading(2, t.ui.facts ~ '!')"),
                        encoding="utf-8")
    _same(pipeline.run(project, lang=lang, cache=cache), pipeline.run(project, lang=lang))


@pytest.mark.slow
def test_a_run_after_an_error_and_its_fix_gives_the_fresh_result(tmp_path: Path) -> None:
    project = frozen_project(tmp_path)
    cache = pipeline.Cache()
    pipeline.run(project, cache=cache)
    edit(project, MILANO, "region: Lombardia", "region: Lombardi")
    broken = pipeline.run(project, cache=cache)
    assert [str(f) for f in broken.errors] == [str(f) for f in pipeline.run(project).errors] != []
    edit(project, MILANO, "region: Lombardi", "region: Lombardia")
    _same(pipeline.run(project, cache=cache), pipeline.run(project))


@pytest.mark.slow
def test_a_hurried_run_renders_the_edited_page_and_keeps_the_whole_site_for_the_next_one(tmp_path: Path) -> None:
    """The preview's first phase (hurried) writes only the edited entries' pages: it takes the whole
    site's pages and the open data as they were, and the run after it, not hurried, makes them anew."""
    project = make_project(tmp_path)
    cache = pipeline.Cache()
    before = {p.src_uri: p for p in pipeline.run(project, cache=cache).pages}
    edit(project, "data/cities/milano.yaml", 'title: "Milano"', 'title: "Milano Ritoccata"')
    hurried = pipeline.run(project, cache=cache, hurried=True)
    assert cache.memo("it").rendered < 10, "a hurried run rendered the whole site again"
    pages = {p.src_uri: p for p in hurried.pages}
    assert "Milano Ritoccata" in shown(pages["cities/milano.md"])
    assert pages["cities/index.md"] is before["cities/index.md"]  # the index as it was: not written by that phase
    assert "Milano Ritoccata" not in shown(pages["cities/index.md"])
    _same(pipeline.run(project, cache=cache), pipeline.run(project))  # then the whole site, as a fresh run


def test_a_run_asked_to_stop_gives_up_before_its_next_page(tmp_path: Path) -> None:
    """The preview's background build, overtaken by an edit, stops rendering at once (model.Stopped)."""
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(Stopped):
        pipeline.run(make_project(tmp_path), stop=stop)
    assert len(asked) == 4


def test_a_template_syntax_error_is_a_located_error_not_a_traceback(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    template = project / "overrides/atlante/entity.html"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines.insert(20, "{% if %}")
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = pipeline.run(project)
    assert [str(f) for f in result.errors] == [
        "overrides/atlante/entity.html:21:1: (template): (file): expected a valid Jinja template, found a syntax error: "
        "Expected an expression, got 'end of statement block' (template)"]


def test_the_error_page_escapes_what_it_shows_in_the_words_of_the_editions_translation_file(tmp_path: Path) -> None:
    page = preview.error_page(["data/x.yaml:1:1: city:x: title: expected text, found '<script>alert(1)</script>'"], "it", ROOT)
    text = page.decode()
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert 'lang="it"' in text and "Anteprima" in text
    assert "Preview" in preview.error_page([], "en", ROOT).decode()
    words = tmp_path / "overrides" / "atlante" / "i18n"  # a translation file broken elsewhere: its words still
    words.mkdir(parents=True)
    (words / "it.yaml").write_text("preview:\n  title: Titolo\n  intro: I\n  after: A\n  unknown: U\nui: [\n", encoding="utf-8")
    assert "<title>⚠</title>" in preview.error_page(["x"], "it", tmp_path).decode()  # unreadable: the lines alone
    (words / "it.yaml").write_text("preview:\n  title: Titolo\n  intro: I\n  after: A\n  unknown: U\nui: 3\n", encoding="utf-8")
    assert "<title>Titolo</title>" in preview.error_page(["x"], "it", tmp_path).decode()


def test_page_files_are_rewritten_only_when_they_change(tmp_path: Path) -> None:
    files = preview.PageFiles(tmp_path)
    path = files.place("cities/milano.md", "# Milano\n")
    before = path.stat().st_mtime_ns
    assert files.place("cities/milano.md", "# Milano\n") == path and path.stat().st_mtime_ns == before
    files.place("cities/milano.md", "# Milano\n", stamp="figures changed")
    assert path.stat().st_mtime_ns >= before and files.stamps["cities/milano.md"] != ""
    files.place("cities/torino.md", "# Torino\n")
    assert files.keep_only({"cities/milano.md"}) == ["cities/torino.md"]
    assert not (tmp_path / "cities/torino.md").exists() and path.exists()
    assert preview.output_of("cities/milano.md") == "cities/milano/index.html"
    assert preview.output_of("index.md") == "index.html" and preview.output_of("cities/index.md") == "cities/index.html"


def test_a_partial_search_index_is_made_whole() -> None:
    previous = {"": '{"location":"","title":"Home"}',
                "cities/milano/": '{"location":"cities/milano/","title":"Milano"}',
                "cities/milano-bis/": '{"location":"cities/milano-bis/","title":"Bis"}',
                "cities/gone/": '{"location":"cities/gone/","title":"Gone"}'}
    written = {"config": {"lang": ["it"]},
               "docs": [{"location": "cities/milano/", "title": "Milano nuova"},
                        {"location": "cities/milano/#fatti", "title": "Fatti"}]}
    by_page, text = preview.merge_search_index(previous, written, {"cities/milano/"},
                                               {"", "cities/milano/", "cities/milano-bis/"})
    whole = json.loads(text)
    assert whole["config"] == {"lang": ["it"]}
    titles = [d["title"] for d in whole["docs"]]
    assert sorted(titles) == ["Bis", "Fatti", "Home", "Milano nuova"]  # the gone page's entries left
    assert json.loads(f"[{by_page['cities/milano/']}]") == written["docs"]
    assert text == json.dumps(whole, ensure_ascii=False, separators=(",", ":"))  # as Material writes it
    # the next merge, with nothing rebuilt, gives the same index
    assert preview.merge_search_index(by_page, {**written, "docs": []}, set(), set(by_page))[1] == text


def test_removing_pages_spares_the_other_editions(tmp_path: Path) -> None:
    for rel in ("index.html", "cities/milano/index.html", "en/index.html", "assets/x.css"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert preview.remove_pages(tmp_path, skip=["en/"]) == 2
    assert (tmp_path / "en/index.html").exists() and (tmp_path / "assets/x.css").exists()
    assert not (tmp_path / "index.html").exists()
