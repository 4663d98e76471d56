"""The same site from both engines: MkDocs 1.6.1 and ProperDocs, its maintained fork.

Each builds the real project with --strict, both editions (mkdocs.yml builds the English one in its
on_post_build): MkDocs from the project's .venv (the session's `built_site`), ProperDocs from
.venv-properdocs, made by `make test` from tests/requirements-properdocs.txt, which has no MkDocs in
it. Every file must come out byte for byte the same, except the one line where each engine signs
its pages, <meta name="generator">: nothing else differs (no build time: both are dated by
SOURCE_DATE_EPOCH, which the tests set; the search index and the sitemap come out in the same order).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from helpers import (
    ORPHAN_CONCEPT,
    PROPERDOCS,
    ROOT,
    built_once,
    edit,
    entry_page,
    make_project,
    properdocs_build,
    write,
)

PROPERDOCS_VENV = PROPERDOCS.parent.parent
PINNED = re.search(r"^properdocs==(\S+)$", (ROOT / "tests/requirements-properdocs.txt").read_text(encoding="utf-8"), re.M)
GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built once with `properdocs build --strict` (once for all workers)."""
    return built_once(tmp_path_factory, "properdocs", properdocs_build)


def files_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def unsigned(data: bytes) -> bytes:
    """The file without its engine's signature: the generator tag's content, which names the engine."""
    return GENERATOR.sub(b'<meta name="generator" content="">', data)


def test_the_properdocs_environment_has_the_pinned_properdocs_and_no_mkdocs() -> None:
    assert PINNED is not None, "tests/requirements-properdocs.txt: expected a line properdocs==<version>, found none"
    site_packages = list(PROPERDOCS_VENV.glob("lib/python*/site-packages"))
    assert len(site_packages) == 1, f"{PROPERDOCS_VENV}: expected one site-packages, found {site_packages}"
    assert (site_packages[0] / f"properdocs-{PINNED[1]}.dist-info").is_dir()
    assert list(site_packages[0].glob("mkdocs-[0-9]*.dist-info")) == []  # a ProperDocs build cannot fall back on MkDocs


def pins(path: Path) -> dict[str, str]:
    """name -> version of a pip requirements file's `name==version` lines, names as pip compares them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {re.sub(r"[-_.]+", "-", m[1]).lower(): m[2] for line in lines if (m := re.fullmatch(r"([\w.-]+)==(\S+)", line))}


def test_the_properdocs_environment_pins_the_versions_the_project_pins() -> None:
    """Both engines build with the same Material, extensions and libraries: the one fact is constraints.txt."""
    project, properdocs = pins(ROOT / "constraints.txt"), pins(ROOT / "tests/requirements-properdocs.txt")
    assert {name: (version, project.get(name)) for name, version in properdocs.items() if project.get(name) != version} == {}
    assert "mkdocs" not in properdocs and {"properdocs", "mkdocs-material", "mkdocs-redirects"} <= set(properdocs)


def test_both_engines_build_the_same_files(built_site: Path, properdocs_site: Path) -> None:
    mkdocs, properdocs = files_of(built_site), files_of(properdocs_site)
    assert sorted(set(mkdocs) - set(properdocs)) == [], "only in the MkDocs build"
    assert sorted(set(properdocs) - set(mkdocs)) == [], "only in the ProperDocs build"
    city = entry_page("city").lstrip("/")
    assert {"index.html", "en/index.html", f"{city}index.html", f"en/{city}index.html",
            "search/search_index.json", "en/search/search_index.json", "sitemap.xml"} <= set(mkdocs)


def test_both_engines_write_the_same_bytes_but_for_their_signature(built_site: Path, properdocs_site: Path) -> None:
    different = [rel for rel in files_of(built_site)
                 if unsigned((built_site / rel).read_bytes()) != unsigned((properdocs_site / rel).read_bytes())]
    if different:
        rel = different[0]
        lines = [unsigned((site / rel).read_bytes()).decode("utf-8", "replace").splitlines()
                 for site in (built_site, properdocs_site)]
        diff = "\n".join(list(difflib.unified_diff(*lines, "mkdocs/" + rel, "properdocs/" + rel, lineterm=""))[:40])
        pytest.fail(f"{len(different)} files differ between the engines: {different[:10]}\n{diff}")


def test_each_engine_signs_every_page_with_its_name(built_site: Path, properdocs_site: Path) -> None:
    assert PINNED is not None
    for site, signature in ((built_site, b"mkdocs-1.6.1, mkdocs-material"),
                            (properdocs_site, f"mkdocs-ProperDocs {PINNED[1]}, mkdocs-material".encode())):
        pages = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}
        unsigned_pages = [rel for rel, html in pages.items() if GENERATOR.findall(html) != [signature]]
        assert len(pages) > 100 and "index.html" in pages and f"en{entry_page('city')}index.html" in pages
        # but mkdocs-redirects' pages (an alias's old address), which no engine signs
        assert [rel for rel in unsigned_pages if GENERATOR.search(pages[rel]) or b'http-equiv="refresh"' not in pages[rel]] == []


@pytest.mark.build
def test_a_warning_fails_the_strict_properdocs_build(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    write(project, "data/concepts/innovazione.yaml", ORPHAN_CONCEPT)
    edit(project, "docs/en/about.md", "(for example `/en/cities/milano/`)", "(for example [Milan](cities/milan-en.md))")
    result = properdocs_build(project)
    assert result.returncode == 1
    assert re.search(r"WARNING +- +data/concepts/innovazione.yaml:1:1: warning: concept:innovazione: relations: expected a relation", result.stderr)
    # the English edition's own warning, in the same run, counted with the source edition's
    assert "Doc file 'about.md' contains a link 'cities/milan-en.md', but the target is not found" in result.stderr
    assert "Aborted with 2 warnings in strict mode!" in result.stdout + result.stderr
