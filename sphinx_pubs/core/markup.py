"""The rich-text toolkit: join, walk, test and trim
:data:`~sphinx_pubs.core.model.RichText` (the readers, the view and the writers share
these)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sphinx_pubs.core.model import Inline, Link, Math, RichText, Styled


def merge(items: Iterable[Inline]) -> RichText:
    """*items* as rich text, adjacent strings joined and empty strings dropped."""
    out: list[Inline] = []
    run: list[str] = []
    for item in items:
        if type(item) is str:
            if item:
                run.append(item)
        else:
            if run:
                out.append("".join(run))
                run = []
            out.append(item)
    if run:
        out.append("".join(run))
    return tuple(out)


def walk(rich: RichText) -> Iterator[Inline]:
    """Every inline item of *rich*, nested ones included."""
    for item in rich:
        yield item
        if isinstance(item, (Styled, Link)):
            yield from walk(item.children)


def has_math(rich: RichText) -> bool:
    """Whether *rich* holds math, nested or not."""
    return any(isinstance(item, Math) for item in walk(rich))


def change_case(rich: RichText, upper: bool) -> RichText:
    """*rich* in upper (*upper*) or lower case; math, and the text of a link that is
    its address, keep theirs."""
    out: list[Inline] = []
    for item in rich:
        if isinstance(item, str):
            out.append(item.upper() if upper else item.lower())
        elif isinstance(item, Styled) or (isinstance(item, Link) and item.children != (item.url,)):
            out.append(item._replace(children=change_case(item.children, upper)))
        else:
            out.append(item)
    return tuple(out)


def strip_end(rich: RichText, left: bool) -> RichText:
    """*rich* without spaces at its start (*left*) or end."""
    out = list(rich)
    index = 0 if left else -1
    while out:
        item = out[index]
        if isinstance(item, str):
            text = item.lstrip(" ") if left else item.rstrip(" ")
            if text:
                out[index] = text
                break
            del out[index]
        elif isinstance(item, Math):
            break
        else:
            children = strip_end(item.children, left)
            if isinstance(item, Link):
                out[index] = item._replace(children=children or (item.url,))
                break
            if children:
                out[index] = item._replace(children=children)
                break
            del out[index]
    return tuple(out)
