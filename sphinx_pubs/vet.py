"""The one read-and-vet pipeline: what the ``publications`` directive and
``sphinx-pubs check`` both run, so that the check reports exactly what the build
reports.

1. :func:`read_list` reads the files of one list: each in order
   (:func:`~sphinx_pubs.sources.load_all`: ``@string`` macros of earlier files are
   visible to later ones), merged (:func:`~sphinx_pubs.select.group.merge`: a key seen
   in an earlier file wins), crossrefs completed
   (:func:`~sphinx_pubs.sources.crossref.resolve_crossrefs`).
2. :func:`vet_entry` checks one entry the list shows: its key
   (:func:`~sphinx_pubs.core.model.key_problem`), its links
   (:func:`~sphinx_pubs.view.links.checked_links`) and its BibTeX
   (:func:`~sphinx_pubs.export.bibtex.bibtex_problems`).
3. The project files among its links are vetted by
   :func:`~sphinx_pubs.view.files.project_file`, which the build calls as it copies
   them and the check calls alone.

No Sphinx here: problems are :class:`~sphinx_pubs.core.model.Problem` values, which
the directive reports as warnings and the check prints.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sphinx_pubs.core.model import Problem, Publication, key_problem
from sphinx_pubs.export.bibtex import bibtex_problems
from sphinx_pubs.select.group import merge
from sphinx_pubs.sources import BibFile, load_all
from sphinx_pubs.sources.crossref import resolve_crossrefs
from sphinx_pubs.view.links import LinkValue, checked_links


@dataclass(frozen=True)
class ReadList:
    """The files of one list, read."""

    #: each file as read, in the order given (a file given twice is here twice)
    files: tuple[BibFile, ...]
    #: the entries the list chooses from: merged, crossrefs completed
    records: list[Publication]
    #: the files' problems (a file given twice has its problems here twice), then
    #: the duplicate keys, then the crossrefs that cannot be completed
    problems: list[Problem]


def read_list(paths: list[str], encoding: str, cache: dict[str, BibFile]) -> ReadList:
    """Read the files *paths* as one list does, in this order; *cache* holds the
    files already parsed (by path and the macros they were read with)."""
    files = []
    problems: list[Problem] = []
    per_file = []
    for bibfile, _parsed_now in load_all(paths, encoding, cache):
        files.append(bibfile)
        problems += bibfile.problems
        per_file.append(bibfile.records)
    merged, duplicates = merge(per_file)
    records, crossrefs = resolve_crossrefs(merged)
    return ReadList(tuple(files), records, problems + duplicates + crossrefs)


def vet_entry(
    record: Publication,
    link_fields: dict[str, str],
    abstract: bool = True,
    bibtex_hidden: Collection[str] | None = None,
) -> tuple[list[LinkValue], list[Problem]]:
    """The links an entry shows and its problems, in the order the build reports
    them: its key, its links (with the math of its abstract, when *abstract*), then
    what its BibTeX leaves out.

    *link_fields* are the project's own link fields (``pubs_link_fields``);
    *bibtex_hidden* the fields its BibTeX hides, or None when the list neither shows
    nor offers its BibTeX.
    """
    links, problems = checked_links(record, link_fields, abstract)
    key = key_problem(record)
    if key is not None:
        problems.insert(0, key)
    if bibtex_hidden is not None:
        problems.extend(bibtex_problems(record, bibtex_hidden))
    return links, problems
