"""What the tags of HTML written in field values mean: the elements known, the two
dialects (CSL's rich-text subset, :data:`CSL`; the HTML people write into BibTeX
fields for al-folio, :data:`FIELD_HTML`) and the token pattern of the tag reader
(:mod:`sphinx_pubs.core.html`)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: a parsed text: strings, atoms passed through (math...), ``(style, children)`` pairs;
#: a link is ``("a", children, url)``
Node = Any

TOKEN = re.compile(
    r"<!--"  # a comment (read to its end apart)
    r"|<(/?)([A-Za-z][A-Za-z0-9-]*(?::[A-Za-z][\w.-]*)?)"  # 1 "/", 2 the name
    # 3 attributes: as HTML writes them, else anything up to the ">" (a stray quote)
    r"((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*\s*|\s[^<>]*?)"
    r"/?>"
    r"|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});",  # a reference
    re.S,
)
ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")
#: tags nest at most this deep (as the LaTeX decoder's groups do)
MAX_NEST = 48

#: HTML elements (and the XML of pasted abstracts: JATS, MathML, IEEE's tex-math)
#: whose tags are dropped keeping their text when no style reads them (and the tags of
#: JATS and MathML: ``jats:p``, ``mml:mi``)
HTML_ELEMENTS = frozenset(
    """
    a abbr acronym address article aside b bdi bdo big blockquote body br caption center
    cite code col colgroup data dd del details dfn div dl dt em figcaption figure font
    footer h1 h2 h3 h4 h5 h6 head header hr html i img ins kbd label li main mark math
    mi mn mo mrow msub msup msubsup mfrac msqrt mtext nav nobr ol p pre q rp rt ruby s
    samp section small span strike strong sub summary sup table tbody td tfoot th thead
    time tr tt u ul var wbr inline-formula tex-math disp-formula alternatives
    named-content styled-content italic bold sc monospace
    script style template noscript textarea iframe object embed svg title select option
    button form input
    """.split()
)
#: namespace prefixes of the XML in pasted abstracts (Crossref's JATS, MathML)
_PREFIXES = frozenset("jats mml m xlink ali tei oasis".split())


def is_element(name: str) -> bool:
    prefix, colon, _ = name.partition(":")
    return prefix in _PREFIXES if colon else name in HTML_ELEMENTS


#: elements whose text is not shown either
HIDDEN = frozenset("script style template noscript textarea iframe object svg title select".split())
#: elements that break a line or a block: a space between their neighbours
BREAKS = frozenset(
    "br hr p div li dd dt tr td th h1 h2 h3 h4 h5 h6 blockquote ul ol table section".split()
)
#: HTML elements read as a style of rich text
_FIELD_STYLES = {
    "i": "emph",
    "em": "emph",
    "cite": "emph",
    "var": "emph",
    "dfn": "emph",
    "b": "strong",
    "strong": "strong",
    "sup": "sup",
    "sub": "sub",
    "code": "code",
    "tt": "code",
    "kbd": "code",
    "samp": "code",
    "italic": "emph",  # JATS without its prefix (IEEE, Crossref abstracts)
    "bold": "strong",
    "sc": "smallcaps",
    "monospace": "code",
    "jats:italic": "emph",
    "jats:bold": "strong",
    "jats:sup": "sup",
    "jats:sub": "sub",
    "jats:monospace": "code",
    "jats:sc": "smallcaps",
}
_SMALL_CAPS = re.compile(r"font-variant\s*:\s*small-caps", re.I)


@dataclass(frozen=True)
class Dialect:
    """What a text's tags mean: ``style(name, attributes)`` names the style an opening
    tag starts (None: not read), ``lenient`` says how unknown, stray and unclosed tags
    are taken (dropped and closed, or kept as text)."""

    style: Callable[[str, str], str | None]
    lenient: bool
    #: decode character references (else they stay in the text, for the caller)
    entities: bool = True


def _csl_style(name: str, attributes: str) -> str | None:
    if name in ("i", "b", "sup", "sub") and not attributes:
        return name
    if name == "span":
        value = attributes.strip()
        if value in ('style="font-variant:small-caps;"', 'style="font-variant: small-caps;"'):
            return "small-caps"
        if value in ('class="nocase"', 'class="nodecor"'):
            return value[7:-1]
        if value in ('style="font-variant:small-caps"', 'style="font-variant: small-caps"'):
            return "small-caps"
    return None


def _field_style(name: str, attributes: str) -> str | None:
    style = _FIELD_STYLES.get(name)
    if style is not None:
        return style
    if name == "span" and _SMALL_CAPS.search(attributes):
        return "smallcaps"
    if name in ("a", "span", "u", "small", "big", "nobr", "font", "mark", "ins", "q", "abbr"):
        return ""  # read, no style of its own
    return None


CSL = Dialect(_csl_style, lenient=False, entities=False)
FIELD_HTML = Dialect(_field_style, lenient=True)


def attribute(attributes: str, wanted: str) -> str | None:
    """The value of attribute *wanted* in the attribute text of a tag (entities read)."""
    for m in ATTRIBUTE.finditer(attributes):
        if m.group(1).lower() == wanted:
            value = next((g for g in m.group(2, 3, 4) if g is not None), "")
            return html.unescape(value).strip()
    return None
