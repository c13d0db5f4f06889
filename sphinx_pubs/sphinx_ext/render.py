"""Records to docutils nodes, independent of the output format.

A list becomes a few structural nodes (:mod:`sphinx_pubs.sphinx_ext.nodes`) with one
:class:`~sphinx_pubs.sphinx_ext.nodes.pub_entry` per publication.  An entry node carries its
record and the list's options; what it shows is computed by :func:`entry_view`, which
every writer shares: the HTML writer (:mod:`sphinx_pubs.sphinx_ext.writers.html`) writes the
view as interactive HTML, and :func:`plain_entry` turns it into standard docutils
nodes for every other builder (:mod:`sphinx_pubs.sphinx_ext.writers.fallback`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from docutils import nodes

from sphinx_pubs.core.model import (
    Link,
    Math,
    Person,
    Problem,
    Publication,
    RichText,
    key_slug,
    plain,
)
from sphinx_pubs.core.names import NameKey, key_of, matches, split_mark
from sphinx_pubs.export import entry_bibtex
from sphinx_pubs.select.group import Group
from sphinx_pubs.select.query import keywords_of
from sphinx_pubs.sphinx_ext.nodes import (
    pub_entry,
    pubs_entries,
    pubs_group,
    pubs_list,
    pubs_list_end,
    pubs_list_start,
)
from sphinx_pubs.vet import vet_entry
from sphinx_pubs.view import format as fmt
from sphinx_pubs.view.links import (
    DEFAULT_BIBTEX_HIDDEN,
    LINK_FIELDS,
    LinkValue,
    classify,
    entry_links,
    is_true,
    safe_url,
    walk,
)

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


def id_safe(text: str) -> str:
    """A citation key (or an entry type) as an HTML id fragment (``Smith:2020`` ->
    ``Smith-2020``): :func:`sphinx_pubs.core.model.key_slug`."""
    return key_slug(text)


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


Report = Callable[[Problem], None]


# -- what an entry shows ---------------------------------------------------------------
@dataclass(frozen=True)
class NameView:
    """One author as shown: the name, its marks (``*``, ``†`` ...: superscripts),
    whether it is one of the site's owners, and its homepage."""

    name: str
    mark: str = ""
    own: bool = False
    url: str = ""

    def __str__(self) -> str:
        return self.name + self.mark


#: names and the separators between them ("A", ", ", "B", ", and ", "C")
Pieces = tuple[str | NameView, ...]


def plain_pieces(pieces: Pieces) -> str:
    return "".join(str(piece) for piece in pieces)


@dataclass(frozen=True)
class AuthorsView:
    """The author line: ``lead``, then (when names are hidden) the label of the
    control that shows ``everyone``, the full line, then ``suffix`` (", editors")."""

    lead: Pieces
    more: str = ""
    everyone: Pieces = ()
    suffix: str = ""

    @property
    def line(self) -> str:
        """The line as shown before anything is expanded."""
        return plain_pieces(self.lead) + self.more + self.suffix


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
    #: the row under the venue line, in order: ("abstract",), ("bibtex",) for the
    #: toggles, and links as ("link", field, label, url or "", download name or "")
    buttons: tuple[tuple[str, ...], ...] = ()
    #: the entry's BibTeX when it shows it, else ""
    bibtex: str = ""
    #: selected = {true}
    selected: bool = False
    #: the venue badge (abbr) and, from pubs_venues, its link and colour
    badge: RichText = ()
    badge_url: str = ""
    badge_color: str = ""
    #: the title's link (pubs_title_link): ("", url) or (download name, "")
    title_link: tuple[str, str] = ("", "")
    #: award (the text behind the award toggle) and award_name (its label)
    award: RichText = ()
    award_name: RichText = ()
    #: annotation: a note on the author line
    annotation: RichText = ()
    #: the thumbnail: (download name, "") for a project file or ("", url)
    preview: tuple[str, str] = ("", "")
    #: the entry's number in a numbered list, else 0
    number: int = 0
    #: the page of the paper (pubs_paper_pages) the title links to, else ""
    paper: str = ""
    #: what a search box filters on besides the text shown: (name, value) pairs
    #: written as data- attributes (year, keywords)
    data: tuple[tuple[str, str], ...] = ()

    @property
    def authors_id(self) -> str:
        """The id of the full author list, the target of the "more" control."""
        return f"{self.id}-authors"


def _shows_bibtex(record: Publication, options: ListOptions) -> bool:
    return options.bibtex == "all" or (
        options.bibtex == "marked" and is_true(record.fields.get("bibtex_show", ""))
    )


#: where the toggles stand among the link buttons (al-folio's order)
_ABSTRACT_BEFORE = "doi"
_BIBTEX_BEFORE = "html"


def entry_view(
    record: Publication,
    options: ListOptions,
    entry_id: str,
    downloads: dict[str, str] | None = None,
    number: int = 0,
) -> EntryView:
    """What an entry shows.  *downloads* maps a link field whose value is a project
    file to the name the build copied it under (see :meth:`Renderer.entry`)."""
    labels = options.labels
    abstract = record.abstract if options.abstracts != "hidden" else ()
    show_bibtex = _shows_bibtex(record, options)
    links, _ = entry_links(record, dict(options.link_fields), dict(labels.buttons))
    buttons: list[tuple[str, ...]] = []
    order = [field for field, _ in LINK_FIELDS] + [field for field, _ in options.link_fields]
    for link in links:
        url = link.url
        if url is None and (downloads is None or link.field not in downloads):
            if link.web is None:
                continue  # a missing file, reported when the page was read
            url = link.web  # example.org/page, no such project file: the web address
        buttons.append(
            ("link", link.field, link.label, url or "", (downloads or {}).get(link.field, ""))
        )
    position = {field: index for index, field in enumerate(order)}
    if record.rich("award"):
        buttons.append(("award",))
    if abstract:
        buttons.append(("abstract",))
    if show_bibtex:
        buttons.append(("bibtex",))

    def rank(button: tuple[str, ...]) -> tuple[int, int]:
        if button[0] == "award":
            return (-1, 0)  # first, as on al-folio
        if button[0] == "link":
            return (position.get(button[1], len(order)), 1)
        before = _ABSTRACT_BEFORE if button[0] == "abstract" else _BIBTEX_BEFORE
        return (position[before], 0)

    buttons.sort(key=rank)
    badge = record.rich("abbr")
    venue = next((v for v in options.venues if v[0] == plain(badge)), ("", "", ""))
    title_link = ("", "")
    for button in buttons:
        if button[0] == "link" and button[1] == options.title_link:
            title_link = (button[4], button[3])
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
        buttons=tuple(buttons),
        bibtex=entry_bibtex(record, options.bibtex_hidden) if show_bibtex else "",
        selected=is_true(record.fields.get("selected", "")),
        badge=badge,
        badge_url=venue[1],
        badge_color=venue[2],
        title_link=title_link,
        award=record.rich("award"),
        award_name=record.rich("award_name"),
        annotation=record.rich("annotation"),
        preview=_preview(record, downloads),
        number=number,
        data=_search_data(record) if options.search else (),
    )


def _search_data(record: Publication) -> tuple[tuple[str, str], ...]:
    """The year and keywords of an entry, for the search box and its facets."""
    words = keywords_of(record)
    data = [("year", str(record.year) if record.year is not None else "")]
    if words:
        data.append(("keywords", ", ".join(words)))
    return tuple(data)


def _preview(record: Publication, downloads: dict[str, str] | None) -> tuple[str, str]:
    value = record.fields.get("preview", "").strip()
    if not value:
        return ("", "")
    if downloads and "preview" in downloads:
        return (downloads["preview"], "")
    image = classify("preview", "Preview", value)
    return ("", image.url or image.web or "") if isinstance(image, LinkValue) else ("", "")


def _authors(record: Publication, options: ListOptions) -> AuthorsView | None:
    line = fmt.author_line(record, options.max_authors)
    if line is None:
        return None
    labels = options.labels
    suffix = ""
    if line.role == "editor":
        suffix = ", " + (labels.editors if len(line.everyone) > 1 else labels.editor)
    shown = [_name(person, options) for person in line.shown]
    if not line.hidden:
        return AuthorsView(_listed(shown, labels, line.et_al), suffix=suffix)
    hidden = [_name(person, options) for person in line.hidden]
    everyone = shown + hidden
    lead: list[str | NameView] = []
    for index, name in enumerate(shown):
        lead += [", "] if index else []
        lead.append(name)
    # the site's owners stay in sight when the cut would hide them (al-folio #701):
    # "A, B, C, …, Owner, and 12 more authors"; "…" marks names left out before them
    follows = 0  # the index in hidden of the name that follows the last one shown
    kept = 0
    for index, name in enumerate(hidden):
        if name.own:
            lead += [", " if index == follows else ", …, ", name]
            follows = index + 1
            kept += 1
    count = len(hidden) - kept
    if not count:  # the owners were the names the cut left out
        return AuthorsView(_listed(everyone, labels, line.et_al), suffix=suffix)
    more = (
        labels.more_author
        if count == 1
        else fmt.fill(labels.more_authors, Labels.more_authors, n=count)
    )
    lead.append(("," if len(lead) > 1 else "") + f" {labels.and_word} ")
    return AuthorsView(tuple(lead), more, _listed(everyone, labels, line.et_al), suffix)


def _listed(names: list[NameView], labels: Labels, et_al: bool) -> tuple[str | NameView, ...]:
    """ "A, B, and C"; a list that ended in BibTeX's "and others" is "A, B, C, et al."
    ("A et al." for one name): the last name named is not the last author."""
    if not et_al:
        return tuple(_joined(names, labels.and_word))
    out: list[str | NameView] = []
    for index, name in enumerate(names):
        out += [", "] if index else []
        out.append(name)
    return (*out, (", " if len(names) > 1 else " ") + labels.et_al)


def _name(person: Person, options: ListOptions) -> NameView:
    person, mark = split_mark(person)
    if not options.highlight and not options.author_links:
        return NameView(person.display, mark)  # nothing to match the name against
    key = key_of(person)
    own = any(matches(key, wanted) for wanted in options.highlight)
    url = next((url for wanted, url in options.author_links if matches(key, wanted)), "")
    return NameView(person.display, mark, own, url)


def _joined(names: list[NameView], conj: str) -> list[str | NameView]:
    """ "A", "A and B", "A, B, and C", with the names kept as objects."""
    out: list[str | NameView] = []
    last = len(names) - 1
    for index, name in enumerate(names):
        if index:
            if last == 1:
                out.append(f" {conj} ")
            else:
                out.append(f", {conj} " if index == last else ", ")
        out.append(name)
    return out


def search_text(view: EntryView) -> str:
    """The words of an entry for Sphinx's search index."""
    parts = [plain(view.title)]
    if view.authors:
        parts.append(plain_pieces(view.authors.everyone or view.authors.lead))
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
            for item in walk(rich):
                if isinstance(item, Math):
                    node += nodes.math(item.latex, item.latex)
        # the same checks as `python -m sphinx_pubs check`
        bibtex = "bib" in self.options.downloads or _shows_bibtex(record, self.options)
        links, problems = vet_entry(
            record,
            dict(self.options.link_fields),
            self.options.abstracts != "hidden",
            self.options.bibtex_hidden - {"abstract"} if bibtex else None,
        )
        for problem in problems:
            self.report(problem)
        downloads = {}
        for link in links:
            if link.path is not None and self.add_download is not None:
                name = self.add_download(record, link.field, link.path, link.read)
                if name is not None:
                    downloads[link.field] = name
        if downloads:
            node["downloads"] = downloads
        return node


def view_of(node: pub_entry, find: Callable[[str, str], Publication]) -> EntryView:
    """What *node* shows; *find* gives the record for a file path and a key."""
    view: EntryView | None = node.get("view")
    if view is None:
        record = node.get("record") or find(node["bibfile"], node["key"])
        view = entry_view(
            record, node["options"], node["ids"][0], node.get("downloads"), node.get("number", 0)
        )
        if node.get("paper"):
            view = replace(view, paper=node["paper"])
        if node.get("hide_title"):  # a paper page: the title is the page's heading
            view = replace(view, title=())
    return view


def prepare_for_html(doctree: nodes.Node, find: Callable[[str, str], Publication]) -> None:
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


# -- the printed form ------------------------------------------------------------------
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
    (title, authors, venue, note) and the abstract, always shown, in a quote."""
    item = nodes.list_item(ids=[view.id], classes=["pub", f"pub-type-{view.type}"])
    lines = nodes.line_block()
    title = inline_nodes(view.title)
    badge = [nodes.Text("["), *inline_nodes(view.badge), nodes.Text("] ")] if view.badge else []
    number = [nodes.Text(f"[{view.number}] ")] if view.number else []
    lines += nodes.line(
        "", "", *number, *badge, *([nodes.strong("", "", *title)] if bold_title else title)
    )
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
    # web links as "DOI: https://..." (paper shows the address); copied files have
    # no address outside the HTML site
    links = [button for button in view.buttons if button[0] == "link" and button[3]]
    if links:
        line = nodes.line(classes=["pub-links"])
        for index, (_, _, label, url, _) in enumerate(links):
            if index:
                line += nodes.Text(" · ")
            line += nodes.Text(f"{label}: ")
            line += nodes.reference(url, url, refuri=url)
        lines += line
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
