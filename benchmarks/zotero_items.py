"""A report, not a test: what Zotero saves from each page of the built site (issue 25).

Every entity page and every statement of the brief, in both editions, is handed to Zotero's own
translation server (`POST /web`, the code path of ZoteroBib and of "save to zotero.org"); the item
it saves is exported as CSL-JSON and RIS (`POST /export?format=csljson|ris`) and compared, field by
field, with what the site itself offers a reader for the same address: the CSL-JSON and RIS of the
page's citation control (`#cite`: `cite-page-json`/`cite-page-ris` on an entity page,
`cite-<slide>-<statement>-json`/`-ris` on a slide for a statement), the publisher named in that RIS
(`PB`), the page's summary and each statement's text (`dati/statements.csv`). It prints a table:
items saved, per field how many are right on entity pages and on statements and why the others are
not where the reason is known (a field Zotero's webpage item does not have; a statement, which
Zotero saves as its slide's page), then per field the wrong values with examples, and which Zotero
translator handled the pages (read from the server's log when `--server-log` is given). It
always exits 0, and does nothing but print this help unless the three addresses/paths are given.

    .venv/bin/python benchmarks/zotero_items.py \\
        --server http://127.0.0.1:1969 --site http://127.0.0.1:8765/ --built /tmp/zsite \\
        [--server-log /work/zotero/run/server.log] [--json-out /tmp/zotero-items.json] \\
        [--editions it en] [--limit N] [--checkout .]

Fields compared (Zotero's CSL-JSON export against the site's CSL-JSON unless said otherwise):
type; title; creators (exactly ONE single-field creator: `name` in Zotero's API JSON, `literal` in
its CSL-JSON, equal to the site's); date (`issued`; a statement has none on the site); version
(the site's `version` against Zotero's `version`, `edition` or `number`); publisher (the site RIS's
`PB`); container (`container-title`); language; URL; abstract (the page's summary, or the
statement's text). Then Zotero's RIS export against the site's RIS, tag by tag (TY, AU, TI, T2, PB,
UR, LA).

Then APA 7, as a reader who cites from Zotero would print it: each saved item's CSL-JSON export
rendered by citeproc-js exactly as the site renders its own panels (the checkout's own code,
`hooks/atlante/cite.py`: `default_engine()`, the vendored style and locale of `style_xml("apa", lang)`
in the page's language), with the site item's retrieval date (`accessed`) so that only Zotero's fields
differ, against the APA text the page's panel shows (`#cite-page-apa`, `#cite-<slide>-<statement>-apa`),
both as plain text (markup dropped, white space normalised); per edition, for entity pages and for
statements, how many are equal, and examples of differences (site -> Zotero). As a control, the site's
own CSL-JSON is rendered the same way and must give the panel's text. `--checkout` names the checkout
whose code renders (by default the one this script is in; it needs `make setup`: Node and citeproc-js).

The site: build it with its address set to where it is served, and serve the folder, e.g.

    ATLANTE_SITE_URL=http://127.0.0.1:8765/ ATLANTE_REPO_URL=https://github.com/example-org/atlante \\
        .venv/bin/mkdocs build --no-strict -d /tmp/zsite      # a strict build refuses 127.0.0.1
    .venv/bin/python -m http.server 8765 --bind 127.0.0.1 -d /tmp/zsite

The server (assembled for issue 25 in /work/zotero/translation-server, outside the checkout), from
these commits of the public repositories, each the submodule commit its parent records:

    zotero/translation-server  d88a8d5384456439962edfef129b14841b09af6d  (2026-04-28)
    modules/translators        zotero/translators     ee1746de4d401edc036477d5223551bafd5149a8
    modules/translate          zotero/translate       e0fe482b8a07e42cbf83545947382008ae7ddb82
    modules/utilities          zotero/utilities       9c89b23153ce621ed0f1d581a5e32248704c6fb7
    modules/zotero-schema      zotero/zotero-schema   1f5331e902ed2b765a379b9586c65d1a192c151d
    modules/translate/modules/utilities  zotero/utilities  cccf1235a318c259345fc623d5e9d6770ba19df7
    wicked-good-xpath (npm git dependency)  zotero/wicked-good-xpath  1b88459724800c19d82020bb0eb951a3dc177989

Each exported with `git archive <commit> | tar -x -C <dir>`; wicked-good-xpath packed with `npm pack`
and package.json pointed at the tarball (`file:../deps/wicked-good-xpath-1.3.1-z002.tgz`: npm cannot
clone from GitHub here), then `npm install --omit=dev` (every other version as package-lock.json
pins it). Started with `NODE_CONFIG='{"host":"127.0.0.1"}' node src/server.js > server.log 2>&1`
(port 1969; the server has no block list for private addresses, so nothing else is needed).
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime
import html
import json
import re
import sys
import urllib.error
import urllib.request
from difflib import SequenceMatcher
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

FIELDS = ("type", "title", "creators", "date", "version", "publisher", "container", "language", "URL", "abstract")
RIS_TAGS = ("TY", "AU", "TI", "T2", "PB", "UR", "LA")


# --- the site's side -------------------------------------------------------------------------------

def code_block(page: str, element_id: str) -> str | None:
    """The text of `<code id=element_id>` as a reader copies it (markup dropped, entities decoded)."""
    m = re.search(r'<code id="' + re.escape(element_id) + r'">(.*?)</code>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))) if m else None


def parse_ris(text: str | None) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = collections.defaultdict(list)
    for line in (text or "").splitlines():
        m = re.match(r"^([A-Z][A-Z0-9])  - ?(.*)$", line)
        if m and m.group(1) != "ER":
            tags[m.group(1)].append(m.group(2).strip())
    return dict(tags)


def page_file(built: Path, site: str, url: str) -> Path:
    path = url.split("#", 1)[0][len(site):]
    return built / path / "index.html" if not path.endswith(".html") else built / path


def alternate(page: str, lang: str) -> str | None:
    m = re.search(r'<link rel="alternate" href="([^"]+)" hreflang="' + re.escape(lang) + '">', page)
    return m.group(1) if m else None


def summary(page: str) -> str | None:
    m = re.search(r'<p class="atlante-summary">(.*?)</p>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else None


class _ElementText(HTMLParser):
    """The text of the first element with a given id, as a reader sees it (markup dropped, entities
    decoded), and its italic runs."""

    def __init__(self, element_id: str):
        super().__init__(convert_charrefs=True)
        self.element_id, self.tag, self.depth, self.found = element_id, "", 0, False
        self.parts: list[str] = []
        self.italics: list[list[str]] = []
        self.in_italic = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += tag == self.tag
            if tag == "i":
                self.in_italic += 1
                if self.in_italic == 1:
                    self.italics.append([])
        elif not self.found and dict(attrs).get("id") == self.element_id:
            self.tag, self.depth, self.found = tag, 1, True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # a void element (<br/>) holds no text

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= tag == self.tag
            if tag == "i" and self.in_italic:
                self.in_italic -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)
            if self.in_italic:
                self.italics[-1].append(data)


def plain(text: str) -> str:
    """Text as a panel shows it inline: every run of white space one space."""
    return re.sub(r"\s+", " ", text).strip()


def element_text(page: str, element_id: str) -> tuple[str, tuple[str, ...]] | None:
    """(plain text, italic runs) of the element `id=element_id` of an HTML page or fragment."""
    at = page.find(f'id="{element_id}"')
    if at < 0:
        return None
    parser = _ElementText(element_id)
    parser.feed(page[page.rfind("<", 0, at):])
    parser.close()
    return (plain("".join(parser.parts)), tuple(plain("".join(run)) for run in parser.italics)) if parser.found else None


def shown_text(page: str, element_id: str) -> list | None:
    """A panel's styled citation (`<span id="cite-…-apa">`): [plain text, [italic runs]]."""
    found = element_text(page, element_id)
    return [found[0], list(found[1])] if found else None


def targets(built: Path, site: str, editions: list[str]) -> list[dict]:
    """Every entity page and every statement, in each edition, with what the site says of it."""
    data = json.loads((built / "dati" / "atlante.json").read_text(encoding="utf-8"))
    texts = {}
    with (built / "dati" / "statements.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            texts[(row["slide"], row["id"])] = {"it": row["text"], "en": row.get("text_en") or None}
    out = []
    for entity in data["entities"]:
        source = page_file(built, site, entity["url"]).read_text(encoding="utf-8")
        for lang in editions:
            url = entity["url"] if lang == "it" else alternate(source, lang)
            if not url:
                continue
            page = page_file(built, site, url).read_text(encoding="utf-8")
            out.append({"what": f"{entity['kind']}:{entity['id']}", "lang": lang, "url": url,
                        "csl": code_block(page, "cite-page-json"), "ris": code_block(page, "cite-page-ris"),
                        "apa": shown_text(page, "cite-page-apa"), "abstract": summary(page)})
    for st in data["statements"]:
        slide_url = st["url"].split("#", 1)[0]
        source = page_file(built, site, slide_url).read_text(encoding="utf-8")
        for lang in editions:
            base = slide_url if lang == "it" else alternate(source, lang)
            if not base:
                continue
            page = page_file(built, site, base).read_text(encoding="utf-8")
            key = f"cite-{st['slide']}-{st['id']}"
            out.append({"what": f"statement:{st['slide']}#{st['id']}", "lang": lang, "url": f"{base}#{st['id']}",
                        "csl": code_block(page, key + "-json"), "ris": code_block(page, key + "-ris"),
                        "apa": shown_text(page, key + "-apa"), "abstract": texts.get((st["slide"], st["id"]), {}).get(lang)})
    for t in out:
        csl = json.loads(t["csl"]) if t["csl"] else [{}]
        t["csl"] = csl[0] if isinstance(csl, list) and csl else {}
        t["ris"] = parse_ris(t["ris"])
    return out


# --- Zotero's side ---------------------------------------------------------------------------------

def post(url: str, body: bytes, content_type: str, timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class ServerLog:
    """Which translator the server ran for the last request, read from its debug log."""

    def __init__(self, path: str | None):
        self.path = Path(path) if path else None
        self.offset = self.path.stat().st_size if self.path and self.path.exists() else 0

    def since_last(self) -> dict:
        if not self.path or not self.path.exists():
            return {}
        with self.path.open("rb") as f:
            f.seek(self.offset)
            text = f.read().decode("utf-8", "replace")
            self.offset = f.tell()
        used = re.findall(r"Translate: Beginning translation with (.+)", text)
        # after "All translator detect calls and RPC calls complete:", one line per translator whose
        # detectWeb answered: "(3)(+0000000): \tEmbedded Metadata: 320" (name: priority)
        candidates = re.findall(r"^\(\d\)\(\+\d+\): \t(.+): (\d+)$", text, re.M)
        return {"translator": used[0].strip() if used else None,
                "candidates": [f"{name} ({priority})" for name, priority in candidates]}


def zotero(server: str, url: str, log: ServerLog, timeout: float) -> dict:
    status, body = post(server.rstrip("/") + "/web", url.encode(), "text/plain", timeout)
    result = {"status": status, **log.since_last()}
    if status == 300:
        # several items on the page (e.g. one COinS span per statement): a reader picks one; take them
        # all and keep the one whose URL is the address asked for (else the first)
        choices = json.loads(body)
        result["choices"] = list(choices.get("items", {}).values())
        status, body = post(server.rstrip("/") + "/web", json.dumps(choices).encode(), "application/json", timeout)
        result["status"] = status
        log.since_last()
    if status != 200:
        result["error"] = body.decode("utf-8", "replace")[:300]
        return result
    items = [i for i in json.loads(body) if i.get("itemType") not in ("note", "attachment")]
    if not items:
        result["error"] = "no item"
        return result
    item = next((i for i in items if i.get("url") == url), items[0])
    result["item"] = item
    payload = json.dumps([item]).encode()
    s, b = post(server.rstrip("/") + "/export?format=csljson", payload, "application/json", timeout)
    result["csl"] = json.loads(b)[0] if s == 200 else {}
    s, b = post(server.rstrip("/") + "/export?format=ris", payload, "application/json", timeout)
    result["ris"] = parse_ris(b.decode("utf-8", "replace")) if s == 200 else {}
    log.since_last()  # skip the exports' lines: the next page's translator is the next one logged
    return result


# --- comparison ------------------------------------------------------------------------------------

def date_parts(value: dict | None) -> list[int] | None:
    if not value or not value.get("date-parts"):
        return None
    return [int(p) for p in value["date-parts"][0]]


def creators_of(item: dict) -> list[str]:
    return [c["name"] if "name" in c else f"{c.get('firstName', '')} | {c.get('lastName', '')} (two fields)"
            for c in item.get("creators", [])]


def compare(t: dict, z: dict) -> dict[str, tuple[bool, object, object]]:
    """field -> (right, expected, found)."""
    e, c, item = t["csl"], z.get("csl", {}), z.get("item", {})
    expected_authors = [a.get("literal") or f"{a.get('given', '')} {a.get('family', '')}".strip()
                        for a in e.get("author", [])]
    found_authors = creators_of(item)
    csl_literal = [a.get("literal") for a in c.get("author", [])]
    found_version = {k: c[k] for k in ("version", "edition", "number") if c.get(k)}
    publisher = (t["ris"].get("PB") or [None])[0]
    checks = {
        "type": (e.get("type"), c.get("type")),
        "title": (e.get("title"), c.get("title")),
        "creators": (expected_authors, found_authors),
        "date": (date_parts(e.get("issued")), date_parts(c.get("issued"))),
        "version": (e.get("version"), found_version or None),
        "publisher": (publisher, c.get("publisher")),
        "container": (e.get("container-title"), c.get("container-title")),
        "language": (e.get("language"), c.get("language")),
        "URL": (e.get("URL"), c.get("URL")),
        "abstract": (t.get("abstract"), c.get("abstract")),
    }
    out = {}
    for field, (want, got) in checks.items():
        if field == "creators":
            right = got == want and csl_literal == want
        elif field == "version":
            right = want is not None and want in (got or {}).values() or want is None and not got
        else:
            right = want == got
        out[field] = (right, want, got)
    return out


def compare_ris(t: dict, z: dict) -> dict[str, tuple[bool, object, object]]:
    out = {}
    for tag in RIS_TAGS:
        want, got = t["ris"].get(tag), z.get("ris", {}).get(tag)
        if tag == "TY":
            right = want == got
        else:
            right = (want or None) == (got or None)
        out[tag] = (right, want, got)
    return out


# --- APA 7: citeproc-js on Zotero's item, as the site renders its own panels --------------------------

def site_cite(checkout: Path) -> ModuleType | str:
    """The checkout's own citation code (hooks/atlante/cite.py), or why it cannot be had (a str)."""
    sys.path.insert(0, str(checkout / "hooks"))
    try:
        from atlante import cite  # here, from the checkout asked for (it needs the checkout's venv)

        cite.default_engine()  # Node and the checkout's citeproc-js, or RuntimeError saying what is missing
    except Exception as e:  # a report: say why there is no APA comparison, and go on
        return f"{type(e).__name__}: {e}"
    return cite


def apa_texts(cite: ModuleType, items: list[tuple[dict, str]]) -> list[tuple[str, tuple[str, ...]] | str]:
    """APA 7 of each (CSL item, page language) as the site renders a panel's full reference
    (`Engine.styled`: citeproc-js, the vendored style and locale, the site's adaptations), as
    (plain text, italic runs); the error's text instead where an item cannot be rendered. Items
    are rendered together per retrieval date (it only names the <time> element's datetime)."""
    out: list = [None] * len(items)
    by_day: dict[tuple, list[int]] = collections.defaultdict(list)
    for n, (item, _lang) in enumerate(items):
        by_day[tuple(item["accessed"]["date-parts"][0])].append(n)
    for day, numbers in by_day.items():
        batch = [items[n] for n in numbers]
        try:
            styled = cite.default_engine().styled(batch, _date(day))
        except Exception as e:  # one bad item: render the batch one by one to name it
            styled = []
            for one in batch:
                try:
                    styled += cite.default_engine().styled([one], _date(day))
                except Exception as error:
                    styled.append(f"{type(error).__name__}: {str(error)[:200]} ({e.__class__.__name__} in the batch)")
        for n, styles in zip(numbers, styled, strict=True):
            if isinstance(styles, str):
                out[n] = styles
                continue
            full = next(full for key, _name, _in_text, full in styles if key == "apa")
            out[n] = element_text(f'<span id="apa">{full}</span>', "apa")
    return out


def _date(parts: tuple) -> datetime.date:
    return datetime.date(*(int(p) for p in (*parts, 1, 1)[:3]))


def zotero_as_site_item(t: dict, z: dict) -> dict | None:
    """Zotero's CSL-JSON export with the site item's retrieval date (so that only Zotero's fields
    differ); None when the site's item has none to give."""
    accessed = t["csl"].get("accessed")
    if not z.get("csl") or not accessed or not accessed.get("date-parts"):
        return None
    return dict(z["csl"], accessed={"date-parts": [[int(p) for p in accessed["date-parts"][0]]]})


def where_different(want: str, got: str, most: int = 4) -> str:
    """The words that differ, as "'site' -> 'Zotero'" pieces."""
    a, b = want.split(" "), got.split(" ")
    pieces = [f"{short(' '.join(a[i1:i2]), 60)} -> {short(' '.join(b[j1:j2]), 60)}"
              for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op != "equal"]
    return "; ".join(pieces[:most]) + (f"; (… {len(pieces)} in all)" if len(pieces) > most else "")


def compare_apa(saved: list[tuple[dict, dict]], checkout: Path, editions: list[str]) -> list[dict | None]:
    """Print the APA comparison; per saved item, {"site", "zotero", "control", "equal"} (None when
    it could not be compared)."""
    print("\nAPA 7: citeproc-js on Zotero's CSL-JSON export (the site's engine, style and locale, the site item's"
          "\nretrieval date) against the APA text of the page's panel, as plain text")
    cite = site_cite(checkout)
    if isinstance(cite, str):
        print(f"  not compared: the checkout's citation code ({checkout / 'hooks' / 'atlante' / 'cite.py'}) "
              f"cannot render: {cite}")
        return [None] * len(saved)
    zotero_items = [zotero_as_site_item(t, z) for t, z in saved]
    wanted = [(n, item, t["lang"]) for n, ((t, _z), item) in enumerate(zip(saved, zotero_items, strict=True))
              if item is not None and t.get("apa")]
    rendered = apa_texts(cite, [(item, lang) for _n, item, lang in wanted])
    control = apa_texts(cite, [(saved[n][0]["csl"], lang) for n, _item, lang in wanted])
    out: list[dict | None] = [None] * len(saved)
    for (n, _item, _lang), found, own in zip(wanted, rendered, control, strict=True):
        site_text, site_italics = saved[n][0]["apa"]
        out[n] = {"site": site_text, "site_italics": site_italics,
                  "zotero": found if isinstance(found, str) else found[0],
                  "zotero_italics": None if isinstance(found, str) else list(found[1]),
                  "rendered": not isinstance(found, str),
                  "control": not isinstance(own, str) and own[0] == site_text and list(own[1]) == list(site_italics),
                  "equal": not isinstance(found, str) and found[0] == site_text}
    missing = [t for (t, _z), r in zip(saved, out, strict=True) if r is None]
    controls = [r for r in out if r is not None]
    print(f"  control, the site's own CSL-JSON rendered so: {sum(r['control'] for r in controls)}/{len(controls)} "
          "equal to the panel (text and italics)")
    if missing:
        print(f"  not compared: {len(missing)} (no APA panel or no retrieval date on the page), e.g. "
              + ", ".join(f"{t['what']} [{t['lang']}]" for t in missing[:3]))
    failed = [r for r in controls if not r["rendered"]]
    if failed:
        print(f"  Zotero's item not rendered by citeproc-js: {len(failed)}, e.g. {failed[0]['zotero']}")
    print(f"  {'edition':<8} {'entity pages':>12} {'statements':>11}  (APA text equal / compared)")
    for lang in editions:
        groups = [[r for (t, _z), r in zip(saved, out, strict=True) if r is not None and t["lang"] == lang
                   and t["what"].startswith("statement:") == statement] for statement in (False, True)]
        if any(groups):
            counts = [f"{sum(r['equal'] for r in g)}/{len(g)}" for g in groups]
            print(f"  {lang:<8} {counts[0]:>12} {counts[1]:>11}")
    equal = [r for r in controls if r["equal"]]
    italic = [r for r in equal if r["zotero_italics"] != r["site_italics"]]
    print(f"  of the {len(equal)} equal texts, {len(italic)} italicise other words than the panel")
    for lang in editions:
        for statement in (False, True):
            wrong = [(t, r) for (t, _z), r in zip(saved, out, strict=True) if r is not None and not r["equal"]
                     and t["lang"] == lang and t["what"].startswith("statement:") == statement]
            if not wrong:
                continue
            kinds = collections.OrderedDict()  # one example per way of differing: numbers and anchors aside
            for t, r in wrong:
                how = where_different(r["site"], r["zotero"]) if r["rendered"] else r["zotero"]
                kinds.setdefault(re.sub(r"\S*[\d#]\S*", "…", how), []).append((t, r, how))
            print(f"\n  differences, edition {lang}, {'statements' if statement else 'entity pages'}: {len(wrong)}, "
                  f"{len(kinds)} distinct ways (words differing, site -> Zotero; numbers and anchors aside)")
            for cases in list(kinds.values())[:4]:
                t, r, how = cases[0]
                print(f"    {how}  [x{len(cases)}]")
                print(f"      {t['what']}: expected (the site's panel): {r['site']}")
                print(f"      {' ' * len(t['what'])}  found (Zotero's item):   {r['zotero']}")
            if len(kinds) > 4:
                print(f"    (… {len(kinds) - 4} more ways)")
    return out


def short(value: object, width: int = 70) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def table(title: str, names: tuple[str, ...], rows: list[tuple[dict, dict]]) -> None:
    print(f"\n{title}")
    print(f"{'field':<10} {'right':>5} {'wrong':>5}  examples of wrong values (page: expected -> found)")
    for name in names:
        right = [r for r, _ in rows if r[name][0]]
        wrong = [(r, t) for r, t in rows if not r[name][0]]
        print(f"{name:<10} {len(right):>5} {len(wrong):>5}", end="")
        distinct = collections.OrderedDict()
        for r, t in wrong:
            distinct.setdefault(json.dumps(r[name][2], ensure_ascii=False, sort_keys=True), (r, t))
        shown = list(distinct.values())[:3]
        for i, (r, t) in enumerate(shown):
            lead = "  " if i == 0 else " " * 24
            print(f"{lead}{t['what']} [{t['lang']}]: {short(r[name][1], 60)} -> {short(r[name][2])}")
        if not shown:
            print()
        elif len(distinct) > len(shown):
            print(" " * 24 + f"(… {len(distinct)} distinct wrong values in all)")


# Why a field cannot be right, where the reason is in Zotero rather than in the site's tags
NOT_ON_A_WEBPAGE = ("version", "publisher", "PB")  # the schema's webpage type has neither field (README, "Zotero")


def verdict(name: str, rows: list[tuple[dict, dict]]) -> str:
    """Why the wrong values of field `name` are wrong, when it is one of the known reasons."""
    wrong = [(r, t) for r, t in rows if not r[name][0]]
    if not wrong:
        return ""
    if name in NOT_ON_A_WEBPAGE and all(not r[name][2] for r, _ in wrong) and all(t["type"] == "webpage" for _, t in wrong):
        return "not carried: Zotero's webpage item has no such field"
    if all(t["what"].startswith("statement:") for _, t in wrong):
        return "statements only: a statement is a fragment of its slide's page, which has one head (Zotero saves the slide)"
    return ""


def in_short(names: tuple[str, ...], rows: list[tuple[dict, dict]]) -> None:
    """Per field: right on entity pages, right on statements, and why the rest are not (when known)."""
    pages = [(r, t) for r, t in rows if not t["what"].startswith("statement:")]
    statements = [(r, t) for r, t in rows if t["what"].startswith("statement:")]
    print(f"{'field':<10} {'entity pages':>12} {'statements':>11}  why not (when known)")
    for name in names:
        right = [f"{sum(1 for r, _ in group if r[name][0])}/{len(group)}" for group in (pages, statements)]
        print(f"{name:<10} {right[0]:>12} {right[1]:>11}  {verdict(name, rows)}".rstrip())


def run(args: argparse.Namespace) -> None:
    site = args.site if args.site.endswith("/") else args.site + "/"
    pages = targets(Path(args.built), site, args.editions)
    if args.limit:
        pages = pages[: args.limit]
    log = ServerLog(args.server_log)
    results = []
    for n, t in enumerate(pages, 1):
        z = zotero(args.server, t["url"], log, args.timeout)
        results.append((t, z))
        print(f"\r{n}/{len(pages)} {t['url'][:90]:<90}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    saved = [(t, z) for t, z in results if "item" in z]
    print(f"Zotero translation server {args.server} on {site} ({args.built}), editions {', '.join(args.editions)}")
    print(f"pages posted: {len(results)}  items saved: {len(saved)}  not saved: {len(results) - len(saved)}")
    for t, z in results:
        if "item" not in z:
            print(f"  not saved: {t['url']}: HTTP {z['status']} {z.get('error', '')[:120]}")
    translators = collections.Counter(z.get("translator") or "(unknown: no --server-log)" for _, z in results)
    print("translators: " + ", ".join(f"{k} x{v}" for k, v in translators.most_common()))
    candidates = collections.Counter(", ".join(z.get("candidates") or []) or "(none logged)" for _, z in results)
    print("translators that detected the pages: " + "; ".join(f"[{k}] x{v}" for k, v in candidates.most_common()))
    multiple = [z for _, z in results if z.get("choices")]
    if multiple:
        print(f"pages offering several items (Zotero's selection list): {len(multiple)}")
    types = collections.Counter(z["item"]["itemType"] for _, z in saved)
    print("item types saved: " + ", ".join(f"{k} x{v}" for k, v in types.most_common()))

    typed = [dict(t, type=z["item"]["itemType"]) for t, z in saved]
    rows = [(compare(t, z), tt) for (t, z), tt in zip(saved, typed, strict=True)]
    ris_rows = [(compare_ris(t, z), tt) for (t, z), tt in zip(saved, typed, strict=True)]
    print("\nIn short: fields right, Zotero's item (CSL-JSON export) against the site's own citation")
    in_short(FIELDS, rows)
    print("\nIn short: Zotero's RIS export against the site's RIS")
    in_short(RIS_TAGS, ris_rows)
    table("Zotero's item (its CSL-JSON export) against the site's own citation", FIELDS, rows)
    table("Zotero's RIS export against the site's RIS", RIS_TAGS, ris_rows)
    compared = {"type", "title", "author", "issued", "version", "edition", "number", "publisher", "container-title",
                "language", "URL", "abstract", "id", "accessed"}
    extra = collections.Counter(f"{k}={short(v, 50)}" for _, z in saved for k, v in z["csl"].items()
                                if k not in compared)
    if extra:
        print("\nother fields in Zotero's CSL-JSON, not compared (field=value x pages): "
              + "; ".join(f"{k} x{v}" for k, v in extra.most_common(12)))
    for lang in args.editions:
        sub = [r for r in rows if r[1]["lang"] == lang]
        if sub:
            counts = ", ".join(f"{f} {sum(1 for r, _ in sub if r[f][0])}/{len(sub)}" for f in FIELDS)
            print(f"\nedition {lang}: right per field: {counts}")
    if saved:
        t, z = saved[0]
        print(f"\none saved item in full ({t['url']}):")
        print(json.dumps({k: v for k, v in z["item"].items() if k not in ("key", "version", "accessDate")},
                         ensure_ascii=False, indent=1))

    apa = dict(zip((id(z) for _, z in saved), compare_apa(saved, Path(args.checkout), args.editions), strict=True))

    if args.json_out:
        dump = [{"page": t, "zotero": z, "fields": {k: list(v) for k, v in compare(t, z).items()} if "item" in z
                 else None, "apa": apa.get(id(z))} for t, z in results]
        Path(args.json_out).write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\nevery page, item and comparison: {args.json_out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", help="the translation server, e.g. http://127.0.0.1:1969")
    parser.add_argument("--site", help="the address the built site is served at (its site_url)")
    parser.add_argument("--built", help="the built site's folder")
    parser.add_argument("--server-log", help="the server's stdout/stderr log, to name the translator used")
    parser.add_argument("--json-out", help="write every page, item and comparison here")
    parser.add_argument("--editions", nargs="+", default=["it", "en"])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (a quick look)")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--checkout", default=str(Path(__file__).resolve().parents[1]),
                        help="the checkout whose citation code renders APA 7 (default: this script's)")
    args = parser.parse_args(argv)
    if not (args.server and args.site and args.built):
        print(__doc__)
        return 0
    try:
        run(args)
    except Exception as e:  # a report, not a test: say what went wrong and exit 0
        print(f"\nzotero_items: stopped: {type(e).__name__}: {e}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
