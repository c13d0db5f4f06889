"""HTML and Markdown written inside field values, read into rich text.

Two dialects share one tag reader:

- CSL's rich-text subset (``<i>``, ``<b>``, ``<sup>``, ``<sub>``, the small-caps and
  ``nocase`` spans; :data:`CSL`), strict: any other tag, a stray closing tag or an
  unclosed one is literal text (the CSL-JSON reader, :mod:`sphinx_pubs.sources.csl`);
- the HTML people write into BibTeX fields for al-folio, which passes it through to
  the page (``<i>p</i>-adic``, ``<b>(oral)</b>``, ``Journal<br>Article``,
  ``&nbsp;``; :data:`FIELD_HTML`), lenient as a browser is: ``i em b strong sup sub
  small u span code a br`` are read, every other HTML element is dropped keeping its
  text (``script`` and ``style`` with their text), unclosed tags end with the value.
  A ``<word>`` that is no HTML element ("List<String>") stays text.

Nothing here passes markup through: the result is rich text whose strings the
writers escape, and links are vetted by the renderer.  Work is linear in the input:
one regular-expression scan, one stack.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sphinx_pubs.core.model import Inline, Link, RichText, Styled

#: a parsed text: strings, atoms passed through (math...), ``(style, children)`` pairs;
#: a link is ``("a", children, url)``
Node = Any

_TOKEN = re.compile(
    r"<!--"  # a comment (read to its end apart)
    r"|<(/?)([A-Za-z][A-Za-z0-9-]*(?::[A-Za-z][\w.-]*)?)"  # 1 "/", 2 the name
    # 3 attributes: as HTML writes them, else anything up to the ">" (a stray quote)
    r"((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*\s*|\s[^<>]*?)"
    r"/?>"
    r"|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});",  # a reference
    re.S,
)
_ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
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


def _is_element(name: str) -> bool:
    prefix, colon, _ = name.partition(":")
    return prefix in _PREFIXES if colon else name in HTML_ELEMENTS


#: elements whose text is not shown either
_HIDDEN = frozenset(
    "script style template noscript textarea iframe object svg title select".split()
)
#: elements that break a line or a block: a space between their neighbours
_BREAKS = frozenset(
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
    for m in _ATTRIBUTE.finditer(attributes):
        if m.group(1).lower() == wanted:
            value = next((g for g in m.group(2, 3, 4) if g is not None), "")
            return html.unescape(value).strip()
    return None


def has_markup(text: str) -> bool:
    """Whether *text* may hold a tag or a character reference (a cheap test)."""
    return ("<" in text and ">" in text) or ("&" in text and ";" in text)


_HTML_IN = re.compile(r"<[/!]?[A-Za-z]|(?<!\\)&#?\w+;")


def written_html(raw: str) -> bool:
    """Whether a raw BibTeX value has HTML written in it: a tag or a character
    reference (not LaTeX's ``\\&`` or ``\\textless``, whose characters are text)."""
    return _HTML_IN.search(raw) is not None


def parse(items: Iterable[Node], dialect: Dialect) -> list[Node]:
    """The tree of *items* (strings, and atoms kept as they are), tags read as
    *dialect* says and character references decoded."""
    root: list[Node] = []
    # (tag name, style, parent items, the opening tag's text, url)
    stack: list[tuple[str, str, list[Node], str, str | None]] = []
    out = root
    hidden = ""  # inside <script>...: the element's name

    for item in items:
        if not isinstance(item, str):
            if not hidden:
                out.append(item)
            continue
        pos = 0
        no_close: dict[str, int] = {}  # element -> from where on it has no end tag
        while True:
            m = _TOKEN.search(item, pos)
            if m is None:
                break
            if m.start() > pos and not hidden:
                out.append(item[pos : m.start()])
            pos = m.end()
            token = m.group()
            if token.startswith("&"):
                if not hidden:
                    out.append(html.unescape(token) if dialect.entities else token)
                continue
            if token == "<!--":
                if not dialect.lenient:
                    if not hidden:
                        out.append(token)  # text; what follows is read on
                    continue
                end = item.find("-->", pos)  # dropped, to the end when unclosed
                pos = len(item) if end < 0 else end + 3
                continue
            closing, name, attributes = m.group(1) == "/", m.group(2).lower(), m.group(3)
            if hidden:
                if closing and name == hidden:
                    hidden = ""
                continue
            if not closing:
                style = dialect.style(name, attributes)
                if style is not None and len(stack) >= MAX_NEST:
                    # deeper styles are not read (the output stays shallow): dropped,
                    # or text in the strict dialect
                    if dialect.lenient:
                        continue
                    style = None
                if style is not None:
                    url = attribute(attributes, "href") if name == "a" else None
                    stack.append((name, style, out, token, url))
                    out = []
                elif dialect.lenient and _is_element(name):
                    if name in _HIDDEN and not token.endswith("/>"):
                        # hidden up to its end tag; one never closed hides nothing
                        # (a name list must not lose the names after it)
                        if m.end() < no_close.get(name, len(item) + 1):
                            if _end_tag(name).search(item, m.end()):
                                hidden = name
                            else:
                                no_close[name] = m.end()
                    elif name in _BREAKS:
                        out.append(" ")
                    elif name == "img":
                        alt = attribute(attributes, "alt")
                        out.append(alt or "")
                else:
                    out.append(token)
                continue
            # a closing tag
            at = None
            lowest = 0 if dialect.lenient else len(stack) - 1
            candidates = range(len(stack) - 1, max(lowest, 0) - 1, -1)
            for index in candidates:
                if stack[index][0] == name:
                    at = index
                    break
            if at is None:
                if dialect.lenient and _is_element(name):
                    if name in _BREAKS:
                        out.append(" ")
                else:
                    out.append(token)
                continue
            while len(stack) > at:
                out = _close(stack.pop(), out)
        if pos < len(item) and not hidden:
            out.append(item[pos:])
    while stack:
        frame = stack.pop()
        if dialect.lenient:
            out = _close(frame, out)
        else:  # an unclosed tag is text
            parent = frame[2]
            parent.append(frame[3])
            parent.extend(out)
            out = parent
    return root


@functools.cache
def _end_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE)


def _close(frame: tuple[str, str, list[Node], str, str | None], items: list[Node]) -> list[Node]:
    name, style, parent, _, url = frame
    if name == "a" and url is not None:
        parent.append(("a", items, url))
    else:
        parent.append((style, items))
    return parent


def to_rich(tree: list[Node]) -> RichText:
    """Rich text of a tree made by :func:`parse` with :data:`FIELD_HTML`: whitespace
    runs collapsed, the ends stripped."""
    rich = _tidy(_rich(tree))
    if rich and isinstance(rich[0], str):
        rich = (rich[0].lstrip(" "), *rich[1:])
    if rich and isinstance(rich[-1], str):
        rich = (*rich[:-1], rich[-1].rstrip(" "))
    return tuple(item for item in rich if item != "")


def _rich(tree: list[Node]) -> list[Inline]:
    out: list[Inline] = []
    for node in tree:
        if (
            isinstance(node, tuple)
            and len(node) in (2, 3)
            and isinstance(node[0], str)
            and (isinstance(node[1], list))
        ):
            children = tuple(_rich(node[1]))
            if len(node) == 3:
                out.append(Link(node[2], children or (node[2],)))
            elif node[0] and children:
                out.append(Styled(node[0], children))
            else:
                out.extend(children)
        else:
            out.append(node)
    return out


def _tidy(rich: Iterable[Inline]) -> RichText:
    """*rich* with neighbouring strings joined and runs of spaces made one: each run of
    strings is joined once (linear, however many pieces an entity-rich text has)."""
    out: list[Inline] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            joined = "".join(run)
            while "  " in joined:
                joined = joined.replace("  ", " ")
            out.append(joined)
            run.clear()

    for item in rich:
        if isinstance(item, str):
            run.append(_SPACES.sub(" ", item))
            continue
        end_run()
        if isinstance(item, Styled | Link):
            item = item._replace(children=_tidy(item.children))
        out.append(item)
    end_run()
    return tuple(out)


def _any_markup(rich: RichText) -> bool:
    for item in rich:
        if isinstance(item, str):
            if has_markup(item):
                return True
        elif isinstance(item, Link) and item.children == (item.url,):
            continue
        elif isinstance(item, Styled | Link) and _any_markup(item.children):
            return True
    return False


def read_field_html(rich: RichText) -> RichText:
    """*rich* (a decoded BibTeX field) with the HTML in its strings read (al-folio's
    pass-through HTML, :data:`FIELD_HTML`); unchanged when it has none."""
    if not _any_markup(rich):
        return rich
    return to_rich(parse(_inner(rich), FIELD_HTML))


def _inner(rich: RichText) -> list[Node]:
    """*rich* with the HTML inside styled runs read first (``\\emph{<b>x</b>}``)."""
    out: list[Node] = []
    for item in rich:
        if isinstance(item, Link) and item.children == (item.url,):
            out.append(item)  # \url{...}: its text is the address, as written
        elif isinstance(item, Styled | Link) and _any_markup(item.children):
            item = item._replace(children=to_rich(parse(_inner(item.children), FIELD_HTML)))
        out.append(item)
    return out


def strip_tags(text: str) -> str:
    """*text* (a raw field value, names) with HTML tags dropped and character
    references decoded (``Name<nobr><em>*</em></nobr>`` -> ``Name*``)."""
    if not has_markup(text):
        return text
    parts: list[str] = []
    for node in _flatten(parse([text], FIELD_HTML)):
        parts.append(node)
    return "".join(parts)


def _flatten(tree: list[Node]) -> Iterable[str]:
    for node in tree:
        if isinstance(node, str):
            yield node
        elif isinstance(node, tuple) and len(node) in (2, 3) and isinstance(node[1], list):
            yield from _flatten(node[1])


def href_of(value: str) -> str | None:
    """The ``href`` of the first ``<a>`` in a link field's value
    (``doi:<a href="https://doi.org/10.1/x">10.1/x</a>``), or None."""
    if "<" not in value:
        return None
    for m in _TOKEN.finditer(value):
        if m.group(2) and m.group(2).lower() == "a" and m.group(1) != "/":
            return attribute(m.group(3), "href") or None
    return None


# -- Markdown (al-folio renders additional_info with markdownify) -------------------------
_MARKDOWN = re.compile(
    r"\[([^\[\]\n]+)\]\(\s*([^()\s]+)\s*\)"  # 1 text, 2 url: [text](url)
    r"|(?<![\w*\\])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])"  # 3 **strong**
    r"|(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"  # 4 *emph*
    r"|(?<![\w_\\])__(?=\S)(.+?)(?<=\S)__(?![\w_])"  # 5 __strong__
    r"|(?<![\w_\\])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])",  # 6 _emph_
    re.S,
)


def read_markdown(rich: RichText) -> RichText:
    """*rich* with Markdown's inline ``*em*``, ``**strong**`` (and ``_``, ``__``) and
    ``[text](url)`` read in its strings; the URL is vetted by the renderer."""
    out: list[Inline] = []
    for item in rich:
        if isinstance(item, str) and ("*" in item or "[" in item or "_" in item):
            out.extend(_markdown(item, 0))
        elif isinstance(item, Styled | Link):
            out.append(item._replace(children=read_markdown(item.children)))
        else:
            out.append(item)
    return tuple(out)


def _markdown(text: str, depth: int) -> list[Inline]:
    out: list[Inline] = []
    pos = 0
    for m in _MARKDOWN.finditer(text):
        if m.start() > pos:
            out.append(text[pos : m.start()])
        pos = m.end()
        inner = lambda g: tuple(_markdown(g, depth + 1)) if depth < 8 else (g,)  # noqa: E731
        if m.group(1) is not None:
            out.append(Link(m.group(2), inner(m.group(1))))
        elif m.group(3) is not None or m.group(5) is not None:
            out.append(Styled("strong", inner(m.group(3) or m.group(5))))
        else:
            out.append(Styled("emph", inner(m.group(4) or m.group(6))))
    if pos < len(text):
        out.append(text[pos:])
    return out
