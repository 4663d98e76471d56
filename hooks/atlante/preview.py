"""The live preview (`mkdocs serve`), engine-free parts: what the browser shows while the site
cannot be built, and the bookkeeping that lets a rebuild redo only what an edit changed.

atlante/serving.py wires these into the server: while a build fails,
every page request answers at once with `error_page` (the located errors, and the server's
reload script, so that the browser comes back to the site as soon as the file is fixed).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from html import escape
from pathlib import Path

import jinja2

from . import files, i18n
from .model import Json


def error_page(lines: Iterable[str], lang: str, project: Path) -> bytes:
    """A self-contained HTML page listing `lines` (each escaped), in the edition's language (its
    translation file's `preview` words; none where that file cannot be read, as when it is the error)."""
    words = page_words(project, lang)
    items = "\n".join(f"<li><code>{escape(line)}</code></li>" for line in lines) or f"<li>{escape(words['unknown'])}</li>"
    return f"""<!doctype html>
<html lang="{escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(words['title'])}</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; padding: 1.5rem; color: #1b1b1b; background: #fff; }}
main {{ max-width: 60rem; margin: 0 auto; }}
h1 {{ font-size: 1.5rem; color: #a4000f; }}
ul {{ padding-left: 1.2rem; }}
li {{ margin: .6rem 0; }}
code {{ white-space: pre-wrap; overflow-wrap: anywhere; font-size: .95rem; }}
@media (prefers-color-scheme: dark) {{ body {{ color: #eee; background: #1e1e1e; }} h1 {{ color: #ff8a8a; }} }}
</style>
</head>
<body>
<main>
<h1>{escape(words['title'])}</h1>
<p>{escape(words['intro'])}</p>
<ul class="atlante-preview-errors">
{items}
</ul>
<p>{escape(words['after'])}</p>
</main>
</body>
</html>
""".encode()


def page_words(project: Path, lang: str) -> dict[str, str]:
    """The error page's words from `lang`'s translation file, read on their own (the file may hold
    the very errors the page shows: only its `preview` block must be readable); else no words."""
    words = i18n.block(project, lang, "preview") or {}
    if not all(key in words for key in ("title", "intro", "after", "unknown")):
        return {"title": "⚠", "intro": "", "after": "", "unknown": "⚠"}
    return {key: str(words[key]) for key in ("title", "intro", "after", "unknown")}


def explain(exc: BaseException, project: Path) -> str | None:
    """A located line for an error that no finding reported (a template's syntax error, a missing
    template, a file that vanished mid-build); None for errors the build has logged already."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = _shown(exc.filename or exc.name or "(template)", project)
        return f"{where}:{exc.lineno}: (template): expected a valid Jinja template, found a syntax error: {exc.message}"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"{exc.name}: (template): expected this template in overrides/ or the theme, found none"
    if isinstance(exc, jinja2.TemplateError):
        return f"(template): expected a template that renders, found: {exc.message}"
    if isinstance(exc, OSError) and exc.filename:
        return f"{_shown(str(exc.filename), project)}: (file): expected a readable file, found: {exc.strerror}"
    if type(exc).__module__.startswith("click") or type(exc).__name__ in ("Abort", "PluginError", "ConfigurationError"):
        return None  # MkDocs logged the reason (our findings, a config error) before raising
    return f"(build): {type(exc).__name__}: {' '.join(str(exc).split())}"


def _shown(path: str, project: Path) -> str:
    try:
        return Path(path).resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return path


class PageFiles:
    """Generated pages as files in `folder`, each rewritten only when it changes: a build that skips
    pages whose source is older than their output (MkDocs' dirty builds) then renders only the pages
    an edit changed. `stamp` stands for what the page carries besides its text (figures, metadata):
    when it changes, the file is rewritten too."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.stamps: dict[str, str] = {}

    def place(self, path: str, text: str | bytes, stamp: str = "") -> Path:
        target = self.folder / path
        content = text if isinstance(text, bytes) else text.encode("utf-8")
        digest = hashlib.blake2b(stamp.encode("utf-8", "surrogatepass") + b"\x00" + content, digest_size=16).hexdigest()
        if self.stamps.get(path) != digest or not target.is_file():
            files.write_whole(target, content)
            self.stamps[path] = digest
        return target

    def keep_only(self, paths: set[str]) -> list[str]:
        """Forget (and delete) the files of pages no longer generated; returns their paths."""
        gone = sorted(set(self.stamps) - paths)
        for path in gone:
            (self.folder / path).unlink(missing_ok=True)
            del self.stamps[path]
        return gone


def output_of(src_uri: str) -> str:
    """Where MkDocs writes a page with directory URLs: "cities/milano.md" -> "cities/milano/index.html"."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return f"{stem}/index.html"


def merge_search_index(previous: dict[str, str], written: Json, rebuilt: set[str],
                       pages: set[str]) -> tuple[dict[str, str], str]:
    """The search index of a partial build made whole: Material writes the entries of the pages it
    rebuilt; the others' come from the previous build. `rebuilt`, `pages`: page URLs ("cities/milano/").
    Returns each page's entries as JSON text, for the next merge (only the rebuilt pages' entries are
    encoded again: at 1 000 entries the whole index takes a tenth of a second to encode), and the
    index's text to write."""
    by_page = {url: text for url, text in previous.items() if url in pages}
    fresh: dict[str, list[Json]] = {}
    for entry in written.get("docs", []):
        url = str(entry.get("location", "")).split("#", 1)[0]
        if url in rebuilt:
            fresh.setdefault(url, []).append(entry)
    for url in rebuilt:
        by_page[url] = ",".join(_json(entry) for entry in fresh.get(url, []))
    docs = ",".join(text for url in sorted(by_page) if (text := by_page[url]))
    hole = "\x00docs\x00"  # where the entries go: a string no index has
    return by_page, _json({**written, "docs": hole}).replace(_json(hole), f"[{docs}]", 1)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def site_state(paths: Iterable[Path], skip: Iterable[Path] = ()) -> str:
    """Names, sizes and modification times of the files under `paths` (files or folders), except
    under `skip`: what decides that every page must be rendered again (theme, configuration)."""
    skipped = tuple(str(p.resolve()) + os.sep for p in skip)
    seen = []
    for path in paths:
        found = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        for p in found:
            if str(p.resolve()).startswith(skipped):
                continue
            stat = p.stat()
            seen.append((p.as_posix(), stat.st_size, stat.st_mtime_ns))
    return hashlib.blake2b(json.dumps(seen).encode(), digest_size=16).hexdigest()


def remove_pages(site_dir: Path, skip: Iterable[str] = ()) -> int:
    """Delete every page (*.html) under `site_dir`, except under the sub-folders `skip` (other
    editions): a dirty build then renders them all again. Returns how many were removed."""
    prefixes = tuple(s.strip("/") + "/" for s in skip if s.strip("/"))
    removed = 0
    for page in site_dir.rglob("*.html"):
        if re.sub(r"\\", "/", str(page.relative_to(site_dir))).startswith(prefixes):
            continue
        page.unlink(missing_ok=True)
        removed += 1
    return removed
