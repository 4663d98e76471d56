"""Factories shared by the tests: projects in temporary folders, data edits, real builds."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import unittest.mock
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Locator, Page

from atlante import meta, render
from atlante.kinds import KIND_BY_NAME, address
from atlante.model import Catalog, Entity

ROOT = Path(__file__).resolve().parent.parent
# The source brief, as extracted from the PDF; a verbatim copy is kept with the tests so that
# they run anywhere. SHARED_SOURCE is the team's reference copy, present beside the repository.
SOURCE = Path(__file__).parent / "fixtures" / "source" / "piattaforme-circoli-magici.slides.txt"
SHARED_SOURCE = ROOT.parent / "shared" / "source" / SOURCE.name
BIN = Path(sys.executable).parent

# A valid concept nothing links to: the data is valid, but it is a warning (and fails --strict). Like
# every entry the tests write, it quotes the statement the frozen Milano quotes (slide-3#citta-sedi), so
# that the tests depend on one statement of the brief at most.
ORPHAN_CONCEPT = """
    id: innovazione
    title: Innovazione
    summary: Una parola del brief.
    named_as: alta tecnologia
    sources: [slide-3#citta-sedi]
    en: {title: Innovation, summary: A word of the brief., named_as: high technology}
    """

# A valid theme of the tests' own and the group it is an example of (write both): they link to each other
# and to nothing of the brief but the frozen Milano's statement, for the tests that break one thing in it
OWN_THEME = """\
id: prova
title: Prova
summary: Un caso di prova.
category: applicazione
sources: [slide-3#citta-sedi]
relations:
  esempio_di: [theme:gruppo-di-prova]
en:
  title: Test
  summary: A test case.
"""
OWN_GROUP = """
    id: gruppo-di-prova
    title: Gruppo di prova
    summary: Il gruppo di cui è esempio il caso di prova.
    category: gruppo
    sources: [slide-3#citta-sedi]
    en: {title: Test group, summary: The group the test case is an example of.}
    """


def own_theme(project: Path, text: str = OWN_THEME) -> None:
    """`text` (OWN_THEME, or a variant of it) as data/themes/prova.yaml, with the group it links to."""
    write(project, "data/themes/gruppo-di-prova.yaml", OWN_GROUP)
    (project / "data" / "themes" / "prova.yaml").write_text(text, encoding="utf-8")


PROJECT_PARTS = ("data", "docs", "overrides", "hooks", "mkdocs.yml", "mkdocs.en.yml", "README.md", "pyproject.toml", "CITATION.cff")


def make_project(tmp: Path, *, data: bool = True) -> Path:
    """A copy of the real project in `tmp/project`; with data=False, only the schemas of data/."""
    project = tmp / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, project / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, project / part)
    (project / "node_modules").symlink_to(ROOT / "node_modules")  # citeproc-js, as `make setup` installs it
    if not data:
        for child in (project / "data").iterdir():
            if child.name != "schema":
                shutil.rmtree(child)
    return project


def synthetic_project(tmp: Path, files: dict[str, str]) -> Path:
    """A copy of the real project (schemas, translation files, templates) whose data is `files`
    alone (path below data/ -> YAML, dedented): for unit tests that must not depend on the brief's
    content, which an editor may change."""
    project = make_project(tmp, data=False)
    for rel, text in files.items():
        write(project, f"data/{rel}", text)
    return project


# Milano's data file as the tests know it: the tests that edit its lines or expect its positions copy it
# into their project (frozen_project), so that an editor's change to data/cities/milano.yaml, or its
# removal, leaves them alone. It links only to the brief's Magic circles and two statements of slide 3.
FROZEN = Path(__file__).parent / "fixtures" / "frozen"
MILANO = "data/cities/milano.yaml"


def frozen_project(tmp: Path) -> Path:
    """A copy of the real project with data/cities/milano.yaml as tests/fixtures/frozen keeps it."""
    project = make_project(tmp)
    shutil.copy2(FROZEN / "milano.yaml", project / MILANO)
    return project


# An action of the tests' own that involves the frozen Milano: something links to Milano whatever the
# brief's data does
TOWARDS_MILANO = """
    id: verso-milano
    title: Verso Milano
    summary: Un'azione della prova, che coinvolge Milano.
    named_as: "alcune delle maggiori città italiane"
    sources: [slide-3#citta-sedi]
    relations:
      coinvolge: [city:milano]
    en: {title: Towards Milan, summary: "An action of the test, which involves Milan.", named_as: "some of the major Italian cities"}
    """


# A slide of the tests' own (tests/fixtures/minimal's, numbered 9), for the tests that edit a slide's
# statements: two statements, `citta` and `chiave`, translated, which no entry of the brief cites
OWN_SLIDE = "data/slides/slide-9.yaml"


def own_slide(project: Path) -> None:
    text = (Path(__file__).parent / "fixtures" / "minimal" / "slides" / "slide-1.yaml").read_text(encoding="utf-8")
    write(project, OWN_SLIDE, text.replace("id: slide-1\n", "id: slide-9\n").replace("number: 1\n", "number: 9\n"))


def first(catalog: Catalog, kind: str | None = None, where: Callable[[Entity], object] = lambda e: True) -> Entity:
    """The first entity (of `kind`, when given) that `where` accepts, in the catalog's order: for the tests of
    behaviour that need an entity of the real data but not a particular one, which an editor may rename."""
    found = next((e for e in catalog.entities.values() if (kind is None or e.kind == kind) and where(e)), None)
    assert found is not None, f"the data has no {kind or 'entity'} the test can use"
    return found


def entry_page(kind: str) -> str:
    """The address of the first entry of `kind` in data/ by file name ("/cities/bologna/"), read
    without running the core: for the lists of pages the browser tests visit, made at import."""
    folder = KIND_BY_NAME[kind].folder
    stems = sorted(p.stem for p in (ROOT / "data" / folder).glob("*.yaml"))
    assert stems, f"data/{folder}/ has no entry the tests can visit"
    return f"/{folder}/{stems[0]}/"


def page_of(entity: Entity) -> str:
    """The entity's page below its edition's root, without its final slash: "cities/milano"."""
    return address(entity.kind, entity.id).rstrip("/")


def shared(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder that `make(folder)` fills once per test run, however many pytest-xdist workers ask
    for it (they share the run's temporary folder; a lock makes the others wait for the first).
    For the session's and modules' expensive builds, which every worker would otherwise repeat.
    If `make` fails, the next worker to ask makes it again (and fails the same way)."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder = base / f"shared-{name}"
    with (base / f"shared-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (base / f"shared-{name}.made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (base / f"shared-{name}.made").touch()
    return folder


def built_once(factory: pytest.TempPathFactory, name: str,
               builder: Callable[[Path], subprocess.CompletedProcess[str]]) -> Path:
    """The site of a copy of the real project built by `builder` (which must succeed), once for all
    workers (`shared`)."""

    def build(folder: Path) -> None:
        result = builder(make_project(folder))
        assert result.returncode == 0, result.stderr

    return shared(factory, name, build) / "project" / "site"


def write(project: Path, rel: str, text: str) -> Path:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def edit(project: Path, rel: str, old: str, new: str) -> None:
    """Replace `old` (which must be present exactly once) by `new` in a project file."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# Where the tests' builds say the site is published, as the publishing workflow would set it (a GitHub
# Pages project site: the address has a path); tests/conftest.py sets it for the in-process runs too
SITE_URL = "https://redazione-circoli-magici.github.io/atlante/"
REPO_URL = "https://github.com/redazione-circoli-magici/atlante"
PUBLISHED = {"ATLANTE_SITE_URL": SITE_URL, "ATLANTE_REPO_URL": REPO_URL, "ATLANTE_CONTACT_EMAIL": "redazione-circoli-magici@users.noreply.github.com"}
# The tests' copies of the project are outside git: they build without its history, knowingly (a
# published build refuses to: test_history_is_required). Dated by SOURCE_DATE_EPOCH (env()).
WITHOUT_HISTORY = {"ATLANTE_HISTORY": "none"}


# The figures' PNGs and the whole brief's PDF, kept between builds by what made them (atlante/cache.py):
# every build of the suite, in whatever temporary project, shares the checkout's, so each is made once
KEPT = ROOT / ".cache" / "atlante"


def shown(page: render.Page) -> str:
    """What a generated page (render.Page) says: the front matter and title the engine is handed and,
    for a page written as HTML (htmlpage.py), its HTML; else its Markdown."""
    return page.markdown if page.html is None else f"{page.markdown}\n{page.html}\n"


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.update(NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", SOURCE_DATE_EPOCH="1764000000", **PUBLISHED,
             **WITHOUT_HISTORY, ATLANTE_CACHE=str(KEPT))
    return e


def preview_env() -> dict[str, str]:
    """env() as a contributor's machine has it for `make serve`: no published address (the preview
    serves at its own)."""
    return {k: v for k, v in env().items() if k != "ATLANTE_SITE_URL"}


def mkdocs_build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` run as a reader would run it, in the project folder."""
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", *extra], cwd=project, env=env(),
        capture_output=True, text=True, timeout=300,
    )


# ProperDocs, the maintained fork of MkDocs 1.6, in an environment of its own (make test sets it up)
PROPERDOCS = ROOT / ".venv-properdocs" / "bin" / "properdocs"


def properdocs_build(project: Path) -> subprocess.CompletedProcess[str]:
    """`properdocs build --strict` as a reader would run it: the config named, since ProperDocs
    looks for properdocs.yml first and reads mkdocs.yml only as a legacy fallback."""
    assert PROPERDOCS.exists(), "ProperDocs is missing: `make test` sets up .venv-properdocs (make .venv-properdocs/.installed)"
    build_env = {k: v for k, v in env().items() if k != "PYTHONPATH"}  # only what its environment holds
    return subprocess.run([str(PROPERDOCS), "build", "--strict", "-f", "mkdocs.yml"], cwd=project, env=build_env,
                          capture_output=True, text=True, timeout=300)


def atlante(project: Path, *args: str, locale: str = "en_GB.UTF-8") -> subprocess.CompletedProcess[str]:
    """`atlante <args> --project <project>`, run in-process by the command's own `main` (what the
    installed script calls; test_tooling runs the script itself): its exit code, stdout and stderr.
    Under `locale` (LC_ALL), which gives the command's words where --lang does not."""
    from atlante import cli

    argv = [*args, "--project", str(project)]
    out, err = io.StringIO(), io.StringIO()
    # in the environment the script would get (env(): the pinned build date among others)
    with unittest.mock.patch.dict(os.environ, {**env(), "LC_ALL": locale}), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exit_:  # argparse: usage errors and --help
            code = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(["atlante", *argv], code, out.getvalue(), err.getvalue())


@functools.cache
def parsed(path: Path) -> BeautifulSoup:
    """The HTML file at `path`, parsed once per session: for the built site's pages, which many
    tests read and none changes, by lxml (html.parser takes 40 % longer). Never modify what it
    returns (copy it first)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


# Browser: Debian's chromium, driven by Playwright, against a site served on loopback

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOTS = Path(__file__).parent / "_artifacts"
SCREENSHOTS.mkdir(exist_ok=True)
# The pictures the browser tests take for a human eye (whole long pages: seconds each), with
# ATLANTE_SCREENSHOTS=1 only; a failing search is pictured always
TAKE_SCREENSHOTS = bool(os.environ.get("ATLANTE_SCREENSHOTS"))


def snapshot(page: Page, name: str, full_page: bool = False) -> None:
    """`page` pictured in tests/_artifacts/`name`.png, when ATLANTE_SCREENSHOTS is set."""
    if TAKE_SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(site: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _Quiet) -> Iterator[str]:
    """`site` served by `handler` on a free loopback port for the duration of the block."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def foreign_requests(page: Page, url: str) -> list[str]:
    """The list, kept up to date, of every request `page` makes to a host other than `url`'s
    (data: addresses aside)."""
    foreign: list[str] = []
    origin = url.split("/", 3)[:3]
    page.on("request", lambda r: foreign.append(r.url) if r.url.split("/", 3)[:3] != origin and not r.url.startswith("data:") else None)
    return foreign


@contextlib.contextmanager
def one_tab(browser: Browser, **context: object) -> Iterator[Page]:
    """One tab for a series of pages (visit), as a reader goes from page to page: a page opened in a
    fresh context costs about 40 % more CPU (a context, a renderer process, every script compiled
    again)."""
    page = browser.new_context(**context).new_page()  # type: ignore[arg-type]
    try:
        yield page
    finally:
        page.context.close()


def visit(tab: Page, url: str, wait_until: str = "load") -> Page:
    """`tab` loaded at `url`, as on a first visit: the site's storage (the palette a reader chose)
    is cleared first. `wait_until` as for open_page."""
    if tab.url.startswith("http"):
        tab.evaluate("localStorage.clear(); sessionStorage.clear()")
    same_document = tab.url.split("#")[0] == url.split("#")[0]
    tab.goto(url, wait_until=wait_until)  # type: ignore[arg-type]
    if same_document:  # the address changed its anchor only: load the page again all the same
        tab.reload(wait_until=wait_until)  # type: ignore[arg-type]
    return tab


def search_for(page: Page, words: str) -> Locator:
    """The results (their links) of the search box of `page` for `words`, typed as a reader types
    them, the box emptied first and its last results gone. The search's worker indexes the site
    when the search first opens and answers after that: type again until it answers (12 s at most);
    a search that finds nothing is pictured in tests/_artifacts."""
    box, results = page.locator("input.md-search__input"), page.locator(".md-search-result__item > a")
    box.click()  # opens the search (a wide screen's box)
    for _ in range(30):
        box.fill("")
        page.wait_for_function("!document.querySelector('.md-search-result__item')")
        box.press_sequentially(words)
        page.wait_for_timeout(400)  # the answers to the first letters are followed by the whole word's
        if results.count():
            break
    else:
        page.screenshot(path=str(SCREENSHOTS / f"search-failed-{words}.png"))
    return results


def open_page(browser: Browser, url: str, before: Callable[[Page], object] | None = None,
              wait_until: str = "load", **context: object) -> tuple[Page, list[str]]:
    """A page at `url`, with the list of every request it makes to a host other than ours;
    `before(page)` runs before it loads (to listen to its events from the start). The page is
    returned once loaded (its images and styles in); `wait_until="networkidle"` waits for half a
    second of silence as well (a second more per page), for the tests that assert the list."""
    page = browser.new_context(**context).new_page()  # type: ignore[arg-type]
    foreign = foreign_requests(page, url)
    if before is not None:
        before(page)
    page.goto(url, wait_until=wait_until)  # type: ignore[arg-type]
    return page, foreign




@functools.cache
def _latex_reader():  # type: ignore[no-untyped-def]
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text()


def latex_text(value: str) -> str:
    """A BibTeX field's LaTeX as the text it prints, read as a reference manager reads it: by
    pylatexenc's latex2text, with nothing of ours added (cite._latex writes what it reads back)."""
    return _latex_reader().latex_to_text(value)


def for_tests(project: Path | None = None, **changes: object) -> meta.Publication:
    """A publication as the project's own mkdocs.yml would give (shortened), for tests of the core."""
    values: dict = {
        "site_name": "Circoli magici del made in Italy", "site_url": "https://redazione-circoli-magici.github.io/atlante/",
        "publisher": "Redazione del sito", "publisher_names": (("en", "Editorial team of the site"),), "publisher_url": None,
        "licence": meta.Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
        "edition": meta.edition(project) if project else "0.2.0", "date": date(2026, 11, 25), "source_lang": "it",
        "contact_email": "redazione-circoli-magici@users.noreply.github.com",
    }
    values.update(changes)
    return meta.Publication(**values)


# A kind the real brief does not have, added to a copy of the project the way a developer and an
# editor would: its declaration (atlante/kinds.py, with a relation type of its own), its schema, its
# words in every translation file and two entries linking to the brief's entities. Nothing else: no
# test, template or other module. tests/test_new_kind.py runs the core and the generic tests on it.
NEW_KIND, NEW_FOLDER, NEW_RELATION = "district", "districts", "attorno_a"
NEW_ENTRIES = ("distretto-del-mobile", "distretto-della-ceramica")
NEW_KIND_WORDS = {
    "it": ("Distretto", "Distretti industriali", "I distretti industriali che il brief chiede di far fiorire attorno alle città maggiori.",
           "Si sviluppa attorno a", "Ha attorno i distretti"),
    "en": ("District", "Industrial districts", "The industrial districts the brief asks to flourish around the major cities.",
           "Grows around", "Has around it the districts"),
}


@dataclass(frozen=True)
class NewKindLinks:
    """What the new kind's entries link to, taken from the data whatever it holds: the first two cities
    and the first concept by file name, and the first statement of the first slide (its first words
    are their `named_as`)."""
    cities: tuple[str, str]
    concept: str
    source: str  # "slide-2#titolo"
    named_as: dict[str, str]  # language -> the first words of the statement, in that language


def _links_for_new_kind(project: Path) -> NewKindLinks:
    stems = lambda folder: sorted(p.stem for p in (project / "data" / folder).glob("*.yaml"))  # noqa: E731
    cities, concepts = stems(KIND_BY_NAME["city"].folder), stems(KIND_BY_NAME["concept"].folder)
    slide_file = sorted((project / "data" / KIND_BY_NAME["slide"].folder).glob("*.yaml"))[0]
    slide = yaml.safe_load(slide_file.read_text(encoding="utf-8"))
    statement = slide["statements"][0]
    texts = {"it": statement["text"], "en": slide["en"]["statements"][statement["id"]]["text"]}
    first_words = {lang: re.match(r"\s*(\S+(?:\s+\S+){0,2})", text)[1] for lang, text in texts.items()}  # type: ignore[index]
    return NewKindLinks((cities[0], cities[1]), concepts[0], f"{slide['id']}#{statement['id']}", first_words)


def _append_to(text: str, table: str, line: str) -> str:
    """kinds.py's `text` with `line` added as the last item of the tuple `table` (its closing
    parenthesis alone on a line): a new kind or relation type comes last, whatever the others are."""
    start = text.index(f"\n{table}: ")
    end = text.index("\n)\n", start)
    return text[:end] + "\n" + line + text[end:]


def _add_type(entities: Path) -> None:
    """The new kind's types in entities.py, as its schema has them (tests/test_types.py compares them):
    its data beside the others' (before the union of them, which it joins), its entry in DATA, last."""
    text = entities.read_text(encoding="utf-8")
    union = text.index("\nEntityData = (")
    text = (text[:union] + f"\nclass {NEW_KIND.title()}Relations(TypedDict, total=False):\n    {NEW_RELATION}: list[str]\n"
            f"    richiama: list[str]\n\n\nclass {NEW_KIND.title()}Data(Entry):\n    named_as: str\n"
            f"    relations: NotRequired[{NEW_KIND.title()}Relations]\n\n" + text[union:])
    end = text.index(")\n", text.index("\nEntityData = ("))
    text = text[:end] + f" | {NEW_KIND.title()}Data" + text[end:]
    end = text.index("\n}\n", text.index("\nDATA: "))
    text = text[:end] + f'\n    "{NEW_KIND}": ({NEW_KIND.title()}Data, Texts),' + text[end:]
    entities.write_text(text, encoding="utf-8")


def add_kind(project: Path) -> NewKindLinks:
    """A tenth kind, `district`, in the copy of the project at `project` (see NEW_KIND above), with its
    types (entities.py); its generated parts (schema relations and language blocks, README table) are
    written by `atlante generate`'s code, which runs in a process that imports the copy's hooks/.
    Returns what its entries link to."""
    kinds = project / "hooks" / "atlante" / "kinds.py"
    text = kinds.read_text(encoding="utf-8")
    text = _append_to(text, "KINDS", f'    Kind("{NEW_KIND}", "{NEW_FOLDER}", Display(facts=(WORDING,), home=(("circles", None, None),)),\n'
                                     f'         schema_type="Place"),')
    text = _append_to(text, "RELATION_TYPES",
                      f'    RelationType("{NEW_RELATION}", ("{NEW_KIND}",), ("city",), "The cities this district grows around."),')
    kinds.write_text(text, encoding="utf-8")
    _add_type(project / "hooks" / "atlante" / "entities.py")
    links = _links_for_new_kind(project)

    schema = json.loads((project / "data" / "schema" / "action.schema.json").read_text(encoding="utf-8"))
    schema["$id"] = f"{NEW_KIND}.schema.json"
    schema["properties"].pop("relations", None)  # `atlante generate` writes the kind's own
    (project / "data" / "schema" / f"{NEW_KIND}.schema.json").write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n",
                                                                        encoding="utf-8")
    for lang, (label, plural, intro, forward, inverse) in NEW_KIND_WORDS.items():
        path = project / "overrides" / "atlante" / "i18n" / f"{lang}.yaml"
        text = path.read_text(encoding="utf-8")
        for anchor, added in (("\nkinds:\n", f"  {NEW_KIND}:\n    label: {label}\n    plural: {plural}\n    intro: \"{intro}\"\n"),
                              ("\nrelations:\n", f"  {NEW_RELATION}: {{forward: {forward}, inverse: {inverse}}}\n")):
            assert text.count(anchor) == 1, (lang, anchor)
            text = text.replace(anchor, anchor + added)
        path.write_text(text, encoding="utf-8")
    settings = project / ".vscode" / "settings.json"
    if settings.is_file():  # the editor's schema for the kind's files (tests/test_tooling.py)
        config = json.loads(settings.read_text(encoding="utf-8"))
        config["yaml.schemas"][f"data/schema/{NEW_KIND}.schema.json"] = f"data/{NEW_FOLDER}/*.yaml"
        settings.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for id_, title, en_title, city, made in (
            (NEW_ENTRIES[0], "Distretto del mobile", "Furniture district", links.cities[0], ("Tavoli e sedie", "Tables and chairs")),
            (NEW_ENTRIES[1], "Distretto della ceramica", "Ceramics district", links.cities[1], ("Piastrelle", "Tiles"))):
        write(project, f"data/{NEW_FOLDER}/{id_}.yaml", f"""
            # yaml-language-server: $schema=../schema/{NEW_KIND}.schema.json
            id: {id_}
            title: "{title}"
            summary: {made[0]} attorno a {city}.
            named_as: {json.dumps(links.named_as["it"], ensure_ascii=False)}
            sources: [{links.source}]
            relations:
              {NEW_RELATION}: [city:{city}]
              richiama: [concept:{links.concept}]
            en:
              title: "{en_title}"
              summary: {made[1]} around {city}.
              named_as: {json.dumps(links.named_as["en"], ensure_ascii=False)}
            """)
    run = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from atlante import schemas\n"
                          "for path, text in schemas.generate(Path(sys.argv[1])).items(): path.write_text(text, encoding='utf-8')",
                          str(project)], env={**env(), "PYTHONPATH": str(project / "hooks")}, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return links
