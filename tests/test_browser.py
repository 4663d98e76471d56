"""What a reader's browser does with the built site: headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from helpers import edit, make_project, mkdocs_build

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "_artifacts"
SCREENSHOTS.mkdir(exist_ok=True)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(site: Path) -> Iterator[str]:
    """`site` served on a free loopback port for the duration of the block."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian chromium is missing: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    with serving(built_site) as url:
        yield url


def open_page(browser: Browser, url: str, **context: object) -> tuple[Page, list[str]]:
    """A page at `url`, with the list of every request it makes to a host other than ours."""
    page = browser.new_context(**context).new_page()  # type: ignore[arg-type]
    foreign: list[str] = []
    origin = url.split("/", 3)[:3]
    page.on("request", lambda r: foreign.append(r.url) if r.url.split("/", 3)[:3] != origin and not r.url.startswith("data:") else None)
    page.goto(url, wait_until="networkidle")
    return page, foreign


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


def test_script_in_data_never_runs(browser: Browser, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    edit(project, "data/cities/milano.yaml", 'title: "Milano"', 'title: "Milano </title><script>alert(1)</script><img src=x onerror=alert(2)>"')
    edit(project, "data/cities/milano.yaml", "summary: >-\n", 'body: "[clic](javascript:alert(3)) <b onmouseover=alert(4)>x</b>"\nsummary: >-\n')
    assert mkdocs_build(project).returncode == 0
    with serving(project / "site") as url:
        for path in ("/cities/milano/", "/circles/circoli-magici-del-made-in-italy/", "/cities/"):
            page, foreign = open_page(browser, url + path)
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.reload(wait_until="networkidle")
            for link in page.locator("article a").all():
                assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
            page.locator("article b").first.hover() if page.locator("article b").count() else None
            assert dialogs == [] and foreign == []
