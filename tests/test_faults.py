"""The last resort: an error nobody foresaw is said in one located line, with what to do, never as a
traceback, by `atlante check`, the build and (test_serve.py) the preview; the build writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlante import rules

from helpers import atlante, edit, frozen_project, make_project, mkdocs_build

TEMPLATE_FAULT = "{{ (1 // 0) if e.id == 'milano' else '' }}"  # a template that fails on one page only (the
# frozen Milano's: helpers.frozen_project)


def test_check_says_an_unforeseen_error_in_one_located_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)

    def broken(context: rules.Context) -> object:
        raise RuntimeError("injected by the test")

    monkeypatch.setattr(rules, "run", broken)
    result = atlante(project, "check")
    assert result.returncode == 3
    assert "Traceback" not in result.stdout + result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("data/: an unexpected error while applying the rules: RuntimeError: injected by the test.")
    assert "please report it" in line


def test_export_says_a_templates_unforeseen_error_at_its_line(tmp_path: Path) -> None:
    project = frozen_project(tmp_path)
    edit(project, "overrides/atlante/entity.html", "{% include \"updated.html\" %}\n", "{% include \"updated.html\" %}\n" + TEMPLATE_FAULT + "\n")
    result = atlante(project, "export", str(tmp_path / "out"))
    assert result.returncode == 3 and "Traceback" not in result.stdout + result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("data/cities/milano.yaml: an unexpected error while rendering its page (it) "
                           "(at overrides/atlante/entity.html:")
    assert "ZeroDivisionError" in line and "please report it" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.build
def test_the_build_says_an_unforeseen_error_in_one_located_line_and_writes_nothing(tmp_path: Path) -> None:
    project = frozen_project(tmp_path)
    edit(project, "overrides/atlante/entity.html", "{% include \"updated.html\" %}\n", "{% include \"updated.html\" %}\n" + TEMPLATE_FAULT + "\n")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    said = [ln for ln in result.stderr.splitlines() if "unexpected error" in ln]
    assert len(said) == 1 and "data/cities/milano.yaml: an unexpected error while rendering its page (it) (at " \
        "overrides/atlante/entity.html:" in said[0] and "please report it" in said[0], result.stderr
    assert not (project / "site").exists()
