"""The languages of the site and their interface words: one translation file per language.

`overrides/atlante/i18n/<lang>.yaml` holds every word a reader sees that is not data: page
furniture, kind names, relation headings, the names of enumerated values, the home page's steps.
The Italian file is the reference: every other language has exactly its keys. The set of files is
the set of languages; adding a language is adding a file (and translating the data).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path as FsPath

import yaml

from . import files, pages, yamlsource
from .kinds import HOME_STEPS, KINDS, RELATION_TYPES
from .load import Document
from .messages import dotted, suggest
from .model import SLUG, Finding, Json, Path

FOLDER = ("overrides", "atlante", "i18n")


@dataclass(frozen=True)
class Translation:
    lang: str
    words: Json  # the parsed file: ui, fields, facts, kinds, relations, enums, home, …
    source: bool = False  # the source language's file: the reference every other one follows

    def relation(self, name: str, inverse: bool) -> str:
        return str(self.words["relations"][name]["inverse" if inverse else "forward"])

    def enum(self, field: str, value: object) -> str:
        return str(self.words["enums"].get(field, {}).get(str(value), value))


def folder(project: FsPath) -> FsPath:
    return project.joinpath(*FOLDER)


def languages(project: FsPath) -> list[str]:
    """The source language first (meta.source_language: mkdocs.yml's), then the others in name order."""
    from .meta import source_language

    source = source_language(project)
    found = sorted(p.stem for p in folder(project).glob("*.yaml"))
    return [source] + [lang for lang in found if lang != source]


def block(project: FsPath, lang: str, name: str) -> Json | None:
    """The block `name` of `lang`'s translation file, read on its own, without the file's checks: for
    words needed where the file may hold the very errors being reported (the preview's error page, the
    command's summary); None where it cannot be read."""
    try:
        found = yaml.safe_load(files.read_text(folder(project) / f"{lang}.yaml"))[name]
    except (OSError, yaml.YAMLError, UnicodeDecodeError, KeyError, TypeError):
        return None
    return found if isinstance(found, dict) else None


def source_of(translations: Mapping[str, Translation]) -> Translation | None:
    """The source language's translation among `translations` (None where it could not be read)."""
    return next((t for t in translations.values() if t.source), None)


def page_paths(translations: Mapping[str, Translation]) -> dict[str, dict[str, str]]:
    """Each language's site pages' paths (`paths:` of its translation file: name -> path below the
    edition's root, without ".md"), where the file has them as texts."""
    found: dict[str, dict[str, str]] = {}
    for lang, translation in translations.items():
        paths = translation.words.get("paths")
        found[lang] = {str(k): v for k, v in paths.items() if isinstance(v, str)} if isinstance(paths, dict) else {}
    return found


def load(project: FsPath) -> tuple[dict[str, Translation], list[Finding]]:
    """Every translation file, checked against the reference (Italian) one."""
    base = folder(project)
    shown = "/".join(FOLDER)
    findings: list[Finding] = []
    words: dict[str, Json] = {}
    places: dict[str, yamlsource.Positions] = {}
    every = languages(project)
    source = every[0]
    for lang in every:
        path = base / f"{lang}.yaml"
        where = f"{shown}/{lang}.yaml"
        try:
            raw = files.read_bytes(path)
        except files.NotRegular as exc:
            findings.append(Finding("error", where, 1, 1, f"(language {lang})", "(file)", f"not a regular file: expected a "
                                    f"translation file written in {shown}/, found {exc.what}, which is not read", "file-type"))
            continue
        except OSError:
            findings.append(Finding("error", where, 1, 1, f"(language {lang})", "(file)",
                                    "expected the translation file of the source language, found none", "interface-words"))
            continue
        data, positions, problems = yamlsource.read(raw, where, f"(language {lang})")
        findings += problems
        if data is not None:
            words[lang], places[lang] = data, positions
            findings += _shape_findings(lang, where, data, positions)
            findings += _code_findings(lang, where, data, positions)
            findings += _path_findings(lang, where, data, positions)
    reference = words.get(source)
    if reference is not None:
        findings += _required_findings(source, reference, f"{shown}/{source}.yaml", places[source])
        for lang, data in words.items():
            if lang != source:
                findings += _key_findings(lang, f"{shown}/{lang}.yaml", source, reference, data, places[lang])
    return {lang: Translation(lang, data, lang == source) for lang, data in words.items()}, findings


def tag_findings(documents: list[Document], translations: dict[str, Translation]) -> Iterator[Finding]:
    """Every tag an entity uses has its name under `tags:` in the source language's file (the other
    languages must have the same keys): pages show a tag's name, never its slug."""
    names = source_of(translations)
    if names is None:
        return
    known = names.words.get("tags") or {}
    where = "/".join((*FOLDER, f"{names.lang}.yaml"))
    for doc in documents:
        tags = doc.data.get("tags") if isinstance(doc.data, dict) else None
        for i, tag in enumerate(tags if isinstance(tags, list) else []):
            if isinstance(tag, str) and SLUG.fullmatch(tag) and tag not in known:  # the schema refuses a bad slug
                yield Finding("error", doc.file, *doc.positions.of(("tags", i)), doc.subject, f"tags[{i}]",
                              f"expected a tag named under 'tags:' in {where} (known: {', '.join(sorted(known))}), "
                              f"found '{tag}'{suggest(tag, known)}; add its name there, in every language", "unknown-tag")


def _leaves(value: object, path: Path = ()) -> Iterator[tuple[Path, object]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    else:
        yield path, value


def _shape_findings(lang: str, where: str, data: Json, positions: yamlsource.Positions) -> Iterator[Finding]:
    from .rules import hidden_characters

    for path, value in _leaves(data):
        if not isinstance(value, str):
            yield Finding("error", where, *positions.of(path), f"(language {lang})", dotted(path),
                          f"expected a text, found {type(value).__name__}", "interface-words")
        elif (names := hidden_characters(value)) is not None:  # the words go on every page, and into SVG and XML
            yield Finding("error", where, *positions.of(path), f"(language {lang})", dotted(path),
                          f"expected visible text, found invisible, direction-changing or non-text characters ({names})",
                          "hidden-character")


# What the codes a translation file gives (codes, citation_style) must be: (path, pattern, what is expected)
_CODES: tuple[tuple[tuple[str, str], str, str], ...] = (
    (("codes", "citation_locale"), r"[a-z]{2,3}-[A-Z]{2}", "a CSL locale vendored in hooks/atlante/csl/ (locales-<locale>.xml)"),
    (("codes", "open_graph"), r"[a-z]{2,3}_[A-Z]{2}", "an Open Graph locale: language_TERRITORY"),
    (("codes", "eu_language"), r"[A-Z]{3}", "a code of the EU language authority: three capital letters"),
    (("citation_style", "date_order"), r"day month|month day", "'day month' or 'month day'"),
)


def _code_findings(lang: str, where: str, data: Json, positions: yamlsource.Positions) -> Iterator[Finding]:
    """The codes the site writes for the language's tools are ones they know (a missing one the key
    checks report)."""
    from .cite import CSL_FOLDER

    for path, pattern, expected in _CODES:
        value = data.get(path[0], {}).get(path[1]) if isinstance(data.get(path[0]), dict) else None
        if not isinstance(value, str):
            continue
        vendored = path[1] != "citation_locale" or (CSL_FOLDER / f"locales-{value}.xml").is_file()
        if not re.fullmatch(pattern, value) or not vendored:
            yield Finding("error", where, *positions.of(path), f"(language {lang})", dotted(path),
                          f"expected {expected}, found {value!r}", "interface-words")


PAGE_PATH = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*")  # "data", "about", "guide/fields"


def _path_findings(lang: str, where: str, data: Json, positions: yamlsource.Positions) -> Iterator[Finding]:
    """A site page's path (`paths:`) is an address below the edition's root, lowercase words joined by
    hyphens, without ".md" or slashes at either end."""
    paths = data.get("paths")
    for name, value in paths.items() if isinstance(paths, dict) else ():
        if isinstance(value, str) and (not PAGE_PATH.fullmatch(value) or value == "index"):
            yield Finding("error", where, *positions.of(("paths", name)), f"(language {lang})", f"paths.{name}",
                          f"expected a page's path below the edition's root (lowercase words joined by hyphens, "
                          f"as 'data' or 'about'), found {value!r}", "interface-words")


def _required_findings(source: str, reference: Json, where: str, positions: yamlsource.Positions) -> Iterator[Finding]:
    """The reference file names every kind, relation type and home step of the model."""
    wanted: list[Path] = [("language",), ("brief_title",), *(path for path, _pattern, _expected in _CODES)]
    wanted += [("kinds", k.name, part) for k in KINDS for part in ("label", "plural", "intro")]
    wanted += [("relations", r.name, part) for r in RELATION_TYPES for part in ("forward", "inverse")]
    wanted += [("home", step, part) for step in HOME_STEPS for part in ("title", "intro")]
    wanted += [("paths", name) for name in pages.named()]
    have = {path for path, _ in _leaves(reference)}
    for path in wanted:
        if path not in have:
            yield Finding("error", where, *positions.of(path), f"(language {source})", dotted(path),
                          "expected this key (the model has it), found it missing", "interface-words")


def _key_findings(lang: str, where: str, source: str, reference: Json, data: Json,
                  positions: yamlsource.Positions) -> Iterator[Finding]:
    mine = {path for path, _ in _leaves(data)}
    wanted = {path for path, _ in _leaves(reference)}
    for path in sorted(wanted - mine, key=dotted):
        yield Finding("error", where, *positions.of(path), f"(language {lang})", dotted(path),
                      f"expected this key (as in {source}.yaml), found it missing", "interface-words")
    for path in sorted(mine - wanted, key=dotted):
        yield Finding("error", where, *positions.of_key(path), f"(language {lang})", dotted(path),
                      f"expected only the keys of {source}.yaml, found this one, which it lacks", "interface-words")
