"""Figures, not assertions: `atlante export`, and its export built without hooks by plain MkDocs and
by Zensical (.venv-zensical), beside the hooked build of the same project.

    .venv/bin/python tests/benchmark_export.py [--repeat R] [N ...]

N = 0 is the real project; N > 0 adds N synthetic entries (atlante synth, as tests/benchmark.py).
Each build is of both editions (the source one, then English) in a fresh copy, so nothing is cached.
With --repeat, the steps alternate run by run and each figure is the median: the machine may be busy.
CPU seconds (of the step's processes, every thread) vary less than wall-clock ones on a busy machine.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from benchmark import synthetic  # noqa: E402

from helpers import BIN, ROOT, atlante, env, make_project, mkdocs_build  # noqa: E402

ZENSICAL = ROOT / ".venv-zensical" / "bin" / "zensical"


def timed(step) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Wall-clock seconds, and the CPU seconds of the processes the step ran (less noisy when busy)."""
    start, cpu = time.perf_counter(), _children_cpu()
    step()
    return time.perf_counter() - start, _children_cpu() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def engine_build(export: Path, folder: Path, command: list[str]) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(export, folder)
    for config in ("mkdocs.yml", "mkdocs.en.yml"):
        result = subprocess.run([*command, "-f", config], cwd=folder, env=env(), capture_output=True, text=True, timeout=3600)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return folder / "site"


def pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def measure(n: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp)) if n == 0 else synthetic(Path(tmp), n)
        export = Path(tmp) / "export"
        times: dict[str, list[tuple[float, float]]] = {"hooked build": [], "export": [], "MkDocs build": [], "Zensical build": []}
        counts: dict[str, int] = {}

        def hooked() -> None:
            result = mkdocs_build(project)
            assert result.returncode == 0, result.stderr[-2000:]
            counts["hooked build"] = pages(project / "site")

        def exporting() -> None:
            result = atlante(project, "export", str(export))
            assert result.returncode == 0, result.stderr[-2000:]
            counts["export"] = sum(1 for _ in export.rglob("*.md"))

        def mkdocs() -> None:
            counts["MkDocs build"] = pages(engine_build(export, Path(tmp) / "mkdocs", [str(BIN / "mkdocs"), "build", "--strict"]))

        def zensical() -> None:
            counts["Zensical build"] = pages(engine_build(export, Path(tmp) / "zensical", [str(ZENSICAL), "build", "--strict"]))

        steps = [("hooked build", hooked), ("export", exporting), ("MkDocs build", mkdocs), ("Zensical build", zensical)]
        for run in range(repeat):
            order = steps if run % 2 == 0 else [steps[1], steps[3], steps[2], steps[0]]  # the export before its builds
            for name, step in order:
                times[name].append(timed(step))
        label = "real project" if n == 0 else f"+{n} entities"
        print(f"{label}:", flush=True)
        for name, runs in times.items():
            wall, cpu = (statistics.median(r[i] for r in runs) for i in (0, 1))
            unit = "Markdown files" if name == "export" else "pages"
            print(f"  {name:<15} {wall:7.2f} s wall  {cpu:7.2f} s CPU  ({counts[name]} {unit})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[0, 1000], help="synthetic entries to add (0: the real project)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each step; the median is printed")
    args = parser.parse_args()
    assert ZENSICAL.exists(), "make test (or make .venv-zensical/.installed) installs Zensical"
    for n in args.sizes:
        measure(n, args.repeat)


if __name__ == "__main__":
    main()
