"""Markdown's inline markup in field values (al-folio renders ``additional_info`` with
markdownify): ``*em*``, ``**strong**`` (and ``_``, ``__``) and ``[text](url)``."""

from __future__ import annotations

import re

from sphinx_pubs.core.model import Inline, Link, RichText, Styled

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
        if m.group(1) is not None:
            out.append(Link(m.group(2), _inner(m.group(1), depth)))
        elif m.group(3) is not None or m.group(5) is not None:
            out.append(Styled("strong", _inner(m.group(3) or m.group(5), depth)))
        else:
            out.append(Styled("emph", _inner(m.group(4) or m.group(6), depth)))
    if pos < len(text):
        out.append(text[pos:])
    return out


def _inner(text: str, depth: int) -> RichText:
    """The children of markup found at *depth*: read on up to eight levels deep."""
    return tuple(_markdown(text, depth + 1)) if depth < 8 else (text,)
