"""Adding a kind touches its declaration (and its types), its schema, the translation files and its
data: no test, and no other module.

A copy of the project gets a tenth kind (helpers.add_kind: `district`, with a relation type of its
own, its types in entities.py, the words for both in every translation file, its schema, two
entries linking to cities and a concept of the data); the core then checks it, renders its pages and
links them both ways; `atlante synth` grows it with the others; the copy type-checks; and the
generic tests, run on that copy as they are, pass. The kind's code lives in the copy's hooks/, so
all run in a process of their own, which imports the copy's atlante.
"""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import NEW_ENTRIES, NEW_FOLDER, NEW_KIND, NEW_RELATION, PROJECT_PARTS, ROOT, add_kind, env, make_project

# The files a new kind may touch: its declaration, its types, its schema, the translation files, its data,
# the editor's schema mapping, and the README's relation table (written by `atlante generate`)
DECLARATION = {"hooks/atlante/kinds.py", "hooks/atlante/entities.py"}
ALLOWED = {*DECLARATION, f"data/schema/{NEW_KIND}.schema.json", "overrides/atlante/i18n/it.yaml",
           "overrides/atlante/i18n/en.yaml", ".vscode/settings.json", "README.md",
           *(f"data/{NEW_FOLDER}/{id_}.yaml" for id_ in NEW_ENTRIES)}

# The core on the copy, in both editions: every finding, every page, and the lines of a few pages
RUN = """
import json, sys
from pathlib import Path
from atlante import pipeline
project, out = Path(sys.argv[1]), {}
for lang in ("it", "en"):
    result = pipeline.run(project, lang=lang)
    pages = {p.src_uri: p.markdown if p.html is None else p.markdown + p.html for p in result.pages}
    out[lang] = {"findings": [str(f) for f in result.findings], "pages": sorted(pages),
                 "shown": {uri: pages.get(uri, "") for uri in sys.argv[2:]}}
print(json.dumps(out))
"""


def changed(copy: Path, parts: tuple[str, ...]) -> set[str]:
    """The files of `copy` that differ from (or are not in) the real project, below `parts`."""
    found = set()
    for part in parts:
        if (copy / part).is_file():
            found |= set() if filecmp.cmp(copy / part, ROOT / part, shallow=False) else {part}
            continue
        for path in (copy / part).rglob("*"):
            rel = path.relative_to(copy).as_posix()
            if path.is_file() and "__pycache__" not in rel and (
                    not (ROOT / rel).is_file() or not filecmp.cmp(path, ROOT / rel, shallow=False)):
                found.add(rel)
    return found


def in_copy(copy: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """`python <args>` run in the copy, with the copy's atlante on the path before the installed one."""
    return subprocess.run([sys.executable, *args], cwd=copy, env={**env(), "PYTHONPATH": str(copy / "hooks")},
                          capture_output=True, text=True, timeout=timeout)


def test_a_new_kind_is_checked_rendered_and_linked_both_ways(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    links = add_kind(project)
    assert changed(project, PROJECT_PARTS) <= ALLOWED
    mobile, city = f"{NEW_FOLDER}/{NEW_ENTRIES[0]}.md", f"cities/{links.cities[0]}.md"
    result = in_copy(project, "-c", RUN, str(project), mobile, city, f"{NEW_FOLDER}/index.md", "campi.md", "fields.md")
    assert result.returncode == 0, result.stderr
    run = json.loads(result.stdout)
    words = {lang: (project / "overrides" / "atlante" / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8") for lang in run}
    for lang, edition in run.items():
        assert edition["findings"] == []
        assert {f"{NEW_FOLDER}/index.md", *(f"{NEW_FOLDER}/{id_}.md" for id_ in NEW_ENTRIES)} <= set(edition["pages"])
        shown = edition["shown"]
        city_page = city.removesuffix(".md")
        assert f'href="../../{city_page}/"' in shown[mobile] and f'href="../../concepts/{links.concept}/"' in shown[mobile]
        assert f'href="../../{NEW_FOLDER}/{NEW_ENTRIES[0]}/"' in shown[city]  # the inverse, on the city's page
        assert f'href="{NEW_ENTRIES[1]}/"' in shown[f"{NEW_FOLDER}/index.md"]
        assert f"{{ #{NEW_KIND} }}" in shown[{"it": "campi.md", "en": "fields.md"}[lang]]  # the field reference, from its schema
        for heading in (f"{NEW_RELATION}: {{forward: ", "inverse: "):  # the relation's headings, in this language
            assert heading in words[lang]
        forward, inverse = words[lang].split(f"  {NEW_RELATION}: {{forward: ")[1].split("}")[0].split(", inverse: ")
        assert forward in shown[mobile] and inverse in shown[city]


# `atlante synth` on the copy: the grown data, checked; the entries written, kind by kind
SYNTH = """
import json, sys
from pathlib import Path
from atlante import pipeline, synth
project, out = Path(sys.argv[1]), Path(sys.argv[2])
written = synth.synthesise(project, out, 150, seed=5)
checked = pipeline.check(out)
print(json.dumps({"counts": written.counts, "shares": synth.shares(),
                  "findings": [str(f) for f in checked.errors + checked.warnings]}))
"""


def test_synth_grows_a_new_kind_with_the_others_and_its_entries_are_valid(tmp_path: Path) -> None:
    """synth.py names no kind: the new one, which declares no share, gets the average kind's, and its
    entries (their `named_as` required by its schema, their relations of its own type) pass the checks."""
    project = make_project(tmp_path)
    add_kind(project)
    assert changed(project, ("hooks",)) == DECLARATION  # synth.py as it is
    grown = tmp_path / "grown"
    grown.mkdir()
    for part in PROJECT_PARTS:  # the project without its data, which synth writes
        if part != "data":
            (shutil.copytree if (project / part).is_dir() else shutil.copy2)(project / part, grown / part)
    result = in_copy(project, "-c", SYNTH, str(project), str(grown))
    assert result.returncode == 0, result.stderr
    run = json.loads(result.stdout)
    assert run["findings"] == []
    assert sum(run["counts"].values()) == 150 and run["counts"][NEW_KIND] > 0
    others = [share for kind, share in run["shares"].items() if kind != NEW_KIND]
    assert run["shares"][NEW_KIND] == pytest.approx(sum(others) / len(others))
    assert len(list((grown / "data" / NEW_FOLDER).glob("synth-*.yaml"))) == run["counts"][NEW_KIND]


# The tests that follow the kinds and the data (those not marked brief, build, browser or slow), in two
# groups that run side by side: the modules that iterate over the kinds or read every file of data/,
# and those of what is made from them (build, export, citations, open data, figures, synth, preview),
# with the least number of passing tests each must show (not a vacuous run)
GENERIC = {
    "core": (("test_catalog.py", "test_load.py", "test_render.py", "test_validate.py", "test_reference.py", "test_data.py",
              "test_flat_csv.py", "test_opendata.py", "test_translations.py", "test_tooling.py", "test_types.py"), 200),
    "made": (("test_build.py", "test_cli.py", "test_export.py", "test_faults.py", "test_figures.py", "test_citing.py",
              "test_citeproc.py", "test_publishing.py", "test_synth.py", "test_preview.py", "test_serve.py", "test_registry.py",
              "test_languages.py", "test_scale.py", "test_pdf.py", "test_adapter.py", "test_engines.py", "test_fast_paths.py"), 250),
}
# Left out, and why: the committed CITATION.cff's date is the day git says its version was set, and the
# copy has no git history
NEEDS_HISTORY = ("tests/test_citing.py::test_citation_cff_is_valid_and_agrees_with_the_configuration",)
IGNORED = shutil.ignore_patterns(".git", ".venv*", "node_modules", ".cache", "site", "__pycache__", "_artifacts", ".pytest_cache")


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("group", GENERIC)
def test_the_generic_tests_pass_unchanged_on_a_project_with_a_new_kind(tmp_path: Path, group: str) -> None:
    copy = tmp_path / "repository"
    shutil.copytree(ROOT, copy, ignore=IGNORED, symlinks=True)
    for tool in (".venv", "node_modules", ".cache", ".venv-cff", ".venv-properdocs", ".venv-zensical"):
        if (ROOT / tool).exists():
            (copy / tool).symlink_to((ROOT / tool).resolve())
    add_kind(copy)
    assert changed(copy, ("tests",)) == set()
    modules, least = GENERIC[group]
    result = in_copy(copy, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-m",
                     "not brief and not build and not browser and not slow", *(f"tests/{name}" for name in modules),
                     *(f"--deselect={test}" for test in NEEDS_HISTORY), timeout=840)
    assert result.returncode == 0, result.stdout[-6000:]
    summary = result.stdout.splitlines()[-1]
    assert int(summary.split(" passed")[0].split()[-1]) >= least and "failed" not in summary, summary  # not a vacuous run


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_copy_with_a_new_kind_type_checks(tmp_path: Path) -> None:
    """mypy --strict (pyproject.toml's configuration) on the copy's hooks/: the new kind's types join
    the others' and no other module needs an edit to accept it."""
    project = make_project(tmp_path)
    add_kind(project)
    result = in_copy(project, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache"), timeout=540)
    assert result.returncode == 0 and "Success: no issues found" in result.stdout, result.stdout[-3000:]
