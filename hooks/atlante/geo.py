"""Maps of Italy: the regions and the data set's cities, as geometry ready for an inline SVG.

Boundaries are ISTAT's regional limits (geodata/, CC BY 4.0, attribution in the translation files),
a TopoJSON topology: each border between two regions is one shared arc. We decode the arcs, project
them with pyproj to ETRS89 / LCC Europe (EPSG:3034, a conformal projection), and simplify each arc
with shapely, so neighbouring regions still meet exactly; then scale to SVG units (y down). All of
this runs once per process and detail (functools.cache): every page reuses the same base map.

Cities are placed from their `coordinates` by the same projection, so a city added to data/ appears
on every map with no other change; `region_of` tells which region a point falls in, for the check
that a city's coordinates lie in Italy and in its stated region; `region_codes` gives each region's ISTAT
code, and `province_of` the ISTAT code of the province a point falls in (ISTAT's provincial limits, from
the same source), which a city's ISTAT municipality code begins with. Markup is the templates' job
(map.html): this module returns numbers and names only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, cast

from . import cache as kept_files
from .model import Json

if TYPE_CHECKING:  # imported where used: `atlante check` of places it has checked before needs neither
    import pyproj
    from shapely.geometry import MultiPolygon, Polygon

GEODATA = FsPath(__file__).parent / "geodata" / "limits_IT_regions.topo.json"
PROVINCES = FsPath(__file__).parent / "geodata" / "limits_IT_provinces.topo.json"  # the same source's provinces
CRS = "EPSG:3034"  # ETRS89-extended / LCC Europe: conformal, metres
TOLERANCE_M = 1000  # a point this close to a region (a coastal city centre) is in it


@dataclass(frozen=True)
class Detail:
    width: float  # SVG units across the map
    simplify_m: float  # Douglas-Peucker tolerance, metres
    min_area_km2: float  # smaller islands are left out


FULL = Detail(width=480, simplify_m=1500, min_area_km2=40)  # the map of all cities
LOCATOR = Detail(width=160, simplify_m=6000, min_area_km2=400)  # the small map on a city page


@dataclass(frozen=True)
class Region:
    name: str  # as the data's `region` enum writes it ("Valle d'Aosta")
    path: str  # SVG path data in map units


@dataclass(frozen=True)
class BaseMap:
    width: float
    height: float
    regions: tuple[Region, ...]
    scale: float  # map units per metre
    origin: tuple[float, float]  # projected (x_min, y_max): the map's top-left corner

    def place(self, lat: float, lon: float) -> tuple[float, float]:
        """A WGS 84 point in map units."""
        x, y = _transformer().transform(lon, lat)
        return round((x - self.origin[0]) * self.scale, 1), round((self.origin[1] - y) * self.scale, 1)


@dataclass(frozen=True)
class Marker:
    key: object  # what the caller placed (a city entity)
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # "start" or "end": the label's text-anchor


def region_of(lat: float, lon: float) -> str | None:
    """The region a WGS 84 point falls in (within TOLERANCE_M of its coast), or None outside Italy."""
    from shapely.geometry import Point

    x, y = _transformer().transform(lon, lat)
    point = Point(x, y)
    shapes = _shapes()
    for name, shape in shapes.items():  # a region holding the point is at distance 0, the least there is:
        if shape.intersects(point):     # the first one is the answer (prepared shapes: this is quick)
            return name
    best: tuple[float, str] | None = None
    for name, shape in shapes.items():
        # The distance to a region's bounding box is at most the distance to the region: a region
        # whose box is clearly beyond the tolerance, or than the best so far, need not be measured.
        x0, y0, x1, y1 = _bounds()[name]
        near = math.hypot(max(x0 - x, 0.0, x - x1), max(y0 - y, 0.0, y - y1)) - 1.0  # 1 m for rounding
        if near > TOLERANCE_M or (best is not None and near > best[0]):
            continue
        distance = shape.distance(point)
        if distance <= TOLERANCE_M and (best is None or distance < best[0]):
            best = (distance, name)
    return best[1] if best else None


def regions_of(points: Iterable[tuple[float, float]], kept: FsPath | None = None) -> dict[tuple[float, float], str | None]:
    """`region_of` each (lat, lon) point, as an earlier run on this machine found it where it can (kept
    in the folder `kept`, cache.py, under the digest of the boundaries and of what measures them): a
    check of places it has seen before then neither projects nor loads the boundaries, which is most
    of what checking takes at a few thousand entries. What it finds is kept for the next run."""
    name = kept_files.key("regions", GEODATA.read_bytes(), CRS, str(TOLERANCE_M), metadata.version("pyproj"),
                          metadata.version("shapely")) + ".json"
    before = kept_files.read(kept, name)
    previous: dict[str, str | None] = json.loads(before) if before else {}
    now = {}  # this run's places only: the file does not grow with every place ever checked
    found = {}
    for lat, lon in points:
        where = f"{lat!r} {lon!r}"
        now[where] = found[(lat, lon)] = previous[where] if where in previous else region_of(lat, lon)
    if kept is not None and now != previous:
        kept_files.keep(kept, name, json.dumps(now, sort_keys=True).encode("utf-8"))
    return found


@cache
def region_codes() -> dict[str, str]:
    """Each region's ISTAT code ("03"), by its name as the data's `region` enum writes it ("Lombardia")."""
    return {str(g["properties"]["reg_name"]).split("/")[0]: str(g["properties"]["reg_istat_code"])
            for g in _topology()["objects"]["regions"]["geometries"]}


def province_of(lat: float, lon: float) -> str | None:
    """The ISTAT code ("015", the historic province code) of the province or metropolitan city a WGS 84
    point falls in (within TOLERANCE_M of its coast), or None outside Italy."""
    from shapely.geometry import Point

    x, y = _transformer().transform(lon, lat)
    point = Point(x, y)
    shapes = _province_shapes()
    inside = next((code for code, shape in shapes.items() if shape.intersects(point)), None)
    if inside is not None:
        return inside
    distance, code = min((shape.distance(point), code) for code, shape in shapes.items())
    return code if distance <= TOLERANCE_M else None


@cache
def base_map(detail: Detail = FULL) -> BaseMap:
    """Italy's regions at `detail`, projected, simplified and scaled to SVG units."""
    from shapely.geometry import Polygon

    arcs = [_simplify(arc, detail.simplify_m) for arc in _projected_arcs()]
    kept: list[tuple[str, list[list[tuple[float, float]]]]] = []
    for name, rings in _region_rings(_topology()):
        points = [_ring_points(ring, arcs) for ring in rings]
        kept.append((name, [p for p in points if len(p) >= 4 and abs(Polygon(p).area) / 1e6 >= detail.min_area_km2]))
    xs = [x for _, rings in kept for ring in rings for x, _ in ring]
    ys = [y for _, rings in kept for ring in rings for _, y in ring]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    scale = detail.width / (x1 - x0)
    regions = [Region(name, "".join(_path([((px - x0) * scale, (y1 - py) * scale) for px, py in ring]) for ring in rings))
               for name, rings in kept]
    return BaseMap(round(detail.width, 1), round((y1 - y0) * scale, 1), tuple(regions), scale, (x0, y1))


def place_markers(base: BaseMap, points: Sequence[tuple[object, str, float, float]], font: float) -> list[Marker]:
    """Markers for (key, label, lat, lon) points, each with a label placed clear of the labels already set.

    Labels go right of their marker, else left, else further down; a rough width (0.6 em per
    character) is enough to keep names apart at this scale. Points outside the map are clamped to
    its edge rather than lost.
    """
    taken: list[tuple[float, float, float, float]] = []
    markers = []
    for key, label, lat, lon in points:
        x, y = base.place(lat, lon)
        x, y = min(max(x, 0), base.width), min(max(y, 0), base.height)
        width = 0.6 * font * max(len(label), 1)
        for dy in (0, font, -font, 2 * font, -2 * font, 3 * font, 4 * font):
            options = (("start", x + font * 0.6, y + dy), ("end", x - font * 0.6, y + dy))
            choice = next(((a, lx, ly) for a, lx, ly in options if not _overlaps(_box(a, lx, ly, width, font), taken)), None)
            if choice:
                break
        else:
            choice = ("start", x + font * 0.6, y + 5 * font)
        anchor, lx, ly = choice
        taken.append(_box(anchor, lx, ly, width, font))
        markers.append(Marker(key, x, y, round(lx, 1), round(ly + font * 0.35, 1), anchor))
    return markers


# ---------------------------------------------------------------------------------------------
# TopoJSON decoding and projection, done once
# ---------------------------------------------------------------------------------------------


@cache
def _topology(path: FsPath = GEODATA) -> Json:
    topology: Json = json.loads(path.read_text(encoding="utf-8"))  # TopoJSON, shipped with the package
    return topology


@cache
def _transformer() -> pyproj.Transformer:
    import pyproj

    return pyproj.Transformer.from_crs("EPSG:4326", CRS, always_xy=True)


@cache
def _projected_arcs(path: FsPath = GEODATA) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Every arc of the topology, delta-decoded, dequantised and projected."""
    topology = _topology(path)
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    project = _transformer().transform
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append(project(x * sx + tx, y * sy + ty))
        arcs.append(tuple(points))
    return tuple(arcs)


def _region_rings(topology: Json, layer: str = "regions", key: str = "reg_name") -> list[tuple[str, list[list[int]]]]:
    """(region name, its rings as arc indexes) for each region, outer rings and holes alike (or, with
    `layer` and `key`, for each feature of another layer, named by the property `key`)."""
    regions = []
    for geometry in topology["objects"][layer]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        name = geometry["properties"][key].split("/")[0]  # "Valle d'Aosta/Vallée d'Aoste"
        regions.append((name, [ring for polygon in polygons for ring in polygon]))
    return regions


def _ring_points(ring: list[int], arcs: list[tuple[tuple[float, float], ...]]) -> list[tuple[float, float]]:
    """A ring's points from its arcs; a negative index ~i means arc i reversed (TopoJSON)."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


@cache
def _shapes() -> dict[str, Polygon | MultiPolygon]:
    """Each region as a projected shapely geometry at full detail, for point-in-region tests."""
    return _layer_shapes(GEODATA, "regions", "reg_name")


@cache
def _province_shapes() -> dict[str, Polygon | MultiPolygon]:
    """Each province and metropolitan city, by its ISTAT code, as `_shapes` gives the regions."""
    return _layer_shapes(PROVINCES, "provinces", "prov_istat_code")


def _layer_shapes(path: FsPath, layer: str, key: str) -> dict[str, Polygon | MultiPolygon]:
    import shapely
    from shapely.geometry import MultiPolygon, Polygon

    arcs = list(_projected_arcs(path))
    shapes: dict[str, Polygon | MultiPolygon] = {}
    for name, rings in _region_rings(_topology(path), layer, key):
        polygons = [Polygon(_ring_points(ring, arcs)) for ring in rings]
        shape = shapely.union_all([p.buffer(0) for p in polygons])  # holes are rings of their own
        shapely.prepare(shape)
        shapes[name] = cast(Polygon | MultiPolygon, shape)  # the union of polygons: one, or several
    return shapes


@cache
def _bounds() -> dict[str, tuple[float, float, float, float]]:
    return {name: shape.bounds for name, shape in _shapes().items()}


def _simplify(arc: tuple[tuple[float, float], ...], tolerance: float) -> tuple[tuple[float, float], ...]:
    if len(arc) < 3:
        return arc
    from shapely.geometry import LineString

    simpler = LineString(arc).simplify(tolerance, preserve_topology=False).coords  # keeps both ends
    return cast(tuple[tuple[float, float], ...], tuple(simpler))  # a line in the plane: (x, y) points


def _path(points: list[tuple[float, float]]) -> str:
    """A closed SVG path in relative moves on a 0.1-unit grid: compact, and exact at map scale."""
    grid = [(round(x * 10), round(y * 10)) for x, y in points]
    out = [f"M{grid[0][0] / 10:g} {grid[0][1] / 10:g}"]
    px, py = grid[0]
    for x, y in grid[1:]:
        if (x, y) != (px, py):
            out.append(f"l{(x - px) / 10:g} {(y - py) / 10:g}")
            px, py = x, y
    return "".join(out) + "z"


def _box(anchor: str, x: float, y: float, width: float, font: float) -> tuple[float, float, float, float]:
    left = x if anchor == "start" else x - width
    return left, y - font / 2, left + width, y + font / 2


def _overlaps(box: tuple[float, float, float, float], taken: list[tuple[float, float, float, float]]) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken)
