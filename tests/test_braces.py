"""Unit tests for :mod:`sphinx_pubs.core.braces`, the one balanced-brace scanner
(pure Python; ``brace_scan`` and ``balance_braces`` are also held by
test_writer_safety.py's round trips)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sphinx_pubs.core.braces import Scan, balance_braces, brace_scan, is_escape, scan


def test_a_group_ends_at_its_closing_brace():
    text = "{a {b} c} d"
    assert scan(text, 1) == Scan(at=8, deepest=1, depth=0, tokens=3)


def test_latex_escapes_are_text_bibtex_counts_them():
    text = r"{a \} b}"
    assert scan(text, 1).at == 7  # LaTeX: "\}" is text
    assert scan(text, 1, escapes=False).at == 4  # BibTeX: every brace counts


def test_stops_count_outside_braces_only():
    text = "a {b, c}, d"
    assert scan(text, stops=",").at == 8
    assert scan(text, stops=",").depth == 0


def test_a_stray_brace_ends_the_scan_and_unclosed_groups_do_not():
    assert scan("a } b", stops=",").at == 2
    found = scan("{{a}", escapes=False)
    assert (found.at, found.depth, found.deepest) == (-1, 1, 2)


def test_the_scan_reads_between_pos_and_end():
    assert scan("{x}}", 1, 2).at == -1
    assert scan("{x}}", 1, 3).at == 2


def test_an_escaped_escape_leaves_the_brace_a_brace():
    assert scan(r"a\\}", stops="").at == 3
    assert is_escape(r"a\\}", 1) and not is_escape(r"a\\}", 2)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("{a}", ([], [], [])),
        ("a}b{", ([], [3], [1])),
        (r"\{x\}", ([], [], [])),  # escaped braces that pair up for BibTeX too
        (r"\}x\{", ([1, 4], [], [])),  # that do not
    ],
)
def test_brace_scan(text, found):
    assert brace_scan(text) == found


def test_balance_braces_writes_what_pairs_with_nothing_as_commands():
    assert balance_braces("Half } open { brace") == (
        "Half \\textbraceright{} open \\textbraceleft{} brace"
    )
    assert balance_braces("{ok}") == "{ok}"
    assert balance_braces(r"{Ko \{and\} Lee}", name_list=True) == (
        "{Ko \\textbraceleft{}and\\textbraceright{} Lee}"
    )


@given(st.text(alphabet="{}\\a,", max_size=30))
def test_scan_agrees_with_a_stack(text):
    """The scan finds what a plain stack over the same tokens finds."""
    depth, deepest, pos = 0, 0, 0
    at = -1
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "}" and depth:
            depth -= 1
        elif not depth and char in "},":
            at = pos
            break
        pos += 1
    found = scan(text, stops=",")
    assert (found.at, found.deepest, found.depth) == (at, deepest, depth)
