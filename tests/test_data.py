"""The data itself: faithful to the source brief, complete, and its schemas helpful to editors."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
import yaml

from atlante import geo
from atlante.kinds import KINDS, relation_types_for
from atlante.model import Catalog

from helpers import ROOT, SHARED_SOURCE, SOURCE

SCHEMAS = ROOT / "data" / "schema"


@pytest.mark.skipif(not SHARED_SOURCE.exists(), reason="no shared/ beside this clone")
def test_the_tests_copy_of_the_source_is_the_shared_one() -> None:
    assert SOURCE.read_bytes() == SHARED_SOURCE.read_bytes()


def letters(text: str) -> str:
    """Only letters and digits, lowercased: what survives every kind of extraction damage."""
    text = unicodedata.normalize("NFC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text).casefold())


def original(statement_text: str, corrections: list[dict[str, str]]) -> str:
    for c in corrections:
        assert c["corrected"] in statement_text
        statement_text = statement_text.replace(c["corrected"], c["original"])
    return statement_text


# Stray single consonants (", , , p ),") are the only damage found inside a statement's span. Italian
# has no one-letter consonant word; "l" and "d" are kept, as elisions whose apostrophe was lost.
STRAY_CONSONANT = re.compile(r"(?<![\w’'])[bcfghj-kmnp-tv-z](?![\w’'])", re.IGNORECASE)


def undoubled(text: str) -> str:
    """Headings come out letter-doubled ("A A PROPOSITOPROPOSITO DIDI"): halve each doubled word."""
    out: list[str] = []
    for token in re.findall(r"\w+", text):
        half = len(token) // 2
        token = token[:half] if len(token) % 2 == 0 and token[:half] == token[half:] else token
        if not out or out[-1] != token:
            out.append(token)
    return " ".join(out)


def test_every_statement_is_word_for_word_in_the_source(catalog: Catalog) -> None:
    raw = SOURCE.read_text(encoding="utf-8")
    clean = letters(STRAY_CONSONANT.sub("", raw))
    # a line repeated with and without its punctuation: the same letters twice in a row
    readings = (clean, re.sub(r"(.{12,}?)\1", r"\1", clean), letters(undoubled(raw)))
    for ref, statement in catalog.statements.items():
        text = letters(original(statement.text, statement.corrections))
        assert any(text in reading for reading in readings), ref


def test_every_word_of_the_source_is_on_the_site(catalog: Catalog) -> None:
    """Each source word is in some statement, or is extraction damage: at most three letters, a
    fragment of a site word ("ittà"), or two site words run together ("diffusariproduzione")."""
    site = {w for st in catalog.statements.values() for w in words(original(st.text, st.corrections))}
    site |= {w for st in catalog.statements.values() for w in words(st.label or "")}

    def explained(word: str) -> bool:
        return (word in site or len(word) <= 3
                or any(word in w for w in site)
                or any(word[:i] in site and word[i:] in site for i in range(1, len(word))))

    missing = sorted({w for w in words(SOURCE.read_text(encoding="utf-8")) if not explained(w)})
    assert missing == []


def test_statements_carry_no_extraction_damage(catalog: Catalog) -> None:
    for ref, statement in catalog.statements.items():
        text = statement.text
        assert "\u2010" not in text and "\uf0a7" not in text and "\uf0d8" not in text, ref
        assert not re.search(r"\b(\w{4,})\1\b", text), ref  # a word doubled by the extraction
        assert not re.search(r"(?:\b\w\b ){3,}", text), ref  # a run of first letters
        assert "  " not in text and not text.startswith(" ") and " ," not in text, ref


def test_every_added_field_names_its_source(catalog: Catalog) -> None:
    for entity in catalog.entities.values():
        for item in entity.data.get("added", []):  # type: ignore[union-attr]
            assert item["source"].strip(), entity.ref
    cities = catalog.by_kind["city"]
    assert all({"region", "coordinates"} <= set(entity.data["added"][0]["fields"]) for entity in cities)  # type: ignore[index]


# ---------------------------------------------------------------------------------------------
# Places joined to linked data: each city's ISTAT municipality code and Wikidata item, and its
# coordinates in the province the code begins with (ISTAT's provincial limits, vendored)
# ---------------------------------------------------------------------------------------------


def _misplaced(cities: dict[str, tuple[str, float, float]]) -> dict[str, tuple[str, str | None]]:
    """The cities, by id, whose point (lat, lon) is not in the province their ISTAT code (the first
    element) begins with: (that province's code, the province the point is in)."""
    provinces = {str(g["properties"]["prov_istat_code"])
                 for g in json.loads(geo.PROVINCES.read_text(encoding="utf-8"))["objects"]["provinces"]["geometries"]}
    out = {}
    for id_, (istat, lat, lon) in cities.items():
        assert istat[:3] in provinces, (id_, istat)  # a province ISTAT knows
        found = geo.province_of(lat, lon)
        if found != istat[:3]:
            out[id_] = (istat[:3], found)
    return out


@pytest.mark.brief
def test_every_city_carries_its_istat_code_and_wikidata_item_marked_as_added(catalog: Catalog) -> None:
    cities = catalog.by_kind["city"]
    assert cities
    for city in cities:
        data = city.data
        assert re.fullmatch(r"[0-9]{6}", str(data.get("istat"))) and re.fullmatch(r"Q[1-9][0-9]*", str(data.get("wikidata"))), city.ref
        marked = {name for item in data["added"] for name in item["fields"]}  # type: ignore[index]
        assert {"istat", "wikidata"} <= marked, city.ref
    assert len({c.data["istat"] for c in cities}) == len({c.data["wikidata"] for c in cities}) == len(cities)  # type: ignore[typeddict-item]


@pytest.mark.brief
def test_each_city_lies_in_the_province_its_istat_code_begins_with(catalog: Catalog) -> None:
    cities = {c.id: (str(c.data["istat"]), float(c.data["coordinates"]["lat"]), float(c.data["coordinates"]["lon"]))  # type: ignore[typeddict-item]
              for c in catalog.by_kind["city"]}
    assert _misplaced(cities) == {}


def test_a_city_whose_istat_code_names_another_province_is_caught() -> None:
    milano = (45.4642, 9.19)
    assert _misplaced({"milano": ("015146", *milano)}) == {}
    assert _misplaced({"milano": ("001272", *milano)}) == {"milano": ("001", "015")}  # Torino's code on Milan
    assert _misplaced({"roma": ("058091", 45.4642, 9.19)}) == {"roma": ("058", "015")}  # Rome's code, Milan's place
    assert geo.province_of(43.0, 5.0) is None  # the sea off France: no province


def _fields(schema: dict, defs: dict, path: str = ""):
    """Every property of a schema, with $refs into envelope.schema.json resolved."""
    for name, prop in schema.get("properties", {}).items():
        ref = prop.get("$ref")
        resolved = {**defs[ref.rsplit("/", 1)[1]], **prop} if ref else prop
        yield f"{path}{name}", resolved
        yield from _fields(resolved, defs, f"{path}{name}.")
        items = resolved.get("items")
        if isinstance(items, dict):
            yield f"{path}{name}[]", items
            yield from _fields(items, defs, f"{path}{name}[].")


@pytest.mark.parametrize("kind", [k.name for k in KINDS])
def test_every_schema_field_has_a_description_and_an_example(kind: str) -> None:
    defs = json.loads((SCHEMAS / "envelope.schema.json").read_text(encoding="utf-8"))["$defs"]
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    fields = list(_fields(schema, defs))
    assert fields
    for path, field in fields:
        assert field.get("description"), f"{kind}: {path} has no description"
        assert field.get("examples"), f"{kind}: {path} has no example"


@pytest.mark.parametrize("kind", [k.name for k in KINDS])
def test_schema_relations_match_the_relation_table(kind: str) -> None:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    written = set(schema["properties"].get("relations", {}).get("properties", {}))
    assert written == {r.name for r in relation_types_for(kind)}


def test_every_data_file_names_its_schema_for_editors() -> None:
    for path in (ROOT / "data").glob("*/*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        kind = next(k for k in KINDS if k.folder == path.parent.name)
        assert first == f"# yaml-language-server: $schema=../schema/{kind.name}.schema.json", path


# ---------------------------------------------------------------------------------------------
# The site's own prose: each summary says what is specific to its entity
# ---------------------------------------------------------------------------------------------

SHARED_RUN = 9  # words: two summaries may share a phrase, never a sentence of more than eight words


@pytest.mark.parametrize("lang", ["it", "en"])
def test_no_two_summaries_share_a_sentence_of_more_than_eight_words(lang: str) -> None:
    summaries: dict[str, str] = {}
    for path in sorted((ROOT / "data").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = data.get("summary") if lang == "it" else (data.get("en") or {}).get("summary")
        if text:
            summaries[f"{path.parent.name}/{path.stem}"] = text
    assert len(summaries) > 50
    seen: dict[tuple[str, ...], str] = {}
    shared = []
    for name, text in summaries.items():
        words = re.findall(r"[\w’']+", text.casefold())
        for run in {tuple(words[i:i + SHARED_RUN]) for i in range(len(words) - SHARED_RUN + 1)}:
            if run in seen and seen[run] != name:
                shared.append(f"{seen[run]} and {name}: «{' '.join(run)}»")
            seen.setdefault(run, name)
    assert shared == []


def test_no_summary_says_the_most_coordinated_actions() -> None:
    """The brief asks for «azioni più coordinate», better-coordinated action, not the most coordinated."""
    for path in sorted((ROOT / "data").glob("*/*.yaml")):
        text = path.read_text(encoding="utf-8").casefold()
        assert "delle azioni più coordinate" not in text and "most coordinated" not in text, path


# A summary says what its item is and does in the brief's argument: not where the item sits in a list
# ("Secondo… dopo X e prima di Y", "the last item before 'etc.'"), and no refrain about what the brief
# leaves out ("il brief non aggiunge altro", "si limita a nominarla"), said once where it matters.
POSITION_OR_REFRAIN = {
    "it": re.compile(r"\b(second[oaie]|terz[oaie]|quart[oaie]|quint[oaie]|penultim[oaie]|ultim[oaie])\b"
                     r"(?!\s+(settore|parte)\b)|\bprim[oaie] (dei|delle|degli|della|del)\b|non aggiunge|"
                     r"si limita a|chiude l[’']elenco|apre l[’']elenco|prima dell[’']«ecc", re.IGNORECASE),
    "en": re.compile(r"\b(second|third|fourth|fifth|last|penultimate|second-to-last)\b(?!\s+(sector|part)\b)|"
                     r"\bfirst of\b|adds nothing|adds no |merely names|closes the list|opens the list|"
                     r"before the “etc", re.IGNORECASE),
}


@pytest.mark.parametrize("lang", ["it", "en"])
def test_no_summary_is_built_on_list_position_or_a_refrain(lang: str) -> None:
    found = []
    for path in sorted((ROOT / "data").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = data.get("summary") if lang == "it" else (data.get("en") or {}).get("summary")
        match = POSITION_OR_REFRAIN[lang].search(text or "")
        if match:
            found.append(f"{path.parent.name}/{path.stem}: «{match.group(0)}»")
    assert found == []
