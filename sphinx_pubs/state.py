"""What the extension keeps in the Sphinx build environment between builds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Publication, Source
from .sources import BibFile, path_of

ATTRIBUTE = "sphinx_pubs_state"


@dataclass
class PubsState:
    """Parsed files (by absolute path) and which documents list which files."""

    cache: dict[str, BibFile] = field(default_factory=dict)
    files_by_doc: dict[str, set[str]] = field(default_factory=dict)
    #: the build's output folder, set when the builder starts (link fields never
    #: copy files from it)
    outdir: str = ""

    def note_use(self, docname: str, path: str) -> None:
        self.files_by_doc.setdefault(docname, set()).add(path)

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

    def merge(self, docnames: set[str], other: PubsState) -> None:
        """Take over what a parallel reader learnt about *docnames*."""
        for docname in docnames:
            if docname in other.files_by_doc:
                self.files_by_doc[docname] = other.files_by_doc[docname]
        for path, bibfile in other.cache.items():
            mine = self.cache.get(path)
            if mine is None or mine.stamp != bibfile.stamp:
                self.cache[path] = bibfile

    def prune(self) -> None:
        """Forget parsed files no document lists any more."""
        used = set().union(*self.files_by_doc.values()) if self.files_by_doc else set()
        for key in list(self.cache):
            if path_of(key) not in used:
                del self.cache[key]


def pubs_state(env: Any) -> PubsState:
    state = getattr(env, ATTRIBUTE, None)
    if state is None:
        state = PubsState()
        setattr(env, ATTRIBUTE, state)
    return state  # type: ignore[no-any-return]
