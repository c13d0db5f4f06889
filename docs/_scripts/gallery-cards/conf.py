# The cards of the theme gallery (docs/_scripts/gallery.py): made-up entries with
# badges, thumbnails, every kind of button and a long author list.
extensions = ["sphinx_pubs"]
project = "Gallery"
pubs_highlight_authors = ["Ada Quist"]
pubs_venues = {
    "NeurIPS": {"color": "#5b2a86", "url": "https://neurips.cc"},
    "JMLR": {"color": "#f2c14e"},
}
pubs_link_fields = {"dataset": "Data"}
