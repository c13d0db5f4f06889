extensions = ["sphinx_pubs"]
project = "al-folio fields"
pubs_link_fields = {"dataset": "Data"}
pubs_highlight_authors = ["Albert Einstein"]
pubs_author_links = {"Podolsky, B.": "https://example.org/podolsky"}
pubs_venues = {
    "Ann. Phys.": {"color": "#00369f", "url": "https://onlinelibrary.wiley.com/journal/15213889"},
    "Phys. Rev.": {"color": "red;background:url(javascript:x)", "url": "javascript:alert(1)"},
}
pubs_marks_legend = {"*": "Equal contribution", "‡": "Corresponding author", "§": "Unused"}
