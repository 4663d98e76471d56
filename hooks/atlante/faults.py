"""The last resort: an error nobody foresaw, said in one located line, never as a traceback.

Every mistake an editor can make in data/, the schemas, the templates or the translation files is a
finding of a rule, located and explained. Should something else still go wrong (a fault of the site's
own code, met by some input no rule foresaw), the reader of the build's log, the preview's page or
`atlante check`'s output gets one line: where (the file being worked on, the template and its line if
one was rendering), what happened, and that it is a fault to report, not theirs to fix. The command
then exits with a failure and the build writes nothing.

Where: the steps note the file they are working on in `working` (a plain assignment per file, no
cost worth measuring); the template and line come from the traceback, which Jinja rewrites to point
at the template's own lines.
"""

from __future__ import annotations

import traceback
from pathlib import Path as FsPath

# What the core is working on, set by the steps as they go: the data file, or the page being rendered
working: dict[str, str | None] = {"file": None, "doing": None}

REPORT = "This is a fault of the site's code, not of your files: please report it, with this line, to the maintainers."


def note(file: str | None, doing: str) -> None:
    """The core now works on `file` (a data file, a page): where an unforeseen error will be said."""
    working["file"], working["doing"] = file, doing


def said(exc: BaseException, project: FsPath | None = None) -> str:
    """`exc`, unforeseen, as one line: the file being worked on, the template line if a template was
    rendering, the error, and what to do."""
    where = working["file"] or "(build)"
    doing = f" while {working['doing']}" if working["doing"] else ""
    template = _template_line(exc, project)
    at = f" (at {template})" if template else ""
    what = " ".join(f"{type(exc).__name__}: {exc}".split())
    if len(what) > 300:
        what = what[:297] + "…"
    line = f"{where}: an unexpected error{doing}{at}: {what}. {REPORT}"
    return line.encode("utf-8", "backslashreplace").decode("utf-8")  # (a lone surrogate it quotes: its code)


def _template_line(exc: BaseException, project: FsPath | None) -> str | None:
    """The innermost template file and line of `exc`'s traceback (Jinja gives its frames the
    template's name and lines), relative to the project; None if no template was rendering."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        name = frame.filename
        if name.endswith((".md", ".html", ".svg", ".css")) and "site-packages" not in name:
            found = f"{_shown(name, project)}:{frame.lineno}"
    return found


def _shown(path: str, project: FsPath | None) -> str:
    if project is not None:
        try:
            return FsPath(path).resolve().relative_to(project.resolve()).as_posix()
        except ValueError:
            pass
    return path
