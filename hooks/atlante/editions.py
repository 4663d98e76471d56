"""The language editions of the site and how a page finds its counterparts in the others.

The source edition (Italian) lives at the site's root, every other edition at /<lang>/, with the
same page addresses below it: /cities/milano/ and /en/cities/milano/. Editions are declared once,
as Material's `extra.alternate` list in mkdocs.yml ({name, link, lang}); this module reads that list
and gives each page its alternates, both as links relative to the page (for the language switch,
so it works wherever the site is hosted) and as absolute URLs (for hreflang).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import SOURCE_LANG


@dataclass(frozen=True)
class Edition:
    lang: str
    name: str  # the language's name in itself, shown in the switch: "Italiano", "English"
    prefix: str  # "" for the source edition, "en/" for English: where it lives below the site root

    @property
    def is_source(self) -> bool:
        return self.lang == SOURCE_LANG


@dataclass(frozen=True)
class Alternate:
    lang: str
    name: str
    href: str  # relative to the page
    url: str  # absolute, from site_url
    current: bool


def from_alternate(alternate: object) -> tuple[list[Edition], list[str]]:
    """Editions from `extra.alternate`, and the problems found in it (as located config messages)."""
    editions: list[Edition] = []
    problems: list[str] = []
    if not isinstance(alternate, list) or not alternate:
        return [Edition(SOURCE_LANG, SOURCE_LANG, "")], []
    for i, item in enumerate(alternate):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("name", "link", "lang")):
            problems.append(f"extra.alternate[{i}]: expected a mapping with the texts name, link and lang, found {item!r}")
            continue
        lang = item["lang"]
        expected = "/" if lang == SOURCE_LANG else f"/{lang}/"
        if item["link"] != expected:
            problems.append(f"extra.alternate[{i}].link: expected '{expected}' (the {lang} edition's place), found {item['link']!r}")
        editions.append(Edition(lang, item["name"], "" if lang == SOURCE_LANG else f"{lang}/"))
    if SOURCE_LANG not in {e.lang for e in editions}:
        problems.append(f"extra.alternate: expected an entry for the source language '{SOURCE_LANG}', found none")
    return editions, problems


def config_name(lang: str) -> str:
    """The file of edition `lang`'s configuration, in the project folder: mkdocs.yml for the source
    edition, mkdocs.<lang>.yml (which INHERITs it) for each other one."""
    return "mkdocs.yml" if lang == SOURCE_LANG else f"mkdocs.{lang}.yml"


def missing_config(edition: Edition) -> str:
    """What to say when an edition listed in extra.alternate has no configuration beside mkdocs.yml."""
    return f"extra.alternate lists '{edition.lang}', expected its config {config_name(edition.lang)} beside it, found none"


def other_configs(project: Path, found: list[Edition]) -> tuple[list[tuple[Edition, Path]], list[Edition]]:
    """Each edition but the source with its configuration file in `project`, and the editions whose
    file is missing there (the build and the export refuse them, missing_config says why)."""
    present: list[tuple[Edition, Path]] = []
    missing: list[Edition] = []
    for edition in found:
        if edition.is_source:
            continue
        path = project / config_name(edition.lang)
        if path.is_file():
            present.append((edition, path))
        else:
            missing.append(edition)
    return present, missing


def root_url(site_url: str, current: Edition) -> str:
    """The source edition's root URL, from the site_url of edition `current`."""
    url = site_url if site_url.endswith("/") else site_url + "/"
    return url.removesuffix(current.prefix) if current.prefix else url


def alternates(page_url: str, current: Edition, editions: list[Edition], root: str) -> list[Alternate]:
    """The page at `page_url` (relative to its edition's root, as MkDocs gives it) in every edition."""
    depth = (current.prefix + page_url).count("/")
    up = "../" * depth
    return [
        Alternate(e.lang, e.name, (up + e.prefix + page_url) or "./", root + e.prefix + page_url, e == current)
        for e in editions
    ]
