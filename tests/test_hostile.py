"""The hostile corpus (tests/hostile.py) through `atlante check`, the real build and a real browser.

Rejected cases: exit 1, the exact located lines of expected.json, no traceback, no site written.
Neutralised cases: the build succeeds and the pages carry no active markup, in the HTML and in
headless Chromium (no dialog, no console message from injected script, no javascript: link).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from helpers import BIN, env, make_project, open_page, serving
from hostile import CASES, Case

EXPECTED_FILE = Path(__file__).parent / "hostile_expected.json"
EXPECTED: dict[str, list[str]] = json.loads(EXPECTED_FILE.read_text(encoding="utf-8")) if EXPECTED_FILE.exists() else {}
MEMORY_LIMIT = 2 * 1024**3  # address space of each check or build: hostile input must not exhaust memory
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), cwd=project, env=env(), capture_output=True, text=True,
                          timeout=120, preexec_fn=_bounded)


def errors_of(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if ": warning: " not in line]


def test_corpus_is_large_and_every_case_has_an_expected_outcome() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    if not os.environ.get("ATLANTE_UPDATE_HOSTILE"):
        assert sorted(EXPECTED) == sorted(c.name for c in CASES if c.rejected)


@pytest.fixture
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    case: Case = request.param
    project = make_project(tmp_path)
    case.mutate(project)
    return project


@pytest.mark.parametrize("project", CASES, ids=[c.name for c in CASES], indirect=True)
def test_atlante_check(project: Path, request: pytest.FixtureRequest) -> None:
    case: Case = request.node.callspec.params["project"]
    result = run(project, str(BIN / "atlante"), "check", "--project", str(project))
    assert "Traceback" not in result.stdout + result.stderr
    if case.neutralised:
        assert result.returncode == 0, result.stdout
        return
    if os.environ.get("ATLANTE_UPDATE_HOSTILE"):
        EXPECTED[case.name] = errors_of(result.stdout)
        EXPECTED_FILE.write_text(json.dumps(EXPECTED, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert result.returncode == 1
    assert errors_of(result.stdout) == EXPECTED[case.name]
    assert all(line.split(":")[0].startswith(("data/", "docs/")) for line in EXPECTED[case.name])


@pytest.mark.parametrize("project", CASES, ids=[c.name for c in CASES], indirect=True)
def test_build(project: Path, request: pytest.FixtureRequest, browser: Browser) -> None:
    case: Case = request.node.callspec.params["project"]
    result = run(project, str(BIN / "mkdocs"), "build", "--strict")
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    site = project / "site"
    if case.rejected:
        assert result.returncode == 1
        for line in EXPECTED[case.name]:
            assert line in result.stderr
        assert not site.exists()
        return
    assert result.returncode == 0, result.stderr
    for page in case.neutralised:
        assert_inert_html(site / page / "index.html", case.marker)
    with serving(site) as url:
        for page in case.neutralised:
            assert_inert_in_browser(browser, f"{url}/{page}/", case.marker)


def assert_inert_html(path: Path, marker: str) -> None:
    doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for script in doc.find_all("script"):
        assert marker not in script.get_text(), path
    article = doc.select_one("article")
    assert article is not None
    for el in article.find_all(True):
        assert el.name not in ("script", "style", "iframe", "form", "input", "object", "embed", "foreignobject"), (path, el.name)
        if el.name == "svg":  # only the site's own figures draw; data never does
            assert el.find_parent("figure", class_="atlante-figure") is not None, path
        for attr, value in el.attrs.items():
            assert not attr.lower().startswith("on"), (path, el.name, attr)
            assert attr != "style", (path, el.name)
            if attr in ("href", "src"):
                assert not str(value).strip().lower().startswith(DANGEROUS_SCHEMES), (path, value)
                if attr == "src":
                    assert "://" not in value, (path, value)


def assert_inert_in_browser(browser: Browser, url: str, marker: str) -> None:
    page, foreign = open_page(browser, url)
    dialogs: list[str] = []
    console: list[str] = []
    navigations: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: console.append(m.text))
    page.on("framenavigated", lambda f: navigations.append(f.url))
    page.reload(wait_until="networkidle")
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => typeof a.href === 'string' ? a.href : a.href.baseVal)")
    assert not [href for href in links if href.lower().startswith(DANGEROUS_SCHEMES)]
    for element in page.locator("article img, article b, article div, article p").all()[:50]:
        if element.is_visible():
            element.hover()
    page.wait_for_timeout(200)
    assert dialogs == []
    assert [m for m in console if marker in m] == []
    assert [u for u in navigations if u.lower().startswith(DANGEROUS_SCHEMES)] == []
    assert foreign == []
    page.context.close()
