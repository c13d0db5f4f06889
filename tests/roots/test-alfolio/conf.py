extensions = ["sphinx_pubs"]
project = "al-folio fields"
pubs_link_fields = {"dataset": "Data"}
pubs_highlight_authors = ["Albert Einstein"]
pubs_author_links = {"Podolsky, B.": "https://example.org/podolsky"}
