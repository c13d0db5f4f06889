"""Choose, order and group records.  Pure Python: no Sphinx, no docutils."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sphinx_pubs.core.model import Problem, Publication
from sphinx_pubs.core.subtype import Subtype
from sphinx_pubs.core.vocab import TYPE_NAMES, TYPE_ORDER
from sphinx_pubs.select.fields import Multi, People, field_value
from sphinx_pubs.select.sort import sort_value
from sphinx_pubs.view.links import is_true


@dataclass(frozen=True)
class Group:
    """A heading and the records under it, in display order."""

    #: the heading as shown ("2024", "Undated")
    label: str
    #: a stable, id-safe slug for anchors ("2024", "undated")
    slug: str
    records: tuple[Publication, ...]


def merge(files: Iterable[Sequence[Publication]]) -> tuple[list[Publication], list[Problem]]:
    """Concatenate the records of several files; a key seen before is dropped with a problem."""
    records: list[Publication] = []
    problems: list[Problem] = []
    first: dict[str, Publication] = {}
    for file_records in files:
        for record in file_records:
            earlier = first.get(record.key)
            if earlier is None:
                first[record.key] = record
                records.append(record)
            elif earlier is not record:
                problems.append(
                    Problem(
                        record.source,
                        f"duplicate key {record.key!r} (first defined at {earlier.source}); "
                        "this entry is skipped",
                        Subtype.DUPLICATE,
                    )
                )
    return records, problems


def only_selected(records: Sequence[Publication]) -> list[Publication]:
    """The records marked ``selected = {true}`` (al-folio's "selected publications")."""
    return [record for record in records if is_true(record.fields.get("selected", ""))]


def group_by_year(
    records: Sequence[Publication], undated_label: str = "Undated", order: str = "desc"
) -> list[Group]:
    """Year groups, newest first (*order* ``asc``: oldest first; or a comma-separated
    list of years that come first), then one group of records with no usable year.

    Inside a group records keep their input order (the sort is stable).
    """
    by_year: dict[int | None, list[Publication]] = {}
    for record in records:
        by_year.setdefault(record.year, []).append(record)
    years = sorted((y for y in by_year if y is not None), reverse=order.strip().lower() != "asc")
    if order.strip().lower() not in GROUP_ORDERS and order.strip():
        labels = {str(year): str(year) for year in years}
        years = [int(y) for y in _ordered_labels([str(y) for y in years], order.split(","), labels)]
    groups = [Group(str(year), str(year), tuple(by_year[year])) for year in years]
    if None in by_year:
        groups.append(Group(undated_label, "undated", tuple(by_year[None])))
    return groups


def slug(text: str) -> str:
    """An id-safe form of a group's label ("Journal articles" -> "journal-articles")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "group"


GROUP_ORDERS = ("asc", "desc")


def type_name(entry_type: str, names: Mapping[str, str]) -> str:
    """The group name of an entry type: *names* first, then
    :data:`~sphinx_pubs.core.vocab.TYPE_NAMES`."""
    name = names.get(entry_type) or TYPE_NAMES.get(entry_type)
    return name if name else entry_type.capitalize()


def _group_values(
    record: Publication, by: str, type_names: Mapping[str, str]
) -> list[tuple[str, Any]]:
    """The groups *record* goes in when grouping by field *by*: (label, sort value)."""
    if by == "type":
        name = type_name(record.type, type_names)
        return [(name, sort_value(name))]
    value = field_value(record, by)
    if value is None or value is False:
        return []
    if isinstance(value, People):  # by name, ordered by last name
        return [
            (person.display, sort_value(People((person,))))
            for person in value
            if not person.is_others
        ]
    if isinstance(value, Multi):
        return [(item, sort_value(item)) for item in value]
    if isinstance(value, tuple):  # a date
        return [(str(value[0]), sort_value(value[0]))]
    text = " ".join(str(value).split())
    return [(text, sort_value(text))] if text else []


def group_records(
    records: Sequence[Publication],
    by: str = "year",
    order: str = "",
    *,
    undated_label: str = "Undated",
    other_label: str = "Other",
    type_names: Mapping[str, str] | None = None,
    type_order: Sequence[str] = (),
) -> list[Group]:
    """*records* in groups, each group's records in the order given.

    *by* is ``year`` (newest first, then the undated), ``type`` (named by *type_names*
    and ordered by *type_order*, either naming types or group names), ``none`` (one
    group with no heading) or any field: an entry goes in a group per value, so with
    ``keywords`` it may appear in several; entries without a value go last, in a group
    called *other_label*.  *order* is ``asc``, ``desc``, or a comma-separated list
    of group labels (or, by type, entry types) that come first, in that order.
    """
    by = by.strip().lower()
    if by == "year":
        return group_by_year(records, undated_label, order or "desc")
    if by == "none":
        return [Group("", "all", tuple(records))] if records else []
    names = dict(type_names or {})
    buckets = _Buckets()
    for record in records:
        buckets.add(record, _group_values(record, by, names))
    folded_labels = list(buckets.members)
    labels, order_keys = buckets.labels, buckets.order_keys
    if by == "type" and order.strip().lower() not in GROUP_ORDERS:
        preferred = [*(order.split(",") if order else []), *type_order, *TYPE_ORDER]
        order_list = [type_name(item.strip(), names) for item in preferred if item.strip()]
        folded_labels = _ordered_labels(folded_labels, order_list, labels)
    elif order.strip().lower() == "desc":
        folded_labels.sort(key=lambda label: order_keys[label], reverse=True)
    else:
        folded_labels.sort(key=lambda label: order_keys[label])
        if order.strip().lower() not in GROUP_ORDERS and order.strip():
            folded_labels = _ordered_labels(folded_labels, order.split(","), labels)
    groups = [Group(labels[f], slug(labels[f]), tuple(buckets.members[f])) for f in folded_labels]
    if buckets.others:
        groups.append(Group(other_label, slug(other_label), tuple(buckets.others)))
    return groups


class _Buckets:
    """The records of each group value (case folded), the value as first seen, and
    its sort key; and the records without a value."""

    def __init__(self) -> None:
        self.labels: dict[str, str] = {}  # folded label -> label as first seen
        self.order_keys: dict[str, Any] = {}
        self.members: dict[str, list[Publication]] = {}
        self.others: list[Publication] = []

    def add(self, record: Publication, values: Sequence[tuple[str, Any]]) -> None:
        if not values:
            self.others.append(record)
        seen = set()
        for value, order_key in values:
            folded = value.casefold()
            if folded in seen:
                continue
            seen.add(folded)
            self.labels.setdefault(folded, value)
            self.order_keys.setdefault(folded, order_key)
            self.members.setdefault(folded, []).append(record)


def _ordered_labels(
    folded_labels: list[str], preferred: Sequence[str], labels: Mapping[str, str]
) -> list[str]:
    """*folded_labels* with those named in *preferred* first, in that order."""
    rank: dict[str, int] = {}
    for index, item in enumerate(preferred):
        rank.setdefault(item.strip().casefold(), index)
    first = sorted(
        (label for label in folded_labels if label in rank), key=lambda label: rank[label]
    )
    return first + [label for label in folded_labels if label not in rank]


def limit_groups(groups: Sequence[Group], limit: int) -> list[Group]:
    """The groups cut after the first *limit* distinct entries, in display order."""
    kept: list[Group] = []
    shown: set[int] = set()
    for group in groups:
        records = []
        for record in group.records:
            if id(record) in shown:
                records.append(record)
            elif len(shown) < limit:
                shown.add(id(record))
                records.append(record)
        if records:
            kept.append(Group(group.label, group.slug, tuple(records)))
    return kept


def by_keys(
    records: Sequence[Publication], keys: Sequence[str]
) -> tuple[list[Publication], list[str]]:
    """The records with the citation *keys*, in that order, and the keys not found
    (an exact match first, else one that differs only in case, as BibTeX's keys do)."""
    exact = {record.key: record for record in records}
    folded: dict[str, Publication] = {}
    for record in records:
        folded.setdefault(record.key.casefold(), record)
    out: list[Publication] = []
    missing: list[str] = []
    taken: set[int] = set()
    for key in keys:
        found = exact.get(key) or folded.get(key.casefold())
        if found is None:
            missing.append(key)
        elif id(found) not in taken:
            taken.add(id(found))
            out.append(found)
    return out, missing


def without_keys(
    records: Sequence[Publication], keys: Sequence[str]
) -> tuple[list[Publication], list[str]]:
    """*records* without the entries whose key is in *keys*, and the keys not found."""
    wanted = {key.casefold() for key in keys}
    found = {record.key.casefold() for record in records} & wanted
    missing = [key for key in keys if key.casefold() not in found]
    return [record for record in records if record.key.casefold() not in wanted], missing
