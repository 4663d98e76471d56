"""Large data sets: no page lists thousands of links. Listings continue on numbered pages, the home
page and a statement list a few entries and link the rest, maps draw dots, the concept map its list.

The core is checked in-process with the limits lowered on the real brief (every listing then spans
several pages); one strict build of a grown data set, by MkDocs' own command with the limits lowered
too, proves the pages MkDocs writes link up."""

from __future__ import annotations

import posixpath
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from atlante import pages as registry
from atlante import pipeline, render, synth
from atlante.kinds import KIND_BY_NAME, KINDS

from helpers import BIN, ROOT, env, make_project, parsed, shared

LINK = re.compile(r"\]\(([^)\s]+)\)")  # a Markdown link's target (the pages still written as Markdown)
HREF = re.compile(r'<a href="([^"\s]+)"')  # a link of a page written as HTML (htmlpage.py)


@pytest.fixture(scope="module")
def paged(request: pytest.FixtureRequest) -> dict[str, render.Page]:
    """The real brief's Italian pages rendered with a listing limit of 5 and a figure limit of 3."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render, "LIST_LIMIT", 5)
        mp.setattr(render, "FIGURE_LIMIT", 3)
        mp.setattr(render, "STEP_LIMIT", 4)
        result = pipeline.run(ROOT)
    assert not result.errors
    return {p.src_uri: p for p in result.pages}


def _at(uri: str, link: str) -> str:
    """A link of the page `uri`, written relative to its address, as the address it names below the
    edition's root ("themes/agri-food/")."""
    return posixpath.normpath(posixpath.join(registry.address(uri), link)) + "/"


def test_a_kind_index_continues_on_numbered_pages_each_entity_once(paged: dict[str, render.Page]) -> None:
    catalog = pipeline.run(ROOT).catalog
    assert catalog is not None
    themes = len(catalog.by_kind["theme"])
    count = -(-themes // 5)
    uris = ["themes/index.md"] + [f"themes/page/{n}.md" for n in range(2, count + 1)]
    assert [u for u in paged if u.startswith("themes/") and (u == "themes/index.md" or "/page/" in u)] == uris
    seen: Counter[str] = Counter()
    for number, uri in enumerate(uris, 1):
        page = paged[uri]
        entries = _entries(page)
        assert 1 <= len(entries) <= 5
        seen.update(_at(uri, link) for link in entries)
        assert page.in_nav == (number == 1)
        pager = _pager(page)
        # every other page by number, resolved from this page's address, and the current one in bold
        targets = {_at(uri, link) for link in HREF.findall(pager)}
        assert f"<strong>{number}</strong>" in pager
        assert targets == {registry.address(u) for u in uris if u != uri}
        if number > 1:
            title = f"Temi applicativi (pagina {number} di {count})"
            assert page.meta is not None and ("name", "citation_title", title) in page.meta.tags
    assert sum(seen.values()) == themes and max(seen.values()) == 1
    assert set(seen) == {registry.address(render.page_uri(e)) for e in catalog.by_kind["theme"]}


def test_the_whole_brief_is_split_and_its_links_find_their_page(paged: dict[str, render.Page]) -> None:
    pages = {u: p for u, p in paged.items() if u == "brief.md" or u.startswith("brief/page/")}
    assert len(pages) > 3
    anchors = {registry.address(u): set(p.anchors) for u, p in pages.items()}
    across = 0
    for uri, page in pages.items():
        for link in HREF.findall(page.html or ""):
            path, _, anchor = link.partition("#")
            target = _at(uri, path) if path else registry.address(uri)
            if not anchor or target not in anchors:
                continue  # a link to another page of the site
            assert anchor in anchors[target], (uri, link)
            across += target != registry.address(uri)
    assert across > 10
    entries = tuple(f"{kind.name}-" for kind in KINDS)  # the ids of the index's entries (#city-milano) and of the slides
    headings = Counter(a for found in anchors.values() for a in found if a.startswith(entries))
    assert len(headings) > 20
    assert max(headings.values()) == 1


def test_the_home_page_lists_a_few_entries_per_step_and_links_the_rest(paged: dict[str, render.Page]) -> None:
    home = paged["index.md"].markdown
    step = next(line for line in home.splitlines() if "e altre" in line)
    assert len(LINK.findall(step.split(" e altre ")[0])) == 4
    assert re.search(r"e altre \d+ voci: \[[^]]+\]\([a-z]+/index\.md\)", step)


def test_a_large_map_draws_dots_and_its_list_is_the_index(paged: dict[str, render.Page]) -> None:
    figures = paged["cities/index.md"].html or ""  # the map is in it, written by the template
    assert 'class="atlante-dots"' in figures and "atlante-marker" not in figures
    assert len(re.findall(r"<circle ", figures)) >= 6
    home = paged["index.md"].markdown
    assert "luoghi della mappa sono troppi per nominarli" in home and "](cities/index.md)" in home


def test_a_large_concept_map_is_its_list(paged: dict[str, render.Page]) -> None:
    first = paged["concept-map.md"]
    assert "atlante-graph" not in (first.html or "") and "troppe per un disegno leggibile" in (first.html or "")
    assert "concept-map/page/2.md" in paged
    assert not any("atlante-graph" in f for f in paged["index.md"].figures.values())


def test_a_statement_lists_a_few_entries_and_links_the_rest(paged: dict[str, render.Page]) -> None:
    folder = KIND_BY_NAME["slide"].folder  # every slide's page: the grown data cites statements at random
    slides = [page.html or "" for uri, page in paged.items() if uri.startswith(f"{folder}/") and uri != f"{folder}/index.md"]
    lines = [line for slide in slides for line in slide.splitlines() if line.startswith("<p>Rappresentata in: ") and "e altre" in line]
    assert lines
    assert all(len(HREF.findall(line.split(" e altre ")[0])) == 4 for line in lines)


def _entries(page: render.Page) -> list[str]:
    """The entries a listing page links (a list's items, a table's rows), relative to the page's address."""
    lines = (page.html or "").splitlines()
    return [HREF.match(line, line.index("<a")).group(1)  # type: ignore[union-attr]
            for line in lines if line.startswith(("<li><a href=", "<td><a href="))]


def _pager(page: render.Page) -> str:
    return next(line for line in (page.html or "").splitlines() if line.startswith('<p class="atlante-pager">'))


def test_a_tag_with_more_entries_than_the_limit_continues_on_numbered_pages(paged: dict[str, render.Page]) -> None:
    catalog = pipeline.run(ROOT).catalog
    assert catalog is not None
    tagged = {render.page_uri(e) for e in catalog.entities.values() if "innovazione" in (e.data.get("tags") or [])}
    count = -(-len(tagged) // 5)
    assert count > 2
    uris = ["tag/innovazione.md"] + [f"tag/innovazione/page/{n}.md" for n in range(2, count + 1)]
    assert [u for u in paged if u.startswith("tag/innovazione")] == uris
    seen: Counter[str] = Counter()
    for number, uri in enumerate(uris, 1):
        page = paged[uri]
        assert not page.in_nav
        seen.update(_at(uri, link) for link in _entries(page))
        targets = {_at(uri, link) for link in HREF.findall(_pager(page))}
        assert f"<strong>{number}</strong>" in _pager(page) and targets == {registry.address(u) for u in uris if u != uri}
    assert set(seen) == {registry.address(u) for u in tagged} and max(seen.values()) == 1
    # every tag's page keeps to the limit; the index lists every tag (a vocabulary of the translation
    # files, which does not grow with the data) with its count
    assert all(len(_entries(p)) <= 5 for u, p in paged.items() if u.startswith("tag/"))
    assert '<li><a href="innovazione/" id="tag:innovazione">innovazione</a> — 19 voci</li>' in (paged["tag.md"].html or "").splitlines()


@pytest.fixture(scope="module")
def grown_run(tmp_path_factory: pytest.TempPathFactory) -> pipeline.Result:
    """A project grown by 150 synthetic entries (whose categories alternate), its Italian pages rendered
    with a listing limit of 5."""
    project = make_project(tmp_path_factory.mktemp("grown-pages"), data=False)
    synth.synthesise(ROOT, project, 150, seed=3)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render, "LIST_LIMIT", 5)
        result = pipeline.run(project)
    assert not result.errors and result.catalog is not None
    return result


def test_an_index_of_several_pages_names_each_group_once_per_page_in_the_order_groups_first_appear(
        grown_run: pipeline.Result) -> None:
    grown_pages = {p.src_uri: p for p in grown_run.pages}
    catalog = grown_run.catalog
    assert catalog is not None
    checked = 0
    for kind in KINDS:
        uris = [u for u in grown_pages if u == f"{kind.folder}/index.md" or u.startswith(f"{kind.folder}/page/")]
        if not kind.display.group_by or kind.display.columns or len(uris) < 2:
            continue  # a table names no groups
        runs: list[str] = []  # the group headings, page after page, a group going on to the next page once
        listed: list[str] = []
        for uri in uris:
            lines = (grown_pages[uri].html or "").splitlines()
            headings = [re.sub(r' id="[^"]*"|<a class="headerlink".*', "", line) for line in lines if line.startswith("<h2 ")]
            assert len(headings) == len(set(headings)), (uri, headings)
            runs += [h for h in headings if not runs or h != runs[-1]]
            listed += [_at(uri, link) for link in _entries(grown_pages[uri])]
        assert len(runs) == len(set(runs)) > 1, kind.name  # each group in one run
        ordered = render.entities_of(catalog, kind, "it")
        first = list(dict.fromkeys(e.data.get(kind.display.group_by) for e in ordered))
        expected = [registry.address(render.page_uri(e)) for value in first for e in ordered if e.data.get(kind.display.group_by) == value]
        assert listed == expected, kind.name  # by group, each keeping the brief's order
        checked += 1
    assert checked >= 3


def test_without_large_listings_the_pages_are_unchanged() -> None:
    pages = {p.src_uri for p in pipeline.run(ROOT).pages}
    assert not any("/page/" in uri for uri in pages)


# The grown site's limits: its listings span several pages with 40 entries more, not 300
LOWERED = {"LIST_LIMIT": 10, "NAV_LIMIT": 8, "FIGURE_LIMIT": 20, "STEP_LIMIT": 4}
LOWERED_BUILD = "\n".join([
    "from atlante import render",
    *(f"render.{name} = {value}" for name, value in LOWERED.items()),
    "from mkdocs.__main__ import cli",
    "cli(['build', '--strict'])",
])


@pytest.fixture(scope="module")
def grown_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project grown by 40 synthetic entries, built strict (MkDocs checks links and anchors)
    by `mkdocs build --strict` in a process whose limits are LOWERED."""

    def build(folder: Path) -> None:
        project = make_project(folder, data=False)
        synth.synthesise(ROOT, project, 40, seed=3)
        result = subprocess.run([str(BIN / "python"), "-c", LOWERED_BUILD], cwd=project, env=env(),
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]

    return shared(tmp_path_factory, "grown", build) / "project" / "site"


def test_a_grown_site_builds_its_numbered_pages_linked_both_ways(grown_site: Path) -> None:
    for edition in (grown_site, grown_site / "en"):
        themes = edition / "themes"
        assert (themes / "page" / "2" / "index.html").is_file()
        second = parsed(themes / "page" / "2" / "index.html")
        pager = second.select_one("p.atlante-pager")
        assert pager is not None
        hrefs = [a["href"] for a in pager.find_all("a")]
        assert "../../" in hrefs  # page 1 is the index itself
        for href in hrefs:
            assert (themes / "page" / "2" / str(href) / "index.html").resolve().is_file(), href
        here = edition / "brief" / "page" / "2"
        hrefs = [str(a["href"]) for a in parsed(here / "index.html").select("article a[href*='#']")]
        pairs = [((here / h.split("#")[0]).resolve() / "index.html", h.split("#")[1]) for h in hrefs if not h.startswith("#")]
        across = [(target, anchor) for target, anchor in pairs if target.is_relative_to((edition / "brief").resolve())]
        assert len(across) > 5
        for target, anchor in across:
            assert parsed(target).find(id=anchor), (target, anchor)
        # every kind's index keeps to the limit, page after page
        for kind in KINDS:
            first = edition / kind.folder / "index.html"
            listings = [first, *sorted((edition / kind.folder / "page").glob("*/index.html"))]
            listed = [len(parsed(p).select("article li, article tbody tr")) for p in listings]  # lists, or tables
            assert max(listed) <= LOWERED["LIST_LIMIT"], (kind.folder, listed)
    assert KIND_BY_NAME["theme"].folder == "themes"


def test_a_grown_site_keeps_every_tag_page_to_the_limit_and_its_counts_right(grown_site: Path) -> None:
    for edition in (grown_site, grown_site / "en"):
        index = parsed(edition / "tag" / "index.html")
        entries = index.select("article li")
        assert len(entries) == 12
        for entry in entries:
            count = int(re.search(r"— (\d+) ", entry.get_text(" ", strip=True))[1])  # type: ignore[index]
            first = (edition / "tag" / str(entry.a["href"])).resolve()
            more = sorted((first / "page").glob("*/index.html")) if (first / "page").is_dir() else []
            listed = [len(parsed(p).select("article li")) for p in [first / "index.html", *more]]
            assert sum(listed) == count and max(listed) <= LOWERED["LIST_LIMIT"]
            assert len(listed) == -(-count // LOWERED["LIST_LIMIT"]), entry.a["href"]
