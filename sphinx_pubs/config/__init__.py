"""The ``pubs_*`` settings of ``conf.py``: one declaration each, checked once.

Each setting is a field of :class:`PubsConfig` (the field ``max_authors`` is the
setting ``pubs_max_authors``), declared with :func:`setting`: its default, what a
change rebuilds (``"env"``: every document is read again; ``"html"``: the pages are
written again), the types Sphinx is told about, the *check* that reads a value (the
value as used, or :class:`~sphinx_pubs.config.values.BadValue`) and its help text.
Adding a setting is adding a field; :func:`register` declares them all to Sphinx.
The checks are in :mod:`sphinx_pubs.config.values` (values of any kind) and
:mod:`sphinx_pubs.config.project` (the project's data).

On ``config-inited`` every value is checked once (:func:`check_config`): a bad one is
one ``pubs.config`` warning naming the setting, and the default is used; in a list or
dict of the project's data (names, venues, labels ...) only the bad items are left
out.  The value
used is written back into Sphinx's config, so the environment pickles and compares
(for rebuilds) what is used, and never an object it cannot pickle.  Everything else
reads the settings through :func:`pubs_config`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from sphinx_pubs.config.project import (
    folder,
    grouping,
    labels,
    mark,
    person,
    sort_keys,
    source_folder,
    url,
    venue,
)
from sphinx_pubs.config.values import (
    ABSTRACT_MODES,
    DOWNLOAD_ALIASES,
    DOWNLOADS,
    FACETS,
    HEADING_MODES,
    BadValue,
    boolean,
    choice,
    count,
    described,
    dict_of,
    encoding,
    field_name,
    field_pattern,
    glob_pattern,
    label,
    list_of,
    names_of,
    optional_boolean,
    optional_field_name,
    path,
    shown,
    text,
)
from sphinx_pubs.core.subtype import Subtype
from sphinx_pubs.view.links import DEFAULT_BIBTEX_HIDDEN
from sphinx_pubs.warnings import warn

PREFIX = "pubs_"


# -- the settings --------------------------------------------------------------------


def setting(
    default: Any,
    check: Callable[[object], Any],
    help: str,
    *,
    rebuild: str = "env",
    types: tuple[type, ...] = (),
) -> Any:
    """A field of :class:`PubsConfig`: the setting's default, its *check*, its help
    text, what a change rebuilds and the types Sphinx is told it has (the default's)."""
    return field(
        default_factory=lambda: copy.deepcopy(default),
        metadata={
            "default": default,
            "check": check,
            "help": help,
            "rebuild": rebuild,
            "types": types or (type(default),),
        },
    )


@dataclass(frozen=True)
class PubsConfig:
    """The project's ``pubs_*`` settings, checked: :func:`pubs_config` gives them."""

    bibfiles: list[str] = setting(
        [],
        list_of(path, "a list of file names"),
        "the bibliography files of a directive without argument",
    )
    bib_encoding: str = setting("utf-8", encoding, "the encoding of the bibliography files")
    max_authors: int = setting(3, count, "authors named before 'N more authors'; 0: all")
    abstracts: str = setting(
        "collapsed", choice(*ABSTRACT_MODES), "abstracts collapsed, expanded or hidden"
    )
    headings: str = setting(
        "section", choice(*HEADING_MODES), "group headings: section, rubric or none"
    )
    undated_label: str = setting("Undated", label, "the heading of the undated entries")
    group_by: str = setting("year", grouping, "year, type, none or a field to group by")
    sort: str = setting("", sort_keys, "the sort within groups, e.g. 'year desc, title'")
    type_names: dict[str, str] = setting(
        {},
        dict_of(field_name, label, "a dict of entry types and group names"),
        "group names by entry type",
    )
    type_order: list[str] = setting(
        [], list_of(text, "a list of entry types or group names"), "the order of type groups"
    )
    search_abstracts: bool = setting(False, boolean, "index abstracts in Sphinx's search")
    bibtex_show: bool = setting(False, boolean, "a BibTeX toggle on every entry")
    bibtex_hidden_fields: list[str] = setting(
        list(DEFAULT_BIBTEX_HIDDEN),
        list_of(field_pattern, "a list of field names", unique=True),
        "fields left out of the BibTeX shown (names, or patterns such as 'bdsk-*')",
    )
    link_fields: dict[str, str] = setting(
        {},
        dict_of(field_name, label, "a dict of field names and button labels"),
        "more link fields and their button labels",
    )
    link_exclude: list[str] = setting(
        [],
        list_of(glob_pattern, "a list of glob patterns", unique=True),
        "more files link fields never publish (patterns as exclude_patterns)",
    )
    file_dirs: dict[str, list[str]] = setting(
        {},
        dict_of(
            field_name, list_of(source_folder, "a list of folders"), "a dict of fields and folders"
        ),
        "where each link field's files are looked for after the .bib's folder",
    )
    highlight_authors: list[str] = setting(
        [], list_of(person, "a list of names"), "the names of the site's owners"
    )
    author_links: dict[str, str] = setting(
        {}, dict_of(person, url, "a dict of names and URLs"), "homepages of authors by name"
    )
    venues: dict[str, dict[str, str]] = setting(
        {}, dict_of(text, venue, "a dict of venue abbreviations"), "venue badges' colours, links"
    )
    title_link: str = setting("", optional_field_name, "the link field the titles link to")
    paper_pages: bool = setting(False, boolean, "a page per entry, for search engines")
    paper_pages_dir: str = setting("papers", folder, "the folder of the paper pages")
    downloads: list[str] = setting(
        ["bib"],
        names_of(DOWNLOADS, "format", DOWNLOAD_ALIASES),
        "the files lists offer: bib, csl-json",
    )
    search: bool = setting(False, boolean, "a search box above every list")
    search_facets: list[str] = setting(
        [], names_of(FACETS, "facet"), "facet buttons of the search boxes: year, type"
    )
    json_ld: bool | None = setting(
        None,
        optional_boolean,
        "schema.org JSON-LD of the lists; None: with the paper pages",
        rebuild="html",
        types=(bool, type(None)),
    )
    marks_legend: dict[str, str] = setting(
        {}, dict_of(mark, label, "a dict of author marks and texts"), "what author marks mean"
    )
    labels: dict[str, str] = setting({}, labels, "other words for the list's labels")
    cite_links: bool = setting(True, boolean, "link sphinxcontrib-bibtex's :cite: to entries")


SETTINGS: dict[str, Field[Any]] = {PREFIX + f.name: f for f in fields(PubsConfig)}


def check_value(name: str, value: object) -> tuple[Any, str | None]:
    """The value setting *name* uses for *value*, and the warning to give (None when
    the value is good).  Never raises."""
    f = SETTINGS[name]
    default = copy.deepcopy(f.metadata["default"])
    try:
        return f.metadata["check"](value), None
    except BadValue as error:
        if error.use is not None:
            return error.use, f"{name}: {error}; {error.note}"
        return default, f"{name}: {error}; using the default {shown(default)}"
    except Exception as error:  # a value no check foresaw: still never a traceback
        return default, (
            f"{name}: cannot use {described(value)} ({type(error).__name__}); "
            f"using the default {shown(default)}"
        )


_CACHE = "_pubs_config"


class _Unreadable:
    """A value Sphinx could not give (its error, shown in the warning)."""

    def __init__(self, error: Exception) -> None:
        try:
            self.text = f"{type(error).__name__}: {error}"
        except Exception:
            self.text = type(error).__name__

    def __repr__(self) -> str:
        return f"<unreadable value: {self.text}>"


def _checked(config: Config) -> PubsConfig:
    """Check every setting, warn about the bad ones, write the values used back."""
    values: dict[str, Any] = {}
    for name, f in SETTINGS.items():
        try:
            raw = getattr(config, name)
        except Exception as error:  # an override (-D) Sphinx cannot convert
            raw = _Unreadable(error)
        value, problem = check_value(name, raw)
        if problem:
            warn(problem, Subtype.CONFIG)
        setattr(config, name, value)
        values[f.name] = value
    checked = PubsConfig(**values)
    config.__dict__[_CACHE] = (checked, [(name, getattr(config, name)) for name in SETTINGS])
    return checked


def pubs_config(source: Any) -> PubsConfig:
    """The checked settings of *source*: a Sphinx application, environment, builder,
    directive or config.  Checked once (on ``config-inited``); checked again only if a
    value was set since."""
    config: Config = source if isinstance(source, Config) else source.config
    cached = config.__dict__.get(_CACHE)
    if cached is not None and all(getattr(config, name) is value for name, value in cached[1]):
        return cached[0]  # type: ignore[no-any-return]
    return _checked(config)


def check_config(app: Sphinx, config: Config) -> None:
    """``config-inited``: one warning per bad setting, the defaults used instead."""
    _checked(config)


def register(app: Sphinx) -> None:
    """Declare every setting to Sphinx, and check them when the config is read
    (before Sphinx's own type checks, which then see the values used)."""
    for name, f in SETTINGS.items():
        app.add_config_value(
            name,
            copy.deepcopy(f.metadata["default"]),
            f.metadata["rebuild"],
            tuple(f.metadata["types"]),
            description=f.metadata["help"],
        )
    app.connect("config-inited", check_config, priority=400)
