"""`mkdocs serve`: editing a data file rebuilds the site and the page shows the edit."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from helpers import BIN, edit, env, make_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def test_editing_yaml_rebuilds_the_page_and_recovers_from_a_broken_edit(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}/cities/milano/"
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert wait_for(lambda: "Lombardia" in fetch(url)), "the site was never served"

        edit(project, "data/cities/milano.yaml", 'title: "Milano"', 'title: "Milano, città metropolitana"')
        assert wait_for(lambda: "Milano, città metropolitana" in fetch(url)), "the edit never showed"

        # A broken edit is reported with its location; MkDocs then holds requests until it is fixed.
        edit(project, "data/cities/milano.yaml", "region: Lombardia", "region: Lombardi")
        time.sleep(3)
        edit(project, "data/cities/milano.yaml", "region: Lombardi", "region: Lombardia")
        edit(project, "data/cities/milano.yaml", 'title: "Milano, città metropolitana"', 'title: "Milano di nuovo"')
        assert wait_for(lambda: "Milano di nuovo" in fetch(url)), "the build never recovered"
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert "data/cities/milano.yaml:8:9: city:milano: region: expected one of" in stderr
    assert "found 'Lombardi' (did you mean 'Lombardia'?)" in stderr
    assert "Traceback" not in stderr
