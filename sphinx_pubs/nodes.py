"""The docutils node classes of a publications list, independent of output format.

Structure (``:headings: section``, the default)::

    pubs_list_start                    <div class="pubs">
    section.pubs-group  (title "2024")   <section class="pubs-group" id="pubs-2024">
      pubs_entries                         <ol class="pubs-entries">
        pub_entry  (ids: pub-<key>)          <li class="pub" id="pub-<key>">
          pub_part  part=title                 <div class="pub-title">
          pub_part  part=authors               <div class="pub-authors">
            pub_more                             "4 more authors" control
          pub_part  part=authors-all           <div class="pub-authors-all">
          pub_part  part=venue / note          <div class="pub-venue"> ...
          pub_toggle kind=abstract             <details class="pub-toggle pub-abstract">
    pubs_list_end                      </div>

The year groups are real ``section`` nodes so that they appear in the page's local
table of contents; Sphinx only finds sections that are direct children of a section,
which is why the list is delimited by two marker nodes rather than wrapped.  With
``:headings: rubric`` or ``none`` the list is one ``pubs_list`` node holding
``pubs_group`` nodes.
"""

from __future__ import annotations

from docutils import nodes


class pubs_list(nodes.General, nodes.Element):
    """A whole list, when its groups are not sections."""


class pubs_list_start(nodes.General, nodes.Element):
    """Opens a list whose groups are sections (the groups follow as siblings)."""


class pubs_list_end(nodes.General, nodes.Element):
    """Closes the list opened by the preceding :class:`pubs_list_start`."""


class pubs_group(nodes.General, nodes.Element):
    """A group that is not a section; its first child is a ``rubric`` when headed."""


class pubs_entries(nodes.General, nodes.Element):
    """The entries of one group, in order."""


class pub_record(nodes.General, nodes.Element):
    """One publication as read: ``record`` and ``options``, expanded when written.

    A list of thousands of entries would otherwise be tens of nodes per entry for
    every read-time transform to walk and for the environment to pickle; the
    directive leaves one of these per entry, and the ``doctree-resolved`` handler
    replaces it by a :class:`pub_entry` subtree just before the writer runs.  Its only
    children are the entry's ``math`` nodes, so that Sphinx knows the page has math.
    """


class pub_entry(nodes.General, nodes.Element):
    """One publication; ``ids`` holds ``pub-<key>``, ``key`` the citation key."""


# The text nodes are ``Special``: docutils' smart-quotes transform skips them.  Their
# text was decoded from LaTeX, whose quote rules already applied (``'`` is a right
# quote, ``"`` stays straight), and skipping them keeps large lists fast.


class pub_part(nodes.General, nodes.Special, nodes.TextElement):
    """One line of an entry; ``part`` names it (``title``, ``authors``, ``venue`` ...)."""


class pub_paragraph(nodes.paragraph, nodes.Special):
    """A paragraph of an entry's abstract (written as a plain paragraph)."""


class pub_more(nodes.General, nodes.Inline, nodes.TextElement):
    """The control that shows the hidden authors; ``target`` is the id of the full list."""


class pub_toggle(nodes.General, nodes.Element):
    """Content behind a disclosure control; ``kind`` (``abstract``), ``label``, ``open``."""


ALL_NODES: tuple[type[nodes.Element], ...] = (
    pubs_list,
    pubs_list_start,
    pubs_list_end,
    pubs_group,
    pubs_entries,
    pub_record,
    pub_entry,
    pub_part,
    pub_paragraph,
    pub_more,
    pub_toggle,
)
