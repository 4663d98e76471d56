"""Lighthouse (from npm, see package.json) on the home page, a city page and the concept map, served gzipped.

Accessibility, best practices and SEO must score 100; performance depends on the machine and is only
reported, by `.venv/bin/python tests/lighthouse.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lighthouse import LIGHTHOUSE, PAGES, audit
from playwright.sync_api import Browser

ASSERTED = ("accessibility", "best-practices", "seo")


@pytest.mark.skipif(not LIGHTHOUSE.exists(), reason="node_modules/.bin/lighthouse is missing: `make test` installs it with npm ci")
@pytest.mark.parametrize("path", PAGES)
def test_page_scores_100_in_lighthouse(built_site: Path, browser: Browser, browser_port: int, path: str) -> None:
    # in the session's Chromium; only the categories asserted (performance, the slow part, is reported by the script)
    result = audit(built_site, [path], port=browser_port, categories=ASSERTED)[path]
    failing = [
        f"{category} {result['scores'][category]}: {a['id']} ({a['title']}) {a['items'][:3]}"
        for category in ASSERTED if result["scores"][category] != 100 for a in result["failing"][category]
    ]
    below = [category for category in ASSERTED if result["scores"][category] != 100]
    assert not below, f"{path} scores {result['scores']}; failing audits:\n" + "\n".join(failing)
