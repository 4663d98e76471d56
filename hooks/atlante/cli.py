"""The `atlante` command for editors.

`atlante check` validates data/ (every language) without building, printing its findings as text,
as GitHub Actions annotations (so that they land on the lines of a pull request) or as JSON;
`atlante rules` lists the checks, with the id each finding ends with;
`atlante list` and `atlante show` say what exists and how it is linked; `atlante new` writes a new
entry's file with every field documented, for the editor to fill in; `atlante generate` rewrites
the parts of the schemas and of the README that come from the model's tables; `atlante synth` writes
a copy of data/ grown by N synthetic entries, valid and linked, for measuring how the site scales;
`atlante export` writes every page of every edition as Markdown with a plain configuration, which
MkDocs or Zensical build without our hooks.

Exit codes: 0 fine, 1 problems found (errors; warnings too with --strict), 2 wrong usage, 3 a fault of
the command itself (said in one located line, to report: faults.py). The
command's own words follow --lang, else the locale (LC_ALL, LC_MESSAGES, LANG): Italian or English;
so do the messages of the rules that have templates in the translation files (cli.findings), while
the MkDocs build reports in English.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import difflib
import json
import os
import sys
from pathlib import Path

from . import faults, i18n, pipeline, rules, schemas, skeleton
from .kinds import KIND_BY_FOLDER, KIND_BY_NAME, KINDS, Kind
from .model import SLUG, Finding, Json, Ref


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="atlante", description="Tools for the data of the brief.")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--project", type=Path, default=Path.cwd(), help="the project folder (default: here)")
        sub.add_argument("--lang", default=None, help="the language of the command's own words: one with a "
                         "translation file (default: the locale's, else the source language's)")
        return sub

    check = command("check", "validate every file in data/ and report every problem; build nothing")
    check.add_argument("--strict", action="store_true",
                       help="fail on warnings too (an untranslated text, an orphan page), as the build does")
    check.add_argument("--format", choices=("text", "github", "json"), default="text",
                       help="text (file:line:col: …), github (Actions annotations on the pull request's lines) or json")
    command("rules", "list the checks of atlante check: the id each finding ends with, its level, what it checks")
    listing = command("list", "list the entries of every kind, or of one kind, with their titles")
    listing.add_argument("kind", nargs="?", help="a kind (city) or its folder (cities); default: every kind")
    show = command("show", "show one entry: its file, summary, statements and links in both directions")
    show.add_argument("ref", help="kind:id, as data files write references (city:milano)")
    new = command("new", "write the file of a new entry, every field documented, for you to fill in")
    new.add_argument("kind", help="a kind (city) or its folder (cities)")
    new.add_argument("id", help="the new entry's id: lowercase letters, digits and single hyphens")
    new.add_argument("--title", help="its title, in Italian")
    generate = command("generate", "rewrite the schemas' relation and language blocks and the README's relation table")
    generate.add_argument("--check", action="store_true", help="write nothing; exit 1 if a generated file is not current")
    grown = command("synth", "write a data/ of the brief's data and N synthetic entries, valid and linked, to measure scale")
    grown.add_argument("--entities", type=_count, required=True, metavar="N", help="how many synthetic entries to add")
    grown.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write data/ into (its data/ must hold "
                       "nothing but schemas)")
    grown.add_argument("--seed", type=int, default=0, metavar="S", help="the random seed: the same seed writes the same bytes (default: 0)")
    exporting = command("export", "write every page of both editions as Markdown, with the navigation and a plain "
                        "configuration that MkDocs or Zensical build without our hooks")
    exporting.add_argument("dir", type=Path, metavar="DIR", help="the folder to write (new, empty or an earlier export)")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # a lone surrogate quoted from the data is printed as its code
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    speaking = _speaking(args.project)
    known = i18n.languages(speaking)
    if args.lang is not None and args.lang not in known:
        commands.choices[args.command].error(f"argument --lang: expected one of {', '.join(known)} (a translation file in "
                                             f"{'/'.join(i18n.FOLDER)}/), found {args.lang!r}")
    args.lang = args.lang or _locale_lang(known)
    try:
        return _command(args, words=_words(speaking, args.lang), new=new, listing=listing, show=show)
    except Exception as exc:  # noqa: BLE001 -- the last resort: one located line, never a traceback
        print(faults.said(exc, args.project), file=sys.stderr)
        return 3


def _command(args: argparse.Namespace, *, words: Json, new: argparse.ArgumentParser, listing: argparse.ArgumentParser,
             show: argparse.ArgumentParser) -> int:

    if args.command == "rules":
        return _rules()
    if args.command == "generate":
        return _generate(args.project, only_check=args.check)
    if args.command == "synth":
        return _synth(args.project, args.out, args.entities, args.seed, words)
    if args.command == "export":
        return _export(args.project, args.dir, words)
    if args.command == "new":
        kind = skeleton.kind_of(args.kind)
        if kind is None:
            new.error(f"argument kind: expected one of {', '.join(k.name for k in KINDS)}, found {args.kind!r}")
        return _new(args.project, kind, args.id, args.title, args.lang, words)
    if args.command == "list":
        if args.kind and args.kind not in KIND_BY_NAME and args.kind not in KIND_BY_FOLDER:
            listing.error(f"argument kind: expected one of {', '.join(k.name for k in KINDS)}, found {args.kind!r}")
        return _list(args.project, args.kind, words)
    if args.command == "show":
        ref = Ref.parse(args.ref)
        if ref is None or ref.kind not in KIND_BY_NAME:
            show.error(f"argument ref: expected kind:id with a kind among {', '.join(k.name for k in KINDS)}, found {args.ref!r}")
        return _show(args.project, ref, words, args.lang)
    return _check(args.project, args.format, args.strict, words)


def _check(project: Path, form: str, strict: bool, words: Json) -> int:
    result = pipeline.check(project, parallel=True)
    said = [_said(f, words) for f in result.errors + result.warnings]  # errors first: they are what blocks
    errors, warnings = len(result.errors), len(result.warnings)
    failed = errors > 0 or (strict and warnings > 0)
    if form == "json":
        print(json.dumps({"errors": [_as_dict(f) for f in said[:errors]], "warnings": [_as_dict(f) for f in said[errors:]],
                          "valid": not failed}, ensure_ascii=False, indent=2))
    else:
        for finding in said:
            print(_annotation(finding) if form == "github" else finding)
    summary = words["invalid" if failed else "valid"].format(errors=errors, warnings=warnings,
                                                              project=project.resolve().name)
    print(summary, file=sys.stderr)
    return 1 if failed else 0


def _rules() -> int:
    listed = rules.listing()
    width = max(len(rule_id) for rule_id, _, _ in listed)
    for rule_id, level, checks in listed:
        print(f"{rule_id:<{width}}  {level:<7}  {checks}")
    print("\nKeys, each unique in its scope:", file=sys.stderr)
    for key, rule in rules.KEYS:
        print(f"  {key}: {rule}", file=sys.stderr)
    return 0


def _new(project: Path, kind: Kind, new_id: str, title: str | None, lang: str, words: Json) -> int:
    refused = skeleton.refusal(project, kind, new_id)
    if refused:
        where = f"data/{kind.folder}/{new_id}.yaml" if SLUG.fullmatch(new_id) else f"data/{kind.folder}/"
        print(f"{where}: {kind.name}: {refused.message}", file=sys.stderr)
        return 1
    translations, _ = i18n.load(project)
    chosen = translations.get(lang) or i18n.source_of(translations)
    text = skeleton.skeleton(kind, new_id, title, project / "data" / "schema", chosen.words if chosen else None)
    path = project / "data" / kind.folder / f"{new_id}.yaml"
    path.write_text(text, encoding="utf-8")
    print(words["wrote"].format(file=path.relative_to(project).as_posix()), file=sys.stderr)
    return 0


def _synth(project: Path, out: Path, entities: int, seed: int, words: Json) -> int:
    from . import synth  # here, as export below: `atlante check` need not import what they need

    try:
        written = synth.synthesise(project, out, entities, seed)
    except synth.Refused as refused:
        if refused.findings:
            return _refused_for(refused.findings, project, words, words["synth_invalid"].format(folder=out))
        print(words["synth_refused"].format(folder=refused.folder), file=sys.stderr)
        return 1
    print(words["synthesised"].format(count=sum(written.counts.values()), folder=written.folder,
                                      relations=written.relations), file=sys.stderr)
    return 0


def _said(finding: Finding, words: Json) -> Finding:
    """The finding in the command's language (the rules' templates in the translation files)."""
    return dataclasses.replace(finding, message=rules.localised(finding, words.get("findings") or {}, words["did_you_mean"]))


def _refused_for(findings: list[Finding], project: Path, words: Json, after: str) -> int:
    """A command refused for the data's findings: printed as `atlante check` prints them."""
    for finding in findings:
        print(_said(finding, words))
    errors = sum(1 for f in findings if f.level == "error")
    print(words["invalid"].format(errors=errors, warnings=len(findings) - errors, project=project.resolve().name),
          file=sys.stderr)
    if after:
        print(after, file=sys.stderr)
    return 1


def _export(project: Path, target: Path, words: Json) -> int:
    from . import export  # its rendering, citations and open data: only this command needs them

    try:
        written = export.export(project, target)
    except export.Refused as refused:
        if refused.findings:
            _refused_for(refused.findings, project, words, "")
        if refused.reason:
            print(refused.reason, file=sys.stderr)
        print(words["export_refused"].format(folder=target), file=sys.stderr)
        return 1
    for finding in written.warnings:
        print(_said(finding, words))
    print(words["exported"].format(folder=target, pages=sum(written.pages.values()), editions=len(written.pages)),
          file=sys.stderr)
    return 0


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number of entries, 0 or more, found {text!r}")
    return value


def _list(project: Path, kind_name: str | None, words: Json) -> int:
    result = pipeline.linked(project)
    if result.catalog is None:
        print(words["no_catalog"], file=sys.stderr)
        return 1
    kinds = [KIND_BY_NAME.get(kind_name) or KIND_BY_FOLDER[kind_name]] if kind_name else list(KINDS)
    for kind in kinds:
        entities = result.catalog.by_kind[kind.name]
        print(f"{kind.name} ({kind.folder}/): {words['count'].format(count=len(entities))}")
        for entity in entities:
            print(f"  {entity.ref}  {entity.title}")
    return 0


def _show(project: Path, ref: Ref, words: Json, lang: str) -> int:
    result = pipeline.linked(project)
    if result.catalog is None:
        print(words["no_catalog"], file=sys.stderr)
        return 1
    entity = result.catalog.get(ref)
    if entity is None:
        known = [str(e.ref) for e in result.catalog.by_kind[ref.kind]]
        close = difflib.get_close_matches(str(ref), known, n=1)
        hint = f"; {words['did_you_mean'].format(suggestion=close[0])}" if close else ""
        print(words["not_found"].format(ref=ref) + hint, file=sys.stderr)
        return 1
    translation = result.translations.get(lang) or result.translations[next(iter(result.translations))]
    print(f"{entity.ref}  {entity.text('title', lang)}")
    print(f"{words['file']}: {entity.file}")
    print(f"{words['summary']}: {entity.text('summary', lang)}")
    aliases = entity.data.get("aliases") or []
    if aliases:
        print(f"{words['aliases']}: {', '.join(str(a) for a in aliases)}")
    print(f"{words['statements']}:")
    for statement in entity.statements:
        print(f"  {statement.ref}  ({statement.number})  {statement.text_in(lang)}")
    for heading, inverse in (("outgoing", False), ("incoming", True)):
        links = [link for link in entity.links if link.inverse is inverse]
        print(f"{words[heading]}:" + ("" if links else f" {words['none']}"))
        for link in links:
            print(f"  {link.type} ({translation.relation(link.type, inverse)}): {link.target.ref}  {link.target.text('title', lang)}")
    return 0


def _annotation(finding: Finding) -> str:
    """A GitHub Actions workflow command: the finding on its file's line in the pull request."""
    level = "error" if finding.level == "error" else "warning"
    message = f"{finding.subject}: {finding.field}: {finding.message}"
    return (f"::{level} file={_property(finding.file)},line={finding.line},col={finding.col},"
            f"title={_property(f'atlante {finding.rule}')}::{_data(message)}")


def _data(text: str) -> str:  # GitHub's escaping of a workflow command's message
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:  # … and of its properties
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _as_dict(finding: Finding) -> dict[str, object]:
    return {"level": finding.level, "file": finding.file, "line": finding.line, "col": finding.col,
            "subject": finding.subject, "field": finding.field, "message": finding.message, "rule": finding.rule}


def _locale_lang(known: list[str]) -> str:
    """The language the locale names (LC_ALL, LC_MESSAGES, LANG: "it_IT.UTF-8" is "it") if a translation
    file has it, else the source language's (the first of `known`)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            lang = value.split(".")[0].split("_")[0].split("-")[0].lower()
            return lang if lang in known else known[0]
    return known[0]  # i18n.languages: the source language first


def _speaking(project: Path) -> Path:
    """Where the command's words are: the project's translation files, or, run outside a project, the
    ones of the checkout this code is in."""
    return project if i18n.folder(project).is_dir() else Path(__file__).resolve().parents[2]


def _words(project: Path, lang: str) -> Json:
    """The command's words in `lang`, from the project's translation files; where those cannot be
    read (the check then says why), the `cli` block of the file alone, else the bare figures."""
    translations, _ = i18n.load(project)
    chosen = translations.get(lang)
    if chosen and "cli" in chosen.words:
        return dict(chosen.words["cli"])
    found = i18n.block(project, lang, "cli")
    if found is not None:
        return {str(key): value for key, value in found.items()}
    return collections.defaultdict(str, valid="{errors} ✗ {warnings} ⚠ data/ ✓", invalid="{errors} ✗ {warnings} ⚠ {project}/data ✗")


def _generate(project: Path, *, only_check: bool) -> int:
    result = pipeline.check(project)
    translation_errors = [f for f in result.errors if f.file.startswith("overrides/")]
    if translation_errors:
        for finding in translation_errors:
            print(finding)
        return 1
    if only_check:
        stale = schemas.stale(project)
        for path in stale:
            print(f"{path.relative_to(project)}: not current; run `atlante generate`")
        return 1 if stale else 0
    for path, text in schemas.generate(project).items():
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(project)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
