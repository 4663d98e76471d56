"""Figures, not assertions: how long checking and building take, and how the build scales.

    make benchmark            # or: .venv/bin/python tests/benchmark.py [N ...]

Builds the real site, then copies of it with N synthetic application themes added (each a
valid, linked entity), and prints wall-clock times, page counts and site sizes.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from atlante import pipeline  # noqa: E402

from helpers import make_project, mkdocs_build, write  # noqa: E402


def synthetic(project: Path, n: int) -> None:
    for i in range(n):
        write(project, f"data/themes/applicazione-{i:05d}.yaml", f"""
            id: applicazione-{i:05d}
            title: Applicazione di prova {i}
            summary: Un'applicazione generata per misurare la scala del sito.
            category: applicazione
            sources: [slide-4#altre-applicazioni]
            relations:
              esempio_di: [theme:altre-applicazioni-possibili]
            en:
              title: Test application {i}
              summary: An application generated to measure the site's scale.
            """)


def measure(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp))
        synthetic(project, n)
        start = time.perf_counter()
        result = pipeline.check(project)
        checked = time.perf_counter() - start
        assert not result.errors, result.errors[:3]
        start = time.perf_counter()
        build = mkdocs_build(project)
        built = time.perf_counter() - start
        assert build.returncode == 0, build.stderr[-2000:]
        site = project / "site"
        pages = sum(1 for _ in site.rglob("index.html"))
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        print(f"{57 + n:>6} entities  check {checked:6.2f} s  build {built:7.2f} s  "
              f"{pages:>6} pages  {size / 1e6:7.1f} MB")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [0, 250, 500, 1000]
    print("entities: data files (57 real + synthetic); build: `mkdocs build --strict`, wall clock")
    for n in sizes:
        measure(n)


if __name__ == "__main__":
    main()
