"""The core in one call: load -> validate -> link -> render, with no MkDocs in sight.

The MkDocs hooks and the `atlante` command both call `run`; tests call it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FsPath

from .catalog import link
from .load import Document, load
from .model import Catalog, Finding
from .render import Page, render
from .validate import validate

SITE_TITLE = "Piattaforme metropolitane/regionali e nazionali e circoli magici del made in Italy"


@dataclass
class Result:
    findings: list[Finding]
    catalog: Catalog | None = None
    pages: list[Page] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]


def check(project: FsPath, *, docs_dir: FsPath | None = None) -> Result:
    """Load and validate `project/data`; no catalog, no pages. Hand-written pages are in `docs_dir`."""
    return _checked(project, docs_dir or project / "docs")[1]


def run(project: FsPath, *, docs_dir: FsPath | None = None, title: str = SITE_TITLE, lang: str = "it") -> Result:
    """Every finding and, when there is no error, the catalog and the rendered pages."""
    documents, result = _checked(project, docs_dir or project / "docs")
    if result.errors:
        return result
    result.catalog = link(documents, lang=lang)
    result.pages = render(result.catalog, project / "overrides" / "atlante", title=title, lang=lang)
    return result


def _checked(project: FsPath, docs_dir: FsPath) -> tuple[list[Document], Result]:
    data_dir = project / "data"
    documents, findings = load(data_dir, shown_root=project)
    findings += validate(documents, data_dir / "schema", docs_dir=docs_dir)
    return documents, Result(sorted(set(findings), key=_where))


def _where(f: Finding) -> tuple[str, int, int, str, str]:
    return (f.file, f.line, f.col, f.field, f.message)
