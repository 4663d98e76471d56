"""Languages are data: a third edition from its configuration and a translation file, no code change.

The editions are `extra.alternate` in mkdocs.yml with one `mkdocs.<lang>.yml` each; every word a reader
sees, and every code the site writes for a language's tools (the CSL locale, Open Graph's, the EU
language authority's), is in `overrides/atlante/i18n/<lang>.yaml`. This test makes a pseudo-French
edition ("fr"): its translation file is the English one with every word marked (⟦…⟧), its own codes,
its pages folder a copy of the English one, and builds the site. The data have no `fr:` blocks yet,
so every text is the Italian original (each an "untranslated" warning: the build is not strict).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from atlante import editions, i18n, meta

from helpers import BIN, ROOT, entry_page, env, make_project, parsed

PSEUDO = "fr"
CODES = {"citation_locale": "en-US", "open_graph": "fr_FR", "eu_language": "FRA"}  # a vendored CSL locale


def pseudo(value: object) -> object:
    """Every text marked ⟦…⟧, its {placeholders} kept."""
    if isinstance(value, dict):
        return {key: pseudo(item) for key, item in value.items()}
    return f"⟦{value}⟧" if isinstance(value, str) else value


def add_edition(project: Path) -> None:
    words = yaml.safe_load((project.joinpath(*i18n.FOLDER) / "en.yaml").read_text(encoding="utf-8"))
    marked = {key: (value if key in ("citation_style", "paths") else pseudo(value)) for key, value in words.items()}  # (paths:
    # the site's own pages' addresses, which the edition's translator chooses as English's did: /fr/data/)
    marked["codes"] = CODES
    (project.joinpath(*i18n.FOLDER) / f"{PSEUDO}.yaml").write_text(yaml.safe_dump(marked, allow_unicode=True),
                                                                     encoding="utf-8")
    shutil.copytree(project / "docs" / "en", project / "docs" / PSEUDO)
    config = (project / "mkdocs.en.yml").read_text(encoding="utf-8")
    config = re.sub(r"\ben\b(?=[/\n])", PSEUDO, config).replace("site_name: The Magic Circles of Made in Italy",
                                                                "site_name: ⟦The Magic Circles of Made in Italy⟧")
    (project / f"mkdocs.{PSEUDO}.yml").write_text(config, encoding="utf-8")
    main = (project / "mkdocs.yml").read_text(encoding="utf-8")
    english = re.search(r"^( *)- name: English\n\1  link: /en/\n\1  lang: en\n", main, re.M)
    assert english, "mkdocs.yml: extra.alternate lists English as name, link, lang"
    pad = english.group(1)
    main = main.replace(english.group(0), english.group(0) + f"{pad}- name: Pseudo\n{pad}  link: /{PSEUDO}/\n{pad}  lang: {PSEUDO}\n")
    assert "exclude_docs: |\n  /en/\n" in main  # each other edition's pages are its own build's
    (project / "mkdocs.yml").write_text(main.replace("exclude_docs: |\n  /en/\n", f"exclude_docs: |\n  /en/\n  /{PSEUDO}/\n"),
                                        encoding="utf-8")


@pytest.fixture(scope="module")
def third(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("third"))
    add_edition(project)
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--no-strict"], cwd=project, env=env(), capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


@pytest.mark.build
def test_a_third_edition_is_built_from_its_translation_file_and_configuration_alone(third: Path) -> None:
    home = parsed(third / PSEUDO / "index.html")
    assert home.html["lang"] == PSEUDO
    assert {link["hreflang"] for link in home.select("link[rel=alternate][hreflang]")} >= {"it", "en", PSEUDO}
    city = entry_page("city")  # "/cities/<id>/", the first city of the data
    title = yaml.safe_load((ROOT / "data" / f"{city.strip('/')}.yaml").read_text(encoding="utf-8"))["title"]
    page = parsed(third / PSEUDO / city.strip("/") / "index.html")
    assert page.html["lang"] == PSEUDO
    tags = {tag.get("property") or tag.get("name"): tag["content"] for tag in page.find_all("meta") if tag.get("content")}
    assert tags["og:locale"] == "fr_FR" and tags["citation_language"] == PSEUDO
    assert tags["og:site_name"] == "⟦The Magic Circles of Made in Italy⟧"
    words = [t for t in page.select_one("article").stripped_strings if "⟦" in t]
    assert len(words) > 10, words  # the interface words are the pseudo-language's
    apa = page.select_one("#cite-page-apa").get_text(" ", strip=True)
    assert title in apa and f"https://redazione-circoli-magici.github.io/atlante/fr{city}" in apa
    catalogue = (third / "dati" / "dcat-ap_it.rdf").read_text(encoding="utf-8")
    assert "language/FRA" in catalogue  # the EU authority's code, from the translation file
    assert (third / "en" / city.strip("/") / "index.html").is_file()  # the other editions as before
    # the site's own pages at the paths its translation file gives, linked from their counterparts
    data = parsed(third / PSEUDO / "data" / "index.html")
    assert data.html["lang"] == PSEUDO and (third / PSEUDO / "about" / "index.html").is_file()
    switch = {a["hreflang"]: a["href"] for a in parsed(third / "dati" / "index.html").select(".md-select__link")}
    assert switch[PSEUDO] == f"../{PSEUDO}/data/" and switch["en"] == "../en/data/"


def test_no_language_code_is_written_in_the_python_of_the_core() -> None:
    """The languages are the translation files and the configuration: no text constant of the code is
    a language or locale code, or begins with one ("en:")."""
    code = re.compile(r"(?:[a-z]{2}(?:[-_][A-Z]{2})?|[A-Z]{3})(?:$|[:/ ])")
    languages = {"it", "en", "fr", "de", "es", "ITA", "ENG", "FRA"}
    found = []
    for path in sorted((ROOT / "hooks").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and code.match(node.value) \
                    and re.split(r"[-_:/ ]", node.value)[0] in languages:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert found == []


def test_the_source_language_is_the_configurations_edition_at_the_root() -> None:
    assert meta.source_language(ROOT) == "it" and i18n.languages(ROOT)[0] == "it"
    config = {"theme": {"language": "en"},
              "extra": {"alternate": [{"name": "Deutsch", "link": "/", "lang": "de"}, {"name": "English", "link": "/en/", "lang": "en"}]}}
    assert editions.source_language(config) == "de"  # an edition's own config (mkdocs.en.yml) still finds the source's
    assert editions.source_language({"theme": {"language": "de"}}) == "de" and editions.source_language({}) == ""
    found, problems = editions.from_alternate(config["extra"]["alternate"][::-1], "en")
    assert problems == [] and [(e.lang, e.prefix, e.is_source) for e in found] == [("de", "", True), ("en", "en/", False)]
    _, problems = editions.from_alternate([{"name": "English", "link": "/en/", "lang": "en"}], "de")
    assert problems == ["extra.alternate: expected an entry for the source edition (link '/', its language "
                        "theme.language 'de'), found none"]
