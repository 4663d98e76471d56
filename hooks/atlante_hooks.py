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
                 back their figures (maps, graphs: SVG from the templates, which the sanitiser refuses);
                 gives Material's search an entity page's tags, escaped (page.meta, as front matter would;
                 its results draw them as markup).
on_page_context  gives templates the page's counterparts in every edition (switch, hreflang) and,
                 in a translated edition, the link to the original; and an entity page's tags, each
                 linking its page (tag/<tag>/), for the chips above its title.
on_post_build    the source edition builds every other edition into <site_dir>/<lang>/, so one
                 `mkdocs build` or `mkdocs serve` gives the whole site; then checks that every page
                 has its counterpart in every edition.

Under `mkdocs serve` (the live preview):
on_serve         wraps the server's rebuild so that a failed build never leaves it waiting: every
                 page request then answers at once with the located errors (preview.error_page),
                 and the browser reloads to the site when the file is fixed. A first build that
                 finds data errors builds the hand-written pages only, and serves the errors too.
--dirty          (`make serve`) the generated pages become files in a temporary folder, rewritten
                 only when they change, so MkDocs renders only the pages an edit changed; the
                 core keeps what it parsed and rendered (pipeline.Cache). A change to the theme or
                 the configuration renders every page again; pages that are gone are removed; the
                 search index and the navigation titles of the pages not rendered are kept whole.
                 After a rebuild of the source edition the browsers reload at once; the other
                 editions build in the background (one build at a time) and reload them again.
                 Saves are reported by the system's file notifications where available.

Builds are dated by the last commit (SOURCE_DATE_EPOCH) unless the caller sets a date. The module
is loaded once and serves every config (mkdocs.yml and mkdocs.<lang>.yml) of the process: state
that belongs to one edition is kept by language; the rest is rebuilt in on_config.

The engine is MkDocs 1.6.1 or ProperDocs, its maintained fork, which answers to `mkdocs.` imports:
where the two differ (the names of their modules and loggers), the hook asks the config (_engine).
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import importlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
import time
from html import escape as escape_html
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import jinja2
import jinja2.bccache
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

from atlante import cache, editions, faults, history, livereload, meta, metadata, pipeline, preview, rules
from atlante.messages import DID_YOU_MEAN
from atlante.render import REQUIRED_EXTENSIONS, Chip, navigation, place_figures, redirect_page, redirects
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
_chips: dict[str, tuple[Chip, ...]] = {}  # src_uri -> an entity page's tags, drawn by overrides/partials/tags.html
_edition: editions.Edition | None = None
_editions: list[editions.Edition] = []
_others: list[tuple[editions.Edition, Path]] = []  # the other editions and their config files (the source's on_config)
_root = ""
_pinned: str | None = None  # the SOURCE_DATE_EPOCH this module set (not the caller), renewed on each build
_told: set[str] = set()  # the data warnings this build has logged: the other editions' runs find them again
_TEMPLATES = "atlante/"  # overrides/atlante/: the core's templates and translation files

# The live preview (mkdocs serve): kept between the builds of the process
_command = "build"  # on_startup's: "serve" under `mkdocs serve`
_dirty = False  # `mkdocs serve --dirty`: only the pages an edit changed are rendered again
_server = None  # the live-reload server, once on_serve has run
_cache = pipeline.Cache()  # what the core parsed and rendered, by file and page
_failure: list[str] | None = None  # why the last build failed: every page shows it until fixed
_page_files: dict[str, preview.PageFiles] = {}  # by language, under --dirty
_placed: dict[str, dict[str, tuple[str, object, str]]] = {}  # by language: path -> (text, page, file) last placed
_surroundings: dict[str, str] = {}  # by language: the theme's and configuration's state at the last build
_titles: dict[str, dict[str, str]] = {}  # by language: each page's title at the last build
_search: dict[str, dict[str, list[dict]]] = {}  # by language: each page's search entries
_rebuilt: set[str] = set()  # the URLs of the pages this build rendered
_degraded = False  # this build found data errors under serve: hand-written pages only
_refused: list[str] = []  # the findings of a build that on_config stopped
_later: list = []  # under --dirty: the other editions' builds, run once the source edition is served
_first_phase = False  # a preview rebuild's first build: only the edited entries' pages are rendered
_deferred: list[str] = []  # the pages that first build left for the second
_digests: dict[str, dict[str, str]] = {}  # by language: data file -> digest at the last build

# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


def _last_resort(event):  # type: ignore[no-untyped-def]
    """An error nobody foresaw, in an event: one located line (faults.said) that stops the build
    cleanly, as every refusal does, instead of a traceback; the preview shows it on every page."""

    @functools.wraps(event)
    def guarded(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return event(*args, **kwargs)
        except PluginError:
            raise
        except Exception as exc:  # noqa: BLE001 -- the last resort: said, located, and the build stops
            if type(exc).__module__.split(".")[0] in ("mkdocs", "properdocs", "click"):
                raise  # the engine's own (a configuration error, an abort): it says them itself
            config = kwargs.get("config") or (args[0] if args and hasattr(args[0], "config_file_path") else None)
            project = _project(config) if config is not None else None
            log.debug("Unforeseen error", exc_info=exc)
            _refuse(faults.said(exc, project))

    return guarded


def on_startup(*, command: str, dirty: bool) -> None:
    global _command, _dirty
    _command, _dirty = command, dirty


@_last_resort
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _result, _edition, _editions, _others, _root, _publication, _degraded
    _result, _degraded = None, False
    _rebuilt.clear()
    if _partial():
        logging.getLogger(f"{_engine(config)}.commands.build").addFilter(_quiet_dirty_warning)
    missing = [ext for ext in REQUIRED_EXTENSIONS if ext not in config.markdown_extensions]
    if missing:
        _refuse(f"mkdocs.yml: markdown_extensions: expected {', '.join(missing)}, found them missing")
    if not config.use_directory_urls:  # maps and graphs link pages by their directory URLs
        _refuse(f"{Path(config.config_file_path).name}: use_directory_urls: expected true, found false")
    lang = config.theme["language"]
    _editions, problems = editions.from_alternate(config.extra.get("alternate"), lang)
    _edition = next((e for e in _editions if e.lang == lang), None)
    if _edition is None:
        problems.append(f"extra.alternate: expected an entry for this edition's language '{lang}' (theme.language), found none")
    if problems:
        _refuse("\n".join(f"{Path(config.config_file_path).name}: {p}" for p in problems))
    assert _edition is not None
    if _edition.is_source and _command == "build":  # a preview has its own address (mkdocs serve sets it)
        _check_address(config)
    if not config.repo_url:
        config.edit_uri = None  # no repository configured: no edit link, rather than a dead one
    _root = editions.root_url(config.site_url or meta.PREVIEW_URL, _edition)
    if config.site_url and not _edition.is_source:
        config.site_url = _root + _edition.prefix  # one site_url, in mkdocs.yml; editions live below it

    project = _project(config)
    if _edition.is_source:  # before anything is built: a site without its other editions is half a site
        _others, missing = editions.other_configs(project, _editions)
        if missing:
            _refuse(f"{Path(config.config_file_path).name}: {editions.missing_config(missing[0])}")
    _pin_build_date(project)
    _publication, problems = _publication_of(config, _root, project)
    if problems:
        _refuse(meta.located(Path(config.config_file_path), problems))
    if _edition.is_source:
        _render_ahead(config, project)
    ahead = _ahead.pop(lang, None)
    rendered = _taken(ahead) if ahead and ahead[0] == _publication else None
    result = pipeline.run(project, docs_dir=project / "docs", lang=lang, publication=_publication, cache=_cache,
                          rendered=rendered)
    if _edition.is_source:
        _told.clear()
    for warning in map(str, result.warnings):  # each once per build, whichever edition found it
        if warning not in _told:
            _told.add(warning)
            log.warning(warning)
    if result.errors and _command == "serve" and _server is None:
        return _degrade(config, result)  # the preview's first build: serve the errors, not nothing
    if result.errors:
        _refuse(_summary(result), _in_source_language(result))
    assert result.catalog is not None
    config.nav = navigation(result.catalog, result.translations[lang], extra=config.nav or [])
    _redirect_aliases(config, redirects(result.catalog))
    if _partial():
        _list_theme_once(config, project)
    _result = result
    return config


@event_priority(50)  # before mkdocs-redirects collects the pages its redirects may point to
@_last_resort
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for file in [f for f in files if f.src_uri.startswith(_TEMPLATES)]:
        files.remove(file)  # the templates' translation files are in the theme folder, not for the site
    for file in [f for f in files if f.abs_src_path and not _regular(f.abs_src_path)]:
        files.remove(file)  # a link or a pipe among the pages or the theme's files (the core has refused it): never read
    if _degraded:
        return files
    assert _result is not None  # on_config stopped the build otherwise
    generated = _generator(config)
    edited = _edited_files(config)
    # The core has refused any hand-written page at a generated address (the rule address-taken, rules.py).
    _figures.clear()
    _meta.clear()
    _sources.clear()
    _chips.clear()
    for page in _result.pages:
        _figures[page.src_uri] = page.figures
        if page.tags:
            _chips[page.src_uri] = page.tags
        if page.source:
            _sources[page.src_uri] = page.source
        if page.meta:
            _meta[page.src_uri] = page.meta
        own = page.source in edited
        file = generated(page.src_uri, page.markdown, page, own)
        if not page.in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV  # reachable from its kind's index page
        files.append(file)
        for path, text in page.files.items():  # its citations as .bib and .ris
            files.append(generated(path, text, "", own))
    for path, text in _result.downloads.items():  # the open data, in the source edition only
        files.append(generated(path, text, ""))
    if _partial():
        _forget_gone_pages(config)
    return files


@_last_resort
def on_nav(nav: object, *, config: MkDocsConfig, files: Files) -> None:
    """Under --dirty, a page that is not rendered again keeps its title in the others' navigation."""
    if not _partial():
        return
    titles = _titles.get(_lang(config), {})
    for file in files.documentation_pages():
        if file.page is not None and file.src_uri in titles and not file.is_modified():
            file.page.title = titles[file.src_uri]  # type: ignore[misc]


def on_env(env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """The theme's templates are compiled once per process, not once per edition and rebuild."""
    env.bytecode_cache = _COMPILED
    return env


@_last_resort
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    faults.note(_sources.get(page.file.src_uri) or page.file.src_uri, "making its page")
    _rebuilt.add(page.url)
    _titles.setdefault(_lang(config), {})[page.file.src_uri] = page.title or ""
    if page.file.generated_by is None:
        return None  # hand-written pages are trusted like code
    if page.file.src_uri in _chips:  # Material's search indexes a page's tags from its meta, as they are,
        # and its results draw them as markup (innerHTML), like the titles and texts it escapes: so escaped
        page.meta["tags"] = [escape_html(chip.name, quote=False) for chip in _chips[page.file.src_uri]]
    return place_figures(clean_html(html), _figures.get(page.file.src_uri, {}))


@event_priority(50)  # before Material's search indexes the page (below)
@_last_resort
def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav: object) -> dict:
    assert _edition is not None and _result is not None
    alternates = editions.alternates(page.url, _edition, _editions, _root)
    translation = _result.translations.get(_edition.lang)  # missing only in a preview showing its errors
    words = translation.words["ui"] if translation else {"translation_notice": "", "translation_notice_link": "",
                                                          "language_switch": ""}
    original = next(a for a in alternates if a.lang == _source_lang())  # the source edition
    if page.file.generated_by is not None:
        page.edit_url = _edit_url(config, _sources.get(page.file.src_uri))
    context["atlante"] = {
        "meta": _meta.get(page.file.src_uri) or _hand_written_meta(page),
        "alternates": alternates,
        "source": original,
        "notice": None if _edition.is_source else {"text": words["translation_notice"], "link": words["translation_notice_link"]},
        "switch_label": words["language_switch"],
        "tags": _chips.get(page.file.src_uri, ()),  # (Material's tags plugin is not used: the tag pages are ours)
        "footer": _footer(translation),
    }
    if page.file.generated_by is not None and "data-search-exclude" in (page.content or ""):
        # Material's search parses a page's whole HTML, then drops what is marked data-search-exclude
        # (figures, citation controls, the home page's chain: most of a generated page's bytes). It
        # is handed the page without them, and the page is shown whole (overrides/partials/content.html,
        # with the attributes Material's search removes from what it shows, removed likewise).
        shown = page.content
        page.content = _SEARCH_EXCLUDED.sub("", shown)
        context["atlante"]["content"] = _SEARCH_ATTRIBUTES.sub("", shown)
    return context


# An element marked out of the search, to its first closing tag of the same name, as Material's search
# parser reads it (the templates nest no element of the same name inside one); and the attributes
# Material's search plugin removes from a page once indexed (material/plugins/search/plugin.py)
_SEARCH_EXCLUDED = re.compile(r"<(figure|section|nav)\b[^>]*\sdata-search-exclude(?=[\s>])[^>]*>.*?</\1>", re.S)
_SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")


@event_priority(-50)  # after mkdocs-redirects has written the aliases' pages
@_last_resort
def on_post_build(*, config: MkDocsConfig) -> None:
    """The source edition builds the others below its own site_dir, then compares their pages."""
    assert _edition is not None
    _rewrite_redirects(config)
    if _partial() and not _degraded:
        _whole_search_index(config)
    if not _edition.is_source:
        return
    # With warnings, a strict build goes on all the same: it fails at the end, with every warning of
    # every edition in one run (a page missing in one edition, a broken link in docs/en/)
    site = Path(config.site_dir)
    others = [(edition, path, site / edition.prefix) for edition, path in _others]
    degraded, root = _degraded, _root

    def the_others() -> None:
        for edition, path, site_dir in others:
            _build_edition(config, edition, path, site_dir, root)
        if not degraded:
            _compare_editions(site)

    if _partial() and _server is not None and not degraded:
        _later.append(the_others)  # the preview shows the edited edition first (on_serve)
        return
    the_others()


def on_serve(server, *, config: MkDocsConfig, builder) -> object:
    """The preview survives mistakes: a failed rebuild is shown on every page, not waited for."""
    global _server
    _server = server
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        # stopped by a service manager or a script: leave as on Ctrl-C, removing the preview's folders
        signal.signal(signal.SIGTERM, _interrupt)
    rebuild, answer = server.builder, server.serve_request
    project = _project(config)
    lang = _source_lang()  # the error page speaks the source edition's language
    engine_log = logging.getLogger(_engine(config))  # under a fork, the hook's "mkdocs." loggers are below it too

    unsupported = livereload.problems(server, _engine(config))
    private = not unsupported  # the server's private parts this preview uses (atlante/livereload.py)
    if unsupported:
        log.warning("The preview will not reload the browsers after its second phase, nor from its error page "
                    f"(atlante/livereload.py): {'; '.join(unsupported)}")
    last: dict[str, list[str]] = {}  # what the last failure said, by the exception's words
    background = _second_phase  # the other editions' build, while the source edition is served

    def attempt(build) -> bool:  # type: ignore[no-untyped-def]
        """Run `build`; on failure keep what the error page shows. True if it succeeded."""
        global _failure
        seen = _Collect()
        _refused.clear()
        engine_log.addHandler(seen)
        try:
            build()
        except Exception as exc:  # noqa: BLE001 -- whatever broke, the preview stays up and says what
            said = " ".join(str(exc).split()) or type(exc).__name__
            line = preview.explain(exc, project)
            log.debug("The preview's build failed", exc_info=exc)
            if line:
                log.error(line)  # collected by `seen` too
            # MkDocs logs a message once per process: a second save with the same mistake logs nothing
            found = list(_refused) or list(seen.lines) or last.get(said) or [f"(build): {said}"]
            last.clear()
            last[said] = found
            _failure = found
            log.error("The preview shows these errors on every page until they are fixed; the server is still running.")
            return False
        finally:
            engine_log.removeHandler(seen)
        return True

    def surviving() -> None:
        """First the edited entries' pages in the source edition, and the browsers reload; then, in
        the background, the rest of the source edition (indexes, neighbours, whole-site pages) and
        the other editions, and the browsers reload again."""
        global _failure, _first_phase
        for thread in background:  # one build at a time: the last edit's second phase first
            thread.join()
        background.clear()
        _later.clear()
        _deferred.clear()
        _first_phase = True
        try:
            built = attempt(rebuild)
        finally:
            _first_phase = False
        if not built:
            _later.clear()
            return
        _failure = None
        work = list(_later)
        _later.clear()
        if _deferred:
            work = [rest]
        if work:
            thread = threading.Thread(target=finish, args=(work,), name="atlante-second-phase", daemon=True)
            background.append(thread)
            thread.start()

    def rest() -> None:
        """The source edition again, every changed page now, then the other editions it queues."""
        _later.clear()
        rebuild()
        steps = list(_later)
        _later.clear()
        for step in steps:
            step()

    def finish(work: list) -> None:  # type: ignore[type-arg]
        started = time.monotonic()
        if attempt(lambda: [step() for step in work if not _stopping.is_set()]):
            log.info(f"The rest of the preview built in {time.monotonic() - started:.2f} seconds")
        if private:  # reload the browsers, unless a rebuild has begun (its end reloads them)
            livereload.reload_browsers(server)

    def serving(environ: dict, start_response):  # type: ignore[no-untyped-def]
        path = environ.get("PATH_INFO", "")
        if not _is_page(path):
            return answer(environ, start_response)
        failure = _failure
        if failure is None:
            # The server waits for a build in progress before it reads the page. If that build fails,
            # the page it read is the last good one with the failed build's epoch, and the browser would
            # never reload: so look again once it has answered (a failure is recorded before the epoch).
            said: list = []
            body = answer(environ, lambda status, headers, *rest: said.append((status, headers, *rest)))
            failure = _failure
            if failure is None:
                start_response(*said[0])
                return body
            getattr(body, "close", lambda: None)()
        page = preview.error_page(failure, lang, project)
        if private:
            page = livereload.with_reload_script(server, page)  # reloads when fixed
        start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                     ("Content-Length", str(len(page))), ("Cache-Control", "no-store")])
        return [page]

    server.builder = surviving
    server.set_app(serving)
    logging.getLogger(f"{engine_log.name}.livereload").addFilter(_requests_are_not_warnings)
    if _partial() and private:
        _watch_natively(server, project)
    return server


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _publication_of(config: MkDocsConfig, root: str, project: Path) -> tuple[meta.Publication, list[str]]:
    return meta.from_config(site_name=config.site_name, site_url=root if config.site_url else None, extra=config.extra,
                            project=project, edition_date=_edition_date(project), repo_url=config.repo_url,
                            source_lang=_source_lang())  # the source edition, first


def _edition_date(project: Path) -> object:
    """The edition's date (history.edition_date), read once per build: every edition's config asks."""
    key = (str(project), os.environ.get("SOURCE_DATE_EPOCH"))
    if _EDITION_DATE.get("key") != key:
        _EDITION_DATE.update(key=key, date=history.edition_date(project, meta.edition(project)))
    return _EDITION_DATE["date"]


_EDITION_DATE: dict[str, object] = {}


def _render_ahead(config: MkDocsConfig, project: Path) -> None:
    """`mkdocs build` on a machine of several cores: the other editions' pages are rendered in
    another process while this one builds the source edition; their builds take them (on_config).

    A fork of this process: the same files, templates and figure tokens; nothing is rendered twice
    unless it fails, and then the edition's own run renders it and says what is wrong."""
    _ahead.clear()
    _loaded.clear()
    if _command != "build" or _partial() or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return
    load_config = importlib.import_module(f"{_engine(config)}.config").load_config
    for edition, path in _others:
        try:
            other = load_config(config_file=str(path), site_dir=str(Path(config.site_dir) / edition.prefix),
                                strict=False)  # as _build_edition loads it
        except Exception:  # noqa: BLE001 - its own build will say what is wrong with it
            continue
        publication, problems = _publication_of(other, editions.root_url(other.site_url or "", edition), project)
        _loaded[path] = other  # its build takes it: loaded twice, its warnings would be said twice
        if problems:
            continue
        fork = multiprocessing.get_context("fork")
        receiver, sender = fork.Pipe(duplex=False)
        worker = fork.Process(target=_render_elsewhere, args=(sender, project, edition.lang, publication),
                              name=f"atlante-render-{edition.lang}", daemon=True)  # gone with this process
        worker.start()
        sender.close()
        _ahead[edition.lang] = (publication, worker, receiver)


def _render_elsewhere(sender, project: Path, lang: str, publication: meta.Publication) -> None:  # type: ignore[no-untyped-def]
    try:
        sender.send(pipeline.pages(project, project / "docs", lang, publication))
    except BaseException:  # noqa: BLE001 - the edition's own run renders it and says what is wrong
        sender.send(None)
    finally:
        sender.close()


def _taken(ahead: tuple) -> list | None:  # type: ignore[type-arg]
    """The pages rendered ahead, or None (rendered here then) if the other process failed."""
    _, worker, receiver = ahead
    try:
        return receiver.recv()
    except (EOFError, OSError):
        return None
    finally:
        receiver.close()
        worker.join()


_ahead: dict[str, tuple] = {}  # type: ignore[type-arg]  # by language: (publication, process, pipe) of _render_ahead
_loaded: dict[Path, MkDocsConfig] = {}  # by config file: the other editions' configs _render_ahead loaded


def on_shutdown() -> None:
    """Before the server removes its site folder: let the second phase's build in progress end (the
    builds it has not begun are dropped), so that nothing writes into the folder being removed."""
    if getattr(_thread, "nested", False):
        return
    _stopping.set()
    for thread in _second_phase:
        thread.join(timeout=120)


_second_phase: list[threading.Thread] = []  # the preview's background builds (on_serve)
_stopping = threading.Event()
_thread = threading.local()  # .nested: this thread is building another edition (_build_edition)


def _interrupt(*_: object) -> NoReturn:
    raise KeyboardInterrupt


def _refuse(message: str, lines: list[str] | None = None) -> NoReturn:
    """Stop the build with `message`; the preview's error page shows `lines` (MkDocs' log drops a
    message it has logged before, so the page cannot rely on it)."""
    _refused[:] = lines if lines is not None else message.splitlines()
    raise PluginError(message)


def _source_lang() -> str:
    """The source edition's language (extra.alternate's entry at "/"; from_alternate puts it first)."""
    return _editions[0].lang if _editions else ""


def _in_source_language(result: pipeline.Result) -> list[str]:
    """The findings, errors first, as `atlante check` says them in the brief's language: for the
    preview's error page (the terminal keeps the build's English)."""
    source = result.translations.get(_source_lang())
    words = source.words.get("cli", {}) if source else {}
    return [str(dataclasses.replace(f, message=rules.localised(f, words.get("findings") or {},
                                                                words.get("did_you_mean") or DID_YOU_MEAN)))
            for f in result.errors + result.warnings]


def _partial() -> bool:
    """Under `mkdocs serve --dirty`: only the pages an edit changed are rendered again."""
    return _command == "serve" and _dirty


def _engine(config: MkDocsConfig) -> str:
    """The package running the build: "mkdocs", or a fork's ("properdocs"), whose loggers and modules
    have its own name (it also answers to `mkdocs.` imports, so the hook imports that name)."""
    return type(config).__module__.split(".")[0]


def _project(config: MkDocsConfig) -> Path:
    """The project folder: the config's. Absolute, since `-f mkdocs.yml` gives a path relative to the
    working folder, where MkDocs' own paths (docs_dir, site_dir) are absolute."""
    return Path(config.config_file_path).absolute().parent


def _lang(config: MkDocsConfig) -> str:
    return str(config.theme["language"])


def _degrade(config: MkDocsConfig, result: pipeline.Result) -> MkDocsConfig:
    """The preview's first build found data errors: build the hand-written pages only, and let the
    server answer every page with the errors (on_serve) until they are fixed."""
    global _degraded, _failure, _result
    _degraded = True
    for finding in result.errors:
        log.error(str(finding))
    _failure = _in_source_language(result)
    log.error(f"{len(_failure)} error{'s' if len(_failure) != 1 else ''} in data/: the preview shows them on every page "
              f"until they are fixed; the server is still running.")
    _result = pipeline.Result(result.findings, translations=result.translations)
    if any(f.rule == "file-type" and f.file.startswith("overrides/") for f in result.errors):
        project = _project(config).resolve()  # a link or a pipe among the templates: Material's own, until fixed
        config.theme.dirs = [d for d in config.theme.dirs if project not in Path(d).resolve().parents]
    config.nav = list(config.nav or [])
    links = config.validation.links  # hand-written pages link to generated ones this build lacks
    links.not_found = links.anchors = links.unrecognized_links = links.absolute_links = logging.DEBUG
    config.validation.nav.not_found = logging.DEBUG
    return config


def _edited_files(config: MkDocsConfig) -> set[str]:
    """The data files whose content changed since this edition's last build (under --dirty)."""
    if not _partial() or _result is None or _result.catalog is None:
        return set()
    now = {e.file: e.digest for e in _result.catalog.entities.values()}
    before = _digests.get(_lang(config), {})
    _digests[_lang(config)] = now
    return {file for file, digest in now.items() if before.get(file) != digest}


def _generator(config: MkDocsConfig):  # type: ignore[no-untyped-def]
    """How the build gets a generated file: in memory, or (under --dirty) as a file rewritten only
    when it changes, so that MkDocs renders it again only then."""
    if not _partial():
        return lambda path, text, stamp, own=False: File.generated(config, path, content=_content(path, text))
    lang = _lang(config)
    if lang not in _page_files:
        folder = Path(tempfile.mkdtemp(prefix=f"atlante-preview-{lang}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _page_files[lang] = preview.PageFiles(folder)
    pages = _page_files[lang]
    project = _project(config)
    theme = [Path(d) for d in config.theme.dirs if project.resolve() in Path(d).resolve().parents]  # not the theme package's
    state = preview.site_state(theme + sorted(project.glob("mkdocs*.yml")),
                               skip=[project / "overrides" / "atlante"])
    if _surroundings.get(lang) != state:  # the theme or the configuration changed: every page again
        if lang in _surroundings:
            preview.remove_pages(Path(config.site_dir), skip=[e.prefix for e in _editions if not e.is_source and e.lang != lang])
        _surroundings[lang] = state
    placed = _placed.setdefault(lang, {})
    first = _first_phase and _edition is not None and _edition.is_source

    def place(path: str, text: str | bytes | cache.Later, stamp: object, own: bool = False) -> File:
        last = placed.get(path)
        same = last is not None and (last[0] == text if isinstance(text, cache.Later) else last[0] is text)
        if not same or last[1] is not stamp:  # the core kept unchanged pages as they were
            # not the edited entry's page, or a download made slowly (a figure's PNG, the PDF): the second
            # phase writes it
            if first and last is not None and (not own or isinstance(text, cache.Later)):
                _deferred.append(path)
            else:
                placed[path] = (text, stamp, str(pages.place(path, _content(path, text), repr(stamp))))
        return File.generated(config, path, abs_src_path=placed[path][2])

    return place


def _content(path: str, text: str | bytes | cache.Later) -> str | bytes:
    """A generated file's content, a slow download (cache.Later) made now."""
    faults.note(path, "making it")
    try:
        return cache.made(text)
    except Exception as exc:  # noqa: BLE001 -- (the whole brief's PDF, if WeasyPrint fails after all): said, located
        _refuse(f"{path}: expected it made, found an error: {' '.join(str(exc).split())}")


def _watch_natively(server, project: Path) -> None:  # type: ignore[no-untyped-def]
    """MkDocs polls the watched folders every half second; the system's notifications (inotify,
    through watchdog, which MkDocs already uses) report a save at once. Only changes count: a file
    merely read (the build reads them all) must not start another build. Where notifications are
    not available, the polling stays."""
    try:
        from watchdog.events import (
            DirCreatedEvent,
            DirDeletedEvent,
            DirMovedEvent,
            FileClosedEvent,
            FileCreatedEvent,
            FileDeletedEvent,
            FileModifiedEvent,
            FileMovedEvent,
            FileSystemEventHandler,
        )
        from watchdog.observers import Observer

        changes = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
                   DirCreatedEvent, DirDeletedEvent, DirMovedEvent]

        class ChangesOnly(Observer):  # type: ignore[valid-type,misc]
            def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):  # type: ignore[no-untyped-def]
                return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or changes,
                                        follow_symlink=follow_symlink)

        probe = ChangesOnly()
        probe.schedule(FileSystemEventHandler(), str(project), recursive=False)
        probe.start()
        probe.stop()
        probe.join(timeout=5)
        watched = livereload.watched(server)  # path -> how many asked for it
        for path, count in watched.items():
            for _ in range(count):
                server.unwatch(path)
        server.observer = ChangesOnly()
        for path in watched:
            server.watch(path)
    except Exception as exc:  # noqa: BLE001 -- no notifications here: MkDocs' polling goes on
        log.debug(f"File notifications unavailable ({exc}); polling for changes")


def _list_theme_once(config: MkDocsConfig, project: Path) -> None:
    """Under --dirty, the theme package's files are listed once per process, not on every rebuild
    (Material's folders hold thousands of icons); the project's own theme folder is listed afresh."""
    theme = config.theme
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.loader = _ListedOnce(env.loader.searchpath, project)  # type: ignore[union-attr]
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


class _ListedOnce(jinja2.FileSystemLoader):
    listed: dict[str, list[str]] = {}

    def __init__(self, searchpath: list[str], project: Path) -> None:
        super().__init__(searchpath)
        self.project = str(project.resolve()) + os.sep

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            if str(Path(folder).resolve()).startswith(self.project):
                names = jinja2.FileSystemLoader(folder).list_templates()
            else:
                if folder not in self.listed:  # hidden files and folders: never the site's files
                    self.listed[folder] = [n for n in jinja2.FileSystemLoader(folder).list_templates() if not n.startswith(".")]
                names = self.listed[folder]
            found.update(names)
        return sorted(found)


def _forget_gone_pages(config: MkDocsConfig) -> None:
    """Under --dirty, a generated page that is gone (its data file deleted or renamed) leaves the site."""
    assert _result is not None
    keep = {p.src_uri for p in _result.pages} | {f for p in _result.pages for f in p.files} | set(_result.downloads)
    site = Path(config.site_dir)
    for path in _page_files[_lang(config)].keep_only(keep):
        target = site / (preview.output_of(path) if path.endswith(".md") else path)
        target.unlink(missing_ok=True)
        _titles.get(_lang(config), {}).pop(path, None)
        _placed.get(_lang(config), {}).pop(path, None)


def _whole_search_index(config: MkDocsConfig) -> None:
    """Material wrote the search entries of the pages this build rendered: add the others'."""
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    written = json.loads(path.read_text(encoding="utf-8"))
    pages = {preview.output_of(f).removesuffix("index.html") for f in _titles.get(_lang(config), {})}
    by_page, whole = preview.merge_search_index(_search.get(_lang(config), {}), written, set(_rebuilt), pages)
    _search[_lang(config)] = by_page
    path.write_text(json.dumps(whole, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    search = config.plugins.get("search")
    if search is not None and hasattr(search, "search_index_prev"):
        search.search_index_prev = None  # this hook merges; Material's own merge would mix the editions


def _regular(path: str) -> bool:
    """Whether `path` is a regular file itself (not a link to one, not a pipe)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_page(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return not path.startswith("/livereload/") and (last == "" or last.endswith(".html") or "." not in last)


class _Compiled(jinja2.BytecodeCache):
    """Compiled templates kept in memory, by template; Jinja checks each against its source."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _Compiled()


class _Collect(logging.Handler):
    """The warnings and errors logged during one build, for the preview's error page."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        self.thread = threading.get_ident()  # the build's; the server logs its requests from others

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.thread == self.thread and not message.startswith(("A 'dirty' build", "Aborted with a BuildError")):
            self.lines.extend(line for line in message.splitlines() if line.strip())


def _requests_are_not_warnings(record: logging.LogRecord) -> bool:
    """The server logs a request answered with an error page (or a 404) as a warning, which a strict
    build running meanwhile would count as its own and fail on: the request log stays information."""
    if record.levelno == logging.WARNING and _REQUEST_LINE.match(record.getMessage()):
        record.levelno, record.levelname = logging.INFO, "INFO"
    return True


_REQUEST_LINE = re.compile(r'^\[[0-9:]+\] "[A-Z]+ \S* HTTP/[0-9.]+" code \d+$')


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build; the preview knows (and a strict build would stop on it)."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _edit_url(config: MkDocsConfig, source: str | None) -> str | None:
    """Where an entity page's data file is edited: repo_url + edit_uri, with the docs folder that
    edit_uri ends with replaced by the data file's path; None for a generated page of no entity."""
    if not source or not config.repo_url or config.edit_uri is None:
        return None
    docs = Path(config.docs_dir).relative_to(_project(config)).as_posix().rstrip("/") + "/"
    branch = config.edit_uri.removesuffix(docs)
    return f"{config.repo_url.rstrip('/')}/{branch.strip('/')}/{source}".replace("//data/", "/data/")


def _footer(translation: object) -> dict[str, object] | None:
    """Who publishes the site (named in the edition's language) and under which licence, for the
    footer of every page (in a preview showing its errors, where the translations may be missing:
    Material's own line)."""
    if translation is None or _publication is None:
        return None
    publisher = _publication.publisher_in(_edition.lang if _edition else _publication.source_lang)
    return {"words": translation.words["footer"], "publisher": publisher,  # type: ignore[attr-defined]
            "publisher_url": _publication.publisher_url, "licence": _publication.licence.name,
            "licence_url": _publication.licence.url}


def _hand_written_meta(page: Page) -> metadata.PageMeta:
    """The metadata of a page written by hand (docs/): its title, its description, the edition's date."""
    assert _publication is not None and _edition is not None
    description = str((page.meta or {}).get("description") or _publication.site_name)
    translation = _result.translations.get(_edition.lang) if _result else None
    return metadata.page_meta(_publication, title=str(page.title or _publication.site_name), description=description,
                              path=page.url, lang=_edition.lang, updated=_publication.date,
                              locale=str(translation.words["codes"]["open_graph"]) if translation else _edition.lang)


def _redirect_aliases(config: MkDocsConfig, maps: dict[str, str]) -> None:
    """Hand the aliases' redirects to mkdocs-redirects, beside any the config writes itself."""
    plugin = config.plugins.get("redirects")
    if plugin is None:
        if maps:
            raise PluginError(f"{Path(config.config_file_path).name}: plugins: expected 'redirects' "
                              f"(mkdocs-redirects), which turns aliases into redirects, found it missing")
        return
    plugin.config["redirect_maps"] = {**(plugin.config.get("redirect_maps") or {}), **maps}


def _rewrite_redirects(config: MkDocsConfig) -> None:
    """mkdocs-redirects writes each alias's page with a relative canonical link, in English: ours
    (render.redirect_page) gives the new address absolute, in the edition's language, not indexed."""
    if _degraded or _result is None or _result.catalog is None or _edition is None:
        return
    translation = _result.translations.get(_edition.lang)
    for old, new in redirects(_result.catalog).items():
        path = Path(config.site_dir, old.removesuffix(".md"), "index.html")
        if translation is not None and path.is_file():  # the plugin wrote it: it found no page there
            path.write_text(redirect_page(old.removesuffix(".md") + "/", new.removesuffix(".md") + "/",
                                          _root + _edition.prefix, _edition.lang, translation.words["redirect"]),
                            encoding="utf-8")


def _build_edition(config: MkDocsConfig, edition: editions.Edition, path: Path, site_dir: Path, root: str) -> None:
    """Build another edition's config with the engine running this one (MkDocs or a fork of it),
    below the source edition's address (`root`: under `mkdocs serve`, the preview's own)."""
    engine = _engine(config)
    load_config = importlib.import_module(f"{engine}.config").load_config
    build = importlib.import_module(f"{engine}.commands.build").build
    # Not strict itself: a strict source edition counts the other editions' warnings with its own (its
    # counter listens while they build) and fails once, at its end, with the sum
    other = _loaded.pop(path, None) or load_config(config_file=str(path), site_dir=str(site_dir), strict=False)
    if config.site_url:
        other.site_url = root + edition.prefix
    command, dirty = _command, _dirty
    other.plugins.on_startup(command=command, dirty=dirty)
    _thread.nested = True  # its on_shutdown is the edition's, not the server's
    try:
        build(other, dirty=_partial())
    finally:
        other.plugins.on_shutdown()
        _thread.nested = False


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

    epoch = history.commit_epoch(project)
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = _pinned = epoch  # re-read on every build under `serve`


def _check_address(config: MkDocsConfig) -> None:
    """A published build needs the site's real address and contact (meta.address_problems,
    contact_problems): a strict build stops before anything is written, naming the setting; any other
    build warns."""
    problems = meta.address_problems(config.site_url, config.repo_url, preview=False) + \
        meta.contact_problems(config.extra, preview=False)
    if not problems:
        return
    said = meta.located(Path(config.config_file_path), problems)
    if config.strict:
        _refuse(f"{said}\nNothing was built: a published site needs its own address (README, Publishing).")
    for line in said.splitlines():
        log.warning(line)


def _summary(result: pipeline.Result) -> str:
    errors = result.errors
    lines = [str(f) for f in errors]
    lines.append(f"{len(errors)} error{'s' if len(errors) != 1 else ''} in data/: nothing was built.")
    return "\n".join(lines)
