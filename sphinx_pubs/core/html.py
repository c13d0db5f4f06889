"""HTML written inside field values, read into rich text.

Two dialects (:mod:`sphinx_pubs.core.dialects`) share one tag reader:

- CSL's rich-text subset (``<i>``, ``<b>``, ``<sup>``, ``<sub>``, the small-caps and
  ``nocase`` spans; :data:`~sphinx_pubs.core.dialects.CSL`), strict: any other tag, a
  stray closing tag or an unclosed one is literal text (the CSL-JSON reader,
  :mod:`sphinx_pubs.sources.csl`);
- the HTML people write into BibTeX fields for al-folio, which passes it through to
  the page (``<i>p</i>-adic``, ``<b>(oral)</b>``, ``Journal<br>Article``,
  ``&nbsp;``; :data:`~sphinx_pubs.core.dialects.FIELD_HTML`), lenient as a browser is:
  ``i em b strong sup sub small u span code a br`` are read, every other HTML element
  is dropped keeping its text (``script`` and ``style`` with their text), unclosed
  tags end with the value.
  A ``<word>`` that is no HTML element ("List<String>") stays text.

Nothing here passes markup through: the result is rich text whose strings the
writers escape, and links are vetted by the renderer.  Work is linear in the input:
one regular-expression scan, one stack.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable

from sphinx_pubs.core.dialects import (
    BREAKS,
    FIELD_HTML,
    HIDDEN,
    MAX_NEST,
    TOKEN,
    Dialect,
    Node,
    attribute,
    is_element,
)
from sphinx_pubs.core.model import Inline, Link, RichText, Styled

_SPACES = re.compile(r"[ \t\n\r\f\v]+")


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
    return _Parser(dialect).run(items)


#: an open tag: (tag name, style, parent items, the opening tag's text, url)
_Open = tuple[str, str, list[Node], str, str | None]


class _Parser:
    """One run of :func:`parse`: a scan of each string for tokens, one stack of the
    tags open."""

    __slots__ = ("dialect", "hidden", "out", "root", "stack")

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.root: list[Node] = []
        self.stack: list[_Open] = []
        #: the children of the innermost open tag
        self.out = self.root
        #: inside <script>...: the element's name
        self.hidden = ""

    def run(self, items: Iterable[Node]) -> list[Node]:
        for item in items:
            if isinstance(item, str):
                self.text(item)
            elif not self.hidden:
                self.out.append(item)
        self.close_all()
        return self.root

    def text(self, item: str) -> None:
        pos = 0
        no_close: dict[str, int] = {}  # element -> from where on it has no end tag
        while True:
            m = TOKEN.search(item, pos)
            if m is None:
                break
            if m.start() > pos and not self.hidden:
                self.out.append(item[pos : m.start()])
            pos = self.token(item, m, no_close)
        if pos < len(item) and not self.hidden:
            self.out.append(item[pos:])

    def token(self, item: str, m: re.Match[str], no_close: dict[str, int]) -> int:
        """Read the token *m* of *item*; returns where reading goes on."""
        pos = m.end()
        token = m.group()
        if token.startswith("&"):
            if not self.hidden:
                self.out.append(html.unescape(token) if self.dialect.entities else token)
            return pos
        if token == "<!--":
            if not self.dialect.lenient:
                if not self.hidden:
                    self.out.append(token)  # text; what follows is read on
                return pos
            end = item.find("-->", pos)  # dropped, to the end when unclosed
            return len(item) if end < 0 else end + 3
        closing, name = m.group(1) == "/", m.group(2).lower()
        if self.hidden:
            if closing and name == self.hidden:
                self.hidden = ""
        elif closing:
            self.closing(name, token)
        else:
            self.opening(item, m, name, no_close)
        return pos

    def opening(self, item: str, m: re.Match[str], name: str, no_close: dict[str, int]) -> None:
        token, attributes = m.group(), m.group(3)
        style = self.dialect.style(name, attributes)
        if style is not None and len(self.stack) >= MAX_NEST:
            # deeper styles are not read (the output stays shallow): dropped, or
            # text in the strict dialect
            if self.dialect.lenient:
                return
            style = None
        if style is not None:
            url = attribute(attributes, "href") if name == "a" else None
            self.stack.append((name, style, self.out, token, url))
            self.out = []
        elif self.dialect.lenient and is_element(name):
            self.element(item, m, name, no_close)
        else:
            self.out.append(token)

    def element(self, item: str, m: re.Match[str], name: str, no_close: dict[str, int]) -> None:
        """An element no style reads (lenient dialect): its tag dropped, its text kept
        (hidden for :data:`~sphinx_pubs.core.dialects.HIDDEN`), a space for a break."""
        if name in HIDDEN and not m.group().endswith("/>"):
            # hidden up to its end tag; one never closed hides nothing (a name list
            # must not lose the names after it)
            if m.end() < no_close.get(name, len(item) + 1):
                if _end_tag(name).search(item, m.end()):
                    self.hidden = name
                else:
                    no_close[name] = m.end()
        elif name in BREAKS:
            self.out.append(" ")
        elif name == "img":
            self.out.append(attribute(m.group(3), "alt") or "")

    def closing(self, name: str, token: str) -> None:
        stack = self.stack
        at = None
        lowest = 0 if self.dialect.lenient else len(stack) - 1
        for index in range(len(stack) - 1, max(lowest, 0) - 1, -1):
            if stack[index][0] == name:
                at = index
                break
        if at is None:
            if self.dialect.lenient and is_element(name):
                if name in BREAKS:
                    self.out.append(" ")
            else:
                self.out.append(token)
            return
        while len(stack) > at:
            self.out = _close(stack.pop(), self.out)

    def close_all(self) -> None:
        """Close the tags still open at the end."""
        while self.stack:
            frame = self.stack.pop()
            if self.dialect.lenient:
                self.out = _close(frame, self.out)
            else:  # an unclosed tag is text
                parent = frame[2]
                parent.append(frame[3])
                parent.extend(self.out)
                self.out = parent


@functools.cache
def _end_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE)


def _close(frame: _Open, items: list[Node]) -> list[Node]:
    name, style, parent, _, url = frame
    if name == "a" and url is not None:
        parent.append(("a", items, url))
    else:
        parent.append((style, items))
    return parent


def to_rich(tree: list[Node]) -> RichText:
    """Rich text of a tree made by :func:`parse` with
    :data:`~sphinx_pubs.core.dialects.FIELD_HTML`: whitespace runs collapsed, the ends
    stripped."""
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
    pass-through HTML, :data:`~sphinx_pubs.core.dialects.FIELD_HTML`); unchanged when it
    has none."""
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
    for m in TOKEN.finditer(value):
        if m.group(2) and m.group(2).lower() == "a" and m.group(1) != "/":
            return attribute(m.group(3), "href") or None
    return None
