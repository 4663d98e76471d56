"""Citations: a page or a single statement of the brief as a reference, in six formats.

One CSL item (CSL-JSON, the citation style language's data format) describes what is cited; every
format comes from it:
- APA 7, Chicago author-date and ISO 690, in-text and full, rendered by citeproc-js (the engine inside
  Zotero and most reference managers; npm `citeproc`, pinned in package.json) with the styles and
  locales vendored in csl/ (see its README), in the page's language: what a reference manager prints
  from the page's own CSL-JSON is what the panel shows. The item's language is set, so styles that
  change the case of English titles leave Italian ones alone;
- BibTeX (text escaped for LaTeX by pylatexenc), RIS (written by rispy) and CSL-JSON.

Who and when. The slides name no author and carry no date: the author of a reference is the site's
publisher (corporate author, as APA does for an organisation's web page), unless the configuration
names the brief's author, which then authors the brief's statements. A page is dated by its last
update (the git history of its YAML file); a statement, part of an undated brief, has no date and
so every style gives its retrieval date. The retrieval date is the build's in the downloads; in
the page each one is a <time> element that the page's script sets to the reader's day, in the form
the style wrote it.
"""

from __future__ import annotations

import atexit
import functools
import html
import json
import os
import re
import secrets
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

import nh3
import rispy
from babel import Locale
from babel.dates import format_date
from markupsafe import Markup, escape
from pylatexenc.latexencode import unicode_to_latex

from . import cache
from .model import Json, Stopped

if TYPE_CHECKING:
    from .i18n import Translation
    from .meta import Publication

# The styles offered, in the order the panel shows them: (key, CSL style file in csl/, name shown)
STYLES = (("apa", "apa", "APA 7"), ("chicago", "chicago-author-date", "Chicago (author-date)"),
          ("iso690", "iso690-author-date-en", "ISO 690"))
REQUEST = 200  # items a request to citeproc-js renders at most: a stopped build waits for one request only
CSL_FOLDER = FsPath(__file__).with_name("csl")
ENGINE_SCRIPT = FsPath(__file__).with_name("citeproc.cjs")
CITEPROC = ("node_modules", "citeproc", "citeproc_commonjs.js")  # below the project, as npm installs it
ISO690 = next(style for key, style, _name in STYLES if key == "iso690")  # whose terms a translation file may give

_MONTH_DAY = re.compile(r'<date-part name="month"(?P<month>[^/]*)/>\s*<date-part name="day" prefix=" "(?P<day>[^/]*)/>')


@dataclass(frozen=True)
class Language:
    """How the references of one edition are printed, from its translation file (`codes`,
    `citation_style`): the CSL locale, whether a date puts the day before the month (APA and Chicago
    ship the English order, "novembre 25", whatever the locale; our first adaptation), and ISO 690's
    own words in the language (the style ships them in English only; our second adaptation, made
    where they differ from the style's)."""

    lang: str
    locale: str  # "it-IT": a locale vendored in csl/ (locales-it-IT.xml)
    day_first: bool
    iso690_terms: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, translation: Translation) -> Language:
        words = translation.words
        style = words["citation_style"]
        return cls(translation.lang, str(words["codes"]["citation_locale"]), str(style["date_order"]).split()[0] == "day",
                   tuple((str(k), str(v)) for k, v in style["iso690_terms"].items()))


_ACCESSED = f"atlanteaccessed{secrets.token_hex(8)}"  # stands for the retrieval date while a text is cleaned;
# random per process, so that no data can hold it (never kept: renderings are kept with the date's place)


@dataclass(frozen=True)
class Target:
    """What is cited: a page (an entity, a slide) or one statement, in one language."""

    key: str  # "city-milano", "slide-3-concetto": the BibTeX key and the CSL id
    title: str
    url: str  # absolute, with the statement's anchor for a statement
    lang: str
    updated: date | None  # the page's last update; None for a statement (the brief is undated)
    container: str  # the site's name in the page's language
    note: str | None = None  # what a statement is: "Slide 3, affermazione 3.2"
    statement: bool = False
    abstract: str | None = None  # what the reference is about, for a COinS span (coins); None: no span


@dataclass(frozen=True)
class Citations:
    """Every format of one reference. `styles`: key -> (name, in-text HTML, full HTML); the HTML is
    escaped and holds <time class="atlante-accessed"> where the retrieval date goes."""

    target: Target
    styles: tuple[tuple[str, str, Markup, Markup], ...]
    bibtex: str
    ris: str
    csl_json: str
    accessed: date
    coins: str | None = None  # the title of the page's <span class="Z3988"> for it (coins), if it has one


def cite(target: Target, publication: Publication, accessed: date, engine: Engine | None = None,
         styles: Styles | None = None) -> Citations:
    """Every format of the reference; its styles as `styles` gives them (Engine.styled, for many
    references at once), else rendered now by `engine` (by default the checkout's own)."""
    item = csl_item(target, publication, accessed)
    if styles is None:
        (styles,) = (engine or default_engine()).styled([(item, target.lang)], accessed)
    return Citations(target, styles, bibtex(item, target), ris(item, target), csl_json(item), accessed,
                     coins(item, target.abstract, publication.licence.url) if target.abstract is not None else None)


def formats(target: Target, publication: Publication, accessed: date) -> tuple[str, str, str]:
    """BibTeX, RIS and CSL-JSON only."""
    item = csl_item(target, publication, accessed)
    return bibtex(item, target), ris(item, target), csl_json(item)


def csl_item(target: Target, publication: Publication, accessed: date) -> Json:
    """The reference as CSL-JSON: what every format is made from."""
    publisher = publication.publisher_in(target.lang)  # named in the reference's language (configuration)
    author = publication.author if target.statement and publication.author else publisher
    item: Json = {
        "id": target.key,
        "type": "webpage",
        "title": _plain(target.title),
        "container-title": _plain(target.container),
        "author": [{"literal": _plain(author)}],
        "URL": target.url,
        "language": target.lang,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
    }
    if publisher != author:  # a publisher that is also the author is not named twice (APA 9.25)
        item["publisher"] = _plain(publisher)
    if target.updated:
        item["issued"] = {"date-parts": [[target.updated.year, target.updated.month, target.updated.day]]}
    elif target.statement and publication.brief_date:  # the brief's own date, as the configuration gives it
        item["issued"] = _csl_date(publication.brief_date)
    if target.statement and publication.occasion:
        item["event"] = _plain(publication.occasion)  # CSL 1.0.1's name, which citeproc-py reads
    if publication.edition:
        item["version"] = publication.edition
    if target.note:
        item["note"] = _plain(target.note)
    return item


def csl_json(item: Json) -> str:
    """The item as a CSL-JSON list, each date on one line: [[2026, 11, 25]]."""
    text = json.dumps([item], ensure_ascii=False, indent=2)
    return re.sub(r"\[\s*\[\s*(\d+),\s*(\d+),\s*(\d+)\s*\]\s*\]", r"[[\1, \2, \3]]", text)


def bibtex(item: Json, target: Target) -> str:
    """A biblatex/BibTeX @online entry. Every text is escaped for LaTeX and wrapped in braces (so
    that styles keep its case); the URL goes verbatim, as biblatex reads it."""
    fields = [("author", "{" + _latex(item["author"][0]["literal"]) + "}"), ("title", "{" + _latex(item["title"]) + "}"),
              ("organization", _latex(item["container-title"])),
              ("publisher", _latex(item.get("publisher") or item["author"][0]["literal"]))]
    if "date-parts" in item.get("issued", {}):
        fields.append(("date", _iso(item["issued"])))
        fields.append(("year", str(item["issued"]["date-parts"][0][0])))
    elif "issued" in item:
        fields.append(("date", _latex(item["issued"]["literal"])))
    # biblatex's name: "italian" (a locale Locale.parse knows has an English name; it raises for others)
    langid = cast(str, Locale.parse(target.lang).english_name).split(" ")[0].lower()
    fields += [("url", item["URL"]), ("urldate", _iso(item["accessed"])), ("langid", langid)]
    if "version" in item:
        fields.append(("version", _latex(item["version"])))
    if "note" in item:
        fields.append(("note", _latex(item["note"])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{item['id']},\n{body}\n}}\n"


def ris(item: Json, target: Target) -> str:
    """An RIS record (type ELEC, a web page), written by rispy; each value is one line."""
    entry: Json = {
        "type_of_reference": "ELEC",
        "id": item["id"],
        "authors": [item["author"][0]["literal"]],
        "title": item["title"],
        "secondary_title": item["container-title"],
        "publisher": item.get("publisher") or item["author"][0]["literal"],
        "urls": [item["URL"]],
        "access_date": _iso(item["accessed"]).replace("-", "/"),
        "language": target.lang,
    }
    if "date-parts" in item.get("issued", {}):
        entry["date"] = _iso(item["issued"]).replace("-", "/")
        entry["year"] = str(item["issued"]["date-parts"][0][0])
    elif "issued" in item:
        entry["date"] = item["issued"]["literal"]
    if "version" in item:
        entry["edition"] = item["version"]
    if "note" in item:
        entry["notes"] = [item["note"]]
    text: str = rispy.dumps([entry], implementation=_RisWriter)  # (rispy is untyped)
    return text


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def coins(item: Json, abstract: str, rights: str) -> str:
    """The reference as a COinS ContextObject (OpenURL 1.0 KEV, Dublin Core format): the `title` of a
    <span class="Z3988">, from which Zotero's COinS translator saves the item, in place of the page's
    meta tags, which describe the page only. A slide's page has one span for itself and one for each
    of its statements, so that a statement's address saves the statement (README, "Zotero"). Zotero's
    OpenURL parser makes the Dublin Core format a `webpage`, `rft.aucorp` one single-field author (as
    the CSL item's `literal`; `rft.au` it would split at the last space), `rft.source` the website's
    title, `rft_id` the address (anchor kept), `rft.description` the abstract. Every value percent-
    encoded (Zotero reads a "+" as a space, whether written so or as %2B: no text of ours holds one)."""
    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
             ("rft.title", item["title"]), ("rft.aucorp", item["author"][0]["literal"]), ("rft_id", item["URL"]),
             ("rft.language", item["language"]), ("rft.source", item["container-title"])]
    if "issued" in item:
        issued = item["issued"]
        pairs.append(("rft.date", _iso(issued) if "date-parts" in issued else issued["literal"]))
    if abstract:
        pairs.append(("rft.description", _plain(abstract)))
    pairs.append(("rft.rights", rights))
    return "&".join(f"{key}={quote(value, safe='')}" for key, value in pairs)


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]  # rispy ships no types: its class is Any
    """rispy's writer without the "1." line it puts before each record, which RIS does not have."""

    def set_header(self, count: int) -> str:
        return ""


# ---------------------------------------------------------------------------------------------
# The styles: citeproc-js, run by Node
# ---------------------------------------------------------------------------------------------

Styles = tuple[tuple[str, str, Markup, Markup], ...]  # (key, name shown, in-text HTML, full HTML) per style


@dataclass(frozen=True)
class Engine:
    """citeproc-js as a build runs it: Node, the npm package's file, and the folder where each
    rendering is kept between builds under the digest of everything that made it (cache.py)."""

    node: str
    citeproc: FsPath  # node_modules/citeproc/citeproc_commonjs.js
    languages: tuple[Language, ...]  # how each edition's references are printed (its translation file)
    kept: FsPath | None = None

    def language(self, lang: str) -> Language:
        for language in self.languages:
            if language.lang == lang:
                return language
        raise KeyError(f"no translation file gives the citation locale of '{lang}'")

    def styled(self, items: Sequence[tuple[Json, str]], accessed: date, stop: Callable[[], bool] | None = None) -> list[Styles]:
        """The styles of each (CSL item, language), rendered together: a request per style and language
        and up to REQUEST items not rendered by an earlier build (each item is rendered on its own, so
        the requests' sizes change nothing). `stop`, asked before each request: True raises Stopped."""
        version = _package_version(self.citeproc)
        found: dict[tuple[int, int], Json] = {}
        wanted: dict[tuple[str, str], list[tuple[int, int, Json, str]]] = {}
        for i, (item, lang) in enumerate(items):
            language, data = self.language(lang), json.dumps(item, sort_keys=True, ensure_ascii=False)
            for j, (_key, style, _name) in enumerate(STYLES):
                name = cache.key("citeproc", version, _style_digest(style, language), language.locale, data) + ".json"
                kept = _read_kept(self.kept, name)
                if kept is not None:
                    found[i, j] = kept
                else:
                    wanted.setdefault((style, lang), []).append((i, j, item, name))
        for (style, lang), wanted_here in wanted.items():
            for start in range(0, len(wanted_here), REQUEST):
                if stop is not None and stop():
                    raise Stopped
                batch = wanted_here[start:start + REQUEST]
                for (i, j, _item, name), rendered in zip(batch, self._render(style, lang, [b[2] for b in batch]), strict=True):
                    found[i, j] = rendered
                    cache.keep(self.kept, name, json.dumps(rendered, ensure_ascii=False).encode())
        # each style's (key, name shown, in-text, full): the two forms _finish gives
        return cast("list[Styles]", [tuple((key, shown, *(_finish(found[i, j][form], found[i, j][f"{form}_date"], found[i, j]["pattern"], accessed)
                                     for form in ("in", "full")))
                      for j, (key, _style, shown) in enumerate(STYLES))
                for i, (_item, lang) in enumerate(items)])

    def _render(self, style: str, lang: str, items: list[Json]) -> list[Json]:
        """Each item's in-text and full text as citeproc-js gives them, one line each ("in", "full"),
        with where its retrieval date is in each ("in_date", "full_date": [start, end], or None) and
        the form the style wrote it in, for the page's script ("{D} {MMMM} {Y}"; None where no form
        was found)."""
        accessed = [_day(item["accessed"]) for item in items]
        probes = [dict(item, accessed=_csl_day(_other_day(day))) for item, day in zip(items, accessed, strict=True)]
        ids = [f"r{n}" for n in range(len(items) * 2)]  # unique per request: no stale item in the engine
        language = self.language(lang)
        request = {"style": style_xml(style, language), "lang": language.locale, "locales": locales(),
                   "items": [dict(item, id=id_) for item, id_ in zip([*items, *probes], ids, strict=True)]}
        answer = _node(self.node, self.citeproc).ask(request)
        out = []
        for n, day in enumerate(accessed):
            shown, probe = answer[n], answer[n + len(items)]
            found: Json = {"pattern": None}
            for form, k in (("in", 0), ("full", 1)):
                text = _inline(shown[k])
                where = _difference(text, _inline(probe[k]))
                found[form], found[f"{form}_date"] = text, where
                if where is not None:
                    found["pattern"] = _pattern(text[where[0]:where[1]], day, language.locale)
            out.append(found)
        return out


def engine_for(project: FsPath, translations: Iterable[Translation], kept: FsPath | None = None) -> Engine | str:
    """The citation engine of `project` (its node_modules/, as `make setup` installs it), printing in
    the languages of `translations`, or what is missing, as "expected …, found …: …"."""
    node = shutil.which("node")
    citeproc = project.resolve().joinpath(*CITEPROC)  # absolute: Node resolves a relative path from the script's folder
    if node is None:
        return ("expected Node.js (`node`), which runs citeproc-js, the engine that renders the citations' "
                "styles, found none: install Node.js 18 or newer (Debian: apt-get install nodejs npm), then run make setup")
    if not citeproc.is_file():
        return (f"expected citeproc-js in {'/'.join(CITEPROC[:2])}/, found none: run make setup (npm ci installs "
                "the version package-lock.json pins)")
    return Engine(node, citeproc, tuple(Language.of(t) for t in translations), kept)


@functools.cache
def default_engine() -> Engine:
    """The engine of the checkout this code is in, in its languages (for a citation made outside a build)."""
    from . import i18n

    checkout = FsPath(__file__).resolve().parents[2]
    found = engine_for(checkout, i18n.load(checkout)[0].values())
    if isinstance(found, str):
        raise RuntimeError(found)
    return found


@functools.cache
def style_xml(style: str, language: Language) -> str:
    """The CSL style as citeproc-js gets it for `language`: the vendored file (csl/), with our two
    adaptations (the day before the month where the language writes it so; ISO 690's terms in the
    language where they differ from the style's). A test renders the pages' own CSL-JSON with exactly
    this."""
    source = (CSL_FOLDER / f"{style}.csl").read_text(encoding="utf-8")
    if language.day_first:
        source = _MONTH_DAY.sub(r'<date-part name="day" suffix=" "\g<day>/><date-part name="month"\g<month>/>', source)
    if style == ISO690 and dict(language.iso690_terms) != _style_terms(source):
        # a style locale for the language wins over the style's language-less one
        xml = "".join(f'<term name="{escape(name)}">{escape(value)}</term>' for name, value in language.iso690_terms)
        source = source.replace("<locale>", f'<locale xml:lang="{escape(language.lang)}"><terms>{xml}</terms></locale><locale>', 1)
    return source


@functools.cache
def _style_digest(style: str, language: Language) -> str:
    """The digest of style_xml(style, language), for the keys of the renderings kept between builds
    (a style is up to 170 KB: hashed once, not once an item)."""
    return cache.key(style_xml(style, language))


def _style_terms(source: str) -> dict[str, str]:
    """The terms of a style's language-less locale, as written (the ones a translation file may give)."""
    own = source[source.index("<locale>"):source.index("</locale>")] if "<locale>" in source else ""
    return {m.group(1): html.unescape(m.group(2)) for m in re.finditer(r'<term name="([^"]+)">([^<]*)</term>', own)}


@functools.cache
@functools.cache
def locales() -> dict[str, str]:
    """Every CSL locale vendored in csl/, by name ("it-IT"): citeproc-js picks the item's, and falls
    back on its own default."""
    return {path.name.removeprefix("locales-").removesuffix(".xml"): path.read_text(encoding="utf-8")
            for path in sorted(CSL_FOLDER.glob("locales-*.xml"))}


@functools.cache
def _package_version(citeproc: FsPath) -> str:
    try:
        return str(json.loads((citeproc.parent / "package.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "unknown"


def _read_kept(where: FsPath | None, name: str) -> Json | None:
    """A rendering kept by an earlier build (cache.read); None where there is none, or not JSON."""
    data = cache.read(where, name)
    try:
        return json.loads(data) if data is not None else None
    except ValueError:
        return None


class _Node:
    """One Node process running citeproc.cjs: a request a line, an answer a line; its engines kept
    between requests (the preview asks again after each edit)."""

    def __init__(self, node: str, citeproc: FsPath) -> None:
        self.process = subprocess.Popen([node, str(ENGINE_SCRIPT), str(citeproc)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                        encoding="utf-8", errors="surrogatepass")
        self.lock = threading.Lock()

    def ask(self, request: Json) -> list[Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        with self.lock:
            watchdog = threading.Timer(_PATIENCE, self.process.kill)  # a text citeproc-js never finishes
            watchdog.start()
            try:
                self.process.stdin.write(json.dumps(request) + "\n")
                self.process.stdin.flush()
                line = self.process.stdout.readline()
            except OSError:
                line = ""
            finally:
                watchdog.cancel()
        answer = json.loads(line) if line else {"error": f"citeproc-js stopped (after {_PATIENCE} s at most)"}
        if isinstance(answer, dict):
            raise RuntimeError(f"citeproc-js: {str(answer.get('error')).splitlines()[0]}")
        return cast(list[Any], answer)  # not an error: a list, the texts of each item (citeproc.cjs)

    def close(self, *, own: bool = True) -> None:
        """End the process (`own`: this process started it), or only let go of its pipes (a forked
        process's copies, whose Node its parent ends)."""
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass
        if not own:
            return
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_PATIENCE = 300  # seconds for one request: a cold Chicago engine takes 1.5 s, a thousand items 5
_NODES: dict[tuple[str, str, int], _Node] = {}


def _node(node: str, citeproc: FsPath) -> _Node:
    """This process's Node (a forked process starts its own: the pipes are its parent's)."""
    key = (node, str(citeproc), os.getpid())
    running = _NODES.get(key)
    if running is None or running.process.poll() is not None:
        running = _NODES[key] = _Node(node, citeproc)
    return running


@atexit.register
def _stop_nodes() -> None:
    for key, running in list(_NODES.items()):
        running.close(own=key[2] == os.getpid())


def _inline(html: str) -> str:
    """An entry as one line: ISO 690's blocks (<div class="csl-block">) joined by a space, as the
    panel shows a reference inline, and runs of spaces and line breaks as one space."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"</?div\b[^>]*>", " ", html)).strip()


def _difference(text: str, other: str) -> tuple[int, int] | None:
    """Where `text` differs from `other` (the same item with another retrieval date): the span of its
    retrieval date, widened to whole words; None where they are the same (a style that does not print it)."""
    if text == other:
        return None
    start = len(os.path.commonprefix([text, other]))
    shared_end = min(len(os.path.commonprefix([text[::-1], other[::-1]])), len(text) - start, len(other) - start)
    end = len(text) - shared_end
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _pattern(text: str, day: date, locale: str) -> str | None:
    """The form of a date as the style wrote it, for the page's script: "November 26, 2026" is
    "{MMMM} {D}, {Y}"; None where it holds anything else (then the page shows the build's date)."""
    month = format_date(day, "MMMM", locale=locale.replace("-", "_"))
    form = text.replace(str(day.year), "{Y}", 1)
    if month in form:
        form = form.replace(month, "{MMMM}", 1)
    elif month.capitalize() in form:
        form = form.replace(month.capitalize(), "{Mmmm}", 1)
    form = re.sub(rf"(?<!\d)0?{day.day}(?!\d)", "{DD}" if f"0{day.day}" in form and day.day < 10 else "{D}", form, count=1)
    rest = re.sub(r"\{(?:Y|MMMM|Mmmm|D|DD)\}", "", form)
    return form if not any(c.isalnum() for c in rest) else None


def _other_day(day: date) -> date:
    """A day that differs from `day` in its year, its month and its day: the probe's retrieval date."""
    return date(day.year - 27 if day.year > 1900 else day.year + 27, day.month % 12 + 1, day.day % 28 + 1)


def _day(value: Json) -> date:
    return date(*value["date-parts"][0])


def _csl_day(day: date) -> Json:
    return {"date-parts": [[day.year, day.month, day.day]]}


def _finish(html: str, where: list[int] | None, pattern: str | None, accessed: date) -> Markup:
    """citeproc-js's HTML (it escapes every value) cleaned once more to its few tags, with the
    retrieval date (at `where`) a <time> element that the page's script sets to the reader's day in
    the style's form."""
    if where is None:
        return Markup(nh3.clean(html, tags=_TAGS, attributes={}, url_schemes=set()))
    start, end = where
    clean = nh3.clean(html[:start] + _ACCESSED + html[end:], tags=_TAGS, attributes={}, url_schemes=set())
    shown = nh3.clean(html[start:end], tags=set(), attributes={}, url_schemes=set())  # the date: text only
    form = f' data-format="style" data-pattern="{escape(pattern)}"' if pattern else ""
    return Markup(clean.replace(_ACCESSED, f'<time class="atlante-accessed" datetime="{accessed.isoformat()}"{form}>{shown}</time>'))


_TAGS = {"i", "b", "span", "sup", "sub"}  # the markup of citeproc-js's HTML a panel keeps


def _csl_date(text: str) -> Json:
    """A date given as text: "2014", "2014-05" or "2014-05-20" as date parts, anything else literal."""
    match = re.fullmatch(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?", text.strip())
    if not match:
        return {"literal": _plain(text)}
    return {"date-parts": [[int(part) for part in match.groups() if part]]}


def _plain(text: str) -> str:
    """One line of text: no newline or tab can break a line-based format (RIS) or a field. Every run
    of white space holding a line break, a tab or a space becomes one space, and the text neither
    begins nor ends with one; a no-break space between words (U+00A0, U+2007, U+202F) is kept, as it
    is: it binds its words ("art.\u00a02"), and every format can say it (BibTeX as ~)."""
    return _BREAKING_SPACE.sub(" ", str(text)).strip()


_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def _latex(text: str) -> str:
    """BibTeX's text: LaTeX that prints the text and that reads back as exactly the text (pylatexenc's
    latex2text, as a reference manager decodes it: tests/test_citing.py), converted a word at a time
    (and once: titles recur)."""
    return " ".join(_latex_word(word) for word in _plain(text).split(" "))


@functools.lru_cache(maxsize=65536)
def _latex_word(word: str) -> str:
    out = []
    for i, char in enumerate(word):
        out.append(_latex_character(char))
        if char in _LIGATURES and word[i + 1:i + 2] == char:
            out.append("{}")  # "--" is not an en dash, "''" not a closing quote
    return "".join(out)


@functools.cache
def _latex_character(char: str) -> str:
    """One character as LaTeX: pylatexenc's form, braced (so that no macro name runs into the next
    letter: {\\'e}), where latex2text reads it back as the character; our own for the few it does not
    (_LATEX_CHARACTERS); otherwise the character itself, which a Unicode engine (biber, LuaLaTeX,
    XeLaTeX) reads as it is: an emoji, a combining accent (never merged into its letter, as "e" with
    U+0301 stays two characters), a figure space (pylatexenc's ~ reads back as a no-break space)."""
    if char in _LATEX_CHARACTERS:
        return _LATEX_CHARACTERS[char]
    latex = unicode_to_latex(char, non_ascii_only=False, replacement_latex_protection="braces-all",
                             unknown_char_policy="keep")
    return latex if latex == char or _latex_reader().latex_to_text(latex) == char else char


@functools.cache
def _latex_reader() -> Any:  # pylatexenc's LatexNodes2Text (untyped)
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text()


# The ASCII characters pylatexenc writes otherwise. A brace, escaped \{ or \}, still counts for BibTeX,
# which balances braces whatever precedes them (an unbalanced one would end the entry early or swallow
# it): a math-mode brace holds no brace character (\textbraceleft, its text-mode name, latex2text does
# not read). pylatexenc writes ^ as \textasciicircum and " as '', which read back as ˆ (U+02C6) and ”:
# \string prints the character itself, whatever its category (" is active under some babel languages).
# A grave accent alone would open a quote (`` is “).
_LATEX_CHARACTERS = {"{": r"{\ensuremath{\lbrace}}", "}": r"{\ensuremath{\rbrace}}", "^": r"{\string^}",
                     '"': r'{\string"}', "`": r"{\textasciigrave}"}
_LIGATURES = "-',"  # TeX makes one character of two of these: --, '' and (T1) ,,


@functools.lru_cache(maxsize=4096)
def long_date(day: date, locale: str) -> str:
    """Babel's long date (the same few days on every page)."""
    return format_date(day, "long", locale=locale)


def _iso(value: Json) -> str:
    """2026-11-25, or 2014-05 and 2014 for a partial date."""
    parts = value["date-parts"][0]
    return "-".join(f"{n:0{4 if i == 0 else 2}d}" for i, n in enumerate(parts))
