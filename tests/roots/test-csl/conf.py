extensions = ["sphinx_pubs"]
project = "csl"
exclude_patterns = ["_build"]
version = release = "1.0"
copyright = "2026, the seed page's authors"
author = "sphinx-pubs"
