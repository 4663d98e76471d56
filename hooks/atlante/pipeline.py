"""The core in one call: load -> validate -> link -> render, with no MkDocs in sight.

The MkDocs hooks and the `atlante` command both call these; tests call them directly. One run
checks every language (data blocks and translation files) and renders the pages of one edition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FsPath

from . import history, i18n, meta, opendata
from .catalog import link
from .load import Document, load
from .model import SOURCE_LANG, Catalog, Finding
from .render import Page, Site, render
from .validate import validate


@dataclass
class Result:
    findings: list[Finding]
    catalog: Catalog | None = None
    pages: list[Page] = field(default_factory=list)
    downloads: dict[str, str] = field(default_factory=dict)  # the open data: path -> text (source edition)
    translations: dict[str, i18n.Translation] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]


def check(project: FsPath, *, docs_dir: FsPath | None = None) -> Result:
    """Load and validate `project/data` and the translation files; no catalog, no pages."""
    return _checked(project, docs_dir or project / "docs")[1]


def linked(project: FsPath, *, docs_dir: FsPath | None = None) -> Result:
    """Load, validate and, when there is no error, link: the catalog without pages (for `atlante
    list` and `show`)."""
    documents, result = _checked(project, docs_dir or project / "docs")
    if not result.errors:
        result.catalog = link(documents, tuple(result.translations))
    return result


def run(project: FsPath, *, docs_dir: FsPath | None = None, lang: str = "it",
        publication: meta.Publication | None = None) -> Result:
    """Every finding and, when there is no error, the catalog and the pages of edition `lang`.

    `publication`: what the configuration says of the site and the brief; by default, read from the
    project's mkdocs.yml (a problem there is an error located in it)."""
    documents, result = _checked(project, docs_dir or project / "docs")
    if publication is None:
        publication, problems = meta.from_project(project, lang)
        result.findings += problems
    if not result.errors and lang not in result.translations:
        known = ", ".join(f"'{k}'" for k in result.translations)
        where = "/".join((*i18n.FOLDER, f"{lang}.yaml"))
        result.findings.append(Finding("error", where, 1, 1, f"(language {lang})", "(file)",
                                       f"expected a translation file for the edition's language (known: {known}), found none",
                                       "interface-words"))
    if result.errors:
        return result
    result.catalog = link(documents, tuple(result.translations))
    site = Site(publication, history.read(project), project / "data" / "schema")
    result.pages = render(result.catalog, project / "overrides" / "atlante", result.translations[lang], site)
    if lang == SOURCE_LANG:  # published once, at the site's root
        updated = {e.file: site.history.date_of(e.file) for e in result.catalog.entities.values()}
        result.downloads = opendata.downloads(result.catalog, publication, site.schema_dir, updated, result.translations)
    return result


def _checked(project: FsPath, docs_dir: FsPath) -> tuple[list[Document], Result]:
    data_dir = project / "data"
    translations, findings = i18n.load(project)
    documents, loaded = load(data_dir, shown_root=project)
    findings += loaded
    findings += validate(documents, data_dir / "schema", docs_dir=docs_dir, languages=tuple(i18n.languages(project)))
    findings += i18n.tag_findings(documents, translations)
    return documents, Result(sorted(set(findings), key=_where), translations=translations)


def _where(f: Finding) -> tuple[str, int, int, str, str]:
    return (f.file, f.line, f.col, f.field, f.message)
