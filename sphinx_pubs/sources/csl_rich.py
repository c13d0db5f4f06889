"""CSL's rich text read: its subset of HTML (``<i>``, ``<b>``, ``<sup>``, ``<sub>``,
``<span style="font-variant:small-caps;">``, ``<span class="nocase">``,
``<span class="nodecor">``), character references, and math between ``$`` signs
(pandoc's way of writing math into CSL-JSON), into rich text and into the BibTeX
field text the page's BibTeX box shows.  Pure Python.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from sphinx_pubs.core.dialects import CSL
from sphinx_pubs.core.html import parse
from sphinx_pubs.core.latex.decoder import decode
from sphinx_pubs.core.latex.plain import escape as latex_escape
from sphinx_pubs.core.model import RichText, Styled
from sphinx_pubs.core.vocab import CSL_STYLES

_WS = re.compile(r"\s+")
_LATEX_OF = {
    "emph": "\\textit",
    "strong": "\\textbf",
    "sup": "\\textsuperscript",
    "sub": "\\textsubscript",
    "smallcaps": "\\textsc",
}
#: pandoc's tex_math_dollars rule: ``$`` then a non-space ... a non-space then ``$``,
#: not followed by a digit ("$5 and $6" is no math)
_MATH = re.compile(r"\$(?=[^\s$])((?:[^$\\\n]|\\.)*?[^\s\\$])\$(?!\d)")


#: a parsed text: strings, ``(style, children)`` pairs, and ``("$", tex)`` math
_Node = str | tuple[str, Any]


def _parse_markup(text: str) -> list[_Node]:
    """CSL rich text as a tree; a tag that is not CSL's, or not closed, is literal."""
    return parse([text], CSL)


def _split_math(text: str) -> Iterator[_Node]:
    pos = 0
    for match in _MATH.finditer(text):
        if match.start() > pos:
            yield text[pos : match.start()]
        yield ("$", match.group(1))
        pos = match.end()
    if pos < len(text):
        yield text[pos:]


def _unescape(text: str) -> str:
    """*text* with its character references read.  ``html.unescape`` drops the
    references to control characters and lone surrogates but one: ``&#12;``, a form
    feed, is whitespace here."""
    return html.unescape(text).replace("\x0c", " ") if "&" in text else text


def _with_math(nodes: list[_Node]) -> list[_Node]:
    out: list[_Node] = []
    for node in nodes:
        if isinstance(node, str):
            text = _unescape(node)
            out.extend(_split_math(text) if "$" in node else [text])
        else:
            out.append((node[0], _with_math(node[1])))
    return out


def _rich(nodes: list[_Node], problems: list[str]) -> list[Any]:
    out: list[Any] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif node[0] == "$":
            rich, messages = decode(f"${node[1]}$")
            problems.extend(messages)
            out.extend(rich)
        else:
            children = _rich(node[1], problems)
            style = CSL_STYLES.get(node[0])
            if style is None:  # nocase, nodecor: no style of their own
                out.extend(children)
            elif children:
                out.append(Styled(style, tuple(children)))
    return out


def _latex(nodes: list[_Node]) -> str:
    """The tree as BibTeX field text: markup as LaTeX commands, specials escaped."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(latex_escape(node))
        elif node[0] == "$":
            parts.append(f"${node[1]}$")
        else:
            inner = _latex(node[1])
            command = _LATEX_OF.get(CSL_STYLES.get(node[0], ""))
            parts.append(f"{command}{{{inner}}}" if command else f"{{{inner}}}")
    return "".join(parts)


def _tidy(rich: list[Any]) -> RichText:
    """Whitespace collapsed, the ends stripped, adjacent strings joined, straight
    apostrophes curled (as citeproc and the BibTeX reader print them)."""
    merged = list(_tidy_inner(tuple(rich)))
    if merged and isinstance(merged[0], str):
        merged[0] = merged[0].lstrip(" ")
    if merged and isinstance(merged[-1], str):
        merged[-1] = merged[-1].rstrip(" ")
    return tuple(item for item in merged if item != "")


def _tidy_inner(rich: tuple[Any, ...]) -> RichText:
    out: list[Any] = []
    for item in rich:
        if isinstance(item, str):
            item = _WS.sub(" ", item).replace("'", "\u2019")
            if out and isinstance(out[-1], str):
                out[-1] += item
                continue
        elif isinstance(item, Styled):
            item = Styled(item.style, _tidy_inner(item.children))
        out.append(item)
    return tuple(item for item in out if item != "")


def read_rich(text: str) -> tuple[RichText, str, list[str]]:
    """CSL rich *text* as rich text, as BibTeX (LaTeX) field text, and its problems."""
    problems: list[str] = []
    if "<" not in text and "&" not in text and "$" not in text:
        tree: list[_Node] = [text]
    else:
        tree = _with_math(_parse_markup(text))
    return _tidy(_rich(tree, problems)), _latex(tree), problems
