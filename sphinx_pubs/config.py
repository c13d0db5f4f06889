"""The ``pubs_*`` settings of ``conf.py``: one declaration each, checked once.

Each setting is a field of :class:`PubsConfig` (the field ``max_authors`` is the
setting ``pubs_max_authors``), declared with :func:`setting`: its default, what a
change rebuilds (``"env"``: every document is read again; ``"html"``: the pages are
written again), the types Sphinx is told about, the *check* that reads a value (the
value as used, or :class:`BadValue`) and its help text.  Adding a setting is adding a
field; :func:`register` declares them all to Sphinx.

On ``config-inited`` every value is checked once (:func:`check_config`): a bad one is
one ``pubs.config`` warning naming the setting, and the default is used; in a list or
dict of the project's data (names, venues, labels ...) only the bad items are left
out.  The value
used is written back into Sphinx's config, so the environment pickles and compares
(for rebuilds) what is used, and never an object it cannot pickle.  Everything else
reads the settings through :func:`pubs_config`.
"""

from __future__ import annotations

import codecs
import copy
import os
import re
import reprlib
from collections.abc import Callable, Iterable
from dataclasses import Field, dataclass, field, fields
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from sphinx_pubs.core.model import printable
from sphinx_pubs.core.names import MARKS, parse_name
from sphinx_pubs.core.subtype import Subtype
from sphinx_pubs.select.query import QueryError, parse_sort
from sphinx_pubs.sphinx_ext.render import Labels
from sphinx_pubs.view.format import template_problem
from sphinx_pubs.view.links import DEFAULT_BIBTEX_HIDDEN, LINK_FIELDS, safe_url
from sphinx_pubs.warnings import warn

PREFIX = "pubs_"

ABSTRACT_MODES = ("collapsed", "expanded", "hidden")
HEADING_MODES = ("section", "rubric", "none")
FACETS = ("year", "type")
DOWNLOADS = ("bib", "csl-json")
#: other names of the download formats
DOWNLOAD_ALIASES = {"json": "csl-json", "csl": "csl-json"}
#: a field name (``keywords``, ``bibtex_show``, ``x-data``, ``dc:title``)
FIELD_NAME = re.compile(r"^[A-Za-z_][\w.:-]*$")
#: colours pubs_venues may give a badge: #rgb(a), #rrggbb(aa) or a CSS colour name
COLOR = re.compile(r"^(?:#[0-9A-Fa-f]{3,4}|#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{8}|[A-Za-z]{3,20})$")
#: a folder name of the output
_FOLDER = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
#: the labels that are templates, and their placeholders
LABEL_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "more_authors": ("n",),
    "search_count": ("shown", "total"),
}
#: what pubs_labels may rename: the Labels words and the standard link buttons
LABEL_KEYS = tuple(
    [f.name for f in fields(Labels) if f.name != "buttons"] + [name for name, _ in LINK_FIELDS]
)


class BadValue(ValueError):
    """A value a setting cannot use.  *use* is the part of it that is used (a list or
    dict without its bad items), said by *note*; None: the default is used."""

    def __init__(self, message: str, use: Any = None, note: str = "left out") -> None:
        super().__init__(message)
        self.use = use
        self.note = note


_REPR = reprlib.Repr()
_REPR.maxstring = 60
_REPR.maxother = 60
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6
_REPR.maxlevel = 3


def shown(value: object) -> str:
    """*value* as a warning shows it: short, and whatever its ``__repr__`` does."""
    try:
        text = _REPR.repr(value)
    except Exception:
        text = f"<{type(value).__name__} object>"
    return printable(text)


def _what(value: object) -> str:
    return f"{shown(value)} ({type(value).__name__})"


# -- checks: the value as used, or BadValue ---------------------------------------------


def boolean(value: object) -> bool:
    if value is True or value is False:
        return value
    raise BadValue(f"must be True or False, not {_what(value)}")


def optional_boolean(value: object) -> bool | None:
    if value is None:
        return None
    if value is True or value is False:
        return value
    raise BadValue(f"must be True, False or None, not {_what(value)}")


def count(value: object) -> int:
    """A whole number, 0 or more."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return int.__int__(value)
    raise BadValue(f"must be a whole number, 0 or more, not {_what(value)}")


def _string(value: object, what: str = "a string") -> str:
    if isinstance(value, str):
        return str.__str__(value)  # a plain str, whatever a subclass does
    raise BadValue(f"must be {what}, not {_what(value)}")


def text(value: object) -> str:
    return _string(value)


def label(value: object) -> str:
    """A text shown to readers: not empty."""
    words = _string(value, "a non-empty string")
    if not words.strip():
        raise BadValue(f"must be a non-empty string, not {shown(words)}")
    return words


def choice(*options: str) -> Callable[[object], str]:
    listed = ", ".join(repr(option) for option in options)

    def check(value: object) -> str:
        word = _string(value, f"one of {listed}").strip().lower()
        if word not in options:
            raise BadValue(f"{shown(value)} is not one of {listed}")
        return word

    check.__doc__ = f"One of {listed}."
    return check


def field_name(value: object) -> str:
    name = _string(value, "a field name").strip().lower()
    if not FIELD_NAME.match(name):
        raise BadValue(f"{shown(value)} is not a field name")
    return name


def field_pattern(value: object) -> str:
    """A field name, or a pattern of field names with ``*`` (``bdsk-*``)."""
    name = _string(value, "a field name or pattern").strip().lower()
    if not FIELD_NAME.match(name.replace("*", "x")):
        raise BadValue(f"{shown(value)} is not a field name or a pattern such as 'bdsk-*'")
    return name


def optional_field_name(value: object) -> str:
    """A field name, or ``""`` for none."""
    return field_name(value) if _string(value, "a field name or ''").strip() else ""


def _items(value: object, what: str) -> list[Any]:
    """The items of a list or tuple (a set would make the output depend on its order)."""
    if not isinstance(value, (list, tuple)):
        raise BadValue(f"must be {what}, not {_what(value)}")
    return list(value)


def _pairs(value: object, what: str) -> list[tuple[Any, Any]]:
    if not isinstance(value, dict):
        raise BadValue(f"must be {what}, not {_what(value)}")
    return list(dict.items(value))


def list_of(
    item: Callable[[object], Any], what: str, unique: bool = False
) -> Callable[[object], list[Any]]:
    """A list (or tuple) of *item*; bad items are left out (BadValue with the rest)."""

    def check(value: object) -> list[Any]:
        out: list[Any] = []
        problems: list[str] = []
        for element in _items(value, what):
            try:
                checked = item(element)
            except BadValue as error:
                problems.append(f"{shown(element)}: {error}")
                if error.use is None:
                    continue
                checked = error.use
            if not unique or checked not in out:
                out.append(checked)
        if problems:
            raise BadValue("; ".join(problems), use=out)
        return out

    return check


def dict_of(
    key: Callable[[object], Any], value: Callable[[object], Any], what: str
) -> Callable[[object], dict[Any, Any]]:
    """A dict of *key* to *value*; bad items are left out (BadValue with the rest)."""

    def check(mapping: object) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        problems: list[str] = []
        for name, element in _pairs(mapping, what):
            try:
                checked = key(name), value(element)
            except BadValue as error:
                problems.append(f"{shown(name)}: {error}")
                if error.use is None:
                    continue
                checked = key(name), error.use
            out[checked[0]] = checked[1]
        if problems:
            raise BadValue("; ".join(problems), use=out)
        return out

    return check


def path(value: object) -> str:
    """A file name: a string (or a path object), not empty."""
    if isinstance(value, os.PathLike) and not isinstance(value, str):
        try:
            value = os.fspath(value)
        except Exception:
            raise BadValue(f"must be a file name, not {_what(value)}") from None
    return _nonblank(value, "a file name")


def _nonblank(value: object, what: str) -> str:
    """*value* as a string that is not blank and holds no NUL (a name of *what*)."""
    text = _string(value, what)
    if not text.strip() or "\x00" in text:
        raise BadValue(f"{shown(text)} is not {what}")
    return text


def encoding(value: object) -> str:
    """The name of a text encoding Python knows."""
    name = _string(value, "the name of an encoding")
    try:
        info = codecs.lookup(name)
    except Exception:  # LookupError; ValueError for a name with a NUL
        raise BadValue(f"unknown encoding {shown(name)}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise BadValue(f"{shown(name)} is not a text encoding")
    try:
        "@misc{x}".encode(name).decode(name)
    except Exception:  # "undefined"
        raise BadValue(f"{shown(name)} cannot decode files") from None
    return name


def person(value: object) -> str:
    name = _string(value, "a name")
    if parse_name(name) is None:
        raise BadValue(f"cannot read {shown(name)} as a name")
    return name


def url(value: object) -> str:
    address = _string(value, "a URL").strip()
    if safe_url(address) is None:
        raise BadValue(f"{shown(address)} is not an http, https or mailto URL")
    return address


def color(value: object) -> str:
    colour = _string(value, "a colour").strip()
    if not COLOR.match(colour):
        raise BadValue(f"{shown(colour)} is not a colour (#rgb, #rrggbb or a CSS colour name)")
    return colour


def venue(value: object) -> dict[str, str]:
    """A venue badge: ``{"color": ..., "url": ...}``, both optional; a bad one is
    left out (BadValue with the rest)."""
    checks = {"color": color, "url": url}
    out = {}
    problems = []
    for name, element in _pairs(value, 'a dict with "color" and "url"'):
        check = checks.get(name) if isinstance(name, str) else None
        try:
            if check is None:
                raise BadValue('is not "color" or "url"')
            out[str.__str__(name)] = check(element)
        except BadValue as error:
            problems.append(f"{shown(name)}: {error}")
    if problems:
        raise BadValue("; ".join(problems), use=out)
    return out


def mark(value: object) -> str:
    sign = _string(value, "an author mark")
    if len(sign) != 1 or sign not in MARKS:
        raise BadValue(f"{shown(sign)} is not an author mark ({', '.join(MARKS)})")
    return sign


def glob_pattern(value: object) -> str:
    """A pattern as ``exclude_patterns`` takes them, relative to the source folder."""
    return _nonblank(value, "a glob pattern")


def folder(value: object) -> str:
    """A folder of the output: names separated by ``/``; no ``..``, not absolute."""
    name = _string(value, "a folder name")
    parts = [part for part in name.strip().strip("/").split("/") if part]
    if name.strip().startswith("/") or not all(_FOLDER.match(part) for part in parts):
        raise BadValue(
            f"{shown(name)} is not a folder inside the output (names of letters, digits, "
            "'.', '_' and '-', separated by '/')"
        )
    return "/".join(parts)


def source_folder(value: object) -> str:
    """A folder of the source folder: names separated by ``/``, no ``..``; a leading
    ``/`` is allowed (al-folio writes ``/assets/pdf``)."""
    name = _string(value, "a folder name")
    parts = [part for part in name.strip().strip("/").split("/") if part]
    if not parts or any(part in (".", "..") or "\x00" in part or "\\" in part for part in parts):
        raise BadValue(
            f"{shown(name)} is not a folder inside the source folder (names separated by '/', "
            "no '..')"
        )
    return "/".join(parts)


def grouping(value: object) -> str:
    by = _string(value, "year, type, none or a field name").strip().lower()
    if not FIELD_NAME.match(by):
        raise BadValue(f"{shown(value)} is not year, type, none or a field name")
    return by


def sort_keys(value: object) -> str:
    """A sort: ``"year desc, title"``, or ``""`` for the order of the files."""
    sort = _string(value, "a sort such as 'year desc, title'")
    if sort.strip():
        try:
            parse_sort(sort)
        except QueryError as error:
            raise BadValue(str(error)) from None
    return sort


def names_of(
    choices: Iterable[str], what: str, aliases: dict[str, str] | None = None
) -> Callable[[object], list[str]]:
    """A list of names from *choices* (case ignored; ``"none"`` stands for none)."""
    options = tuple(choices)
    listed = ", ".join(options)

    def check(value: object) -> list[str]:
        wanted, unknown = pick(
            (_string(item, "a string") for item in _items(value, f"a list of {what}s")),
            options,
            aliases,
        )
        if unknown:
            raise BadValue(f"unknown {what} {shown(unknown[0])} ({listed} or none)")
        return wanted

    return check


def pick(
    names: Iterable[str], options: tuple[str, ...], aliases: dict[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """The names of *names* that are *options* (or their *aliases*), each once and
    case ignored, and the unknown ones; ``none`` and empty names are left out."""
    wanted: list[str] = []
    unknown: list[str] = []
    for name in names:
        name = name.strip().lower()
        name = (aliases or {}).get(name, name)
        if not name or name == "none":
            continue
        if name not in options:
            unknown.append(name)
        elif name not in wanted:
            wanted.append(name)
    return wanted, unknown


def labels(value: object) -> dict[str, str]:
    """Words by label name; a label with a bad template (or any bad item) is left
    out, and the others are used."""
    out: dict[str, str] = {}
    problems: list[str] = []
    for name, words in _pairs(value, "a dict of label names and texts"):
        if not isinstance(name, str) or name not in LABEL_KEYS:
            problems.append(f"{shown(name)} is not a label ({', '.join(LABEL_KEYS)})")
            continue
        if not isinstance(words, str):
            problems.append(f"{name!r}: must be a string, not {_what(words)}")
            continue
        words = str.__str__(words)
        if name in LABEL_PLACEHOLDERS:
            problem = template_problem(words, LABEL_PLACEHOLDERS[name])
            if problem:
                problems.append(f"{name!r}: {problem}")
                continue
        out[name] = words
    if problems:
        plural = "s" if len(problems) > 1 else ""
        raise BadValue("; ".join(problems), use=out, note=f"using the default label{plural}")
    return out


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
            f"{name}: cannot use {_what(value)} ({type(error).__name__}); "
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
