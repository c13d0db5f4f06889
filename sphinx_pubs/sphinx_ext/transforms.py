"""The transforms of the directive's output: at read time, the fix-ups that need the
finished document; when a page is written, the preparation of its entries for the
builder's writer (post-transforms)."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_pubs.sphinx_ext.nodes import pubs_group, pubs_list, pubs_list_end, pubs_list_start
from sphinx_pubs.sphinx_ext.render import prepare_for_html
from sphinx_pubs.sphinx_ext.state import pubs_state
from sphinx_pubs.sphinx_ext.writers import fallback

#: when the entries are prepared: after every post-transform of Sphinx (the last,
#: linkcheck's link collector, runs at 800), so that none of them sees the nodes made
#: here (LaTeX's URL footnotes, for one, would change the entries)
PREPARE_PRIORITY = 900


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


def builder_of(env: Any) -> tuple[str, str]:
    """The name and format of the builder *env* is written by (where Sphinx keeps it,
    as its own post-transforms read it)."""
    builder = getattr(env, "_builder_cls", None) or env.app.builder
    return str(builder.name), str(builder.format)


def interactive(name: str, format: str) -> bool:
    """Whether the builder *name* of *format* writes the entries' HTML (toggles, the
    stylesheet and the scripts), rather than plain nodes."""
    return not fallback.needs_fallback(name, format)


class EntriesForHTML(SphinxPostTransform):
    """Give each entry of an HTML page its view (for the writer) and its words (for
    Sphinx's search index): :func:`~sphinx_pubs.sphinx_ext.render.prepare_for_html`."""

    default_priority = PREPARE_PRIORITY
    formats = ("html",)

    def is_supported(self) -> bool:
        return super().is_supported() and interactive(*builder_of(self.env))

    def run(self, **kwargs: Any) -> None:
        prepare_for_html(self.document, pubs_state(self.env).find)


class PlainEntries(SphinxPostTransform):
    """Replace the sphinx-pubs nodes by standard ones for every other builder (LaTeX,
    text, EPUB, man, Texinfo, ...): :func:`~sphinx_pubs.sphinx_ext.writers.fallback.simplify`."""

    default_priority = PREPARE_PRIORITY

    def is_supported(self) -> bool:
        return not interactive(*builder_of(self.env))

    def run(self, **kwargs: Any) -> None:
        name, _format = builder_of(self.env)
        fallback.simplify(self.document, name, pubs_state(self.env).find)
