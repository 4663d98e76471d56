"""Accessibility: axe-core (from npm, see package.json) run in headless Chromium on each kind of page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from helpers import ROOT, open_page

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["/", "/cities/", "/cities/milano/", "/slides/slide-3/", "/concepts/", "/themes/energia/", "/informazioni/"]
PAGES += ["/en" + path for path in PAGES]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_has_no_accessibility_violations(browser: Browser, site_url: str, path: str, scheme: str) -> None:
    assert AXE.exists(), "axe-core is missing: `make test` installs it with npm ci"
    page, _ = open_page(browser, site_url + path, color_scheme=scheme)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert violations == []
    page.context.close()
