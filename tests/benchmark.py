"""Figures, not assertions: how long checking and building take, and how the build scales.

    make benchmark            # or: .venv/bin/python tests/benchmark.py [N ...]
    .venv/bin/python tests/benchmark.py --check [N ...]
    .venv/bin/python tests/benchmark.py --preview [N ...]

Builds the real site, then copies of it with N synthetic entries added (atlante synth: every kind,
in realistic proportions, each valid and linked), and prints wall-clock times, page counts and site
sizes.

--check: `atlante check` as an editor runs it, the whole command (process start included), on
copies with N synthetic entries (default 1000 and 5000): the median wall clock of 5 runs and the
largest peak memory (RSS) among them.

--preview: the live preview as `make serve` runs it (`mkdocs serve --dirty --no-strict`): the time
from saving a title edit to the changed page being served with it (median and worst of several
edits, polled every 50 ms; it includes the server's 0.5 s file polling), the time for a broken
edit to be answered with the error page, and for the fix to bring the page back.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from atlante import pipeline, synth  # noqa: E402

from helpers import BIN, ROOT, env, make_project, mkdocs_build  # noqa: E402


def synthetic(tmp: Path, n: int) -> Path:
    """A copy of the real project whose data/ is the brief's data grown by `n` synthetic entries of
    every kind (`atlante synth`: valid, linked, about 2.4 relations each)."""
    project = make_project(tmp, data=False)
    synth.synthesise(ROOT, project, n, seed=0)
    return project


def _theme(n: int) -> str:
    """The id of a synthetic theme halfway through the `n` entries (there is one when n >= 4)."""
    return f"synth-theme-{max(1, synth.proportions(n)['theme'] // 2):05d}"


def measure(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = synthetic(Path(tmp), n)
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


def _served(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _until(url: str, condition, limit: float = 300) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if condition(*_served(url)):
            return time.perf_counter() - start
        time.sleep(0.05)
    return float("nan")


def preview(n: int, edits: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = synthetic(Path(tmp), n)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dirty", "--no-strict", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=project, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            started = _until(base + "/cities/milano/", lambda status, body: status == 200)
            cases = [("data/cities/milano.yaml", 'title: "Milano', "/cities/milano/")]
            if synth.proportions(n)["theme"]:
                cases.append((f"data/themes/{_theme(n)}.yaml", 'title: "Tema', f"/themes/{_theme(n)}/"))
            for file, old, page in cases:
                times = []
                for i in range(edits):
                    text = (project / file).read_text(encoding="utf-8")
                    mark = f"Modifica{i}x"
                    (project / file).write_text(text.replace(old, old + mark, 1), encoding="utf-8")
                    times.append(_until(base + page, lambda status, body, mark=mark: status == 200 and mark in body))
                    old = old + mark
                    time.sleep(max(1.0, 3 * times[-1]))  # let the edit's second phase (indexes, English) finish
                print(f"{57 + n:>6} entities  first build {started:6.1f} s  edit of {file}: median "
                      f"{statistics.median(times):5.2f} s, worst {max(times):5.2f} s ({edits} edits)")
            milano = project / "data/cities/milano.yaml"
            good = milano.read_text(encoding="utf-8")
            milano.write_text(good.replace("region: Lombardia", "region: Lombardi"), encoding="utf-8")
            broken = _until(base + "/cities/milano/", lambda status, body: status == 500 and "milano.yaml:8:9" in body)
            milano.write_text(good.replace('title: "Milano', 'title: "Milano di nuovo'), encoding="utf-8")
            fixed = _until(base + "/cities/milano/", lambda status, body: status == 200 and "Milano di nuovo" in body)
            print(f"{57 + n:>6} entities  broken edit answered with the errors in {broken:5.2f} s; "
                  f"fixed, the page is back in {fixed:5.2f} s")
        finally:
            server.terminate()
            server.wait(timeout=60)


def check_command(n: int, runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = synthetic(Path(tmp), n)
        times, peaks = [], []
        for _ in range(runs):
            start = time.perf_counter()
            process = subprocess.Popen([str(BIN / "atlante"), "check"], cwd=project, env=env(),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _pid, status, usage = os.wait4(process.pid, 0)
            times.append(time.perf_counter() - start)
            peaks.append(usage.ru_maxrss / 1024)  # kB on Linux
            process.returncode = os.waitstatus_to_exitcode(status)
            assert process.returncode == 0, f"atlante check failed on {n} synthetic entries"
        print(f"{57 + n:>6} entities  atlante check: median {statistics.median(times):5.2f} s "
              f"(of {runs}: {', '.join(f'{t:.2f}' for t in times)}), peak RSS {max(peaks):5.0f} MB")


def main() -> None:
    if sys.argv[1:2] == ["--check"]:
        for n in [int(a) for a in sys.argv[2:]] or [1000, 5000]:
            check_command(n)
        return
    if sys.argv[1:2] == ["--preview"]:
        for n in [int(a) for a in sys.argv[2:]] or [0, 1000]:
            preview(n)
        return
    sizes = [int(a) for a in sys.argv[1:]] or [0, 250, 500, 1000]
    print("entities: data files (57 real + synthetic); build: `mkdocs build --strict`, wall clock")
    for n in sizes:
        measure(n)


if __name__ == "__main__":
    main()
