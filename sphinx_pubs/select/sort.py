"""The ``:sort:`` language: sort keys read from text, and records sorted by them.
Pure Python: no Sphinx, no docutils.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sphinx_pubs.core.model import Publication
from sphinx_pubs.core.names import key_of, split_mark
from sphinx_pubs.select.fields import Multi, People, as_number, field_value
from sphinx_pubs.select.query import QueryError


@dataclass(frozen=True)
class SortKey:
    """One key of ``:sort:``: a field name and whether it sorts descending."""

    name: str
    descending: bool = False


_SORT_ITEM = re.compile(r"^([A-Za-z_][\w.:-]*)(?:\s+(asc|ascending|desc|descending))?$", re.I)


def parse_sort(text: str) -> list[SortKey]:
    """``"year desc, month desc, title"`` as sort keys; :class:`QueryError` if malformed."""
    keys = []
    for item in text.split(","):
        item = " ".join(item.split())
        if not item:
            continue
        match = _SORT_ITEM.match(item)
        if match is None:
            raise QueryError(
                f"cannot read sort key {item!r} (write a field name, optionally followed by "
                "asc or desc, e.g. 'year desc, title')"
            )
        direction = (match.group(2) or "asc").lower()
        keys.append(SortKey(match.group(1).lower(), direction.startswith("desc")))
    if not keys:
        raise QueryError("no sort key given")
    return keys


def sort_value(value: Any) -> Any:
    """A value that orders the way readers expect: numbers by size, before text;
    text without regard to case; people by last, then first names; None: no value."""
    if value is None:
        return None
    if isinstance(value, People):
        if not value:
            return None
        names = tuple(key_of(split_mark(person)[0]) for person in value)
        return (2, 0.0, tuple((name.last, name.first) for name in names))
    if isinstance(value, Multi):
        return (1, 0.0, ", ".join(item.casefold() for item in value)) if value else None
    if isinstance(value, tuple):
        return (0, value, "")
    if isinstance(value, bool):
        return (0, float(value), "")
    number = as_number(value)
    if number is not None:
        return (0, number, "")
    text = str(value).strip()
    return (1, 0.0, text.casefold()) if text else None


def sort_records(records: Sequence[Publication], keys: Sequence[SortKey]) -> list[Publication]:
    """*records* sorted by *keys*, stably (ties keep their order); entries without a
    value for a key come after those with one, whichever the direction."""
    out = list(records)
    for key in reversed(keys):
        values = [sort_value(field_value(record, key.name)) for record in out]
        present = [
            (value, record) for value, record in zip(values, out, strict=True) if value is not None
        ]
        missing = [record for value, record in zip(values, out, strict=True) if value is None]
        present.sort(key=lambda pair: pair[0], reverse=key.descending)
        out = [record for _, record in present] + missing
    return out
