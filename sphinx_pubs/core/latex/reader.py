"""The state of one decoding run: the output, the stack of open groups (frames) and
reading ahead (spaces, verbatim arguments, the argument of a command).

:class:`~sphinx_pubs.core.latex.decoder.Decoder` reads the tokens; this keeps its own
stack (no recursion over the input), so hostile values such as ten thousand nested
braces are harmless.
"""

from __future__ import annotations

from typing import Final

from sphinx_pubs.core.braces import scan
from sphinx_pubs.core.latex.commands import Action
from sphinx_pubs.core.latex.plain import WS_RUN
from sphinx_pubs.core.latex.symbols import SPACING_ACCENTS, accent
from sphinx_pubs.core.markup import change_case, merge
from sphinx_pubs.core.model import Inline, Link, Styled

#: Styled, link, case, accent and dropped groups nest at most this deep; deeper
#: ones are plain groups (keeps the output shallow enough for recursive consumers).
MAX_NEST: Final = 48


class Frame:
    """An open group: its kind, its output, and what to do with it when it closes."""

    __slots__ = ("brace", "data", "items", "kind", "space")

    def __init__(
        self, kind: Action, items: list[Inline], data: str, brace: bool, space: bool
    ) -> None:
        self.kind = kind
        self.items = items
        self.data = data
        #: closed by "}" (a declaration like {\em ...} is closed by its group's "}")
        self.brace = brace
        #: the reader's ``space`` flag when the frame opened (restored by Action.DROP)
        self.space = space


class Reader:
    """The output and frames of one decoding run over *text*."""

    __slots__ = (
        "braces",
        "code",
        "items",
        "nest",
        "no_close",
        "problems",
        "space",
        "stack",
        "text",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        root = Frame(Action.ROOT, [], "", False, True)
        self.stack = [root]
        #: output list of the innermost frame
        self.items: list[Inline] = root.items
        #: the last character put out is a space (or nothing has been put out yet)
        self.space = True
        self.problems: list[str] = []
        #: how many code-styled frames are open (ligatures are off inside them)
        self.code = 0
        #: how many frames other than plain groups are open
        self.nest = 0
        #: how many frames closed by "}" are open
        self.braces = 0
        #: math delimiter -> position from which on it is known to have no end
        self.no_close: dict[str, int] = {}

    # -- output --
    def emit(self, text: str) -> None:
        if text:
            self.items.append(text)
            self.space = False

    def emit_space(self) -> None:
        if not self.space:
            self.items.append(" ")
            self.space = True

    def append(self, item: Inline) -> None:
        self.items.append(item)
        self.space = False

    def problem(self, message: str) -> None:
        self.problems.append(message)

    # -- frames --
    def push(self, kind: Action, data: str, brace: bool) -> None:
        if kind != Action.GROUP:
            if self.nest >= MAX_NEST:
                self.problem("LaTeX groups nested too deeply")
                if not brace:
                    return
                kind = Action.GROUP
            else:
                self.nest += 1
                if kind == Action.STYLE and data == "code":
                    self.code += 1
        if brace:
            self.braces += 1
        items = self.items if kind == Action.GROUP else []
        self.stack.append(Frame(kind, items, data, brace, self.space))
        self.items = items

    def pop(self) -> Frame:
        frame = self.stack.pop()
        self.items = self.stack[-1].items
        if frame.brace:
            self.braces -= 1
        if frame.kind != Action.GROUP:
            self.nest -= 1
            if frame.kind == Action.STYLE and frame.data == "code":
                self.code -= 1
            self.finish(frame.kind, frame.data, frame.items, frame.space)
        return frame

    def finish(self, kind: Action, data: str, items: list[Inline], space: bool) -> None:
        """Put out the content *items* of a closed frame of *kind*."""
        if kind == Action.DROP:
            self.space = space
            return
        children = merge(items)
        if kind == Action.STYLE:
            if children == (" ",):
                self.items.append(" ")
            elif children:
                self.items.append(Styled(data, children))
        elif kind == Action.LINK:
            if children or data:
                self.items.append(Link(data, children or (data,)))
                self.space = False
        elif kind == Action.CASE:
            self.items.extend(change_case(children, data == "upper"))
        elif kind == Action.QUOTE:
            self.items.extend(("“", *children, "”"))
        elif kind == Action.ACCENT:
            # the accent goes on the first letter; markup in the argument is kept
            if children and isinstance(children[0], str):
                out = (accent(children[0], data), *children[1:])
            else:
                out = (SPACING_ACCENTS.get(data, ""), *children)
            self.items.extend(out)
            last = out[-1]
            self.space = isinstance(last, str) and last.endswith(" ")

    def close_brace(self) -> None:
        if not self.braces:
            self.problem("unbalanced braces")
            return
        while not self.pop().brace:
            pass

    # -- reading ahead --
    def skip_space(self, pos: int) -> int:
        m = WS_RUN.match(self.text, pos)
        return m.end() if m else pos

    def raw_group(self, pos: int, name: str) -> tuple[str | None, int]:
        """The verbatim argument of command *name* at *pos* (after spaces), and the end.

        None when there is no braced argument (reported).
        """
        text = self.text
        pos = self.skip_space(pos)
        if not text.startswith("{", pos):
            self.problem(f"missing argument for \\{name}")
            return None, pos
        close = scan(text, pos + 1).at
        if close >= 0:
            return text[pos + 1 : close], close + 1
        self.problem("unbalanced braces")
        return text[pos + 1 :], len(text)

    def argument(self, kind: Action, data: str, pos: int) -> int:
        """Open the argument of a command that makes a frame of *kind*."""
        text = self.text
        if text.startswith("*", pos):  # starred variant (\hspace*)
            pos += 1
        pos = self.skip_space(pos)
        if pos >= len(text):
            return pos
        char = text[pos]
        if char == "{":
            self.push(kind, data, True)
            return pos + 1
        if char in "\\}$":
            return pos  # no argument TeX would read as one token we understand
        # an unbraced argument is one character
        if char == "~":
            char = "\xa0"
        space = self.space
        if kind == Action.GROUP:
            self.emit(char)
        else:
            self.space = False
            self.finish(kind, data, [char], space)
        return pos + 1
