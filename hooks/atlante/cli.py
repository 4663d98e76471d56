"""The `atlante` command for editors.

`atlante check` validates data/ (every language) without building; `atlante generate` rewrites the
parts of the schemas and of the README that come from the model's tables.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import pipeline, schemas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="atlante", description="Tools for the data of the brief.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate every file in data/ and report every problem; build nothing")
    check.add_argument("--project", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    check.add_argument("--strict", action="store_true",
                       help="fail on warnings too (an untranslated text, an orphan page), as the build does")
    generate = commands.add_parser("generate", help="rewrite the schemas' relation and language blocks and the README's relation table")
    generate.add_argument("--project", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    generate.add_argument("--check", action="store_true", help="write nothing; exit 1 if a generated file is not current")
    args = parser.parse_args(argv)
    if args.command == "generate":
        return _generate(args.project, only_check=args.check)

    result = pipeline.check(args.project)
    for finding in result.findings:
        print(finding)
    errors, warnings = len(result.errors), len(result.warnings)
    failed = errors > 0 or (args.strict and warnings > 0)
    print(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
          + (f" in {args.project.resolve().name}/data" if failed else ": data/ is valid"),
          file=sys.stderr)
    return 1 if failed else 0


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
