"""`atlante export`: the site as plain documentation, for an engine that runs none of our hooks.

Every page the hooks generate, in every edition, is written as a Markdown file beside the
hand-written pages of docs/, with the navigation, the theme's stylesheet and script, the pages'
citation files and the open data, and one plain configuration per edition (Material, the same
Markdown extensions, no `hooks:`, no plugin of ours, no template override):

    <dir>/mkdocs.yml        the source edition (Italian): docs/it/ -> site/
    <dir>/mkdocs.<lang>.yml every other edition: docs/<lang>/ -> site/<lang>/
    <dir>/docs/<lang>/      its pages, as Markdown, and their files

Build the source edition first (`mkdocs build -f <dir>/mkdocs.yml`), then the others: each build
empties its own site folder. The same pages come out as from the hooked build; what only the hooks
add (metadata in <head>, page-to-page language switch, translation notice, edit links to data/,
stemmed search) is missing, and README.md lists it.

It is the same pipeline the hooks run (pipeline.run), so it refuses what the build refuses: data
with errors (the findings `atlante check` prints). Figures (maps, graphs, citation panels: SVG and
HTML from the templates) are kept out of a page's Markdown while it is converted, and put into its
HTML after the sanitiser (render.place_figures); here they become raw HTML blocks of the Markdown,
which Python-Markdown passes through. An engine without the hooks does not sanitise, so a page whose
data carries raw HTML in a Markdown field that the sanitiser would change is refused too.
Nothing is half-written: the export is made in a sibling folder and renamed into place, and it only
replaces a folder that is empty or an earlier export (it holds the file MARKER).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from markdown_it import MarkdownIt

from . import cache, editions, history, pipeline
from . import pages as registry
from .meta import _TolerantLoader
from .model import Catalog, Finding, Json
from .render import Page, md_text, navigation
from .rules import MARKDOWN_FIELDS
from .sanitize import clean_html

MARKER = ".atlante-export"  # in the export's root: a later export may replace the folder
# The scripts overrides/main.html loads after Material's bundle; their paths in the theme folder.
SCRIPTS = ("assets/javascripts/atlante-cite.js",)
# The plugins a plain engine has (MkDocs' search, mkdocs-redirects); Zensical implements both. Any
# other plugin of the config is not carried over. (The tag pages are generated pages like any other,
# and an entity page's tags are written into its Markdown: see _markdown.)
PLAIN_PLUGINS = ("search", "redirects")
THEME_TEMPLATES = "atlante/"  # overrides/atlante/: the core's templates, not files of the site


class Refused(Exception):
    """The export was not written: `findings` (data errors, as `atlante check` reports them) or
    `reason` (the target folder, an unsafe page) says why."""

    def __init__(self, reason: str = "", findings: list[Finding] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.findings = findings or []


@dataclass
class Exported:
    folder: Path
    pages: dict[str, int] = field(default_factory=dict)  # by language: Markdown pages written
    files: int = 0  # every file written
    warnings: list[Finding] = field(default_factory=list)


def export(project: Path, target: Path) -> Exported:
    """Write the export of `project` into `target` (replacing an earlier export there)."""
    _check_target(target)
    with _dated_like_a_build(project):
        return _export(project, target)


def _export(project: Path, target: Path) -> Exported:
    configs, edition_list = _configs(project)
    trees: dict[str, dict[str, bytes]] = {}
    written_configs: dict[str, str] = {}
    exported = Exported(target)
    source = configs[edition_list[0].lang]  # the source edition first
    root = editions.root_url(str(source["site_url"]), edition_list[0]) if source.get("site_url") else None
    for edition in edition_list:
        result = pipeline.run(project, docs_dir=project / "docs", lang=edition.lang)
        if result.errors:
            raise Refused(findings=result.errors + result.warnings)
        assert result.catalog is not None
        if edition.is_source:
            exported.warnings = result.warnings
        config = configs[edition.lang]
        unsafe = _unsafe(result.catalog, list(result.translations)) if edition.is_source else []
        if unsafe:
            raise Refused("\n".join(unsafe))
        base = urlsplit(root or "/").path.rstrip("/") + "/" + edition.prefix  # the edition's root, from the host
        tree = {page.src_uri: _markdown(page, base + registry.address(page.src_uri)).encode() for page in result.pages}
        made = ((path, cache.made(content)) for path, content, _page in registry.downloads(result.pages, result.downloads))
        tree.update({path: content if isinstance(content, bytes) else content.encode() for path, content in made})
        tree.update(_hand_written(project, config, configs))
        tree.update(_theme_files(project, config))
        trees[edition.lang] = tree
        nav = navigation(result.catalog, result.translations[edition.lang], extra=config.get("nav") or [])
        written_configs[editions.config_name(edition)] = _plain_config(config, edition, root, nav, result.pages, registry.redirects(result.catalog))
        exported.pages[edition.lang] = sum(1 for path in tree if path.endswith(".md"))
    try:
        exported.files = _write(target, trees, written_configs)
    except OSError as exc:  # a read-only or full disk: said, not a traceback
        raise Refused(f"{exc.filename or target}: expected a folder the export can be written to, found: {exc.strerror}") from None
    return exported


# ---------------------------------------------------------------------------------------------
# What is written
# ---------------------------------------------------------------------------------------------


def _markdown(page: Page, base: str) -> str:
    """The page's Markdown with each figure in place of its placeholder, as a raw HTML block, its
    links made absolute paths; and
    its tags, which the hooks hand to the theme, as a paragraph of links below its title.

    The templates write a figure's links relative to the page's address, as the hooks place it into
    the HTML. MkDocs leaves the links of raw HTML as they are written, but Zensical (0.0.73) resolves
    them against the Markdown file's folder, one level above a page's address: relative, they could
    not be right in both. `base` is the page's address as a path from the host ("/en/cities/milano/").
    """
    if page.html is not None:
        return _with_tags(page.markdown + _html_as_markdown(page.html, base), page)
    text = page.markdown
    for token, figure in page.figures.items():
        placed = _LINK.sub(lambda m: f'{m[1]}="{urljoin(base, m[2])}"', figure)
        def put(_m: re.Match[str], placed: str = placed) -> str:  # the figure as it is, not a template
            return placed + "\n"

        text = re.sub(rf"^{token}\n", put, text, count=1, flags=re.M)
    left = [token for token in page.figures if token in text]
    if left:  # a figure the templates placed other than as a paragraph of its own: place_figures would miss it too
        raise Refused(f"(page {page.src_uri}): expected each figure as a paragraph of its own, found {len(left)} inside other text")
    return _with_tags(text, page)


def _html_as_markdown(html: str, base: str) -> str:
    """A page written as HTML (htmlpage.py) as Markdown an engine converts to the same: its headings
    as Markdown headings with their ids (so that the engine's table of contents lists them), all else
    raw HTML blocks, which Python-Markdown passes through, their links made absolute paths (as a
    figure's). The title (h1) is the stub's."""
    body = re.sub(r"\A<h1 .*?</h1>\n?", "", html, count=1)
    parts = [_LINK.sub(lambda m: f'{m[1]}="{urljoin(base, m[2])}"', chunk.strip()) for chunk in _HEADING.split(body)]
    return "".join(f"\n{part}\n" for part in parts if part)


def _heading(m: re.Match[str]) -> str:
    return f"{'#' * int(m[1])} {md_text(unescape(m[3]))} {{ #{m[2]} }}"


class _Headings:
    """Splits a page's HTML at its headings of plain text, each given back as a Markdown heading."""

    pattern = re.compile(r'^<h([2-6]) id="([^"]+)">([^<]*)<a class="headerlink" href="#[^"]+" title="Permanent link">¶</a></h\1>$', re.M)

    def split(self, html: str) -> list[str]:
        found, last = [], 0
        for m in self.pattern.finditer(html):
            found += [html[last:m.start()], _heading(m)]
            last = m.end()
        return [*found, html[last:]]


_HEADING = _Headings()


def _with_tags(text: str, page: Page) -> str:
    """The page's tags as links to their pages, with the classes of the theme's chips, after its
    title: an engine takes a page's title from a heading only when it comes first."""
    if not page.tags:
        return text
    up = "../" * page.src_uri.count("/")
    chips = " ".join(f"[{md_text(chip.name)}]({up}{chip.page}){{ .md-tag }}" for chip in page.tags)
    return re.sub(r"^# .*\n", lambda m: f"{m[0]}\n{chips}\n{{ .md-tags }}\n", text, count=1, flags=re.M)


# A relative link of a figure: not a fragment, not an absolute path, no scheme
_LINK = re.compile(r'\b(href|src)="(?![#/]|[a-zA-Z][a-zA-Z0-9+.-]*:)([^"]*)"')


def _hand_written(project: Path, config: Json, configs: dict[str, Json]) -> dict[str, bytes]:
    """The edition's docs_dir as it is, without the other editions' folders inside it."""
    docs = (project / str(config.get("docs_dir") or "docs")).resolve()
    others = [(project / str(c.get("docs_dir") or "docs")).resolve() for c in configs.values()]
    others = [o for o in others if o != docs and docs in o.parents]
    files = {}
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs)
        if path.is_file() and not any(o in path.parents for o in others) and not any(p.startswith(".") for p in rel.parts):
            files[rel.as_posix()] = path.read_bytes()
    return files


def _theme_files(project: Path, config: Json) -> dict[str, bytes]:
    """The theme folder's files for the site (stylesheets, scripts, images), not its templates."""
    custom = (config.get("theme") or {}).get("custom_dir")
    if not custom:
        return {}
    folder = project / str(custom)
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not rel.startswith(THEME_TEMPLATES) and path.suffix != ".html" and not rel.startswith("."):
            files[rel] = path.read_bytes()
    return files


def _plain_config(config: Json, edition: editions.Edition, root: str | None, nav: list[Any], pages: list[Page],
                  redirect_maps: dict[str, str]) -> str:
    """The edition's configuration for an engine without hooks; `root`: the source edition's site_url."""
    theme = dict(config.get("theme") or {})
    theme.pop("custom_dir", None)  # its templates need the hooks; its stylesheet and scripts are copied
    theme["features"] = [f for f in theme.get("features") or [] if f != "content.action.edit"]
    plugins = []
    for item in config.get("plugins") or []:
        name, options = (item, None) if isinstance(item, str) else next(iter(item.items()))
        if name not in PLAIN_PLUGINS:
            continue
        if name == "redirects":
            options = {**(options or {}), "redirect_maps": {**((options or {}).get("redirect_maps") or {}), **redirect_maps}}
        plugins.append({name: options} if options else name)
    hidden = sorted(f"/{p.src_uri}" for p in pages if not p.in_nav)
    plain = {
        "site_name": config.get("site_name"),
        "site_description": " ".join(str(config.get("site_description") or "").split()) or None,
        "site_url": (root + edition.prefix) if root else None,
        "repo_url": config.get("repo_url"),
        "edit_uri": "",  # pages are made from data/: there is no file of docs/ to edit
        "docs_dir": f"docs/{edition.lang}",
        "site_dir": "site" + (f"/{edition.prefix.rstrip('/')}" if edition.prefix else ""),
        "use_directory_urls": True,
        "nav": nav,
        "not_in_nav": "\n".join(hidden) + "\n" if hidden else None,
        "theme": theme,
        "extra_css": list(config.get("extra_css") or []),
        "extra_javascript": list(SCRIPTS),
        "extra": {"alternate": (config.get("extra") or {}).get("alternate")},
        "plugins": plugins,
        "markdown_extensions": config.get("markdown_extensions") or [],
        "validation": config.get("validation"),
    }
    build = editions.config_name(edition)
    header = (f"# Written by `atlante export` from the project's configuration: the {edition.name} edition, as plain\n"
              f"# documentation (no hooks). Build it with `mkdocs build -f {build}` or `zensical build -f {build}`,\n"
              f"# after mkdocs.yml (each build empties its site_dir). Do not edit: the next export rewrites it.\n")
    return header + yaml.dump({k: v for k, v in plain.items() if v is not None}, Dumper=_Dumper, allow_unicode=True,
                              sort_keys=False, width=120)


class _Dumper(yaml.SafeDumper):
    """Texts of several lines (not_in_nav) as literal blocks, one path per line."""


_Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


# ---------------------------------------------------------------------------------------------
# The project's configurations, and the target folder
# ---------------------------------------------------------------------------------------------


def _configs(project: Path) -> tuple[dict[str, Json], list[editions.Edition]]:
    """Each edition's configuration (mkdocs.<lang>.yml merged over the mkdocs.yml it INHERITs)."""
    source = _read(project / "mkdocs.yml")
    found, problems = editions.from_alternate((source.get("extra") or {}).get("alternate"),
                                              editions.source_language(source))
    if problems:
        raise Refused("\n".join(f"mkdocs.yml: {p}" for p in problems))
    found.sort(key=lambda e: not e.is_source)
    present, missing = editions.other_configs(project, found)
    if missing:
        raise Refused(f"mkdocs.yml: {editions.missing_config(missing[0])}")
    configs = {found[0].lang: source} | {edition.lang: _merged(source, _read(path)) for edition, path in present}
    return configs, found


def _read(path: Path) -> Json:
    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except OSError as exc:
        raise Refused(f"{path.name}: expected a readable configuration, found {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise Refused(f"{path.name}: expected valid YAML, found {' '.join(str(exc).split())}") from None
    if not isinstance(loaded, dict):
        raise Refused(f"{path.name}: expected a mapping of settings, found {type(loaded).__name__}")
    return loaded


def _merged(base: Json, child: Json) -> Json:
    """MkDocs' INHERIT: mappings merged key by key, anything else replaced."""
    merged = dict(base)
    for key, value in child.items():
        if key == "INHERIT":
            continue
        merged[key] = _merged(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise Refused(f"{target}: expected a folder for the export, found a file")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise Refused(f"{target}: expected an empty folder or an earlier export, found other files: choose another folder")


def _write(target: Path, trees: dict[str, dict[str, bytes]], configs: dict[str, str]) -> int:
    """Everything into a sibling folder, then renamed into place: the target is never half-written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    count = 0
    try:
        (fresh / MARKER).write_text("Written by `atlante export`; the next export replaces this whole folder.\n",
                                    encoding="utf-8")
        for name, text in configs.items():  # by file name
            (fresh / name).write_text(text, encoding="utf-8")
            count += 1
        for lang, tree in trees.items():
            for path, content in sorted(tree.items()):
                out = fresh / "docs" / lang / path
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(content)
                count += 1
        os.chmod(fresh, 0o777 & ~_umask())  # mkdtemp makes it private; the export is an ordinary folder
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            target.rename(old / "export")
        fresh.rename(target)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return count + 1


@contextlib.contextmanager
def _dated_like_a_build(project: Path) -> Iterator[None]:
    """Date the pages as the hooked build does: by SOURCE_DATE_EPOCH if the caller set it, else by
    the last commit (the hook's _pin_build_date); left as it was afterwards."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        yield
        return
    epoch = history.commit_epoch(project)
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------------------------------------
# Raw HTML that only the hooks would have cleaned
# ---------------------------------------------------------------------------------------------


def _unsafe(catalog: Catalog, languages: list[str]) -> list[str]:
    """A located line for each Markdown field (`body`, `<lang>.body`) whose raw HTML `clean_html`
    would change (an element or attribute outside its allow-list): the hooks clean the HTML of the
    pages made from it, a plain engine would not. The templates escape every other value."""
    found = []
    for entity in catalog.entities.values():
        blocks = [("", entity.data)] + [(f"{lang}.", entity.data.get(lang)) for lang in languages[1:]]  # source first
        for prefix, block in blocks:
            for name in MARKDOWN_FIELDS:
                text = block.get(name) if isinstance(block, dict) else None
                if not isinstance(text, str) or "<" not in text:
                    continue
                tag = next((t for html in _raw_html(text) for t in _start_tags(html) if t not in _start_tags(clean_html(html))),
                           None)
                if tag is not None:
                    found.append(f"{entity.file}: {entity.ref}: {prefix}{name}: expected HTML that the site's sanitiser "
                                 f"keeps, found {_shown(tag)}; a plain engine would publish it as it is")
    return found


def _raw_html(markdown: str) -> list[str]:
    found = []
    for block in _PARSER.parse(markdown):
        if block.type == "html_block":
            found.append(block.content)
        for child in block.children or []:
            if child.type == "html_inline":
                found.append(child.content)
    return found


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str], ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(sorted((name, value or "") for name, value in attrs))))

    handle_startendtag = handle_starttag


def _start_tags(html: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    parser = _StartTags()
    parser.feed(html)
    parser.close()
    return parser.tags


def _shown(tag: tuple[str, tuple[tuple[str, str], ...]]) -> str:
    name, attrs = tag
    return "<" + " ".join([name, *(f'{k}="{v}"' for k, v in attrs)])[:80] + ">"


_PARSER = MarkdownIt("commonmark")
