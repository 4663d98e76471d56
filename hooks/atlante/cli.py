"""The `atlante` command for editors: `atlante check` validates data/ without building."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import pipeline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="atlante", description="Tools for the data of the brief.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate every file in data/ and report every problem; build nothing")
    check.add_argument("--project", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too, as `mkdocs build --strict` does")
    args = parser.parse_args(argv)

    result = pipeline.check(args.project)
    for finding in result.findings:
        print(finding)
    errors, warnings = len(result.errors), len(result.warnings)
    failed = errors > 0 or (args.strict and warnings > 0)
    print(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
          + (f" in {args.project.resolve().name}/data" if failed else ": data/ is valid"),
          file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
