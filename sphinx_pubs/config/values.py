"""The checks of :class:`~sphinx_pubs.config.PubsConfig` that read values of any kind:
booleans, counts, strings, choices, field names, lists and dicts of them, file names,
encodings.  A check returns the value as used, or raises :class:`BadValue`.
"""

from __future__ import annotations

import codecs
import os
import re
import reprlib
from collections.abc import Callable, Iterable
from typing import Any

from sphinx_pubs.core.model import printable

ABSTRACT_MODES = ("collapsed", "expanded", "hidden")
HEADING_MODES = ("section", "rubric", "none")
FACETS = ("year", "type")
DOWNLOADS = ("bib", "csl-json")
#: other names of the download formats
DOWNLOAD_ALIASES = {"json": "csl-json", "csl": "csl-json"}
#: a field name (``keywords``, ``bibtex_show``, ``x-data``, ``dc:title``)
FIELD_NAME = re.compile(r"^[A-Za-z_][\w.:-]*$")


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


def described(value: object) -> str:
    return f"{shown(value)} ({type(value).__name__})"


# -- checks: the value as used, or BadValue ---------------------------------------------


def boolean(value: object) -> bool:
    if value is True or value is False:
        return value
    raise BadValue(f"must be True or False, not {described(value)}")


def optional_boolean(value: object) -> bool | None:
    if value is None:
        return None
    if value is True or value is False:
        return value
    raise BadValue(f"must be True, False or None, not {described(value)}")


def count(value: object) -> int:
    """A whole number, 0 or more."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return int.__int__(value)
    raise BadValue(f"must be a whole number, 0 or more, not {described(value)}")


def string(value: object, what: str = "a string") -> str:
    if isinstance(value, str):
        return str.__str__(value)  # a plain str, whatever a subclass does
    raise BadValue(f"must be {what}, not {described(value)}")


def text(value: object) -> str:
    return string(value)


def label(value: object) -> str:
    """A text shown to readers: not empty."""
    words = string(value, "a non-empty string")
    if not words.strip():
        raise BadValue(f"must be a non-empty string, not {shown(words)}")
    return words


def choice(*options: str) -> Callable[[object], str]:
    listed = ", ".join(repr(option) for option in options)

    def check(value: object) -> str:
        word = string(value, f"one of {listed}").strip().lower()
        if word not in options:
            raise BadValue(f"{shown(value)} is not one of {listed}")
        return word

    check.__doc__ = f"One of {listed}."
    return check


def field_name(value: object) -> str:
    name = string(value, "a field name").strip().lower()
    if not FIELD_NAME.match(name):
        raise BadValue(f"{shown(value)} is not a field name")
    return name


def field_pattern(value: object) -> str:
    """A field name, or a pattern of field names with ``*`` (``bdsk-*``)."""
    name = string(value, "a field name or pattern").strip().lower()
    if not FIELD_NAME.match(name.replace("*", "x")):
        raise BadValue(f"{shown(value)} is not a field name or a pattern such as 'bdsk-*'")
    return name


def optional_field_name(value: object) -> str:
    """A field name, or ``""`` for none."""
    return field_name(value) if string(value, "a field name or ''").strip() else ""


def items(value: object, what: str) -> list[Any]:
    """The items of a list or tuple (a set would make the output depend on its order)."""
    if not isinstance(value, (list, tuple)):
        raise BadValue(f"must be {what}, not {described(value)}")
    return list(value)


def pairs(value: object, what: str) -> list[tuple[Any, Any]]:
    if not isinstance(value, dict):
        raise BadValue(f"must be {what}, not {described(value)}")
    return list(dict.items(value))


def list_of(
    item: Callable[[object], Any], what: str, unique: bool = False
) -> Callable[[object], list[Any]]:
    """A list (or tuple) of *item*; bad items are left out (BadValue with the rest)."""

    def check(value: object) -> list[Any]:
        out: list[Any] = []
        problems: list[str] = []
        for element in items(value, what):
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
        for name, element in pairs(mapping, what):
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
            raise BadValue(f"must be a file name, not {described(value)}") from None
    return nonblank(value, "a file name")


def nonblank(value: object, what: str) -> str:
    """*value* as a string that is not blank and holds no NUL (a name of *what*)."""
    text = string(value, what)
    if not text.strip() or "\x00" in text:
        raise BadValue(f"{shown(text)} is not {what}")
    return text


def encoding(value: object) -> str:
    """The name of a text encoding Python knows."""
    name = string(value, "the name of an encoding")
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


def glob_pattern(value: object) -> str:
    """A pattern as ``exclude_patterns`` takes them, relative to the source folder."""
    return nonblank(value, "a glob pattern")


def names_of(
    choices: Iterable[str], what: str, aliases: dict[str, str] | None = None
) -> Callable[[object], list[str]]:
    """A list of names from *choices* (case ignored; ``"none"`` stands for none)."""
    options = tuple(choices)
    listed = ", ".join(options)

    def check(value: object) -> list[str]:
        wanted, unknown = pick(
            (string(item, "a string") for item in items(value, f"a list of {what}s")),
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
