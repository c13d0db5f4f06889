"""An entry's link buttons and its BibTeX, from its fields.  Pure Python.

The buttons follow al-folio's fields and order: DOI, arXiv, HAL, HTML, PDF, Supp,
Video, Blog, Code, Poster, Slides, Website, then the project's own link fields.  A
value is either an absolute URL (only ``http``, ``https`` and ``mailto`` are kept) or
a path to a file of the Sphinx project, which the build copies.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from .markup import href_of
from .model import Inline, Link, Problem, Publication, RichText, Styled, printable

#: link fields in button order, with their default labels; ``arxiv`` and ``html``
#: have fallbacks (``eprint`` with an arXiv prefix, ``url``)
LINK_FIELDS: tuple[tuple[str, str], ...] = (
    ("doi", "DOI"),
    ("arxiv", "arXiv"),
    ("hal", "HAL"),
    ("html", "HTML"),
    ("pdf", "PDF"),
    ("supp", "Supp"),
    ("video", "Video"),
    ("blog", "Blog"),
    ("code", "Code"),
    ("poster", "Poster"),
    ("slides", "Slides"),
    ("website", "Website"),
)

#: fields that only drive the page, left out of the BibTeX shown to readers
DEFAULT_BIBTEX_HIDDEN = (
    "abstract abbr additional_info altmetric annotation arxiv award award_name "
    "bibtex_show blog code dimensions google_scholar_id hal html inspirehep_id pdf "
    "poster preview selected slides supp video website file "
    # housekeeping of reference managers (BibDesk, JabRef, Zotero, Mendeley, DBLP):
    # a name with "*" is a pattern (bdsk-url-1, bdsk-file-2...)
    "date-added date-modified bdsk-* jabref-* zotero-* mendeley-* citavi-* owner timestamp "
    "biburl bibsource cdate creationdate modificationdate local-url"
).split()


def is_hidden(name: str, hidden: Collection[str]) -> bool:
    """Whether field *name* (lower-case) is one of *hidden*, whose names may be
    patterns with ``*`` (``bdsk-*``)."""
    if name in hidden:
        return True
    pattern = _hidden_pattern(hidden if isinstance(hidden, frozenset) else frozenset(hidden))
    return pattern is not None and pattern.match(name) is not None


@functools.lru_cache(maxsize=64)
def _hidden_pattern(hidden: frozenset[str]) -> re.Pattern[str] | None:
    """One regular expression for the patterns among *hidden* (None when none is)."""
    patterns = sorted(fnmatch.translate(name) for name in hidden if "*" in name)
    return re.compile("|".join(patterns)) if patterns else None


SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
#: a DOI: "10.", a registrant code, "/", a suffix without spaces
_DOI = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
#: arXiv identifiers, new (2301.01234v2) and old (hep-th/9901001, math.GT/0309136)
_ARXIV = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Za-z]{2})?/\d{7})(?:v\d+)?$")
#: HAL identifiers (hal-01234567, tel-00123456v2)
_HAL = re.compile(r"^[a-z]+-\d+(?:v\d+)?$")
_ARXIV_PREFIX = re.compile(r"^\s*(?:https?://arxiv\.org/(?:abs|pdf)/|arxiv:\s*)", re.IGNORECASE)


def safe_url(url: str) -> str | None:
    """*url* when it is an absolute ``http``, ``https`` or ``mailto`` URL, else None."""
    url = url.strip()
    if not url or any(ch in url for ch in "\x00\r\n\t<>\"'` \\"):
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # "http://[::1", full-width characters that normalise to "/"...
        return None
    return url if scheme in SAFE_SCHEMES else None


@dataclass(frozen=True)
class LinkValue:
    """One link of an entry: ``url`` for the web, else ``path`` for a project file."""

    field: str
    label: str
    url: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class BadLink:
    field: str
    value: str
    reason: str


def entry_links(
    record: Publication, extra: dict[str, str] | None = None, labels: dict[str, str] | None = None
) -> tuple[list[LinkValue], list[BadLink]]:
    """The entry's links in button order, and the values that cannot be links."""
    fields = record.fields
    labels = labels or {}
    found: list[LinkValue] = []
    bad: list[BadLink] = []
    for field, default in (*LINK_FIELDS, *(extra or {}).items()):
        label = labels.get(field, default)
        value = _value(fields, field)
        if not value:
            continue
        link = classify(field, label, value)
        (found if isinstance(link, LinkValue) else bad).append(link)  # type: ignore[arg-type]
    return found, bad


def classify(field: str, label: str, value: str) -> LinkValue | BadLink:
    """One field's value as a link: an identifier's address, a vetted URL, or a path
    to a project file; else why it cannot be one."""
    known = _identifier_url(field, value)
    if known == "":
        return BadLink(field, value, f"not a valid {label} identifier")
    if known is not None:
        return LinkValue(field, label, url=known)
    if _SCHEME.match(value) or value.startswith("//"):
        url = safe_url(value)
        if url is None:
            return BadLink(field, value, "only http, https and mailto links are allowed")
        return LinkValue(field, label, url=url)
    return LinkValue(field, label, path=value.strip())


def _identifier_url(field: str, value: str) -> str | None:
    """The address of a DOI, an arXiv identifier or a HAL identifier; "" when the value
    is not one; None for other fields (and a HAL value that is a URL)."""
    if field == "doi":
        doi = _DOI_PREFIX.sub("", value).strip()
        return "https://doi.org/" + quote(doi, safe="/:;()._-") if _DOI.match(doi) else ""
    if field == "arxiv":
        ident = _ARXIV_PREFIX.sub("", value).strip()
        return "https://arxiv.org/abs/" + ident if _ARXIV.match(ident) else ""
    if field == "hal" and not _SCHEME.match(value):
        ident = value.strip()
        return "https://hal.science/" + ident if _HAL.match(ident) else ""
    return None


def _value(fields: dict[str, str], name: str) -> str:
    value = fields.get(name, "").strip()
    if "<" in value:  # html = {doi:<a href="https://doi.org/...">...</a>}: the href
        value = href_of(value) or value
    if value or name not in ("arxiv", "html"):
        return value
    if name == "html":
        return fields.get("url", "").strip()
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    return fields.get("eprint", "").strip() if prefix == "arxiv" else ""


def walk(rich: RichText) -> Iterator[Inline]:
    """Every inline item of *rich*, nested ones included."""
    for item in rich:
        yield item
        if isinstance(item, (Styled, Link)):
            yield from walk(item.children)


def checked_links(
    record: Publication, extra: dict[str, str] | None = None, abstract: bool = True
) -> tuple[list[LinkValue], list[Problem]]:
    """The links the build uses for *record* (its link fields, then its ``preview``
    thumbnail) and the problems with the links it drops, in the order the build
    reports them: unsafe ``\\url``/``\\href`` in the entry's texts (and in its
    abstract, when *abstract*), then link fields that are not links.

    *extra* are the project's own link fields (``pubs_link_fields``).  A project
    file among the links is not looked at here (see :func:`project_file`).
    """
    problems: list[Problem] = []
    texts = (*record.text.values(), *(record.abstract if abstract else ()))
    for rich in texts:  # the title is among the texts
        for item in walk(rich):
            if isinstance(item, Link) and safe_url(item.url) is None:
                problems.append(
                    Problem(
                        record.source,
                        f"entry {record.key!r}: link {item.url!r} dropped (only http, "
                        "https and mailto links are allowed)",
                        "link",
                    )
                )
    links, bad = entry_links(record, extra)
    preview = record.fields.get("preview", "").strip()
    if preview:  # a thumbnail: an image URL or a project file, like the links
        image = classify("preview", "Preview", preview)
        (links if isinstance(image, LinkValue) else bad).append(image)  # type: ignore[arg-type]
    for wrong in bad:
        problems.append(
            Problem(
                record.source,
                f"entry {record.key!r}, field {wrong.field!r}: link {wrong.value!r} dropped "
                f"({wrong.reason})",
                "link",
            )
        )
    return links, problems


def is_true(value: str) -> bool:
    """BibTeX's way of saying yes: ``{true}``, ``yes``, ``1``."""
    return value.strip().strip("{}").strip().lower() in ("true", "yes", "1", "on")


#: folders of version-control systems; dot-folders (.git, .hg, .svn, .bzr ...) are
#: refused anyway, as every name that starts with a dot
VCS_FOLDERS = frozenset(
    {".git", ".hg", ".svn", ".bzr", ".pijul", ".jj", "_darcs", "cvs", "rcs", "sccs", "_mtn"}
    | {"_fossil_", ".fslckout", "{arch}"}
)


@dataclass(frozen=True)
class PublishRules:
    """What the build may not copy besides the fixed rules of :func:`project_file`:
    its own output and the files the project excludes."""

    #: the build's output folders (``app.outdir``, the doctree folder)
    outputs: tuple[str, ...] = ()
    #: Sphinx's ``exclude_patterns``
    exclude_patterns: tuple[str, ...] = ()
    #: ``pubs_link_exclude``: more glob patterns, in the same syntax
    link_exclude: tuple[str, ...] = ()


@functools.lru_cache(maxsize=32)
def _matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    from sphinx.util.matching import Matcher  # as Sphinx matches exclude_patterns

    return Matcher(patterns)


def _name_forms(name: str) -> set[str]:
    """*name* as file systems may read it: as written and in NFKC form (a full-width
    dot is a dot), without the trailing dots and spaces Windows drops, in any case."""
    forms = {name, unicodedata.normalize("NFKC", name)}
    return {form.rstrip(". ").casefold() or form for form in forms}


def _private_name(parts: Sequence[str]) -> str | None:
    """Why the project path *parts* (its folders, then its name) is never published."""
    for part in parts:
        forms = _name_forms(part)
        if forms & VCS_FOLDERS:
            return "is in a version-control folder"
        if any(form.startswith(".") for form in forms):
            return "is a hidden file or in a hidden folder"
    if parts and "conf.py" in _name_forms(parts[-1]):
        return "is a Sphinx configuration file (conf.py)"
    return None


def _excluded(parts: Sequence[str], rules: PublishRules) -> str | None:
    """The setting whose patterns exclude the path *parts* or one of its folders (as
    Sphinx leaves out a folder that matches), else None."""
    prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
    for setting, patterns in (
        ("exclude_patterns", rules.exclude_patterns),
        ("pubs_link_exclude", rules.link_exclude),
    ):
        if patterns:
            matches = _matcher(tuple(patterns))
            if any(matches(prefix) for prefix in prefixes):
                return setting
    return None


def _inside(folder: str, path: str) -> bool:
    try:
        return os.path.commonpath([folder, path]) == folder
    except ValueError:  # another drive
        return False


def _encodable(path: str) -> bool:
    try:
        os.fsencode(path)
    except UnicodeError:
        return False
    return True


def project_file(
    record: Publication,
    field: str,
    path: str,
    srcdir: str,
    rules: PublishRules | None = None,
) -> str | Problem:
    """The absolute path of the project file that link *field* of *record* names, or
    the problem with it.

    The path is relative to the bibliography file's folder, or to the source folder
    *srcdir* when it starts with ``/``.  Never published (the build never copies
    them): a file outside *srcdir* (symbolic links resolved), hidden files and
    anything in a hidden folder (a name starting with a dot: ``.env``,
    ``.git/config``), version-control folders (:data:`VCS_FOLDERS`), any
    ``conf.py``, the build's output and doctree folders and files that *rules*'
    patterns exclude (``exclude_patterns``, ``pubs_link_exclude``).  A path with a
    backslash, a control character or a character no file name can hold is refused too.
    """
    rules = rules or PublishRules()
    where = f"entry {record.key!r}, field {field!r}: "

    def refused(reason: str) -> Problem:
        return Problem(record.source, where + f"{path!r} {reason}; not copied", "link")

    if printable(path) != path or not _encodable(path):  # a NUL fails os.path
        return refused("holds characters no file name may hold")
    if "\\" in path:
        return refused("has a backslash (write folders with /)")
    if path.startswith("/"):
        written = os.path.join(os.path.abspath(srcdir), path.lstrip("/"))
    else:
        written = os.path.join(os.path.dirname(os.path.abspath(record.source.path)), path)
    written = os.path.normpath(written)
    real_srcdir = os.path.realpath(srcdir)
    full = os.path.realpath(written)
    if not _inside(real_srcdir, full):
        return refused("is outside the project")
    # the path as written (``a/../.env``, a link named ``.hidden``) and the file it is
    names = [os.path.relpath(full, real_srcdir).split(os.sep)]
    if _inside(os.path.abspath(srcdir), written):
        names.append(os.path.relpath(written, os.path.abspath(srcdir)).split(os.sep))
    for parts in names:
        parts = [part for part in parts if part not in ("", ".")]
        reason = _private_name(parts)
        if reason is not None:
            return refused(reason)
    for output in rules.outputs:
        output = os.path.realpath(output) if output else ""
        # a source folder inside the output folder (sphinx-build docs/src docs) is
        # the project's: only the output's own files are refused
        if output and _inside(output, full) and not _inside(output, real_srcdir):
            return refused("is in the build's output")
    for parts in names:
        setting = _excluded([part for part in parts if part not in ("", ".")], rules)
        if setting is not None:
            return refused(f"is excluded by {setting}")
    if not os.path.isfile(full):
        return Problem(record.source, where + f"file {path!r} not found", "link")
    return full
