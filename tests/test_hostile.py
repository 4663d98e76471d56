"""The hostile corpus (tests/hostile.py) through the core, the real build and a real browser.

Every case is decided through `atlante check`, in-process (the command's own `main`), with memory
bounded: a rejected case prints exactly the located lines of hostile_expected.json, an accepted one
nothing. One real build of several rejected cases together proves that the build refuses exactly as
the core does (the same lines, no site). Accepted (neutralised) cases are built together, as many per
project as can share one without touching the same lines, and their pages must carry no active markup,
in the HTML and in headless Chromium (no dialog, no console message from injected script, no
javascript: link), with every output (citations, metadata, open data) well formed.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import json
import os
import re
import resource
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
import pytest
import rispy
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page
from rdflib import Graph

from atlante import cli, pipeline, yamlsource
from atlante.kinds import KIND_BY_FOLDER, KINDS
from atlante.opendata import restore

from helpers import BIN, ROOT, env, foreign_requests, frozen_project, latex_text, search_for, serving
from hostile import CASES, Case

# The corpus edits the real brief's files (Milano's title, slide 3's statements…): an editor's change
# there may need a case updated
pytestmark = pytest.mark.brief

EXPECTED_FILE = Path(__file__).parent / "hostile_expected.json"
EXPECTED: dict[str, list[str]] = json.loads(EXPECTED_FILE.read_text(encoding="utf-8")) if EXPECTED_FILE.exists() else {}
MEMORY_LIMIT = 2 * 1024**3  # address space a check or a build may add: hostile input must not exhaust memory
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
# Rejected cases in different files, refused together by one real build each group
REFUSED_TOGETHER = (("billion-laughs", "coordinates-out-of-range", "unknown-folder", "statement-translation-of-an-unknown-statement",
                     "hand-written-page-at-a-kind-address"),
                    # what would hang, publish a file of the machine or crash a build, each refused before anything is read
                    ("named-pipe-as-a-data-file", "symlink-among-the-pages", "symlink-to-a-yaml-file-outside", "lone-surrogate-in-a-title",
                     "thousands-of-brackets-in-a-body", "two-slides-with-one-number", "absolute-path-link",
                     "noncharacter-fdd0-in-a-tag-name"),
                    # a schema that points elsewhere and a translation file that is a pipe: nothing fetched, nothing waited on
                    ("remote-ref-in-a-schema", "translation-file-is-a-pipe", "symlinked-template"))
_PARSED: dict = {}  # files parsed by earlier cases, by their bytes (the preview's cache): unchanged files are not parsed again


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@contextlib.contextmanager
def bounded_memory() -> Iterator[None]:
    """Within the block, this process may grow by at most MEMORY_LIMIT of address space."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    used = next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmSize:"))
    limit = used + MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(used + MEMORY_LIMIT, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), cwd=project, env=env(), capture_output=True, text=True,
                          timeout=300, preexec_fn=_bounded)


def errors_of(stdout: str, project: Path) -> list[str]:
    """The error lines of `atlante check`, with what a new kind or new words would change written as
    such: the list of kind folders, the list of schema files and a translation file's line number
    (the text of that line instead)."""
    folders = ", ".join(k.folder for k in KINDS)
    schema_files = ", ".join(sorted([*(f"{k.name}.schema.json" for k in KINDS), "envelope.schema.json"]))
    lines = []
    for line in stdout.splitlines():
        if ": warning: " in line:
            continue
        line = line.replace(folders, "{kind folders}").replace(schema_files, "{schema files}")
        if (m := re.match(r"(overrides/atlante/i18n/[a-z]+\.yaml):(\d+):", line)) and int(m[2]) > 1:
            text = (project / m[1]).read_text(encoding="utf-8").splitlines()[int(m[2]) - 1].strip()
            line = line.replace(m[0], f"{m[1]}:{{line {text}}}:", 1)
        lines.append(line)
    return lines


def test_corpus_is_large_and_every_case_has_an_expected_outcome() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    if not os.environ.get("ATLANTE_UPDATE_HOSTILE"):
        assert sorted(EXPECTED) == sorted(c.name for c in CASES if c.rejected)


# ---------------------------------------------------------------------------------------------
# Every case through the core: `atlante check`, in-process
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_atlante_check(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = frozen_project(tmp_path)  # Milano as the cases know it
    case.mutate(project)
    capsys.readouterr()
    with bounded_memory(), yamlsource.remembering(_PARSED):
        code = cli.main(["check", "--project", str(project), "--lang", "en"])
    stdout = capsys.readouterr().out
    if case.neutralised:
        assert code == 0, stdout
        return
    if os.environ.get("ATLANTE_UPDATE_HOSTILE"):
        EXPECTED[case.name] = errors_of(stdout, project)
        EXPECTED_FILE.write_text(json.dumps(EXPECTED, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert code == 1
    assert errors_of(stdout, project) == EXPECTED[case.name]
    assert all(line.split(":")[0].startswith(("data/", "docs/", "overrides/")) for line in EXPECTED[case.name])


@pytest.mark.build
@pytest.mark.parametrize("together", REFUSED_TOGETHER, ids=["data", "files-and-text", "schemas-and-theme"])
def test_the_build_refuses_exactly_as_the_core_does(tmp_path: Path, together: tuple[str, ...]) -> None:
    """One real `mkdocs build --strict` of several rejected cases at once: it prints the core's
    findings, each case's own lines among them, and writes no site."""
    project = frozen_project(tmp_path)  # Milano as the cases know it
    cases = {c.name: c for c in CASES}
    for name in together:
        cases[name].mutate(project)
    core = [str(f) for f in pipeline.run(project).errors]
    for name in together:
        assert set(EXPECTED[name]) <= set(errors_of("\n".join(core), project)), name
    result = run(project, str(BIN / "mkdocs"), "build", "--strict")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1
    printed = [line.removeprefix("ERROR   -  ").strip() for line in result.stderr.splitlines()]
    assert core[0] in printed, result.stderr
    start = printed.index(core[0])
    assert printed[start:start + len(core) + 1] == [*core, f"{len(core)} errors in data/: nothing was built."]
    assert not (project / "site").exists()


# ---------------------------------------------------------------------------------------------
# Accepted cases: built together, as many per project as can share one
# ---------------------------------------------------------------------------------------------


class _Recorded(type(Path())):  # type: ignore[misc]
    """A path whose writes are recorded, not made: what a case would write, read against the originals."""

    writes: list[tuple[Path, bytes]] = []

    def write_text(self, data: str, encoding: str | None = None, errors: str | None = None, newline: str | None = None) -> int:
        self.writes.append((Path(self), data.encode(encoding or "utf-8", errors or "strict")))
        return len(data)

    def write_bytes(self, data: bytes) -> int:  # type: ignore[override]
        self.writes.append((Path(self), bytes(data)))
        return len(data)

    def mkdir(self, *args: object, **kwargs: object) -> None:
        pass


def _touched(case: Case, pristine: Path) -> dict[str, set[int] | None]:
    """The files `case` would change: for a file it edits, the original lines it replaces (an
    insertion, the line it goes before); None for a file it adds or writes anew."""
    _Recorded.writes = []
    case.mutate(_Recorded(pristine))
    touched: dict[str, set[int] | None] = {}
    for path, new in _Recorded.writes:
        rel = path.relative_to(pristine).as_posix()
        try:
            old = path.read_text(encoding="utf-8").splitlines()
            lines = {i for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old, new.decode("utf-8").splitlines(),
                                                                        autojunk=False).get_opcodes()
                     if tag != "equal" for i in (range(i1, i2) if i2 > i1 else (i1,))}
        except (OSError, UnicodeDecodeError):
            touched[rel] = None
            continue
        if rel in touched:
            touched[rel] = None if touched[rel] is None else touched[rel] | lines  # type: ignore[operator]
        else:
            touched[rel] = lines if len(lines) < len(old) else None
    return touched


def _batches(cases: list[Case]) -> list[list[Case]]:
    """Greedy: each case joins the first group in which no case touches the same lines."""
    with tempfile.TemporaryDirectory() as scratch:
        pristine = Path(scratch)
        for part in ("data", "docs", "overrides"):  # a copy, so that a write the recorder misses lands there
            shutil.copytree(ROOT / part, pristine / part, ignore=shutil.ignore_patterns("__pycache__"))
        groups: list[tuple[list[Case], dict[str, set[int] | None]]] = []
        for case in cases:
            try:
                mine = _touched(case, pristine)
            except AssertionError:  # the brief's data no longer has what the case edits: it fails alone
                groups.append(([case], {"": None}))
                continue
            for members, taken in groups:
                if "" in taken:
                    continue
                if not any(f in taken and (lines is None or taken[f] is None or lines & taken[f])  # type: ignore[operator]
                           for f, lines in mine.items()):
                    members.append(case)
                    for f, lines in mine.items():
                        taken[f] = None if lines is None or taken.get(f, set()) is None else lines | taken.get(f, set())  # type: ignore[operator]
                    break
            else:
                groups.append(([case], dict(mine)))
        return [members for members, _ in groups]


ACCEPTED = _batches([c for c in CASES if c.neutralised])


@pytest.mark.build
@pytest.mark.parametrize("batch", ACCEPTED, ids=["+".join(c.name for c in batch) for batch in ACCEPTED])
def test_accepted_cases_build_and_stay_inert(batch: list[Case], tmp_path: Path, browser: Browser) -> None:
    project = frozen_project(tmp_path)  # Milano as the cases know it
    for case in batch:
        case.mutate(project)
    result = run(project, str(BIN / "mkdocs"), "build", "--strict")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stderr
    site = project / "site"
    pages = sorted({page for case in batch for page in case.neutralised})
    markers = sorted({case.marker for case in batch})
    for page in pages:
        doc = BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert_inert_html(doc, page, markers)
        assert_outputs_well_formed(project, site, page, doc)
    assert_open_data_well_formed(project, site)
    assert_search_index_inert(site)
    with serving(site) as url:
        assert_inert_in_browser(browser, [f"{url}/{page}/" for page in pages], markers)


def assert_inert_html(doc: BeautifulSoup, page: str, markers: list[str]) -> None:
    for script in doc.find_all("script"):
        if script.get("type") == "application/ld+json":  # data, not code: it must parse, whatever it quotes
            json.loads(script.string)
            continue
        assert not [m for m in markers if m in script.get_text()], page
    article = doc.select_one("article")
    assert article is not None
    for el in article.find_all(True):
        assert el.name not in ("script", "style", "iframe", "form", "input", "object", "embed", "foreignobject"), (page, el.name)
        if el.name == "svg":  # only the site's own figures and the theme's edit button draw; data never does
            assert el.find_parent("figure", class_="atlante-figure") is not None or \
                el.find_parent("a", class_="md-content__button", rel="edit") is not None, page
        for attr, value in el.attrs.items():
            assert not attr.lower().startswith("on"), (page, el.name, attr)
            assert attr != "style", (page, el.name)
            if attr in ("href", "src"):
                assert not str(value).strip().lower().startswith(DANGEROUS_SCHEMES), (page, value)
                if attr == "src":
                    assert "://" not in value, (page, value)


def assert_search_index_inert(site: Path) -> None:
    """Material's search results draw each entry's title, text and tags as markup (innerHTML): in
    every edition's index they hold no element but the few Material keeps in texts."""
    kept = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}  # Material's search plugin, Parser.keep
    for index in [site / "search/search_index.json", *site.glob("*/search/search_index.json")]:
        for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
            for part, allowed in [(doc["title"], set()), (doc["text"], kept), *((tag, set()) for tag in doc.get("tags", []))]:
                found = {el.name for el in BeautifulSoup(part, "html.parser").find_all(True)}
                assert found <= allowed, (doc["location"], part)


def assert_outputs_well_formed(project: Path, site: Path, page: str, doc: BeautifulSoup) -> None:
    """The page's metadata and citations parse, and say what the data says, whatever it holds (its
    permalinks are taken out of `doc`)."""
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
        target = ((site / page / "index.html").parent / link["href"]).resolve()
        if target.suffix in (".svg", ".png"):  # a figure's downloads
            assert_figure_file_inert(target)
            continue
        text = target.read_text(encoding="utf-8")
        if link["href"].endswith(".bib"):
            library = bibtexparser.parse_string(text)
            assert len(library.entries) == 1 and not library.failed_blocks, (page, text)
            fields = {f.key: f.value for f in library.entries[0].fields}
            assert_bibtex_strict(text, fields)
            if link.find_parent(id="cite-page"):  # the page's own reference: its title, whatever it holds
                shown = latex_text(fields["title"])
                assert shown == " ".join(metas["citation_title"].split()), (page, shown)
        else:
            records = rispy.loads(text)
            assert len(records) == 1 and text.count("\nER  -") == 1, (page, text)
    parts = page.removeprefix("en/").split("/")
    if len(parts) == 2 and parts[0] in KIND_BY_FOLDER:  # an entity's title is shown as text, whatever it holds
        data = yaml.safe_load((project / f"data/{parts[0]}/{parts[1]}.yaml").read_text(encoding="utf-8"))
        said = " ".join(((data.get("en") or {}).get("title", data["title"]) if page.startswith("en/") else data["title"]).split())
        assert title is not None and " ".join(title.split()) == said, page
        assert " ".join(doc.title.get_text().split()).startswith(said + " - "), page
    if len(parts) == 2 and parts[0] in KIND_BY_FOLDER and not page.startswith("en/"):
        record = json.loads((site / f"{parts[0]}/{parts[1]}.json").read_text(encoding="utf-8"))
        assert record["data"] == yaml.safe_load((project / f"data/{parts[0]}/{parts[1]}.yaml").read_text(encoding="utf-8"))
        with (site / f"dati/{parts[0]}.csv").open(encoding="utf-8", newline="") as f:
            (row,) = [r for r in csv.DictReader(f) if r["id"] == parts[1]]
        assert restore(row["title"]) == record["data"]["title"] and restore(row["summary"]) == record["data"]["summary"]
        assert not row["title"].startswith(("=", "+", "-", "@")) and not row["summary"].startswith(("=", "+", "-", "@"))
        from test_flat_csv import flat  # the row as the YAML, flattened independently of opendata.py

        for column, value in flat(record["data"]).items():  # cell for cell, whatever the texts hold
            if isinstance(value, str):
                assert restore(row[column]) == value, (page, column)


def assert_bibtex_strict(text: str, fields: dict[str, str]) -> None:
    """pybtex, in strict mode (it rejects what BibTeX would), reads one entry with every field the
    file writes: a brace of the data can neither end the entry early nor swallow what follows."""
    import pybtex.errors
    from pybtex.database import parse_string

    pybtex.errors.set_strict_mode(True)
    try:
        (entry,) = parse_string(text, "bibtex").entries.values()
    finally:
        pybtex.errors.set_strict_mode(False)
    read = {k.lower() for k in entry.fields} | {role.lower() for role in entry.persons}
    assert read == set(fields), (text, read)


def assert_figure_file_inert(path: Path) -> None:
    """A figure's download, whatever the data it draws holds: the SVG well-formed XML (lxml's strict
    parser, no entity or network) with no script, foreign object, event handler or address outside
    the site's; the PNG a picture, 1 600 px wide."""
    from io import BytesIO

    from lxml import etree
    from PIL import Image

    from helpers import SITE_URL

    if path.suffix == ".png":
        picture = Image.open(BytesIO(path.read_bytes()))
        picture.load()
        assert picture.format == "PNG" and picture.width == 1600, path
        return
    root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        assert etree.QName(el).localname not in ("script", "foreignObject", "iframe", "image", "use"), (path, el.tag)
        for name, value in el.attrib.items():
            assert not etree.QName(name).localname.lower().startswith("on"), (path, name)
            if etree.QName(name).localname == "href":
                assert value.startswith(SITE_URL) and not value.lower().startswith(DANGEROUS_SCHEMES), (path, value)


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
    from lxml import etree

    strict = etree.XMLParser(resolve_entities=False, no_network=True)
    for xml in ("dati/dcat-ap_it.rdf", "sitemap.xml", "en/sitemap.xml"):  # the strictest reader of XML: lxml's
        etree.fromstring((site / xml).read_bytes(), strict)
    for prefix in ("", "en/"):  # the figures of the whole site: the map and the concept map, which draw every entry
        for name in ("map.svg", "map.png", "concept-map.svg", "concept-map.png"):
            assert_figure_file_inert(site / prefix / name)
    for figure in site.glob("*/*.graph.svg"):  # every entry's graph, in the source edition
        assert_figure_file_inert(figure)
    from pypdf import PdfReader

    for prefix in ("", "en/"):  # the whole brief's PDF: a document, whatever its statements and titles hold
        reader = PdfReader(site / prefix / "brief.pdf", strict=True)
        assert len(reader.pages) >= 4 and reader.pages[0].extract_text().strip()


@dataclass
class _Watched:
    """A page opened in the browser, with what it did: dialogs, console lines, navigations and
    requests to another host."""

    url: str
    page: Page
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


def assert_inert_in_browser(browser: Browser, urls: list[str], markers: list[str]) -> None:
    """Each page, opened in the browser, runs nothing the data put there: no dialog, no console line
    naming a marker, no navigation to a dangerous address, no request to another host. The pages
    load side by side in one context (the browser loads them in parallel), then are checked. On the
    first, a reader searches: the search worker reads the whole index, hostile texts included, and
    the page shows what it finds (texts of the data among them)."""
    context = browser.new_context()
    watched = []
    for url in urls:
        seen = _Watched(url, context.new_page())
        seen.foreign = foreign_requests(seen.page, url)
        seen.page.on("dialog", lambda d, seen=seen: (seen.dialogs.append(d.message), d.dismiss()))
        seen.page.on("console", lambda m, seen=seen: seen.console.append(m.text))
        seen.page.on("framenavigated", lambda f, seen=seen: seen.navigations.append(f.url))
        seen.page.goto(url, wait_until="commit")  # the next page starts loading at once
        watched.append(seen)
    searched = watched[0].page
    searched.wait_for_load_state("load")
    assert search_for(searched, "Milan").count()  # in both editions, hostile texts among them
    for seen in watched:
        page = seen.page
        page.wait_for_load_state("load")
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => typeof a.href === 'string' ? a.href : a.href.baseVal)")
        assert not [href for href in links if href.lower().startswith(DANGEROUS_SCHEMES)], seen.url
        # what a reader's pointer and keyboard would fire on every element of the article, at once (an
        # inline handler left in the page would run now)
        page.eval_on_selector_all("article *", """elements => elements.forEach(el => {
            for (const type of ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "focus", "focusin", "pointerover"])
                el.dispatchEvent(new (type.startsWith("focus") ? FocusEvent : MouseEvent)(type, {bubbles: true}));
        })""")
    watched[-1].page.wait_for_timeout(200)  # a moment for whatever that set off, on every page
    for seen in watched:
        assert seen.dialogs == [], seen.url
        assert [m for m in seen.console if any(marker in m for marker in markers)] == [], seen.url
        assert [u for u in seen.navigations if u.lower().startswith(DANGEROUS_SCHEMES)] == [], seen.url
        assert seen.foreign == [], seen.url
    context.close()
