"""Figures, not assertions: how long Python-Markdown (with the site's extensions) takes over the worst
Markdown bodies a data file can hold, and which of them the rule `markdown-structure` refuses.

    .venv/bin/python benchmarks/markdown_budget.py

Each body is 20 000 characters (the schema's longest `body`); each is rendered three times and the
median printed, slowest first. A body the rule refuses never reaches the renderer in a build: its
time says what the rule saves.
"""

from __future__ import annotations

import statistics
import time

import markdown

from atlante.rules import markdown_problem

EXTENSIONS = ["attr_list", "admonition", "tables", "def_list", "pymdownx.escapeall", "toc"]  # the site's
LENGTH = 20_000


def fill(unit: str) -> str:
    return (unit * (LENGTH // len(unit) + 1))[:LENGTH]


BODIES = {
    "10 000 '[' then emphasis": "[" * 10_000 + "*a* " * 2_500,
    "2 000 '[' then emphasis": "[" * 2_000 + fill("*a* ")[: LENGTH - 2_000],
    "2 000 '_' around a word": "_" * 2_000 + "a" + "_" * 2_000,
    "3 000 unclosed '[x]('": "[x](" * 3_000,
    "16 '[' left open, then text": "[" * 16 + fill("a *b* ")[: LENGTH - 16],
    "brackets 16 deep, again and again": fill("[" * 16 + "a" + "]" * 16 + " "),
    "a link in brackets 15 deep": fill("[" * 15 + "[x](y)" + "]" * 15),
    "links [a](b)": fill("[a](b) "),
    "images ![a](b.png)": fill("![a](b.png) "),
    "***a*** again and again": fill("***a*** "),
    "*_*a*_* again and again": fill("*_*a*_* "),
    "parentheses 16 deep": fill("(" * 16 + "a" + ")" * 16 + " "),
    "lists 8 deep, again and again": fill("".join("    " * i + "- a\n" for i in range(8))),
    "quotations 8 deep, again and again": fill("> " * 8 + "a\n\n"),
    "raw HTML <b>a</b>": fill("<b>a</b> "),
    "code spans `a`": fill("`a` "),
    "autolinks": fill("<https://a.it/> "),
    "attribute lists": fill("a { .x }\n\n"),
    "plain words": fill("parola "),
}


def main() -> None:
    rows = []
    for name, text in BODIES.items():
        problem = markdown_problem(text)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            try:
                markdown.markdown(text, extensions=EXTENSIONS)
            except RecursionError:
                pass
            times.append(time.perf_counter() - started)
        rows.append((statistics.median(times), name, "refused" if problem else "allowed"))
    print("| body (20 000 characters) | rule | Python-Markdown (median of 3) |\n| --- | --- | ---: |")
    for took, name, verdict in sorted(rows, reverse=True):
        print(f"| {name} | {verdict} | {took:.3f} s |")


if __name__ == "__main__":
    main()
