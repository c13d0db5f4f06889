"""The docutils node classes of a publications list, independent of output format.

Structure (``:headings: section``, the default)::

    pubs_list_start                    <div class="pubs">
    section.pubs-group  (title "2024")   <section class="pubs-group" id="pubs-2024">
      pubs_entries                         <ol class="pubs-entries">
        pub_entry  (ids: pub-<key>)          <li class="pub" id="pub-<key>"> ... </li>
    pubs_list_end                      </div>

The year groups are real ``section`` nodes so that they appear in the page's local
table of contents; Sphinx only finds sections that are direct children of a section,
which is why the list is delimited by two marker nodes rather than wrapped.  With
``:headings: rubric`` or ``none`` the list is one ``pubs_list`` node holding
``pubs_group`` nodes.

A :class:`pub_entry` names its record (:func:`entry_record` looks it up) and holds the
list's options rather than a subtree of tens of nodes: a list of thousands of entries
would otherwise cost every transform, the pickled environment and the search indexer
a walk over hundreds of thousands of nodes.  Each writer draws the entry from the
record (:func:`sphinx_pubs.view.entry.entry_view`): the HTML writer as interactive
HTML, every other builder through standard nodes
(:mod:`sphinx_pubs.sphinx_ext.writers.fallback`).
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes

from sphinx_pubs.core.model import Publication

#: the record of a file path and a key (:meth:`sphinx_pubs.sphinx_ext.state.PubsState.find`)
Find = Callable[[str, str], Publication]


class pubs_list(nodes.General, nodes.Element):
    """A whole list, when its groups are not sections.

    Attributes, when the list has them: ``search`` (facets and type names of its
    search box), ``downloads`` (the formats it offers its entries in), ``docname``
    and ``ordinal`` (the document, and which of its lists this is: the files' names),
    ``labels`` (the list's words)."""


class pubs_list_start(nodes.General, nodes.Element):
    """Opens a list whose groups are sections (the groups follow as siblings); its
    attributes are those of :class:`pubs_list`."""


class pubs_list_end(nodes.General, nodes.Element):
    """Closes the list opened by the preceding :class:`pubs_list_start`."""


class pubs_group(nodes.General, nodes.Element):
    """A group that is not a section; its first child is a ``rubric`` when headed."""


class pubs_entries(nodes.General, nodes.Element):
    """The entries of one group, in order."""


class pub_entry(nodes.General, nodes.Element):
    """One publication.

    Attributes: ``ids`` (``pub-<key>``), ``key`` and ``bibfile`` (which name the
    record, kept once in the environment's cache of parsed files), ``record`` (the
    record itself, only when that cache does not hold it: a child completed from a
    parent in another file, a file read with another file's macros), ``options``
    (the list's :class:`~sphinx_pubs.view.options.ListOptions`), and when set:
    ``downloads`` (link field -> the name of the copied project file), ``number`` (in
    a numbered list), ``paper`` (the paper's page), ``hide_title`` (on a paper page),
    ``view`` (given before an HTML page is written) and ``pubs_cards`` (the HTML
    writer's: the list keeps a column for badges).  Children, which no writer shows: the
    entry's ``math`` nodes, so that Sphinx loads a math renderer on the page, and,
    added just before an HTML page is written, a text node with the entry's words
    for Sphinx's search index.
    """


def entry_record(node: pub_entry, find: Find) -> Publication:
    """The record *node* shows: the one it carries, else the one it names, which
    *find* looks up."""
    record: Publication | None = node.get("record")
    return record if record is not None else find(node["bibfile"], node["key"])


ALL_NODES: tuple[type[nodes.Element], ...] = (
    pubs_list,
    pubs_list_start,
    pubs_list_end,
    pubs_group,
    pubs_entries,
    pub_entry,
)
