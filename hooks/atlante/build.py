"""The state of a process's builds, and what each MkDocs event does with it: one object (`Build`).

The MkDocs adapter (hooks/atlante_hooks.py) only translates events into calls on one `Build`; this
module imports nothing from MkDocs. It reads the configuration's documented settings and the pages'
public attributes (MkDocs' `Config`, `Page`, `File`, passed in by the adapter) and hands back plain
values: the generated files as `Generated` (the adapter makes MkDocs' `File`s of them), a refusal
as `Refused` (the adapter raises MkDocs' `PluginError`).

One config per language edition: mkdocs.yml builds the source edition at the site root,
mkdocs.<lang>.yml INHERITs it and builds the <lang> edition at /<lang>/. Editions are listed once,
in mkdocs.yml's `extra.alternate`. The source edition's build builds the other editions below its
own site folder, so one `mkdocs build` or `mkdocs serve` gives the whole site; on a machine of two
cores or more, `mkdocs build` builds each of them in a process of its own meanwhile (`_build_others_ahead`).

Builds are dated by the last commit (SOURCE_DATE_EPOCH) unless the caller sets a date. The adapter
is loaded once and serves every config of the process: state that belongs to one edition is kept by
language; the rest is renewed in `configure`. The live preview's own state is `Build.preview`
(atlante/serving.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing
import multiprocessing.connection
import os
import re
from collections.abc import Callable
from datetime import date
from html import escape as escape_html
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, NoReturn, TypeVar

import jinja2
import jinja2.bccache

from . import cache, editions, faults, files, history, i18n, meta, metadata, pipeline, rules, serving
from . import pages as registry
from .messages import DID_YOU_MEAN
from .model import Stopped
from .render import REQUIRED_EXTENSIONS, Page, navigation, place_figures, redirect_page
from .sanitize import clean_html

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page as MkDocsPage

Command = Literal["build", "gh-deploy", "serve"]  # MkDocs' commands, as on_startup names them
T = TypeVar("T")
OVERTAKEN = "(preview): stopped for a newer edit"  # a background build of the preview, overtaken by an edit
TEMPLATES = "atlante/"  # overrides/atlante/: the core's templates and translation files, not the site's pages


class Refused(Exception):
    """The build stops, saying `message`; the preview's error page shows `lines` (MkDocs' log drops a
    message it has logged before, so the page cannot rely on the log)."""

    def __init__(self, message: str, lines: list[str] | None = None) -> None:
        super().__init__(message)
        self.lines = lines if lines is not None else message.splitlines()


@dataclasses.dataclass(frozen=True)
class Generated:
    """A generated file for the adapter to hand MkDocs: its text, or (under --dirty) the file holding it."""

    path: str
    content: str | bytes = ""  # (none where abs_src_path holds it)
    abs_src_path: str | None = None
    in_nav: bool = True


class Engine(NamedTuple):
    """What the build needs of the engine running it (MkDocs or ProperDocs), given by the adapter."""

    name: str  # "mkdocs" or a fork's ("properdocs"): its loggers have that name
    load_config: Callable[..., MkDocsConfig]
    build: Callable[..., None]
    get_toc: Callable[[list[Any]], Any]  # a page's table of contents from Python-Markdown's toc tokens


class Build:
    """Everything the builds of one process keep: the core's result for the edition being built, the
    editions, the other editions' builds under way, the compiled templates and (under `serve`) the preview."""

    def __init__(self, log: logging.Logger) -> None:
        self.log = log
        self.command: Command = "build"  # on_startup's: "serve" under `mkdocs serve`
        self.dirty = False  # `mkdocs serve --dirty`: only the pages an edit changed are rendered again
        self.result: pipeline.Result | None = None
        self.publication: meta.Publication | None = None
        self.pages: dict[str, Page] = {}  # src_uri -> the generated page (its metadata, figures, tags, source)
        self.edition: editions.Edition | None = None
        self.editions: list[editions.Edition] = []
        self.others: list[tuple[editions.Edition, Path]] = []  # the other editions and their config files
        self.root = ""
        self.pinned: str | None = None  # the SOURCE_DATE_EPOCH this module set (not the caller's)
        self.told: set[str] = set()  # the data warnings this build has logged (the other editions find them again)
        self.degraded = False  # this build found data errors under serve: hand-written pages only
        self.refused: list[str] = []  # the findings of a build that `configure` stopped
        self.cache = pipeline.Cache()  # what the core parsed and rendered, by file and page
        self.compiled = _Compiled()
        self.edition_dates: dict[tuple[str, str | None], date | None] = {}
        self.ahead: list[_Elsewhere] = []  # the other editions' builds, in processes of their own
        self.wait: Connection | None = None  # in such a process: the word that the site folder is ready
        self.preview = serving.Preview(self)

    # ---- events ---------------------------------------------------------------------------------

    def refuse(self, message: str, lines: list[str] | None = None) -> NoReturn:
        refusal = Refused(message, lines)
        self.refused[:] = refusal.lines
        raise refusal

    def unforeseen(self, exc: Exception, config: MkDocsConfig | None) -> NoReturn:
        """An error nobody foresaw, in an event: one located line (faults.said) that stops the build
        cleanly, as every refusal does, instead of a traceback; the preview shows it on every page."""
        self.log.debug("Unforeseen error", exc_info=exc)
        self.refuse(faults.said(exc, project_of(config) if config is not None else None))

    def start(self, command: Command, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

    @property
    def partial(self) -> bool:
        """Under `mkdocs serve --dirty`: only the pages an edit changed are rendered again."""
        return self.command == "serve" and self.dirty

    @property
    def source_lang(self) -> str:
        """The source edition's language (extra.alternate's entry at "/"; from_alternate puts it first)."""
        return self.editions[0].lang if self.editions else ""

    def configure(self, config: MkDocsConfig, engine: Engine) -> MkDocsConfig:
        """Run the core for the config's edition: every finding at once, and the build stops before
        anything is written if one is an error; the navigation, the site's address below the source
        edition's, the aliases' redirects."""
        self.result, self.degraded = None, False
        self.preview.rebuilt.clear()
        if self.partial:
            logging.getLogger(f"{engine.name}.commands.build").addFilter(serving.quiet_dirty_warning)
        name = Path(config.config_file_path).name
        missing = [ext for ext in REQUIRED_EXTENSIONS if ext not in config.markdown_extensions]
        if missing:
            self.refuse(f"mkdocs.yml: markdown_extensions: expected {', '.join(missing)}, found them missing")
        if not config.use_directory_urls:  # maps and graphs link pages by their directory URLs
            self.refuse(f"{name}: use_directory_urls: expected true, found false")
        lang = serving.lang_of(config)
        self.editions, problems = editions.from_alternate(config.extra.get("alternate"), lang)
        edition = self.edition = next((e for e in self.editions if e.lang == lang), None)
        if edition is None:
            problems.append(f"extra.alternate: expected an entry for this edition's language '{lang}' (theme.language), "
                            "found none")
        if problems or edition is None:
            self.refuse("\n".join(f"{name}: {p}" for p in problems))
        if edition.is_source and self.command == "build":  # a preview has its own address (mkdocs serve sets it)
            self._check_address(config)
        if not config.repo_url:
            config.edit_uri = None  # no repository configured: no edit link, rather than a dead one
        self.root = editions.root_url(config.site_url or meta.PREVIEW_URL, edition)
        if config.site_url and not edition.is_source:
            config.site_url = self.root + edition.prefix  # one site_url, in mkdocs.yml; editions live below it

        project = project_of(config)
        if edition.is_source:  # before anything is built: a site without its other editions is half a site
            self.others, absent = editions.other_configs(project, self.editions)
            if absent:
                self.refuse(f"{name}: {editions.missing_config(absent[0])}")
        self._pin_build_date(project)
        self.publication, problems = self._publication_of(config, self.root, project)
        if problems:
            self.refuse(meta.located(Path(config.config_file_path), problems))
        if edition.is_source:  # before the core runs: a fork of a process that has started citeproc-js would share it
            self._build_others_ahead(config, engine)
        try:
            result = pipeline.run(project, docs_dir=project / "docs", lang=lang, publication=self.publication, cache=self.cache,
                                  hurried=self.preview.hurried(), stop=self.preview.overtaking if self.partial else None)
        except Stopped:
            raise Refused(OVERTAKEN) from None
        if edition.is_source:
            self.told.clear()
        for warning in map(str, result.warnings):  # each once per build, whichever edition found it
            if warning not in self.told:
                self.told.add(warning)
                self.log.warning(warning)
        if result.errors and self.command == "serve" and self.preview.server is None:
            return self._degrade(config, result)  # the preview's first build: serve the errors, not nothing
        if result.errors:
            self.refuse(_summary(result), self.in_source_language(result))
        assert result.catalog is not None
        config.nav = navigation(result.catalog, result.translations[lang], extra=config.nav or [])
        self._redirect_aliases(config, registry.redirects(result.catalog))
        if self.partial:
            serving.list_theme_once(config, project)
        self.result = result
        return config

    def pre_build(self) -> None:
        """In another edition's process (_build_others_ahead): wait until the source edition's build has
        emptied the site folder, which MkDocs does after this event, before writing into it."""
        wait, self.wait = self.wait, None
        if wait is not None:  # the word, or the source edition's process gone: then this one stops too
            parent = multiprocessing.parent_process()
            ready = multiprocessing.connection.wait([wait, *([parent.sentinel] if parent else [])])
            if wait not in ready or not wait.recv():
                raise Refused("(build): expected the source edition's build to go on, found it stopped")

    def keeps(self, src_uri: str, abs_src_path: str | None) -> bool:
        """Whether a file MkDocs found stays: not the templates' translation files (in the theme folder,
        not for the site), nor a link or a pipe among the pages (the core has refused it: never read)."""
        return not src_uri.startswith(TEMPLATES) and not (abs_src_path and not files.is_regular(abs_src_path))

    def generated(self, config: MkDocsConfig) -> list[Generated]:
        """The generated pages and files of this edition, in memory (under --dirty, as files rewritten
        only when they change). The core has refused any hand-written page at a generated address."""
        for other in self.ahead:  # MkDocs has emptied the site folder (before on_files): they may write
            with contextlib.suppress(OSError):  # (one that has stopped already says why in post_build)
                other.go.send(True)
            other.go.close()
        if self.degraded:
            return []
        assert self.result is not None  # configure stopped the build otherwise
        place = self.preview.placer(config) if self.partial else _in_memory
        edited = self.preview.edited_files(config)
        self.pages = {page.src_uri: page for page in self.result.pages}
        made = [dataclasses.replace(place(page.src_uri, page.markdown, page, page.source in edited), in_nav=page.in_nav)
                for page in self.result.pages]
        for path, content, owner in registry.downloads(self.result.pages, self.result.downloads):
            if self.command == "serve" and isinstance(content, cache.Later) and not content.linked:
                self.preview.made_on_request(config, path, content)  # a figure's PNG: made when asked for
            else:
                made.append(place(path, content, "", owner is not None and owner.source in edited))
        if self.partial:
            self.preview.forget_gone_pages(config)
        if self.preview.hurried():  # an edit's first phase: what it leaves for the second is not handed to
            # the engine at all (it would only look at their dates: a tenth of the phase at 1 000 entries),
            # but the pages the navigation lists, which every written page shows
            left = set(self.preview.deferred) - {page.src_uri for page in self.result.pages if page.in_nav}
            made = [m for m in made if m.path not in left]
        return made

    def page_content(self, html: str, page: MkDocsPage, config: MkDocsConfig, engine: Engine) -> str | None:
        """A generated page's HTML sanitised (Markdown fields may carry HTML), then its figures put back
        (SVG from the templates, which the sanitiser refuses); an entity page's tags for Material's search."""
        if self.preview.overtaking():  # a background build of the preview, overtaken by an edit: it stops
            raise Refused(OVERTAKEN)  # (the preview says so, not as an error)
        made = self.pages.get(page.file.src_uri)
        faults.note((made.source if made else None) or page.file.src_uri, "making its page")
        self.preview.rendered(page, config)
        if page.file.generated_by is None:
            return None  # hand-written pages are trusted like code
        if made is not None and made.tags:  # Material's search indexes a page's tags from its meta, as they
            # are, and its results draw them as markup (innerHTML), like the titles and texts it escapes: so escaped
            page.meta["tags"] = [escape_html(chip.name, quote=False) for chip in made.tags]
        if made is not None and made.html is not None:  # written as HTML by its template: in place of the
            page.toc = engine.get_toc(made.toc)  # engine's conversion of its title (htmlpage.py), with its
            page.present_anchor_ids = set(made.anchors)  # contents and the ids links to it may name
            return made.html
        shown = place_figures(clean_html(html), made.figures if made else {})
        if made is not None and self.command != "serve":  # put back once: a build keeps no page for the next
            made.figures.clear()  # (MkDocs converts every page before it writes one: 140 MB at 5 000 entries)
        return shown

    def page_context(self, context: dict[str, Any], page: MkDocsPage, config: MkDocsConfig) -> dict[str, Any]:
        """The templates' `atlante`: the page's counterparts in every edition (switch, hreflang), in a
        translated edition the link to the original, its metadata, its tags (chips), the footer."""
        assert self.edition is not None and self.result is not None
        edition = self.edition
        alternates = editions.alternates(page.url, edition, self.editions, self.root, self._paths())
        translation = self.result.translations.get(edition.lang)  # missing only in a preview showing its errors
        words = translation.words["ui"] if translation else {"translation_notice": "", "translation_notice_link": "",
                                                              "language_switch": ""}
        made = self.pages.get(page.file.src_uri) if page.file.generated_by is not None else None
        if page.file.generated_by is not None:
            page.edit_url = self._edit_url(config, made.source if made else None)
        atlante: dict[str, Any] = {
            "meta": (made.meta if made else None) or self._hand_written_meta(page),
            "alternates": alternates,
            "source": next(a for a in alternates if a.lang == self.source_lang),  # the original
            "notice": None if edition.is_source else {"text": words["translation_notice"],
                                                      "link": words["translation_notice_link"]},
            "switch_label": words["language_switch"],
            "tags": made.tags if made else (),  # (Material's tags plugin is not used: the tag pages are ours)
            "footer": self._footer(translation),
        }
        context["atlante"] = atlante
        if page.file.generated_by is not None and "data-search-exclude" in (page.content or ""):
            # Material's search parses a page's whole HTML, then drops what is marked data-search-exclude
            # (figures, citation controls, the home page's chain: most of a generated page's bytes). It is
            # handed the page without them, and the page is shown whole (overrides/partials/content.html,
            # with the attributes Material's search removes from what it shows, removed likewise).
            shown = page.content or ""
            page.content = _SEARCH_EXCLUDED.sub("", shown)
            atlante["content"] = _SEARCH_ATTRIBUTES.sub("", shown)
        return context

    def post_build(self, config: MkDocsConfig, engine: Engine) -> bool:
        """The aliases' pages in the edition's words; the source edition builds the others below its
        own site_dir (or waits for their processes), then compares their pages. False if another
        edition's build failed (it has said why)."""
        assert self.edition is not None
        self._rewrite_redirects(config)
        if self.partial and not self.degraded:
            self.preview.whole_search_index(config)
        if not self.edition.is_source:
            return True
        if self.ahead:
            built = all([self._joined(other) for other in self.ahead])  # each one's words, even after a failure
            self.ahead.clear()
            if built:
                self._compare_editions(Path(config.site_dir))
            return built
        # With warnings, a strict build goes on all the same: it fails at the end, with every warning of
        # every edition in one run (a page missing in one edition, a broken link in docs/en/)
        site = Path(config.site_dir)
        others = [(edition, path, site / edition.prefix) for edition, path in self.others]
        degraded, root = self.degraded, self.root

        def the_others() -> None:
            for edition, path, site_dir in others:
                self._build_edition(config, engine, edition, path, site_dir, root)
            if not degraded:
                self._compare_editions(site)

        if self.partial and not degraded:  # the preview serves this edition first (on its first build too)
            self.preview.later.append(the_others)
            return True
        the_others()
        return True

    def abandon(self) -> None:
        """The source edition's build failed: the other editions' processes stop (their builds would
        write below a site that is not there)."""
        for other in self.ahead:
            other.go.close()
            other.said.close()
            other.worker.terminate()
            other.worker.join()
        self.ahead.clear()

    def in_source_language(self, result: pipeline.Result) -> list[str]:
        """The findings, errors first, as `atlante check` says them in the brief's language: for the
        preview's error page (the terminal keeps the build's English)."""
        source = result.translations.get(self.source_lang)
        words = source.words.get("cli", {}) if source else {}
        return [str(dataclasses.replace(f, message=rules.localised(f, words.get("findings") or {},
                                                                    words.get("did_you_mean") or DID_YOU_MEAN)))
                for f in result.errors + result.warnings]

    # ---- helpers --------------------------------------------------------------------------------

    def _degrade(self, config: MkDocsConfig, result: pipeline.Result) -> MkDocsConfig:
        """The preview's first build found data errors: build the hand-written pages only, and let the
        server answer every page with the errors (serving.Preview) until they are fixed."""
        self.degraded = True
        for finding in result.errors:
            self.log.error(str(finding))
        failure = self.preview.failure = self.in_source_language(result)
        self.log.error(f"{len(failure)} error{'s' if len(failure) != 1 else ''} in data/: the preview shows them on "
                       f"every page until they are fixed; the server is still running.")
        self.result = pipeline.Result(result.findings, translations=result.translations)
        if any(f.rule == "file-type" and f.file.startswith("overrides/") for f in result.errors):
            project = project_of(config).resolve()  # a link or a pipe among the templates: Material's own, until fixed
            config.theme.dirs = [d for d in config.theme.dirs if project not in Path(d).resolve().parents]
        config.nav = list(config.nav or [])
        links = config.validation.links  # hand-written pages link to generated ones this build lacks
        links.not_found = links.anchors = links.unrecognized_links = links.absolute_links = logging.DEBUG
        config.validation.nav.not_found = logging.DEBUG
        return config

    def _publication_of(self, config: MkDocsConfig, root: str, project: Path) -> tuple[meta.Publication, list[str]]:
        return meta.from_config(site_name=config.site_name, site_url=root if config.site_url else None,
                                extra=dict(config.extra), project=project, edition_date=self._edition_date(project),
                                repo_url=config.repo_url, source_lang=self.source_lang)  # the source edition, first

    def _edition_date(self, project: Path) -> date | None:
        """The edition's date (history.edition_date), read once per build: every edition's config asks."""
        key = (str(project), os.environ.get("SOURCE_DATE_EPOCH"))
        if key not in self.edition_dates:
            self.edition_dates = {key: history.edition_date(project, meta.edition(project))}
        return self.edition_dates[key]

    def _pin_build_date(self, project: Path) -> None:
        """Date the build by the last commit, so that two builds of a commit are byte-identical. MkDocs
        dates the sitemap and its gzip header from SOURCE_DATE_EPOCH when it is set; a value given by
        the caller wins."""
        if "SOURCE_DATE_EPOCH" in os.environ and os.environ["SOURCE_DATE_EPOCH"] != self.pinned:
            return  # the caller's value
        epoch = history.commit_epoch(project)
        if epoch is not None:
            os.environ["SOURCE_DATE_EPOCH"] = self.pinned = epoch  # read again on every build under `serve`

    def _check_address(self, config: MkDocsConfig) -> None:
        """A published build needs the site's real address and contact (meta.address_problems,
        contact_problems): a strict build stops before anything is written, naming the setting; any
        other build warns."""
        problems = meta.address_problems(config.site_url, config.repo_url, preview=False) + \
            meta.contact_problems(dict(config.extra), preview=False)
        if not problems:
            return
        said = meta.located(Path(config.config_file_path), problems)
        if config.strict:
            self.refuse(f"{said}\nNothing was built: a published site needs its own address (README, Publishing).")
        for line in said.splitlines():
            self.log.warning(line)

    def _build_others_ahead(self, config: MkDocsConfig, engine: Engine) -> None:
        """`mkdocs build` on a machine of two cores or more: each other edition is built whole (rendered,
        converted, written) in a fork of this process while this one builds the source edition. It
        writes into the site folder once this build has emptied it (`pre_build` waits for the word,
        given in `generated`); its warnings and errors are said here, at the end (`_joined`), where a
        strict build counts them as its own, as when the editions are built one after the other."""
        self.ahead.clear()
        if self.command != "build" or self.partial or (os.cpu_count() or 1) < 2 \
                or "fork" not in multiprocessing.get_all_start_methods():
            return
        fork = multiprocessing.get_context("fork")
        site = Path(config.site_dir)
        for edition, path in self.others:
            go_out, go_in = fork.Pipe(duplex=False)
            said_out, said_in = fork.Pipe(duplex=False)
            worker = fork.Process(target=self._elsewhere, args=(config, engine, edition, path, site / edition.prefix,
                                                                self.root, go_out, said_in, (go_in, said_out)),
                                  name=f"atlante-edition-{edition.lang}", daemon=True)  # gone with this process
            worker.start()
            go_out.close()
            said_in.close()
            self.ahead.append(_Elsewhere(edition, worker, go_in, said_out))

    def _elsewhere(self, config: MkDocsConfig, engine: Engine, edition: editions.Edition, path: Path, site_dir: Path,
                   root: str, go: Connection, said: Connection, theirs: tuple[Connection, ...]) -> None:
        """In the fork: build `edition`, keeping the warnings and errors logged meanwhile to be said by
        the source edition's process (the lesser lines are printed here, as they come)."""
        for end in theirs:  # the parent's ends of the two pipes, and the other editions' (self.ahead)
            end.close()
        for other in self.ahead:
            other.go.close()
            other.said.close()
        self.ahead, self.wait = [], go
        engine_log = logging.getLogger(engine.name)
        kept = _Kept()
        for handler in engine_log.handlers:
            handler.addFilter(_below_warnings)
        engine_log.addHandler(kept)
        built = True
        try:
            self._build_edition(config, engine, edition, path, site_dir, root)
        except BaseException as exc:  # noqa: BLE001 - said in the other process: the build stops there
            built = False
            if not any(level >= logging.ERROR for _, level, _ in kept.lines):  # MkDocs said nothing of it
                kept.lines.append((self.log.name, logging.ERROR, faults.said(exc, project_of(config))))
        finally:
            said.send((built, kept.lines))
            said.close()

    def _joined(self, other: _Elsewhere) -> bool:
        """Wait for another edition's process; say what it logged (its data warnings were said already,
        by this edition's run); whether it built."""
        try:
            built, lines = other.said.recv()
        except (EOFError, OSError):
            built, lines = False, None
        finally:
            other.said.close()
            other.worker.join()
        if lines is None:
            lines = [(self.log.name, logging.ERROR, f"{other.edition.lang}: (build): expected the edition built, found "
                      f"its process ended (exit code {other.worker.exitcode})")]
        for name, level, message in lines:
            if not (level == logging.WARNING and message in self.told):
                self.told.add(message)
                logging.getLogger(name).log(level, message)
        return bool(built)

    def _build_edition(self, config: MkDocsConfig, engine: Engine, edition: editions.Edition, path: Path,
                       site_dir: Path, root: str) -> None:
        """Build another edition's config with the engine running this one, below the source edition's
        address (`root`: under `mkdocs serve`, the preview's own)."""
        # Not strict itself: a strict source edition counts the other editions' warnings with its own (its
        # counter listens while they build) and fails once, at its end, with the sum
        other = engine.load_config(config_file=str(path), site_dir=str(site_dir), strict=False)
        if config.site_url:
            other.site_url = root + edition.prefix
        other.plugins.on_startup(command=self.command, dirty=self.dirty)
        self.preview.nested.active = True  # its on_shutdown is the edition's, not the server's
        try:
            engine.build(other, dirty=self.partial)
        finally:
            other.plugins.on_shutdown()
            self.preview.nested.active = False

    def _compare_editions(self, site: Path) -> None:
        """Every page exists in every edition: a page missing its counterpart is a warning. A site page
        named in each language (`paths:` of the translation files) is compared with its counterparts at
        their own addresses (/dati/ with /en/data/); a redirect's page is no page."""
        others = [e.prefix for e in self.editions if not e.is_source]
        paths, source = self._paths(), self.source_lang

        def pages(base: Path, skip: list[str]) -> set[str]:
            found = (p.parent.relative_to(base).as_posix() for p in base.rglob("index.html")
                     if not _is_redirect(p))
            urls = ("" if url == "." else url + "/" for url in found)
            return {url for url in urls if not url.startswith(tuple(skip))}

        langs = {e.prefix: e.lang for e in self.editions}
        editions_pages = {prefix: {editions.counterpart(url, langs[prefix], source, paths): url  # as the source names it
                                   for url in pages(site / prefix, others if not prefix else [])}
                          for prefix in ("", *others)}
        every = set().union(*editions_pages.values())
        for prefix, have in editions_pages.items():
            for missing in sorted(every - set(have)):
                here = editions.counterpart(missing, source, langs[prefix], paths)
                self.log.warning(f"/{prefix}{here}: expected this page too (its counterpart exists in another "
                                 f"edition), found none: add it to docs/{prefix or '(the source pages)'}")

    def _paths(self) -> dict[str, dict[str, str]]:
        """Each edition's site pages' paths, from the translation files (i18n.page_paths)."""
        return i18n.page_paths(self.result.translations) if self.result is not None else {}

    def _redirect_aliases(self, config: MkDocsConfig, maps: dict[str, str]) -> None:
        """Hand the aliases' redirects to mkdocs-redirects, beside any the config writes itself."""
        plugin = config.plugins.get("redirects")
        if plugin is None:
            if maps:
                self.refuse(f"{Path(config.config_file_path).name}: plugins: expected 'redirects' (mkdocs-redirects), "
                            f"which turns aliases into redirects, found it missing")
            return
        plugin.config["redirect_maps"] = {**(plugin.config.get("redirect_maps") or {}), **maps}

    def _rewrite_redirects(self, config: MkDocsConfig) -> None:
        """mkdocs-redirects writes each redirect's page (an alias's, and each retired path the edition's
        config lists under its redirect_maps, such as a site page's address before it was named in the
        edition's language) with a relative canonical link, in English: ours (render.redirect_page)
        gives the new address absolute, in the edition's language, not indexed."""
        result, edition = self.result, self.edition
        if self.degraded or result is None or result.catalog is None or edition is None:
            return
        translation = result.translations.get(edition.lang)
        plugin = config.plugins.get("redirects")
        maps = {**((plugin.config.get("redirect_maps") or {}) if plugin is not None else {}),
                **registry.redirects(result.catalog)}
        for old, new in maps.items():
            if not (isinstance(old, str) and isinstance(new, str) and old.endswith(".md") and new.endswith(".md")) \
                    or "://" in new:
                continue  # an address elsewhere, or a file: the plugin's page as it wrote it
            old, new = _page_of(old), _page_of(new)
            path = Path(config.site_dir, old.removesuffix(".md"), "index.html")
            if translation is not None and path.is_file():  # the plugin wrote it: it found no page there
                path.write_text(redirect_page(old.removesuffix(".md") + "/", new.removesuffix(".md") + "/",
                                              self.root + edition.prefix, edition.lang, translation.words["redirect"]),
                                encoding="utf-8")

    def _edit_url(self, config: MkDocsConfig, source: str | None) -> str | None:
        """Where an entity page's data file is edited: repo_url + edit_uri, with the docs folder that
        edit_uri ends with replaced by the data file's path; None for a generated page of no entity."""
        if not source or not config.repo_url or config.edit_uri is None:
            return None
        docs = Path(config.docs_dir).relative_to(project_of(config)).as_posix().rstrip("/") + "/"
        branch = config.edit_uri.removesuffix(docs)
        return f"{config.repo_url.rstrip('/')}/{branch.strip('/')}/{source}".replace("//data/", "/data/")

    def _footer(self, translation: Any) -> dict[str, object] | None:
        """Who publishes the site (named in the edition's language) and under which licence, for the
        footer of every page (in a preview showing its errors, where the translations may be missing:
        Material's own line)."""
        publication = self.publication
        if translation is None or publication is None:
            return None
        publisher = publication.publisher_in(self.edition.lang if self.edition else publication.source_lang)
        return {"words": translation.words["footer"], "publisher": publisher, "publisher_url": publication.publisher_url,
                "licence": publication.licence.name, "licence_url": publication.licence.url}

    def _hand_written_meta(self, page: MkDocsPage) -> metadata.PageMeta:
        """The metadata of a page written by hand (docs/): its title, its description, the edition's date."""
        assert self.publication is not None and self.edition is not None
        publication, lang = self.publication, self.edition.lang
        description = str((page.meta or {}).get("description") or publication.site_name)
        translation = self.result.translations.get(lang) if self.result else None
        return metadata.page_meta(publication, title=str(page.title or publication.site_name), description=description,
                                  path=page.url, lang=lang, updated=publication.date,
                                  locale=str(translation.words["codes"]["open_graph"]) if translation else lang)

    def compiled_templates(self, env: jinja2.Environment) -> jinja2.Environment:
        """The theme's templates compiled once per process, not once per edition and rebuild."""
        env.bytecode_cache = self.compiled
        return env


def _page_of(src: str) -> str:
    """A redirect's source path as the page it is served as: "data/index.md" is "data.md"."""
    return src.removesuffix("index.md").rstrip("/") + ".md" if src.endswith("index.md") and src != "index.md" else src


def _is_redirect(page: Path) -> bool:
    """Whether a built index.html is a redirect's page (mkdocs-redirects', or ours: render.redirect_page)."""
    with page.open("rb") as file:
        head = file.read(1024)
    return b'http-equiv="refresh"' in head and b'name="robots" content="noindex"' in head \
        or b"<title>Redirecting...</title>" in head


def project_of(config: MkDocsConfig) -> Path:
    """The project folder: the config's. Absolute, since `-f mkdocs.yml` gives a path relative to the
    working folder, where MkDocs' own paths (docs_dir, site_dir) are absolute."""
    return Path(config.config_file_path).absolute().parent


def content(path: str, text: str | bytes | cache.Later) -> str | bytes:
    """A generated file's content, a slow download (cache.Later) made now."""
    return _making(path, lambda: cache.made(text))


def _making(path: str, make: Callable[[], T]) -> T:
    faults.note(path, "making it")
    try:
        return make()
    except Exception as exc:  # noqa: BLE001 -- (the whole brief's PDF, if WeasyPrint fails after all): said, located
        raise Refused(f"{path}: expected it made, found an error: {' '.join(str(exc).split())}") from None


def _in_memory(path: str, text: str | bytes | cache.Later, stamp: object, own: bool) -> Generated:
    """A generated file in memory; a slow download (a figure's PNG, the PDF) as the file that keeps it,
    which the engine copies (at 5 000 entries the PNGs alone were 450 MB of each build's memory)."""
    kept = _making(path, text.file) if isinstance(text, cache.Later) else None
    if kept is not None:
        return Generated(path, abs_src_path=str(kept))
    return Generated(path, content(path, text))


class _Elsewhere(NamedTuple):
    """Another edition's build in a process of its own (Build._build_others_ahead)."""

    edition: editions.Edition
    worker: Any  # multiprocessing's Process
    go: Connection  # the word that the site folder is ready
    said: Connection  # what it logged, and whether it built


class _Kept(logging.Handler):
    """The warnings and errors of another edition's build, kept to be said by the source edition's process."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.name, record.levelno, record.getMessage()))


def _below_warnings(record: logging.LogRecord) -> bool:
    return record.levelno < logging.WARNING


def _summary(result: pipeline.Result) -> str:
    errors = result.errors
    lines = [str(f) for f in errors]
    lines.append(f"{len(errors)} error{'s' if len(errors) != 1 else ''} in data/: nothing was built.")
    return "\n".join(lines)


# An element marked out of the search, to its first closing tag of the same name, as Material's search
# parser reads it (the templates nest no element of the same name inside one); and the attributes
# Material's search plugin removes from a page once indexed (material/plugins/search/plugin.py)
_SEARCH_EXCLUDED = re.compile(r"<(figure|section|nav)\b[^>]*\sdata-search-exclude(?=[\s>])[^>]*>.*?</\1>", re.S)
_SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")


class _Compiled(jinja2.BytecodeCache):
    """Compiled templates kept in memory, by template; Jinja checks each against its source."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()

