"""Maps and relation graphs, as a reader gets them: SVG in the built pages, parsed and measured.

The map: one linked marker per city, each where the projection puts it and inside its region; the
graphs: each entity page links exactly its neighbours, the concept map links every entity; both
have a name, a description and a text equivalent. Browser checks (keyboard, screenshots, axe) are
in test_browser.py and test_accessibility.py.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pyproj
import pytest
import yaml
from bs4 import BeautifulSoup
from shapely.geometry import Point, Polygon

from atlante import geo
from atlante import graph as layout
from atlante.kinds import CHAIN, KIND_BY_NAME, KINDS
from atlante.render import page_url

from helpers import ROOT, parsed

CITIES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "data" / "cities").glob("*.yaml"))}
CITY = next(iter(CITIES))  # the first city of the data, whichever it is: the tests of one city's figures draw it
WORDS = {lang: yaml.safe_load((ROOT / "overrides" / "atlante" / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8"))
         for lang in ("it", "en")}


def page(site: Path, url_path: str) -> BeautifulSoup:
    return parsed(site / url_path.strip("/") / "index.html")


def resolve(base: str, href: str) -> str:
    """A relative href from page `base` ("cities/milano/") as a site path ("cities/roma/")."""
    return urlsplit(urljoin(f"http://site/{base}", href)).path.lstrip("/")


def polygons(path_data: str) -> list[Polygon]:
    """The rings of an SVG path written as M x y, l dx dy…, z (geo._path)."""
    rings = []
    for ring in re.findall(r"M[^Mz]+z", path_data):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", ring)]
        x, y = numbers[0], numbers[1]
        points = [(x, y)]
        for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        rings.append(Polygon(points))
    return rings


# ---------------------------------------------------------------------------------------------
# The map
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_path", ["cities/", "", "en/cities/", "en/"])
def test_the_map_has_one_linked_marker_per_city_named_by_its_title(built_site: Path, url_path: str) -> None:
    svg = page(built_site, url_path).select_one("figure.atlante-map svg")
    assert svg is not None
    markers = svg.select("a.atlante-marker")
    english = url_path.startswith("en/")
    expected = {f"{'en/' if english else ''}cities/{stem}/": (d["en"]["title"] if english else d["title"])
                for stem, d in CITIES.items()}
    found = {resolve(url_path, a["href"]): a.select_one("text").get_text() for a in markers}
    assert found == expected
    assert all(a.select_one("circle") is not None for a in markers)


def test_every_marker_is_where_the_conformal_projection_puts_its_city(built_site: Path) -> None:
    """Project the cities independently (WGS 84 -> ETRS89 / LCC Europe) and fit one scale and offset:
    every marker must sit on it, y pointing down, within half a map unit."""
    svg = page(built_site, "cities/").select_one("figure.atlante-map svg")
    marks = {resolve("cities/", a["href"]).split("/")[1]: a.select_one("circle") for a in svg.select("a.atlante-marker")}
    to_lcc = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3034", always_xy=True)
    projected = {s: to_lcc.transform(d["coordinates"]["lon"], d["coordinates"]["lat"]) for s, d in CITIES.items()}
    drawn = {s: (float(c["cx"]), float(c["cy"])) for s, c in marks.items()}
    a = CITY  # and the city farthest from it east to west, so that the scale is measured over a long distance
    b = max(CITIES, key=lambda stem: abs(projected[stem][0] - projected[a][0]))
    scale = (drawn[b][0] - drawn[a][0]) / (projected[b][0] - projected[a][0])
    assert scale > 0
    for stem in CITIES:
        expected_x = drawn[a][0] + (projected[stem][0] - projected[a][0]) * scale
        expected_y = drawn[a][1] - (projected[stem][1] - projected[a][1]) * scale
        assert abs(drawn[stem][0] - expected_x) < 0.5 and abs(drawn[stem][1] - expected_y) < 0.5, stem


def test_every_marker_lies_inside_the_region_its_city_names(built_site: Path) -> None:
    svg = page(built_site, "cities/").select_one("figure.atlante-map svg")
    regions = {p.select_one("title").get_text(): polygons(p["d"]) for p in svg.select("path.atlante-region")}
    assert len(regions) == 20
    for a in svg.select("a.atlante-marker"):
        stem = resolve("cities/", a["href"]).split("/")[1]
        circle = a.select_one("circle")
        point = Point(float(circle["cx"]), float(circle["cy"]))
        region = CITIES[stem]["region"].replace("'", "’")
        assert any(p.buffer(1).contains(point) for p in regions[region]), stem


def test_the_map_names_itself_lists_its_cities_and_credits_istat(built_site: Path) -> None:
    named = CITIES[CITY]["region"]  # the first city's region, in each edition's words
    for url_path, credit, region in (("", "Confini amministrativi © ISTAT", f"({named})"),
                                     ("en/", "Administrative boundaries © ISTAT", f"({WORDS['en']['enums']['region'][named]})")):
        doc = page(built_site, url_path)
        figure = doc.select_one("figure.atlante-map")
        svg = figure.select_one("svg")
        assert svg.select_one("title").get_text() and svg.select_one("desc").get_text()
        assert svg["aria-labelledby"].split()[0] == svg.select_one("title")["id"]
        assert credit in figure.select_one("figcaption").get_text()
        places = doc.select_one(".atlante-places")  # the text alternative: cities with their regions
        assert places is not None and region in places.get_text()
        assert len(places.select("a")) == len(CITIES)


def test_a_city_page_has_a_locator_map_with_its_region_shaded(built_site: Path) -> None:
    doc = page(built_site, f"cities/{CITY}/")
    figure = doc.select_one("figure.atlante-locator")
    assert figure is not None
    svg = figure.select_one("svg")
    assert svg["role"] == "img" and svg.select_one("title").get_text() == f"{CITIES[CITY]['title']}, {CITIES[CITY]['region']}"
    shaded = svg.select("path.is-current")
    assert len(shaded) == 1
    dot = svg.select_one("circle")
    assert any(p.buffer(1).contains(Point(float(dot["cx"]), float(dot["cy"]))) for p in polygons(shaded[0]["d"]))
    assert "ISTAT" in figure.get_text()


def test_the_map_is_small_enough_to_inline(built_site: Path) -> None:
    svg = str(page(built_site, "cities/").select_one("figure.atlante-map"))
    locator = str(page(built_site, f"cities/{CITY}/").select_one("figure.atlante-locator"))
    assert len(svg.encode()) < 40_000 and len(locator.encode()) < 10_000


def test_region_of_places_points_in_italy_and_nowhere_else() -> None:
    assert geo.region_of(45.4642, 9.19) == "Lombardia"
    assert geo.region_of(40.8518, 14.2681) == "Campania"  # Napoli, on the coast
    assert geo.region_of(45.7372, 7.3206) == "Valle d'Aosta"
    assert geo.region_of(48.8566, 2.3522) is None  # Paris
    assert geo.region_of(46.2044, 6.1432) is None  # Geneva, near the border
    assert geo.region_of(42.0, 11.0) is None  # the Tyrrhenian Sea


# ---------------------------------------------------------------------------------------------
# The graphs
# ---------------------------------------------------------------------------------------------


def test_each_entity_page_graph_links_exactly_its_neighbours(built_site: Path, catalog) -> None:
    checked = 0
    for entity in catalog.entities.values():
        if entity.kind == "slide":
            continue
        base = page_url(entity)
        graph = page(built_site, base).select_one("figure.atlante-graph")
        neighbours = {page_url(ln.target) for ln in entity.links}
        if not neighbours:
            assert graph is None
            continue
        drawings = graph.select("svg")
        assert len(drawings) == 2  # the wide layout and the narrow one, the same links in each
        for svg in drawings:
            nodes = {resolve(base, a["href"]) for a in svg.select("a.atlante-node")}
            assert nodes == neighbours, entity.ref
            centre = svg.select(".atlante-node.is-current")
            assert len(centre) == 1 and centre[0].name == "g"  # the entity itself is not a link to itself
        checked += 1
    assert checked > 40


def test_graph_edges_are_labelled_with_the_relation_in_the_page_language(built_site: Path, catalog) -> None:
    entity = next(e for e in catalog.by_kind["city"] if e.links)  # a city with a graph
    it = page(built_site, page_url(entity)).select_one("figure.atlante-graph")
    en = page(built_site, "en/" + page_url(entity)).select_one("figure.atlante-graph")
    for lang, figure in (("it", it), ("en", en)):
        notes = {t.get_text() for t in figure.select(".atlante-node__note")}
        headings = WORDS[lang]["relations"]  # each link named by its type's heading, forward or inverse
        assert notes == {headings[link.type]["inverse" if link.inverse else "forward"] for link in entity.links}, lang
    for drawing in it.select("svg"):
        assert len(drawing.select("path.atlante-edge")) == len(drawing.select("a.atlante-node"))
    svg = it.select_one("svg")
    assert entity.title in svg.select_one("title").get_text() and svg.select_one("desc").get_text()


def test_the_concept_map_links_every_entity_and_heads_each_kind(built_site: Path, catalog) -> None:
    for prefix in ("", "en/"):
        base = f"{prefix}concept-map/"
        doc = page(built_site, base)
        graph = doc.select_one("figure.atlante-graph")
        for svg in graph.select("svg"):  # wide and narrow
            nodes = {resolve(base, a["href"]) for a in svg.select("a.atlante-node")}
            assert nodes == {f"{prefix}{page_url(e)}" for e in catalog.entities.values()}
            headings = [resolve(base, a["href"]) for a in svg.select("a.atlante-heading")]
            assert headings[:len(CHAIN)] == [f"{prefix}{KIND_BY_NAME[k].folder}/" for k in CHAIN]
        # the text equivalent: every entity of the chain is listed, with the same links
        listed = {resolve(base, a["href"]) for a in doc.select("article li a")}
        chained = {KIND_BY_NAME[k].folder for k in CHAIN}
        assert {n for n in nodes if n.removeprefix(prefix).split("/")[0] in chained} <= listed


def test_the_home_page_links_the_concept_map(built_site: Path) -> None:
    for prefix in ("", "en/"):
        doc = page(built_site, prefix)
        assert any(resolve(prefix, a["href"]) == f"{prefix}concept-map/" for a in doc.select("article .atlante-actions a[href]"))


def test_labels_of_cities_at_one_point_do_not_overlap() -> None:
    base = geo.base_map(geo.FULL)
    points = [(name, name, 45.4642, 9.19) for name in ("Milano", "Gemella", "Terza", "Quarta")]
    markers = geo.place_markers(base, points, font=13)
    assert len({(m.x, m.y) for m in markers}) == 1  # the same place…
    boxes = [geo._box(m.anchor, m.label_x, m.label_y, 0.6 * 13 * len(str(m.key)), 13) for m in markers]
    for i, a in enumerate(boxes):  # …but every name readable
        assert not geo._overlaps(a, boxes[:i]), markers[i]


def test_a_graph_with_fifty_neighbours_grows_in_height_and_keeps_its_text_size(catalog) -> None:
    entity = max(catalog.entities.values(), key=lambda e: len(e.links))  # the most linked entry
    few = layout.neighbourhood(entity, "it", lambda t, inv: t)
    crowded = dataclasses.replace(entity, links=list(entity.links) * max(8, 51 // len(entity.links) + 1))  # over fifty
    big = layout.neighbourhood(crowded, "it", lambda t, inv: t)
    assert len(big.boxes) > 50
    assert big.width == few.width  # the same scale: text is never shrunk to fit
    assert big.height > few.height * 5
    assert all(b.height >= layout.LINE for b in big.boxes)


# ---------------------------------------------------------------------------------------------
# Layouts: every box inside its drawing, every title inside its box, in both layouts
# ---------------------------------------------------------------------------------------------


def _fits(graph: layout.Graph) -> list[str]:
    """The boxes of `graph` outside its drawing, or whose wrapped title would spill out of them (at
    the width graph.py estimates a character takes: the same estimate wraps them)."""
    wrong = []
    for box in graph.boxes:
        if box.x < 0 or box.y < 0 or box.x + box.width > graph.width + 0.01 or box.y + box.height > graph.height + 0.01:
            wrong.append(f"{box.entity.ref}: outside")
        for line in box.lines:
            if " " in line and len(line) * 0.52 * layout.FONT > box.width - 2 * layout.PAD + 0.01:
                wrong.append(f"{box.entity.ref}: {line!r} too long")
    return wrong


@pytest.mark.parametrize("lang", ["it", "en"])
def test_both_layouts_of_every_graph_keep_their_boxes_and_titles_inside(catalog, lang: str) -> None:
    name = lambda t, inverse: f"{t} {'inverso' if inverse else ''}"  # noqa: E731
    for entity in catalog.entities.values():
        wide, narrow = layout.neighbourhood(entity, lang, name), layout.neighbourhood_narrow(entity, lang, name)
        assert (wide is None) == (narrow is None)
        if wide is None or narrow is None:
            continue
        assert narrow.width == layout.NARROW and {b.entity.ref for b in narrow.boxes} == {b.entity.ref for b in wide.boxes}
        assert _fits(wide) == [] and _fits(narrow) == [], entity.ref
    chain = CHAIN  # the concept map's columns, as kinds.py declares them
    kinds = lambda k: k.upper()  # noqa: E731
    narrow = layout.concept_map_narrow(catalog, chain, lang, kinds, name)
    assert narrow.width == layout.NARROW and len(narrow.boxes) == len(catalog.entities)
    assert _fits(narrow) == [] and _fits(layout.concept_map(catalog, chain, lang, kinds, name, column=140, gap=30)) == []


# ---------------------------------------------------------------------------------------------
# Figures as downloads: a standalone SVG and a PNG of every figure, in both editions
# ---------------------------------------------------------------------------------------------


def _figure_downloads(site: Path) -> list[tuple[str, Path, BeautifulSoup]]:
    """(page, figure's download page, its figure) for the pages with figures, both editions."""
    found = []
    for prefix in ("", "en/"):
        for page_path in ["", "cities/", "concept-map/", *(f"{k.folder}/{p.name}/" for k in KINDS
                                                           for p in sorted((ROOT / "data" / k.folder).glob("*.yaml")))]:
            path = f"{prefix}{page_path.replace('.yaml', '')}"
            doc = page(site, path)
            for figure in doc.select("figure.atlante-map, figure.atlante-graph"):
                found.append((path, site / path, figure))
    return found


def test_every_figure_offers_a_standalone_svg_and_a_png_that_strict_parsers_read(built_site: Path) -> None:
    """SVG: well-formed XML (lxml's strict parser) with its title, its caption, the site's name, the
    page's address and the credit and licence lines; PNG: decodes, 1 600 px wide, the same picture."""
    from io import BytesIO

    from lxml import etree
    from PIL import Image

    from helpers import SITE_URL

    seen = 0
    for path, folder, figure in _figure_downloads(built_site):
        links = {a.get_text(strip=True): a for a in figure.select(".atlante-figure__downloads a")}
        assert set(links) == {"SVG", "PNG"}, path
        svg_file = (folder / links["SVG"]["href"]).resolve()
        png_file = (folder / links["PNG"]["href"]).resolve()
        root = etree.fromstring(svg_file.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        text = " ".join(" ".join(root.itertext()).split())
        title = root.findtext("{http://www.w3.org/2000/svg}title")
        assert title and title in text, path
        caption = " ".join(figure.select_one("figcaption").get_text(" ").split())
        assert SITE_URL + path in text or SITE_URL + path.removeprefix("en/") in text or "cities/" in text, path
        assert "CC BY 4.0" in text and ("Circoli magici del made in Italy" in text or "The Magic Circles of Made in Italy" in text), path
        if "atlante-map" in figure["class"]:
            assert "ISTAT" in text, path  # the boundaries' credit
        assert not root.xpath("//*[local-name()='script' or local-name()='foreignObject']"), path
        assert not [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")], path
        picture = Image.open(BytesIO(png_file.read_bytes()))
        picture.load()
        assert picture.format == "PNG" and picture.width == 1600, path
        ratio = float(root.get("height")) / float(root.get("width"))
        assert abs(picture.height / picture.width - ratio) < 0.01, path
        assert links["PNG"]["download"].endswith(".png") and links["SVG"]["download"].endswith(".svg")
        assert caption  # the page's own caption stays beside the figure
        seen += 1
    assert seen >= 2 * (1 + 1 + 1 + 20)


def test_a_figures_png_is_the_same_bytes_every_time(built_site: Path, tmp_path: Path) -> None:
    from atlante import figures

    svg = (built_site / "cities" / f"{CITY}.graph.svg").read_text(encoding="utf-8")
    first = figures.png(svg, None)
    assert figures.png(svg, tmp_path) == first == figures.png(svg, tmp_path)  # cached or not, the same picture
    assert (built_site / "cities" / f"{CITY}.graph.png").read_bytes() == first
