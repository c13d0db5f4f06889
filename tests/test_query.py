"""The filter and sort languages and the grouping functions, on parsed records
(no Sphinx): what each construct means, and that no input makes them raise
anything but a QueryError."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_pubs.select.fields import field_value, split_list
from sphinx_pubs.select.group import (
    by_keys,
    group_records,
    limit_groups,
    slug,
    type_name,
    without_keys,
)
from sphinx_pubs.select.query import QueryError, compile_filter
from sphinx_pubs.select.sort import SortKey, parse_sort, sort_records
from sphinx_pubs.sources.bibtex import read_bibtex_text

BIB = r"""
@article{a, title = {Deep {N}ets}, author = {Curie, Marie and Einstein, Albert},
  journal = {Nature}, year = {2021}, month = {feb}, volume = {12},
  keywords = {physics, Deep Learning; nets}}
@inproceedings{b, title = {Shallow Nets}, author = {Einstein, A. and {\"O}zt{\"u}rk, Ay{\c{s}}e},
  booktitle = {Proc. Conf.}, year = {2019}, volume = {9}, selected = {true}}
@misc{c, title = {Undated Note}, author = {Bohr, Niels}, year = {in press}, volume = {XII}}
@book{d, title = {A Book}, editor = {Curie, Marie}, year = {2021}, publisher = {Springer}}
"""
RECORDS, _PROBLEMS = read_bibtex_text("refs.bib", BIB)


def keys(expression):
    keep = compile_filter(expression)
    return [record.key for record in RECORDS if keep(record)]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("year == 2021", ["a", "d"]),
        ("year >= 2019 and year < 2021", ["b"]),
        ("2019 <= year <= 2021 and type != 'book'", ["a", "b"]),
        ("not year", ["c"]),  # "in press": no number
        ("year != 2021", ["b", "c"]),  # no year is not 2021
        ("month == 2", ["a"]),
        ("type in ['article', 'book']", ["a", "d"]),
        ("key == 'B'", ["b"]),  # keys, like all text, compare without case
        # people: by name, with initials, accents folded
        ('author == "Einstein"', ["a", "b"]),
        ('"A. Einstein" in author', ["a", "b"]),
        ('"Albert Einstein" in author and "Curie" in author', ["a"]),
        ('author == "Ozturk, A."', ["b"]),
        ('author % "^ay"', ["b"]),
        ('editor == "M. Curie"', ["d"]),
        ('author in ["Bohr", "Curie"]', ["a", "c"]),
        # lists split on commas and semicolons, items compared whole
        ('"deep learning" in keywords', ["a"]),
        ('"deep" in keywords', []),
        ('keywords % "^deep"', ["a"]),
        ("keywords", ["a"]),
        # text: substrings, regular expressions, equality, without case
        ('"nets" in title', ["a", "b"]),
        ('title % "^deep|book$"', ["a", "d"]),
        ('title == "deep nets"', ["a"]),
        ('journal == "nature" or booktitle % "conf"', ["a", "b"]),
        ("selected", ["b"]),
        ("selected == True", ["b"]),
        ("not selected and publisher", ["d"]),
        # numbers and strings of digits compare as numbers; other text as text
        ("volume > 10", ["a"]),
        ('volume == "12"', ["a"]),
        ("volume == 'xii'", ["c"]),
        ('field("volume") >= 9', ["a", "b"]),
        ("nosuchfield", []),
        ("nosuchfield == None", ["a", "b", "c", "d"]),
        ("-1 < month", ["a"]),
        ("True", ["a", "b", "c", "d"]),
    ],
)
def test_filter_meaning(expression, expected):
    assert keys(expression) == expected


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("", "empty"),
        ("year >", "not a valid expression"),
        ("open('x')", "function calls"),
        ("field(title)", "function calls"),
        ("title.upper", "attribute access"),
        ("keywords[0]", "subscripts"),
        ("year * 2", "arithmetic"),
        ("title % author", "right side of %"),
        ("title % '['", "bad regular expression"),
        ("year is 2021", "compare values"),
        ("[year]", "may hold only strings and numbers"),
        ("{'a': 1}", "dictionaries"),
        ("not " * 100 + "year", "nested more than"),
        ("x" * 10_001, "longer than"),
    ],
)
def test_filter_errors(expression, reason):
    with pytest.raises(QueryError, match=reason):
        compile_filter(expression)


@settings(max_examples=300, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_any_text_is_a_filter_or_a_query_error(text):
    try:
        keep = compile_filter(text)
    except QueryError:
        return
    for record in RECORDS:
        assert keep(record) in (True, False)


_TOKENS = st.sampled_from(
    "year month type key author editor keywords title selected volume nosuch "
    "and or not in == != < <= > >= % ( ) [ ] , 2021 '2021' 'a' 'Einstein' \"^D\" None True".split()
)


@settings(max_examples=500, derandomize=True)
@given(st.lists(_TOKENS, max_size=12))
def test_token_soup_is_a_filter_or_a_query_error(tokens):
    try:
        keep = compile_filter(" ".join(tokens))
    except QueryError:
        return
    for record in RECORDS:
        assert keep(record) in (True, False)


def test_field_values():
    a = RECORDS[0]
    assert field_value(a, "year") == 2021
    assert field_value(a, "title") == "Deep Nets"
    assert field_value(a, "KEYWORDS") == ("physics", "Deep Learning", "nets")
    assert field_value(a, "date") == (2021, 2)
    assert field_value(RECORDS[2], "date") is None
    assert split_list(" a ;b,, c ") == ("a", "b", "c")


def test_sort():
    assert parse_sort("year desc, Title,month ASC") == [
        SortKey("year", True),
        SortKey("title", False),
        SortKey("month", False),
    ]
    for bad in ("year down", "", ",", "year desc desc", "1year"):
        with pytest.raises(QueryError):
            parse_sort(bad)

    def order(text):
        return [record.key for record in sort_records(RECORDS, parse_sort(text))]

    assert order("year") == ["b", "a", "d", "c"]  # stable; no year last
    assert order("year desc") == ["a", "d", "b", "c"]  # still last when descending
    assert order("year desc, title") == ["d", "a", "b", "c"]
    assert order("title desc") == ["c", "b", "a", "d"]
    assert order("author") == ["c", "a", "b", "d"]  # Bohr, Curie, Einstein; no author
    assert order("volume") == ["b", "a", "c", "d"]  # 9 < 12 < "XII"; none last
    assert order("nosuch") == ["a", "b", "c", "d"]


def test_grouping():
    def labels(groups):
        return [(group.label, [record.key for record in group.records]) for group in groups]

    assert labels(group_records(RECORDS)) == [
        ("2021", ["a", "d"]),
        ("2019", ["b"]),
        ("Undated", ["c"]),
    ]
    assert labels(group_records(RECORDS, "year", "asc"))[0] == ("2019", ["b"])
    assert labels(group_records(RECORDS, "none")) == [("", ["a", "b", "c", "d"])]
    assert labels(group_records([], "none")) == []
    assert labels(group_records(RECORDS, "type")) == [
        ("Journal articles", ["a"]),
        ("Conference papers", ["b"]),
        ("Books", ["d"]),
        ("Other", ["c"]),
    ]
    assert labels(group_records(RECORDS, "type", type_names={"misc": "Preprints"}))[-1] == (
        "Preprints",
        ["c"],
    )
    assert labels(group_records(RECORDS, "type", "misc, book"))[:2] == [
        ("Other", ["c"]),
        ("Books", ["d"]),
    ]
    # an entry in every group of its field's values; without a value: last
    assert labels(group_records(RECORDS, "keywords", other_label="No keywords")) == [
        ("Deep Learning", ["a"]),
        ("nets", ["a"]),
        ("physics", ["a"]),
        ("No keywords", ["b", "c", "d"]),
    ]
    assert labels(group_records(RECORDS, "author", "desc"))[0] == ("Ayşe Öztürk", ["b"])
    assert labels(group_records(RECORDS, "journal")) == [
        ("Nature", ["a"]),
        ("Other", ["b", "c", "d"]),
    ]
    assert type_name("article", {}) == "Journal articles"
    assert type_name("weird", {}) == "Weird"
    assert slug("Über Zeitschriften & Bücher") == "uber-zeitschriften-bucher"
    assert slug("!!!") == "group"


def test_limit_keys_exclude():
    groups = group_records(RECORDS)
    limited = limit_groups(groups, 2)
    assert [(g.label, [r.key for r in g.records]) for g in limited] == [("2021", ["a", "d"])]
    picked, missing = by_keys(RECORDS, ["d", "A", "zzz", "d"])
    assert [r.key for r in picked] == ["d", "a"] and missing == ["zzz"]
    kept, missing = without_keys(RECORDS, ["B", "nope"])
    assert [r.key for r in kept] == ["a", "c", "d"] and missing == ["nope"]


def test_keywords_are_decoded():
    (record,), _ = read_bibtex_text(
        "k.bib", '@misc{k, title={K}, year=2020, keywords={na{\\"i}ve {B}ayes; Gr{\\"o}bner}}\n'
    )
    assert field_value(record, "keywords") == ("naïve Bayes", "Gröbner")
    assert compile_filter('"naïve bayes" in keywords')(record)
    assert compile_filter('keywords % "^grob"')(record) is False  # "ö" is not "o" in a regex
    assert compile_filter('keywords % "^gröb"')(record)
