"""MkDocs adapter for the atlante core: it only sequences events.

on_config   runs the core (load, validate, link, render) on data/, reports every finding at once
            and stops the build before anything is written if there is an error; sets the nav.
on_files    adds each rendered page in memory (File.generated); the core has already refused a
            hand-written page at a generated address.
on_page_content  sanitises the HTML of generated pages (Markdown fields may carry HTML).

Builds are dated by the last commit (SOURCE_DATE_EPOCH) unless the caller sets a date.

The module is loaded once per process and stays loaded under `mkdocs serve`, so all state is
rebuilt in on_config on every build.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from atlante import pipeline
from atlante.render import REQUIRED_EXTENSIONS, navigation
from atlante.sanitize import clean_html

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.atlante")

_result: pipeline.Result | None = None

# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _result
    _result = None
    missing = [ext for ext in REQUIRED_EXTENSIONS if ext not in config.markdown_extensions]
    if missing:
        raise PluginError(f"mkdocs.yml: markdown_extensions: expected {', '.join(missing)}, found them missing")
    project = Path(config.config_file_path).parent
    _pin_build_date(project)
    result = pipeline.run(project, docs_dir=Path(config.docs_dir))
    for warning in result.warnings:
        log.warning(str(warning))
    if result.errors:
        raise PluginError(_summary(result))
    assert result.catalog is not None
    config.nav = navigation(result.catalog, extra=config.nav or [])
    _result = result
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    assert _result is not None  # on_config stopped the build otherwise
    # The core has refused any hand-written page at a generated address (validate._address_findings).
    for page in _result.pages:
        file = File.generated(config, page.src_uri, content=page.markdown)
        if not page.in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV  # reachable from its kind's index page
        files.append(file)
    return files


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    if page.file.generated_by is None:
        return None  # hand-written pages are trusted like code
    return clean_html(html)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _pin_build_date(project: Path) -> None:
    """Date the build by the last commit, so that two builds of a commit are byte-identical.

    MkDocs dates the sitemap and its gzip header from SOURCE_DATE_EPOCH when it is set; a value
    given by the caller wins.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        return
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=project, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return
    if out.returncode == 0 and out.stdout.strip().isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = out.stdout.strip()


def _summary(result: pipeline.Result) -> str:
    errors = result.errors
    lines = [str(f) for f in errors]
    lines.append(f"{len(errors)} error{'s' if len(errors) != 1 else ''} in data/: nothing was built.")
    return "\n".join(lines)
