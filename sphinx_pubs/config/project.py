"""The checks of :class:`~sphinx_pubs.config.PubsConfig` that read the project's data:
names, URLs, venues and their colours, author marks, folders, groupings, sorts and
labels.  Built on :mod:`sphinx_pubs.config.values`.
"""

from __future__ import annotations

import re
from dataclasses import fields

from sphinx_pubs.config.values import (
    FIELD_NAME,
    BadValue,
    described,
    pairs,
    shown,
    string,
)
from sphinx_pubs.core.names import MARKS, parse_name
from sphinx_pubs.select.query import QueryError
from sphinx_pubs.select.sort import parse_sort
from sphinx_pubs.view.format import template_problem
from sphinx_pubs.view.links import LINK_FIELDS, safe_url
from sphinx_pubs.view.options import Labels

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


def person(value: object) -> str:
    name = string(value, "a name")
    if parse_name(name) is None:
        raise BadValue(f"cannot read {shown(name)} as a name")
    return name


def url(value: object) -> str:
    address = string(value, "a URL").strip()
    if safe_url(address) is None:
        raise BadValue(f"{shown(address)} is not an http, https or mailto URL")
    return address


def color(value: object) -> str:
    colour = string(value, "a colour").strip()
    if not COLOR.match(colour):
        raise BadValue(f"{shown(colour)} is not a colour (#rgb, #rrggbb or a CSS colour name)")
    return colour


def venue(value: object) -> dict[str, str]:
    """A venue badge: ``{"color": ..., "url": ...}``, both optional; a bad one is
    left out (BadValue with the rest)."""
    checks = {"color": color, "url": url}
    out = {}
    problems = []
    for name, element in pairs(value, 'a dict with "color" and "url"'):
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
    sign = string(value, "an author mark")
    if len(sign) != 1 or sign not in MARKS:
        raise BadValue(f"{shown(sign)} is not an author mark ({', '.join(MARKS)})")
    return sign


def folder(value: object) -> str:
    """A folder of the output: names separated by ``/``; no ``..``, not absolute."""
    name = string(value, "a folder name")
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
    name = string(value, "a folder name")
    parts = [part for part in name.strip().strip("/").split("/") if part]
    if not parts or any(part in (".", "..") or "\x00" in part or "\\" in part for part in parts):
        raise BadValue(
            f"{shown(name)} is not a folder inside the source folder (names separated by '/', "
            "no '..')"
        )
    return "/".join(parts)


def grouping(value: object) -> str:
    by = string(value, "year, type, none or a field name").strip().lower()
    if not FIELD_NAME.match(by):
        raise BadValue(f"{shown(value)} is not year, type, none or a field name")
    return by


def sort_keys(value: object) -> str:
    """A sort: ``"year desc, title"``, or ``""`` for the order of the files."""
    sort = string(value, "a sort such as 'year desc, title'")
    if sort.strip():
        try:
            parse_sort(sort)
        except QueryError as error:
            raise BadValue(str(error)) from None
    return sort


def labels(value: object) -> dict[str, str]:
    """Words by label name; a label with a bad template (or any bad item) is left
    out, and the others are used."""
    out: dict[str, str] = {}
    problems: list[str] = []
    for name, words in pairs(value, "a dict of label names and texts"):
        if not isinstance(name, str) or name not in LABEL_KEYS:
            problems.append(f"{shown(name)} is not a label ({', '.join(LABEL_KEYS)})")
            continue
        if not isinstance(words, str):
            problems.append(f"{name!r}: must be a string, not {described(words)}")
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
