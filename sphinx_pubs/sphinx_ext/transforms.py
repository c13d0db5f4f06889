"""Read-time fix-ups of the directive's output that need the finished document."""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform

from sphinx_pubs.sphinx_ext.nodes import pubs_group, pubs_list, pubs_list_end, pubs_list_start


class GroupsOutsideSections(SphinxTransform):
    """Turn year sections that do not stand in a section into rubric-headed groups.

    A section can only live directly in a section or the document (Sphinx's table of
    contents looks nowhere else).  When the directive is used inside a list, an
    admonition or another directive's body, its groups become ``pubs_group`` nodes
    with a rubric heading, wrapped in a ``pubs_list``.  Runs before the table of
    contents is collected.
    """

    default_priority = 200

    def apply(self, **kwargs: object) -> None:
        for start in list(self.document.findall(pubs_list_start)):
            parent = start.parent
            if isinstance(parent, (nodes.section, nodes.document)):
                continue
            index = parent.index(start)
            wrapper = pubs_list(ids=start["ids"], classes=start["classes"])
            wrapper.source, wrapper.line = start.source, start.line
            end = index + 1
            while end < len(parent) and not isinstance(parent[end], pubs_list_end):
                section = parent[end]
                if not isinstance(section, nodes.Element):
                    break
                group = pubs_group(ids=section["ids"], classes=section["classes"])
                title = section.next_node(nodes.title)
                if title is not None:
                    group += nodes.rubric(title.astext(), title.astext(), classes=["pubs-heading"])
                group += [child for child in section.children if child is not title]
                wrapper += group
                end += 1
            parent[index : end + 1] = [wrapper]
