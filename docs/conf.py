"""Sphinx configuration for the sphinx-pubs documentation."""

import sphinx_pubs

project = "sphinx-pubs"
author = "The sphinx-pubs developers"
copyright = "The sphinx-pubs developers"
version = release = sphinx_pubs.__version__

extensions = [
    "sphinx_pubs",
    "myst_parser",
    "sphinx.ext.mathjax",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]

html_theme = "furo"
html_title = f"sphinx-pubs {release}"

# An example of customising the look of the lists; see reference/html.rst.
html_static_path = ["_static"]
html_css_files = ["pubs-custom.css"]
