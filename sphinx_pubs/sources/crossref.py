"""``crossref`` inheritance: an entry takes the fields it lacks from its parent.

BibTeX and biblatex let an ``@inproceedings`` name its ``@proceedings`` with
``crossref = {key}``; the child then shows the parent's title as its book title, and
the parent's editors, publisher, year and so on where it has none of its own.  Parents
may be in another file of the same list, so this runs on the merged records, and it
makes new records: the cached ones of each file stay as they were read.
"""

from __future__ import annotations

from dataclasses import replace

from sphinx_pubs.core.model import Problem, Publication
from sphinx_pubs.core.subtype import Subtype

#: parent fields that the child takes under another name (biblatex's defaults)
RENAMED = {
    "title": "booktitle",
    "subtitle": "booksubtitle",
    "titleaddon": "booktitleaddon",
    "shorttitle": "",  # not inherited
    "key": "",
    "crossref": "",
    "abstract": "",
    "note": "",
    "ids": "",
}


def resolve_crossrefs(
    records: list[Publication], final: bool = True
) -> tuple[list[Publication], list[Problem]]:
    """*records* with every child completed from its parent, and the problems met.

    A child whose parent adds nothing stays the same object.  With *final* false (one
    file of a list, whose parents may be in another file) a missing parent is no
    problem and nothing is reported.
    """
    chains = _Chains(records)
    out = [chains.complete(record) for record in records]
    if not final:
        return out, []
    return out, chains.problems + _incomplete(out)


class _Chains:
    """The records by key, and each one completed from its parents once."""

    def __init__(self, records: list[Publication]) -> None:
        self.by_key = {record.key.lower(): record for record in records}
        self.problems: list[Problem] = []
        self.resolved: dict[str, Publication] = {}

    def complete(self, record: Publication) -> Publication:
        """*record* completed from its chain of parents.

        Walks up the chain of parents to one that is complete (no crossref, done
        before, missing, or closing a cycle), then completes the chain downwards: no
        recursion, and every entry is completed once, so a chain of any length costs
        time linear in its length.
        """
        chain: list[Publication] = []  # entries waiting for their parent
        on_chain: set[str] = set()
        current = record
        while True:
            parent_key = current.fields.get("crossref", "").strip()
            if not parent_key:
                done = current
                break
            known = self.resolved.get(current.key)
            if known is not None:
                done = known
                break
            parent = self.by_key.get(parent_key.lower())
            if parent is None or parent.key in on_chain:
                done = self.broken(current, parent_key, parent is None)
                break
            chain.append(current)
            on_chain.add(current.key)
            current = parent
        for child in reversed(chain):
            self.resolved[child.key] = done = inherit(child, done)
        return done

    def broken(self, record: Publication, parent_key: str, missing: bool) -> Publication:
        """*record*, whose parent is *missing* or closes a cycle, as it is (reported)."""
        why = "not found" if missing else "refers back to this entry"
        self.problems.append(
            Problem(
                record.source,
                f"entry {record.key!r}: crossref {parent_key!r} {why}",
                Subtype.ENTRY,
            )
        )
        self.resolved[record.key] = record
        return record


def _incomplete(records: list[Publication]) -> list[Problem]:
    """What the completed children still lack: a title, a year."""
    problems: list[Problem] = []
    for record in records:
        if record.fields.get("crossref") and not record.title:
            problems.append(
                Problem(record.source, f"entry {record.key!r} has no title", Subtype.ENTRY)
            )
        if record.fields.get("crossref") and record.year is None and not record.year_text:
            problems.append(
                Problem(
                    record.source,
                    f"entry {record.key!r} has no year, nor has its crossref parent; "
                    "listed with the undated entries",
                    Subtype.ENTRY,
                )
            )
    return problems


def inherit(child: Publication, parent: Publication) -> Publication:
    """*child* with what it lacks taken from *parent*."""
    fields = dict(child.fields)
    text = dict(child.text)
    for name, value in parent.fields.items():
        target = RENAMED.get(name, name)
        if target and target not in fields:
            fields[target] = value
            if name in parent.text:
                text[target] = parent.text[name]
    dated = child.year is not None or bool(child.year_text)
    if fields == child.fields and dated and (child.editors or not parent.editors):
        return child  # the parent adds nothing
    return replace(
        child,
        fields=fields,
        text=text,
        editors=child.editors or parent.editors,
        authors=child.authors or (parent.authors if child.type in ("inbook", "bookinbook") else ()),
        year=child.year if dated else parent.year,
        year_text=child.year_text if dated else parent.year_text,
        month=child.month if dated else parent.month,
    )
