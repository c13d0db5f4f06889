"""What an entry shows, for every writer: :func:`entry_view` turns a record and the
list's options into an :class:`EntryView` (title, authors, venue, badge, thumbnail,
the row of buttons and toggles, abstract, BibTeX).  Free of docutils: the HTML writer
(:mod:`sphinx_pubs.sphinx_ext.writers.html`) and the plain nodes of other builders
(:func:`sphinx_pubs.sphinx_ext.writers.fallback.plain_entry`) only write what it says."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sphinx_pubs.core.model import Publication, RichText, key_slug, plain
from sphinx_pubs.export.bibtex import entry_bibtex
from sphinx_pubs.select.fields import keywords_of
from sphinx_pubs.view import format as fmt
from sphinx_pubs.view.authors import AuthorsView, authors_view, plain_pieces
from sphinx_pubs.view.links import LINK_FIELDS, LinkValue, classify, entry_links, is_true
from sphinx_pubs.view.options import Labels, ListOptions


@dataclass(frozen=True)
class Href:
    """Where a link goes: ``url``, a vetted web address, or ``download``, the name
    under which the build copied a project file (into ``_downloads/``).  One of the
    two is set."""

    url: str = ""
    download: str = ""


@dataclass(frozen=True)
class LinkButton:
    """A link button of the row under the venue line (DOI, PDF, Code ...)."""

    #: the link field (``doi``, ``pdf``, a project's own field)
    field: str
    label: str
    href: Href


@dataclass(frozen=True)
class Toggle:
    """A button of the row that opens a panel of the entry: the award's text, the
    abstract or the BibTeX."""

    kind: Literal["award", "abstract", "bibtex"]


#: one button of an entry's row
Button = LinkButton | Toggle


@dataclass(frozen=True)
class Badge:
    """The venue badge (field ``abbr``) and, from ``pubs_venues``, its link and its
    background colour (a colour that setting checked)."""

    text: RichText
    url: str = ""
    color: str = ""

    @property
    def light(self) -> bool:
        """Whether the badge has a colour on which black text reads better than white."""
        return bool(self.color) and is_light(self.color)


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
    #: the row under the venue line, in order: link buttons and toggles
    buttons: tuple[Button, ...] = ()
    #: the entry's BibTeX when it shows it, else ""
    bibtex: str = ""
    #: selected = {true}
    selected: bool = False
    badge: Badge | None = None
    #: the title's link (pubs_title_link), when the entry has that link
    title_link: Href | None = None
    #: award (the text behind the award toggle) and award_name (its label)
    award: RichText = ()
    award_name: RichText = ()
    #: annotation: a note on the author line
    annotation: RichText = ()
    #: the thumbnail (field ``preview``): an image's address or a copied project file
    preview: Href | None = None
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


def id_safe(text: str) -> str:
    """A citation key (or an entry type) as an HTML id fragment (``Smith:2020`` ->
    ``Smith-2020``): :func:`sphinx_pubs.core.model.key_slug`."""
    return key_slug(text)


def shows_bibtex(record: Publication, options: ListOptions) -> bool:
    """Whether the list shows the BibTeX of *record* (``:bibtex:``, ``bibtex_show``)."""
    return options.bibtex == "all" or (
        options.bibtex == "marked" and is_true(record.fields.get("bibtex_show", ""))
    )


def entry_view(
    record: Publication,
    options: ListOptions,
    entry_id: str,
    downloads: dict[str, str] | None = None,
    number: int = 0,
) -> EntryView:
    """What an entry shows.  *downloads* maps a link field whose value is a project
    file to the name the build copied it under (see
    :meth:`sphinx_pubs.sphinx_ext.render.Renderer.entry`)."""
    downloads = downloads or {}
    labels = options.labels
    abstract = record.abstract if options.abstracts != "hidden" else ()
    show_bibtex = shows_bibtex(record, options)
    buttons = entry_buttons(record, options, downloads)
    return EntryView(
        id=entry_id,
        key=record.key,
        type=id_safe(record.type),
        title=record.title or (record.key,),
        authors=authors_view(record, options),
        venue=fmt.venue_line(record, labels.in_word),
        note=record.rich("note"),
        abstract=abstract,
        abstract_open=options.abstracts == "expanded",
        search_abstract=options.search_abstracts,
        labels=labels,
        buttons=buttons,
        bibtex=entry_bibtex(record, options.bibtex_hidden) if show_bibtex else "",
        selected=is_true(record.fields.get("selected", "")),
        badge=_badge(record, options),
        title_link=_title_link(buttons, options.title_link),
        award=record.rich("award"),
        award_name=record.rich("award_name"),
        annotation=record.rich("annotation"),
        preview=_preview(record, downloads),
        number=number,
        data=_search_data(record) if options.search else (),
    )


#: where the toggles stand among the link buttons (al-folio's order): the abstract
#: before DOI, the BibTeX before HTML; the award first of all
_TOGGLE_BEFORE = {"abstract": "doi", "bibtex": "html"}


def entry_buttons(
    record: Publication, options: ListOptions, downloads: dict[str, str]
) -> tuple[Button, ...]:
    """The row under the venue line: the link buttons in al-folio's field order (then
    the project's own link fields), the toggles among them."""
    buttons: list[Button] = [*_link_buttons(record, options, downloads)]
    if record.rich("award"):
        buttons.append(Toggle("award"))
    if options.abstracts != "hidden" and record.abstract:
        buttons.append(Toggle("abstract"))
    if shows_bibtex(record, options):
        buttons.append(Toggle("bibtex"))
    order = [field for field, _ in LINK_FIELDS] + [field for field, _ in options.link_fields]
    position = {field: index for index, field in enumerate(order)}

    def rank(button: Button) -> tuple[int, int]:
        if isinstance(button, LinkButton):
            return (position.get(button.field, len(order)), 1)
        if button.kind == "award":
            return (-1, 0)  # first, as on al-folio
        return (position[_TOGGLE_BEFORE[button.kind]], 0)

    return tuple(sorted(buttons, key=rank))


def _link_buttons(
    record: Publication, options: ListOptions, downloads: dict[str, str]
) -> list[LinkButton]:
    """A button per link field that is a link: to its web address, or to the copy of
    the project file it names (else to the web address a scheme-less value such as
    ``example.org/page`` means).  A file that is missing gets none."""
    links, _ = entry_links(record, dict(options.link_fields), dict(options.labels.buttons))
    buttons = []
    for link in links:
        if link.field in downloads and link.url is None:
            href = Href(download=downloads[link.field])
        elif link.url is not None:
            href = Href(url=link.url)
        elif link.web is not None:
            href = Href(url=link.web)
        else:
            continue  # a missing file, reported when the page was read
        buttons.append(LinkButton(link.field, link.label, href))
    return buttons


def _title_link(buttons: tuple[Button, ...], field: str) -> Href | None:
    """Where the title links to: the target of the entry's *field* button."""
    found = None
    for button in buttons:
        if isinstance(button, LinkButton) and button.field == field:
            found = button.href
    return found


def _badge(record: Publication, options: ListOptions) -> Badge | None:
    text = record.rich("abbr")
    if not text:
        return None
    _, url, color = next((v for v in options.venues if v[0] == plain(text)), ("", "", ""))
    return Badge(text, url, color)


def _preview(record: Publication, downloads: dict[str, str]) -> Href | None:
    """The thumbnail: the copy of a project file, or an image's address."""
    value = record.fields.get("preview", "").strip()
    if not value:
        return None
    if "preview" in downloads:
        return Href(download=downloads["preview"])
    image = classify("preview", "Preview", value)
    url = (image.url or image.web) if isinstance(image, LinkValue) else None
    return Href(url=url) if url else None


def _search_data(record: Publication) -> tuple[tuple[str, str], ...]:
    """The year and keywords of an entry, for the search box and its facets."""
    words = keywords_of(record)
    data = [("year", str(record.year) if record.year is not None else "")]
    if words:
        data.append(("keywords", ", ".join(words)))
    return tuple(data)


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


#: the CSS colour names on which black text reads better than white (relative
#: luminance above 0.179, where both give 4.58:1), as Chromium draws them
LIGHT_COLOR_NAMES = frozenset(
    """aliceblue antiquewhite aqua aquamarine azure beige bisque blanchedalmond burlywood
    cadetblue chartreuse chocolate coral cornflowerblue cornsilk cyan darkcyan darkgoldenrod
    darkgray darkgrey darkkhaki darkorange darksalmon darkseagreen darkturquoise deeppink
    deepskyblue dodgerblue floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod
    gray greenyellow grey honeydew hotpink indianred ivory khaki lavender lavenderblush
    lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray
    lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray
    lightslategrey lightsteelblue lightyellow lime limegreen linen magenta mediumaquamarine
    mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen
    mediumturquoise mintcream mistyrose moccasin navajowhite oldlace olive olivedrab orange
    orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip
    peachpuff peru pink plum powderblue red rosybrown salmon sandybrown seagreen seashell
    silver skyblue slategray slategrey snow springgreen steelblue tan thistle tomato
    turquoise violet wheat white whitesmoke yellow yellowgreen""".split()
)


def is_light(color: str) -> bool:
    """Whether black text has more contrast than white on *color* (a colour of
    pubs_venues: ``#rgb``, ``#rgba``, ``#rrggbb``, ``#rrggbbaa`` or a name; the
    alpha is not counted).  The better of the two always reaches 4.58:1."""
    if not color.startswith("#"):
        return color.lower() in LIGHT_COLOR_NAMES
    digits = color[1:]
    if len(digits) in (3, 4):
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2] > 0.179
