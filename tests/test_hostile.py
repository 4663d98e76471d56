"""The hostile corpus (tests/hostile.py) through `atlante check`, the real build and a real browser.

Rejected cases: exit 1, the exact located lines of expected.json, no traceback, no site written.
Neutralised cases: the build succeeds and the pages carry no active markup, in the HTML and in
headless Chromium (no dialog, no console message from injected script, no javascript: link).
"""

from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
from pathlib import Path

import bibtexparser
import pytest
import rispy
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser
from pylatexenc.latex2text import LatexNodes2Text
from rdflib import Graph

from atlante.kinds import KIND_BY_FOLDER
from atlante.opendata import restore

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
        assert_outputs_well_formed(project, site, page)
    assert_open_data_well_formed(project, site)
    with serving(site) as url:
        for page in case.neutralised:
            assert_inert_in_browser(browser, f"{url}/{page}/", case.marker)


def assert_inert_html(path: Path, marker: str) -> None:
    doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for script in doc.find_all("script"):
        if script.get("type") == "application/ld+json":  # data, not code: it must parse, whatever it quotes
            json.loads(script.string)
            continue
        assert marker not in script.get_text(), path
    article = doc.select_one("article")
    assert article is not None
    for el in article.find_all(True):
        assert el.name not in ("script", "style", "iframe", "form", "input", "object", "embed", "foreignobject"), (path, el.name)
        if el.name == "svg":  # only the site's own figures and the theme's edit button draw; data never does
            assert el.find_parent("figure", class_="atlante-figure") is not None or \
                el.find_parent("a", class_="md-content__button", rel="edit") is not None, path
        for attr, value in el.attrs.items():
            assert not attr.lower().startswith("on"), (path, el.name, attr)
            assert attr != "style", (path, el.name)
            if attr in ("href", "src"):
                assert not str(value).strip().lower().startswith(DANGEROUS_SCHEMES), (path, value)
                if attr == "src":
                    assert "://" not in value, (path, value)


def assert_outputs_well_formed(project: Path, site: Path, page: str) -> None:
    """The page's metadata and citations parse, and say what the data says, whatever it holds."""
    doc = BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")
    for permalink in doc.select("a.headerlink"):
        permalink.decompose()
    (jsonld,) = doc.find_all("script", type="application/ld+json")
    graph = json.loads(jsonld.string)["@graph"]
    title = doc.h1.get_text(strip=True) if doc.h1 else None
    metas = {m.get("name") or m.get("property"): m["content"] for m in doc.find_all("meta") if m.get("content") is not None}
    assert metas["citation_title"] == metas["og:title"] == metas["DC.title"] == graph[0]["name"]
    if title is not None:
        assert " ".join(metas["citation_title"].split()) == " ".join(title.split()), page
    for link in doc.select("a.atlante-download"):
        text = ((site / page / "index.html").parent / link["href"]).resolve().read_text(encoding="utf-8")
        if link["href"].endswith(".bib"):
            library = bibtexparser.parse_string(text)
            assert len(library.entries) == 1 and not library.failed_blocks, (page, text)
            fields = {f.key: f.value for f in library.entries[0].fields}
            if link.find_parent(id="cite-page"):  # the page's own reference: its title, whatever it holds
                shown = LatexNodes2Text().latex_to_text(fields["title"]).translate({ord("”"): '"', ord("ˆ"): "^"})
                assert shown == " ".join(metas["citation_title"].split()), (page, shown)
        else:
            records = rispy.loads(text)
            assert len(records) == 1 and text.count("\nER  -") == 1, (page, text)
    parts = page.removeprefix("en/").split("/")
    if len(parts) == 2 and parts[0] in KIND_BY_FOLDER and not page.startswith("en/"):
        record = json.loads((site / f"{parts[0]}/{parts[1]}.json").read_text(encoding="utf-8"))
        assert record["data"] == yaml.safe_load((project / f"data/{parts[0]}/{parts[1]}.yaml").read_text(encoding="utf-8"))
        with (site / f"dati/{parts[0]}.csv").open(encoding="utf-8", newline="") as f:
            (row,) = [r for r in csv.DictReader(f) if r["id"] == parts[1]]
        assert restore(row["title"]) == record["data"]["title"] and restore(row["summary"]) == record["data"]["summary"]
        assert not row["title"].startswith(("=", "+", "-", "@")) and not row["summary"].startswith(("=", "+", "-", "@"))


def assert_open_data_well_formed(project: Path, site: Path) -> None:
    """Every download parses: the JSON files, the CSV tables (one row per entity), the RDF."""
    data = json.loads((site / "dati/atlante.json").read_text(encoding="utf-8"))
    json.loads((site / "dati/atlante.jsonld").read_text(encoding="utf-8"))
    package = json.loads((site / "dati/datapackage.json").read_text(encoding="utf-8"))
    for table in package["resources"]:
        if table["path"].endswith(".csv"):
            with (site / "dati" / table["path"]).open(encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
            names = [field["name"] for field in table["schema"]["fields"]]
            assert all(list(row) == names for row in rows), table["path"]
    assert sum(1 for _ in data["entities"]) == sum(1 for _ in (project / "data").glob("*/*.yaml"))
    Graph().parse(data=(site / "dati/dcat-ap_it.rdf").read_text(encoding="utf-8"), format="xml")


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
