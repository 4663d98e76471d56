"""What a reader's browser does with the built site: headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from helpers import SCREENSHOTS, open_page


@pytest.mark.parametrize("path", ["/", "/cities/milano/", "/slides/slide-3/", "/concepts/", "/tag/"])
def test_no_page_loads_anything_from_another_host(browser: Browser, site_url: str, path: str) -> None:
    page, foreign = open_page(browser, site_url + path)
    assert page.locator("article h1").count() == 1
    assert foreign == []


def search(browser: Browser, url: str, words: str) -> tuple[list[str], str, list[str]]:
    """The result links (as paths) the search box gives for `words`, its result line, and foreign requests."""
    page, foreign = open_page(browser, url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box, results = page.locator("input.md-search__input"), page.locator(".md-search-result__item > a")
    for _ in range(30):  # the search index loads in a worker: type again until it answers
        box.fill("")
        box.press_sequentially(words)
        page.wait_for_timeout(400)
        if results.count():
            break
    if not results.count():
        page.screenshot(path=str(SCREENSHOTS / f"search-failed-{words}.png"))
    paths = results.evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    meta = page.locator(".md-search-result__meta").inner_text()
    page.context.close()
    return paths, meta, foreign


def test_search_finds_a_city_in_italian(browser: Browser, site_url: str) -> None:
    paths, meta, foreign = search(browser, site_url + "/", "Torino")
    assert paths[0] == "/cities/torino/"
    assert meta.endswith("documenti trovati")  # Italian UI
    assert foreign == []


@pytest.mark.parametrize(("start", "words", "first", "also"), [
    ("/en/", "tourism", "/en/themes/turismo-sostenibile/", ()),
    ("/en/", "districts", "/en/concepts/distretto-industriale/", ("/en/actions/politiche-per-i-distretti-industriali/",)),
    ("/", "distretti", "/concepts/distretto-industriale/", ("/actions/politiche-per-i-distretti-industriali/",)),
    ("/", "distretto", "/concepts/distretto-industriale/", ("/actions/politiche-per-i-distretti-industriali/",)),
])
def test_search_stems_words_in_each_language(browser: Browser, site_url: str, start: str, words: str,
                                             first: str, also: tuple[str, ...]) -> None:
    paths, meta, _ = search(browser, site_url + start, words)
    assert paths and paths[0] == first, paths
    assert all(p.startswith(start) for p in paths)  # each edition searches only itself
    for path in also:
        assert path in paths, (path, paths)
    assert meta.endswith("matching documents" if start == "/en/" else "documenti trovati")


@pytest.mark.parametrize(("start", "expected"), [
    ("/cities/milano/", "/en/cities/milano/"),
    ("/en/cities/milano/", "/cities/milano/"),
    ("/", "/en/"),
    ("/en/informazioni/", "/informazioni/"),
])
def test_the_language_switch_stays_on_the_same_page(browser: Browser, site_url: str, start: str, expected: str) -> None:
    page, _ = open_page(browser, site_url + start, viewport={"width": 1280, "height": 800})
    page.locator(".md-header__option .md-select button").hover()
    target = "en" if not start.startswith("/en/") else "it"
    page.locator(f".md-select__link[hreflang={target}]").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("location.pathname") == expected
    assert page.evaluate("document.documentElement.lang") == target
    page.context.close()


def test_the_switch_keeps_a_statement_anchor(browser: Browser, site_url: str) -> None:
    page, _ = open_page(browser, site_url + "/slides/slide-3/#citta-sedi", viewport={"width": 1280, "height": 800})
    link = page.locator(".md-select__link[hreflang=en]")
    page.locator(".md-header__option .md-select button").hover()
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("location.pathname + location.hash") == "/en/slides/slide-3/#citta-sedi"
    assert page.locator("#citta-sedi").inner_text().startswith("Statement 3.4")
    page.context.close()


def test_a_statement_anchor_lands_on_the_statement(browser: Browser, site_url: str) -> None:
    page, _ = open_page(browser, site_url + "/slides/slide-3/#citta-sedi", viewport={"width": 1280, "height": 800})
    heading = page.locator("#citta-sedi")
    assert heading.inner_text().startswith("Affermazione 3.4")
    top = heading.evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < 300


def test_phone_layout_has_no_horizontal_scroll_and_a_menu(browser: Browser, site_url: str) -> None:
    page, _ = open_page(browser, site_url + "/cities/milano/", viewport={"width": 375, "height": 740}, is_mobile=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    menu = page.locator("label.md-header__button[for='__drawer']")
    assert menu.is_visible()
    menu.click()
    page.wait_for_timeout(400)
    page.screenshot(path=str(SCREENSHOTS / "phone-menu.png"))
    assert page.locator("nav.md-nav--primary a[href$='torino/'] >> visible=true").count() == 1
