"""The live preview, `mkdocs serve`: an edit shows, a mistake is shown at once on every page (the
server stays up and says what and where), and the site comes back as soon as the file is fixed."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from helpers import BIN, MILANO, ROOT, TOWARDS_MILANO, edit, frozen_project, preview_env, write

MAKE_SERVE = ("--dirty", "--no-strict")  # what `make serve` passes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], bool], seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def fetch(url: str, timeout: float = 10) -> tuple[int, str]:
    """(status, body); (0, "") when nothing answered within `timeout` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def status_of(url: str, timeout: float = 60) -> int:
    """The status a request for a file (any bytes) gets; 0 when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


class Preview:
    def __init__(self, project: Path, port: int, process: subprocess.Popen[str]) -> None:
        self.project, self.base, self.process = project, f"http://127.0.0.1:{port}", process

    def get(self, path: str, timeout: float = 10) -> tuple[int, str]:
        return fetch(self.base + path, timeout)

    def shows(self, path: str, text: str, seconds: float = 90) -> bool:
        return wait_for(lambda: (lambda got: got[0] == 200 and text in got[1])(self.get(path)), seconds)

    def fails(self, path: str, text: str, seconds: float = 90) -> bool:
        """The page answers with the error page naming `text`; each request answers at once."""
        def answered() -> bool:
            status, body = self.get(path, timeout=5)  # a server holding requests would time out here
            return status == 500 and text in body
        return wait_for(answered, seconds)


def leave(page: Page) -> None:
    """`page` away from the preview, to a blank page, before its context is closed. The preview's
    reload script keeps a request to the server open and reloads the page when a build ends; Chromium,
    asked to close a context while a page of it waits or reloads, sometimes never answers (1 run of
    this file in 10 hung so, under load). A reload that starts at that moment aborts the way out:
    leave again."""
    for attempt in range(5):
        try:
            page.goto("about:blank")
            return
        except PlaywrightError:
            if attempt == 4:
                raise
            page.wait_for_load_state()


@contextlib.contextmanager
def preview(project: Path, *flags: str) -> Iterator[Preview]:
    port = free_port()
    scratch = project.parent / "scratch"  # the server's temporary folders
    scratch.mkdir()
    process = subprocess.Popen([str(BIN / "mkdocs"), "serve", *flags, "--dev-addr", f"127.0.0.1:{port}"],
                               cwd=project, env={**preview_env(), "TMPDIR": str(scratch)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    served = Preview(project, port, process)
    try:
        yield served
    finally:
        process.terminate()  # as a service manager stops it
        served.stderr = process.communicate(timeout=60)[1]  # type: ignore[attr-defined]
        print("\n".join(ln for ln in served.stderr.splitlines() if "GET /" not in ln)[-6000:])  # shown on failure
    assert not list(scratch.iterdir()), "the stopped server left its temporary folders behind"


@pytest.mark.build
def test_an_edit_shows_and_every_mistake_is_shown_at_once_until_fixed(tmp_path: Path, browser: Browser) -> None:
    project, milano = frozen_project(tmp_path), MILANO  # the lines edited, as the test knows them
    write(project, "data/actions/verso-milano.yaml", TOWARDS_MILANO)  # an entry that links to it
    edit(project, milano, "region: Lombardia", "region: Lombardi")
    with preview(project, *MAKE_SERVE) as site:
        # Started on broken data: the errors, in both editions, then the site once the file is fixed
        assert site.fails("/cities/milano/", "data/cities/milano.yaml:8:9"), "the errors were not served"
        assert site.fails("/en/", "data/cities/milano.yaml:8:9")
        edit(project, milano, "region: Lombardi", "region: Lombardia")
        assert site.shows("/cities/milano/", "Lombardia"), "the site never came"
        assert site.shows("/en/cities/milano/", "Lombardy")
        for path in ("/cities/milano/", "/en/cities/milano/"):  # the preview's own address, in both editions
            body = site.get(path)[1]
            assert f'<link rel="canonical" href="{site.base}{path}">' in body, path
            assert f'name="citation_public_url" content="{site.base}{path}"' in body, path
            assert "example.org" not in body and "redazione-circoli-magici.github.io" not in body, path

        edit(project, milano, 'title: "Milano"', 'title: "Milano, città metropolitana"')
        assert site.shows("/cities/milano/", "Milano, città metropolitana"), "the edit never showed"
        edit(project, milano, 'title: "Milan"', 'title: "Milan, metropolitan city"')
        assert site.shows("/en/cities/milano/", "Milan, metropolitan city"), "the English edition missed the edit"

        # A value the schema refuses: every page, in both editions, names file, line, field and the fix,
        # in the brief's language as `atlante check --lang it` says it (the terminal keeps English);
        # a page open in the browser reloads to the errors and back by itself (its script polls the server)
        page = browser.new_context().new_page()
        page.goto(site.base + "/cities/milano/", wait_until="load")
        try:
            edit(project, milano, "region: Lombardia", "region: Lombardi")
            assert site.fails("/cities/milano/", "data/cities/milano.yaml:8:9: city:milano: region: atteso uno tra")
            status, body = site.get("/en/themes/", timeout=5)
            assert status == 500 and "trovato &#x27;Lombardi&#x27; (forse &#x27;Lombardia&#x27;?) (schema)" in body
            assert site.get("/assets/stylesheets/atlante.css")[0] in (200, 404)  # assets are served as ever
            page.wait_for_selector(".atlante-preview-errors", timeout=60_000)  # no click, no reload by hand
            assert "data/cities/milano.yaml:8:9" in page.inner_text(".atlante-preview-errors")
            edit(project, milano, "region: Lombardi", "region: Lombardia")
            assert site.shows("/cities/milano/", "Milano, città metropolitana"), "the preview never recovered"
            page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').textContent"
                                   ".includes('Milano, città metropolitana')", timeout=60_000)
        finally:
            leave(page)
            page.context.close()

        # Saved half-written: cut mid-line
        whole = (project / milano).read_text(encoding="utf-8")
        (project / milano).write_text(whole[: whole.index("region:") + 10], encoding="utf-8")
        assert site.fails("/cities/milano/", "data/cities/milano.yaml")
        (project / milano).write_text(whole, encoding="utf-8")
        assert site.shows("/cities/milano/", "Lombardia")

        # A file deleted while the server runs: the entries that link to it say so; back when restored
        (project / milano).unlink()
        assert site.fails("/", "city:milano")
        (project / milano).write_text(whole, encoding="utf-8")
        assert site.shows("/cities/milano/", "Lombardia")

        # A folder of an unknown kind
        (project / "data" / "citta").mkdir()
        (project / "data" / "citta" / "pavia.yaml").write_text("id: pavia\n", encoding="utf-8")
        assert site.fails("/", "data/citta/pavia.yaml")
        (project / "data" / "citta" / "pavia.yaml").unlink()
        (project / "data" / "citta").rmdir()
        assert site.shows("/cities/milano/", "Lombardia")

        # A schema broken by an edit
        schema = project / "data" / "schema" / "city.schema.json"
        good = schema.read_text(encoding="utf-8")
        schema.write_text(good.replace("{", "{{", 1), encoding="utf-8")
        assert site.fails("/cities/milano/", "data/schema/city.schema.json")
        schema.write_text(good, encoding="utf-8")
        assert site.shows("/cities/milano/", "Lombardia")

        # A core template with a Jinja syntax error, then a theme template with one
        for template, path in (("overrides/atlante/entity.html", "/cities/milano/"), ("overrides/main.html", "/")):
            text = (project / template).read_text(encoding="utf-8")
            (project / template).write_text(text + "\n{% if %}\n", encoding="utf-8")
            assert site.fails(path, f"{template}:"), f"{template}: the syntax error was not shown"
            assert site.process.poll() is None, "the server stopped"
            (project / template).write_text(text, encoding="utf-8")
            assert site.shows(path, "Milano"), f"{template}: the preview never recovered"

        # A hand-written page, and the configuration (every page shows the site's name)
        edit(project, "docs/informazioni.md", "# Informazioni", "# Informazioni sul sito")
        assert site.shows("/informazioni/", "Informazioni sul sito"), "a docs/ edit never showed"
        edit(project, "mkdocs.yml", "site_name: Circoli magici del made in Italy", "site_name: Circoli magici (anteprima)")
        assert site.shows("/cities/milano/", "Circoli magici (anteprima)"), "a configuration edit never showed"
        assert site.shows("/themes/", "Circoli magici (anteprima)"), "a configuration edit missed a page"

        # A new entry shows; a deleted one leaves the preview (not served from the last build)
        (project / "data/cities/pavia.yaml").write_text(
            whole.replace("id: milano", "id: pavia").replace('title: "Milano, città metropolitana"', 'title: "Pavia"'),
            encoding="utf-8")
        assert site.shows("/cities/pavia/", "Pavia"), "a new entry never showed"
        assert site.shows("/cities/", "Pavia"), "the index missed the new entry"
        png = site.base + "/cities/pavia.graph.png"  # a figure's PNG: made when a reader asks for it
        assert status_of(png) == 200, "a new entry's figure was not made when asked for"
        (project / "data/cities/pavia.yaml").unlink()
        assert wait_for(lambda: site.get("/cities/pavia/")[0] == 404), "a deleted entry's page is still served"
        assert status_of(png) == 404, "a deleted entry's figure is still served"
        assert site.shows("/cities/milano/", "Lombardia")
        assert site.process.poll() is None
    assert "Traceback" not in site.stderr  # type: ignore[attr-defined]
    assert "data/cities/milano.yaml:8:9: city:milano: region: expected one of" in site.stderr  # type: ignore[attr-defined]


@pytest.mark.build
def test_plain_mkdocs_serve_survives_a_mistake_too(tmp_path: Path) -> None:
    project = frozen_project(tmp_path)
    with preview(project) as site:  # full rebuilds, mkdocs.yml's strict mode
        assert site.shows("/cities/milano/", "Lombardia")
        edit(project, "data/cities/milano.yaml", "region: Lombardia", "region: Lombardi")
        assert site.fails("/cities/milano/", "data/cities/milano.yaml:8:9")
        edit(project, "data/cities/milano.yaml", "region: Lombardi", "region: Lombardia")
        edit(project, "data/cities/milano.yaml", 'title: "Milano"', 'title: "Milano di nuovo"')
        assert site.shows("/cities/milano/", "Milano di nuovo")
    assert "Traceback" not in site.stderr  # type: ignore[attr-defined]


def test_a_page_asked_for_while_a_build_fails_shows_the_errors(tmp_path: Path) -> None:
    """A browser reloading while a rebuild runs is held by the server until the build ends. If that
    build fails, the page must be the errors (with the failed build's epoch, so the browser reloads
    once it is fixed), not the last good page, which would never reload by itself."""
    import importlib.util
    import signal
    import threading

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

    spec = importlib.util.spec_from_file_location("atlante_hooks_alone", Path(__file__).parents[1] / "hooks" / "atlante_hooks.py")
    assert spec and spec.loader
    hooks = importlib.util.module_from_spec(spec)  # a copy of its own: its state is not the other tests'
    spec.loader.exec_module(hooks)
    (tmp_path / "site" / "cities" / "milano").mkdir(parents=True)
    (tmp_path / "site" / "cities" / "milano" / "index.html").write_text("<html><body><h1>Milano</h1></body></html>")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")

    def failing() -> None:
        raise ValueError("data/cities/milano.yaml:8:9: city:milano: region: expected one of ..., found 'Lombardi'")

    server = LiveReloadServer(builder=failing, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    server.watch(str(tmp_path / "data"))  # pages carry the reload script, as under `mkdocs serve`
    asked = threading.Event()
    original = server.serve_request

    def serve_request(environ, start_response):  # type: ignore[no-untyped-def]
        asked.set()
        return original(environ, start_response)

    server.serve_request = serve_request  # type: ignore[method-assign]
    handler = signal.getsignal(signal.SIGTERM)
    try:
        hooks.on_serve(server, config=MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml")), builder=None)
        answered: dict = {}

        def ask() -> None:
            environ = {"PATH_INFO": "/cities/milano/", "REQUEST_METHOD": "GET"}
            body = server.get_app()(environ, lambda status, headers, *rest: answered.update(status=status))
            answered["body"] = b"".join(body).decode()

        server._wanted_epoch += 1  # a save: the server's build loop starts a rebuild
        reader = threading.Thread(target=ask)
        reader.start()
        assert asked.wait(10), "the request never reached the server"
        server.builder()  # the rebuild fails ...
        with server._epoch_cond:  # ... and the build loop shows its epoch, as it does after every build
            server._visible_epoch = server._wanted_epoch
            server._epoch_cond.notify_all()
        reader.join(10)
        assert answered.get("status", "").startswith("500"), answered
        assert "atlante-preview-errors" in answered["body"] and "Lombardi" in answered["body"]
        assert f"livereload({server._visible_epoch}," in answered["body"]
    finally:
        signal.signal(signal.SIGTERM, handler)
        server.server_close()


@pytest.mark.build
def test_the_preview_refuses_files_that_are_not_files_and_endless_markdown_and_answers_at_once(tmp_path: Path) -> None:
    """Started on a data file that is a named pipe, a page of docs/ that is a link to a file elsewhere
    on the machine and a body that Python-Markdown would take a minute over: no read waits, nothing of the
    linked file is served, and every page answers within a second with the located errors, until
    they are fixed."""
    project = frozen_project(tmp_path)
    os.mkfifo(project / "data/themes/tubo.yaml")
    secret = "segreto-fuori-dal-progetto-7f3a"  # a file of the machine, outside the project
    (tmp_path / "segreto.md").write_text(f"# {secret}\n", encoding="utf-8")
    os.symlink(tmp_path / "segreto.md", project / "docs/segreto.md")
    milano = MILANO
    edit(project, milano, "region: Lombardia\n", "body: |\n  " + "[" * 6000 + " *a* _b_\nregion: Lombardia\n")
    with preview(project, *MAKE_SERVE) as site:
        assert site.fails("/cities/milano/", "data/themes/tubo.yaml"), "the errors were not served"
        for path in ("/", "/cities/milano/", "/en/", "/segreto/", "/informazioni/", "/en/themes/"):
            started = time.monotonic()
            status, body = site.get(path, timeout=5)
            assert time.monotonic() - started < 1.0, path
            assert status == 500, path
            for said in ("data/themes/tubo.yaml", "docs/segreto.md", "data/cities/milano.yaml:9:1"):
                assert said in body, (path, said)
            assert secret not in body, path
        (project / "data/themes/tubo.yaml").unlink()
        (project / "docs/segreto.md").unlink()
        edit(project, milano, "body: |\n  " + "[" * 6000 + " *a* _b_\n", "")
        assert site.shows("/cities/milano/", "Lombardia"), "the site never came back"
        # an error nobody foresaw (here a template that fails on one page): one located line on every page
        fault = "{{ (1 // 0) if e.id == 'milano' else '' }}\n"
        edit(project, "overrides/atlante/entity.html", "{% include \"updated.html\" %}\n", "{% include \"updated.html\" %}\n" + fault)
        assert site.fails("/informazioni/", "data/cities/milano.yaml: an unexpected error while rendering its page (it) "
                          "(at overrides/atlante/entity.html:"), "the fault was not shown"
        edit(project, "overrides/atlante/entity.html", fault, "")
        assert site.shows("/cities/milano/", "Lombardia"), "the site never came back"
    assert "Traceback" not in site.stderr  # type: ignore[attr-defined]


# The live-reload server's private parts the preview uses (atlante/livereload.py), on each engine
LIVERELOAD_CHECK = """
import sys, tempfile
sys.path.insert(0, {hooks!r})
from {engine}.livereload import LiveReloadServer
from atlante import livereload
folder = tempfile.mkdtemp()
server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=folder)
try:
    assert livereload.problems(server, {engine!r}) == [], livereload.problems(server, {engine!r})
    before = server._visible_epoch
    livereload.reload_browsers(server)
    assert server._visible_epoch > before and server._wanted_epoch == server._visible_epoch
    page = livereload.with_reload_script(server, b"<html><body><p>x</p></body></html>")
    assert b"livereload" in page and page.count(b"<script") >= 1, page
    server.watch(folder)
    assert livereload.watched(server) == {{folder: 1}}
finally:
    server.server_close()
print("ok")
"""


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_the_live_reload_servers_private_parts_the_preview_uses_are_there(engine: str) -> None:
    """Fails loudly when a MkDocs or ProperDocs release changes what atlante/livereload.py relies on
    (then the preview would go on without its second phase's reload, saying so)."""
    python = BIN / "python" if engine == "mkdocs" else ROOT / ".venv-properdocs" / "bin" / "python"
    result = subprocess.run([str(python), "-c", LIVERELOAD_CHECK.format(hooks=str(ROOT / "hooks"), engine=engine)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.strip() == "ok", result.stderr[-2000:]
