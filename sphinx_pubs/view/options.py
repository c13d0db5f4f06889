"""How a list shows its entries: :class:`ListOptions` (from the directive's options
over the ``pubs_*`` settings) and :class:`Labels`, the words it shows.  Free of
docutils; the directive fills both in (:mod:`sphinx_pubs.sphinx_ext.directive`)."""

from __future__ import annotations

from dataclasses import dataclass

from sphinx_pubs.core.names import NameKey
from sphinx_pubs.view.links import DEFAULT_BIBTEX_HIDDEN, LINK_FIELDS


@dataclass(frozen=True)
class Labels:
    """The words a list shows; the directive fills them in translated."""

    abstract: str = "Abstract"
    award: str = "Award"
    in_word: str = "In"
    and_word: str = "and"
    more_author: str = "1 more author"
    more_authors: str = "{n} more authors"
    editor: str = "editor"
    editors: str = "editors"
    et_al: str = "et al."
    show_fewer: str = "show fewer"
    bibtex: str = "BibTeX"
    copy: str = "Copy"
    download: str = "Download"
    search: str = "Search the publications"
    search_placeholder: str = "Title, author, venue, year …"
    search_count: str = "{shown} of {total}"
    search_none: str = "No publication matches."
    search_year: str = "Year"
    search_type: str = "Type"
    undated: str = "Undated"
    #: link button labels by field (DOI, arXiv, PDF ...); the defaults when absent
    buttons: tuple[tuple[str, str], ...] = LINK_FIELDS


@dataclass(frozen=True)
class ListOptions:
    """How one directive renders its records."""

    max_authors: int = 3
    #: ``collapsed``, ``expanded`` or ``hidden``
    abstracts: str = "collapsed"
    #: ``section``, ``rubric`` or ``none``
    headings: str = "section"
    #: whether Sphinx's search index gets the abstracts (large lists build slower)
    search_abstracts: bool = False
    #: whose BibTeX the list shows: ``all``, ``marked`` (entries with
    #: ``bibtex_show = {true}``) or ``none``
    bibtex: str = "marked"
    #: entry numbers: ``""`` (none), ``up`` (1, 2, ...) or ``down`` (N, N-1, ..., 1)
    numbering: str = ""
    #: the files the list offers its entries in: ``bib``, ``csl-json``
    downloads: tuple[str, ...] = ()
    #: a search box above the list (sphinx-pubs-search.js), and its facet buttons
    #: (``year``, ``type``)
    search: bool = False
    facets: tuple[str, ...] = ()
    #: entry type -> group name (``:group-by: type``, the type facet)
    type_names: tuple[tuple[str, str], ...] = ()
    #: fields left out of the BibTeX shown
    bibtex_hidden: frozenset[str] = frozenset(DEFAULT_BIBTEX_HIDDEN)
    #: the project's own link fields and their labels, after the standard ones
    link_fields: tuple[tuple[str, str], ...] = ()
    #: the site's owners (pubs_highlight_authors), shown with class pub-author-self
    highlight: tuple[NameKey, ...] = ()
    #: homepages of authors (pubs_author_links)
    author_links: tuple[tuple[NameKey, str], ...] = ()
    #: venue badges: abbreviation -> (url, colour) (pubs_venues)
    venues: tuple[tuple[str, str, str], ...] = ()
    #: the link field whose target the title links to (pubs_title_link), or ""
    title_link: str = ""
    labels: Labels = Labels()
