"""Step 1: reading data files. Each refusal is asserted with its exact, located message."""

from __future__ import annotations

from pathlib import Path

from atlante import yamlsource
from atlante.kinds import KINDS
from atlante.load import load

from helpers import write


def read(text: str | bytes) -> tuple[object, yamlsource.Positions, list[str]]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    value, positions, findings = yamlsource.read(raw, "data/cities/x.yaml", "city:x")
    return value, positions, [str(f) for f in findings]


def test_positions_are_recorded_for_every_value_and_key() -> None:
    value, pos, problems = read("id: x\nrelations:\n  parte_di:\n    - circle:a\n    - circle:b\n")
    assert problems == []
    assert value == {"id": "x", "relations": {"parte_di": ["circle:a", "circle:b"]}}
    assert pos.of(("relations", "parte_di", 1)) == (5, 7)
    assert pos.of_key(("relations",)) == (2, 1)
    assert pos.of(("relations", "missing")) == (3, 3)  # a missing field points at its parent


def test_duplicate_key_names_both_lines() -> None:
    _, _, problems = read("id: x\ntitle: A\nsummary: s\ntitle: B\n")
    assert problems == ["data/cities/x.yaml:4:1: city:x: title: expected each field once, found 'title' twice (lines 2 and 4) (duplicate-key)"]


def test_invalid_yaml_is_located() -> None:
    _, _, problems = read('id: x\ntitle: "unclosed\n')
    assert problems == ["data/cities/x.yaml:2:8: city:x: (file): expected valid YAML, found a syntax error: found unexpected end of stream (while scanning a quoted scalar that starts at line 2, column 8) (syntax)"]


def test_tab_indentation_is_refused() -> None:
    _, _, problems = read("id: x\nrelations:\n\tparte_di: []\n")
    assert problems[0].startswith("data/cities/x.yaml:3:1: city:x: (file): expected valid YAML, found a syntax error: found character '\\t'")


def test_alias_is_refused_not_expanded() -> None:
    _, _, problems = read("id: &a x\ntitle: *a\n")
    assert problems == ["data/cities/x.yaml:2:1: city:x: title: expected plain values, found an alias (anchors and aliases '&'/'*' are not allowed) (syntax)"]


def test_python_tag_is_refused() -> None:
    _, _, problems = read("id: !!python/object/apply:os.system ['true']\n")
    assert problems == ["data/cities/x.yaml:1:5: city:x: id: expected a plain value, found the tag !!python/object/apply:os.system (syntax)"]


def test_merge_key_is_refused() -> None:
    _, _, problems = read("id: x\n<<: {title: A}\n")
    assert problems == ["data/cities/x.yaml:2:1: city:x: (file): expected plain field names, found a merge key '<<' (syntax)"]


def test_several_documents_are_refused() -> None:
    _, _, problems = read("id: x\n---\nid: y\n")
    assert problems == ["data/cities/x.yaml:2:1: city:x: (file): expected one YAML document, found a second document (a line '---' starts another) (syntax)"]


def test_document_that_is_a_list_is_refused() -> None:
    _, _, problems = read("- id: x\n")
    assert problems == ["data/cities/x.yaml:1:1: city:x: (file): expected a mapping of fields (id, title, …), found a list of 1 item (syntax)"]


def test_empty_file_is_refused() -> None:
    _, _, problems = read("# only a comment\n")
    assert problems == ["data/cities/x.yaml:1:1: city:x: (file): expected a mapping of fields (id, title, …), found an empty file (syntax)"]


def test_invalid_utf8_is_located() -> None:
    _, _, problems = read(b"id: x\ntitle: caf\xe9\n")
    assert problems == ["data/cities/x.yaml:2:11: city:x: (file): expected UTF-8 text, found the byte 0xe9 (syntax)"]


def test_byte_order_mark_is_accepted() -> None:
    value, _, problems = read("\ufeffid: x\n")
    assert problems == [] and value == {"id": "x"}


def test_deep_nesting_is_refused() -> None:
    _, _, problems = read("id: " + "[" * 40 + "]" * 40 + "\n")
    assert len(problems) == 1 and "expected at most 32 levels of nesting, found more" in problems[0]


def test_oversized_file_is_refused_before_parsing() -> None:
    _, _, problems = read("id: x\nbody: " + "a" * 1_000_001 + "\n")
    assert problems == ["data/cities/x.yaml:1:1: city:x: (file): expected a data file under 1,000,000 bytes, found 1,000,014 bytes (file-size)"]


def test_files_the_loader_would_skip_are_reported(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write(tmp_path, "data/cities/roma.yml", "id: roma\n")
    write(tmp_path, "data/cities/.bozza.yaml", "id: bozza\n")
    write(tmp_path, "data/note.yaml", "id: note\n")
    write(tmp_path, "data/citta/roma.yaml", "id: roma\n")
    write(tmp_path, "data/schema/ignored.json", "{}")
    documents, findings = load(data)
    folders = ", ".join(k.folder for k in KINDS)  # every kind folder, in the kinds' order
    assert documents == []
    assert [str(f) for f in findings] == [
        "data/cities/.bozza.yaml:1:1: city:bozza: (file): expected <id>.yaml, found a hidden file (name starting with '.') (file-layout)",
        "data/cities/roma.yml:1:1: city:roma: (file): expected a file name ending in .yaml, found 'roma.yml' (rename it to .yaml) (file-layout)",
        f"data/citta/roma.yaml:1:1: (file roma.yaml): (folder): expected a kind folder ({folders}), found 'citta' (file-layout)",
        f"data/note.yaml:1:1: (file note.yaml): (file): expected data files inside a kind folder ({folders}), found a file directly in data/ (file-layout)",
    ]
