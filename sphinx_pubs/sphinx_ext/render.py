"""Lists and entry views to docutils nodes, independent of the output format.

A list becomes a few structural nodes (:mod:`sphinx_pubs.sphinx_ext.nodes`) with one
:class:`~sphinx_pubs.sphinx_ext.nodes.pub_entry` per publication (:class:`Renderer`).  An
entry node names its record (and carries it only when the cache of parsed files does
not hold it: :func:`~sphinx_pubs.sphinx_ext.nodes.entry_record`) and holds the list's
options; what it shows is :func:`sphinx_pubs.view.entry.entry_view`, which every writer
shares: the HTML writer (:mod:`sphinx_pubs.sphinx_ext.writers.html`) writes the view as
interactive HTML, and :mod:`sphinx_pubs.sphinx_ext.writers.fallback` turns it into
standard docutils nodes for every other builder; both write rich text with
:func:`inline_nodes`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from docutils import nodes

from sphinx_pubs.core.markup import walk
from sphinx_pubs.core.model import Link, Math, Problem, Publication, RichText
from sphinx_pubs.select.group import Group
from sphinx_pubs.sphinx_ext.nodes import (
    Find,
    entry_record,
    pub_entry,
    pubs_entries,
    pubs_group,
    pubs_list,
    pubs_list_end,
    pubs_list_start,
)
from sphinx_pubs.vet import vet_entry
from sphinx_pubs.view.entry import (
    EntryView,
    entry_view,
    id_safe,
    search_text,
    shows_bibtex,
)
from sphinx_pubs.view.links import LinkValue, safe_url
from sphinx_pubs.view.options import ListOptions

#: Classes that tell MathJax (``mathjax_ignore``: versions 3 and 4, ``tex2jax_ignore``:
#: version 2) not to look for math in an element's text, where entry text could spell
#: "\(\href{javascript:...}\)" as plain text.
IGNORE_CLASSES = ("mathjax_ignore", "tex2jax_ignore")
#: Classes of every list: closed to MathJax.
LIST_CLASSES = ("pubs", *IGNORE_CLASSES)
#: Classes of the list's real math, which MathJax typesets.
MATH_CLASSES = ("mathjax_process", "tex2jax_process")

#: The characters every math delimiter starts with: ``\(``, ``\[``, ``\begin{``,
#: ``\ref{`` (MathJax, KaTeX's auto-render) and ``$``, ``$$`` (when a site or
#: sphinx-math-dollar turns them on).  Every command of TeX math starts with ``\``.
_DELIMITER_START = re.compile(r"[\\$]")
#: what follows each of them in text written as HTML: U+2060 WORD JOINER, which shows
#: nothing and survives tag stripping, and an empty element, which ends the run of
#: text MathJax (2, 3, 4) and KaTeX's auto-render look for delimiters in
_INERT_HTML = "\u2060<span></span>"


def inert_nodes(text: str) -> list[nodes.Node]:
    """*text* as docutils nodes in which no math delimiter can be found: each ``\\``
    and ``$`` ends a text node, and an empty inline node stands after it.  MathJax and
    KaTeX's auto-render look for delimiters in one text node (MathJax 3 and 4: one
    run of text between elements) at a time, so ``\\(``, ``$$`` or ``$x$`` are never
    found, while the text shows unchanged, in every output format (the empty node
    writes nothing) and in ``astext()``.  For entry text in headings, tables of
    contents and references: places that are not inside a list (LIST_CLASSES)."""
    out: list[nodes.Node] = []
    start = 0
    for m in _DELIMITER_START.finditer(text):
        out.append(nodes.Text(text[start : m.end()]))
        out.append(nodes.inline())
        start = m.end()
    if start < len(text) or not out:
        out.append(nodes.Text(text[start:]))
    return out


def make_inert(node: nodes.Element) -> nodes.Element:
    """*node* with the text of its descendants split by :func:`inert_nodes`, except in
    math (vetted by the LaTeX decoder and marked MATH_CLASSES): in place."""
    for text in list(node.findall(nodes.Text)):
        parent = text.parent
        if parent is None or any(isinstance(up, nodes.math) for up in _ancestors(text)):
            continue
        pieces = inert_nodes(str(text))
        if len(pieces) > 1:
            index = parent.index(text)
            parent[index : index + 1] = pieces
    return node


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    parent = node.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found


def inert_html(text: str) -> str:
    """Plain *text* as HTML in which no math delimiter can be found (see
    :func:`inert_nodes`), for template values that themes write into the page
    (``title``, ``parents``): escaped, each ``\\`` and ``$`` followed by a word joiner
    (which ``striptags`` keeps) and an empty element."""
    return _DELIMITER_START.sub(lambda m: m.group() + _INERT_HTML, html.escape(text))


def inert_text(text: str) -> str:
    """Plain *text* in which no math delimiter can be found, for text that leaves the
    site and is shown as plain text elsewhere (the inventory's display names, which
    other projects' intersphinx links show, on pages that may load MathJax with ``$``
    as a delimiter): each ``\\`` followed by a word joiner, each ``$`` written as the
    full-width dollar sign, which no math renderer reads as a delimiter."""
    return text.replace("\\", "\\\u2060").replace("$", "\uff04")


Report = Callable[[Problem], None]


# -- the list, at read time --------------------------------------------------------------
class Renderer:
    """Builds the nodes of one list; ``used_ids`` keeps anchors unique on the page."""

    def __init__(
        self,
        options: ListOptions,
        used_ids: set[str],
        report: Report,
        carried: frozenset[int] | set[int] = frozenset(),
        add_download: Callable[..., str | None] | None = None,
    ) -> None:
        self.options = options
        self.used_ids = used_ids
        self.report = report
        #: copies a project file into the build: (record, field, path) -> the copy's
        #: name, or None (and a warning) when the file cannot be used
        self.add_download = add_download
        #: ids of records that are not in the cache of parsed files (see view_of)
        self.carried = carried
        self.number = self.step = 0
        #: base -> the last number unique_id tried for it (1: the base itself)
        self.tried: dict[str, int] = {}

    def unique_id(self, base: str) -> str:
        """*base*, else the first free one of *base*-2, *base*-3, ...

        Ids are only ever added to ``used_ids``, so the numbers found taken for a base
        stay taken: the search goes on from the last one (``self.tried``), and asking
        n times for one base (8,000 keywords that all slug to "group") is linear.
        """
        number = self.tried.get(base, 1)
        candidate = base if number == 1 else f"{base}-{number}"
        while candidate in self.used_ids:
            number += 1
            candidate = f"{base}-{number}"
        self.tried[base] = number
        self.used_ids.add(candidate)
        return candidate

    def render(self, groups: Sequence[Group], classes: Sequence[str] = ()) -> list[nodes.Node]:
        list_id = self.unique_id("pubs")
        total = sum(len(group.records) for group in groups)
        # the number of the next entry, and the step to the one after
        self.number, self.step = {"up": (1, 1), "down": (total, -1)}.get(
            self.options.numbering, (0, 0)
        )
        if self.options.headings == "section":
            start = pubs_list_start(ids=[list_id], classes=[*LIST_CLASSES, *classes])
            self.offer_downloads(start)
            self.offer_search(start, groups)
            body: list[nodes.Node] = [start]
            for group in groups:
                section = nodes.section(
                    ids=[self.unique_id(f"pubs-{group.slug}")], classes=["pubs-group"]
                )
                # the label goes into the page's table of contents, which themes
                # show outside the list (and so outside LIST_CLASSES)
                section += nodes.title(group.label, "", *inert_nodes(group.label))
                section += self.entries(group)
                body.append(section)
            body.append(pubs_list_end())
            return body
        container = pubs_list(ids=[list_id], classes=[*LIST_CLASSES, *classes])
        self.offer_downloads(container)
        self.offer_search(container, groups)
        for group in groups:
            node = pubs_group(ids=[self.unique_id(f"pubs-{group.slug}")], classes=["pubs-group"])
            if self.options.headings == "rubric":
                node += nodes.rubric(
                    group.label, "", *inert_nodes(group.label), classes=["pubs-heading"]
                )
            node += self.entries(group)
            container += node
        return [container]

    def offer_search(self, node: nodes.Element, groups: Sequence[Group]) -> None:
        """Have the HTML writer mark the list for the search box, with the names of
        its entry types (for the type facet; the entries' classes hold the types)."""
        if not self.options.search:
            return
        names = dict(self.options.type_names)
        present = sorted({record.type for group in groups for record in group.records})
        node["search"] = {
            "facets": list(self.options.facets),
            "types": {id_safe(kind): names.get(kind, kind.capitalize()) for kind in present},
        }
        node["labels"] = self.options.labels

    def offer_downloads(self, node: nodes.Element) -> None:
        """Have the HTML writer offer the list's entries as files (see
        :func:`sphinx_pubs.sphinx_ext.writers.html.write_downloads`)."""
        if self.options.downloads:
            node["downloads"] = list(self.options.downloads)
            node["labels"] = self.options.labels

    def entries(self, group: Group) -> pubs_entries:
        classes = ["pubs-entries"]
        if self.step:
            classes.append("pubs-numbered")
        node = pubs_entries(classes=classes)
        for record in group.records:
            entry = self.entry(record)
            if self.step:
                entry["number"] = self.number
                self.number += self.step
            node += entry
        return node

    def entry(self, record: Publication) -> pub_entry:
        """The node of one entry: it names its record (see :func:`entry_record`) and
        holds the list's options; its children are the entry's math (so that the page
        loads a math renderer).  Unsafe links are reported now, while the page is
        read, and the project files the links name are copied."""
        node = pub_entry(
            ids=[self.entry_id(record)],
            key=record.key,
            bibfile=record.source.path,
            options=self.options,
        )
        if id(record) in self.carried:
            node["record"] = record
        node += _math_nodes(record, self.options)
        links = self.check(record)
        downloads = self.copy_files(record, links)
        if downloads:
            node["downloads"] = downloads
        return node

    def entry_id(self, record: Publication) -> str:
        """A free ``pub-<key>`` id whose full author list's id (``pub-<key>-authors``)
        is free too; both are taken."""
        entry_id = self.unique_id(f"pub-{id_safe(record.key)}")
        while f"{entry_id}-authors" in self.used_ids:
            entry_id = self.unique_id(f"pub-{id_safe(record.key)}")
        self.used_ids.add(f"{entry_id}-authors")
        return entry_id

    def check(self, record: Publication) -> list[LinkValue]:
        """Report the problems of *record* (:func:`sphinx_pubs.vet.vet_entry`, the same
        checks as ``python -m sphinx_pubs check``); the links."""
        bibtex = "bib" in self.options.downloads or shows_bibtex(record, self.options)
        links, problems = vet_entry(
            record,
            dict(self.options.link_fields),
            self.options.abstracts != "hidden",
            self.options.bibtex_hidden - {"abstract"} if bibtex else None,
        )
        for problem in problems:
            self.report(problem)
        return links

    def copy_files(self, record: Publication, links: list[LinkValue]) -> dict[str, str]:
        """Have the build copy the project files that *links* name: link field -> the
        name of the copy."""
        downloads = {}
        for link in links:
            if link.path is not None and self.add_download is not None:
                name = self.add_download(record, link.field, link.path, link.read)
                if name is not None:
                    downloads[link.field] = name
        return downloads


def _math_nodes(record: Publication, options: ListOptions) -> list[nodes.Node]:
    """A ``math`` node per formula the entry shows (the title is among its texts)."""
    abstract = record.abstract if options.abstracts != "hidden" else ()
    return [
        nodes.math(item.latex, item.latex)
        for rich in (*record.text.values(), *abstract)
        for item in walk(rich)
        if isinstance(item, Math)
    ]


def view_of(node: pub_entry, find: Find) -> EntryView:
    """What *node* shows: the view it was given before the page is written, else
    the view of its record (:func:`entry_record`, looked up with *find*)."""
    view: EntryView | None = node.get("view")
    if view is None:
        view = entry_view(
            entry_record(node, find),
            node["options"],
            node["ids"][0],
            node.get("downloads"),
            node.get("number", 0),
        )
        if node.get("paper"):
            view = replace(view, paper=node["paper"])
        if node.get("hide_title"):  # a paper page: the title is the page's heading
            view = replace(view, title=())
    return view


def prepare_for_html(doctree: nodes.Node, find: Find) -> None:
    """Before an HTML page is written: give each entry its view (for the writer) and
    its words (for Sphinx's search index, which reads the page's text nodes)."""
    for node in doctree.findall(pub_entry):
        view = view_of(node, find)
        node["view"] = view
        node.insert(0, nodes.Text(search_text(view)))


# -- rich text ---------------------------------------------------------------------------
_STYLE_NODES: dict[str, type[nodes.TextElement]] = {
    "emph": nodes.emphasis,
    "strong": nodes.strong,
    "code": nodes.literal,
    "sup": nodes.superscript,
    "sub": nodes.subscript,
}


def inline_nodes(rich: RichText) -> list[nodes.Node]:
    """Docutils inline nodes for *rich*; unsafe links become their text (they were
    reported when the page was read)."""
    out: list[nodes.Node] = []
    for item in rich:
        if isinstance(item, str):
            out.append(nodes.Text(item))
        elif isinstance(item, Math):
            # the list is closed to MathJax (see LIST_CLASSES); real math opens it
            out.append(nodes.math(item.latex, item.latex, classes=list(MATH_CLASSES)))
        elif isinstance(item, Link):
            children = inline_nodes(item.children)
            url = safe_url(item.url)
            if url is None:
                out.extend(children)
            else:
                out.append(nodes.reference("", "", *children, refuri=url, classes=["pub-link"]))
        else:
            style = _STYLE_NODES.get(item.style)
            if style is None:
                out.append(
                    nodes.inline(
                        "", "", *inline_nodes(item.children), classes=[f"pub-{item.style}"]
                    )
                )
            else:
                out.append(style("", "", *inline_nodes(item.children)))
    return out
