"""The one vocabulary (:mod:`sphinx_pubs.core.vocab`): its tables agree with each other,
and every table derived from another reads it back."""

from __future__ import annotations

import pytest

from sphinx_pubs.core import vocab
from sphinx_pubs.core.vocab import (
    CSL_DATE_FIELDS,
    CSL_FIELDS,
    CSL_NAME_FIELDS,
    CSL_STYLES,
    CSL_TAGS,
    CSL_TYPES,
    DATE_VARIABLES,
    ENTRY_TYPES,
    FIELD_VARIABLES,
    KNOWN_TYPES,
    NAME_VARIABLES,
    PERSON_FIELDS,
    TEXT_FIELDS,
    TYPE_ALIASES,
    TYPE_MAP,
    TYPE_NAMES,
    TYPE_ORDER,
    invert,
)


def test_invert_asks_for_a_choice_where_the_inverse_is_not_one_to_one():
    assert invert({"a": "x", "b": "y"}, {}) == {"x": "a", "y": "b"}
    assert invert({"a": "x", "b": "x"}, {"x": "b"}) == {"x": "b"}
    with pytest.raises(ValueError, match="choose one"):
        invert({"a": "x", "b": "x"}, {})
    with pytest.raises(ValueError, match="choose one"):
        invert({"a": "x", "b": "x"}, {"x": "c"})  # a choice that is not a key


@pytest.mark.parametrize("entry_type", sorted(ENTRY_TYPES))
def test_every_type_reads_back_as_a_type_written_as_the_same_csl_type(entry_type):
    csl_type = CSL_TYPES[entry_type]
    back = TYPE_MAP[csl_type]
    assert back in KNOWN_TYPES
    if csl_type == "personal_communication":
        # CSL's is any personal communication, not only a letter
        assert back == "misc"
    else:
        assert CSL_TYPES[back] == csl_type


def test_every_csl_type_reads_as_a_known_type_and_every_alias_names_one():
    assert set(TYPE_MAP.values()) <= KNOWN_TYPES
    assert set(TYPE_ALIASES.values()) <= KNOWN_TYPES
    assert not set(TYPE_ALIASES) & KNOWN_TYPES  # an alias never hides a real type


@pytest.mark.parametrize("entry_type", sorted(ENTRY_TYPES))
def test_the_fields_a_page_shows_for_a_type_are_decoded(entry_type):
    row = ENTRY_TYPES[entry_type]
    assert set(row.venue) <= TEXT_FIELDS
    assert {row.container, row.publisher} <= TEXT_FIELDS
    assert {name for name, _ in vocab.ANY_VENUE} <= TEXT_FIELDS


def test_each_field_is_written_as_a_variable_that_reads_back_as_it():
    for field, variable in FIELD_VARIABLES.items():
        assert CSL_FIELDS.get(variable, variable.lower()) == field
    for field, variable in NAME_VARIABLES.items():
        assert CSL_NAME_FIELDS[variable] == field
    for field, variable in DATE_VARIABLES.items():
        assert CSL_DATE_FIELDS[variable] == field
    # every variable with a twin of another name is written back from its field
    assert set(CSL_FIELDS.values()) <= set(FIELD_VARIABLES)
    assert not set(NAME_VARIABLES) & set(PERSON_FIELDS)  # the people are apart


def test_styles_and_tags_are_inverses():
    for style, tag in CSL_TAGS.items():
        assert CSL_STYLES[tag] == style
    assert CSL_STYLES["small-caps"] == "smallcaps"


def test_the_type_groups_are_named_and_ordered_as_the_docs_say():
    assert set(TYPE_NAMES) == {name for name, row in ENTRY_TYPES.items() if row.group}
    # docs/reference/config.rst, pubs_type_order: "the built-in order"
    documented = (
        "journal articles, conference papers, books, edited volumes, book chapters, "
        "theses, reports, patents, software, datasets, manuals, online, unpublished, other"
    )
    groups = [TYPE_NAMES[name].lower() for name in TYPE_ORDER]
    assert ", ".join(groups) == documented
    assert set(groups) == {name.lower() for name in TYPE_NAMES.values()}


@pytest.mark.parametrize(
    ("family", "member"),
    [
        (vocab.JOURNAL, "article"),
        (vocab.CONFERENCE, "inproceedings"),
        (vocab.BOOK_PART, "incollection"),
        (vocab.THESIS, "mastersthesis"),
        (vocab.REPORT, "techreport"),
        (vocab.BOOK, "book"),
    ],
)
def test_each_kind_of_publication_has_its_types(family, member):
    assert ENTRY_TYPES[member].family == family


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2021", ("2021", None, None)),
        (" 2021-05 ", ("2021", "05", None)),
        ("2021-05-03", ("2021", "05", "03")),
        ("-0044-03-15", ("-0044", "03", "15")),
    ],
)
def test_iso_dates(text, parts):
    match = vocab.ISO_DATE.match(text)
    assert match and match.groups() == parts
    assert vocab.ISO_DATE_FIRST.match(text.strip() + "T10:00")
    assert not vocab.ISO_DATE.match(text.strip() + "T10:00")
    assert not vocab.ISO_DATE.match("May 2021")
