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
def test_pages_score_100_in_lighthouse(built_site: Path, browser: Browser, browser_port: int) -> None:
    # in the session's Chromium, every page in one Lighthouse process; only the categories asserted
    # (performance, the slow part, is reported by the script)
    results = audit(built_site, PAGES, port=browser_port, categories=ASSERTED)
    assert list(results) == PAGES
    below = {path: result["scores"] for path, result in results.items()
             if any(result["scores"][category] != 100 for category in ASSERTED)}
    failing = [
        f"{path} {category} {result['scores'][category]}: {a['id']} ({a['title']}) {a['items'][:3]}"
        for path, result in results.items()
        for category in ASSERTED if result["scores"][category] != 100 for a in result["failing"][category]
    ]
    assert not below, f"scores below 100: {below}; failing audits:\n" + "\n".join(failing)
