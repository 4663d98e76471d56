"""How findings name things: field paths, found values, near misses."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .model import Path


def dotted(path: Path) -> str:
    """('relations', 'parte_di', 0) -> 'relations.parte_di[0]'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe(value: object) -> str:
    """How a found value is named in messages."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "…"
        return repr(shown)
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__} ({value})"


DID_YOU_MEAN = "did you mean {suggestion}?"


def closest(word: object, known: Iterable[str]) -> str:
    """The known name closest to `word` ('title' for 'titel'), or '' when none is close."""
    if not isinstance(word, str):
        return ""
    match = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return match[0] if match else ""


def suggest(word: object, known: Iterable[str]) -> str:
    """' (did you mean 'title'?)' when a known name is close to `word`, else ''."""
    return _hint(closest(word, known), DID_YOU_MEAN)


def phrase(template: str, args: Iterable[tuple[str, str]], did_you_mean: str = DID_YOU_MEAN) -> str:
    """A message from its template and named values; `{hint}` holds a near miss, said with `did_you_mean`."""
    values = dict(args)
    values["hint"] = _hint(values.get("hint", ""), did_you_mean)
    return template.format(**values)


def _hint(name: str, did_you_mean: str) -> str:
    return " (" + did_you_mean.format(suggestion=f"'{name}'") + ")" if name else ""
