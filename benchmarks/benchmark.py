"""Figures, not assertions: how the site's build scales, against the same pages built without hooks.

    make benchmark                                   # N = 100, 1 000, 5 000; 3 rounds; a Markdown table
    .venv/bin/python benchmarks/benchmark.py --sizes 100 1000 --rounds 5
    .venv/bin/python benchmarks/benchmark.py --smoke # what CI runs: N = 20, one round, every step once

For each N, a copy of the project whose data/ is the brief's data grown by N synthetic entries
(`atlante synth`, seed 0: every kind in realistic proportions, ~2.4 relations, ~2 tags, ~1.3 sources,
English blocks, cities with coordinates). Then, timed as wall clock of whole commands, process
start included:

- check:   `atlante check`;
- hooks:   `mkdocs build --strict`, both editions (the real build: our hooks generate every page);
- plain:   the same pages written out by `atlante export` and built by plain MkDocs + Material, no
           hooks (`mkdocs build -f mkdocs.yml`, then `-f mkdocs.en.yml`): the floor our hooks are
           measured against; ratio = hooks / plain;
- zensical: the exported pages built by Zensical (.venv-zensical), when installed;
- properdocs: the hooked build run by ProperDocs (.venv-properdocs), when installed;
- preview: the median time from saving an edit of one entry's title to `mkdocs serve --dirty`
           serving the page with it (polled every 50 ms; includes the server's file polling);
- CPU:     user + system seconds of the hooked and the plain builds, every process they start
           included (the hooked build builds the English edition in a second process while the
           Italian one builds, so its wall clock can be well below plain's on two cores while its CPU
           time is not); check too;
- memory:  the peak resident memory of the hooked build (and of the check);
- sizes:   the hooked site's bytes and its search index's bytes, per entity.

The three builds run alternately, in a rotating order, `--rounds` times; medians are reported.
Every build writes into a site folder emptied beforehand (untimed). Nothing here asserts a time: the
table is read by people, and benchmarks/README.md keeps the last one measured on the team's machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "hooks"))

from atlante import synth  # noqa: E402

from helpers import BIN, env, make_project, preview_env  # noqa: E402

ZENSICAL = ROOT / ".venv-zensical" / "bin" / "zensical"
PROPERDOCS = ROOT / ".venv-properdocs" / "bin" / "properdocs"
REAL = 0  # set in main: the brief's own entries, which every synthetic project keeps


@dataclass
class Row:
    n: int
    entities: int = 0
    pages: int = 0
    check: list[float] = field(default_factory=list)
    check_cpu: list[float] = field(default_factory=list)
    check_rss: int = 0
    hooks: list[float] = field(default_factory=list)
    plain: list[float] = field(default_factory=list)
    hooks_cpu: list[float] = field(default_factory=list)  # user + system seconds, its processes included
    plain_cpu: list[float] = field(default_factory=list)
    zensical: list[float] = field(default_factory=list)
    properdocs: list[float] = field(default_factory=list)
    export: float = 0.0
    rss: int = 0
    plain_rss: int = 0
    preview: float = float("nan")
    size: int = 0
    search: int = 0


def timed(args: list[str], cwd: Path, extra_env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """Wall-clock seconds, peak resident memory (bytes) and CPU seconds (user and system, with the
    processes it started and waited for) of one command, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env={**env(), **(extra_env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {cwd}:\n{errors.decode('utf-8', 'replace')[-3000:]}")
    return elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def synthetic(tmp: Path, n: int) -> Path:
    project = make_project(tmp, data=False)
    synth.synthesise(ROOT, project, n, seed=0)
    return project


def _empty(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def build_hooks(project: Path) -> tuple[float, int, float]:
    _empty(project / "site")
    return timed([str(BIN / "mkdocs"), "build", "--strict", "--quiet"], project)


def build_plain(exported: Path) -> tuple[float, int, float]:
    _empty(exported / "site")
    seconds, peak, cpu = 0.0, 0, 0.0
    for config in _configs(exported):
        took, rss, used = timed([str(BIN / "mkdocs"), "build", "--strict", "--quiet", "-f", config.name], exported)
        seconds, peak, cpu = seconds + took, max(peak, rss), cpu + used
    return seconds, peak, cpu


def build_properdocs(project: Path) -> tuple[float, int, float]:
    _empty(project / "site")
    return timed([str(PROPERDOCS), "build", "--strict", "--quiet", "-f", "mkdocs.yml"], project, {"PYTHONPATH": ""})


def build_zensical(exported: Path) -> tuple[float, int, float]:
    _empty(exported / "site")
    seconds, peak, cpu = 0.0, 0, 0.0
    for config in _configs(exported):
        # as strict as the others, and cold: its cache cleaned (--clean), as each MkDocs build starts afresh
        took, rss, used = timed([str(ZENSICAL), "build", "--clean", "--strict", "-f", config.name], exported)
        seconds, peak, cpu = seconds + took, max(peak, rss), cpu + used
    return seconds, peak, cpu


def _configs(exported: Path) -> list[Path]:
    """The source edition's config first (each build empties its own site folder, the source's holds the others)."""
    return [exported / "mkdocs.yml"] + sorted(p for p in exported.glob("mkdocs.*.yml"))


def measure(n: int, rounds: int, edits: int, others: tuple[str, ...] = ("zensical", "properdocs")) -> Row:
    row = Row(n)
    with tempfile.TemporaryDirectory(prefix="atlante-bench-") as tmp:
        project = synthetic(Path(tmp), n)
        row.entities = sum(1 for _ in (project / "data").glob("*/*.yaml"))
        for _ in range(rounds):
            seconds, rss, cpu = timed([str(BIN / "atlante"), "check", "--project", str(project)], project)
            row.check.append(seconds)
            row.check_cpu.append(cpu)
            row.check_rss = max(row.check_rss, rss)
        exported = Path(tmp) / "export"
        row.export, _, _ = timed([str(BIN / "atlante"), "export", str(exported), "--project", str(project)], project)
        runs = [("hooks", lambda: build_hooks(project)), ("plain", lambda: build_plain(exported))]
        if ZENSICAL.exists() and "zensical" in others:
            runs.append(("zensical", lambda: build_zensical(exported)))
        if PROPERDOCS.exists() and "properdocs" in others:
            runs.append(("properdocs", lambda: build_properdocs(project)))
        for r in range(rounds):
            for name, run in runs[r % len(runs):] + runs[:r % len(runs)]:  # alternate, rotating the order
                seconds, rss, cpu = run()
                getattr(row, name).append(seconds)
                if name == "hooks":
                    row.rss = max(row.rss, rss)
                    row.hooks_cpu.append(cpu)
                    if not row.pages:  # the site as built (ProperDocs' build later writes the same folder)
                        site = project / "site"
                        row.pages = sum(1 for _ in site.rglob("index.html"))
                        row.size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
                        row.search = sum(p.stat().st_size for p in site.rglob("search/search_index.json"))
                elif name == "plain":
                    row.plain_rss = max(row.plain_rss, rss)
                    row.plain_cpu.append(cpu)
        if edits:
            row.preview = preview(project, n, edits)
    return row


# ---------------------------------------------------------------------------------------------
# The live preview: time from saving an edit to the page served with it
# ---------------------------------------------------------------------------------------------


def _served(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _until(url: str, condition, limit: float = 900) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if condition(*_served(url)):
            return time.perf_counter() - start
        time.sleep(0.05)
    return float("nan")


def _theme(n: int) -> str:
    """The id of a synthetic theme halfway through the `n` entries (there is one when n >= 4)."""
    return f"synth-theme-{max(1, synth.proportions(n)['theme'] // 2):05d}"


def preview(project: Path, n: int, edits: int) -> float:
    """The median seconds from saving a title edit of one entry to the page served with it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dirty", "--no-strict", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project, env=preview_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _until(base + "/cities/milano/", lambda status, body: status == 200)
        file, old, page = ((f"data/themes/{_theme(n)}.yaml", 'title: "Tema', f"/themes/{_theme(n)}/")
                           if synth.proportions(n)["theme"] else ("data/cities/milano.yaml", 'title: "Milano', "/cities/milano/"))
        # the first build serves the source edition and builds the others in the background: an edit is
        # timed once they are built, as every later edit is (an edit meanwhile stops that build first)
        _until(base + "/en" + page, lambda status, body: status == 200)
        times = []
        for i in range(edits):
            text = (project / file).read_text(encoding="utf-8")
            mark = f"Modifica{i}x"
            (project / file).write_text(text.replace(old, old + mark, 1), encoding="utf-8")
            times.append(_until(base + page, lambda status, body, mark=mark: status == 200 and mark in body))
            old = old + mark
            time.sleep(max(1.0, 3 * times[-1]))  # let the edit's second phase (indexes, English) finish
        return statistics.median(times)
    finally:
        server.terminate()
        server.wait(timeout=120)


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------

HEADER = ("| N | entities | pages | hooks | plain | ratio hooks / plain | CPU hooks / plain | zensical | ratio hooks / zensical | "
          "properdocs | t(N)/t(prev) | check | preview | peak RSS (build / check) | site per entity | search index per entity |\n"
          "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _spread(values: list[float], unit: str = " s", digits: int = 1) -> str:
    """The median, and the lowest and highest in brackets when there are several: "28.5 s (27.9–29.3)"."""
    if not values:
        return "—"
    shown = f"{_median(values):.{digits}f}{unit}"
    return shown if len(values) < 2 else f"{shown} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def _ratios(a: list[float], b: list[float]) -> str:
    """The ratio round by round (the builds of a round run one after the other), its median and spread."""
    return _spread([x / y for x, y in zip(a, b, strict=False)], "", 2)


def line(row: Row, previous: Row | None) -> str:
    hooks = _median(row.hooks)
    growth = f"{hooks / _median(previous.hooks):.2f}" if previous else "—"
    cpu = f"{_median(row.hooks_cpu):.1f} / {_median(row.plain_cpu):.1f} s ({_ratios(row.hooks_cpu, row.plain_cpu)})"
    return (f"| {row.n:,} | {row.entities:,} | {row.pages:,} | {_spread(row.hooks)} | {_spread(row.plain)} | "
            f"{_ratios(row.hooks, row.plain)} | {cpu} | {_spread(row.zensical)} | {_ratios(row.hooks, row.zensical)} | "
            f"{_spread(row.properdocs)} | {growth} | {_median(row.check):.2f} s ({_median(row.check_cpu):.2f} s CPU) | "
            f"{'—' if row.preview != row.preview else f'{row.preview:.2f} s'} | "
            f"{row.rss / 2**20:,.0f} / {row.check_rss / 2**20:,.0f} MB | {row.size / row.entities / 1024:,.0f} KB | "
            f"{row.search / row.entities / 1024:,.1f} KB |").replace(",", " ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000], metavar="N")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of the builds (median reported)")
    parser.add_argument("--edits", type=int, default=3, help="preview edits per N (0: no preview)")
    parser.add_argument("--smoke", action="store_true", help="N = 20, one round, one edit: does every step run?")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--without", nargs="*", default=[], choices=["zensical", "properdocs"],
                        help="builds to leave out (they take as long as the others)")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.rounds, args.edits = [20], 1, 1
    print(f"# {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; "
          f"{args.rounds} round(s){'' if ZENSICAL.exists() else '; Zensical not installed (make zensical)'}", flush=True)
    print(HEADER, flush=True)
    rows: list[Row] = []
    for n in args.sizes:
        rows.append(measure(n, args.rounds, args.edits, tuple(e for e in ("zensical", "properdocs") if e not in args.without)))
        print(line(rows[-1], rows[-2] if len(rows) > 1 else None), flush=True)
    if args.markdown:
        args.markdown.write_text(HEADER + "\n" + "\n".join(line(r, rows[i - 1] if i else None) for i, r in enumerate(rows)) + "\n",
                                 encoding="utf-8")


if __name__ == "__main__":
    main()
