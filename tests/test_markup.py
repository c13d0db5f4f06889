"""Unit tests for :mod:`sphinx_pubs.core.markup`, the rich-text toolkit (pure Python)."""

from __future__ import annotations

from sphinx_pubs.core.markup import change_case, has_math, merge, strip_end, walk
from sphinx_pubs.core.model import Link, Math, Styled


def test_merge_joins_strings_and_drops_empty_ones():
    math = Math("x")
    assert merge(["a", "", "b", math, "", "c", "d"]) == ("ab", math, "cd")
    assert merge(["", ""]) == ()


def test_walk_and_has_math_see_nested_items():
    math = Math("x^2")
    rich = ("a", Styled("emph", ("b", Link("u", (math,)))))
    assert list(walk(rich))[-1] == math
    assert has_math(rich)
    assert not has_math(("a", Styled("emph", ("b",))))


def test_change_case_keeps_math_and_addresses():
    url = Link("http://x.org/A", ("http://x.org/A",))
    rich = ("Ab", Styled("emph", ("Cd",)), Math("Ax"), url)
    assert change_case(rich, upper=True) == ("AB", Styled("emph", ("CD",)), Math("Ax"), url)


def test_strip_end_strips_into_styles_and_drops_empty_ones():
    rich = (" ", Styled("emph", (" a ",)), " b ", Styled("strong", (" ",)))
    assert strip_end(rich, left=True) == (Styled("emph", ("a ",)), " b ", rich[3])
    assert strip_end(rich, left=False) == (" ", Styled("emph", (" a ",)), " b")
    link = Link("u", (" ",))
    assert strip_end((link,), left=False) == (Link("u", ("u",)),)
