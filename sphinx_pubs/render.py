"""Records to docutils nodes, independent of the output format.

A list becomes a few structural nodes (:mod:`sphinx_pubs.nodes`) with one
:class:`~sphinx_pubs.nodes.pub_entry` per publication.  An entry node carries its
record and the list's options; what it shows is computed by :func:`entry_view`, which
every writer shares: the HTML writer (:mod:`sphinx_pubs.writers.html`) writes the
view as interactive HTML, and :func:`plain_entry` turns it into standard docutils
nodes for every other builder (:mod:`sphinx_pubs.writers.fallback`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from docutils import nodes

from . import format as fmt
from .model import Inline, Link, Math, Problem, Publication, RichText, Styled, plain
from .nodes import pub_entry, pubs_entries, pubs_group, pubs_list, pubs_list_end, pubs_list_start
from .select import Group

#: URL schemes a link may use; anything else is shown as text.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_url(url: str) -> str | None:
    """*url* when it is an absolute ``http``, ``https`` or ``mailto`` URL, else None."""
    url = url.strip()
    if not url or any(ch in url for ch in "\x00\r\n\t<>\"'` "):
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # "http://[::1", full-width characters that normalise to "/"...
        return None
    return url if scheme in SAFE_SCHEMES else None


def id_safe(text: str) -> str:
    """A citation key as an HTML id fragment (``Smith:2020`` -> ``Smith-2020``)."""
    return _ID_UNSAFE.sub("-", text).strip("-") or "entry"


@dataclass(frozen=True)
class Labels:
    """The words a list shows; the directive fills them in translated."""

    abstract: str = "Abstract"
    in_word: str = "In"
    and_word: str = "and"
    more_author: str = "1 more author"
    more_authors: str = "{n} more authors"
    editor: str = "editor"
    editors: str = "editors"
    et_al: str = "et al."
    show_fewer: str = "show fewer"


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
    labels: Labels = Labels()


Report = Callable[[Problem], None]


# -- what an entry shows ---------------------------------------------------------------
@dataclass(frozen=True)
class AuthorsView:
    """The author line: ``lead``, then (when names are hidden) the label of the
    control that shows ``everyone``, the full line, then ``suffix`` (", editors")."""

    lead: str
    more: str = ""
    everyone: str = ""
    suffix: str = ""

    @property
    def line(self) -> str:
        """The line as shown before anything is expanded."""
        return self.lead + self.more + self.suffix


@dataclass(frozen=True)
class EntryView:
    """Everything one entry shows, in display order, for any writer."""

    id: str
    key: str
    type: str
    title: RichText
    authors: AuthorsView | None
    venue: RichText
    note: RichText
    abstract: tuple[RichText, ...]
    abstract_open: bool
    search_abstract: bool
    labels: Labels

    @property
    def authors_id(self) -> str:
        """The id of the full author list, the target of the "more" control."""
        return f"{self.id}-authors"


def entry_view(record: Publication, options: ListOptions, entry_id: str) -> EntryView:
    labels = options.labels
    abstract = record.abstract if options.abstracts != "hidden" else ()
    return EntryView(
        id=entry_id,
        key=record.key,
        type=id_safe(record.type),
        title=record.title or (record.key,),
        authors=_authors(record, options),
        venue=fmt.venue_line(record, labels.in_word),
        note=record.rich("note"),
        abstract=abstract,
        abstract_open=options.abstracts == "expanded",
        search_abstract=options.search_abstracts,
        labels=labels,
    )


def _authors(record: Publication, options: ListOptions) -> AuthorsView | None:
    line = fmt.author_line(record, options.max_authors)
    if line is None:
        return None
    labels = options.labels
    suffix = ""
    if line.role == "editor":
        suffix = ", " + (labels.editors if len(line.everyone) > 1 else labels.editor)
    et_al = " " + labels.et_al if line.et_al else ""
    names = [p.display for p in line.shown]
    if not line.hidden:
        return AuthorsView(fmt.join_names(names, labels.and_word) + et_al, suffix=suffix)
    count = len(line.hidden)
    more = labels.more_author if count == 1 else labels.more_authors.format(n=count)
    lead = ", ".join(names) + ("," if len(names) > 1 else "") + f" {labels.and_word} "
    everyone = fmt.join_names([p.display for p in line.everyone], labels.and_word) + et_al
    return AuthorsView(lead, more, everyone, suffix)


def search_text(view: EntryView) -> str:
    """The words of an entry for Sphinx's search index."""
    parts = [plain(view.title)]
    if view.authors:
        parts.append(view.authors.everyone or view.authors.lead)
        parts.append(view.authors.suffix)
    parts += [plain(view.venue), plain(view.note)]
    if view.search_abstract:
        parts += [plain(paragraph) for paragraph in view.abstract]
    return " ".join(part for part in parts if part)


# -- the list, at read time --------------------------------------------------------------
class Renderer:
    """Builds the nodes of one list; ``used_ids`` keeps anchors unique on the page."""

    def __init__(
        self,
        options: ListOptions,
        used_ids: set[str],
        report: Report,
        carried: frozenset[int] | set[int] = frozenset(),
    ) -> None:
        self.options = options
        self.used_ids = used_ids
        self.report = report
        #: ids of records that are not in the cache of parsed files (see view_of)
        self.carried = carried

    def unique_id(self, base: str) -> str:
        candidate, number = base, 1
        while candidate in self.used_ids:
            number += 1
            candidate = f"{base}-{number}"
        self.used_ids.add(candidate)
        return candidate

    def render(self, groups: Sequence[Group], classes: Sequence[str] = ()) -> list[nodes.Node]:
        list_id = self.unique_id("pubs")
        if self.options.headings == "section":
            start = pubs_list_start(ids=[list_id], classes=["pubs", *classes])
            body: list[nodes.Node] = [start]
            for group in groups:
                section = nodes.section(
                    ids=[self.unique_id(f"pubs-{group.slug}")], classes=["pubs-group"]
                )
                section += nodes.title(group.label, group.label)
                section += self.entries(group)
                body.append(section)
            body.append(pubs_list_end())
            return body
        container = pubs_list(ids=[list_id], classes=["pubs", *classes])
        for group in groups:
            node = pubs_group(ids=[self.unique_id(f"pubs-{group.slug}")], classes=["pubs-group"])
            if self.options.headings == "rubric":
                node += nodes.rubric(group.label, group.label, classes=["pubs-heading"])
            node += self.entries(group)
            container += node
        return [container]

    def entries(self, group: Group) -> pubs_entries:
        node = pubs_entries(classes=["pubs-entries"])
        for record in group.records:
            node += self.entry(record)
        return node

    def entry(self, record: Publication) -> pub_entry:
        """The node of one entry: it names its record and holds the list's options;
        its children are the entry's math (so that the page loads a math renderer).
        Unsafe links are reported now, while the page is read."""
        entry_id = self.unique_id(f"pub-{id_safe(record.key)}")
        # the full author list's id (pub-<key>-authors) must be free too
        while f"{entry_id}-authors" in self.used_ids:
            entry_id = self.unique_id(f"pub-{id_safe(record.key)}")
        self.used_ids.add(f"{entry_id}-authors")
        node = pub_entry(
            ids=[entry_id], key=record.key, bibfile=record.source.path, options=self.options
        )
        if id(record) in self.carried:
            node["record"] = record
        abstract = record.abstract if self.options.abstracts != "hidden" else ()
        for rich in (*record.text.values(), *abstract):  # the title is among the texts
            for item in _walk(rich):
                if isinstance(item, Math):
                    node += nodes.math(item.latex, item.latex)
                elif isinstance(item, Link) and safe_url(item.url) is None:
                    self.report(
                        Problem(
                            record.source,
                            f"entry {record.key!r}: link {item.url!r} dropped (only http, "
                            "https and mailto links are allowed)",
                            "link",
                        )
                    )
        return node


def view_of(node: pub_entry, find: Callable[[str, str], Publication]) -> EntryView:
    """What *node* shows; *find* gives the record for a file path and a key."""
    view: EntryView | None = node.get("view")
    if view is None:
        record = node.get("record") or find(node["bibfile"], node["key"])
        view = entry_view(record, node["options"], node["ids"][0])
    return view


def prepare_for_html(doctree: nodes.Node, find: Callable[[str, str], Publication]) -> None:
    """Before an HTML page is written: give each entry its view (for the writer) and
    its words (for Sphinx's search index, which reads the page's text nodes)."""
    for node in doctree.findall(pub_entry):
        view = view_of(node, find)
        node["view"] = view
        node.insert(0, nodes.Text(search_text(view)))


def _walk(rich: RichText) -> Iterator[Inline]:
    """Every inline item of *rich*, nested ones included."""
    for item in rich:
        yield item
        if isinstance(item, (Styled, Link)):
            yield from _walk(item.children)


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
            out.append(nodes.math(item.latex, item.latex))
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


# -- the printed form ------------------------------------------------------------------
def plain_entry(view: EntryView, bold_title: bool = True) -> nodes.list_item:
    """An entry as standard nodes, for builders that cannot click: a line block
    (title, authors, venue, note) and the abstract, always shown, in a quote."""
    item = nodes.list_item(ids=[view.id], classes=["pub", f"pub-type-{view.type}"])
    lines = nodes.line_block()
    title = inline_nodes(view.title)
    lines += nodes.line("", "", *([nodes.strong("", "", *title)] if bold_title else title))
    if view.authors:
        lines += nodes.line("", "", nodes.Text(view.authors.line))
    for rich in (view.venue, view.note):
        if rich:
            lines += nodes.line("", "", *inline_nodes(rich))
    item += lines
    if view.abstract:
        quote = nodes.block_quote(classes=["pub-abstract"])
        for paragraph in view.abstract:
            quote += nodes.paragraph("", "", *inline_nodes(paragraph))
        item += quote
    return item
