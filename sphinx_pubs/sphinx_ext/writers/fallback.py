"""Plain docutils nodes for builders that are not interactive HTML.

LaTeX, text, man, texinfo, epub and any third-party builder get the list as standard
nodes every writer knows: a bullet list whose items are a line block (title, authors,
venue, note) followed by the abstract, always shown since paper cannot be clicked.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from docutils import nodes

from sphinx_pubs.core.latex.math_symbols import MATH_COMMAND_OF
from sphinx_pubs.core.model import Publication
from sphinx_pubs.sphinx_ext.nodes import (
    pub_entry,
    pubs_entries,
    pubs_group,
    pubs_list,
    pubs_list_end,
    pubs_list_start,
)
from sphinx_pubs.sphinx_ext.render import inline_nodes, view_of
from sphinx_pubs.view.authors import Pieces
from sphinx_pubs.view.entry import EntryView, LinkButton
from sphinx_pubs.view.links import safe_url

#: builders whose format is ``html`` but which get the plain form (e-book readers do
#: not all support ``<details>``)
PLAIN_HTML_BUILDERS = frozenset({"epub"})

#: builders where bold is written as literal ``**`` markers
NO_BOLD_BUILDERS = frozenset({"text", "man"})


_MATH_SYMBOL = re.compile("[" + re.escape("".join(MATH_COMMAND_OF)) + "]")


def math_symbols_as_math(node: nodes.Element) -> None:
    """Write the math symbols of the text in *node* (``≪``, from ``$\\ll$`` or typed
    so) as math, which pdflatex can typeset where it has no glyph for the character."""
    for text in list(node.findall(nodes.Text)):
        if isinstance(text.parent, (nodes.math, nodes.literal_block, nodes.raw)):
            continue
        value = str(text)
        if not _MATH_SYMBOL.search(value):
            continue
        parts: list[nodes.Node] = []
        last = 0
        for m in _MATH_SYMBOL.finditer(value):
            if m.start() > last:
                parts.append(nodes.Text(value[last : m.start()]))
            command = MATH_COMMAND_OF[m.group()]
            parts.append(nodes.math(command, command))
            last = m.end()
        if last < len(value):
            parts.append(nodes.Text(value[last:]))
        text.parent.replace(text, parts)


def needs_fallback(builder_name: str, builder_format: str) -> bool:
    return builder_format != "html" or builder_name in PLAIN_HTML_BUILDERS


def simplify(
    doctree: nodes.Node, builder_name: str, find: Callable[[str, str], Publication]
) -> None:
    """Replace every sphinx-pubs node in *doctree* by standard docutils nodes.

    *find* gives the record of an entry from its file path and key.
    """
    bold_title = builder_name not in NO_BOLD_BUILDERS
    markers: list[nodes.Element] = [
        *doctree.findall(pubs_list_start),
        *doctree.findall(pubs_list_end),
    ]
    for marker in markers:
        marker.parent.remove(marker)
    for entries in list(doctree.findall(pubs_entries)):
        bullets = nodes.bullet_list(bullet="-", classes=["pubs-entries"])
        for entry in entries.findall(pub_entry):
            bullets += plain_entry(view_of(entry, find), bold_title)
        if builder_name == "latex":
            math_symbols_as_math(bullets)
        entries.replace_self(bullets)
    wrappers: list[nodes.Element] = [*doctree.findall(pubs_group), *doctree.findall(pubs_list)]
    for wrapper in wrappers:
        wrapper["ids"] = []  # the anchors of HTML groups; paper has the entries' own
        if wrapper.children:
            wrapper.replace_self(wrapper.children)
        else:
            wrapper.parent.remove(wrapper)


def _name_nodes(pieces: Pieces) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(nodes.Text(piece))
            continue
        name: nodes.Node = nodes.Text(piece.name)
        if piece.url and safe_url(piece.url):
            name = nodes.reference("", "", name, refuri=piece.url)
        if piece.own:
            name = nodes.strong("", "", name, classes=["pub-author-self"])
        out.append(name)
        if piece.mark:
            out.append(nodes.superscript(piece.mark, piece.mark))
    return out


def plain_entry(view: EntryView, bold_title: bool = True) -> nodes.list_item:
    """An entry as standard nodes, for builders that cannot click: a line block
    (title, authors, venue, note, award, web links) and the abstract, always shown,
    in a quote."""
    item = nodes.list_item(ids=[view.id], classes=["pub", f"pub-type-{view.type}"])
    lines = nodes.line_block()
    lines += _title_line(view, bold_title)
    if view.authors:
        lines += nodes.line(
            "",
            "",
            *_name_nodes(view.authors.lead),
            nodes.Text(view.authors.more + view.authors.suffix),
        )
    for rich in (view.annotation, view.venue, view.note):
        if rich:
            lines += nodes.line("", "", *inline_nodes(rich))
    if view.award:
        name = view.award_name or (view.labels.award,)
        lines += nodes.line(
            "", "", *inline_nodes(name), nodes.Text(": "), *inline_nodes(view.award)
        )
    links = _links_line(view)
    if links is not None:
        lines += links
    item += lines
    if view.abstract:
        quote = nodes.block_quote(classes=["pub-abstract"])
        for paragraph in view.abstract:
            quote += nodes.paragraph("", "", *inline_nodes(paragraph))
        item += quote
    if view.bibtex:
        item += nodes.literal_block(
            view.bibtex, view.bibtex, classes=["pub-bibtex"], language="bibtex"
        )
    return item


def _title_line(view: EntryView, bold_title: bool) -> nodes.line:
    """The first line, "[number] [badge] title"; the title in bold unless the
    builder cannot."""
    title = inline_nodes(view.title)
    badge = view.badge
    shown = [nodes.Text("["), *inline_nodes(badge.text), nodes.Text("] ")] if badge else []
    number = [nodes.Text(f"[{view.number}] ")] if view.number else []
    return nodes.line(
        "", "", *number, *shown, *([nodes.strong("", "", *title)] if bold_title else title)
    )


def _links_line(view: EntryView) -> nodes.line | None:
    """The web links as "DOI: https://..." (paper shows the address); copied files
    have no address outside the HTML site."""
    links = [
        button for button in view.buttons if isinstance(button, LinkButton) and button.href.url
    ]
    if not links:
        return None
    line = nodes.line(classes=["pub-links"])
    for index, button in enumerate(links):
        if index:
            line += nodes.Text(" · ")
        line += nodes.Text(f"{button.label}: ")
        line += nodes.reference(button.href.url, button.href.url, refuri=button.href.url)
    return line
