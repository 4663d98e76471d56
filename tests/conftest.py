from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from atlante import pipeline
from atlante.model import Catalog

from helpers import CHROMIUM, FLAGS, PUBLISHED, ROOT, WITHOUT_HISTORY, built_once, mkdocs_build, serving

os.environ.update(PUBLISHED)  # the published address, for the core run in-process (mkdocs.yml reads it with !ENV)
os.environ.update(WITHOUT_HISTORY)  # its copies of the project are outside git

# The markers a test gets from the fixtures it uses (pyproject.toml says what each means)
MARKED_BY_FIXTURE = {"built_site": "build", "site_url": "build", "browser": "browser", "browser_port": "browser",
                     # module fixtures of test_export, test_engines, test_scale: builds by MkDocs, Zensical, ProperDocs
                     "exported": "slow", "sites": "build", "properdocs_site": "build", "grown_site": "build"}


# The longest tests (20-50 s each under `make test`), run first: a worker that took one of them last
# would leave the other cores idle at the end, while short tests fill in around them
LONGEST = ("test_hostile.py::test_accepted_cases", "test_lighthouse.py::", "test_serve.py::", "test_preview.py::test_a_cached_run",
           "test_new_kind.py::test_the_generic_tests")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for name in sorted({MARKED_BY_FIXTURE[f] for f in getattr(item, "fixturenames", ()) if f in MARKED_BY_FIXTURE}):
            item.add_marker(name)
    items.sort(key=lambda item: not any(long in item.nodeid for long in LONGEST))  # stable: the rest keep their order


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built once with `mkdocs build --strict` (once for all workers); tests read its HTML."""
    return built_once(tmp_path_factory, "built", mkdocs_build)


@pytest.fixture(scope="session")
def browser_port() -> int:
    """The loopback port on which the session's Chromium listens for DevTools (Lighthouse's way in)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def browser(browser_port: int) -> Iterator[Browser]:
    """One headless Chromium for the whole session: Playwright drives it, Lighthouse joins it."""
    assert CHROMIUM.exists(), "Debian chromium is missing: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[*FLAGS, f"--remote-debugging-port={browser_port}"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served on loopback, for the browser tests."""
    with serving(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def real_run() -> dict[str, pipeline.Result]:
    """The core run once per edition on the real project (read only: no test may change it)."""
    runs = {lang: pipeline.run(ROOT, lang=lang) for lang in ("it", "en")}
    for result in runs.values():
        assert result.errors == [] and result.catalog is not None, [str(f) for f in result.errors]
    return runs


@pytest.fixture(scope="session")
def catalog(real_run: dict[str, pipeline.Result]) -> Catalog:
    """The real data's catalog (read only)."""
    assert real_run["it"].catalog is not None
    return real_run["it"].catalog
