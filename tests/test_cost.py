"""Work grows linearly with input: counted (calls, node visits, regex steps), never timed
against a wall-clock budget.

- Unique ids: many labels or keys that slug alike (8,000 CJK keywords all give the
  group id ``pubs-group``) cost one look-up each, not one per id made before.
- Paper pages: each list's doctree is walked once, not once per page.
- ``:filter:`` regular expressions: only patterns whose backtracking is bounded are
  accepted (see tests/test_publish_rules.py for the link rules).
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from helpers import write_project
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_pubs import papers
from sphinx_pubs.model import Publication, Source
from sphinx_pubs.render import ListOptions, Renderer
from sphinx_pubs.select import group_records

EXAMPLES = int(os.environ.get("PUBS_FUZZ_EXAMPLES", "60"))


# -- unique ids ------------------------------------------------------------------------
class CountingSet(set):
    """A set that counts the membership tests made on it."""

    def __init__(self, *args):
        super().__init__(*args)
        self.lookups = 0

    def __contains__(self, item):
        self.lookups += 1
        return super().__contains__(item)


def _cjk_records(count: int) -> list[Publication]:
    """*count* entries, each with its own two-character CJK keyword (all slug to
    "group") and keys that id_safe makes alike (k:1 and k-1 both give pub-k-1)."""
    return [
        Publication(
            key=f"k{'-' if index % 2 else ':'}{index // 2}",
            type="misc",
            source=Source("refs.bib", index + 1),
            fields={"keywords": chr(0x4E00 + index) + chr(0x4E00 + 2 * index + 1)},
        )
        for index in range(count)
    ]


def _lookups(count: int) -> tuple[int, list[str]]:
    groups = group_records(_cjk_records(count), "keywords")
    used = CountingSet()
    result = Renderer(ListOptions(headings="rubric"), used, lambda problem: None).render(groups)
    ids = [node["ids"][0] for node in result[0].findall(nodes.Element) if node["ids"]]
    return used.lookups, ids


def test_ids_of_labels_that_slug_alike_cost_linear_work():
    small, ids = _lookups(500)
    large, _ = _lookups(1000)
    # every group slugs to "group": pubs-group, pubs-group-2, ... as before
    groups = [i for i in ids if i.startswith("pubs-group")]
    assert groups[:3] == ["pubs-group", "pubs-group-2", "pubs-group-3"]
    assert len(groups) == len(set(groups)) == 500
    assert len(ids) == len(set(ids))
    # quadratic would make this 4; linear is 2 (plus the list's own id)
    assert large <= 2.2 * small, (small, large)


def _old_unique_id(used: set[str], base: str) -> str:
    """The algorithm before it kept a counter per base: the reference for the ids."""
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}-{number}"
    used.add(candidate)
    return candidate


_BASES = st.sampled_from(["pub-a", "pub-a-2", "pub-a-2-2", "pubs-group", "pubs-2", "pubs", "x"])


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    taken=st.sets(_BASES | st.sampled_from(["pub-a-3", "pubs-group-4", "pubs-3"])),
    asked=st.lists(_BASES, max_size=40),
    extra=st.lists(st.tuples(st.integers(0, 40), _BASES), max_size=5),
)
def test_unique_ids_are_the_ones_made_before(taken, asked, extra):
    """The same ids as the old search from 1, for any ids already on the page, any
    order of bases (some a base plus a suffix) and ids added in between (the entries'
    ``-authors`` ids, which the renderer adds to the set itself)."""
    renderer = Renderer(ListOptions(), set(taken), lambda problem: None)
    reference = set(taken)
    inserts = dict(extra)
    for index, base in enumerate(asked):
        if index in inserts:
            renderer.used_ids.add(inserts[index])
            reference.add(inserts[index])
        assert renderer.unique_id(base) == _old_unique_id(reference, base)
    assert renderer.used_ids == reference


# -- paper pages -----------------------------------------------------------------------
def _paper_visits(make_app, tmp_path: Path, count: int, monkeypatch) -> tuple[int, int]:
    bib = "".join(
        f"@misc{{p{index}, title = {{Paper {index}}}, year = {2000 + index % 20}}}\n"
        for index in range(count)
    )
    root = write_project(
        tmp_path / f"src{count}",
        {
            "conf.py": 'extensions = ["sphinx_pubs"]\npubs_paper_pages = True\n',
            "index.rst": "Pubs\n====\n\n.. publications:: refs.bib\n",
            "refs.bib": bib,
        },
    )
    app = make_app("html", srcdir=root)
    app.build()
    visits = 0
    original = nodes.Node.findall

    def counting(self, *args, **kwargs):
        nonlocal visits
        for node in original(self, *args, **kwargs):
            visits += 1
            yield node

    with monkeypatch.context() as patch:
        patch.setattr(nodes.Node, "findall", counting)
        pages = list(papers.collect_pages(app))
    return visits, len(pages)


def test_paper_pages_walk_each_list_once(make_app, tmp_path, monkeypatch):
    """Counted: the nodes collect_pages visits (every findall, the pages' own
    rendering included) for n and 2n entries."""
    small, pages_small = _paper_visits(make_app, tmp_path, 40, monkeypatch)
    large, pages_large = _paper_visits(make_app, tmp_path, 80, monkeypatch)
    assert (pages_small, pages_large) == (40, 80)
    # walking the list's doctree per page would make this about 4
    assert large <= 2.3 * small, (small, large)
