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


def test_search_finds_a_city_in_italian(browser: Browser, site_url: str) -> None:
    page, foreign = open_page(browser, site_url + "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box, results = page.locator("input.md-search__input"), page.locator(".md-search-result__item a")
    for _ in range(30):  # the search index loads in a worker: type again until it answers
        box.fill("")
        box.press_sequentially("Torino")
        page.wait_for_timeout(500)
        if results.count():
            break
    if not results.count():
        print("search meta:", page.locator(".md-search-result__meta").inner_text(), page.evaluate("navigator.userAgent"))
        page.screenshot(path=str(SCREENSHOTS / "search-failed.png"))
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/cities/torino/" in hrefs[0]
    assert page.locator(".md-search-result__meta").inner_text().endswith("documenti trovati")  # Italian UI
    assert foreign == []


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
