"""The one place the preview touches MkDocs' live-reload server beyond its public API.

`on_serve` hands the hooks the server with a public API (`watch`, `unwatch`, `builder`,
`serve_request`, `set_app`, `observer`), but it has no public way to do three things the preview
needs (README, "Preview"): reload the browsers after a build the server did not start (the second
phase, in the background); put the reload script into a page the server did not read (the error
page); and list the watched paths (to move them onto an observer that reports changes only). These
use the server's private attributes, written for the versions in SUPPORTED: `problems` says what an
installed engine lacks (the hooks then go on without the three, and say so), and
tests/test_serve.py fails loudly when an engine release changes them. Nothing here imports MkDocs.
"""

from __future__ import annotations

import importlib.metadata
import time
from typing import Any

# The engines this was written against (MkDocs' last 1.x; ProperDocs, its fork), by distribution
SUPPORTED = {"mkdocs": ("1.6.1",), "properdocs": ("1.6.",)}
PRIVATE = ("_epoch_cond", "_wanted_epoch", "_visible_epoch", "_inject_js_into_html", "_watched_paths")


def problems(server: object, engine: str) -> list[str]:
    """What this module cannot do with `server`, of the engine `engine` ("mkdocs", "properdocs")."""
    found = []
    try:
        version = importlib.metadata.version(engine)
    except importlib.metadata.PackageNotFoundError:
        version = "(not installed)"
    if not version.startswith(SUPPORTED.get(engine, ())):
        found.append(f"expected {engine} {' or '.join(SUPPORTED.get(engine, ('?',)))}, found {version}")
    missing = [name for name in PRIVATE if not hasattr(server, name)]
    if missing:
        found.append(f"expected the live-reload server's {', '.join(missing)}, found none")
    return found


def reload_browsers(server: Any) -> None:
    """Have every open page reload, unless a build the server started is under way (its end reloads
    them): a new epoch, as the server's own builds end."""
    with server._epoch_cond:
        if server._wanted_epoch == server._visible_epoch:
            epoch = max(server._visible_epoch + 1, round(time.monotonic() * 1000))
            server._wanted_epoch = server._visible_epoch = epoch
            server._epoch_cond.notify_all()


def with_reload_script(server: Any, page: bytes) -> bytes:
    """`page` with the server's script that reloads it at the next epoch (when the build is fixed)."""
    scripted: bytes = server._inject_js_into_html(page, server._visible_epoch)
    return scripted


def watched(server: Any) -> dict[str, int]:
    """The paths the server watches, each with how many asked for it (unwatch once for each)."""
    return dict(server._watched_paths)
