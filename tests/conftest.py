from __future__ import annotations

from pathlib import Path

import pytest

from helpers import make_project, mkdocs_build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built once with `mkdocs build --strict`; tests read its HTML."""
    project = make_project(tmp_path_factory.mktemp("built"))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"
