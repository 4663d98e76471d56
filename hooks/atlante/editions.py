"""The language editions of the site and how a page finds its counterparts in the others.

The source edition (the language of the data files' top-level fields: Italian) lives at the site's
root, every other edition at /<lang>/, with the
same page addresses below it: /cities/milano/ and /en/cities/milano/, but for the site's own pages
named in each language (/dati/ and /en/data/: `paths:` of the translation files, `counterpart`). Editions are declared once,
as Material's `extra.alternate` list in mkdocs.yml ({name, link, lang}); this module reads that list
and gives each page its alternates, both as links relative to the page (for the language switch,
so it works wherever the site is hosted) and as absolute URLs (for hreflang).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .model import Json


@dataclass(frozen=True)
class Edition:
    lang: str
    name: str  # the language's name in itself, shown in the switch: "Italiano", "English"
    prefix: str  # "" for the source edition, "en/" for English: where it lives below the site root

    @property
    def is_source(self) -> bool:
        return self.prefix == ""


@dataclass(frozen=True)
class Alternate:
    lang: str
    name: str
    href: str  # relative to the page
    url: str  # absolute, from site_url
    current: bool


def from_alternate(alternate: object, default: str) -> tuple[list[Edition], list[str]]:
    """Editions from `extra.alternate`, the source edition first, and the problems found in it (as
    located config messages). The source edition is the entry at "/"; without the list, the only
    edition, in the language `default` (mkdocs.yml's theme.language)."""
    editions: list[Edition] = []
    problems: list[str] = []
    if not isinstance(alternate, list) or not alternate:
        return [Edition(default, default, "")], []
    source = _at_root(alternate) or default
    for i, item in enumerate(alternate):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("name", "link", "lang")):
            problems.append(f"extra.alternate[{i}]: expected a mapping with the texts name, link and lang, found {item!r}")
            continue
        lang = item["lang"]
        expected = "/" if lang == source else f"/{lang}/"
        if item["link"] != expected:
            problems.append(f"extra.alternate[{i}].link: expected '{expected}' (the {lang} edition's place), found {item['link']!r}")
        editions.append(Edition(lang, item["name"], "" if lang == source else f"{lang}/"))
    if source not in {e.lang for e in editions}:
        problems.append(f"extra.alternate: expected an entry for the source edition (link '/', its language "
                        f"theme.language '{source}'), found none")
    editions.sort(key=lambda e: not e.is_source)
    return editions, problems


def source_language(config: Json) -> str:
    """The source edition's language in a project's configuration (mkdocs.yml or an edition's, read as
    a mapping): the language of the entry of extra.alternate at "/", else theme.language (which
    MkDocs and Material read too), else ""."""
    extra = config.get("extra")
    found = _at_root(extra.get("alternate")) if isinstance(extra, dict) else None
    theme = config.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    return found or (language if isinstance(language, str) else "")


def _at_root(alternate: object) -> str | None:
    """The language of the entry of extra.alternate at the site's root ("/")."""
    for item in alternate if isinstance(alternate, list) else []:
        if isinstance(item, dict) and item.get("link") == "/" and isinstance(item.get("lang"), str):
            return str(item["lang"])
    return None


def config_name(edition: Edition) -> str:
    """The file of `edition`'s configuration, in the project folder: mkdocs.yml for the source
    edition, mkdocs.<lang>.yml (which INHERITs it) for each other one."""
    return "mkdocs.yml" if edition.is_source else f"mkdocs.{edition.lang}.yml"


def missing_config(edition: Edition) -> str:
    """What to say when an edition listed in extra.alternate has no configuration beside mkdocs.yml."""
    return f"extra.alternate lists '{edition.lang}', expected its config {config_name(edition)} beside it, found none"


def other_configs(project: Path, found: list[Edition]) -> tuple[list[tuple[Edition, Path]], list[Edition]]:
    """Each edition but the source with its configuration file in `project`, and the editions whose
    file is missing there (the build and the export refuse them, missing_config says why)."""
    present: list[tuple[Edition, Path]] = []
    missing: list[Edition] = []
    for edition in found:
        if edition.is_source:
            continue
        path = project / config_name(edition)
        if path.is_file():
            present.append((edition, path))
        else:
            missing.append(edition)
    return present, missing


def root_url(site_url: str, current: Edition) -> str:
    """The source edition's root URL, from the site_url of edition `current`."""
    url = site_url if site_url.endswith("/") else site_url + "/"
    return url.removesuffix(current.prefix) if current.prefix else url


Paths = Mapping[str, Mapping[str, str]]  # lang -> the site pages' paths in its edition (name -> "data")


def counterpart(page_url: str, lang: str, other: str, paths: Paths) -> str:
    """The address in edition `other` of the page at `page_url` of edition `lang` (both relative to
    their edition's root): a site page named in each language (its translation file's `paths:`) at
    that edition's path for it ("dati/" -> "data/"), every other page at the same address."""
    for name, path in paths.get(lang, {}).items():
        if page_url == path + "/":
            theirs = paths.get(other, {}).get(name)
            return theirs + "/" if theirs else page_url
    return page_url


def alternates(page_url: str, current: Edition, editions: list[Edition], root: str,
               paths: Paths | None = None) -> list[Alternate]:
    """The page at `page_url` (relative to its edition's root, as MkDocs gives it) in every edition;
    `paths`: where a site page's address differs between editions (`counterpart`)."""
    depth = (current.prefix + page_url).count("/")
    up = "../" * depth
    found = []
    for e in editions:
        there = counterpart(page_url, current.lang, e.lang, paths or {})
        found.append(Alternate(e.lang, e.name, (up + e.prefix + there) or "./", root + e.prefix + there, e == current))
    return found
