"""What a reader's browser does with the built site: headless Debian Chromium driven by Playwright.

The tests that only look at pages and follow their links share one tab per screen size (`screen`),
each page loaded as on a first visit; those that watch every request or search open their own."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from atlante.model import Catalog, Statement

from helpers import first, foreign_requests, one_tab, open_page, page_of, search_for, snapshot, visit

Screen = Callable[..., Page]
At = Callable[[str], str]


@pytest.fixture(scope="module")
def at(catalog: Catalog) -> At:
    """at(path): `path` with its placeholders replaced by pages of the data, whichever they are, so that
    an editor's renaming leaves these tests alone: {city} the first city, {slide} the first slide,
    {linked} the most linked entry (the largest graph), {titled} the entry with a graph and the longest
    title (the widest labels)."""
    graphs = [e for e in catalog.entities.values() if e.links]
    pages = {"city": page_of(first(catalog, "city")), "slide": page_of(first(catalog, "slide")),
             "linked": page_of(max(graphs, key=lambda e: len(e.links))),
             "titled": page_of(max(graphs, key=lambda e: len(e.title)))}
    return lambda path: path.format(**pages)


@pytest.fixture(scope="module")
def screen(browser: Browser, site_url: str) -> Iterator[Screen]:
    """screen(path, width=1280, height=800): the tab of that screen size (a phone's below 600 px)
    loaded at `path`, as on a first visit."""
    tabs: dict[tuple[int, int], Page] = {}
    with contextlib.ExitStack() as stack:
        def load(path: str, width: int = 1280, height: int = 800) -> Page:
            if (width, height) not in tabs:
                tabs[width, height] = stack.enter_context(one_tab(browser, is_mobile=width < 600,
                                                                  viewport={"width": width, "height": height}))
            return visit(tabs[width, height], site_url + path)
        yield load


@pytest.fixture(scope="module")
def watched(browser: Browser, site_url: str) -> Iterator[tuple[Page, list[str]]]:
    """A tab, and the requests it makes to a host other than the site's (emptied by each test)."""
    with one_tab(browser) as tab:
        yield tab, foreign_requests(tab, site_url)


@pytest.mark.parametrize("path", ["/", "/{city}/", "/{slide}/", "/concepts/", "/tag/"])
def test_no_page_loads_anything_from_another_host(watched: tuple[Page, list[str]], site_url: str, at: At, path: str) -> None:
    tab, foreign = watched
    foreign.clear()
    page = visit(tab, site_url + at(path), wait_until="networkidle")  # the search index is fetched too (the search tests open it)
    assert page.locator("article h1").count() == 1
    assert foreign == []


class Searching:
    """searching(start, words): the result links (as paths) the search box of the page at `start`
    gives for `words`, its result line, and every request the page made to another host so far;
    searching.page(start): that page. One tab per page: its worker indexes the site once."""

    def __init__(self, browser: Browser, site_url: str, stack: contextlib.ExitStack) -> None:
        self._browser, self._site_url, self._stack = browser, site_url, stack
        self._tabs: dict[str, tuple[Page, list[str]]] = {}

    def page(self, start: str) -> Page:
        if start not in self._tabs:
            tab = self._stack.enter_context(one_tab(self._browser))
            self._tabs[start] = (tab, foreign_requests(tab, self._site_url))
            visit(tab, self._site_url + start)
        return self._tabs[start][0]

    def __call__(self, start: str, words: str) -> tuple[list[str], str, list[str]]:
        page = self.page(start)
        paths = search_for(page, words).evaluate_all("links => links.map(a => new URL(a.href).pathname)")
        return paths, page.locator(".md-search-result__meta").inner_text(), self._tabs[start][1]


@pytest.fixture(scope="module")
def searching(browser: Browser, site_url: str) -> Iterator[Searching]:
    with contextlib.ExitStack() as stack:
        yield Searching(browser, site_url, stack)


@pytest.mark.brief  # the search ranks the brief's own words: Torino's page first for "Torino"
def test_search_finds_a_city_in_italian(searching: Searching) -> None:
    paths, meta, foreign = searching("/", "Torino")
    assert paths[0] == "/cities/torino/"
    assert meta.endswith("documenti trovati")  # Italian UI
    assert foreign == []  # the worker and its languages' stemmers come from the site


@pytest.mark.parametrize(("start", "words", "first", "also"), [
    ("/en/", "tourism", "/en/themes/turismo-sostenibile/", ()),
    ("/en/", "districts", "/en/concepts/distretto-industriale/", ("/en/actions/politiche-per-i-distretti-industriali/",)),
    ("/", "distretti", "/concepts/distretto-industriale/", ("/actions/politiche-per-i-distretti-industriali/",)),
    ("/", "distretto", "/concepts/distretto-industriale/", ("/actions/politiche-per-i-distretti-industriali/",)),
    ("/", "turismo", "/themes/turismo-sostenibile/", ()),  # the page itself before the whole brief and the concept map
])
@pytest.mark.brief  # the brief's words, found by their stems in each language
def test_search_stems_words_in_each_language(searching: Searching, start: str, words: str,
                                             first: str, also: tuple[str, ...]) -> None:
    paths, meta, foreign = searching(start, words)
    assert foreign == []
    assert paths and paths[0] == first, paths
    assert all(p.startswith(start) for p in paths)  # each edition searches only itself
    for path in also:
        assert path in paths, (path, paths)
    assert meta.endswith("matching documents" if start == "/en/" else "documenti trovati")


@pytest.mark.brief  # searches for Torino, whose page answers first
def test_a_page_indexes_the_site_only_once_its_search_is_opened(browser: Browser, site_url: str) -> None:
    # the worker's Italian stemmer (lunr.it) is loaded when it is given the index, and indexing follows
    page, foreign = open_page(browser, site_url + "/cities/milano/", wait_until="networkidle")
    (worker,) = page.workers
    assert worker.evaluate("typeof lunr.it") == "undefined"  # read, scrolled, left: no half-second of indexing
    results = search_for(page, "Torino")
    assert worker.evaluate("typeof lunr.it") == "function"
    assert results.first.evaluate("a => new URL(a.href).pathname") == "/cities/torino/"
    page.context.close()
    # a link to a search (Material's ?q=) opens the search, which indexes then
    page, foreign = open_page(browser, site_url + "/en/?q=Turin")
    page.wait_for_selector(".md-search-result__item")
    assert page.locator(".md-search-result__item > a").first.evaluate("a => new URL(a.href).pathname") == "/en/cities/torino/"
    assert foreign == []
    page.context.close()


@pytest.mark.brief  # "distretti", which the brief's concept of the industrial district answers first
def test_a_result_names_the_words_it_lacks_as_typed_and_its_page_highlights_the_rest(searching: Searching) -> None:
    paths, _, _ = searching("/", "distretti castagne")
    page = searching.page("/")
    first = page.locator(".md-search-result__item").first
    assert paths[0] == "/concepts/distretto-industriale/"
    # no page says "castagne": each result names it among the words it lacks, as typed; none names "distretti"
    article = first.locator("a").first
    assert article.locator(".md-search-result__terms del").all_text_contents() == ["castagne"]
    assert set(page.locator(".md-search-result__terms del").all_text_contents()) == {"castagne"}
    link = article.get_attribute("href")
    assert link.endswith("?h=distrett")  # the words it holds, stemmed, for the page to highlight
    opened = page.context.new_page()  # the page the result opens, beside the search
    opened.goto(link)
    opened.wait_for_selector("article mark[data-md-highlight]")  # drawn once the page has fetched the index's configuration
    marked = opened.locator("article mark[data-md-highlight]").all_inner_texts()
    opened.close()
    marked = [m for m in marked if m]  # (a mark in a closed citation panel is there, unseen)
    assert marked and {m.casefold() for m in marked} == {"distrett"}, marked  # in "distretto" and "distretti" alike


@pytest.mark.parametrize(("start", "expected"), [
    ("/{city}/", "/en/{city}/"),
    ("/en/{city}/", "/{city}/"),
    ("/", "/en/"),
    ("/en/about/", "/informazioni/"),  # a page with a path of its own in each language
    ("/dati/", "/en/data/"),
])
def test_the_language_switch_stays_on_the_same_page(screen: Screen, at: At, start: str, expected: str) -> None:
    start, expected = at(start), at(expected)
    page = screen(start)
    page.locator(".md-header__option .md-select button").hover()
    target = "en" if not start.startswith("/en/") else "it"
    page.locator(f".md-select__link[hreflang={target}]").click()
    page.wait_for_url(lambda url: url.split("/", 3)[3] != start.lstrip("/"))  # the other page, loaded
    assert page.evaluate("location.pathname") == expected
    assert page.evaluate("document.documentElement.lang") == target


def a_statement(catalog: Catalog) -> Statement:
    """The middle statement of the slide with the most: down its page, which must scroll to it (not the
    last, which the end of the page may keep from reaching the top)."""
    slide = max(catalog.by_kind["slide"], key=lambda e: len(e.data["statements"]))
    statements = [s for s in catalog.statements.values() if s.slide == slide.id]
    return statements[len(statements) // 2]


def test_the_switch_keeps_a_statement_anchor(screen: Screen, catalog: Catalog) -> None:
    statement = a_statement(catalog)
    page = screen(f"/slides/{statement.slide}/#{statement.id}")
    link = page.locator(".md-select__link[hreflang=en]")
    page.locator(".md-header__option .md-select button").hover()
    link.click()
    page.wait_for_url(lambda url: "/en/" in url)  # the other page, loaded
    assert page.evaluate("location.pathname + location.hash") == f"/en/slides/{statement.slide}/#{statement.id}"
    assert page.locator(f"#{statement.id}").inner_text().startswith(f"Statement {statement.number}")


def test_a_statement_anchor_lands_on_the_statement(screen: Screen, catalog: Catalog) -> None:
    statement = a_statement(catalog)
    page = screen(f"/slides/{statement.slide}/#{statement.id}")
    heading = page.locator(f"#{statement.id}")
    assert heading.inner_text().startswith(f"Affermazione {statement.number}")
    top = heading.evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < 300


def test_phone_layout_has_no_horizontal_scroll_and_a_menu(screen: Screen, catalog: Catalog) -> None:
    city = first(catalog, "city")
    page = screen(f"/{page_of(city)}/", 375, 740)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    menu = page.locator("label.md-header__button[for='__drawer']")
    assert menu.is_visible()
    menu.click()
    page.wait_for_timeout(400)
    snapshot(page, "phone-menu")
    other = first(catalog, "city", lambda e: e is not city)  # another page of the same kind, in the open menu
    assert page.locator(f"nav.md-nav--primary a[href$='/{other.id}/'] >> visible=true").count() == 1


# ---------------------------------------------------------------------------------------------
# Maps and graphs: reached with the keyboard, readable on a phone, drawn in both schemes
# ---------------------------------------------------------------------------------------------


def tab_through(page, selector: str, limit: int = 400, expected: set[str] | None = None) -> dict[str, str]:
    """The hrefs of the elements matching `selector` that Tab reaches (pressing it up to `limit`
    times, or until every href `expected` was reached), each with the stroke width of its shape
    while it has the focus."""
    reached: dict[str, str] = {}
    page.locator("body").click(position={"x": 1, "y": 1})
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.evaluate(f"""(() => {{ const el = document.activeElement;
            if (!el || !el.matches({selector!r})) return null;
            const shape = el.querySelector('circle, rect');
            return [el.getAttribute('href'), shape ? getComputedStyle(shape).strokeWidth : '3px'] }})()""")
        if found:
            reached[found[0]] = found[1]
            if expected is not None and expected <= reached.keys():
                break
    return reached


@pytest.mark.parametrize(("path", "selector"), [
    ("/cities/", "a.atlante-marker"),
    ("/{linked}/", "a.atlante-node"),
    ("/concept-map/", "a.atlante-node, a.atlante-heading"),
])
def test_the_keyboard_reaches_every_marker_and_node(screen: Screen, at: At, path: str, selector: str) -> None:
    page = screen(at(path))  # (each graph also has a narrow layout, hidden at this width: not reachable, rightly)
    every = set(page.eval_on_selector_all(selector, "els => els.filter(e => e.getClientRects().length).map(e => e.getAttribute('href'))"))
    assert len(every) >= 6
    reached = tab_through(page, selector, expected=every)
    assert set(reached) == every
    assert set(reached.values()) == {"3px"}  # the focused marker or node is visibly marked


# For each figure on the page: its box, the box of the drawing it shows (one layout of a graph's two),
# and every text of that drawing that does not fit: outside the drawing (cut off), outside its own
# node's box, or too small to read
FIGURE_FIT = """() => [...document.querySelectorAll('figure.atlante-figure')].map(figure => {
  const f = figure.getBoundingClientRect()
  const shown = [...figure.querySelectorAll('svg')].filter(svg => svg.getClientRects().length)
  const cut = []
  for (const svg of shown) {
    const s = svg.getBoundingClientRect()
    for (const text of svg.querySelectorAll('text')) {
      const t = text.getBoundingClientRect()
      const box = text.closest('.atlante-node') && text.closest('.atlante-node').querySelector('rect').getBoundingClientRect()
      const out = t.left < s.left - 1 || t.right > s.right + 1 || t.top < s.top - 1 || t.bottom > s.bottom + 1
      const spills = box && (t.left < box.left - 1 || t.right > box.right + 1 || t.bottom > box.bottom + 1)
      if (out || spills || t.height < 9) cut.push([text.textContent, Math.round(t.left), Math.round(t.right), Math.round(t.height)])
    }
  }
  return {id: figure.id || figure.className, left: f.left, right: f.right, shown: shown.length,
          svgs: shown.map(svg => [svg.getBoundingClientRect().left, svg.getBoundingClientRect().right]), cut}
})"""


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("path", ["/", "/cities/", "/{city}/", "/{titled}/", "/{linked}/", "/concept-map/",
                                  "/en/", "/en/cities/", "/en/{titled}/", "/en/concept-map/"])
def test_every_figure_fits_its_column_and_no_label_is_cut_off(screen: Screen, at: At, path: str, width: int) -> None:
    """On a 390 px phone and a 1366 px laptop, in both languages: the page never scrolls sideways;
    each figure shows one drawing (a graph's wide or narrow layout, whichever fits), inside the
    screen and its column; every label is whole, inside the drawing and inside its own box, and
    legible. Screenshots for a human eye with ATLANTE_SCREENSHOTS=1."""
    path = at(path)
    page = screen(path, width, 900)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    figures = page.evaluate(FIGURE_FIT)
    assert figures, path
    inner = page.evaluate("window.innerWidth")
    for figure in figures:
        assert figure["shown"] == 1, figure  # one drawing: never both layouts, never none
        assert figure["left"] >= 0 and figure["right"] <= inner, figure
        for left, right in figure["svgs"]:
            assert left >= figure["left"] - 1 and right <= figure["right"] + 1, figure
        assert figure["cut"] == [], figure
    name = path.strip("/").replace("/", "_") or "home"
    snapshot(page, f"figures-{name}-{width}", full_page=True)


def test_the_map_follows_the_dark_scheme(browser: Browser, site_url: str) -> None:
    fills = {}
    for scheme in ("light", "dark"):
        page, _ = open_page(browser, site_url + "/cities/", color_scheme=scheme)
        fills[scheme] = page.evaluate("""(() => [getComputedStyle(document.querySelector('.atlante-region')).fill,
            getComputedStyle(document.querySelector('.atlante-marker text')).fill,
            getComputedStyle(document.body).backgroundColor])()""")
        snapshot(page, f"map-{scheme}")
        page.context.close()
    assert fills["light"][0] != fills["dark"][0] and fills["light"][1] != fills["dark"][1]
    assert fills["light"][2] != fills["dark"][2]


def test_the_sidebar_title_does_not_cover_the_scrolled_navigation(screen: Screen, at: At) -> None:
    page = screen(at("/{city}/"), 1366, 700)
    page.evaluate("document.querySelector('.md-sidebar--primary .md-sidebar__scrollwrap').scrollTop = 150")
    page.wait_for_timeout(200)
    box = page.locator(".md-sidebar--primary .md-sidebar__scrollwrap").bounding_box()
    # whatever sits at the top of the scrolled sidebar is a navigation link, not a sticky title over it
    top = page.evaluate(f"document.elementFromPoint({box['x'] + 40}, {box['y'] + 8}).closest('.md-nav__title, .md-nav__link') ?.className")
    assert top is not None and "md-nav__title" not in top


@pytest.mark.parametrize(("old", "new"), [("/en/dati/", "/en/data/"), ("/en/campi/", "/en/fields/"),
                                          ("/en/informazioni/", "/en/about/"), ("/en/accessibilita/", "/en/accessibility/")])
def test_an_english_pages_first_address_leads_the_browser_to_its_english_path(screen: Screen, old: str, new: str) -> None:
    """The English edition's own pages were first published at their Italian paths: a saved link still lands."""
    page = screen(old + "#city-region" if "campi" in old else old)
    page.wait_for_url(lambda url: urlsplit(url).path == new)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "campi" not in old or page.evaluate("location.hash") == "#city-region"  # an anchor survives the redirect


# ---------------------------------------------------------------------------------------------
# The field reference: long pages of terms, read on a phone
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("path", ["/campi/", "/en/fields/", "/dati/"])
def test_the_field_reference_fits_the_screen_and_a_field_link_lands_on_it(screen: Screen, site_url: str,
                                                                          path: str, width: int) -> None:
    """No line of the reference or of the Dati page widens the page (long examples wrap); a link to a
    field scrolls to its term, indented under its parent. Screenshots for a human eye with ATLANTE_SCREENSHOTS=1."""
    page = screen(path, width, 900)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    name = path.strip("/").replace("/", "_")
    snapshot(page, f"fields-{name}-{width}", full_page=True)
    if "campi" in path or "fields" in path:
        page.goto(site_url + path + "#city-coordinates-lat", wait_until="networkidle")
        term = page.locator("#city-coordinates-lat")
        assert term.is_visible() and 0 <= term.bounding_box()["y"] < 300
        parent = page.locator("#city-coordinates").bounding_box()
        assert term.bounding_box()["x"] > parent["x"]  # a nested field stands indented under its parent
        snapshot(page, f"fields-{name}-anchor-{width}")


# ---------------------------------------------------------------------------------------------
# The home page: the brief's argument on the first screen
# ---------------------------------------------------------------------------------------------

CHAIN_WORDS = {"/": ("sfide", "crisi", "piattaforme", "circoli magici", "città", "distretti", "azioni"),
               "/en/": ("challenges", "crisis", "platforms", "magic circles", "cities", "districts", "action")}


DATA_PAGE = {"/": "dati", "/en/": "data"}  # the Dati page's path in each edition (the translation files' paths)


@pytest.mark.parametrize("path", ["/", "/en/"])
def test_the_first_phone_screen_of_the_home_page_states_the_thesis_and_its_chain(screen: Screen, path: str) -> None:
    """On a 390 × 844 phone, below the header: the brief's thesis, in at most three sentences naming the
    chain of its argument, then the chain itself, step by step, each a link to its section; what the
    site is comes later. The whole brief, the data and the concept map are a tap away."""
    page = screen(path, 390, 844)
    header = page.locator(".md-header").bounding_box()
    thesis = page.locator("article .atlante-thesis")
    box = thesis.bounding_box()
    assert header is not None and box is not None
    assert box["y"] >= header["y"] + header["height"] and box["y"] + box["height"] <= 844  # whole, on the first screen
    text = " ".join(thesis.inner_text().split())
    assert 1 <= len(re.findall(r"[.!?][»”\"]?(?:\s|$)", text)) <= 3, text
    assert all(word in text.lower() for word in CHAIN_WORDS[path]), text
    chain = page.locator("article nav.atlante-chain")
    assert chain.bounding_box()["y"] < 844  # the chain starts on the first screen too
    steps = chain.locator("a")
    assert steps.count() == 6
    for anchor in steps.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert page.locator(f"article {anchor}").count() == 1, anchor  # each step's section
    assert page.locator("article #site").bounding_box()["y"] > 2 * 844  # what the site is: well below
    actions = page.locator("article .atlante-actions a").evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    assert actions == [f"{path}brief/", f"{path}{DATA_PAGE[path]}/", f"{path}concept-map/"]
    snapshot(page, f"home-first-screen{path.replace('/', '-')}390")
