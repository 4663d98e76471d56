"""One engine's truth: every styled citation the site shows is what citeproc-js (the engine inside
Zotero and most reference managers; npm `citeproc`, as package-lock.json pins it) prints from the
panel's own CSL-JSON, with the same style and locale (atlante/cite.py: style_xml, locales). The
suite runs citeproc-js itself (tests/citeproc_check.cjs), on every panel of both editions, and in a
reader's browser after the page's script has set the retrieval date to the reader's day.

A panel shows a reference inline: ISO 690's blocks are joined by a space, and runs of spaces and line
breaks are one space, as a browser shows them; every word, mark and italic is compared.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from playwright.sync_api import Browser

from atlante import cite, i18n
from atlante.model import Catalog

from helpers import ROOT, open_page, page_of, parsed

NODE_SCRIPT = ROOT / "tests" / "citeproc_check.cjs"
LANGS = {"": "it", "en/": "en"}


def citeproc(jobs: list[tuple[str, str, list[dict]]]) -> list[list[tuple[str, str]]]:
    """citeproc-js's (in-text, full) for each item of each (style, language, items)."""
    languages = {t.lang: cite.Language.of(t) for t in i18n.load(ROOT)[0].values()}  # the translation files'
    request = [{"style": cite.style_xml(style, languages[lang]), "lang": languages[lang].locale,
                "locales": cite.locales(), "items": items} for style, lang, items in jobs]
    result = subprocess.run(["node", str(NODE_SCRIPT)], input=json.dumps(request), capture_output=True, text=True,
                            cwd=ROOT, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    return [[(text(in_text), text(full)) for in_text, full in job] for job in json.loads(result.stdout)]


def text(html: str) -> tuple[str, tuple[str, ...]]:
    """What a reader sees of a styled citation: its text, inline, and its italic runs."""
    soup = BeautifulSoup(re.sub(r"</?div\b[^>]*>", " ", html), "html.parser")
    return _inline(soup.get_text()), tuple(_inline(i.get_text()) for i in soup.find_all("i"))


def shown(element: Tag) -> tuple[str, tuple[str, ...]]:
    return _inline(element.get_text()), tuple(_inline(i.get_text()) for i in element.find_all("i"))


def _inline(value: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", value).strip()


def panels(page: BeautifulSoup) -> list[tuple[dict, dict[str, tuple[Tag, Tag]]]]:
    """Each citation panel of a page: its CSL-JSON item, and by style its full and in-text elements."""
    found = []
    for details in page.select("details.atlante-cite:not(.atlante-cite__more)"):
        pid = details["id"]
        (item,) = json.loads(details.select_one(f"code#{pid}-json").get_text())
        found.append((item, {key: (details.select_one(f"#{pid}-{key}"), details.select_one(f"#{pid}-{key}-in"))
                             for key, _style, _name in cite.STYLES}))
    return found


def test_every_styled_citation_is_what_citeproc_js_prints_from_the_panels_csl_json(built_site: Path,
                                                                                    catalog: Catalog) -> None:
    statements = sum(len(slide.statements) for slide in catalog.by_kind["slide"])
    for prefix, lang in LANGS.items():
        seen: list[tuple[str, dict, dict[str, tuple[Tag, Tag]]]] = []
        for path in sorted((built_site / prefix).rglob("index.html")):
            if prefix == "" and path.relative_to(built_site).parts[0] == "en":
                continue
            seen += [(path.relative_to(built_site).as_posix(), item, elements) for item, elements in panels(parsed(path))]
        assert len(seen) == len(catalog.entities) + statements  # every entity's page, every statement
        assert len({item["id"] for _path, item, _elements in seen}) == len(seen)
        rendered = citeproc([(style, lang, [item for _path, item, _elements in seen]) for _key, style, _name in cite.STYLES])
        different = []
        for (key, _style, _name), results in zip(cite.STYLES, rendered, strict=True):
            for (path, _item, elements), (in_text, full) in zip(seen, results, strict=True):
                element_full, element_in = elements[key]
                if (shown(element_full), shown(element_in)) != (full, in_text):
                    different.append((path, key, shown(element_full)[0], full[0]))
        assert different == [], f"{len(different)} of {len(seen) * 3} differ, e.g. {different[:3]}"


def test_the_panels_use_the_vendored_styles_and_locales_unchanged_but_for_our_two_adaptations() -> None:
    """csl/README.md names each file's origin and digest; style_xml changes nothing else."""
    readme = (cite.CSL_FOLDER / "README.md").read_text(encoding="utf-8")
    for path in sorted(cite.CSL_FOLDER.glob("*.[cx][sm]l")):
        assert hashlib.sha256(path.read_bytes()).hexdigest() in readme, path.name
    languages = {t.lang: cite.Language.of(t) for t in i18n.load(ROOT)[0].values()}
    for _key, style, _name in cite.STYLES:  # English: month first, the style's own ISO 690 words
        assert cite.style_xml(style, languages["en"]) == (cite.CSL_FOLDER / f"{style}.csl").read_text(encoding="utf-8")
    italian = cite.style_xml("apa", languages["it"])
    assert '<date-part name="day" suffix=" "' in italian and italian != cite.style_xml("apa", languages["en"])
    assert "<term name=\"no date\">[s.d.]</term>" in cite.style_xml("iso690-author-date-en", languages["it"])
    assert set(cite.locales()) == {language.locale for language in languages.values()}  # each vendored, each used
    pinned = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]["node_modules/citeproc"]
    installed = json.loads((ROOT / "node_modules" / "citeproc" / "package.json").read_text(encoding="utf-8"))
    assert installed["version"] == pinned["version"] == json.loads((ROOT / "package.json").read_text())["dependencies"]["citeproc"]


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_in_the_readers_browser_the_retrieval_date_is_today_and_still_citeproc_js_text(browser: Browser, site_url: str,
                                                                                       catalog: Catalog, prefix: str) -> None:
    """The page's script sets every retrieval date to the reader's day, in the form each style wrote
    it: what the reader copies is still what citeproc-js prints from the CSL-JSON shown beside it."""
    today = datetime.datetime(2031, 3, 9, 10, 0, 0)
    slide = max(catalog.by_kind["slide"], key=lambda e: len(e.data["statements"]))  # the most panels: its statements'
    page, _ = open_page(browser, f"{site_url}/{prefix}{page_of(slide)}/",
                        before=lambda p: p.clock.set_fixed_time(today))
    soup = BeautifulSoup(page.content(), "html.parser")
    page.context.close()
    found = panels(soup)
    assert len(found) > 3
    for item, _elements in found:  # the CSL-JSON too: the reader's day
        assert item["accessed"] == {"date-parts": [[2031, 3, 9]]}
    lang = LANGS[prefix]
    rendered = citeproc([(style, lang, [item for item, _elements in found]) for _key, style, _name in cite.STYLES])
    for (key, _style, _name), results in zip(cite.STYLES, rendered, strict=True):
        for (_item, elements), (in_text, full) in zip(found, results, strict=True):
            assert (shown(elements[key][0]), shown(elements[key][1])) == (full, in_text), key
    day = {"": "9 marzo 2031", "en/": "March 9, 2031"}[prefix]  # an undated statement's APA gives it
    assert all(day in shown(elements["apa"][0])[0] for item, elements in found if "issued" not in item)


def test_citeproc_js_runs_for_a_project_named_by_a_relative_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`atlante export --project .` with nothing kept yet: Node resolves a relative path to citeproc-js
    from its script's folder, not from where the command runs, so the engine is given an absolute one."""
    monkeypatch.chdir(ROOT)
    translation = i18n.load(ROOT)[0]["it"]
    engine = cite.engine_for(Path("."), [translation], kept=tmp_path)  # an empty folder: nothing kept
    assert isinstance(engine, cite.Engine) and engine.citeproc.is_absolute()
    item = {"id": "x", "type": "webpage", "title": "Milano", "URL": "https://example.org/", "language": "it",
            "accessed": {"date-parts": [[2026, 12, 7]]}}
    [styles] = engine.styled([(item, "it")], datetime.date(2026, 12, 7))
    assert "Milano" in json.dumps(styles, ensure_ascii=False, default=str)
