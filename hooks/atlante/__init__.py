"""atlante: the brief as validated YAML, rendered as a cross-linked site.

The core is four steps with plain data between them, none of which imports MkDocs:
load (load.py, yamlsource.py) -> validate (validate.py, rules.py) -> link (catalog.py) -> render (render.py).
pipeline.py runs them; hooks/atlante_hooks.py adapts them to MkDocs; cli.py is the `atlante` command.
"""

__version__ = "0.1.0"
