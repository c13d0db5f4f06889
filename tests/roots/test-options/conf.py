extensions = ["sphinx_pubs"]
pubs_bibfiles = ["strings.bib", "lab.bib", "talks.bib"]
