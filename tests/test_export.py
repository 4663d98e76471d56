"""`atlante export`: every page of both editions as Markdown with a plain configuration, built
without our hooks by MkDocs and by Zensical (in .venv-zensical); the same pages as the hooked
build, with the same titles, text, links and figures. Each engine builds the export once.

Known differences, which README.md ("Export and engines") explains: what only the hooks add to a
page (metadata in <head>, page-to-page language switch and hreflang, translation notice, edit link
to data/, print address) is not compared; Zensical titles the home page "Home - <site>". An entity
page's tags, which the hooks hand to the theme, are a paragraph of links below its title."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from atlante.model import Catalog

from helpers import (
    BIN,
    MILANO,
    ROOT,
    SITE_URL,
    atlante,
    edit,
    env,
    first,
    frozen_project,
    make_project,
    page_of,
    shared,
)

ZENSICAL = ROOT / ".venv-zensical" / "bin" / "zensical"
ENGINES = ("mkdocs", "zensical")
HOOK_ONLY = (".md-content__button", ".atlante-translation", ".atlante-print-url")  # not in an export
# A city page (locator map, graph, citation panel: the first city with a relation, {city}), a kind index
# (map), the concept map, in both editions
PAGES = ("{city}/", "en/{city}/", "cities/", "en/cities/", "concept-map/", "en/concept-map/")
# The tag index and a tag's page, in both editions: no figures
TAG_PAGES = ("tag/", "en/tag/", "tag/citta/", "en/tag/citta/")


def a_city(catalog: Catalog) -> str:
    """The page of the first city of the data with a relation (so it has a graph): "cities/milano"."""
    return page_of(first(catalog, "city", lambda e: e.links))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("exported"))


@pytest.fixture(scope="module")
def exported(project: Path) -> Path:
    target = project.parent / "export"
    result = atlante(project, "export", str(target))
    assert result.returncode == 0, result.stdout + result.stderr
    return target


def build(exported: Path, engine: str, folder: Path) -> Path:
    """The export built by `engine` in a copy of its own: the source edition first, then English."""
    shutil.copytree(exported, folder)
    command = [str(BIN / "mkdocs"), "build", "--strict"] if engine == "mkdocs" else [str(ZENSICAL), "build", "--strict"]
    for config in ("mkdocs.yml", "mkdocs.en.yml"):
        result = subprocess.run([*command, "-f", config], cwd=folder, env=env(), capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
    return folder / "site"


@pytest.fixture(scope="module")
def sites(exported: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    assert ZENSICAL.exists(), "make test installs Zensical into .venv-zensical"

    def make(folder: Path) -> None:  # once for all workers (the export is the same bytes in each)
        for engine in ENGINES:
            build(exported, engine, folder / engine / "export")

    built = shared(tmp_path_factory, "export-sites", make)
    return {engine: built / engine / "export" / "site" for engine in ENGINES}


def pages(site: Path) -> set[str]:
    return {p.parent.relative_to(site).as_posix().removeprefix(".") + "/" for p in site.rglob("index.html")}


def article(site: Path, url: str) -> BeautifulSoup:
    soup = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    for element in soup.select(", ".join(HOOK_ONLY)):
        element.decompose()
    return soup


# The site's path on its host (a GitHub Pages project site: /atlante/): the export writes its figures'
# links as paths from the host, so they start with it; the tests read both sites from their root
MOUNT = urlsplit(SITE_URL).path.rstrip("/")


def _unmounted(target: str) -> str:
    return "http://site/" + target.removeprefix(f"http://site{MOUNT}/") if target.startswith(f"http://site{MOUNT}/") else target


def targets(site: Path, url: str, soup: BeautifulSoup) -> set[str]:
    """Every link of the page's text that stays on the site, as a path and fragment from its root."""
    found = set()
    for a in soup.find("article").find_all("a", href=True):
        target = _unmounted(urljoin(f"http://site/{url}", a["href"]))
        if target.startswith("http://site/"):
            found.add(target.removeprefix("http://site"))
    return found


def words(soup: BeautifulSoup) -> list[str]:
    """The words of the page's text; the tags aside (the theme puts them above the title, the export below)."""
    text = BeautifulSoup(str(soup.find("article")), "html.parser")
    for tags in text.select(".md-tags"):
        tags.decompose()
    return text.get_text(" ", strip=True).split()


def drawn(soup: BeautifulSoup, url: str) -> list[str]:
    """The page's figures (SVG), their links as the addresses they lead to."""
    svgs = soup.select("article figure svg")
    for a in (a for svg in svgs for a in svg.find_all(href=True)):
        a["href"] = _unmounted(urljoin(f"http://site/{url}", a["href"]))
    return [str(svg) for svg in svgs]


def resolves(site: Path, target: str) -> bool:
    """The page or file a link points to exists, and so does the element its fragment names."""
    parts = urlsplit(target)
    path = site / unquote(parts.path).lstrip("/")
    path = path / "index.html" if path.is_dir() else path
    if not path.is_file():
        return False
    if not parts.fragment:
        return True
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find(id=unquote(parts.fragment)) is not None


# ---------------------------------------------------------------------------------------------
# What the export holds
# ---------------------------------------------------------------------------------------------


def test_the_export_is_markdown_and_plain_configurations_with_no_hook(exported: Path, catalog: Catalog) -> None:
    for name, lang in (("mkdocs.yml", "it"), ("mkdocs.en.yml", "en")):
        config = yaml.safe_load((exported / name).read_text(encoding="utf-8"))
        assert "hooks" not in config and "custom_dir" not in config["theme"] and "INHERIT" not in config
        assert {next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]} <= {"search", "redirects"}
        assert config["docs_dir"] == f"docs/{lang}" and config["theme"]["language"] == lang
    assert not list(exported.rglob("*.html"))  # pages are Markdown: templates stay in the project
    city = (exported / "docs" / "en" / f"{a_city(catalog)}.md").read_text(encoding="utf-8")
    assert city.count("<svg") == 3 and "atlante-figure-" not in city  # figures in place of their placeholders: the locator, the graph (wide and narrow)


def test_exporting_again_over_the_earlier_export_writes_the_same_bytes(project: Path, exported: Path) -> None:
    before = {p.relative_to(exported): p.read_bytes() for p in exported.rglob("*") if p.is_file()}
    result = atlante(project, "export", str(exported))
    assert result.returncode == 0, result.stdout + result.stderr
    assert {p.relative_to(exported): p.read_bytes() for p in exported.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in project.parent.iterdir()) == ["export", "project"]  # nothing left beside


# ---------------------------------------------------------------------------------------------
# Built without hooks: the same site
# ---------------------------------------------------------------------------------------------


def test_both_engines_build_the_pages_of_the_hooked_site(sites: dict[str, Path], built_site: Path, catalog: Catalog) -> None:
    """Every page, in both editions; the real data has no alias, so no redirect stub either way."""
    expected = pages(built_site)
    assert len(expected) > 2 * len(catalog.entities) and f"en/{a_city(catalog)}/" in expected
    for engine, site in sites.items():
        assert pages(site) == expected, engine


def test_both_engines_publish_the_open_data_and_the_citation_files(sites: dict[str, Path], built_site: Path,
                                                                   catalog: Catalog) -> None:
    downloads = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*")
                 if p.suffix in (".csv", ".json", ".jsonld", ".rdf", ".bib", ".ris")
                 and "search" not in p.parts and p.name != "tags.json"}  # the engines' own files
    assert "dati/cities.csv" in downloads and f"en/{a_city(catalog)}.bib" in downloads
    for engine, site in sites.items():
        for path in downloads:
            assert (site / path).read_bytes() == (built_site / path).read_bytes(), (engine, path)


@pytest.mark.parametrize("url", PAGES + TAG_PAGES)
@pytest.mark.parametrize("engine", ENGINES)
def test_a_page_has_the_title_text_links_and_figures_of_the_hooked_page(engine: str, url: str, sites: dict[str, Path],
                                                                         built_site: Path, catalog: Catalog) -> None:
    """The tag pages have no figure; their links to a tag's entry on the index keep its anchor
    (Material's id, tag:città), which must exist."""
    site, url = sites[engine], url.format(city=a_city(catalog))
    hooked, plain = article(built_site, url), article(site, url)
    assert plain.title.string == hooked.title.string
    assert plain.find("article").h1.get_text(strip=True) == hooked.find("article").h1.get_text(strip=True)
    assert words(plain) == words(hooked)
    assert [t.get_text() for t in plain.select("article .md-tag")] == [t.get_text() for t in hooked.select("article .md-tag")]
    links = targets(site, url, plain)
    assert links == targets(built_site, url, hooked)
    assert len(links) > 5 and all(resolves(site, link) for link in links)
    if url not in TAG_PAGES:
        figures = drawn(plain, url)
        assert figures and figures == drawn(hooked, url)


# ---------------------------------------------------------------------------------------------
# Refusals: nothing is written
# ---------------------------------------------------------------------------------------------


def test_an_edition_listed_without_its_config_is_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "mkdocs.en.yml").unlink()
    result = atlante(project, "export", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "mkdocs.yml: extra.alternate lists 'en', expected its config mkdocs.en.yml beside it, found none" in result.stderr
    assert not (tmp_path / "out").exists()


def test_invalid_data_is_refused_with_the_findings_of_atlante_check(tmp_path: Path) -> None:
    project = frozen_project(tmp_path)
    edit(project, MILANO, "    - circle:circoli-magici-del-made-in-italy", "    - circle:circoli-magici")
    check = atlante(project, "check")
    assert check.returncode == 1 and "data/cities/milano.yaml:" in check.stdout
    result = atlante(project, "export", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout == check.stdout
    assert "nothing was exported" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_a_folder_that_is_not_an_earlier_export_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "notes"
    target.mkdir()
    (target / "mine.txt").write_text("keep me", encoding="utf-8")
    result = atlante(ROOT, "export", str(target))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{target}: expected an empty folder or an earlier export" in result.stderr
    assert [p.name for p in target.iterdir()] == ["mine.txt"] and sorted(p.name for p in tmp_path.iterdir()) == ["notes"]


def test_raw_html_that_only_the_hooks_would_clean_is_refused(tmp_path: Path) -> None:
    """The hooked build sanitises a Markdown field's HTML; a plain engine would publish it as it is."""
    project = frozen_project(tmp_path)
    edit(project, MILANO, "\nsources:\n",
         '\nbody: |\n  Una <span onclick="alert(1)">città</span>.\nsources:\n')
    edit(project, MILANO, "\nen:\n", "\nen:\n  body: |\n    A <span>city</span>.\n")
    assert atlante(project, "check").returncode == 0
    result = atlante(project, "export", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ('data/cities/milano.yaml: city:milano: body: expected HTML that the site\'s sanitiser keeps, '
            'found <span onclick="alert(1)">') in result.stderr
    assert "en.body" not in result.stderr  # a <span> alone is kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]
