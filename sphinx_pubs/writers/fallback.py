"""Plain docutils nodes for builders that are not interactive HTML.

LaTeX, text, man, texinfo, epub and any third-party builder get the list as standard
nodes every writer knows: a bullet list whose items are a line block (title, authors,
venue, note) followed by the abstract, always shown since paper cannot be clicked.
"""

from __future__ import annotations

from docutils import nodes

from ..nodes import (
    pub_entry,
    pub_more,
    pub_part,
    pub_toggle,
    pubs_entries,
    pubs_group,
    pubs_list,
    pubs_list_end,
    pubs_list_start,
)

#: builders whose format is ``html`` but which get the plain form (e-book readers do
#: not all support ``<details>``)
PLAIN_HTML_BUILDERS = frozenset({"epub"})

#: builders where bold is written as literal ``**`` markers
NO_BOLD_BUILDERS = frozenset({"text", "man"})


def needs_fallback(builder_name: str, builder_format: str) -> bool:
    return builder_format != "html" or builder_name in PLAIN_HTML_BUILDERS


def simplify(doctree: nodes.Node, builder_name: str) -> None:
    """Replace every sphinx-pubs node in *doctree* by standard docutils nodes."""
    bold_titles = builder_name not in NO_BOLD_BUILDERS
    for marker in list(doctree.findall(pubs_list_start)) + list(doctree.findall(pubs_list_end)):
        marker.parent.remove(marker)
    for node in list(doctree.findall(pubs_entries)):
        node.replace_self(_entries(node, bold_titles))
    for wrapper in list(doctree.findall(pubs_group)) + list(doctree.findall(pubs_list)):
        wrapper.replace_self(wrapper.children)


def _entries(node: pubs_entries, bold_titles: bool) -> nodes.bullet_list:
    bullets = nodes.bullet_list(bullet="-", classes=["pubs-entries"])
    for entry in node.findall(pub_entry):
        item = nodes.list_item(ids=entry["ids"], classes=entry["classes"])
        lines = nodes.line_block()
        abstracts: list[nodes.Node] = []
        for child in entry.children:
            if isinstance(child, pub_part):
                if child["part"] == "authors-all":
                    continue
                line = nodes.line()
                content = [_plain_more(c) for c in child.children]
                if child["part"] == "title" and bold_titles:
                    line += nodes.strong("", "", *content)
                else:
                    line += content
                lines += line
            elif isinstance(child, pub_toggle):
                quote = nodes.block_quote(classes=[f"pub-{child['kind']}"])
                for paragraph in child.children:
                    plain = nodes.paragraph()
                    plain += [c.deepcopy() for c in paragraph.children]
                    quote += plain
                abstracts.append(quote)
        item += lines
        item += abstracts
        bullets += item
    return bullets


def _plain_more(node: nodes.Node) -> nodes.Node:
    if isinstance(node, pub_more):
        return nodes.Text(node.astext())
    return node.deepcopy()
