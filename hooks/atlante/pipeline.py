"""The core in one call: load -> validate -> link -> render, with no MkDocs in sight.

The MkDocs hooks and the `atlante` command both call these; tests call them directly. One run
checks every language (data blocks and translation files) and renders the pages of one edition.
What only rendering needs (templates, maps, citations, open data) is imported by `run`, so that
`atlante check` does not wait for it.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import TYPE_CHECKING

from . import i18n, reference, yamlsource
from .cache import folder as cache_folder
from .catalog import link
from .load import Document, load, stray_files
from .model import Catalog, Finding
from .validate import validate

if TYPE_CHECKING:
    import jinja2

    from . import meta
    from .render import Memo, Page


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


@dataclass
class Cache:
    """What a long-lived caller (`mkdocs serve`) keeps between runs so that a run after one edit
    redoes only what the edit touched: files parsed (by their bytes), each edition's rendered pages
    (by what they were made from) and the open data. Results are the same as without it."""

    parsed: dict[tuple[bytes, str, str], yamlsource.Read] = field(default_factory=dict)
    memos: dict[str, Memo] = field(default_factory=dict)  # by language
    downloads: tuple[str, dict[str, str]] | None = None  # (key, files)
    checked: tuple[str, list[Document], list[Finding], dict[str, i18n.Translation]] | None = None

    def memo(self, lang: str) -> Memo:
        from .render import Memo

        return self.memos.setdefault(lang, Memo())


def check(project: FsPath, *, docs_dir: FsPath | None = None, parallel: bool = False) -> Result:
    """Load and validate `project/data` and the translation files; no catalog, no pages.
    `parallel`: read the files in two processes (load.load), for a single-threaded caller."""
    return checked(project, docs_dir=docs_dir, parallel=parallel)[1]


def checked(project: FsPath, *, docs_dir: FsPath | None = None, parallel: bool = False) -> tuple[list[Document], Result]:
    """What `check` does, with the documents read: for a caller that goes on to use the data."""
    return _check(project, docs_dir or project / "docs", parallel)


def linked(project: FsPath, *, docs_dir: FsPath | None = None) -> Result:
    """Load, validate and, when there is no error, link: the catalog without pages (for `atlante
    list` and `show`)."""
    documents, result = _checked(project, docs_dir or project / "docs")
    if not result.errors:
        result.catalog = link(documents, tuple(result.translations))
    return result


def run(project: FsPath, *, docs_dir: FsPath | None = None, lang: str | None = None,
        publication: meta.Publication | None = None, cache: Cache | None = None, hurried: bool = False,
        stop: Callable[[], bool] | None = None) -> Result:
    """Every finding and, when there is no error, the catalog and the pages of edition `lang` (by
    default the source edition: meta.source_language).

    `publication`: what the configuration says of the site and the brief; by default, read from the
    project's mkdocs.yml (a problem there is an error located in it). `cache`: kept by the caller
    between runs, to redo only what changed. `hurried` (with a cache: the preview's first phase, which
    writes only the edited entries' pages): the pages of the whole site and the open data are the last
    run's, if there was one, rather than made again for pages that are not written. `stop`, asked
    before each page is rendered and each request for citations: when it says True, model.Stopped is
    raised (the preview's background build, overtaken by an edit, gives up the result)."""
    if lang is None:
        from . import meta

        lang = publication.source_lang if publication else meta.source_language(project)
    if cache is not None:
        with yamlsource.remembering(cache.parsed):
            return _run(project, docs_dir, lang, publication, cache, hurried, stop)
    return _run(project, docs_dir, lang, publication, None, hurried, stop)


def _run(project: FsPath, docs_dir: FsPath | None, lang: str, publication: meta.Publication | None,
         cache: Cache | None, hurried: bool = False, stop: Callable[[], bool] | None = None) -> Result:
    import jinja2

    from . import cite, history, meta, opendata
    from .pdf import TEMPLATE as PDF_TEMPLATE
    from .render import Site, render

    documents, result = _checked(project, docs_dir or project / "docs", cache)
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
    engine = cite.engine_for(project, result.translations.values(), cache_folder(project))
    if isinstance(engine, str):  # the citations' styles cannot be rendered: nothing can be published
        result.findings.append(Finding("error", "/".join(cite.CITEPROC[:2]), 1, 1, "(citations)", "(engine)", engine,
                                       "citation-engine"))
        return result
    site = Site(publication, history.read(project), project / "data" / "schema", cache_folder(project), engine)
    if (problem := history.missing(site.history, project, publication.repository)) is not None:
        result.findings.append(Finding("warning", ".git", 1, 1, "(history)", "(git)", problem, "history"))
    templates = project / "overrides" / "atlante"
    try:
        result.pages = render(result.catalog, templates, result.translations[lang], site,
                              cache.memo(lang) if cache else None, hurried=hurried, stop=stop)
    except jinja2.TemplateError as exc:  # a template edited into an error: located, like a data error
        result.findings.append(_template_finding(exc, templates, project))
        return result
    for problem in sorted({p for page in result.pages for p in page.problems}):  # (the whole brief's PDF)
        result.findings.append(Finding("warning", f"{templates.relative_to(project).as_posix()}/{PDF_TEMPLATE}", 1, 1,
                                       "(whole brief)", "(pdf)", problem, "whole-brief-pdf"))
    if lang == publication.source_lang:  # published once, at the site's root
        updated = {e.file: site.history.date_of(e.file) for e in result.catalog.entities.values()}
        issued = opendata.first_issued(site.history.editions)  # the catalogue's first publication
        key = repr((publication, issued, updated, [(e.file, e.digest) for e in result.catalog.entities.values()],
                    [t.words for t in result.translations.values()], sorted(
                    (p.name, p.stat().st_mtime_ns) for p in [*site.schema_dir.glob("*.json"), *project.glob("CITATION.cff")])))
        if cache is not None and cache.downloads is not None and (cache.downloads[0] == key or hurried):
            result.downloads = cache.downloads[1]
        else:
            result.downloads = opendata.downloads(result.catalog, publication, site.schema_dir, updated, result.translations,
                                                  issued)
            cff = meta.citation_file(project, publication)
            if cff is not None:
                result.downloads["CITATION.cff"] = cff
            if cache is not None:
                cache.downloads = (key, result.downloads)
    return result


def _template_finding(exc: jinja2.TemplateError, templates: FsPath, project: FsPath) -> Finding:
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = FsPath(exc.filename).resolve() if exc.filename else templates / str(exc.name)
        try:
            shown = where.relative_to(project.resolve()).as_posix()
        except ValueError:
            shown = where.as_posix()
        return Finding("error", shown, exc.lineno or 1, 1, "(template)", "(file)",
                       f"expected a valid Jinja template, found a syntax error: {exc.message}", "template")
    if isinstance(exc, jinja2.TemplateNotFound):
        return Finding("error", f"{templates.relative_to(project).as_posix()}/{exc.name}", 1, 1, "(template)", "(file)",
                       "expected this template (another one includes it), found none", "template")
    return Finding("error", templates.relative_to(project).as_posix(), 1, 1, "(template)", "(file)",
                   f"expected templates that render, found an error: {exc.message}", "template")


def _checked(project: FsPath, docs_dir: FsPath, cache: Cache | None = None) -> tuple[list[Document], Result]:
    """Load and validate; with a cache, nothing is read again while no file they read has changed
    (the second edition of a build, a save that changed nothing)."""
    if cache is None:
        return _check(project, docs_dir)
    key = repr([_state(folder) for folder in (project / "data", i18n.folder(project), docs_dir)])
    if cache.checked is None or cache.checked[0] != key:
        documents, result = _check(project, docs_dir)
        cache.checked = (key, documents, list(result.findings), dict(result.translations))
    _key, documents, findings, translations = cache.checked
    return documents, Result(list(findings), translations=dict(translations))


def _state(folder: FsPath) -> list[tuple[str, int, int]]:
    """Every file and folder below `folder` with its size and modification time: what decides that the
    files are read again. (os.walk: pathlib's rglob took a tenth of the preview's first phase at 1 000
    entries.)"""
    found = []
    for root, folders, names in os.walk(folder):
        for name in (*folders, *names):
            path = os.path.join(root, name)
            try:
                stat = os.stat(path)
            except OSError:  # deleted meanwhile: the key differs anyway
                continue
            found.append((path, stat.st_size, stat.st_mtime_ns))
    return sorted(found)


def _check(project: FsPath, docs_dir: FsPath, parallel: bool = False) -> tuple[list[Document], Result]:
    data_dir = project / "data"
    with _collector_paused():
        strays = stray_files(project, docs_dir)  # before anything reads them: no link followed, no pipe waited on
        translations, findings = i18n.load(project)
        findings += strays
        documents, loaded = load(data_dir, shown_root=project, parallel=parallel)
        findings += loaded
        findings += validate(documents, data_dir / "schema", docs_dir=docs_dir, languages=tuple(i18n.languages(project)),
                             kept=cache_folder(project), paths=i18n.page_paths(translations))
        findings += i18n.tag_findings(documents, translations)
        findings += reference.description_findings(project, translations)
        findings += reference.example_findings(project, translations)
    return documents, Result(sorted(set(findings), key=_where), translations=translations)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector, paused while data is read and checked: what is read is kept to the
    end of the run, and the collector, run every few hundred new objects, would walk it all again and
    again as it grows (a fifth of the time of `atlante check` on thousands of files)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _where(f: Finding) -> tuple[str, int, int, str, str]:
    return (f.file, f.line, f.col, f.field, f.message)
