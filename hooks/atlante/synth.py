"""Synthetic data sets: the real brief's data plus N generated entries, valid and linked, for measuring scale.

`atlante synth --entities N --out <dir>` writes `<dir>/data/`: a copy of the project's schemas and
data, and N entries spread over the kinds in the proportions of a grown data set (mostly themes,
cities, concepts and platforms), each as an editor would write it: a block in every other language
for every text, about two tags (names the translation files give), one or two sources (statements of
the slides),
and about 2.4 relations, each of a type its kind may write, to a kind the type allows. Relations
within a kind point to earlier entries only, so hierarchies stay acyclic; every concept is drawn on
by some entry, so nothing is an orphan. Cities lie in their region: a known point of it (a regional
capital or an inland town), moved by a small jitter that is kept only when it stays in the region.
Every text comes from the translation files (an entry's title is its kind's name, its number and its
first tag's name; its summary the `cli.synth_summary` sentence), so every language of the project gets
its own.

The same seed gives the same bytes: one `random.Random(seed)`, entries made in a fixed order, and
YAML written by hand rather than by a dumper.
"""

from __future__ import annotations

import json
import math
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path as FsPath

from . import geo, pipeline
from .kinds import KIND_BY_NAME, KINDS, SOURCE, RelationType, relation_types_for
from .load import SCHEMA_FOLDER, Document
from .model import Finding, Json

# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------


@dataclass
class Written:
    counts: dict[str, int]  # kind -> synthetic entries written
    relations: int  # references written by them, in all
    folder: FsPath  # <out>/data


class Refused(Exception):
    """Nothing was written: the output folder already holds data that is not a copy of the schemas,
    or the project's own data has errors (`findings`, as `atlante check` reports them)."""

    def __init__(self, folder: str = "", findings: list[Finding] | None = None) -> None:
        super().__init__(folder)
        self.folder = folder
        self.findings = findings or []


def synthesise(project: FsPath, out: FsPath, entities: int, seed: int = 0) -> Written:
    """Write `out/data/`: the project's data/ (schemas included) and `entities` synthetic entries."""
    source, target = project / "data", out / "data"
    if target.is_dir() and any(p.name != SCHEMA_FOLDER for p in target.iterdir()):
        raise Refused(str(target))
    documents, checked = pipeline.checked(project)  # grown from invalid data, the copy would be invalid too
    if checked.errors:
        raise Refused(findings=checked.errors + checked.warnings)
    translations = checked.translations
    tags = sorted(set.intersection(*(set(t.words.get("tags") or {}) for t in translations.values())))
    words = {lang: t.words for lang, t in translations.items()}
    plan = _Plan(random.Random(seed), documents, tags, source / SCHEMA_FOLDER, words)
    files = plan.entries(entities)
    shutil.copytree(source, target, dirs_exist_ok=True)
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return Written(dict(plan.counts), plan.written_relations, target)


def shares() -> dict[str, float]:
    """Each kind's share of the synthetic entries, as its declaration gives it (kinds.Kind.share): a
    kind that declares none gets the average of the others', so that a new kind grows with the rest
    without an edit here; a kind whose share is 0 gets none, nor does the brief's own (the source: its
    slides hold the statements the entries cite). Scaled to add up to 1 when they do not (shares that
    do are used as written, so the same seed writes the same bytes)."""
    grown = [k for k in KINDS if not k.source]
    declared = [k.share for k in grown if k.share]
    average = sum(declared) / len(declared) if declared else 1.0
    given = {k.name: average if k.share is None else k.share for k in grown}
    total = sum(given.values())
    scale = 1.0 if math.isclose(total, 1.0) else 1.0 / total
    return {kind: share * scale for kind, share in given.items() if share > 0}


def proportions(entities: int) -> dict[str, int]:
    """How many synthetic entries of each kind make `entities` (largest remainders, in brief order)."""
    weights = shares()
    exact = {kind: entities * share for kind, share in weights.items()}
    counts = {kind: int(value) for kind, value in exact.items()}
    order = sorted(weights, key=lambda k: (-(exact[k] - counts[k]), list(weights).index(k)))
    for kind in order[:entities - sum(counts.values())]:
        counts[kind] += 1
    return counts


# ---------------------------------------------------------------------------------------------
# The plan: every entry decided in one pass, in a fixed order, from one random generator
# ---------------------------------------------------------------------------------------------


@dataclass
class _Entry:
    kind: str
    id: str
    number: int
    relations: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"

    def count(self) -> int:
        return sum(len(v) for v in self.relations.values())


class _Plan:
    def __init__(self, rng: random.Random, documents: list[Document], tags: list[str], schema_dir: FsPath,
                 words: dict[str, Json]) -> None:
        self.rng = rng
        self.tags = tags
        self.schema_dir = schema_dir
        self.words = words  # language -> its translation file's words, the source language's first
        self.source = next(iter(words))  # the source language's words come first
        self.others = [lang for lang in words if lang != self.source]
        self.real: dict[str, list[str]] = {k.name: [] for k in KINDS}
        self.statements: list[tuple[str, dict[str, str]]] = []  # (source ref, language -> its text)
        for doc in documents:
            if doc.data is None:
                continue
            self.real[doc.kind].append(doc.stem)
            if doc.kind == SOURCE.name:
                slide: Json = doc.data  # the project's documents passed their checks (synthesize refuses otherwise)
                for st in slide.get("statements") or []:
                    texts = {self.source: str(st.get("text", ""))}
                    for lang in self.others:
                        block = (slide.get(lang) or {}).get("statements") or {}
                        texts[lang] = str((block.get(st["id"]) or {}).get("text", ""))
                    self.statements.append((f"{doc.stem}#{st['id']}", texts))
        self.counts: dict[str, int] = {}
        self.written_relations = 0

    def entries(self, entities: int) -> dict[str, str]:
        self.counts = proportions(entities)
        made: dict[str, list[_Entry]] = {k.name: [] for k in KINDS}
        order: list[_Entry] = []
        for kind in (k.name for k in KINDS if k.name in self.counts):
            for number in range(1, self.counts[kind] + 1):
                entry = _Entry(kind, f"synth-{kind}-{number:05d}", number)
                made[kind].append(entry)
                order.append(entry)
        for entry in order:
            if not relation_types_for(entry.kind):
                continue  # a concept writes nothing: others draw on it
            wanted = self.rng.choices((1, 2, 3, 4), weights=RELATION_COUNT_WEIGHTS)[0]
            for _ in range(wanted):
                self._relate(entry, made)
        writers = [e for e in order if "richiama" in [t.name for t in relation_types_for(e.kind)]]
        drawn = {ref for e in order for ref in e.relations.get("richiama", [])}
        for concept in made["concept"]:
            if concept.ref not in drawn and writers:
                self.rng.choice(writers).relations.setdefault("richiama", []).append(concept.ref)
        self.written_relations = sum(e.count() for e in order)
        return {f"{KIND_BY_NAME[e.kind].folder}/{e.id}.yaml": self._text(e) for e in order}

    def _relate(self, entry: _Entry, made: dict[str, list[_Entry]]) -> None:
        types = relation_types_for(entry.kind)
        rtype = self.rng.choices(types, weights=[1 if t.name == "richiama" else 3 for t in types])[0]
        for _ in range(5):
            target = self._target(entry, rtype, made)
            if target is not None and target not in entry.relations.get(rtype.name, []):
                entry.relations.setdefault(rtype.name, []).append(target)
                return

    def _target(self, entry: _Entry, rtype: RelationType, made: dict[str, list[_Entry]]) -> str | None:
        kind = self.rng.choice(rtype.targets)
        pool = [f"{kind}:{i}" for i in self.real[kind]]
        synthetic = made[kind] if kind != entry.kind else made[kind][:entry.number - 1]  # earlier ones: no cycles
        pool += [e.ref for e in synthetic]
        return self.rng.choice(pool) if pool else None

    # --- the file ---

    def _text(self, entry: _Entry) -> str:
        rng, kind = self.rng, entry.kind
        sources = rng.sample(self.statements, 2 if rng.random() < 0.3 else 1)
        tags = sorted(rng.sample(self.tags, min(len(self.tags), rng.choices((1, 2, 3), weights=(3, 4, 3))[0])))
        topic = rng.choice(tags)
        texts = {lang: self._texts(entry, topic, sources, lang) for lang in self.words}
        lines = [f"# yaml-language-server: $schema=../schema/{kind}.schema.json", f"id: {entry.id}",
                 *texts[self.source]]
        blocks = {lang: texts[lang] for lang in self.others}
        if "named_as" in self._schema(kind).get("required", []):  # the brief's own words (actions, concepts)
            start, length = rng.random(), rng.choice((2, 3, 4))
            lines.append(f"named_as: {_q(_words_of(sources[0][1][self.source], start, length))}")
            for lang in self.others:
                blocks[lang].append(f"named_as: {_q(_words_of(sources[0][1][lang] or sources[0][1][self.source], start, length))}")
        for name in ("category", "period"):
            values = self._enum(kind, name)
            if values:
                lines.append(f"{name}: {rng.choice(values)}")
        for name in KIND_BY_NAME[kind].texts:  # the kind's own texts (a move's label): the topic's name
            lines.append(f"{name}: {_q(self.words[self.source]['tags'][topic])}")
            for lang in self.others:
                blocks[lang].append(f"{name}: {_q(self.words[lang]['tags'][topic])}")
        if kind == "city":
            region = rng.choice(sorted(REGION_POINTS))
            lat, lon = _point_in(region, rng)
            lines += [f"region: {_q(region)}", f"coordinates: {{lat: {lat:.4f}, lon: {lon:.4f}}}"]
        lines.append(f"tags: [{', '.join(tags)}]")
        lines += ["sources:", *(f"  - {ref}" for ref, _ in sources)]
        if entry.relations:
            lines.append("relations:")
            for rtype in (t.name for t in relation_types_for(kind) if t.name in entry.relations):
                lines += [f"  {rtype}:", *(f"    - {ref}" for ref in entry.relations[rtype])]
        if kind == "city":
            lines += ["added:", "  - fields: [region, coordinates]",
                      f"    source: {_q(self.words[self.source]['cli']['synth_point'])}"]
            for lang in self.others:
                blocks[lang] += ["added:", f"  - source: {_q(self.words[lang]['cli']['synth_point'])}"]
        for lang in self.others:
            lines += [f"{lang}:", *(f"  {line}" for line in blocks[lang])]
        return "\n".join(lines) + "\n"

    def _texts(self, entry: _Entry, topic: str, sources: list[tuple[str, dict[str, str]]], lang: str) -> list[str]:
        """The entry's title and summary in `lang`: its kind's name, number and topic (a tag's name),
        and the translation file's sentence naming the statements it draws on."""
        words = self.words[lang]
        kind, name = str(words["kinds"][entry.kind]["label"]), str(words["tags"][topic])
        cited = f" {words['cli']['synth_and']} ".join(f"{ref.split('#')[0].replace('-', ' ')} ({ref.split('#')[1]})"
                                                        for ref, _ in sources)
        summary = str(words["cli"]["synth_summary"]).format(kind=kind.lower(), topic=name, sources=cited)
        return [f"title: {_q(f'{kind} {entry.number}: {name}')}", *_folded("summary", summary, 0)]

    def _enum(self, kind: str, name: str) -> list[str]:
        return list((self._schema(kind).get("properties") or {}).get(name, {}).get("enum") or [])

    def _schema(self, kind: str) -> Json:
        return dict(json.loads((self.schema_dir / f"{kind}.schema.json").read_text(encoding="utf-8")))


def _words_of(text: str, start: float, length: int) -> str:
    """A few consecutive words of `text` (`length`, from the point `start` of 0 to 1 along it), as written."""
    spans = [m.span() for m in re.finditer(r"\w+", text)]
    if not spans:
        return text.strip() or "-"
    length = min(len(spans), length)
    first = int(start * (len(spans) - length + 1))
    return text[spans[first][0]:spans[first + length - 1][1]]


def _point_in(region: str, rng: random.Random) -> tuple[float, float]:
    """A point near the region's known point that the map places in that region."""
    lat, lon = REGION_POINTS[region]
    for _ in range(4):
        moved = round(lat + rng.uniform(-JITTER, JITTER), 4), round(lon + rng.uniform(-JITTER, JITTER), 4)
        if geo.region_of(*moved) == region:
            return moved
    return lat, lon


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _folded(name: str, text: str, indent: int, width: int = 96) -> list[str]:
    pad = " " * (indent + 2)
    lines, line = [], ""
    for word in text.split():
        if line and len(pad) + len(line) + 1 + len(word) > width:
            lines.append(pad + line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [f"{' ' * indent}{name}: >-", *lines, pad + line]


# ---------------------------------------------------------------------------------------------
# Proportions, densities and words
# ---------------------------------------------------------------------------------------------

# The share of each kind among the synthetic entries is declared with the kind (kinds.Kind.share): a data
# set grown by applications, places and terms (shares()).
# How many relations an entry that may write some writes: 1 to 4, about 2.8 on average, so that with
# the concepts (which write none, but are drawn on) the set has about 2.4 per entry.
RELATION_COUNT_WEIGHTS = (0.08, 0.27, 0.37, 0.28)
JITTER = 0.02  # degrees, about 2 km

# A known inland point of every region (its capital, or a town inland where the capital is on a
# narrow coast), checked by the tests to lie in the region.
REGION_POINTS: dict[str, tuple[float, float]] = {
    "Abruzzo": (42.3498, 13.3995), "Basilicata": (40.6404, 15.8056), "Calabria": (38.9098, 16.5877),
    "Campania": (40.9146, 14.7906), "Emilia-Romagna": (44.4949, 11.3426), "Friuli-Venezia Giulia": (46.0711, 13.2346),
    "Lazio": (41.9028, 12.4964), "Liguria": (44.4500, 8.9500), "Lombardia": (45.4642, 9.1900),
    "Marche": (43.2984, 13.4535), "Molise": (41.5603, 14.6627), "Piemonte": (45.0703, 7.6869),
    "Puglia": (40.8270, 16.5536), "Sardegna": (40.3209, 9.3301), "Sicilia": (37.5670, 14.2795),
    "Toscana": (43.7696, 11.2558), "Trentino-Alto Adige": (46.0748, 11.1217), "Umbria": (43.1107, 12.3908),
    "Valle d'Aosta": (45.7370, 7.3201), "Veneto": (45.4064, 11.8768),
}
