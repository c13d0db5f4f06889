"""Sphinx configuration for the sphinx-pubs documentation."""

import os

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

# The al-folio example page (alfolio-example.rst)
pubs_highlight_authors = ["Albert Einstein"]
pubs_author_links = {"Boris Podolsky": "https://en.wikipedia.org/wiki/Boris_Podolsky"}
pubs_venues = {
    "Ann. Phys.": {"color": "#0b5394", "url": "https://onlinelibrary.wiley.com/journal/15213889"},
    "PhysRev": {"color": "#7a1f1f", "url": "https://journals.aps.org/pr/"},
}
pubs_marks_legend = {"*": "Equal contribution"}

# A page per paper (papers.rst), with absolute addresses on Read the Docs
pubs_paper_pages = True
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "")
