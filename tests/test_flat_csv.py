"""The CSV tables are flat, as a spreadsheet or a GIS reads them: one value per cell, no JSON; a
city's coordinates are two numeric columns, lat and lon; each translated text has its own column;
lists are joined by one documented separator; the relations, in both directions, and the slides'
statements have long tables of their own; the data package describes every table with its real
columns and types, and the Dati page says all this, opening with what a reader can do."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest
import yaml

from atlante import geo, i18n, meta, opendata, reference
from atlante.kinds import KIND_BY_NAME, KINDS, Kind
from atlante.model import Catalog, Entity
from atlante.render import _environment

from helpers import ROOT, for_tests

SCHEMAS = ROOT / "data" / "schema"
SITE = "https://redazione-circoli-magici.github.io/atlante/"
SEPARATOR = " | "  # as the Dati page states it
LANGUAGES = ("en",)  # the translations the data carry, besides the Italian


@pytest.fixture(scope="module")
def publication() -> meta.Publication:
    return for_tests(ROOT)


@pytest.fixture(scope="module")
def files(catalog: Catalog, publication: meta.Publication) -> dict[str, str]:
    return opendata.downloads(catalog, publication, SCHEMAS, {})


@pytest.fixture(scope="module")
def package(files: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The downloads written to a folder, as the site publishes them: the data package's path."""
    folder = tmp_path_factory.mktemp("flat")
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    return folder / "dati" / "datapackage.json"


def rows(files: dict[str, str], name: str) -> list[dict[str, str]]:
    """A table's rows as Python's csv module reads them: every cell a string."""
    return list(csv.DictReader(io.StringIO(files[f"dati/{name}"], newline="")))


def header(files: dict[str, str], name: str) -> list[str]:
    return next(csv.reader(io.StringIO(files[f"dati/{name}"], newline="")))


def yaml_of(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def words(lang: str) -> dict:
    return yaml_of(ROOT / "overrides" / "atlante" / "i18n" / f"{lang}.yaml")


def flat(data: dict) -> dict[str, object]:
    """An entity's YAML as its row must hold it, worked out here, independently of opendata: lists
    joined by the separator, coordinates as lat and lon, added as aligned columns, each translated
    text under <field>_<lang>; relations and statements left out (they have tables of their own)."""
    def added(items: list[dict], suffix: str = "") -> dict[str, object]:
        urls = [i.get("url", "") for i in items]
        return {f"added_fields{suffix}": SEPARATOR.join(", ".join(i["fields"]) for i in items) if "fields" in items[0] else None,
                f"added_sources{suffix}": SEPARATOR.join(i["source"] for i in items),
                f"added_urls{suffix}": SEPARATOR.join(urls) if any(urls) else None}
    out: dict[str, object] = {}
    for name, value in data.items():
        if name in ("relations", "statements"):
            continue
        if name in LANGUAGES:
            for sub, text in value.items():
                if sub == "added":
                    out.update({k: v for k, v in added(text, f"_{name}").items() if v is not None})
                elif sub != "statements":
                    out[f"{sub}_{name}"] = text
        elif name == "coordinates":
            out["lat"], out["lon"] = value["lat"], value["lon"]
        elif name == "added":
            out.update({k: v for k, v in added(value).items() if v is not None})
        elif isinstance(value, list):
            out[name] = SEPARATOR.join(value)
        elif value is not None:
            out[name] = value
    return out


def typed_rows(package: Path, name: str) -> list[dict]:
    """A table's rows as Frictionless reads them with the package's Table Schema: typed values, text
    cells restored (the spreadsheet rule undone), numbers as floats, empty cells left out."""
    resource = frictionless.Package(package).get_resource(name)
    types = {f.name: f.type for f in resource.schema.fields}
    out = []
    for row in resource.read_rows():
        out.append({k: opendata.restore(v) if types[k] == "string" else float(v) if isinstance(v, Decimal) else v
                    for k, v in row.items() if v is not None})
    return out


# ---------------------------------------------------------------------------------------------
# One value per cell, in every table
# ---------------------------------------------------------------------------------------------


def test_every_table_is_published_and_every_row_has_its_header_s_cells(files: dict[str, str]) -> None:
    names = [*(f"{k.folder}.csv" for k in KINDS), "relations.csv", "statements.csv"]
    assert {p for p in files if p.endswith(".csv")} == {f"dati/{n}" for n in names}
    for name in names:
        table = list(csv.reader(io.StringIO(files[f"dati/{name}"], newline="")))
        assert len(set(table[0])) == len(table[0]), name  # no column twice
        assert len(table) > 1 and all(len(row) == len(table[0]) for row in table), name


def test_no_cell_holds_json(files: dict[str, str]) -> None:
    for path in (p for p in files if p.endswith(".csv")):
        for row in csv.reader(io.StringIO(files[path], newline="")):
            for text in row:
                assert not text.lstrip().startswith(("{", "[")), (path, text[:80])


def test_no_column_of_any_table_reads_as_a_list_or_an_object(files: dict[str, str], tmp_path: Path) -> None:
    """Opened with no description, as a spreadsheet opens a file: every column a text, a number, a yes/no."""
    for path in (p for p in files if p.endswith(".csv")):
        (tmp_path / Path(path).name).write_text(files[path], encoding="utf-8")
        resource = frictionless.Resource(tmp_path / Path(path).name)
        resource.infer()
        assert not [(f.name, f.type) for f in resource.schema.fields if f.type in ("array", "object")], path


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_each_row_is_the_entity_s_yaml_flattened(package: Path, catalog: Catalog, publication: meta.Publication,
                                                 kind: Kind) -> None:
    entities = catalog.by_kind[kind.name]
    got = typed_rows(package, kind.folder)
    assert [r["id"] for r in got] == [e.id for e in entities]
    for row, entity in zip(got, entities, strict=True):
        assert row.pop("url") == f"{SITE}{kind.folder}/{entity.id}/"
        if kind.place:  # the region's ISTAT code, which no file holds: the vendored boundaries give it
            assert row.pop("region_istat") == geo.region_codes()[str(entity.data["region"])], entity.id  # type: ignore[typeddict-item]
        assert row == flat(yaml_of(ROOT / entity.file)), entity.id


def test_the_cities_table_has_lat_and_lon_and_english_columns_in_place_of_blobs(files: dict[str, str]) -> None:
    assert header(files, "cities.csv") == [
        "id", "aliases", "title", "summary", "named_as", "body", "tags", "sources",
        "added_fields", "added_sources", "added_urls", "region", "region_istat", "lat", "lon", "istat", "wikidata",
        "title_en", "summary_en", "named_as_en", "body_en", "added_sources_en", "url"]
    assert "heading_en" in header(files, "slides.csv") and "label_en" in header(files, "moves.csv")
    for name in (f"{k.folder}.csv" for k in KINDS):
        assert not {"coordinates", "relations", "en", "added", "statements"} & set(header(files, name)), name


def test_lat_and_lon_are_numbers_matching_the_yaml(files: dict[str, str]) -> None:
    cities = {r["id"]: r for r in rows(files, "cities.csv")}
    sources = sorted((ROOT / "data" / "cities").glob("*.yaml"))
    assert sorted(cities) == sorted(p.stem for p in sources)
    for path in sources:
        where = yaml_of(path)["coordinates"]
        row = cities[path.stem]
        assert (float(row["lat"]), float(row["lon"])) == (where["lat"], where["lon"]), path.stem
        assert re.fullmatch(r"-?\d+(\.\d+)?", row["lat"]) and re.fullmatch(r"-?\d+(\.\d+)?", row["lon"])
        assert (row["lat"], row["lon"]) == (str(where["lat"]), str(where["lon"])), path.stem  # its digits, no more


def test_lists_are_joined_by_the_separator_and_split_back(files: dict[str, str]) -> None:
    # a city with several tags and an addition, whichever the data has first
    data = next(d for d in map(yaml_of, sorted((ROOT / "data" / "cities").glob("*.yaml")))
                if len(d.get("tags") or []) > 1 and d.get("added"))
    city = next(r for r in rows(files, "cities.csv") if r["id"] == data["id"])
    assert city["tags"] == " | ".join(data["tags"])
    assert city["tags"].split(SEPARATOR) == data["tags"]
    assert city["sources"].split(SEPARATOR) == data["sources"]
    assert city["added_fields"].split(SEPARATOR) == [", ".join(item["fields"]) for item in data["added"]]
    assert city["title_en"] == data["en"]["title"]
    assert city["added_sources_en"].split(SEPARATOR) == [item["source"] for item in data["en"]["added"]]


@pytest.mark.brief
def test_the_cities_table_has_their_istat_codes_and_wikidata_items(files: dict[str, str]) -> None:
    cities = {r["id"]: r for r in rows(files, "cities.csv")}
    assert (cities["milano"]["istat"], cities["milano"]["wikidata"], cities["milano"]["region_istat"]) == ("015146", "Q490", "03")
    assert (cities["roma"]["istat"], cities["roma"]["wikidata"], cities["roma"]["region_istat"]) == ("058091", "Q220", "12")
    concepts = {r["id"]: r for r in rows(files, "concepts.csv")}
    assert concepts["patrimonio-culturale"]["wikidata"] == "Q210272"


def test_added_columns_stay_aligned_item_by_item(publication: meta.Publication) -> None:
    """Two additions, the first without an address: each column has one value per addition, in order."""
    theme = KIND_BY_NAME["theme"]
    entity = Entity("theme", "prova", "data/themes/prova.yaml", {
        "id": "prova", "title": "Prova", "summary": "S", "category": "tema", "sources": ["slide-4#temi"],
        "added": [{"fields": ["body", "summary"], "source": "=Fonte uno"},
                  {"fields": ["named_as"], "source": "Fonte due", "url": "https://example.org/due"}],
        "en": {"title": "Test", "added": [{"source": "Source one"}, {"source": "Source two"}]}})
    catalog = Catalog({entity.ref: entity}, {k.name: [] for k in KINDS} | {"theme": [entity]}, {})
    [table] = [t for t in opendata.tables(SCHEMAS, "it") if t.kind is theme]
    [row] = csv.DictReader(io.StringIO(opendata.table_text(table, catalog, publication, {}), newline=""))
    assert row["added_fields"] == "body, summary | named_as"
    assert row["added_sources"] == "'=Fonte uno | Fonte due"  # the formula rule, on the whole cell
    assert row["added_urls"] == " | https://example.org/due"
    assert row["added_urls"].split(SEPARATOR) == ["", "https://example.org/due"]
    assert row["added_sources_en"] == "Source one | Source two"
    assert (row["title_en"], row["summary_en"]) == ("Test", "")


# ---------------------------------------------------------------------------------------------
# relations.csv: every relation, from each end
# ---------------------------------------------------------------------------------------------


def test_a_relation_has_a_declared_row_and_a_derived_row(files: dict[str, str]) -> None:
    table = rows(files, "relations.csv")
    assert header(files, "relations.csv") == [
        "source", "source_kind", "source_title", "source_title_en", "relation", "relation_name", "relation_name_en",
        "target", "target_kind", "target_title", "target_title_en", "direction"]
    # a city and the first circle it is part of, whichever the data has first
    data = next(d for d in map(yaml_of, sorted((ROOT / "data" / "cities").glob("*.yaml"))) if (d.get("relations") or {}).get("parte_di"))
    city, circle = f"city:{data['id']}", data["relations"]["parte_di"][0]
    declared = [r for r in table if (r["source"], r["relation"], r["target"]) == (city, "parte_di", circle)]
    derived = [r for r in table if (r["source"], r["relation"], r["target"]) == (circle, "parte_di", city)]
    assert declared == [{
        "source": city, "source_kind": "city", "source_title": data["title"], "source_title_en": data["en"]["title"],
        "relation": "parte_di", "relation_name": "Fa parte di", "relation_name_en": words("en")["relations"]["parte_di"]["forward"],
        "target": circle, "target_kind": "circle", "target_title": declared[0]["target_title"],
        "target_title_en": declared[0]["target_title_en"], "direction": "declared"}]
    assert [(r["relation_name"], r["direction"], r["source_title"], r["target_title"]) for r in derived] == [
        ("Comprende le città", "derived", declared[0]["target_title"], data["title"])]
    assert derived[0]["relation_name_en"] == words("en")["relations"]["parte_di"]["inverse"]


def test_every_relation_written_in_data_is_listed_once_in_each_direction(files: dict[str, str]) -> None:
    written = set()
    for path in (ROOT / "data").glob("*/*.yaml"):
        data = yaml_of(path)
        kind = next(k.name for k in KINDS if k.folder == path.parent.name)
        written |= {(f"{kind}:{data['id']}", rtype, target)
                    for rtype, targets in (data.get("relations") or {}).items() for target in targets}
    table = rows(files, "relations.csv")
    assert len(table) == 2 * len(written)
    assert {(r["source"], r["relation"], r["target"]) for r in table if r["direction"] == "declared"} == written
    assert {(r["target"], r["relation"], r["source"]) for r in table if r["direction"] == "derived"} == written
    headings = {lang: words(lang)["relations"] for lang in ("it", "en")}
    for r in table:
        side = "forward" if r["direction"] == "declared" else "inverse"
        assert r["relation_name"] == headings["it"][r["relation"]][side]
        assert r["relation_name_en"] == headings["en"][r["relation"]][side]
        assert r["source"].split(":")[0] == r["source_kind"] and r["target"].split(":")[0] == r["target_kind"]


# ---------------------------------------------------------------------------------------------
# statements.csv: the brief, statement by statement
# ---------------------------------------------------------------------------------------------


def test_every_statement_has_its_row_with_its_translation_and_address(files: dict[str, str], catalog: Catalog) -> None:
    table = {(r["slide"], r["id"]): r for r in rows(files, "statements.csv")}
    seen = 0
    for path in sorted((ROOT / "data" / "slides").glob("*.yaml")):
        data = yaml_of(path)
        english = data["en"]["statements"]
        for position, item in enumerate(data["statements"], 1):
            row = table[(data["id"], item["id"])]
            seen += 1
            assert opendata.restore(row["text"]) == item["text"]
            assert row["label"] == item.get("label", "")
            assert row["number"] == f"{data['number']}.{position}"
            assert row["text_en"] == english[item["id"]]["text"]
            assert row["label_en"] == english[item["id"]].get("label", "")
            assert row["url"] == f"{SITE}slides/{data['id']}/#{item['id']}"
            corrections = item.get("corrections") or []
            assert row["corrections_originals"] == SEPARATOR.join(c["original"] for c in corrections)
            assert row["corrections_corrected"] == SEPARATOR.join(c["corrected"] for c in corrections)
    assert seen == len(table)
    quoted = [s for s in catalog.statements.values() if s.represented_by]
    assert quoted and all(table[(s.slide, s.id)]["represented_by"].split(SEPARATOR) == [str(e.ref) for e in s.represented_by]
                          for s in quoted)
    assert "statements" not in header(files, "slides.csv")


# ---------------------------------------------------------------------------------------------
# The data package, the catalogues, the home page's Dataset
# ---------------------------------------------------------------------------------------------


def test_the_data_package_validates_and_describes_every_table_s_real_columns(files: dict[str, str], package: Path) -> None:
    report = frictionless.validate(package)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    described = {r["path"]: r["schema"] for r in json.loads(files["dati/datapackage.json"])["resources"] if "schema" in r}
    assert set(described) == {p.removeprefix("dati/") for p in files if p.endswith(".csv")}
    for path, schema in described.items():
        assert [f["name"] for f in schema["fields"]] == header(files, path), path
    types = {name: {f["name"]: f["type"] for f in schema["fields"]} for name, schema in described.items()}
    assert (types["cities.csv"]["lat"], types["cities.csv"]["lon"], types["cities.csv"]["tags"]) == ("number", "number", "string")
    assert (types["slides.csv"]["number"], types["slides.csv"]["numbered_in_source"]) == ("integer", "boolean")
    assert described["relations.csv"]["primaryKey"] == ["source", "relation", "target", "direction"]
    assert described["statements.csv"]["foreignKeys"] == [{"fields": ["slide"], "reference": {"resource": "slides", "fields": ["id"]}}]
    lat = next(f for f in described["cities.csv"]["fields"] if f["name"] == "lat")
    assert lat["constraints"] == {"required": True, "minimum": -90, "maximum": 90}


def test_the_data_package_states_the_separator(files: dict[str, str]) -> None:
    package = json.loads(files["dati/datapackage.json"])
    assert package["description"].count(f"«{SEPARATOR}»") == 1 and package["description"].count(f"“{SEPARATOR}”") == 1
    cities = next(r for r in package["resources"] if r["name"] == "cities")["schema"]["fields"]
    for name in ("tags", "sources", "added_fields", "added_sources", "added_sources_en"):
        assert f"'{SEPARATOR}'" in next(f["description"] for f in cities if f["name"] == name), name


def test_a_spreadsheet_reader_gets_numbers_and_yes_no_values(package: Path) -> None:
    extracted = frictionless.extract(package)
    for path in sorted((ROOT / "data" / "cities").glob("*.yaml")):
        where, city = yaml_of(path)["coordinates"], next(r for r in extracted["cities"] if r["id"] == path.stem)
        assert (city["lat"], city["lon"]) == (Decimal(str(where["lat"])), Decimal(str(where["lon"])))
    for path in sorted((ROOT / "data" / "slides").glob("*.yaml")):
        data, slide = yaml_of(path), next(r for r in extracted["slides"] if r["id"] == path.stem)
        assert (slide["number"], slide["numbered_in_source"]) == (data["number"], data["numbered_in_source"])
        assert type(slide["number"]) is int and type(slide["numbered_in_source"]) is bool  # not text
    assert {r["direction"] for r in extracted["relations"]} == {"declared", "derived"}


def test_the_catalogues_and_the_home_page_list_the_long_tables(files: dict[str, str]) -> None:
    listed = dict(opendata.distribution())
    assert listed["dati/relations.csv"] == listed["dati/statements.csv"] == "text/csv"
    graph = json.loads(files["dati/atlante.jsonld"])["@graph"]
    [dataset] = [n for n in graph if n["@type"] == "Dataset"]
    urls = {d["contentUrl"] for d in dataset["distribution"]}
    assert {f"{SITE}dati/relations.csv", f"{SITE}dati/statements.csv", f"{SITE}dati/cities.csv"} <= urls
    assert f"{SITE}dati/relations.csv" in files["dati/dcat-ap_it.rdf"]


# ---------------------------------------------------------------------------------------------
# The Dati page
# ---------------------------------------------------------------------------------------------


def render_page(catalog: Catalog, lang: str, publication: meta.Publication) -> str:
    translations, problems = i18n.load(ROOT)
    assert problems == []
    env = _environment(ROOT / "overrides" / "atlante", lang)
    return env.get_template("data.md").render(t=translations[lang].words, lang=lang, root="",
                                              opendata=opendata.data_page(catalog, SCHEMAS, lang, publication))


@pytest.mark.parametrize(("lang", "uses"), [
    ("it", ("foglio di calcolo", "carta", "GIS", "rete dei collegamenti", "citare")),
    ("en", ("spreadsheet", "map", "GIS", "network of links", "cite")),
])
def test_the_page_opens_with_what_a_reader_can_do_before_any_format(catalog: Catalog, publication: meta.Publication,
                                                                    lang: str, uses: tuple[str, ...]) -> None:
    text = render_page(catalog, lang, publication)
    opening = text.split("\n# ", 1)[1].split("\n## ", 1)[0]
    for fmt in ("CSV", "JSON", "YAML", "RDF", "DCAT", "Frictionless"):
        assert fmt not in opening, fmt
    for words_ in uses:
        assert words_ in opening, words_
    files = "dati/" if lang == "it" else f"{SITE}dati/"
    assert f"]({files}cities.csv) " in opening and f"]({files}relations.csv) " in opening
    assert "<code>lat</code>, <code>lon</code>" in opening and "<code>source</code>, <code>target</code>" in opening
    assert ("magic circles" if lang == "en" else "circoli magici") in opening


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_page_states_the_separator_and_lists_the_long_tables(catalog: Catalog, publication: meta.Publication,
                                                                  lang: str) -> None:
    text = render_page(catalog, lang, publication)
    sections = {s.split("\n", 1)[0]: s for s in text.split("\n## ")[1:]}
    headings = words(lang)["opendata"]
    csv_section = sections[headings["csv_heading"]]
    assert csv_section.count("<code>\\|</code>") == 2  # for lists of texts, and for the additions' columns
    for name in ("title\\_en", "lat", "lon", "added\\_sources"):
        assert f"<code>{name}</code>" in csv_section, name
    files = sections[headings["files_heading"] + " { #files }"]
    assert "[relations\\.csv](" in files and "[statements\\.csv](" in files
    assert "{ #fields-relations }" in text and "{ #fields-statements }" in text


def test_derived_columns_link_to_the_field_they_come_from(catalog: Catalog, publication: meta.Publication) -> None:
    page = opendata.data_page(catalog, SCHEMAS, "it", publication)
    anchors = {(t["name"], c["name"]): c["anchor"] for t in page["tables"] + page["long_tables"] for c in t["columns"]}
    assert anchors[("cities.csv", "lat")] == "city-coordinates-lat"
    assert anchors[("cities.csv", "lon")] == "city-coordinates-lon"
    assert anchors[("cities.csv", "title_en")] == "city-en-title"
    assert anchors[("cities.csv", "added_sources")] == "city-added-source"
    assert anchors[("cities.csv", "added_sources_en")] == "city-en-added-source"
    assert anchors[("statements.csv", "text_en")] == "slide-en-statements-text"
    assert anchors[("statements.csv", "slide")] == "slide-id"
    assert anchors[("cities.csv", "url")] is None and anchors[("relations.csv", "source")] is None
    on_reference = {f["anchor"] for k in reference.kinds(SCHEMAS) for f in k["fields"]}
    assert {a for a in anchors.values() if a} <= on_reference
    text = render_page(catalog, "it", publication)
    assert "[<code>lat</code>](campi.md#city-coordinates-lat)" in text
    assert "[<code>title\\_en</code>](campi.md#city-en-title)" in text
