"""Records to docutils nodes, independent of the output format.

The HTML writer (:mod:`sphinx_pubs.writers.html`) gives these nodes their interactive
form; :mod:`sphinx_pubs.writers.fallback` turns them into plain docutils nodes for
every other builder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from docutils import nodes

from . import format as fmt
from .model import Inline, Link, Math, Problem, Publication, RichText, Styled
from .nodes import (
    pub_entry,
    pub_more,
    pub_paragraph,
    pub_part,
    pub_record,
    pub_toggle,
    pubs_entries,
    pubs_group,
    pubs_list,
    pubs_list_end,
    pubs_list_start,
)
from .select import Group

#: URL schemes a link may use; anything else is shown as text.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_url(url: str) -> str | None:
    """*url* when it is an absolute ``http``, ``https`` or ``mailto`` URL, else None."""
    url = url.strip()
    if not url or any(ch in url for ch in "\x00\r\n\t<>\"'` "):
        return None
    scheme = urlsplit(url).scheme.lower()
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


class Renderer:
    """Builds the nodes of one list; ``used_ids`` keeps anchors unique on the page."""

    def __init__(self, options: ListOptions, used_ids: set[str], report: Report) -> None:
        self.options = options
        self.labels = options.labels
        self.used_ids = used_ids
        self.report = report

    # -- ids -------------------------------------------------------------------------
    def unique_id(self, base: str) -> str:
        candidate, number = base, 1
        while candidate in self.used_ids:
            number += 1
            candidate = f"{base}-{number}"
        self.used_ids.add(candidate)
        return candidate

    # -- the list ----------------------------------------------------------------------
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
            node += self.placeholder(record)
        return node

    def placeholder(self, record: Publication) -> pub_record:
        """The read-time stand-in of an entry (see :class:`~sphinx_pubs.nodes.pub_record`).

        Unsafe links are reported now, while the document is read.
        """
        entry_id = self.unique_id(f"pub-{id_safe(record.key)}")
        node = pub_record(ids=[entry_id], record=record, options=self.options)
        for rich in self.shown_text(record):
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

    def shown_text(self, record: Publication) -> list[RichText]:
        """The rich texts an entry shows (title, venue line, note, abstract)."""
        texts = [record.title, fmt.venue_line(record, self.labels.in_word), record.rich("note")]
        if self.options.abstracts != "hidden":
            texts.extend(record.abstract)
        return texts

    # -- one entry ----------------------------------------------------------------------
    def entry(self, record: Publication, entry_id: str) -> pub_entry:
        """The full subtree of one entry, built when the document is written."""
        node = pub_entry(
            ids=[entry_id], classes=["pub", f"pub-type-{id_safe(record.type)}"], key=record.key
        )
        title = record.title or (record.key,)
        node += self.part("title", title, record)
        self.add_authors(node, record, entry_id)
        venue = fmt.venue_line(record, self.labels.in_word)
        if venue:
            node += self.part("venue", venue, record)
        note = record.rich("note")
        if note:
            node += self.part("note", note, record)
        if record.abstract and self.options.abstracts != "hidden":
            # Sphinx's search skips elements of class "no-search"
            toggle = pub_toggle(
                classes=["pub-toggle", "pub-abstract"]
                + ([] if self.options.search_abstracts else ["no-search"]),
                kind="abstract",
                label=self.labels.abstract,
                open=self.options.abstracts == "expanded",
            )
            for paragraph in record.abstract:
                para = pub_paragraph()
                para += self.inline(paragraph, record)
                toggle += para
            node += toggle
        return node

    def part(self, name: str, rich: RichText, record: Publication) -> pub_part:
        node = pub_part(classes=[f"pub-{name}"], part=name)
        node += self.inline(rich, record)
        return node

    def add_authors(self, entry: pub_entry, record: Publication, entry_id: str) -> None:
        line = fmt.author_line(record, self.options.max_authors)
        if line is None:
            return
        labels = self.labels
        names = [p.display for p in line.shown]
        suffix = ""
        if line.role == "editor":
            suffix = ", " + (labels.editors if len(line.everyone) > 1 else labels.editor)
        part = pub_part(classes=["pub-authors"], part="authors")
        if not line.hidden:
            text = fmt.join_names(names, labels.and_word)
            if line.et_al:
                text += " " + labels.et_al
            part += nodes.Text(text + suffix)
            entry += part
            return
        count = len(line.hidden)
        more = labels.more_author if count == 1 else labels.more_authors.format(n=count)
        lead = ", ".join(names) + ("," if len(names) > 1 else "")
        part += nodes.Text(f"{lead} {labels.and_word} ")
        full_id = f"{entry_id}-authors"
        part += pub_more(more, more, target=full_id, classes=["pub-more-authors"])
        if suffix:
            part += nodes.Text(suffix)
        entry += part
        everyone = fmt.join_names([p.display for p in line.everyone], labels.and_word)
        if line.et_al:
            everyone += " " + labels.et_al
        full = pub_part(
            classes=["pub-authors-all"],
            part="authors-all",
            ids=[full_id],
            less=labels.show_fewer,
            back=entry_id,
        )
        full += nodes.Text(everyone + suffix)
        entry += full

    # -- rich text ------------------------------------------------------------------------
    def inline(self, rich: RichText, record: Publication) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for item in rich:
            if isinstance(item, str):
                out.append(nodes.Text(item))
            elif isinstance(item, Math):
                out.append(nodes.math(item.latex, item.latex))
            elif isinstance(item, Link):
                url = safe_url(item.url)
                children = self.inline(item.children, record)
                if url is None:  # reported by placeholder() when the page was read
                    out.extend(children)
                else:
                    ref = nodes.reference("", "", refuri=url, classes=["pub-link"])
                    ref += children
                    out.append(ref)
            elif isinstance(item, Styled):
                out.append(self.styled(item, record))
        return out

    def expand(self, placeholder: pub_record) -> pub_entry:
        """The entry subtree that replaces *placeholder*."""
        return self.entry(placeholder["record"], placeholder["ids"][0])

    def styled(self, item: Styled, record: Publication) -> nodes.Element:
        children = self.inline(item.children, record)
        node: nodes.Element
        if item.style == "emph":
            node = nodes.emphasis()
        elif item.style == "strong":
            node = nodes.strong()
        elif item.style == "code":
            node = nodes.literal()
        elif item.style == "sup":
            node = nodes.superscript()
        elif item.style == "sub":
            node = nodes.subscript()
        else:
            node = nodes.inline(classes=[f"pub-{item.style}"])
        node.extend(children)
        return node


def _walk(rich: RichText) -> Iterator[Inline]:
    """Every inline item of *rich*, nested ones included."""
    for item in rich:
        yield item
        if isinstance(item, (Styled, Link)):
            yield from _walk(item.children)


def expand_entries(doctree: nodes.Node) -> None:
    """Replace every :class:`pub_record` in *doctree* by its :class:`pub_entry`."""
    renderers: dict[int, Renderer] = {}
    for placeholder in list(doctree.findall(pub_record)):
        options: ListOptions = placeholder["options"]
        renderer = renderers.get(id(options))
        if renderer is None:
            renderer = renderers[id(options)] = Renderer(options, set(), _ignore)
        placeholder.replace_self(renderer.expand(placeholder))


def _ignore(problem: Problem) -> None:
    """Problems were reported when the document was read."""
