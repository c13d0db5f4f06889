"""The ``publications`` directive's options, and a list's settings: each option merged
over its ``pubs_*`` setting, in one function (:func:`list_settings`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, fields, replace
from typing import Any

from docutils.parsers.rst import directives
from sphinx.locale import get_translation

from sphinx_pubs.config import PubsConfig
from sphinx_pubs.config.values import (
    ABSTRACT_MODES,
    DOWNLOAD_ALIASES,
    DOWNLOADS,
    FACETS,
    FIELD_NAME,
    HEADING_MODES,
    pick,
)
from sphinx_pubs.core.names import NameKey, parse_name
from sphinx_pubs.core.vocab import TYPE_NAMES
from sphinx_pubs.select.query import QueryError
from sphinx_pubs.select.sort import SortKey, parse_sort
from sphinx_pubs.view.links import LINK_FIELDS
from sphinx_pubs.view.options import Labels, ListOptions

#: the gettext domain of the words sphinx-pubs shows (sphinx_pubs/locale)
MESSAGE_CATALOG = "sphinx_pubs"

_ = get_translation(MESSAGE_CATALOG)

BIBTEX_MODES = ("all", "marked", "none")

#: reports a bad option at the directive: (option name, message)
OptionProblem = Callable[[str, str], None]


def _bibtex_mode(argument: str | None) -> str:
    """``:bibtex:`` alone means every entry's BibTeX."""
    if argument is None or not argument.strip():
        return "all"
    return str(directives.choice(argument.strip().lower(), BIBTEX_MODES))


def _on_off(argument: str | None) -> bool:
    """A flag that may also be turned off: ``:search:``, ``:search: off``."""
    value = (argument or "").strip().lower()
    if value in ("", "on", "yes", "true"):
        return True
    if value in ("off", "no", "false", "none"):
        return False
    raise ValueError(f"{argument!r}: give no value, or on or off")


def _key_list(argument: str | None) -> list[str]:
    """Citation keys separated by commas, spaces or new lines."""
    keys = [key for key in re.split(r"[\s,]+", argument or "") if key]
    if not keys:
        raise ValueError("give at least one citation key")
    return keys


#: how the directive reads each option (its ``option_spec``)
OPTION_SPEC: dict[str, Callable[..., Any]] = {
    "max-authors": directives.nonnegative_int,
    "abstracts": lambda arg: directives.choice(arg, ABSTRACT_MODES),
    "headings": lambda arg: directives.choice(arg, HEADING_MODES),
    "undated-label": directives.unchanged_required,
    "class": directives.class_option,
    "selected": directives.flag,
    "filter": directives.unchanged_required,
    "sort": directives.unchanged_required,
    "group-by": directives.unchanged_required,
    "group-order": directives.unchanged_required,
    "limit": directives.positive_int,
    "keys": _key_list,
    "exclude": _key_list,
    "bibtex": _bibtex_mode,
    "numbered": directives.flag,
    "reversed-numbering": directives.flag,
    "no-index": directives.flag,
    "downloads": directives.unchanged,
    "search": _on_off,
    "facets": directives.unchanged,
    "noindex": directives.flag,
}


def labels(overrides: dict[str, str] | None = None) -> Labels:
    """The words a list shows, translated, then as ``pubs_labels`` overrides them
    (by Labels attribute, e.g. ``abstract``, or by link field, e.g. ``pdf``)."""
    overrides = overrides or {}
    words = Labels(
        abstract=_("Abstract"),
        in_word=_("In"),
        and_word=_("and"),
        more_author=_("1 more author"),
        more_authors=_("{n} more authors"),
        editor=_("editor"),
        editors=_("editors"),
        et_al=_("et al."),
        show_fewer=_("show fewer"),
        bibtex=_("BibTeX"),
        award=_("Award"),
        copy=_("Copy"),
        download=_("Download"),
        search=_("Search the publications"),
        search_placeholder=_("Title, author, venue, year …"),
        search_count=_("{shown} of {total}"),
        search_none=_("No publication matches."),
        search_year=_("Year"),
        search_type=_("Type"),
        undated=_("Undated"),
        buttons=tuple((field, _(label)) for field, label in LINK_FIELDS),
    )
    names = {f.name for f in fields(Labels)} - {"buttons"}
    return replace(
        words,
        **{name: str(overrides[name]) for name in names if name in overrides},
        buttons=tuple((field, str(overrides.get(field, label))) for field, label in words.buttons),
    )


@dataclass(frozen=True)
class ListSettings:
    """What one list does: its directive options over the project's settings."""

    options: ListOptions
    #: ``year``, ``type``, ``none`` or a field name
    group_by: str = "year"
    sort: tuple[SortKey, ...] = ()
    #: the heading of the undated group
    undated_label: str = "Undated"
    #: the order of the type groups (pubs_type_order)
    type_order: tuple[str, ...] = ()
    #: False when an option cannot be used (reported): the list is left out
    usable: bool = True


def list_settings(
    options: dict[str, Any], config: PubsConfig, problem: OptionProblem
) -> ListSettings:
    """A list's settings: each directive option over its ``pubs_*`` setting.

    The settings were checked when the project's config was read (one warning per
    bad setting, see :mod:`sphinx_pubs.config`); here only the options are, and a
    bad one is reported with *problem* (option name, message) at the directive.
    """
    sort, usable = _sort(options, config, problem)
    by = _group_by(options, config)
    if not _known_grouping(by):
        if usable:
            problem(
                "group-by",
                f"{by!r} is not a field name (use year, type, none or a field such as "
                "keywords); the list is left out",
            )
        usable = False
    facets = _names(
        options,
        "facets",
        config.search_facets,
        FACETS,
        {},
        "unknown facet {!r} (year, type or none)",
        problem,
    )
    downloads = _names(
        options,
        "downloads",
        config.downloads,
        DOWNLOADS,
        DOWNLOAD_ALIASES,
        "unknown format {!r} (bib, csl-json or none)",
        problem,
    )
    undated = str(options.get("undated-label", config.undated_label))
    return ListSettings(
        options=_list_options(options, config, by, facets, downloads),
        group_by=by,
        sort=sort,
        # translated when it is the default
        undated_label=_("Undated") if undated == "Undated" else undated,
        type_order=tuple(config.type_order),
        usable=usable,
    )


def _sort(
    options: dict[str, Any], config: PubsConfig, problem: OptionProblem
) -> tuple[tuple[SortKey, ...], bool]:
    """``:sort:`` over ``pubs_sort``, and whether it can be used."""
    text = options.get("sort", config.sort)
    try:
        return (tuple(parse_sort(text)) if text.strip() else ()), True
    except QueryError as error:
        problem("sort", f"{error}; the list is left out")
        return (), False


def _group_by(options: dict[str, Any], config: PubsConfig) -> str:
    """``:group-by:`` over ``pubs_group_by`` (a list of ``:keys:`` is not grouped)."""
    default = "none" if "keys" in options else config.group_by
    return str(options.get("group-by", default) or "year").strip().lower()


def _known_grouping(by: str) -> bool:
    return by in ("year", "type", "none") or FIELD_NAME.match(by) is not None


def _names(
    options: dict[str, Any],
    option: str,
    default: Collection[str],
    known: tuple[str, ...],
    aliases: dict[str, str],
    unknown_message: str,
    problem: OptionProblem,
) -> tuple[str, ...]:
    """A list option of names (``:facets:``, ``:downloads:``) over its setting; each
    unknown name is reported with *unknown_message* and left out."""
    if option not in options:
        return tuple(default)
    names, unknown = pick(re.split(r"[\s,]+", options[option] or ""), known, aliases)
    for name in unknown:
        problem(option, unknown_message.format(name))
    return tuple(names)


def _list_options(
    options: dict[str, Any],
    config: PubsConfig,
    by: str,
    facets: tuple[str, ...],
    downloads: tuple[str, ...],
) -> ListOptions:
    """How the list renders its entries, from its options and the project's settings."""
    type_names = {
        **{name: _(label) for name, label in TYPE_NAMES.items()},
        **config.type_names,
    }
    # Where sections cannot stand (in a list, an admonition ...), the transform
    # GroupsOutsideSections gives the groups rubric headings instead.
    headings = options.get("headings", config.headings)
    return ListOptions(
        max_authors=options.get("max-authors", config.max_authors),
        abstracts=options.get("abstracts", config.abstracts),
        headings="none" if by == "none" else headings,
        search_abstracts=config.search_abstracts,
        bibtex=options.get("bibtex", "all" if config.bibtex_show else "marked"),
        downloads=downloads,
        search=options.get("search", config.search),
        facets=facets,
        type_names=tuple(type_names.items()),
        numbering=(
            "down" if "reversed-numbering" in options else "up" if "numbered" in options else ""
        ),
        bibtex_hidden=frozenset(config.bibtex_hidden_fields),
        link_fields=tuple(config.link_fields.items()),
        highlight=tuple(
            key for key in map(parse_name, config.highlight_authors) if key is not None
        ),
        author_links=_author_links(config.author_links),
        venues=tuple(
            (abbr, spec.get("url", ""), spec.get("color", ""))
            for abbr, spec in config.venues.items()
        ),
        title_link=config.title_link,
        labels=labels(config.labels),
    )


def _author_links(links: dict[str, str]) -> tuple[tuple[NameKey, str], ...]:
    """``pubs_author_links`` by name key (names that are no name left out)."""
    keyed = ((parse_name(name), url) for name, url in links.items())
    return tuple((key, url) for key, url in keyed if key is not None)
