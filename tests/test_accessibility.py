"""Accessibility: axe-core (from npm, see package.json) run in headless Chromium on each kind of page,
with every rule it has (WCAG, best practices and the experimental ones), in both colour schemes; and
the keyboard reaching every link of the maps and graphs.

A page is the same document in both schemes (only the palette's variables and which of its two
toggles shows change), so the dark scheme runs axe's colour rules on every page and every rule on
the home page (its visible toggle is the other one)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from helpers import ROOT, open_page

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["/", "/cities/", "/cities/milano/", "/slides/slide-3/", "/concepts/", "/themes/energia/", "/informazioni/",
         "/concept-map/", "/circles/circoli-magici-del-made-in-italy/", "/accessibilita/", "/campi/", "/tag/", "/tag/citta/"]
PAGES += ["/en" + path for path in PAGES]
EVERY_RULE = "axe.getRules().map(r => r.ruleId)"
COLOUR_RULES = "axe.getRules(['cat.color']).map(r => r.ruleId)"


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_has_no_accessibility_violations(browser: Browser, site_url: str, path: str, scheme: str) -> None:
    assert AXE.exists(), "axe-core is missing: `make test` installs it with npm ci"
    page, _ = open_page(browser, site_url + path, color_scheme=scheme)
    page.add_script_tag(path=str(AXE))
    rules = EVERY_RULE if scheme == "light" or path == "/" else COLOUR_RULES
    # every node of every violation; of the rules that pass, the first node only (half the time on a long page)
    result = page.evaluate(f"axe.run(document, {{runOnly: {{type: 'rule', values: {rules}}}, resultTypes: ['violations']}})")
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert violations == []
    if scheme == "dark":  # the colour rules did run, and in the dark palette
        assert "color-contrast" in [r["id"] for r in result["passes"] + result["incomplete"] + result["violations"]]
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    page.context.close()
