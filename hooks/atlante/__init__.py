"""atlante: the brief as validated YAML, rendered as a cross-linked site.

The core is four steps with plain data between them, none of which imports MkDocs:
load (load.py, yamlsource.py) -> validate (validate.py, rules.py) -> link (catalog.py) -> render (render.py).
pipeline.py runs them; build.py keeps a process's builds (serving.py, the live preview's), and
hooks/atlante_hooks.py hands it MkDocs' events; cli.py is the `atlante` command.
"""

__version__ = "0.1.0"
