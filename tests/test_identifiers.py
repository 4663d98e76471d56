"""Every addition to the brief names a source a reader can check (issue 27, "Context, sourced").

A law (a `legge` or `decreto legislativo` in the source's text) carries its Normattiva URN, in the
text and as the address (https://www.normattiva.it/uri-res/N2Ls?<urn>); a work of literature (a
title in «…» and a year, with no page of its own to open) carries a DOI or an ISBN, and an ISBN-13
whose check digit is right. Sources with an https page (an official page, a dictionary entry) are
checked by their address. The classification reads the Italian text of each `added[].source`, which
is the one the editors write first; the English mirrors it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

LAW = re.compile(r"\b(legge|decreto legislativo)\b", re.IGNORECASE)
URN = re.compile(r"urn:nir:stato:(legge|decreto\.legislativo):\d{4}-\d{2}-\d{2};\d+(~art\d+)?")
TITLE_AND_YEAR = re.compile(r"«[^»]+».*\b(1[89]\d\d|20\d\d)\b")
DOI = re.compile(r"\bDOI 10\.\d{4,9}/\S+")
ISBN = re.compile(r"\bISBN ((?:97[89]-?)(?:\d-?){9}\d)\b")

# Literature the site cited before issue 27 whose DOI or ISBN no source at hand could confirm
# (research/identifiers-27.md, "Unverified"): listed so that the rule holds for everything else and
# this list can only shrink. A new entry here needs the same reason.
PENDING = {
    "Giacomo Becattini, «Riflessioni sul distretto industriale marshalliano come concetto socio-economico», Stato e mercato, n. 25, 1989, pp. 111–128",
    "Christopher Freeman, «Technology Policy and Economic Performance: Lessons from Japan», Pinter, 1987",
    "Bengt-Åke Lundvall (a cura di), «National Systems of Innovation», Pinter, 1992",
    "Philip Cooke, «Regional innovation systems: competitive regulation in the new Europe», Geoforum, 23 (3), 1992, pp. 365–382",
    "Marco Fortis, «Il made in Italy», Il Mulino, 1998",
}


def isbn13_valid(isbn: str) -> bool:
    digits = [int(c) for c in isbn if c.isdigit()]
    return len(digits) == 13 and sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10 == 0


def problems(source: str, url: str | None) -> list[str]:
    """What keeps one addition's source from being checkable; nothing when it is."""
    found = []
    if LAW.search(source):
        urn = URN.search(source)
        if not urn:
            found.append("a law without its Normattiva URN")
        elif url != f"https://www.normattiva.it/uri-res/N2Ls?{urn.group(0)}":
            found.append(f"a law whose address is not Normattiva's for {urn.group(0)}")
    elif TITLE_AND_YEAR.search(source) and (url is None or url.startswith("https://doi.org/")):
        isbns = ISBN.findall(source)
        if not DOI.search(source) and not isbns:
            found.append("literature without a DOI or an ISBN")
        found += [f"ISBN {isbn} with a wrong check digit" for isbn in isbns if not isbn13_valid(isbn)]
        doi = DOI.search(source)
        if url and doi and url.lower().replace("%28", "(").replace("%29", ")") != f"https://doi.org/{doi.group(0)[4:]}".lower():
            found.append("a DOI address that is not the DOI given")
    return found


def additions(root: Path) -> list[tuple[str, str, str | None]]:
    found = []
    for path in sorted((root / "data").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("added") or []:
            found.append((str(path.relative_to(root)), item["source"], item.get("url")))
    return found


@pytest.mark.brief
def test_every_added_law_and_work_carries_a_checkable_identifier() -> None:
    found = [(path, source, problem) for path, source, url in additions(ROOT) if source not in PENDING
             for problem in problems(source, url)]
    assert found == []


@pytest.mark.brief
def test_pending_literature_is_still_cited() -> None:
    # A source fixed or removed leaves the list: it is for known gaps, not for exemptions in advance.
    cited = {source for _, source, _ in additions(ROOT)}
    assert PENDING <= cited


@pytest.mark.parametrize(("source", "url", "expected"), [
    ("Legge 7 aprile 2014, n. 56, articolo 1", None, ["a law without its Normattiva URN"]),
    ("Decreto legislativo 3 luglio 2017, n. 117, urn:nir:stato:decreto.legislativo:2017-07-03;117",
     "https://www.gazzettaufficiale.it/", ["a law whose address is not Normattiva's for urn:nir:stato:decreto.legislativo:2017-07-03;117"]),
    ("Legge 7 aprile 2014, n. 56, urn:nir:stato:legge:2014-04-07;56",
     "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2014-04-07;56", []),
    ("Jane Jacobs, «The Economy of Cities», Random House, 1969", None, ["literature without a DOI or an ISBN"]),
    ("A. Author, «A book», 2001, ISBN 978-0-19-924775-3", None,
     ["ISBN 978-0-19-924775-3 with a wrong check digit"]),
    ("A. Author, «A book», 2001, ISBN 978-0-19-924775-2", None, []),
    ("A. Author, «An article», Journal, 2007, DOI 10.1080/00343400601120296",
     "https://doi.org/10.1080/00343400601120297", ["a DOI address that is not the DOI given"]),
    ("A. Author, «An article», Journal, 2000, DOI 10.1016/S0048-7333(99)00055-4",
     "https://doi.org/10.1016/S0048-7333%2899%2900055-4", []),
    ("Vocabolario Treccani, voce «borgo», accezione 1", "https://www.treccani.it/vocabolario/borgo/", []),
])
def test_the_rule_fails_on_what_cannot_be_checked(source: str, url: str | None, expected: list[str]) -> None:
    assert problems(source, url) == expected
