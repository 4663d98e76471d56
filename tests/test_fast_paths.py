"""The fast paths of `atlante check` say what the careful ones say, finding for finding.

A data file is read in one pass over libyaml's events, and read again by the pure-Python parser
only when something is unusual; a document is validated by the compiled validator (jsonschema-rs),
and by jsonschema only when the compiled one does not accept it. These tests run both ways on the
hostile corpus and on a synthetic data set with errors injected of every kind the schemas know,
and compare the findings.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from atlante import i18n, synth, validate, yamlsource
from atlante.load import Document, load

from helpers import ROOT, frozen_project, make_project
from hostile import CASES

# ---------------------------------------------------------------------------------------------
# Reading: the one-pass reader and the careful parser
# ---------------------------------------------------------------------------------------------


def _careful(raw: bytes, file: str, subject: str) -> yamlsource.Read:
    fast = yamlsource._FAST
    yamlsource._FAST = None  # the pure-Python parser, as for a file the fast reader leaves to it
    try:
        return yamlsource.read(raw, file, subject)
    finally:
        yamlsource._FAST = fast


def _same_read(raw: bytes) -> None:
    quick, careful = yamlsource.read(raw, "f.yaml", "s"), _careful(raw, "f.yaml", "s")
    assert (repr(quick[0]), quick[1], quick[2]) == (repr(careful[0]), careful[1], careful[2]), raw[:300]


@pytest.mark.brief  # the hostile corpus edits the real brief's files
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_one_pass_reader_reads_each_hostile_file_as_the_careful_parser(case, tmp_path: Path) -> None:
    project = frozen_project(tmp_path)  # Milano as the hostile cases know it
    case.mutate(project)
    changed = [p for p in sorted((project / "data").rglob("*")) if p.is_file() and "schema" not in p.parts
               and (not (ROOT / p.relative_to(project)).is_file() or (ROOT / p.relative_to(project)).read_bytes() != p.read_bytes())]
    for path in changed:
        _same_read(path.read_bytes())


YAML_FORMS = [
    "a: 1\nb: 1.5\nc: .nan\nd: -.inf\ne: 2024-01-02\nf: 2024-01-02 10:00:00\ng: yes\nh: on\ni: ~\nj:\nk: ''\n",
    "0x1F: hex key\n1: int key\ntrue: bool key\nnull: null key\n2024-01-01: date key\n12_000: x\n1:30: sexagesimal\n",
    'l: "multi\n  line"\nm: >\n  folded ri-\n  personalizzazione\nn: |\n  literal ri-\n  personalizzazione\n'
    "o: plain ri-\n  personalizzazione on\np: pre- e\n  post-industriale\n",
    "p: [a, b, {c: d}]\nq: {x: 1, y: [1, 2]}\nr:\n- b\n- c:\n  - d\n  - e: [f, {g: h}]\n",
    "=: value key\n", "<<: {a: 1}\n", "a: &x 1\nb: *x\n", "a: &x 1\n", "a: !!str 1\n", "a: !custom 1\n",
    "a: 1\na: 2\n", "- a\n- list\n", "scalar\n", "---\na: 1\n---\nb: 2\n", "--- ~\n", "? complex\n: value\n",
    "? [a]\n: value\n", 'a: "\\u00e9\\x41\\t\\x07"\nb: \'it\'\'s\'\n', "a: 2024-02-30\n", "a: [1, 2\n", "a:\n\tb: 1\n",
    "a: " + "[" * 40 + "]" * 40 + "\n", "a:\n" + "".join("  " * i + "- \n" for i in range(40)),
]


@pytest.mark.parametrize("text", YAML_FORMS)
def test_the_one_pass_reader_reads_every_form_as_the_careful_parser(text: str) -> None:
    _same_read(text.encode())


# ---------------------------------------------------------------------------------------------
# Validation: the compiled validator and jsonschema
# ---------------------------------------------------------------------------------------------


def _both_ways(project: Path, documents: list[Document]) -> tuple[list, list]:
    schema_dir, languages = project / "data" / "schema", tuple(i18n.languages(project))
    found = [validate.validate(documents, schema_dir, project / "docs", languages, fast=fast) for fast in (True, False)]
    return sorted(map(str, found[0])), sorted(map(str, found[1]))


@pytest.mark.brief  # the hostile corpus edits the real brief's files
@pytest.mark.parametrize("case", [c for c in CASES if c.rejected], ids=[c.name for c in CASES if c.rejected])
def test_the_compiled_validator_finds_what_jsonschema_finds_in_the_hostile_corpus(case, tmp_path: Path) -> None:
    project = frozen_project(tmp_path)  # Milano as the hostile cases know it
    case.mutate(project)
    documents, _ = load(project / "data", shown_root=project)
    fast, careful = _both_ways(project, documents)
    assert fast == careful


def _del(name: str) -> Callable[[dict], None]:
    return lambda d: d.pop(name, None)


def _set(name: str, value: object) -> Callable[[dict], None]:
    return lambda d: d.__setitem__(name, value)


def _inner(name: str, key: str, value: object) -> Callable[[dict], None]:
    def apply(d: dict) -> None:
        if isinstance(d.get(name), dict):
            d[name][key] = value
        else:
            d[name] = {key: value}
    return apply


def _first_relation(value: object) -> Callable[[dict], None]:
    def apply(d: dict) -> None:
        relations = d.get("relations") or {}
        for targets in relations.values():
            targets.append(value)
            return
        d["relations"] = {"nowhere": [value]}
    return apply


# Every kind of schema problem, and values where the two validators' engines differ (Python's `re`
# and Rust's regular expressions, values JSON has no name for).
INJECTED: list[Callable[[dict], None]] = [
    _del("title"), _del("id"), _del("summary"), _set("titel", "x"), _set("xx", {"a": 1}), _set("fr", {"title": "x"}),
    _set("title", 42), _set("title", ""), _set("title", None), _set("title", "x" * 5000), _set("title", ["a"]),
    _set("title", True), _set("id", "Not-A-Slug"), _set("id", "slug\n"), _set("id", "slug\x1c"), _set("id", "ślug"),
    _set("id", datetime.date(2024, 1, 2)), _set("tags", ["a", "a"]), _set("tags", "one"), _set("tags", [1, 1.0]),
    _set("tags", ["made-in-italy", "made-in-italy\n"]), _set("sources", []), _set("sources", ["slide-1#x\n"]),
    _set("sources", ["slide-1"]), _set("aliases", ["Old"]), _set("region", "Lombardi"), _set("region", 1),
    _inner("coordinates", "lat", 91), _inner("coordinates", "lat", float("nan")), _inner("coordinates", "lon", 10**30),
    _inner("coordinates", "lat", "45"), _inner("coordinates", "extra", 1), _inner("en", "title", ""),
    _inner("en", "summary", 3), _inner("en", "unknown", "x"), _first_relation("city:Milano"), _first_relation("milano"),
    _first_relation("city:milano\n"), _first_relation(7), _set("relations", {"nonexistent": ["city:milano"]}),
    _set("added", [{"fields": ["region"], "source": "https://example.org/x\x85"}]), _set("added", [{"fields": []}]),
    _set("body", "https://a.b/\u00a0"), _set(1, "a key that is a number"), _set("category", "Applicazione"),
    _set("statements", [{"id": "a", "text": "x"}, {"id": "a", "text": "x"}]), _set("statements", [{"text": "x"}]),
    _set("named_as", "x\u2028y"), _set("added", [{"fields": ["region"], "source": "x", "url": "http://no"}]),
    _set("added", [{"fields": ["region"], "source": "x", "url": "https://a.b/c d"}]),
    _set("added", [{"fields": ["region"], "source": "x", "url": "https://a.b/c\x1cd"}]),
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Document]]:
    project = make_project(tmp_path_factory.mktemp("fast"), data=False)
    synth.synthesise(ROOT, project, 300, seed=3)
    documents, findings = load(project / "data", shown_root=project)
    assert findings == []
    return project, documents


def test_the_compiled_validator_finds_what_jsonschema_finds_in_synthetic_data_with_errors(synthetic) -> None:
    project, documents = synthetic
    broken = []
    for i, doc in enumerate(documents):
        data = json.loads(json.dumps(doc.data, default=str))  # a copy: the module's documents stay valid
        INJECTED[i % len(INJECTED)](data)
        if i % 3 == 0:
            INJECTED[(i * 7 + 1) % len(INJECTED)](data)
        broken.append(dataclasses.replace(doc, data=data, digest=""))  # no digest: nothing remembered
    fast, careful = _both_ways(project, broken)
    assert fast == careful
    assert sum(": expected" in f and f.endswith("(schema)") for f in careful) > len(INJECTED)
    validators, _ = validate._validators(project / "data" / "schema")
    accepted = sum(validators[d.kind].accepts(d.data) for d in broken)
    assert 0 < accepted < len(broken)  # both paths were taken


def test_the_compiled_validator_accepts_the_valid_synthetic_data(synthetic) -> None:
    project, documents = synthetic
    validators, broken = validate._validators(project / "data" / "schema")
    assert broken == [] and all(validators[d.kind].accepts(d.data) for d in documents)
    assert _both_ways(project, documents) == ([], [])


BROKEN_SCHEMAS = [
    {"type": "strin"}, {"pattern": "("}, {"properties": {"a": {"pattern": "[a-"}}}, {"patternProperties": {"(": {}}},
    {"required": "id"}, {"minLength": -1}, {"items": [{}]}, {"$defs": {"a": {"enum": 1}}}, {"additionalProperties": 3},
    {"$anchor": "a\n"}, {"type": "string"}, {"properties": {"pattern": {"type": "string"}}}, {"examples": [{"pattern": "("}]},
]


@pytest.mark.parametrize("schema", BROKEN_SCHEMAS, ids=[json.dumps(s) for s in BROKEN_SCHEMAS])
@pytest.mark.parametrize("declared", [validate.DRAFT_2020_12, "http://json-schema.org/draft-07/schema#", None])
def test_a_schema_is_judged_as_jsonschema_judges_it(schema: dict, declared: str | None) -> None:
    import jsonschema

    schema = {**schema, **({"$schema": declared} if declared else {})}
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
        expected = None
    except jsonschema.SchemaError as exc:
        expected = exc.message
    found = validate._schema_error(schema)
    assert (found.message if found is not None else None) == expected


# ---------------------------------------------------------------------------------------------
# Reading in two processes (atlante check, many files): the same documents and findings, in order
# ---------------------------------------------------------------------------------------------


def test_reading_in_two_processes_gives_what_one_process_gives(synthetic, tmp_path: Path, monkeypatch) -> None:
    import shutil

    from atlante import load as loading

    data = tmp_path / "data"
    shutil.copytree(synthetic[0] / "data", data)
    broken = sorted(data.glob("themes/*.yaml"))
    broken[0].write_text("title: [unclosed\n", encoding="utf-8")  # a syntax error, early in the order
    broken[-1].write_bytes(b"title: \xff\n")  # not UTF-8: late, so in the other process's half
    (data / "cities" / "notes.txt").write_text("x", encoding="utf-8")  # a layout finding among them
    (data / "stray.yaml").write_text("x: 1", encoding="utf-8")
    one = load(data, shown_root=tmp_path)
    monkeypatch.setattr(loading, "PARALLEL_FROM", 2)
    read_here = []
    real = yamlsource.read
    monkeypatch.setattr(yamlsource, "read", lambda *job: (read_here.append(job[1]), real(*job))[1])
    two = load(data, shown_root=tmp_path, parallel=True)
    assert len(one[0]) > 300 and [f.rule for f in one[1]].count("syntax") == 2 and len(one[1]) == 4
    assert two == one
    # this process read the first half; the second came through the pipe (the fork's calls are not seen here)
    read = [d.file for d in one[0]]
    assert read_here == read[: len(read) // 2]
