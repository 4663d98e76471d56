"""Accessibility: axe-core (from npm, see package.json) run in headless Chromium on each kind of page,
with every rule it has (WCAG, best practices and the experimental ones), in both colour schemes (the
keyboard's way through the maps and graphs is in test_browser.py).

A page is the same document in both schemes (only the palette's variables and which of its two
toggles shows change): each page is opened once, in the light scheme, checked with every rule, then
switched to the dark one by its toggle, as a reader does, and checked again with axe's colour rules
(every rule on the home page, whose visible toggle is then the other one). The pages open one after
another in one tab, each as on a first visit (the palette a reader chose is forgotten)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from atlante.kinds import KINDS

from helpers import ROOT, entry_page, one_tab, visit

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The generated and hand-written pages, a kind index (the map's), a tag's page, and an entry of each kind
PAGES = ["/", "/cities/", "/concepts/", "/informazioni/", "/concept-map/", "/accessibilita/", "/campi/", "/tag/", "/tag/citta/",
         *(entry_page(kind.name) for kind in KINDS)]
PAGES += ["/en" + path for path in PAGES]
EVERY_RULE = "axe.getRules().map(r => r.ruleId)"
COLOUR_RULES = "axe.getRules(['cat.color']).map(r => r.ruleId)"


def _violations(page: Page, rules: str) -> dict:
    # every node of every violation; of the rules that pass, the first node only (half the time on a long page)
    return page.evaluate(f"axe.run(document, {{runOnly: {{type: 'rule', values: {rules}}}, resultTypes: ['violations']}})")


def _said(result: dict) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[Page]:
    with one_tab(browser, color_scheme="light") as page:
        yield page


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violations_in_either_scheme(tab: Page, site_url: str, path: str) -> None:
    assert AXE.exists(), "axe-core is missing: `make test` installs it with npm ci"
    page = visit(tab, site_url + path)
    page.add_script_tag(path=str(AXE))
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    assert _said(_violations(page, EVERY_RULE)) == [], "light scheme"
    page.click("form[data-md-component=palette] label:not([hidden])")  # the toggle a reader clicks
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate' && !document.getAnimations().length")
    result = _violations(page, EVERY_RULE if path == "/" else COLOUR_RULES)
    assert _said(result) == [], "dark scheme"
    # the colour rules did run
    assert "color-contrast" in [r["id"] for r in result["passes"] + result["incomplete"] + result["violations"]]
