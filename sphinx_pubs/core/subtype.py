"""The subtypes of the warnings sphinx-pubs gives, one per kind of problem.

Every warning has the Sphinx type ``pubs`` and a :class:`Subtype`; users silence them
with ``suppress_warnings = ["pubs.<subtype>"]``. ``docs/reference/warnings.rst`` has a
heading per member (``tests/test_subtype.py`` checks that it does). Free of Sphinx, so
that a :class:`~sphinx_pubs.core.model.Problem` can carry one;
:func:`sphinx_pubs.warnings.warn` emits them.
"""

from __future__ import annotations

from enum import Enum


class Subtype(str, Enum):
    """The subtype of a ``pubs.*`` warning: a ``str`` that prints as its value."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    SYNTAX = "syntax"
    """The file is not valid BibTeX or CSL-JSON; fix the entry at the line given
    (an error costs as little of the entry as it can)."""

    MACRO = "macro"
    """An ``@string`` macro or a field grows past the size limit once expanded and is
    cut; look for macros that expand to themselves."""

    DUPLICATE = "duplicate"
    """A key defined twice, or a field given twice in one entry; the first is kept.
    Rename or remove the other one."""

    ENTRY = "entry"
    """An entry shown but not as meant (no title, no usable year, a month or a name
    not understood), or one that could not be read; fix the field named."""

    TYPE = "type"
    """An entry type neither BibTeX nor biblatex defines; it is shown as ``@misc``.
    Use a standard type."""

    LATEX = "latex"
    """LaTeX in a field the decoder does not understand; the text is kept. Rewrite the
    command, or silence ``pubs.latex``."""

    LINK = "link"
    """A link that is not an allowed URL, or a link field naming a file that is missing
    or may not be published; the link is dropped. Fix the address or the file."""

    BIBFILE = "bibfile"
    """A bibliography file that is missing or cannot be read, or a directive naming
    none; nothing is listed from it. Check the path."""

    ENCODING = "encoding"
    """A file not valid in ``pubs_bib_encoding``; it is read as Latin-1. Set the
    setting to the file's encoding."""

    CONFIG = "config"
    """A ``pubs_*`` setting in ``conf.py`` that cannot be used; the default (or the
    good items) is used. Fix the setting named."""

    FILTER = "filter"
    """A ``:filter:`` option that cannot be read or is not allowed; the list is left
    out. Fix the expression."""

    OPTION = "option"
    """A directive option (``:sort:``, ``:group-by:``, ``:downloads:`` ...) that cannot
    be read; fix the option named."""

    KEY = "key"
    """A key in ``:keys:`` or ``:exclude:`` not in the files, or an entry key that
    cannot be used as a name as it is; check the key."""

    PAPER = "paper"
    """A document has the name a paper page would have; the document wins. Rename
    the document or set ``pubs_paper_pages_dir``."""

    BIBTEX = "bibtex"
    """sphinxcontrib-bibtex's internals are not those sphinx-pubs knows, or a field
    name BibTeX cannot write is left out of an entry's BibTeX."""
