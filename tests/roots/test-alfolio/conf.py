extensions = ["sphinx_pubs"]
project = "al-folio fields"
pubs_link_fields = {"dataset": "Data"}
