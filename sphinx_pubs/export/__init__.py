"""Write records back out: BibTeX (:mod:`~sphinx_pubs.export.bibtex`), CSL-JSON
(:mod:`~sphinx_pubs.export.csl`), and the tags search engines read
(:mod:`~sphinx_pubs.export.scholar`).  Pure Python.

Every writer works from the parsed :class:`~sphinx_pubs.core.model.Publication`
records, never from the file's text, and what a page hides is left out by the
caller's choice of records and fields.  This module holds what the writers share.
"""

from __future__ import annotations

import re

from sphinx_pubs.core.model import clean_text
from sphinx_pubs.view.links import DEFAULT_BIBTEX_HIDDEN

#: The page-only fields a download leaves out: :data:`~sphinx_pubs.view.links.DEFAULT_BIBTEX_HIDDEN`
#: without ``abstract`` (an abstract belongs in a reference manager's record, so a
#: download keeps it even though the BibTeX box of the page does not show it).
DOWNLOAD_HIDDEN: frozenset[str] = frozenset(DEFAULT_BIBTEX_HIDDEN) - {"abstract"}

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def no_surrogates(text: str) -> str:
    """*text* with lone surrogates (from ``\\ud800`` escapes in a JSON file) made
    U+FFFD, so that it can be encoded as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)


def written_text(text: str) -> str:
    """The last guard of a written file: lone surrogates made U+FFFD, control
    characters gone (:func:`~sphinx_pubs.core.model.clean_text`; records come cleaned
    by the readers)."""
    return clean_text(no_surrogates(text))
