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
import re
import time
from pathlib import Path

import pytest
from docutils import nodes
from helpers import soup, warnings_of, write_project
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_pubs.core.model import Publication, Source
from sphinx_pubs.select.bounded_regex import REGEX_MAX_LENGTH, REGEX_TEXT_LIMIT, regex_problem
from sphinx_pubs.select.group import group_records
from sphinx_pubs.select.query import QueryError, compile_filter
from sphinx_pubs.sphinx_ext import papers
from sphinx_pubs.sphinx_ext.render import Renderer
from sphinx_pubs.view.options import ListOptions

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


# -- :filter: regular expressions ------------------------------------------------------
# A grammar of regular expressions: each node is (text, facts), the facts being what
# the safe class is defined by, computed from the grammar, not from the checker.
_ATOMS = st.sampled_from(["a", "b", " ", "ab", r"\w", r"\s", r"\d", ".", "[ab]", "[^b]", r"\b"])
_QUANTIFIERS = st.sampled_from(["*", "+", "?", "{1,3}", "{2,}", "{0,40}", "*?", "{3}"])


def _single(text: str) -> bool:
    return text in ("a", "b", " ", r"\w", r"\s", r"\d", ".", "[ab]", "[^b]")


def _atom(text: str) -> dict:
    return {
        "text": text,
        "repeat": False,  # holds a repetition
        "branch": False,  # holds alternatives that are not single characters
        "nested": False,  # a repetition inside a repetition
        "backref": False,
        "empty": text == r"\b",  # can match nothing (only zero-width parts)
        "single": _single(text),
    }


def _extend(children):
    """Composite nodes: groups, sequences, alternatives, repetitions, lookaheads and
    backreferences."""

    def group(node):
        return {**node, "text": f"(?:{node['text']})"}

    def capture(node):
        return {**node, "text": f"({node['text']})"}

    def sequence(nodes_):
        first, second = nodes_
        return {
            "text": first["text"] + second["text"],
            "repeat": first["repeat"] or second["repeat"],
            "branch": first["branch"] or second["branch"],
            "nested": first["nested"] or second["nested"],
            "backref": first["backref"] or second["backref"],
            "empty": first["empty"] and second["empty"],
            "single": False,
        }

    def alternatives(nodes_):
        first, second = nodes_
        both_single = first["single"] and second["single"]
        return {
            **sequence(nodes_),
            "text": f"(?:{first['text']}|{second['text']})",
            "branch": first["branch"] or second["branch"] or not both_single,
            "empty": first["empty"] or second["empty"],
            "single": both_single,
        }

    def repeat(pair):
        node, quantifier = pair
        return {
            **node,
            "text": f"(?:{node['text']}){quantifier}",
            "repeat": True,
            # a repetition inside one that may repeat more than once (inside "?" the
            # body is tried once or not at all: no more ways than the body alone)
            "nested": node["nested"] or (node["repeat"] and quantifier != "?"),
            "branch": node["branch"],
            "empty": True,
            "single": False,
            "plural": quantifier not in ("?", "{3}"),
        }

    def backref(node):
        return {**node, "text": f"({node['text']})\\1", "backref": True, "single": False}

    def lookahead(node):
        return {**node, "text": f"(?={node['text']})", "empty": True, "single": False}

    return st.one_of(
        children.map(group),
        children.map(capture),
        st.tuples(children, children).map(sequence),
        st.tuples(children, children).map(alternatives),
        st.tuples(children, _QUANTIFIERS).map(repeat),
        children.map(backref),
        children.map(lookahead),
    )


REGEXES = st.recursive(_ATOMS.map(_atom), _extend, max_leaves=8)


def _adversarial(pattern: str, limit: int) -> list[str]:
    """Texts made to make a backtracking matcher work: runs of the characters the
    pattern names, then one that cannot match, as long as the searched part and far
    longer."""
    alphabet = "".join(ch for ch in "ab " if ch in pattern) or "a"
    return [
        "a" * limit + "!",
        (alphabet * limit)[:limit] + "!",
        ("ab " * limit)[:limit] + "\x00",
        "a" * (limit * 10),
    ]


def _timed(keep, record) -> float:
    start = time.perf_counter()
    keep(record)
    return time.perf_counter() - start


def _titled(text: str) -> Publication:
    return Publication(key="k", type="misc", source=Source("refs.bib", 1), title=(text,))


@pytest.fixture(scope="module")
def slowest_safe():
    """The time one search of the worst accepted kind (an open-ended repetition that
    fails at every place) takes on this machine: the unit the bound is given in."""
    keep = compile_filter(r'title % "a.*x|b.*y"')
    assert regex_problem("a.*x|b.*y") is None
    return max(_timed(keep, _titled("a" * REGEX_TEXT_LIMIT)) for _ in range(3))


@settings(max_examples=EXAMPLES, deadline=None)
@given(node=REGEXES)
def test_accepted_regexes_are_in_the_safe_class_and_bounded(node, slowest_safe):
    pattern = node["text"]
    try:
        keep = compile_filter(f"title % {pattern!r}")
    except QueryError as error:
        assert "regular expression" in str(error)
        return
    # accepted: in the class whose backtracking is bounded
    assert not node["backref"] and not node["nested"], pattern
    for text in _adversarial(pattern, REGEX_TEXT_LIMIT):
        elapsed = _timed(keep, _titled(text))
        # generous: 1 s, or 40 times the slowest accepted pattern on this machine
        assert elapsed < max(1.0, 40 * slowest_safe), (pattern, len(text), elapsed)


@pytest.mark.parametrize(
    "pattern",
    [
        r"^(\w+\s?)+$",
        r"(a+)+b",
        r"(a|aa)+b",
        r"(a?a)+b",
        r"(\w+)\1",
        r"\w*\w*!",
        r"\d+-\d+",
        "(?:a|a)" * 7,
        "x" * (REGEX_MAX_LENGTH + 1),
    ],
)
def test_hostile_regexes_are_refused(pattern):
    with pytest.raises(QueryError, match="could take too long"):
        compile_filter(f"title % {pattern!r}")


@pytest.mark.parametrize(
    "pattern",
    [r"^Min", "neural|deep", r"^(sparse|dense)\b", r"\bgraph\w*", "Lee.*2024", r"\d{4}", "(ab)+"],
)
def test_ordinary_regexes_are_kept(pattern):
    keep = compile_filter(f"title % {pattern!r}")
    assert keep(_titled("Min graphs Lee 2024 neural sparse ab")) == bool(
        re.search(pattern, "Min graphs Lee 2024 neural sparse ab", re.I)
    )


def test_the_hostile_title_of_the_issue_is_searched_in_bounded_time(slowest_safe):
    """^(\\w+\\s?)+$ is refused; the closest accepted pattern runs over the title."""
    title = "a" * 50_000 + "!"
    keep = compile_filter(r'title % r"^[\w\s]+$"')
    assert _timed(keep, _titled(title)) < max(1.0, 40 * slowest_safe)
    assert not keep(_titled(title))
    assert keep(_titled("a" * 100))


def test_what_a_regex_searches():
    """Without open-ended repetition, all of a field; with one, its first
    REGEX_TEXT_LIMIT characters (an end anchor then matches no longer text)."""
    far = "x " * REGEX_TEXT_LIMIT + "needle"
    assert compile_filter('title % "needle"')(_titled(far))
    assert compile_filter('title % "need(le)?$"')(_titled(far))
    assert not compile_filter('title % "ne+dle"')(_titled(far))
    near = "needle " + "x " * REGEX_TEXT_LIMIT
    assert compile_filter('title % "ne+dle"')(_titled(near))
    assert not compile_filter('title % "x+ ?$"')(_titled(near))
    assert compile_filter('title % "x+ ?$"')(_titled("a x x"))


def test_a_hostile_regex_is_a_filter_warning_at_the_directive(make_app, tmp_path):
    title = "a" * 60 + "!"  # ^(\w+\s?)+$ would take 2^60 steps on it
    root = write_project(
        tmp_path / "src",
        {
            "index.rst": (
                "Pubs\n====\n\n"
                ".. publications:: refs.bib\n   :filter: title % r'^(\\w+\\s?)+$'\n\n"
                ".. publications:: refs.bib\n   :filter: title % r'^[\\w\\s]+!$'\n"
            ),
            "refs.bib": f"@misc{{h, title = {{{title}}}, year = 2020}}\n",
        },
    )
    app = make_app("html", srcdir=root)
    app.build()
    mine = [w for w in warnings_of(app) if "[pubs.filter]" in w]
    assert len(mine) == 1 and "index.rst:4:" in mine[0] and "could take too long" in mine[0]
    html = soup(Path(app.outdir) / "index.html")
    assert [[li["id"] for li in div.select("li.pub")] for div in html.select("div.pubs")] == [
        ["pub-h"]
    ]
