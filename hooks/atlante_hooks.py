"""MkDocs adapter for the atlante core: it only sequences events.

One config per language edition: mkdocs.yml builds the Italian (source) edition at the site root,
mkdocs.<lang>.yml INHERITs it and builds the <lang> edition at /<lang>/. Editions are listed once,
in mkdocs.yml's `extra.alternate`.

on_config        runs the core (load, validate, link, render) for the config's language, reports
                 every finding at once and stops the build before anything is written if there is
                 an error; sets the nav; places a non-source edition under /<lang>/ of site_url.
on_config        also hands each alias (an entity's retired id) to mkdocs-redirects as a redirect.
on_files         adds each rendered page in memory (File.generated), before mkdocs-redirects looks
                 for the pages its redirects point to.
on_page_content  sanitises the HTML of generated pages (Markdown fields may carry HTML), then puts
                 back their figures (maps, graphs: SVG from the templates, which the sanitiser refuses).
on_page_context  gives templates the page's counterparts in every edition (switch, hreflang) and,
                 in a translated edition, the link to the original.
on_post_build    the source edition builds every other edition into <site_dir>/<lang>/, so one
                 `mkdocs build` or `mkdocs serve` gives the whole site; then checks that every page
                 has its counterpart in every edition.

Builds are dated by the last commit (SOURCE_DATE_EPOCH) unless the caller sets a date. The module
is loaded once per config and stays loaded under `mkdocs serve`: all state is rebuilt in on_config.
"""

from __future__ import annotations

import importlib
import logging
import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

from atlante import editions, history, meta, metadata, pipeline
from atlante.render import REQUIRED_EXTENSIONS, navigation, place_figures, redirects
from atlante.sanitize import clean_html

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.atlante")

_result: pipeline.Result | None = None
_publication: meta.Publication | None = None
_meta: dict[str, metadata.PageMeta] = {}  # src_uri -> the generated page's metadata
_sources: dict[str, str] = {}  # src_uri -> the data file an entity page shows, for its edit link
_figures: dict[str, dict[str, str]] = {}  # src_uri -> the page's maps and graphs, placed after sanitising
_edition: editions.Edition | None = None
_editions: list[editions.Edition] = []
_root = ""
_pinned: str | None = None  # the SOURCE_DATE_EPOCH this module set (not the caller), renewed on each build
_warned = False
_TEMPLATES = "atlante/"  # overrides/atlante/: the core's templates and translation files

# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _result, _edition, _editions, _root, _warned, _publication
    _result = None
    missing = [ext for ext in REQUIRED_EXTENSIONS if ext not in config.markdown_extensions]
    if missing:
        raise PluginError(f"mkdocs.yml: markdown_extensions: expected {', '.join(missing)}, found them missing")
    if not config.use_directory_urls:  # maps and graphs link pages by their directory URLs
        raise PluginError(f"{Path(config.config_file_path).name}: use_directory_urls: expected true, found false")
    lang = config.theme["language"]
    _editions, problems = editions.from_alternate(config.extra.get("alternate"))
    _edition = next((e for e in _editions if e.lang == lang), None)
    if _edition is None:
        problems.append(f"extra.alternate: expected an entry for this edition's language '{lang}' (theme.language), found none")
    if problems:
        raise PluginError("\n".join(f"{Path(config.config_file_path).name}: {p}" for p in problems))
    assert _edition is not None
    _root = editions.root_url(config.site_url or "", _edition)
    if config.site_url and not _edition.is_source:
        config.site_url = _root + _edition.prefix  # one site_url, in mkdocs.yml; editions live below it

    project = Path(config.config_file_path).parent
    _pin_build_date(project)
    _publication, problems = meta.from_config(site_name=config.site_name, site_url=_root if config.site_url else None,
                                              extra=config.extra, project=project, edition_date=history.build_date(),
                                              repo_url=config.repo_url)
    if problems:
        raise PluginError(meta.located(Path(config.config_file_path), problems))
    result = pipeline.run(project, docs_dir=project / "docs", lang=lang, publication=_publication)
    _warned = bool(result.warnings)
    for warning in result.warnings:
        log.warning(str(warning))
    if result.errors:
        raise PluginError(_summary(result))
    assert result.catalog is not None
    config.nav = navigation(result.catalog, result.translations[lang], extra=config.nav or [])
    _redirect_aliases(config, redirects(result.catalog))
    _result = result
    return config


@event_priority(50)  # before mkdocs-redirects collects the pages its redirects may point to
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    assert _result is not None  # on_config stopped the build otherwise
    for file in [f for f in files if f.src_uri.startswith(_TEMPLATES)]:
        files.remove(file)  # the templates' translation files are in the theme folder, not for the site
    # The core has refused any hand-written page at a generated address (the rule address-taken, rules.py).
    _figures.clear()
    _meta.clear()
    _sources.clear()
    for page in _result.pages:
        _figures[page.src_uri] = page.figures
        if page.source:
            _sources[page.src_uri] = page.source
        if page.meta:
            _meta[page.src_uri] = page.meta
        file = File.generated(config, page.src_uri, content=page.markdown)
        if not page.in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV  # reachable from its kind's index page
        files.append(file)
        for path, text in page.files.items():  # its citations as .bib and .ris
            files.append(File.generated(config, path, content=text))
    for path, text in _result.downloads.items():  # the open data, in the source edition only
        files.append(File.generated(config, path, content=text))
    return files


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    if page.file.generated_by is None:
        return None  # hand-written pages are trusted like code
    return place_figures(clean_html(html), _figures.get(page.file.src_uri, {}))


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav: object) -> dict:
    assert _edition is not None and _result is not None
    alternates = editions.alternates(page.url, _edition, _editions, _root)
    words = _result.translations[_edition.lang].words["ui"]
    original = next(a for a in alternates if a.lang == editions.SOURCE_LANG)
    if page.file.generated_by is not None:
        page.edit_url = _edit_url(config, _sources.get(page.file.src_uri))
    context["atlante"] = {
        "meta": _meta.get(page.file.src_uri) or _hand_written_meta(page),
        "alternates": alternates,
        "source": original,
        "notice": None if _edition.is_source else {"text": words["translation_notice"], "link": words["translation_notice_link"]},
        "switch_label": words["language_switch"],
    }
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    """The source edition builds the others below its own site_dir, then compares their pages."""
    assert _edition is not None
    if not _edition.is_source or (config.strict and _warned):
        return  # a strict build with warnings fails anyway: do not build the rest of the site
    project = Path(config.config_file_path).parent
    site = Path(config.site_dir)
    for edition in _editions:
        if edition.is_source:
            continue
        path = project / f"mkdocs.{edition.lang}.yml"
        if not path.is_file():
            raise PluginError(f"{Path(config.config_file_path).name}: extra.alternate lists '{edition.lang}', "
                              f"expected its config {path.name} beside it, found none")
        _build_edition(config, path, site / edition.prefix)
    _compare_editions(site)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _edit_url(config: MkDocsConfig, source: str | None) -> str | None:
    """Where an entity page's data file is edited: repo_url + edit_uri, with the docs folder that
    edit_uri ends with replaced by the data file's path; None for a generated page of no entity."""
    if not source or not config.repo_url or config.edit_uri is None:
        return None
    docs = Path(config.docs_dir).relative_to(Path(config.config_file_path).parent).as_posix().rstrip("/") + "/"
    branch = config.edit_uri.removesuffix(docs)
    return f"{config.repo_url.rstrip('/')}/{branch.strip('/')}/{source}".replace("//data/", "/data/")


def _hand_written_meta(page: Page) -> metadata.PageMeta:
    """The metadata of a page written by hand (docs/): its title, its description, the edition's date."""
    assert _publication is not None and _edition is not None
    description = str((page.meta or {}).get("description") or _publication.site_name)
    return metadata.page_meta(_publication, title=str(page.title or _publication.site_name), description=description,
                              path=page.url, lang=_edition.lang, updated=_publication.date)


def _redirect_aliases(config: MkDocsConfig, maps: dict[str, str]) -> None:
    """Hand the aliases' redirects to mkdocs-redirects, beside any the config writes itself."""
    plugin = config.plugins.get("redirects")
    if plugin is None:
        if maps:
            raise PluginError(f"{Path(config.config_file_path).name}: plugins: expected 'redirects' "
                              f"(mkdocs-redirects), which turns aliases into redirects, found it missing")
        return
    plugin.config["redirect_maps"] = {**(plugin.config.get("redirect_maps") or {}), **maps}


def _build_edition(config: MkDocsConfig, path: Path, site_dir: Path) -> None:
    """Build another edition's config with the engine running this one (MkDocs or a fork of it)."""
    engine = type(config).__module__.split(".")[0]
    load_config = importlib.import_module(f"{engine}.config").load_config
    build = importlib.import_module(f"{engine}.commands.build").build
    other = load_config(config_file=str(path), site_dir=str(site_dir), strict=config.strict)
    other.plugins.on_startup(command="build", dirty=False)
    try:
        build(other)
    finally:
        other.plugins.on_shutdown()


def _compare_editions(site: Path) -> None:
    """Every page exists in every edition: a page missing its counterpart is a warning."""
    others = [e.prefix for e in _editions if not e.is_source]

    def pages(base: Path, skip: list[str]) -> set[str]:
        found = (p.parent.relative_to(base).as_posix() for p in base.rglob("index.html"))
        urls = ("" if url == "." else url + "/" for url in found)
        return {url for url in urls if not url.startswith(tuple(skip))}

    editions_pages = {"": pages(site, others), **{prefix: pages(site / prefix, []) for prefix in others}}
    every = set().union(*editions_pages.values())
    for prefix, have in editions_pages.items():
        for missing in sorted(every - have):
            log.warning(f"/{prefix}{missing}: expected this page too (its counterpart exists in another edition), "
                        f"found none: add it to docs/{prefix or '(the source pages)'}")


def _pin_build_date(project: Path) -> None:
    """Date the build by the last commit, so that two builds of a commit are byte-identical.

    MkDocs dates the sitemap and its gzip header from SOURCE_DATE_EPOCH when it is set; a value
    given by the caller wins.
    """
    global _pinned
    if "SOURCE_DATE_EPOCH" in os.environ and os.environ["SOURCE_DATE_EPOCH"] != _pinned:
        return  # the caller's value

    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=project, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return
    if out.returncode == 0 and out.stdout.strip().isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = _pinned = out.stdout.strip()  # re-read on every build under `serve`


def _summary(result: pipeline.Result) -> str:
    errors = result.errors
    lines = [str(f) for f in errors]
    lines.append(f"{len(errors)} error{'s' if len(errors) != 1 else ''} in data/: nothing was built.")
    return "\n".join(lines)
