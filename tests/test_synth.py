"""`atlante synth`: the brief's data grown by N synthetic entries, valid, linked and reproducible."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from pathlib import Path

import pytest
import yaml

from atlante import geo, pipeline, synth
from atlante.kinds import KIND_BY_FOLDER, KINDS, RELATION_BY_NAME, SOURCE, Kind

from helpers import ROOT, atlante, make_project

N = 200


def _files(data: Path) -> dict[str, bytes]:
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


def _synthetic(data: Path) -> list[tuple[str, dict]]:
    return [(KIND_BY_FOLDER[p.parent.name].name, yaml.safe_load(p.read_text(encoding="utf-8")))
            for p in sorted(data.glob("*/synth-*.yaml"))]


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project, its data/ replaced by the brief's data and N synthetic entries (seed 7)."""
    project = make_project(tmp_path_factory.mktemp("synth"), data=False)
    synth.synthesise(ROOT, project, N, seed=7)
    return project


def test_the_grown_data_has_no_error_and_no_warning(grown: Path) -> None:
    result = pipeline.check(grown)
    assert result.errors == [] and result.warnings == []


def test_it_holds_the_real_data_unchanged(grown: Path) -> None:
    real, written = _files(ROOT / "data"), _files(grown / "data")
    assert {name: written.get(name) for name in real} == real


def test_the_counts_of_each_kind_add_up_to_n_in_the_declared_proportions(grown: Path) -> None:
    counts = Counter(kind for kind, _ in _synthetic(grown / "data"))
    assert sum(counts.values()) == N and counts == Counter({k: v for k, v in synth.proportions(N).items() if v})
    shares = synth.shares()  # the largest shares, as the kinds declare them, make the most entries
    assert [kind for kind, _ in counts.most_common(4)] == sorted(shares, key=lambda kind: -shares[kind])[:4]


def test_the_shares_are_those_the_kinds_declare(monkeypatch: pytest.MonkeyPatch) -> None:
    assert SOURCE.name not in synth.shares()  # the brief's slides are not grown: entries cite them
    declaring = tuple(k for k in KINDS if k.share is not None)  # (a kind declaring none: the test below)
    monkeypatch.setattr(synth, "KINDS", declaring)
    declared = {k.name: k.share for k in declaring if k.share}
    total = sum(declared.values())
    if math.isclose(total, 1):  # used as written, so that the same seed writes the same bytes (the brief's kinds)
        assert synth.shares() == declared
    assert synth.shares() == pytest.approx({kind: share / total for kind, share in declared.items()})
    assert set(synth.proportions(N)) == set(declared)
    none = declaring[0].name  # a kind declaring 0 gets no entry
    monkeypatch.setattr(synth, "KINDS", tuple(dataclasses.replace(k, share=0) if k.name == none else k for k in declaring))
    assert none not in synth.shares() and none not in synth.proportions(N)


def test_a_kind_declaring_no_share_gets_the_average_one_and_the_rest_keep_their_ratios(monkeypatch: pytest.MonkeyPatch) -> None:
    # a new kind needs no edit to synth.py: it grows with the others
    declaring = tuple(k for k in KINDS if k.share is not None)
    monkeypatch.setattr(synth, "KINDS", declaring)
    declared = synth.shares()
    monkeypatch.setattr(synth, "KINDS", (*declaring, Kind("quartiere", "quartieri")))
    grown = synth.shares()
    average = sum(declared.values()) / len(declared)
    assert sum(grown.values()) == pytest.approx(1) and grown["quartiere"] == pytest.approx(average / (1 + average))
    some = next(iter(declared))
    assert {k: grown[k] / grown[some] for k in declared} == pytest.approx({k: v / declared[some] for k, v in declared.items()})
    counts = synth.proportions(N)
    assert sum(counts.values()) == N and counts["quartiere"] == round(N * grown["quartiere"])


def test_shares_that_do_not_add_up_to_one_are_scaled(monkeypatch: pytest.MonkeyPatch) -> None:
    declaring = tuple(k for k in KINDS if k.share is not None)
    total = sum(k.share or 0 for k in declaring)
    monkeypatch.setattr(synth, "KINDS", tuple(dataclasses.replace(k, share=(k.share or 0) * 3) for k in declaring))
    assert synth.shares() == pytest.approx({k.name: k.share / total for k in declaring if k.share})
    assert sum(synth.proportions(N).values()) == N


def test_entries_have_realistic_density_of_relations_tags_and_sources(grown: Path) -> None:
    entries = _synthetic(grown / "data")
    relations = [ref for _, data in entries for refs in (data.get("relations") or {}).values() for ref in refs]
    assert 2 <= len(relations) / N <= 3
    assert 1.5 <= sum(len(data.get("tags") or []) for _, data in entries) / N <= 2.5
    assert 1.1 <= sum(len(data["sources"]) for _, data in entries) / N <= 1.5


def test_relations_respect_their_types_source_and_target_kinds(grown: Path) -> None:
    for kind, data in _synthetic(grown / "data"):
        for rtype, refs in (data.get("relations") or {}).items():
            assert kind in RELATION_BY_NAME[rtype].sources
            assert all(ref.split(":")[0] in RELATION_BY_NAME[rtype].targets for ref in refs)


def test_every_region_point_lies_in_its_region() -> None:
    assert {region: geo.region_of(*point) for region, point in synth.REGION_POINTS.items()} == {
        region: region for region in synth.REGION_POINTS}


def test_the_same_seed_writes_the_same_bytes_and_another_seed_differs(grown: Path, tmp_path: Path) -> None:
    synth.synthesise(ROOT, tmp_path / "again", N, seed=7)
    synth.synthesise(ROOT, tmp_path / "other", N, seed=8)
    assert _files(tmp_path / "again" / "data") == _files(grown / "data")
    assert _files(tmp_path / "other" / "data") != _files(grown / "data")


def test_the_command_writes_the_data_and_says_so(tmp_path: Path) -> None:
    result = atlante(ROOT, "synth", "--entities", "30", "--out", str(tmp_path / "out"), "--seed", "3", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "30 synthetic entries" in result.stderr
    assert len(list((tmp_path / "out" / "data").glob("*/synth-*.yaml"))) == 30


def test_the_command_refuses_a_folder_that_already_holds_data(tmp_path: Path) -> None:
    atlante(ROOT, "synth", "--entities", "5", "--out", str(tmp_path))
    result = atlante(ROOT, "synth", "--entities", "5", "--out", str(tmp_path), "--lang", "it")
    assert result.returncode == 1 and "contiene già dei dati" in result.stderr


def test_synth_help_names_its_options() -> None:
    result = atlante(ROOT, "synth", "--help")
    assert result.returncode == 0
    assert all(option in result.stdout for option in ("--entities N", "--out DIR", "--seed S"))


def test_the_command_refuses_a_project_whose_data_has_errors(tmp_path: Path) -> None:
    # run outside a project (no --project, in a folder that is not one): it once crashed with a traceback
    result = atlante(tmp_path / "not-a-project", "synth", "--entities", "5", "--out", str(tmp_path / "out"), "--lang", "en")
    assert result.returncode == 1
    assert "expected the translation file of the source language, found none" in result.stdout
    assert "nothing was written to" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
