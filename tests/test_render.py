"""Step 4: rendering. Golden files for a few pages of a small fixed data set; escaping; the nav.

Regenerate the golden files after an intended change with ATLANTE_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from atlante import pipeline
from atlante.render import NAV_LIMIT, md_text, navigation

from helpers import ROOT, make_project

GOLDEN = Path(__file__).parent / "golden"
FIXTURE = Path(__file__).parent / "fixtures" / "minimal"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    project = make_project(tmp_path_factory.mktemp("render"), data=False)
    for folder in FIXTURE.iterdir():
        shutil.copytree(folder, project / "data" / folder.name)
    result = pipeline.run(project, title="Prova")
    assert [str(f) for f in result.findings] == []
    return {page.src_uri: page.markdown for page in result.pages}


@pytest.mark.parametrize("src_uri", ["index.md", "cities/index.md", "cities/beta.md", "circles/circolo.md", "slides/slide-1.md"])
def test_page_matches_golden_file(pages: dict[str, str], src_uri: str) -> None:
    golden = GOLDEN / src_uri.replace("/", "__")
    if os.environ.get("ATLANTE_UPDATE_GOLDEN"):
        golden.write_text(pages[src_uri], encoding="utf-8")
    assert pages[src_uri] == golden.read_text(encoding="utf-8")


def test_every_entity_and_kind_has_a_page(pages: dict[str, str]) -> None:
    assert sorted(pages) == sorted([
        "index.md", "challenges/index.md", "moves/index.md", "platforms/index.md", "circles/index.md",
        "cities/index.md", "themes/index.md", "actions/index.md", "concepts/index.md", "slides/index.md",
        "slides/slide-1.md", "circles/circolo.md", "cities/alfa.md", "cities/beta.md", "concepts/concetto.md",
    ])


@pytest.mark.parametrize(("text", "expected"), [
    ("Milano", "Milano"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;\\/script&gt;"),
    ("# titolo\n- voce", "\\# titolo \\- voce"),
    ("[x](javascript:alert(1))", "\\[x\\]\\(javascript\\:alert\\(1\\)\\)"),
    ("R&S *forte* `code` {: .x }", "R&amp;S \\*forte\\* \\`code\\` \\{\\: \\.x \\}"),
    ("città d’arte – «sì»", "città d’arte – «sì»"),
])
def test_plain_text_can_never_become_markup(text: str, expected: str) -> None:
    assert str(md_text(text)) == expected


def test_navigation_stays_small_for_large_kinds() -> None:
    catalog = pipeline.run(ROOT).catalog
    assert catalog is not None
    catalog.by_kind["theme"] = catalog.by_kind["theme"] * (NAV_LIMIT // len(catalog.by_kind["theme"]) + 1)
    nav = navigation(catalog, extra=[{"Informazioni": "informazioni.md"}])
    sections = {title: children for item in nav for title, children in item.items()}
    assert sections["Temi applicativi"] == ["themes/index.md"]
    assert sections["Città dei circoli magici"] == ["cities/index.md"] + [f"cities/{c}.md" for c in ("milano", "torino", "verona", "bologna", "firenze", "roma")]
    assert nav[0] == {"Home": "index.md"} and nav[-1] == {"Informazioni": "informazioni.md"}
