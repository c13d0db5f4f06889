"""An entry's links, from its fields: what each value means.  Pure Python.

The links follow al-folio's fields and order: DOI, arXiv, HAL, HTML, PDF, Supp,
Video, Blog, Code, Poster, Slides, Website, then the project's own link fields.  A
value is an identifier (DOI, arXiv, HAL), an absolute URL (only ``http``, ``https``
and ``mailto`` are kept, as written in LaTeX, ``\\url{}`` or HTML) or a path to a file
of the Sphinx project, which the build copies (which files may be copied, and where
they are looked for: :mod:`sphinx_pubs.view.files`).  Also the fields left out of the
BibTeX shown and BibTeX's way of saying yes.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from urllib.parse import quote, unquote, urlsplit

from sphinx_pubs.core.html import href_of
from sphinx_pubs.core.markup import walk
from sphinx_pubs.core.model import (
    Link,
    Problem,
    Publication,
    Source,
)
from sphinx_pubs.core.subtype import Subtype

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
#: a DOI's address or label: ``https://doi.org/``, ``http://dx.doi.org/``, ``doi.org/``,
#: ``www.doi.org/``, ``doi:``, ``DOI``
_DOI_URL = re.compile(r"^(?:https?://)?(?:dx\.|www\.)?doi\.org/", re.IGNORECASE)
_DOI_LABEL = re.compile(r"^doi\s*:?\s*(?=10\.)", re.IGNORECASE)
#: an ISBN (10 or 13 digits, with hyphens or spaces) and a handle (hdl.handle.net)
_ISBN = re.compile(r"^(?:isbn[:\s]*)?(?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dXx]$", re.IGNORECASE)
_HANDLE = re.compile(
    r"^(?:(?:https?://)?hdl\.handle\.net/|hdl:)|^\d+(?:\.\d+)*/\d+$", re.IGNORECASE
)
#: LaTeX escapes in URL-like fields (as DBLP and publishers export them): ``\_``,
#: ``{\_}``, ``\%``, ``\#``, ``\&``, ``\$``, ``\~{}``, ``\textunderscore``...
_ESCAPE = re.compile(
    r"\{\\([_%#&$~])\}|\\([_%#&$])|\\~(?:\{\})?|\\(textunderscore|textasciitilde|slash)(?:\{\}|\b)"
)
_ESCAPED = {"textunderscore": "_", "textasciitilde": "~", "slash": "/"}
#: ``\url{X}`` or ``\href{X}{text}`` around a whole value
_URL_COMMAND = re.compile(r"^\\(?:url|href)\s*\{([^{}]*)\}(?:\s*\{[^{}]*\})?$")
#: a scheme-less web address: ``www.`` names, or a dotted domain then a path
_WWW = re.compile(r"^www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#:]|$)", re.IGNORECASE)
_DOMAIN_PATH = re.compile(r"^(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}/")
#: an HTML link in a field: ``doi:<a href="https://...">...</a>``
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


def url_text(value: str) -> str:
    """A URL-like field's value (a link field, ``url``, ``doi``, ``eprint``,
    ``preview``) as the address it spells: LaTeX escapes undone once (``\\_`` and
    ``{\\_}`` are ``_``, ``\\%`` is ``%``, ``\\~{}`` is ``~``...), a whole-value
    ``\\url{...}`` or ``\\href{...}{...}`` unwrapped, the ``href`` of an HTML link taken,
    then the braces left dropped.  What comes out is vetted as any value is
    (:func:`safe_url`): nothing here can make an unsafe address safe."""
    value = value.strip()
    if "<" in value:  # html = {doi:<a href="https://doi.org/...">...</a>}: the href
        value = (href_of(value) or value).strip()
    value = _ESCAPE.sub(_unescape, value)
    wrapped = _URL_COMMAND.match(value)
    if wrapped is not None:
        value = wrapped.group(1).strip()
    return value.replace("{", "").replace("}", "").strip()


def _unescape(match: re.Match[str]) -> str:
    char = match.group(1) or match.group(2)
    if char:
        return char
    if match.group(3):
        return _ESCAPED[match.group(3)]
    return "~"


@dataclass(frozen=True)
class LinkValue:
    """One link of an entry: ``url`` for the web, else ``path`` for a project file
    (and ``web``, the address a scheme-less ``example.org/page`` means when no
    project file has that name).  ``read`` is the field the value was read from
    (``url`` when ``html`` fell back to it)."""

    field: str
    label: str
    url: str | None = None
    path: str | None = None
    web: str | None = None
    read: str = ""


@dataclass(frozen=True)
class BadLink:
    field: str
    value: str
    reason: str
    #: the field the value was read from, when not *field* (``url`` for ``html``)
    read: str = ""


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
        read, value = _value(fields, field)
        if not value:
            continue
        link = replace(classify(field, label, value), read=read)
        (found if isinstance(link, LinkValue) else bad).append(link)  # type: ignore[arg-type]
    return found, bad


def classify(field: str, label: str, value: str) -> LinkValue | BadLink:
    """One field's value as a link: an identifier's address, a vetted URL, or a path
    to a project file; else why it cannot be one.  The value is read as
    :func:`url_text` reads it (LaTeX escapes undone)."""
    raw = value
    value = url_text(value)
    if not value:
        return BadLink(field, raw, "not a URL or a file")
    known = _identifier_url(field, value)
    if known is not None and known.startswith("!"):
        return BadLink(field, raw, known[1:])
    if known == "":
        return BadLink(field, raw, f"not a valid {label} identifier")
    if known is not None:
        return LinkValue(field, label, url=known)
    if _SCHEME.match(value) or value.startswith("//"):
        url = safe_url(value)
        if url is None:
            return BadLink(field, raw, "only http, https and mailto links are allowed")
        return LinkValue(field, label, url=url)
    if _WWW.match(value):
        url = safe_url("https://" + value)
        if url is None:
            return BadLink(field, raw, "not a URL or a file")
        return LinkValue(field, label, url=url)
    return LinkValue(field, label, path=value, web=bare_web_address(value))


def bare_web_address(value: str) -> str | None:
    """The web address a scheme-less *value* such as ``example.org/page`` (a dotted
    domain, then a path) means, else None."""
    return safe_url("https://" + value) if _DOMAIN_PATH.match(value) else None


def _identifier_url(field: str, value: str) -> str | None:
    """The address of a DOI, an arXiv identifier or a HAL identifier; "" when the value
    is not one; None for other fields (and a HAL value that is a URL)."""
    if field == "doi":
        return _doi_url(value)
    if field == "arxiv":
        ident = _ARXIV_PREFIX.sub("", value).strip()
        return "https://arxiv.org/abs/" + ident if _ARXIV.match(ident) else ""
    if field == "hal" and not _SCHEME.match(value):
        ident = value.strip()
        return "https://hal.science/" + ident if _HAL.match(ident) else ""
    return None


def _doi_url(value: str) -> str:
    """The doi.org address of the DOI *value* (written bare, as ``doi:``, ``DOI``, or
    as a doi.org address); "!" and the reason when it is an ISBN or a handle; ""
    when it is no DOI."""
    doi = value.strip()
    if _DOI_URL.match(doi):
        doi = unquote(_DOI_URL.sub("", doi, count=1)).strip()
    else:
        doi = _DOI_LABEL.sub("", doi, count=1).strip()
    if _DOI.match(doi):
        return "https://doi.org/" + quote(doi, safe="/:;()._-")
    if _ISBN.match(doi):
        return "!an ISBN, not a DOI (write it in the isbn field)"
    if _HANDLE.match(doi):
        return "!a handle, not a DOI (write its address in the url field)"
    if safe_url(doi) is not None and "doi.org/" not in doi.lower():
        return "!a web address, not a DOI (write it in the url field)"
    return ""


def _value(fields: dict[str, str], name: str) -> tuple[str, str]:
    """The field link *name* is read from (``url`` for an empty ``html``, ``eprint``
    for an arXiv ``arxiv``) and its value."""
    value = fields.get(name, "").strip()
    if value or name not in ("arxiv", "html"):
        return name, value
    if name == "html":
        return "url", fields.get("url", "").strip()
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    return "eprint", (fields.get("eprint", "").strip() if prefix == "arxiv" else "")


def checked_links(
    record: Publication, extra: dict[str, str] | None = None, abstract: bool = True
) -> tuple[list[LinkValue], list[Problem]]:
    """The links the build uses for *record* (its link fields, then its ``preview``
    thumbnail) and the problems with the links it drops, in the order the build
    reports them: unsafe ``\\url``/``\\href`` in the entry's texts (and in its
    abstract, when *abstract*), then link fields that are not links.

    *extra* are the project's own link fields (``pubs_link_fields``).  A project
    file among the links is not looked at here (see :func:`sphinx_pubs.view.files.project_file`).
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
                        Subtype.LINK,
                    )
                )
    links, bad = entry_links(record, extra)
    preview = record.fields.get("preview", "").strip()
    if preview:  # a thumbnail: an image URL or a project file, like the links
        image = replace(classify("preview", "Preview", preview), read="preview")
        (links if isinstance(image, LinkValue) else bad).append(image)  # type: ignore[arg-type]
    for wrong in bad:
        read = wrong.read or wrong.field
        problems.append(
            Problem(
                field_source(record, read),
                f"entry {record.key!r}, field {read!r}: link {wrong.value!r} dropped "
                f"({wrong.reason})",
                Subtype.LINK,
            )
        )
    return links, problems


def field_source(record: Publication, field: str) -> Source:
    """Where field *field* of *record* is written: its own line when the reader
    kept it, else the entry's."""
    line = getattr(record, "field_lines", {}).get(field)  # {} in an older pickle
    return Source(record.source.path, line) if line else record.source


def is_true(value: str) -> bool:
    """BibTeX's way of saying yes: ``{true}``, ``yes``, ``1``."""
    return value.strip().strip("{}").strip().lower() in ("true", "yes", "1", "on")
