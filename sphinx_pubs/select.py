"""Choose, order and group records.  Pure Python: no Sphinx, no docutils."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .links import is_true
from .model import Problem, Publication


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
                        "duplicate",
                    )
                )
    return records, problems


def only_selected(records: Sequence[Publication]) -> list[Publication]:
    """The records marked ``selected = {true}`` (al-folio's "selected publications")."""
    return [record for record in records if is_true(record.fields.get("selected", ""))]


def group_by_year(records: Sequence[Publication], undated_label: str = "Undated") -> list[Group]:
    """Year groups, newest first, then one group of records with no usable year.

    Inside a group records keep their input order (the sort is stable).
    """
    by_year: dict[int | None, list[Publication]] = {}
    for record in records:
        by_year.setdefault(record.year, []).append(record)
    groups = [
        Group(str(year), str(year), tuple(by_year[year]))
        for year in sorted((y for y in by_year if y is not None), reverse=True)
    ]
    if None in by_year:
        groups.append(Group(undated_label, "undated", tuple(by_year[None])))
    return groups
