"""What an entry's fields mean when choosing and ordering entries: the value a name
stands for in ``:filter:`` (:mod:`sphinx_pubs.select.query`), ``:sort:``
(:mod:`sphinx_pubs.select.sort`) and ``:group-by:`` (:mod:`sphinx_pubs.select.group`).
Pure Python: no Sphinx, no docutils."""

from __future__ import annotations

import re
from typing import Any

from sphinx_pubs.core.latex.decoder import decode_plain
from sphinx_pubs.core.model import Person, Publication, plain
from sphinx_pubs.view.links import is_true


class Multi(tuple[str, ...]):
    """A field with several values (keywords, tags)."""

    __slots__ = ()


class People(tuple[Person, ...]):
    """The authors or editors of an entry."""

    __slots__ = ()


_LIST_SPLIT = re.compile(r"\s*[,;]\s*")
#: names that are not plain fields
SPECIAL_NAMES = frozenset(
    {"year", "month", "type", "key", "author", "editor", "keywords", "tags", "selected"}
    | {"title", "abstract", "authors", "editors", "keyword", "tag", "date"}
)


def split_list(value: str) -> Multi:
    """``"ml, Deep Learning; nlp"`` as its items, LaTeX decoded (``na{\\"i}ve``
    is "naïve")."""
    if "\\" in value or "{" in value or "$" in value:
        value = decode_plain(value)[0]
    return Multi(" ".join(item.split()) for item in _LIST_SPLIT.split(value.strip()) if item)


def keywords_of(record: Publication, field: str = "keywords") -> Multi:
    """The entry's keywords (or ``tags``), split and decoded."""
    value = record.fields.get(field)
    if value is None and field == "keywords":
        value = record.fields.get("keyword")
    return split_list(value) if value else Multi()


def field_value(record: Publication, name: str) -> Any:
    """What field *name* of *record* is worth in a filter or a sort (see the module)."""
    name = name.lower()
    if name == "year":
        return record.year
    if name == "month":
        return record.month
    if name == "date":
        return None if record.year is None else (record.year, record.month or 0)
    if name == "type":
        return record.type
    if name == "key":
        return record.key
    if name in ("author", "authors"):
        return People(record.authors)
    if name in ("editor", "editors"):
        return People(record.editors)
    if name in ("keywords", "keyword", "tags", "tag"):
        return keywords_of(record, "tags" if name.startswith("tag") else "keywords")
    if name == "selected":
        return is_true(record.fields.get("selected", ""))
    if name == "title":
        return plain(record.title) or None
    if name == "abstract":
        return "\n".join(plain(paragraph) for paragraph in record.abstract) or None
    rich = record.text.get(name)
    if rich is not None:
        return plain(rich)
    return record.fields.get(name)


def as_number(value: Any) -> float | None:
    """*value* as a number (an int or float, not a bool, or text that reads as one); None:
    not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None
