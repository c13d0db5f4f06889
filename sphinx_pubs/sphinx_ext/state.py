"""What the extension keeps in the Sphinx build environment between builds.

Both records live in the ``pub`` domain's data (:class:`~sphinx_pubs.sphinx_ext.domain.PubDomain`),
which purges and merges them per document and versions them with its ``data_version``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from sphinx_pubs.core.model import Problem, Publication, Source
from sphinx_pubs.sources import BibFile, file_digest, path_of


class Seen(NamedTuple):
    """A bibliography file as a document read it: its modification time and size
    then, and the hash of its bytes ("" when it could not be read)."""

    mtime_ns: int
    size: int
    digest: str


class Report(NamedTuple):
    """A problem a document's list found, and where the directive stands (the
    location of a problem about a whole file)."""

    problem: Problem
    location: str


@dataclass
class PubsState:
    """Parsed files (by absolute path), which documents list which files (and what
    the files held when the documents were read), and the problems the documents
    read in this build found, to be reported once (see :meth:`take_reports`)."""

    cache: dict[str, BibFile] = field(default_factory=dict)
    files_by_doc: dict[str, dict[str, Seen]] = field(default_factory=dict)
    reports: dict[str, list[Report]] = field(default_factory=dict)
    #: the build's output folder, set when the builder starts (link fields never
    #: copy files from it)
    outdir: str = ""

    def note_use(self, docname: str, bibfile: BibFile) -> None:
        """*docname* lists *bibfile*, read as it is now."""
        seen = Seen(bibfile.stamp[0], bibfile.stamp[1], bibfile.digest)
        self.files_by_doc.setdefault(docname, {})[bibfile.path] = seen

    def note_problem(self, docname: str, problem: Problem, location: str) -> None:
        self.reports.setdefault(docname, []).append(Report(problem, location))

    def take_reports(self) -> list[Report]:
        """The problems found since the last call, each once, sorted by file and line.

        A problem that several lists (on one page or many) found is reported once:
        a problem about a whole file at the list of the first document, in docname
        order, that found it.  This does not depend on which process read which
        document, so a parallel build reports what a serial one does.
        """
        first: dict[tuple[str, int, str, str], Report] = {}
        for docname in sorted(self.reports):
            for report in self.reports[docname]:
                problem = report.problem
                key = (problem.source.path, problem.source.line, problem.message, problem.subtype)
                first.setdefault(key, report)
        self.reports.clear()
        return sorted(first.values(), key=lambda r: (r.problem.source.path, r.problem.source.line))

    def find(self, path: str, key: str) -> Publication:
        """The record *key* of the file at *path*, as read for the documents that list it.

        Entry nodes name their record rather than hold it, so that the pickled
        documents stay small; the records live here, once.
        """
        bibfile = self.cache.get(path)
        record = bibfile.find(key) if bibfile is not None else None
        if record is None:  # cannot happen while documents are re-read with their files
            record = Publication(key=key, type="misc", source=Source(path))
        return record

    def purge(self, docname: str) -> None:
        self.files_by_doc.pop(docname, None)
        self.reports.pop(docname, None)

    def merge(self, docnames: set[str], other: PubsState) -> None:
        """Take over what a parallel reader learnt about *docnames*."""
        for docname in docnames:
            if docname in other.files_by_doc:
                self.files_by_doc[docname] = other.files_by_doc[docname]
            if docname in other.reports:
                self.reports[docname] = other.reports[docname]
        for path, bibfile in other.cache.items():
            mine = self.cache.get(path)
            if mine is None or mine.stamp != bibfile.stamp:
                self.cache[path] = bibfile

    def outdated(self) -> set[str]:
        """The documents that list a file whose content is not what they read.

        Decided by content, not by modification time: a file whose time and size are
        those the document saw is taken as unchanged, any other is hashed, so that a
        file replaced by an edited copy with an older time is seen, and one merely
        touched is not.  A file that could not be read is looked at again in every
        build, as Sphinx does with a missing dependency.
        """
        stats: dict[str, tuple[int, int] | None] = {}
        digests: dict[str, str | None] = {}
        out = set()
        for docname, files in self.files_by_doc.items():
            for path, seen in files.items():
                if not seen.digest:
                    out.add(docname)
                    continue
                if path not in stats:
                    stats[path] = _stat(path)
                now = stats[path]
                if now is None:
                    out.add(docname)
                    continue
                if now == (seen.mtime_ns, seen.size):
                    continue
                if path not in digests:
                    digests[path] = file_digest(path)
                if digests[path] != seen.digest:
                    out.add(docname)
                    continue
                # the same bytes: remember the new time, so that the next build need
                # not hash the file again (nor the parse cache, which holds them too)
                files[path] = Seen(now[0], now[1], seen.digest)
                self._restamp(path, now, seen.digest)
        return out

    def _restamp(self, path: str, now: tuple[int, int], digest: str) -> None:
        for key, bibfile in self.cache.items():
            if path_of(key) == path and bibfile.digest == digest:
                self.cache[key] = replace(bibfile, stamp=(now[0], now[1], bibfile.stamp[2]))

    def prune(self) -> None:
        """Forget parsed files no document lists any more."""
        used = set().union(*self.files_by_doc.values()) if self.files_by_doc else set()
        for key in list(self.cache):
            if path_of(key) not in used:
                del self.cache[key]


def _stat(path: str) -> tuple[int, int] | None:
    """The modification time and size of the file at *path*, or None."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


@dataclass
class Bridge:
    """What :func:`~sphinx_pubs.sphinx_ext.citebridge.inject` added to sphinxcontrib-bibtex's
    bibliographies, and what its citations looked like last build."""

    #: key -> (docname, anchor) of the records added this build
    expected: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: key -> (docname, anchor, label, text) as resolved last build
    resolved: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)


def pubs_state(env: Any) -> PubsState:
    """The parsed files and their bookkeeping, as the ``pub`` domain of *env* keeps them."""
    state = env.get_domain("pub").data["state"]
    assert isinstance(state, PubsState)
    return state


def cite_bridge(env: Any) -> Bridge:
    """What the ``:cite:`` bridge keeps, in the ``pub`` domain of *env*."""
    bridge = env.get_domain("pub").data["cite"]
    assert isinstance(bridge, Bridge)
    return bridge
