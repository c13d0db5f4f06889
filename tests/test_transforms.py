"""sphinx_pubs/sphinx_ext/transforms.py: the entries are prepared for each builder by
post-transforms that run after every other one, as the ``doctree-resolved`` handlers
they replace did (so that no post-transform of Sphinx's, such as linkcheck's link
collector or LaTeX's URL footnotes, sees the nodes they make)."""

from __future__ import annotations

import pytest

from sphinx_pubs.sphinx_ext.citebridge import LaTeXTargets
from sphinx_pubs.sphinx_ext.nodes import ALL_NODES, pub_entry
from sphinx_pubs.sphinx_ext.transforms import PREPARE_PRIORITY, EntriesForHTML, PlainEntries

BIB = """@article{ko2025,
  title = {Distilling}, author = {Ko, J.}, year = {2025}, url = {https://example.org/ko},
}
"""
PAGES = {"pubs": ".. publications:: refs.bib\n"}
OURS = (EntriesForHTML, PlainEntries, LaTeXTargets)


def test_the_entries_are_prepared_after_every_other_post_transform(build_project):
    conf = 'extensions = ["sphinx_pubs", "sphinxcontrib.bibtex", "myst_parser"]\n'
    conf += 'bibtex_bibfiles = ["refs.bib"]\n'
    app = build_project({"refs.bib": BIB, "conf.py": conf}, pages=PAGES)
    registered = app.registry.get_post_transforms()
    assert set(OURS) <= set(registered)
    others = [t.default_priority for t in registered if t not in OURS]
    assert max(others) < PREPARE_PRIORITY < LaTeXTargets.default_priority


# Sphinx 9 asks for tags= that Sphinx 7.4 does not take
@pytest.mark.filterwarnings("ignore:'tags' will become a required keyword argument")
@pytest.mark.parametrize(
    ("builder", "prepared"),
    [("html", EntriesForHTML), ("epub", PlainEntries), ("text", PlainEntries)],
)
def test_one_preparation_per_builder(build_project, builder, prepared):
    app = build_project({"refs.bib": BIB}, pages=PAGES, builder=builder)
    doctree = app.env.get_and_resolve_doctree("pubs", app.builder)
    ours = [node for node in doctree.findall() if isinstance(node, ALL_NODES)]
    if prepared is PlainEntries:
        assert ours == []  # standard nodes only
    else:  # each entry holds its view, for the HTML writer
        entries = list(doctree.findall(pub_entry))
        assert len(entries) == 1 and entries[0].get("view") is not None
