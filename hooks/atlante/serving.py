"""The live preview (`mkdocs serve`): its state between builds (`Preview`, held by build.Build) and
what it does to the server MkDocs hands `on_serve`. Nothing here imports MkDocs.

- A failed build never leaves the server waiting: every page request answers at once with the
  located errors (preview.error_page), and the browser reloads to the site when the file is fixed.
  A first build that finds data errors builds the hand-written pages only, and serves the errors too.
- `--dirty` (`make serve`): the generated pages become files in a temporary folder, rewritten only
  when they change, so MkDocs renders only the pages an edit changed; the core keeps what it parsed
  and rendered (pipeline.Cache). A change to the theme or the configuration renders every page
  again; pages that are gone are removed; the search index and the navigation titles of the pages
  not rendered are kept whole.
- Two phases: after an edit, the edited entries' pages of the source edition are built and the
  browsers reload at once; the rest of the source edition and the other editions build in the
  background (one build at a time) and reload them again. The first build serves the source
  edition as soon as it is built, and builds the others in the background likewise.
- A figure's PNG is made when a reader asks for it, not by the builds.
- Saves are reported by the system's file notifications where available.

The server's public API (`watch`, `unwatch`, `builder`, `serve_request`, `set_app`, `observer`) is
used here; the three things it has no public way to do are in atlante/livereload.py.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar, cast

import jinja2

from . import cache, files, livereload, preview
from . import pages as registry

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page as MkDocsPage

    from .build import Build, Generated

S = TypeVar("S")  # the live-reload server
SECOND_PHASE = "atlante-second-phase"  # the thread of the background builds
Placer = Callable[[str, "str | bytes | cache.Later", object, bool], "Generated"]


class Preview:
    """What the preview keeps between the builds of the process."""

    def __init__(self, build: Build) -> None:
        self.build = build
        self.server: Any = None  # the live-reload server, once on_serve has run
        self.failure: list[str] | None = None  # why the last build failed: every page shows it until fixed
        self.page_files: dict[str, preview.PageFiles] = {}  # by language, under --dirty
        self.placed: dict[str, dict[str, tuple[object, object, str]]] = {}  # by language: path -> (text, page, file)
        self.surroundings: dict[str, str] = {}  # by language: the theme's and configuration's state at the last build
        self.titles: dict[str, dict[str, str]] = {}  # by language: each page's title at the last build
        self.search: dict[str, dict[str, str]] = {}  # by language: each page's search entries, as JSON text
        self.rebuilt: set[str] = set()  # the URLs of the pages this build rendered
        self.later: list[Callable[[], None]] = []  # under --dirty: the other editions' builds, once the source's is served
        self.first_phase = False  # a rebuild's first build: only the edited entries' pages are rendered
        self.deferred: list[str] = []  # the pages that first build left for the second
        self.digests: dict[str, dict[str, str]] = {}  # by language: data file -> digest at the last build
        self.second_phase: list[threading.Thread] = []  # the background builds
        self.stopping = threading.Event()
        # An edit saved while a background build runs: that build stops at its next page (overtaken), and
        # the edit's first phase runs at once; the stopped build's pages are rendered by the next one
        # (MkDocs converts every page before it writes any, so it wrote nothing half)
        self.overtaken = threading.Event()
        self.nested = threading.local()  # .active: this thread is building another edition (Build._build_edition)
        self.on_request: dict[str, cache.Later] = {}  # the slow downloads, by their file in the site: made when asked for

    # ---- the builds' bookkeeping ----------------------------------------------------------------

    def hurried(self) -> bool:
        """In the first phase of an edit, building the source edition: only the edited entries' pages
        are written (placer), so the core may take the rest as the last run left it (pipeline.run)."""
        edition = self.build.edition
        return self.build.partial and self.first_phase and edition is not None and edition.is_source

    def overtaking(self) -> bool:
        """True in a background build that an edit has overtaken: it should stop."""
        return self.overtaken.is_set() and threading.current_thread().name == SECOND_PHASE

    def made_on_request(self, config: MkDocsConfig, path: str, later: cache.Later) -> None:
        """A slow download of a page (a figure's PNG) is made when a reader asks for it, not
        by the build: the preview's first build at 5 000 entries would otherwise draw 10 000 figures (its
        address is not the published one, and each figure names it, so no kept PNG matches). A file left
        by an earlier build under another content is removed, so that it is made again."""
        target = os.path.normpath(os.path.join(config.site_dir, path))
        if self.on_request.get(target) != later:
            with contextlib.suppress(OSError):
                os.unlink(target)
        self.on_request[target] = later

    def _make_requested(self, root: str, mount: str, path: str) -> None:
        """If `path` (a request's) is a slow download not made yet, make it where the server will read it."""
        if not (path + "/").startswith(mount):
            return
        target = os.path.normpath(os.path.join(root, path[len(mount):].lstrip("/")))
        later = self.on_request.get(target)
        if later is None or os.path.isfile(target):
            return
        from .build import content

        try:
            data = content(os.path.relpath(target, root), later)
        except Exception as exc:  # noqa: BLE001 -- whatever failed is said; the server answers 404
            self.build.log.error(" ".join(str(exc).split()))
            return
        files.write_whole(target, data if isinstance(data, bytes) else data.encode("utf-8"))

    def rendered(self, page: MkDocsPage, config: MkDocsConfig) -> None:
        self.rebuilt.add(page.url)
        self.titles.setdefault(lang_of(config), {})[page.file.src_uri] = page.title or ""

    def kept_titles(self, config: MkDocsConfig, files: Files) -> None:
        """Under --dirty, a page that is not rendered again keeps its title in the others' navigation."""
        if not self.build.partial:
            return
        titles = self.titles.get(lang_of(config), {})
        for file in files.documentation_pages():
            if file.page is not None and file.src_uri in titles and not file.is_modified():
                file.page.title = titles[file.src_uri]

    def edited_files(self, config: MkDocsConfig) -> set[str]:
        """The data files whose content changed since this edition's last build (under --dirty)."""
        result = self.build.result
        if not self.build.partial or result is None or result.catalog is None:
            return set()
        now = {e.file: e.digest for e in result.catalog.entities.values()}
        before = self.digests.get(lang_of(config), {})
        self.digests[lang_of(config)] = now
        return {file for file, digest in now.items() if before.get(file) != digest}

    def placer(self, config: MkDocsConfig) -> Placer:
        """Under --dirty, a generated file is a file rewritten only when it changes, so that MkDocs
        renders it again only then."""
        from .build import Generated, content, project_of

        lang = lang_of(config)
        if lang not in self.page_files:
            folder = Path(tempfile.mkdtemp(prefix=f"atlante-preview-{lang}-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            self.page_files[lang] = preview.PageFiles(folder)
        pages = self.page_files[lang]
        project = project_of(config)
        theme = [Path(d) for d in config.theme.dirs if project.resolve() in Path(d).resolve().parents]  # not the package's
        state = preview.site_state(theme + sorted(project.glob("mkdocs*.yml")), skip=[project / "overrides" / "atlante"])
        if self.surroundings.get(lang) != state:  # the theme or the configuration changed: every page again
            if lang in self.surroundings:
                preview.remove_pages(Path(config.site_dir),
                                     skip=[e.prefix for e in self.build.editions if not e.is_source and e.lang != lang])
            self.surroundings[lang] = state
        placed = self.placed.setdefault(lang, {})
        first = self.hurried()

        def place(path: str, text: str | bytes | cache.Later, stamp: object, own: bool = False) -> Generated:
            last = placed.get(path)
            same = last is not None and (last[0] == text if isinstance(text, cache.Later) else last[0] is text)
            if not same or last is None or last[1] is not stamp:  # the core kept unchanged pages as they were
                # not the edited entry's page: the second phase writes it
                if first and last is not None and not own:
                    self.deferred.append(path)
                else:
                    placed[path] = (text, stamp, str(pages.place(path, content(path, text), repr(stamp))))
            return Generated(path, "", placed[path][2])

        return place

    def forget_gone_pages(self, config: MkDocsConfig) -> None:
        """Under --dirty, a generated page that is gone (its data file deleted or renamed) leaves the site."""
        result = self.build.result
        assert result is not None
        keep = {p.src_uri for p in result.pages} | {path for path, _, _ in registry.downloads(result.pages, result.downloads)}
        site = Path(config.site_dir)
        for path in self.page_files[lang_of(config)].keep_only(keep):
            target = site / (preview.output_of(path) if path.endswith(".md") else path)
            target.unlink(missing_ok=True)
            self.titles.get(lang_of(config), {}).pop(path, None)
            self.placed.get(lang_of(config), {}).pop(path, None)
        root = os.path.normpath(config.site_dir)
        kept = {os.path.normpath(os.path.join(root, path)) for path in keep}
        others = tuple(os.path.join(root, e.prefix.strip("/")) + os.sep for e in self.build.editions
                       if not e.is_source and e.lang != lang_of(config) and e.prefix.strip("/"))
        for asked in [t for t in self.on_request if t.startswith(root + os.sep) and not t.startswith(others) and t not in kept]:
            del self.on_request[asked]  # a figure of a page that is gone: no longer made when asked for,
            with contextlib.suppress(OSError):  # nor served as an earlier request made it
                os.unlink(asked)

    def whole_search_index(self, config: MkDocsConfig) -> None:
        """Material wrote the search entries of the pages this build rendered: add the others'."""
        path = Path(config.site_dir) / "search" / "search_index.json"
        if not path.is_file():
            return
        written = json.loads(path.read_text(encoding="utf-8"))
        pages = {preview.output_of(f).removesuffix("index.html") for f in self.titles.get(lang_of(config), {})}
        by_page, whole = preview.merge_search_index(self.search.get(lang_of(config), {}), written, set(self.rebuilt), pages)
        self.search[lang_of(config)] = by_page
        path.write_text(whole, encoding="utf-8")
        search = config.plugins.get("search")
        if search is not None and hasattr(search, "search_index_prev"):
            search.search_index_prev = None  # this merges; Material's own merge would mix the editions

    # ---- the server -----------------------------------------------------------------------------

    def serve(self, server: S, config: MkDocsConfig, engine: str) -> S:
        """The preview survives mistakes: a failed rebuild is shown on every page, not waited for."""
        from .build import project_of

        self.server = server
        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            # stopped by a service manager or a script: leave as on Ctrl-C, removing the preview's folders
            signal.signal(signal.SIGTERM, _interrupt)
        live: Any = server  # MkDocs' LiveReloadServer (its public API; livereload.py for the rest)
        rebuild, answer = live.builder, live.serve_request
        project = project_of(config)
        lang = self.build.source_lang  # the error page speaks the source edition's language
        engine_log = logging.getLogger(engine)  # under a fork, the hook's "mkdocs." loggers are below it too
        log = self.build.log

        unsupported = livereload.problems(server, engine)
        private = not unsupported  # the server's private parts this preview uses (atlante/livereload.py)
        if unsupported:
            log.warning("The preview will not reload the browsers after its second phase, nor from its error page "
                        f"(atlante/livereload.py): {'; '.join(unsupported)}")
        last: dict[str, list[str]] = {}  # what the last failure said, by the exception's words
        background = self.second_phase  # the other editions' build, while the source edition is served

        def attempt(build: Callable[[], object]) -> bool:
            """Run `build`; on failure keep what the error page shows. True if it succeeded."""
            seen = _Collect()
            self.build.refused.clear()
            engine_log.addHandler(seen)
            try:
                build()
            except Exception as exc:  # noqa: BLE001 -- whatever broke, the preview stays up and says what
                if self.overtaking():  # stopped on purpose (Build.configure, Build.page_content): not an error
                    log.info("The rest of the preview stopped for a newer edit; it is built after that edit")
                    return False
                said = " ".join(str(exc).split()) or type(exc).__name__
                line = preview.explain(exc, project)
                log.debug("The preview's build failed", exc_info=exc)
                if line:
                    log.error(line)  # collected by `seen` too
                # MkDocs logs a message once per process: a second save with the same mistake logs nothing
                found = list(self.build.refused) or list(seen.lines) or last.get(said) or [f"(build): {said}"]
                last.clear()
                last[said] = found
                self.failure = found
                log.error("The preview shows these errors on every page until they are fixed; the server is still running.")
                return False
            finally:
                engine_log.removeHandler(seen)
            return True

        def surviving() -> None:
            """First the edited entries' pages in the source edition, and the browsers reload; then, in
            the background, the rest of the source edition (indexes, neighbours, whole-site pages) and
            the other editions, and the browsers reload again."""
            if any(thread.is_alive() for thread in background):  # one build at a time: the background one
                self.overtaken.set()  # stops at its next page (Build.page_content asks `overtaking`)
            for thread in background:
                thread.join()
            background.clear()
            self.overtaken.clear()
            self.later.clear()
            self.deferred.clear()
            self.first_phase = True
            try:
                built = attempt(rebuild)
            finally:
                self.first_phase = False
            if not built:
                self.later.clear()
                return
            self.failure = None
            work = list(self.later)
            self.later.clear()
            if self.deferred:
                work = [rest]
            if work:
                thread = threading.Thread(target=finish, args=(work,), name=SECOND_PHASE, daemon=True)
                background.append(thread)
                thread.start()

        def rest() -> None:
            """The source edition again, every changed page now, then the other editions it queues."""
            self.later.clear()
            rebuild()
            steps = list(self.later)
            self.later.clear()
            for step in steps:
                step()

        def finish(work: list[Callable[[], None]]) -> None:
            started = time.monotonic()
            if attempt(lambda: [step() for step in work if not self.stopping.is_set()]):
                log.info(f"The rest of the preview built in {time.monotonic() - started:.2f} seconds")
            if private:  # reload the browsers, unless a rebuild has begun (its end reloads them)
                livereload.reload_browsers(server)

        def serving(environ: dict[str, Any], start_response: Callable[..., object]) -> Iterable[bytes]:
            path = environ.get("PATH_INFO", "")
            if not _is_page(path):
                self._make_requested(live.root, live.mount_path, path.encode("latin-1").decode("utf-8", "ignore"))
                answered: Iterable[bytes] = answer(environ, start_response)
                return answered
            failure = self.failure
            if failure is None:
                # The server waits for a build in progress before it reads the page. If that build fails,
                # the page it read is the last good one with the failed build's epoch, and the browser would
                # never reload: so look again once it has answered (a failure is recorded before the epoch).
                said: list[tuple[Any, ...]] = []
                body: Iterable[bytes] = answer(environ, lambda status, headers, *rest: said.append((status, headers, *rest)))
                failure = self.failure
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

        live.builder = surviving
        live.set_app(serving)
        logging.getLogger(f"{engine_log.name}.livereload").addFilter(_requests_are_not_warnings)
        # an overtaken background build stops by an error, which MkDocs says twice: not one to show
        logging.getLogger(f"{engine_log.name}.commands.build").addFilter(
            lambda record: not (self.overtaken.is_set() and record.threadName == SECOND_PHASE))
        if self.build.partial and private:
            _watch_natively(server, project, log)
        if self.later:  # the first build served the source edition; the others build while it is read
            log.info("The other editions are built in the background; their pages answer once built")
            work = list(self.later)
            self.later.clear()
            thread = threading.Thread(target=finish, args=(work,), name=SECOND_PHASE, daemon=True)
            background.append(thread)
            thread.start()
        return server

    def shutdown(self) -> None:
        """Before the server removes its site folder: let the second phase's build in progress end (the
        builds it has not begun are dropped), so that nothing writes into the folder being removed."""
        if getattr(self.nested, "active", False):
            return
        self.stopping.set()
        for thread in self.second_phase:
            thread.join(timeout=120)


def quiet_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build; the preview knows (and a strict build would stop on it)."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def list_theme_once(config: MkDocsConfig, project: Path) -> None:
    """Under --dirty, the theme package's files are listed once per process, not on every rebuild
    (Material's folders hold thousands of icons); the project's own theme folder is listed afresh."""
    theme = config.theme
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.loader = _ListedOnce(cast(jinja2.FileSystemLoader, env.loader).searchpath, project)  # (MkDocs' Theme makes one)
        return env

    theme.get_env = get_env  # type: ignore[method-assign]  # (Theme builds its environment in this public method)


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


def _watch_natively(server: Any, project: Path, log: logging.Logger) -> None:
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

        class ChangesOnly(Observer):  # type: ignore[valid-type,misc]  # watchdog's Observer is the platform's class, chosen at import
            def schedule(self, event_handler: FileSystemEventHandler, path: str | Path, *, recursive: bool = False,
                         event_filter: list[type[Any]] | None = None, follow_symlink: bool = False) -> Any:
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


def _is_page(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return not path.startswith("/livereload/") and (last == "" or last.endswith(".html") or "." not in last)


def _interrupt(*_: object) -> NoReturn:
    raise KeyboardInterrupt


def lang_of(config: MkDocsConfig) -> str:
    """The edition a config builds: its theme's language."""
    return str(config.theme["language"])
