"""The checks, as small named rules: each has an id, a level and one line saying what it checks.

Every finding carries the id of the rule that found it (`atlante check` prints it last, as yamllint
does, and `atlante rules` lists them all). The rules of this module run after the schema, and only
on documents that passed it, so they read each field with the type the schema gives it; a rule with
`scope="document"` runs once per such document, one with `scope="run"` once per run, over all of
them. A rule function says where, and which of its messages with which values (`at`); the table
says which rule, how serious, and its messages' English templates, which the translation files
give in other languages (`atlante check --lang it`; the build reports in English).

Rules of the other steps are declared here too, so that the list is complete: loading (load.py,
yamlsource.py), the schema (validate.py), the translation files (i18n.py) and mkdocs.yml (meta.py).

One cause, one message: a file that failed to load or its schema is reported for that alone. Files
referencing it are not also told it is unknown, and the warnings about what nothing links to or
cites wait until every file is valid (a broken file may be the one that links).
"""

from __future__ import annotations

import dataclasses
import functools
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any, Protocol, cast
from urllib.parse import unquote, urlsplit

from . import geo, links, pages
from .kinds import KIND_BY_NAME, KINDS, RELATION_BY_NAME, SOURCE, STATEMENT_TEXTS
from .messages import closest, describe, dotted, phrase
from .model import SLUG, STATEMENT_REF, Finding, Json, Path, Ref
from .yamlsource import Positions

# ---------------------------------------------------------------------------------------------
# The table of rules, and how they run
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str  # kebab-case, printed at the end of every finding: "unknown-reference"
    level: str  # "error" | "warning"
    checks: str  # what it checks, for editors: `atlante rules`
    scope: str = "document"  # "document" | "run" | "load" (applied by another step)
    check: Callable[..., Iterator[Finding]] | None = None
    messages: dict[str, str] = dataclasses.field(default_factory=dict)  # variant ("" if one) -> English template


RULES: dict[str, Rule] = {}

# A message's named values, passed on to `at` as keywords (each is shown with str())
Args = dict[str, Any]


# The schema's most frequent findings, worded by validate._rephrase; the others stay English only.
SCHEMA_MESSAGES = {
    "missing": "expected this field, found it missing",
    "unknown-field": "expected one of the fields {fields}, found {found}{hint}",
    "not-listed": "expected one of {values}, found {found}{hint}",
    "empty": "expected some text, found an empty text",
}


def declare(id_: str, level: str, checks: str, scope: str = "load", message: str | None = None,
            messages: dict[str, str] | None = None,
            ) -> Callable[[Callable[..., Iterator[Finding]]], Callable[..., Iterator[Finding]]]:
    """Register a rule; used bare for the rules other steps apply, as a decorator for the ones here.

    `message` is the English template of the rule's one message, `messages` those of its variants:
    named placeholders, `{hint}` for a near miss. The translation files give them in other
    languages, under cli.findings.<rule id>[.<variant>], for `atlante check --lang`."""
    templates = {"": message} if message is not None else dict(messages or {})
    RULES[id_] = Rule(id_, level, checks, scope, None, templates)

    def register(check: Callable[..., Iterator[Finding]]) -> Callable[..., Iterator[Finding]]:
        RULES[id_] = Rule(id_, level, checks, scope, check, templates)
        return check

    return register


class Valid(Protocol):
    """A load.Document that was read and passed its kind's schema: the rules read its fields by name,
    with the types that schema gives them (validate.validate hands them over as such)."""

    kind: str
    stem: str
    file: str
    data: Json
    positions: Positions

    @property
    def subject(self) -> str: ...


@dataclass
class Context:
    """What the rules see of a run."""

    valid: list[Valid]  # loaded and valid against their schema
    existing: dict[str, set[str]]  # kind -> ids of every data file found, valid or not
    broken: set[tuple[str, str]]  # (kind, id) of the files that failed to load or their schema
    languages: tuple[str, ...] = ()  # the site's editions, the source language first
    docs_dir: FsPath | None = None  # the hand-written pages
    statements: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)  # slide -> {id: text}
    paths: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)  # lang -> its translation file's `paths:`
    site_files: frozenset[str] | None = None  # what a Markdown field's relative links may name (_site_files)
    kept: FsPath | None = None  # where the regions of places already checked are kept (geo.regions_of)

    @functools.cached_property
    def regions(self) -> dict[tuple[float, float], str | None]:
        """The region of every place of the data (asked by two rules for each), found at once."""
        return geo.regions_of((point[1:] for doc in self.valid if (point := _point(doc))), self.kept)


def run(context: Context) -> Iterator[Finding]:
    """Every rule of this module on what it applies to, each finding stamped with its rule."""
    for rule in RULES.values():
        if rule.check is None:
            continue
        found = rule.check(context) if rule.scope == "run" else (
            f for doc in context.valid for f in rule.check(doc, context))
        for finding in found:
            variant = finding.template
            yield dataclasses.replace(finding, level=rule.level, rule=rule.id,
                                      template=f"{rule.id}.{variant}" if variant else rule.id,
                                      message=phrase(rule.messages[variant], finding.args))


def at(doc: Valid, path: Path, variant: str = "", *, key: bool = False, where: Path | None = None,
       spot: tuple[int, int] | None = None, **args: object) -> Finding:
    """A finding on `path` of `doc`, at its value (its key with `key`; `where`'s, or `spot`, when given),
    saying the rule's message (or its `variant`) with `args`. Level, rule and words are filled in by `run`."""
    line, col = spot or (doc.positions.of_key(where if where is not None else path) if key
                         else doc.positions.of(where if where is not None else path))
    return _unsaid(doc.file, line, col, doc.subject, dotted(path) or "(file)", variant, args)


def _unsaid(file: str, line: int, col: int, subject: str, field: str, variant: str, args: dict[str, object]) -> Finding:
    return Finding("", file, line, col, subject, field, "", "", variant, tuple((k, str(v)) for k, v in args.items()))


def localised(finding: Finding, templates: Json, did_you_mean: str) -> str:
    """The finding's message with a translation file's templates (cli.findings); as found, where
    they lack its template or it has none (the findings of loading, of the schema and of i18n)."""
    rule_id, _, variant = finding.template.partition(".")
    entry = templates.get(rule_id) if finding.template else None
    text = entry.get(variant) if isinstance(entry, dict) else (entry if not variant else None)
    if not isinstance(text, str):
        return finding.message
    try:
        return phrase(text, finding.args, did_you_mean)
    except (KeyError, IndexError, ValueError):  # a template naming a placeholder the rule does not give
        return finding.message


def templates() -> dict[str, str | dict[str, str]]:
    """The English templates, as the translation files write them under cli.findings."""
    return {r.id: r.messages[""] if list(r.messages) == [""] else dict(r.messages) for r in RULES.values() if r.messages}


# What the site uses as a key, each unique in its scope, and the rule that says so: `atlante rules`
# prints them after the rules
KEYS = (
    ("an entity's id, in its kind (its address /<folder>/<id>/)", "its file name: file-name, id-mismatch, reserved-id"),
    ("an alias, in its kind (a retired address that redirects)", "alias-conflict"),
    ("a statement's id, in its slide (its anchor, its citation)", "duplicate-id"),
    ("a slide's number, among the slides (the numbering of statements)", "duplicate-number"),
    ("a field, in its mapping; a tag's key, in a translation file", "duplicate-key"),
    ("a tag, a source, an alias or a relation's target, in its list", "schema (uniqueItems)"),
)


def listing() -> list[tuple[str, str, str]]:
    """(id, level, what it checks) of every rule, in the order they are applied."""
    return [(r.id, r.level, r.checks) for r in RULES.values()]


# ---------------------------------------------------------------------------------------------
# Rules applied by the other steps
# ---------------------------------------------------------------------------------------------

declare("file-layout", "error", "data files are data/<kind folder>/<id>.yaml: no stray, hidden, nested or misnamed files")
declare("file-type", "error", "every file the site reads (data/, the schemas, the templates and translation files under "
        "overrides/, the pages of docs/) is a regular file: no symbolic link (to anywhere), named pipe, socket or device, "
        "no folder named like a data file")
declare("file-size", "error", "a data file is under 1 MB")
declare("syntax", "error", "a file is UTF-8 text holding one YAML document: a mapping of plain values "
        "(no anchors, aliases, tags or deep nesting)")
declare("duplicate-key", "error", "each field is written once in its mapping")
declare("schema", "error", "a document has the fields and values of its kind's JSON Schema (data/schema/)",
        messages=SCHEMA_MESSAGES)
declare("interface-words", "error", "each translation file (overrides/atlante/i18n/) has the keys of the Italian one, "
        "and the model's words")
declare("unknown-tag", "error", "each tag has a name under 'tags:' in the translation files")
declare("configuration", "error", "mkdocs.yml describes the publication (site address, licence, publisher)")
declare("schema-file", "error", "each kind's JSON Schema (data/schema/) is readable JSON and a valid JSON Schema")
declare("field-description", "error", "each field of every schema has its description in every translation file "
        "(opendata.fields), for the field reference and the Dati page")
declare("field-example", "warning", "each text field of a schema's language block has an example in its language "
        "(the field reference of that language's edition shows it)")
declare("template", "error", "the page templates (overrides/atlante/) compile and render")
declare("citation-engine", "error", "the citations' styles can be rendered: Node.js and citeproc-js (npm `citeproc`, "
        "as package-lock.json pins it) are installed")
declare("history", "warning", "the build reads the project's whole git history, where every page's date, the "
        "citations' dates and the changelog come from (not a shallow clone, not an archive)")
declare("whole-brief-pdf", "warning", "the whole brief's PDF can be made: WeasyPrint and its system library (Pango) "
        "are installed")

# ---------------------------------------------------------------------------------------------
# File names and ids
# ---------------------------------------------------------------------------------------------

RESERVED_IDS = ("index",)  # /<kind>/index.md is the kind's index page
UNREAD = "*"  # the id load.py gives a kind whose folder it could not read (a link): any id of it may exist


@declare("file-name", "error", "a file name is an id: lowercase letters, digits and single hyphens", "document",
         "expected a file name of lowercase letters, digits and single hyphens, found '{name}'")
def _file_name(doc: Valid, _: Context) -> Iterator[Finding]:
    if not SLUG.match(doc.stem):
        yield at(doc, (), name=f"{doc.stem}.yaml")


@declare("id-mismatch", "error", "the field 'id' is the file name", "document",
         "expected '{stem}' (the file name), found {found}")
def _id_mismatch(doc: Valid, _: Context) -> Iterator[Finding]:
    if doc.data["id"] != doc.stem and SLUG.match(doc.stem):  # else `file-name` says it
        yield at(doc, ("id",), stem=doc.stem, found=describe(doc.data["id"]))


@declare("reserved-id", "error", "an id is not 'index', the address of its kind's index page", "document",
         "expected an id other than {reserved} (the address /{folder}/ is the index of the {kind} pages), found '{stem}'")
def _reserved_id(doc: Valid, _: Context) -> Iterator[Finding]:
    if doc.stem in RESERVED_IDS:
        yield at(doc, ("id",), reserved=_names(RESERVED_IDS), folder=KIND_BY_NAME[doc.kind].folder, kind=doc.kind, stem=doc.stem)


# ---------------------------------------------------------------------------------------------
# Text: invisible characters anywhere, lines folded inside a word, link addresses in Markdown
# ---------------------------------------------------------------------------------------------

MARKDOWN_FIELDS = ("body",)
_ALLOWED_CONTROLS = {"\n", "\t"}


@declare("hidden-character", "error", "no text holds invisible or direction-changing characters, control characters "
         "(but tab and newline), lone surrogates or noncharacters (which XML, and so SVG and RDF, forbids)", "document",
         "expected visible text, found invisible, direction-changing or non-text characters ({names})")
def _hidden_character(doc: Valid, _: Context) -> Iterator[Finding]:
    if _all_printable(doc.data):
        return
    for path, text in _strings(doc.data):
        names = hidden_characters(text)
        if names:
            yield at(doc, path, names=names)


def hidden_characters(text: str) -> str | None:
    """The characters of `text` that no text may hold, each named once with its code point
    ("U+200B ZERO WIDTH SPACE, U+D800 SURROGATE"), or None if it holds none."""
    if _printable(text):
        return None
    hidden = [ch for ch in text if _hidden(ch)]
    return ", ".join(dict.fromkeys(f"U+{ord(ch):04X} {_name(ch)}" for ch in hidden)) or None


def _hidden(ch: str) -> bool:
    if ch in _ALLOWED_CONTROLS:
        return False
    if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs"):  # controls, formats, separators, surrogates
        return True
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE  # noncharacters: U+FDD0..FDEF, U+xxFFFE, U+xxFFFF


def _name(ch: str) -> str:
    category = unicodedata.category(ch)
    return unicodedata.name(ch, "SURROGATE" if category == "Cs" else "CONTROL" if category == "Cc" else "NONCHARACTER")


@declare("folded-hyphen", "warning", "a folded line does not end inside a hyphenated word (YAML would add a space)", "document",
         "expected a hyphenated word on one line, found '{end}' at the end of line {line} and '{start}' on the next: "
         "YAML joins them with a space ('{end} {start}'); move '{end}' to the next line")
def _folded_hyphen(doc: Valid, _: Context) -> Iterator[Finding]:
    for path, line, col, end, start in doc.positions.folded_hyphens:
        yield at(doc, path, spot=(line, col), end=end, line=line, start=start)


@declare("link", "error", "links in Markdown fields go to https:, mailto: or relative addresses (pages of this site)",
         "document", "expected links to https:// or mailto: addresses (or to pages of this site), found '{address}'")
def _link(doc: Valid, context: Context) -> Iterator[Finding]:
    for path, text in _markdown(doc, context):
        for found in links.addresses(text):
            if not found.image and not links.allowed(found.address):
                yield at(doc, path, spot=doc.positions.of_line_in(path, found.line), address=found.address)


@declare("image-source", "error", "images in Markdown fields are files of this site (relative addresses)", "document",
         "expected an image of this site (a relative address: pages load nothing from other hosts), found '{address}'")
def _image_source(doc: Valid, context: Context) -> Iterator[Finding]:
    for path, text in _markdown(doc, context):
        for found in links.addresses(text):
            if found.image and not links.allowed(found.address, image=True):
                yield at(doc, path, spot=doc.positions.of_line_in(path, found.line), address=found.address)


# How deep a Markdown field's structures may go. Python-Markdown, which renders the pages, takes time
# quadratic in the depth of unclosed brackets and parentheses (2 000 '[' take a second, 10 000 a
# minute), and recursion as deep as emphasis, lists and quotations nest (a few hundred levels end it):
# a text that is meant to be read stays far below these (benchmarks/README.md: the worst case allowed).
MARKDOWN_DEPTH = 16  # unclosed or nested brackets, and parentheses, at once
MARKDOWN_NESTING = 8  # lists, quotations
EMPHASIS_RUN = 3  # '*' or '_' in a row: ***bold italic***


@declare("markdown-structure", "error", f"a Markdown field nests brackets and parentheses at most {MARKDOWN_DEPTH} deep, "
         f"lists and quotations at most {MARKDOWN_NESTING}, and writes at most {EMPHASIS_RUN} '*' or '_' in a row "
         "(deeper, the page would take minutes to render)", "document", messages={
             "brackets": "expected '{char}' nested or left open at most {limit} deep, found {depth} on line {line} of the "
                         "text: close each '{char}' or write it as \\{char}",
             "emphasis": "expected at most {limit} '{char}' in a row (emphasis), found {count} on line {line} of the text: "
                         "write the character itself as \\{char}",
             "lists": "expected lists nested at most {limit} deep, found {depth} on line {line} of the text: nest them less",
             "quotes": "expected quotations ('>') nested at most {limit} deep, found {depth} on line {line} of the text: "
                       "nest them less"})
def _markdown_structure(doc: Valid, context: Context) -> Iterator[Finding]:
    for path, text in _markdown(doc, context):
        problem = markdown_problem(text)
        if problem is not None:
            variant, index, args = problem
            yield at(doc, path, variant, spot=doc.positions.of_line_in(path, index), line=index + 1, **args)


def markdown_problem(text: str) -> tuple[str, int, Args] | None:
    """The first structure of `text` deeper than Python-Markdown renders quickly: (variant, 0-based
    line, words), or None. One pass, linear in the text."""
    depth = {"[": 0, "(": 0}
    closing = {"]": "[", ")": "("}
    deepest: dict[str, tuple[int, int]] = {}  # bracket -> (its greatest depth, the line it first went too deep on)
    for index, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" \t")
        quotes = _quotes(line).group(1).count(">")
        if quotes > MARKDOWN_NESTING:
            return "quotes", index, {"limit": MARKDOWN_NESTING, "depth": quotes}
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        if indent // 4 + 1 > MARKDOWN_NESTING and re.match(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)", line):
            return "lists", index, {"limit": MARKDOWN_NESTING, "depth": indent // 4 + 1}
        rule = set(stripped.replace(" ", "")) <= {"*"} or set(stripped.replace(" ", "")) <= {"_"}
        run, previous, escaped = 0, "", False
        for ch in line:
            if escaped:
                escaped, run, previous = False, 0, ""
                continue
            if ch == "\\":
                escaped = True
                continue
            if ch in depth:
                depth[ch] += 1
                if depth[ch] > MARKDOWN_DEPTH:  # said once the text is read: how deep it goes, and from where
                    deepest[ch] = (depth[ch], deepest.get(ch, (0, index))[1])
            elif ch in closing and depth[closing[ch]]:
                depth[closing[ch]] -= 1
            if ch in "*_" and not rule:
                run = run + 1 if ch == previous else 1
                if run > EMPHASIS_RUN:
                    return "emphasis", index, {"char": ch, "limit": EMPHASIS_RUN, "count": _run_at(line, ch, run)}
            previous = ch
    for ch, (most, index) in deepest.items():
        return "brackets", index, {"char": ch, "limit": MARKDOWN_DEPTH, "depth": most}
    return None


_QUOTES = re.compile(r"[ \t]*((?:>[ \t]?)*)")
_quotes = cast(Callable[[str], re.Match[str]], _QUOTES.match)  # every part optional: it matches every line


def _run_at(line: str, ch: str, seen: int) -> int:
    """The length of the longest run of `ch` in `line` (at least `seen`)."""
    return max(seen, max((len(m) for m in re.findall(rf"{re.escape(ch)}+", line)), default=0))


@declare("link-target", "error", "a relative link or image in a Markdown field stays on the site and names a page or "
         "file it has (written as MkDocs wants it: relative to the page, to the page's .md file)", "document", messages={
             "outside": "expected an address on this site, found '{address}', which climbs out of it",
             "absolute": "expected an address relative to the page (the site may live below a path of its host), "
                         "found '{address}'",
             "missing": "expected a page or file of this site, found '{address}', which names none ({target}){hint}",
             "folder": "expected a link to a page's file ('{suggestion}'), found '{address}'",
             "anchor": "expected a statement of {slide} ({target}), found '#{anchor}', which it does not have{hint}"})
def _link_target(doc: Valid, context: Context) -> Iterator[Finding]:
    folder = KIND_BY_NAME[doc.kind].folder  # the field is shown on the page <folder>/<id>.md of every edition
    for path, text in _markdown(doc, context):
        for found in links.addresses(text):
            problem = _target_problem(found.address, folder, doc.stem, context, html=found.html)
            if problem is not None:
                variant, args = problem
                yield at(doc, path, variant, spot=doc.positions.of_line_in(path, found.line), address=found.address, **args)


def _target_problem(address: str, folder: str, stem: str, context: Context, *, html: bool = False
                    ) -> tuple[str, Args] | None:
    """What is wrong with a relative `address` written on the page `<folder>/<stem>.md`, or None; an
    address of another scheme is the `link` and `image-source` rules' to judge. A Markdown address is
    a path from the page's source file, which MkDocs checks and rewrites; one in raw HTML goes to the
    browser as written, which resolves it against the page's address (<folder>/<stem>/)."""
    try:
        parts = urlsplit(address.strip())
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not (parts.path or parts.fragment):
        return None
    target = unquote(parts.path)
    if not target:
        return None  # #anchor on the page itself
    if target.startswith("/"):
        return "absolute", {}
    pages = _site_files(context)
    as_url = posixpath.normpath(posixpath.join(folder, stem, target))  # as a browser resolves it
    page_at = next((p for p in (as_url.rstrip("/") + ".md", as_url.rstrip("/") + "/index.md", as_url) if p in pages), None)
    resolved = as_url if html else posixpath.normpath(posixpath.join(folder, target))
    if resolved == ".." or resolved.startswith("../"):
        return "outside", {}
    if html:
        if page_at is None:
            return "missing", {"target": resolved, "hint": ""}
        resolved = page_at
    elif resolved not in pages:
        if page_at is not None and page_at.endswith(".md"):  # written as the page's address, not its file
            return "folder", {"suggestion": posixpath.relpath(page_at, folder)}
        return "missing", {"target": resolved, "hint": closest(resolved, [p for p in pages if p.endswith(".md")])}
    slide = resolved.removesuffix(".md").removeprefix(SOURCE.folder + "/")
    if parts.fragment and resolved.startswith(SOURCE.folder + "/") and slide in context.statements:
        anchors = {*context.statements[slide], "cite", *(f"cite-{slide}-{s}" for s in context.statements[slide])}
        if parts.fragment not in anchors:
            return "anchor", {"slide": slide, "target": resolved, "anchor": parts.fragment,
                              "hint": closest(parts.fragment, context.statements[slide])}
    return None


def _site_files(context: Context) -> frozenset[str]:
    """The paths, below an edition's root as MkDocs sees its sources, that every edition has: the
    generated pages (entities, kind indexes, the site's pages, tag pages), the downloads of every
    edition (an entity's .bib, .ris and figures), and the hand-written files of docs/ present in
    every language's folder. Made once per run."""
    if context.site_files is not None:
        return context.site_files
    found: set[str] = set()
    for kind in KINDS:
        found.add(pages.path_of("kind_index", kind.folder))
        for stem in context.existing.get(kind.name, ()):
            found |= set(pages.entity_files(kind.name, stem))
    # a site page whose path differs between editions is no target for a text every edition shows
    found |= set.intersection(*(set(pages.fixed({"paths": context.paths.get(lang, {})})) for lang in context.languages)) \
        if context.languages else set(pages.fixed({}))
    found |= {pages.path_of("tag", tag) for doc in context.valid for tag in (doc.data.get("tags") or [])
              if isinstance(tag, str)}
    if context.docs_dir is not None and context.docs_dir.is_dir():
        others = list(context.languages[1:])
        own = {p.relative_to(context.docs_dir).as_posix() for p in context.docs_dir.rglob("*") if p.is_file()}
        source = {p for p in own if p.split("/")[0] not in others}
        for lang in others:  # what every edition has: the source's files that each other edition has too
            source &= {p.removeprefix(f"{lang}/") for p in own if p.startswith(f"{lang}/")}
        found |= source
    context.site_files = frozenset(found)
    return context.site_files


def _printable(text: str) -> bool:
    """No character of Cc, Cf, Zl or Zp but newlines and tabs (str.isprintable is false for all of them)."""
    return text.isprintable() or text.replace("\n", " ").replace("\t", " ").isprintable()


def _all_printable(value: object) -> bool:
    """Whether every text in `value` is `_printable` (as `_strings` would yield them, without their paths)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isprintable() and not _printable(item):
                return False
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def _markdown(doc: Valid, context: Context) -> Iterator[tuple[Path, str]]:
    """The Markdown fields of the document: `body`, and `<lang>.body` in a language block."""
    for name in MARKDOWN_FIELDS:
        if isinstance(text := doc.data.get(name), str):
            yield (name,), text
    for lang in dict.fromkeys(context.languages[1:]):
        block = doc.data.get(lang)
        if not isinstance(block, dict):
            continue
        for name in MARKDOWN_FIELDS:
            if isinstance(text := block.get(name), str):
                yield (lang, name), text


def _strings(value: object, path: Path = ()) -> Iterator[tuple[Path, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


# ---------------------------------------------------------------------------------------------
# Relations: each points to an entity that exists, of a kind the relation type allows, not itself
# ---------------------------------------------------------------------------------------------


def _references(doc: Valid) -> Iterator[tuple[Path, Ref, tuple[str, ...]]]:
    """(path, reference, kinds the relation type allows) of every relation the document writes."""
    for rtype, targets in (doc.data.get("relations") or {}).items():
        for i, text in enumerate(targets):
            yield ("relations", rtype, i), _parsed(text), RELATION_BY_NAME[rtype].targets


# four rules read each reference (a frozen Ref); each parses, as the schema's pattern for references says
_parsed = cast(Callable[[str], Ref], functools.lru_cache(maxsize=65536)(Ref.parse))


@declare("relation-kind", "error", "a relation points to a kind of entity its type allows", "document", messages={
    "unknown-kind": "expected a reference to a {targets}, found the unknown kind '{kind}'{hint}",
    "wrong-kind": "expected a reference to a {targets}, found '{ref}' (a {kind})"})
def _relation_kind(doc: Valid, _: Context) -> Iterator[Finding]:
    for path, ref, targets in _references(doc):
        if ref.kind not in KIND_BY_NAME:
            yield at(doc, path, "unknown-kind", targets=_or(targets), kind=ref.kind, hint=closest(ref.kind, KIND_BY_NAME))
        elif ref.kind not in targets:
            yield at(doc, path, "wrong-kind", targets=_or(targets), ref=ref, kind=ref.kind)


@declare("unknown-reference", "error", "a relation points to an entity that has a data file", "document",
         "expected a known {kind} (a file {file}), found '{ref}', which does not exist{hint}")
def _unknown_reference(doc: Valid, context: Context) -> Iterator[Finding]:
    for path, ref, targets in _references(doc):
        unread = UNREAD in context.existing.get(ref.kind, ())  # its folder could not be read: said there, once
        if ref.kind in targets and ref.id not in context.existing[ref.kind] and not unread:
            yield at(doc, path, kind=ref.kind, file=f"data/{KIND_BY_NAME[ref.kind].folder}/{ref.id}.yaml", ref=ref,
                     hint=closest(str(ref), [f"{k}:{i}" for k in targets for i in context.existing[k]]))


@declare("self-reference", "error", "a relation points to another entity, not to the one writing it", "document",
         "expected a reference to another entity, found '{ref}', this entity itself")
def _self_reference(doc: Valid, _: Context) -> Iterator[Finding]:
    for path, ref, _targets in _references(doc):
        if ref == Ref(doc.kind, doc.stem):
            yield at(doc, path, ref=ref)


@declare("orphan", "warning", "some relation links each entity (but slides) to or from another", "run",
         "expected a relation to or from another entity, found none: nothing links to this page")
def _orphan(context: Context) -> Iterator[Finding]:
    if context.broken:
        return  # a file that could not be read may be the one that links
    linked: set[str] = set()
    for doc in context.valid:
        for _path, ref, targets in _references(doc):
            if ref.kind in targets and ref.id in context.existing[ref.kind] and ref != Ref(doc.kind, doc.stem):
                linked.update((str(ref), doc.subject))
    for doc in context.valid:
        if doc.kind != SOURCE.name and doc.subject not in linked:
            yield at(doc, ("relations",))


# ---------------------------------------------------------------------------------------------
# Sources: each names a statement of a slide; slides' statements are cited, once each
# ---------------------------------------------------------------------------------------------


@declare("unknown-statement", "error", "each source names a slide of data/slides/ and one of its statements", "document",
         messages={"slide": "expected a slide of data/slides/ ({slides}), found '{slide}'{hint}",
                   "statement": "expected a statement of {slide} ({statements}), found '{statement}'{hint}"})
def _unknown_statement(doc: Valid, context: Context) -> Iterator[Finding]:
    slides = context.existing[SOURCE.name]
    for i, text in enumerate(doc.data.get("sources") or []):
        m = cast(re.Match[str], STATEMENT_REF.match(text))  # it matches: the schema's pattern for sources
        slide_id, statement_id = m["slide"], m["statement"]
        if (SOURCE.name, slide_id) in context.broken:
            continue
        if slide_id not in slides:
            yield at(doc, ("sources", i), "slide", slides=_names(sorted(slides)), slide=slide_id, hint=closest(slide_id, slides))
        elif statement_id not in context.statements[slide_id]:
            known = context.statements[slide_id]
            yield at(doc, ("sources", i), "statement", slide=slide_id, statements=_names(known), statement=statement_id,
                     hint=closest(statement_id, known))


@declare("unsourced-wording", "error", "'named_as' quotes words of one of the entity's sources", "document",
         "expected words that appear in one of this entity's sources, found {found}")
def _unsourced_wording(doc: Valid, context: Context) -> Iterator[Finding]:
    named_as, sources = doc.data.get("named_as"), doc.data.get("sources") or []
    if named_as is None:
        return
    texts = [_statement_text(context.statements, s) for s in sources]
    if texts and all(texts) and not any(named_as.casefold() in t.casefold() for t in texts):
        yield at(doc, ("named_as",), found=describe(named_as))


@declare("duplicate-id", "error", "each statement id is written once in its slide", "document",
         "expected each statement id once in the slide, found '{id}' again (first at statements[{first}])")
def _duplicate_id(doc: Valid, _: Context) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for i, st in enumerate(doc.data.get("statements") or []):
        if st["id"] in first:
            yield at(doc, ("statements", i, "id"), id=st["id"], first=first[st["id"]])
        else:
            first[st["id"]] = i


@declare("duplicate-number", "error", "each slide has a number of its own: it orders the slides and numbers their "
         "statements (\"Affermazione 3.4\"), which citations name", "run",
         "expected a number no other slide has, found {number}, which {other} has too (line {line})")
def _duplicate_number(context: Context) -> Iterator[Finding]:
    first: dict[object, Valid] = {}
    for doc in sorted((d for d in context.valid if d.kind == SOURCE.name), key=lambda d: d.file):
        number = doc.data.get("number")
        if number in first:
            other = first[number]
            yield at(doc, ("number",), number=number, other=other.file, line=other.positions.of(("number",))[0])
        else:
            first[number] = doc


@declare("uncited-statement", "warning", "each statement of a slide is a source of some entity", "run",
         "expected an entity that represents statement '{id}' (in its sources), found none")
def _uncited_statement(context: Context) -> Iterator[Finding]:
    if context.broken:
        return  # a file that could not be read may be the one that cites
    used = {text for d in context.valid for text in d.data.get("sources") or []}
    for doc in context.valid:
        for i, st in enumerate(doc.data.get("statements") or []):
            if f"{doc.stem}#{st['id']}" not in used:
                yield at(doc, ("statements", i), id=st["id"])


def statement_index(docs: Iterable[Valid]) -> dict[str, dict[str, str]]:
    """slide id -> {statement id: text}; a duplicate id keeps its first text (`duplicate-id` reports it)."""
    index: dict[str, dict[str, str]] = {}
    for doc in docs:
        if doc.kind == SOURCE.name:
            texts = index[doc.stem] = {}
            for st in doc.data.get("statements") or []:
                texts.setdefault(st["id"], str(st.get("text", "")))
    return index


def _statement_text(index: dict[str, dict[str, str]], ref: str) -> str:
    m = STATEMENT_REF.match(ref)
    return index.get(m["slide"], {}).get(m["statement"], "") if m else ""


# ---------------------------------------------------------------------------------------------
# Additions: what the brief does not say is marked, with its source
# ---------------------------------------------------------------------------------------------


@declare("added-field", "error", "the fields listed under 'added' are fields of the file", "document",
         "expected a field written in this file ({fields}), found '{name}'{hint}")
def _added_field(doc: Valid, context: Context) -> Iterator[Finding]:
    added = doc.data.get("added") or []
    present = [k for k in doc.data if k not in ("id", "added", *context.languages[1:])] if added else []
    for i, item in enumerate(added):
        for j, name in enumerate(item["fields"]):
            if name not in present:
                yield at(doc, ("added", i, "fields", j), fields=_names(present), name=name, hint=closest(name, present))


@declare("unmarked-addition", "error", "the fields a kind declares as not in the brief (a city's region and "
         "coordinates) are listed under 'added'", "document",
         "expected '{name}' to be listed under 'added' with its source (the brief does not give it), found it unmarked")
def _unmarked_addition(doc: Valid, _: Context) -> Iterator[Finding]:
    marked = {name for item in doc.data.get("added") or [] for name in item["fields"]}
    for name in KIND_BY_NAME[doc.kind].not_in_brief:
        if name in doc.data and name not in marked:
            yield at(doc, (name,), name=name)


# ---------------------------------------------------------------------------------------------
# Places: coordinates lie in Italy, and in the region the entity names
# ---------------------------------------------------------------------------------------------


def _place(doc: Valid, context: Context) -> tuple[str, float, float, str | None] | None:
    """(field, lat, lon, the ISTAT region there) of a kind that sits on the maps, else None."""
    point = _point(doc)
    if point is None:
        return None
    name, lat, lon = point
    return name, lat, lon, context.regions[(lat, lon)]


def _point(doc: Valid) -> tuple[str, float, float] | None:
    name = KIND_BY_NAME[doc.kind].place
    where = doc.data.get(name) if name else None
    return None if name is None or where is None else (name, where["lat"], where["lon"])


@declare("outside-italy", "error", "coordinates are a point in Italy (the maps show Italy)", "document",
         "expected a point in Italy (inside the ISTAT regional boundaries), found lat {lat}, lon {lon}, outside every "
         "region; check the order and sign of the numbers")
def _outside_italy(doc: Valid, context: Context) -> Iterator[Finding]:
    place = _place(doc, context)
    if place is not None and place[3] is None:
        name, lat, lon, _region = place
        yield at(doc, (name,), lat=lat, lon=lon)


@declare("wrong-region", "error", "coordinates are a point in the entity's 'region'", "document",
         "expected a point in {region} (the entity's region), found lat {lat}, lon {lon}, which is in {found}")
def _wrong_region(doc: Valid, context: Context) -> Iterator[Finding]:
    place = _place(doc, context)
    if place is not None and place[3] is not None and doc.data.get("region") not in (None, place[3]):
        name, lat, lon, found = place
        yield at(doc, (name,), region=doc.data["region"], lat=lat, lon=lon, found=found)


# ---------------------------------------------------------------------------------------------
# Translations: a language block mirrors the source text it translates, and covers all of it
# ---------------------------------------------------------------------------------------------


@declare("translation-mismatch", "error", "a language block translates only texts the file has", "document", messages={
    "field": "expected only translations of fields this file has, found '{name}', which the file lacks in its source text",
    "added": "expected at most {allowed} {items} (one per item of 'added'), found {found}",
    "statement": "expected the id of a statement of this slide ({statements}), found '{id}'{hint}",
    "statement-field": "expected only translations of fields statement '{id}' has, found '{name}', which it lacks"})
def _translation_mismatch(doc: Valid, context: Context) -> Iterator[Finding]:
    data = doc.data or {}
    for lang in context.languages[1:]:
        block = data.get(lang) or {}
        for name in KIND_BY_NAME[doc.kind].translatable:
            if name in block and name not in data:
                yield at(doc, (lang, name), "field", key=True, name=name)
        added, translated = data.get("added") or [], block.get("added") or []
        if len(translated) > len(added):
            yield at(doc, (lang, "added", len(added)), "added", allowed=len(added), items="item" if len(added) == 1 else "items",
                     found=len(translated))
        statements = {st["id"]: st for st in data.get("statements") or []}
        for sid, translation in (block.get("statements") or {}).items():
            if sid not in statements:
                yield at(doc, (lang, "statements", sid), "statement", key=True, statements=_names(statements), id=sid,
                         hint=closest(sid, statements))
                continue
            for name in STATEMENT_TEXTS:
                if name in translation and name not in statements[sid]:
                    yield at(doc, (lang, "statements", sid, name), "statement-field", key=True, id=sid, name=name)


@declare("untranslated", "warning", "each text of the source language has its translation in every language block", "document",
         "expected a translation of {original} in the '{lang}' block, found none")
def _untranslated(doc: Valid, context: Context) -> Iterator[Finding]:
    data = doc.data or {}
    for lang in context.languages[1:]:
        block = data.get(lang) or {}

        def missing(path: Path, original: Path, lang: str = lang) -> Finding:
            return at(doc, path, where=original, key=True, original=dotted(original), lang=lang)

        for name in KIND_BY_NAME[doc.kind].translatable:
            if name in data and data[name] not in (None, "") and name not in block:
                yield missing((lang, name), (name,))
        translated = block.get("added") or []
        for i, _item in enumerate(data.get("added") or []):
            if i >= len(translated):
                yield missing((lang, "added", i, "source"), ("added", i, "source"))
        translations = block.get("statements") or {}
        for i, st in enumerate(data.get("statements") or []):
            for name in STATEMENT_TEXTS:
                if name in st and name not in (translations.get(st["id"]) or {}):
                    yield missing((lang, "statements", st["id"], name), ("statements", i, name))


# ---------------------------------------------------------------------------------------------
# Addresses: an entity's URL may not be taken by a hand-written page, nor an alias's
# ---------------------------------------------------------------------------------------------


@declare("address-taken", "error", "no hand-written page in docs/ takes the address of a generated page "
         "(home, a kind's index, an entity, a tag's page)", "run", messages={
    "entity": "expected an id whose address {url} is free, found the hand-written page {page} there",
    "generated": "expected no hand-written page at {url}, found one: that page is generated from data/"})
def _address_taken(context: Context) -> Iterator[Finding]:
    """Every edition has the same generated pages: the source one at /, each other at /<lang>/, whose
    hand-written pages are in docs/<lang>/."""
    docs_dir = context.docs_dir
    if docs_dir is None or not docs_dir.is_dir():
        return
    prefixes = ["/"] + [f"/{lang}/" for lang in context.languages[1:]]
    own = {prefix: {"paths": context.paths.get(lang, {})} for prefix, lang in zip(prefixes, context.languages or ("",), strict=False)}
    entity_urls = {prefix + pages.address(pages.entity_path(doc.kind, doc.stem)): doc
                   for doc in context.valid if doc.stem not in RESERVED_IDS for prefix in prefixes}
    tags = {tag for doc in context.valid for tag in (doc.data.get("tags") or []) if isinstance(tag, str)}
    index_urls = {*prefixes, *(p + pages.address(pages.path_of("kind_index", k.folder)) for p in prefixes for k in KINDS),
                  *(p + pages.address(page) for p in prefixes for page in pages.fixed(own.get(p, {}))),
                  *(p + pages.address(pages.path_of("tag", tag)) for p in prefixes for tag in tags)}
    for page in sorted(docs_dir.rglob("*.md")):
        rel = page.relative_to(docs_dir).as_posix()
        url = _url_of(rel)
        if url in entity_urls:
            yield at(entity_urls[url], ("id",), "entity", url=url, page=f"docs/{rel}")
        elif url in index_urls:
            yield _unsaid(f"docs/{rel}", 1, 1, "(docs)", "(file)", "generated", {"url": url})


@declare("alias-conflict", "error", "an alias (a retired id) is not a live id, 'index', the entity's own id "
         "or another entity's alias", "run", messages={
    "own-id": "expected an earlier id, found '{alias}', this entity's own id",
    "reserved": "expected an earlier id, found '{alias}': /{folder}/{alias}/ is the index of the {kind} pages",
    "live-id": "expected a retired id, found '{alias}', the id of {file}: /{folder}/{alias}/ cannot both show that page "
               "and redirect here",
    "claimed": "expected each alias once among the {kind} entities, found '{alias}' also in {file} (aliases[{index}], "
               "line {line})"})
def _alias_conflict(context: Context) -> Iterator[Finding]:
    """An alias is a retired address that now redirects: two pages, or two redirects, cannot share one URL."""
    claimed: dict[tuple[str, str], tuple[Valid, int]] = {}
    for doc in context.valid:
        folder = KIND_BY_NAME[doc.kind].folder
        for i, alias in enumerate(doc.data.get("aliases") or []):
            where: Path = ("aliases", i)
            if alias == doc.stem:
                yield at(doc, where, "own-id", alias=alias)
            elif alias in RESERVED_IDS:
                yield at(doc, where, "reserved", alias=alias, folder=folder, kind=doc.kind)
            elif alias in context.existing[doc.kind]:
                yield at(doc, where, "live-id", alias=alias, file=f"data/{folder}/{alias}.yaml", folder=folder)
            elif (doc.kind, alias) in claimed and claimed[(doc.kind, alias)][0] is not doc:
                first, j = claimed[(doc.kind, alias)]
                yield at(doc, where, "claimed", kind=doc.kind, alias=alias, file=first.file, index=j,
                         line=first.positions.of(("aliases", j))[0])
            else:
                claimed[(doc.kind, alias)] = (doc, i)


def _url_of(src: str) -> str:
    """The address MkDocs gives a Markdown file with use_directory_urls (index.md and README.md are the folder)."""
    stem = src.removesuffix(".md")
    head, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return f"/{head}/" if head else "/"
    return f"/{stem}/"


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------


def _names(names: Iterable[object]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _or(kinds: Iterable[str]) -> str:
    return " or ".join(kinds)
