"""MkDocs adapter for the atlante core: it translates MkDocs' events into calls on one object.

That object, `BUILD` (atlante/build.py), holds the state of the process's builds; this module keeps
none of its own and uses MkDocs' public API only: the events, `File.generated`, `InclusionLevel`,
`PluginError`, `event_priority`, and the engine's `load_config` and `build` (for the other
editions). The engine is MkDocs 1.6.1 or ProperDocs, its maintained fork, which answers to `mkdocs.`
imports: where the two differ (the names of their modules and loggers), the config says which runs.

on_startup       the command (`build`, `serve`) and whether the preview renders only what changed.
on_config        runs the core (load, validate, link, render) for the config's language edition,
                 reports every finding at once and stops the build before anything is written if
                 one is an error; sets the navigation; places a non-source edition under /<lang>/;
                 hands each alias (an entity's retired id) to mkdocs-redirects.
on_files         adds each generated page and file, in memory (under `serve --dirty`, as files
                 rewritten only when they change), before mkdocs-redirects looks for its targets.
on_page_content  sanitises a generated page's HTML, then puts back its figures.
on_page_context  gives the templates the page's counterparts in every edition, its metadata, tags
                 and footer; hands Material's search the page without its figures and panels.
on_pre_build     (in another edition's process) waits until the site folder is ready for it.
on_post_build    the source edition builds every other edition into <site_dir>/<lang>/ (under
                 `mkdocs build`, in processes of their own meanwhile) and checks that every page
                 has its counterpart in every edition.
on_serve         the live preview (atlante/serving.py): a failed build is shown on every page, an
                 edit reaches the browser in two phases.

An error nobody foresaw is said in one located line, as every refusal is, and stops the build.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

from atlante.build import Build, Command, Engine, Refused

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

BUILD = Build(logging.getLogger("mkdocs.plugins.atlante"))  # the one object holding the builds' state

P = ParamSpec("P")
R = TypeVar("R")


def _guarded(event: Callable[P, R]) -> Callable[P, R]:
    """A refusal, or an error nobody foresaw, stops the build as MkDocs expects of a plugin: with a
    PluginError, whose message it says without a traceback."""

    @functools.wraps(event)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            try:
                return event(*args, **kwargs)
            except (PluginError, Refused):
                raise
            except Exception as exc:  # noqa: BLE001 -- the last resort: said, located, and the build stops
                if type(exc).__module__.split(".")[0] in ("mkdocs", "properdocs", "click"):
                    raise  # the engine's own (a configuration error, an abort): it says them itself
                config = kwargs.get("config") or next((a for a in args if hasattr(a, "config_file_path")), None)
                BUILD.unforeseen(exc, cast("MkDocsConfig | None", config))
        except Refused as refusal:
            BUILD.refused[:] = refusal.lines  # what the preview's error page shows
            raise PluginError(str(refusal)) from None

    return guarded


def _engine(config: MkDocsConfig) -> Engine:
    """The package running the build: "mkdocs", or a fork's ("properdocs"), with its public
    `load_config`, `build` and `get_toc`."""
    name = type(config).__module__.split(".")[0]
    return Engine(name, importlib.import_module(f"{name}.config").load_config,
                  importlib.import_module(f"{name}.commands.build").build,
                  importlib.import_module(f"{name}.structure.toc").get_toc)


def on_startup(*, command: Command, dirty: bool) -> None:
    BUILD.start(command, dirty)


@_guarded
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    return BUILD.configure(config, _engine(config))


@event_priority(100)  # (in another edition's process) before any other plugin's pre_build
@_guarded
def on_pre_build(*, config: MkDocsConfig) -> None:
    BUILD.pre_build()


def on_build_error(*, error: Exception) -> None:
    BUILD.abandon()


@event_priority(50)  # before mkdocs-redirects collects the pages its redirects may point to
@_guarded
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for file in [f for f in files if not BUILD.keeps(f.src_uri, f.abs_src_path)]:
        files.remove(file)
    for made in BUILD.generated(config):
        if made.abs_src_path is None:
            file = File.generated(config, made.path, content=made.content)
        else:
            file = File.generated(config, made.path, abs_src_path=made.abs_src_path)
        if not made.in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV  # reachable from its kind's index page
        files.append(file)
    return files


@_guarded
def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
    BUILD.preview.kept_titles(config, files)


def on_env(env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    return BUILD.compiled_templates(env)


@_guarded
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    return BUILD.page_content(html, page, config, _engine(config))


@event_priority(50)  # before Material's search indexes the page
@_guarded
def on_page_context(context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    return BUILD.page_context(context, page, config)


@event_priority(-50)  # after mkdocs-redirects has written the aliases' pages
@_guarded
def on_post_build(*, config: MkDocsConfig) -> None:
    if not BUILD.post_build(config, _engine(config)):
        raise Abort("Aborted with a BuildError!")  # as MkDocs ends a failed build: another edition's, which said why


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[[], None]) -> LiveReloadServer:
    return BUILD.preview.serve(server, config, _engine(config).name)


def on_shutdown() -> None:
    BUILD.preview.shutdown()
