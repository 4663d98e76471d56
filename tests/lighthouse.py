"""Lighthouse (from npm, see package.json) on a few pages of a built site, served gzip-compressed on loopback.

    .venv/bin/python tests/lighthouse.py [--site PATH] [--english] [--form-factor mobile|desktop] [--reports DIR]

Without --site the project is built first (`mkdocs build -d <tmp>`). It prints the command that
runs Lighthouse (tests/lighthouse.mjs: its Node API on every page in one process), then a table of
the four category scores (x100) and, for every category below 100, the audits that fail there, with
the nodes or items Lighthouse names. Performance is reported only: it depends on the machine. `audit()` is what tests/test_lighthouse.py uses.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import io
import json
import os
import shlex
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers import BIN, CHROMIUM, FLAGS, ROOT, entry_page, env, serving

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
RUNNER = Path(__file__).with_name("lighthouse.mjs")  # Lighthouse's Node API on several pages in one process
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = ["/", entry_page("city"), "/concept-map/"]  # the home page, a city's (its figures), the concept map
# Audits that cannot fail: they are shown in the report but have no score.
UNSCORED = {"notApplicable", "manual", "informative"}
COMPRESSIBLE = {"text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                "application/manifest+json", "image/svg+xml"}
MAX_ITEMS = 8  # items listed per failing audit


# Server: the built site as a static host would serve it, compressed

def _accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (named, with a q above 0)."""
    for part in (header or "").split(","):
        coding, *params = (p.strip() for p in part.split(";"))
        if coding.lower() == "gzip":
            q = next((p[2:] for p in params if p.lower().startswith("q=")), "1")
            with contextlib.suppress(ValueError):
                return float(q) > 0
    return False


class _Gzip(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler, with text responses gzipped when the request accepts gzip."""

    protocol_version = "HTTP/1.1"  # keep-alive, like a real host: every response has a Content-Length

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self) -> io.BufferedIOBase | None:  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urllib.parse.urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if not path.is_file() or ctype not in COMPRESSIBLE or not _accepts_gzip(self.headers.get("Accept-Encoding")):
            return super().send_head()  # directories' redirects, 404s, images, fonts, no gzip
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", f"{ctype}; charset=utf-8" if ctype.startswith("text/") else ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


# Lighthouse

def command(urls: list[str], output: Path, form_factor: str = "mobile", port: int | None = None,
            categories: tuple[str, ...] = CATEGORIES) -> list[str]:
    """The command that runs Lighthouse on `urls`, their JSON reports written to `output`; with
    `port`, in the Chromium already listening there (the tests' browser), else in one it starts."""
    chromium = [f"--port={port}"] if port else [f"--chrome-flags={' '.join(FLAGS)}"]
    return ["node", str(RUNNER.relative_to(ROOT)), f"--form-factor={form_factor}",
            f"--only-categories={','.join(categories)}", f"--output={output}", *chromium, *urls]


def _text(value: Any) -> str:
    """One value of a Lighthouse details item, as short text."""
    if not isinstance(value, dict):
        return str(value)
    kind = value.get("type")
    if kind == "node":
        parts = [value.get("selector", ""), value.get("snippet", "")]
        if value.get("explanation"):
            parts.append(" / ".join(line.strip() for line in value["explanation"].splitlines() if line.strip()))
        return " ".join(p for p in parts if p)
    if kind == "source-location":
        return f"{value.get('url', '')}:{value.get('line', 0) + 1}:{value.get('column', 0) + 1}"
    if kind in ("url", "code", "text", "link", "numeric", "ms", "bytes"):
        return str(value.get("text") or value.get("value") or value.get("url") or "")
    return json.dumps(value, ensure_ascii=False)[:200]


def _items(details: dict[str, Any] | None) -> list[str]:
    """The rows of an audit's details (nodes with selector and snippet, urls, messages), nested lists flattened."""
    if not details:
        return []
    if details.get("type") == "list":  # a list of tables, sections, network trees
        return [row for sub in details.get("items", []) for row in _items(sub)]
    if details.get("type") == "list-section":
        value = details.get("value")
        return [f"{details.get('title', '')}: {_text(value)}"] if isinstance(value, str) else []
    if details.get("type") not in ("table", "opportunity", "checklist", None):
        return []  # network trees, screenshots, criticalrequestchain, debugdata
    keys = [h.get("key") for h in details.get("headings", []) if h.get("key")]
    rows = []
    for item in details.get("items", []):
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("node"), dict):
            rows.append(_text(item["node"]))
        else:
            rows.append(", ".join(f"{k}={_text(item[k])}" for k in keys or list(item)
                                  if k != "subItems" and item.get(k) not in (None, "", [], {})))
        for sub in (item.get("subItems") or {}).get("items", [])[:3]:
            rows.append("  - " + ", ".join(f"{k}={_text(v)}" for k, v in sub.items()))
    return rows


def failing_audits(lhr: dict[str, Any], category: str) -> list[dict[str, Any]]:
    """The audits of `category` that fail (score < 1) or could not run, scored ones only."""
    failing = []
    for ref in lhr["categories"][category]["auditRefs"]:
        result = lhr["audits"][ref["id"]]
        mode = result.get("scoreDisplayMode")
        if mode in UNSCORED or (mode != "error" and (result.get("score") is None or result["score"] >= 1)):
            continue
        items = _items(result.get("details"))
        failing.append({
            "id": ref["id"], "title": result.get("title", ""), "score": result.get("score"), "weight": ref.get("weight"),
            "display": result.get("displayValue") or result.get("errorMessage") or "",
            "items": items[:MAX_ITEMS], "more": max(0, len(items) - MAX_ITEMS),
        })
    return failing


def run(urls: list[str], *, form_factor: str = "mobile", reports: Path | None = None,
        log: Callable[[str], None] | None = None, port: int | None = None,
        categories: tuple[str, ...] = CATEGORIES) -> dict[str, dict[str, Any]]:
    """Lighthouse on each of `urls`, in one process: per url, the scores (x100) of `categories` (all
    four by default), the failing audits per category, the command."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        output = Path(tmp) / "reports.json"
        cmd = command(urls, output, form_factor, port, categories)
        line = f"CHROME_PATH={CHROMIUM} {shlex.join(cmd)}"
        if log:
            log(line)
        result = subprocess.run(cmd, env={**os.environ, "CHROME_PATH": str(CHROMIUM)}, cwd=ROOT,
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0 or not output.exists():
            raise RuntimeError(f"lighthouse failed ({result.returncode}) on {' '.join(urls)}:\n{result.stderr[-3000:]}")
        lhrs = json.loads(output.read_text(encoding="utf-8"))
    results = {}
    for url in urls:
        lhr = lhrs[url]
        if reports:
            reports.mkdir(parents=True, exist_ok=True)
            name = url.split("/", 3)[3].strip("/").replace("/", "_") or "home"
            (reports / f"{name}.{form_factor}.json").write_text(json.dumps(lhr, indent=1), encoding="utf-8")
        if lhr.get("runtimeError"):
            raise RuntimeError(f"lighthouse could not audit {url}: {lhr['runtimeError']}")
        scores = {c: None if lhr["categories"][c]["score"] is None else round(lhr["categories"][c]["score"] * 100)
                  for c in categories}
        results[url] = {
            "url": url, "command": line, "scores": scores,
            "failing": {c: failing_audits(lhr, c) for c in categories if scores[c] != 100},
            "warnings": lhr.get("runWarnings", []),
        }
    return results


def audit(site: Path, paths: list[str], *, form_factor: str = "mobile", reports: Path | None = None,
          log: Callable[[str], None] | None = None, port: int | None = None,
          categories: tuple[str, ...] = CATEGORIES) -> dict[str, dict]:
    """Lighthouse on each of `paths` of the built `site`, served gzip-compressed, in one process: per
    path, what run() returns; with `port`, in the Chromium listening there for DevTools."""
    if not LIGHTHOUSE.exists():
        raise FileNotFoundError(f"{LIGHTHOUSE} is missing: `npm ci` installs it (package.json)")
    with serving(site, _Gzip) as base:
        results = run([base + path for path in paths], form_factor=form_factor, reports=reports, log=log, port=port,
                      categories=categories)
        return {path: results[base + path] for path in paths}


def build(dest: Path) -> Path:
    """The project built into `dest` as `mkdocs build -d` does (not strict: a report, not a check)."""
    result = subprocess.run([str(BIN / "mkdocs"), "build", "-d", str(dest)], cwd=ROOT, env=env(),
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{result.stderr[-3000:]}")
    return dest


def report(results: dict[str, dict]) -> str:
    """The table of scores, then the failing audits of every category below 100."""
    width = max(len(p) for p in results)
    lines = [f"{'page':<{width}}  " + "  ".join(f"{c:>14}" for c in CATEGORIES)]
    for path, r in results.items():
        lines.append(f"{path:<{width}}  " + "  ".join(f"{'-' if r['scores'][c] is None else r['scores'][c]:>14}"
                                                       for c in CATEGORIES))
    for path, r in results.items():
        for category, audits in r["failing"].items():
            lines.append(f"\n{path} {category} {r['scores'][category]}:")
            for a in audits:
                score = "error" if a["score"] is None else f"{a['score']:.2f}"
                lines.append(f"  {a['id']} (score {score}, weight {a['weight']}): {a['title']}"
                             + (f" [{a['display']}]" if a["display"] else ""))
                lines += [f"      {item}" for item in a["items"]]
                if a["more"]:
                    lines.append(f"      ... and {a['more']} more")
        for warning in r["warnings"]:
            lines.append(f"\n{path} warning: {warning}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site folder (default: build the project into a temporary one)")
    parser.add_argument("--english", action="store_true", help="audit the /en/ counterparts of the pages too")
    parser.add_argument("--form-factor", choices=["mobile", "desktop"], default="mobile")
    parser.add_argument("--reports", type=Path, help="keep the full JSON reports in this folder")
    args = parser.parse_args(argv)
    paths = PAGES + (["/en" + p for p in PAGES] if args.english else [])
    with tempfile.TemporaryDirectory(prefix="lighthouse-site-") as tmp:
        site = args.site or build(Path(tmp) / "site")
        if not (site / "index.html").exists():
            parser.error(f"{site} is not a built site (no index.html)")
        results = audit(site, paths, form_factor=args.form_factor, reports=args.reports,
                        log=lambda line: print(line, flush=True))
    print()
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
