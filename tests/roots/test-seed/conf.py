extensions = ["sphinx_pubs"]
project = "seed"
exclude_patterns = ["_build"]
