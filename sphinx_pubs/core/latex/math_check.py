"""Whether LaTeX can typeset a piece of inline math, and how the decoder puts math
out: as text when it is simple or may not be typeset, else as
:class:`~sphinx_pubs.core.model.Math`."""

from __future__ import annotations

import re

from sphinx_pubs.core.latex.math_grammar import (
    ALIGNEDAT_SPEC,
    ARRAY_SPEC,
    DELIMITED,
    ENV_NAME,
    LATEX_ALIAS,
    LATEX_ALIASES,
    LATEX_MATH_COMMANDS,
    MATH_ARGS,
    MATH_ENV_COLUMNS,
    MATH_ENV_NAME,
    MATH_LENGTH,
    MATH_MAX_NEST,
    MATH_SYMBOLS,
    NOT_INLINE,
    OPERATORS,
    PLAIN_MATH,
    VET_TOKEN,
    is_bare,
    is_delimiter,
    next_token,
    optional_end,
    text_argument,
)
from sphinx_pubs.core.latex.math_symbols import MATH_MARKUP, math_text, unsafe_math
from sphinx_pubs.core.latex.plain import collapse
from sphinx_pubs.core.model import Math

#: math that ends with a dollar not escaped: "$$ $x $$"
_STRAY_DOLLAR = re.compile(r"(?<!\\)\$")


class _MathFrame:
    """An open group of math: ``{``, ``\\left``, ``\\begin``, an optional ``[``, the root."""

    __slots__ = (
        "argument",
        "cells",
        "columns",
        "kind",
        "need",
        "needer",
        "op",
        "overs",
        "sub",
        "sup",
    )

    def __init__(self, kind: str, argument: bool = False, columns: int = 0) -> None:
        self.kind = kind  # "", "{", "[", "left" or an environment's name
        self.argument = argument  # the argument of a command or script
        self.columns = columns  # of an environment: most cells a row may have (0: any)
        self.cells = 1
        self.need = 0  # math arguments still to come
        self.needer = ""
        self.overs = 0  # \over, \atop, \choose in the group (or cell)
        self.sup = 0  # of the last nucleus: 1 a prime (^ may follow), 2 a superscript
        self.sub = False
        self.op = False  # the last item is an operator (\limits may follow)

    def nucleus(self, op: bool = False) -> None:
        self.sup, self.sub, self.op = 0, False, op

    def script(self, char: str) -> str | None:
        """Read a ``^`` or ``_`` (*char*): its argument comes next."""
        if (self.sup == 2) if char == "^" else self.sub:
            return "a double superscript" if char == "^" else "a double subscript"
        if char == "^":
            self.sup = 2
        else:
            self.sub = True
        self.need, self.needer = 1, char
        return None

    def cell(self) -> str | None:
        """Read a ``&``: the next cell of the row."""
        if self.kind not in MATH_ENV_COLUMNS:
            return "& outside an environment"
        self.cells += 1
        if self.columns and self.cells > self.columns:
            return f"more than {self.columns} cells in a row of {self.kind}"
        self.overs = 0
        self.nucleus()
        return None

    def unclosed(self) -> str | None:
        """What the math lacks when it ends with this frame innermost."""
        if self.need:
            return f"{self.needer} without its argument"
        if self.kind == "{":
            return "an unclosed {"
        if self.kind == "[":
            return "an unclosed ["
        if self.kind == "left":
            return "\\left without \\right"
        if self.kind:
            return f"\\begin{{{self.kind}}} without \\end{{{self.kind}}}"
        return None


def latex_math_problem(src: str) -> str | None:
    """Why LaTeX could not typeset the inline math *src* (``"\\\\frac without its
    arguments"``), or None when it can.

    One pass with an explicit stack: time linear in *src*, nesting bounded.
    """
    return _Check(src).run()


class _Check:
    """One run of :func:`latex_math_problem`: a loop over the tokens of *src*, each
    read by the step for its kind, which returns the problem found or None."""

    __slots__ = ("ends", "pos", "src", "stack")

    def __init__(self, src: str) -> None:
        self.src = src
        self.pos = 0
        self.stack = [_MathFrame("")]
        #: where the open optional arguments end
        self.ends: list[int] = []

    def run(self) -> str | None:
        while True:
            frame = self.stack[-1]
            if self.ends and self.pos > self.ends[-1]:
                return "a ] inside an optional argument"
            m = VET_TOKEN.match(self.src, self.pos)
            if m is not None and self.ends and m.end() - 1 == self.ends[-1]:  # its "]"
                if frame.kind != "[" or frame.need:
                    return "a ] inside an optional argument"
                self.stack.pop()
                self.ends.pop()
                self.pos = m.end()
                continue
            if m is None:
                return frame.unclosed()
            word, symbol, char = m.groups()
            self.pos = m.end()
            if frame.need:  # the next token is an argument
                why = self.argument(frame, word, char)
            else:
                if frame.sup == 1 and char not in ("'", "^"):
                    frame.sup = 2  # a prime is a superscript
                if word is not None:
                    why = self.word(frame, word)
                elif symbol is not None:
                    why = self.symbol(frame, symbol)
                else:
                    why = self.char(frame, char)
            if why is None and len(self.stack) > MATH_MAX_NEST:
                why = "groups nested too deeply"
            if why is not None:
                return why

    def close(self) -> None:
        """Close the innermost frame, a nucleus of the one around it."""
        self.stack.pop()
        self.stack[-1].nucleus()

    def argument(self, frame: _MathFrame, word: str | None, char: str | None) -> str | None:
        frame.need -= 1
        if char == "{":
            self.stack.append(_MathFrame("{", argument=True))
        elif not is_bare(word, char):
            return f"{frame.needer} without its argument"
        return None

    def word(self, frame: _MathFrame, word: str) -> str | None:
        if word in NOT_INLINE or word not in LATEX_MATH_COMMANDS:
            return f"\\{word}"
        if word == "begin":
            return self.begin()
        if word == "end":
            return self.end(frame)
        if word in DELIMITED:
            return self.delimited(frame, word)
        if word in ("limits", "nolimits"):
            return None if frame.op else f"\\{word} after no operator"
        if word in ("over", "atop", "choose"):
            frame.overs += 1
            if frame.overs > 1:
                return f"a second \\{word} in one group"
            frame.nucleus()
            return None
        if word in MATH_ARGS:
            return self.with_arguments(frame, word)
        frame.nucleus(op=word in OPERATORS)
        return None

    def begin(self) -> str | None:
        name = ENV_NAME.match(self.src, self.pos)
        if name is None or name.group(1) not in MATH_ENV_COLUMNS:
            return "\\begin" + (f"{{{name.group(1)}}}" if name else "")
        env = name.group(1)
        self.pos = name.end()
        columns: int | None = MATH_ENV_COLUMNS[env]
        if env in ("array", "subarray", "alignedat"):
            columns = self.column_spec(env)
            if columns is None:
                what = "number of columns" if env == "alignedat" else "column letters"
                return f"\\begin{{{env}}} without its {what}"
        if env in ("aligned", "gathered", "alignedat") and next_token(self.src, self.pos, "["):
            return f"[ after \\begin{{{env}}}"
        self.stack.append(_MathFrame(env, columns=columns or 0))
        return None

    def column_spec(self, env: str) -> int | None:
        """The most cells a row of *env* may have, read from its argument (None when
        it has none that fits)."""
        if env == "alignedat":
            count = ALIGNEDAT_SPEC.match(self.src, self.pos)
            if count is None:
                return None
            self.pos = count.end()
            return 2 * int(count.group(1))
        spec = ARRAY_SPEC.match(self.src, self.pos)
        columns = sum(spec.group(1).count(c) for c in "lcr") if spec else 0
        if spec is None or not columns or (env == "subarray" and columns > 1):
            return None
        self.pos = spec.end()
        return columns

    def end(self, frame: _MathFrame) -> str | None:
        name = ENV_NAME.match(self.src, self.pos)
        env = name.group(1) if name else ""
        if frame.kind not in MATH_ENV_COLUMNS or env != frame.kind:
            return f"\\end{{{env}}} without \\begin{{{env}}}"
        self.pos = name.end() if name else self.pos
        self.close()
        return None

    def delimited(self, frame: _MathFrame, word: str) -> str | None:
        token = VET_TOKEN.match(self.src, self.pos)
        if token is None or not is_delimiter(*token.groups()):
            return f"\\{word} without a delimiter"
        self.pos = token.end()
        if word == "left":
            self.stack.append(_MathFrame("left"))
        elif word == "right":
            if frame.kind != "left":
                return "\\right without \\left"
            self.close()
        elif word == "middle":
            if frame.kind != "left":
                return "\\middle outside \\left and \\right"
        else:
            frame.nucleus()
        return None

    def with_arguments(self, frame: _MathFrame, word: str) -> str | None:
        src = self.src
        frame.nucleus(op=word in ("operatorname", "mathop"))
        kinds = MATH_ARGS[word]
        if word == "operatorname":
            self.pos = next_token(src, self.pos, "*") or self.pos
        if kinds == "t":
            end = text_argument(src, self.pos)
            if end is None:
                return f"\\{word} without its text"
            self.pos = end
            return None
        if kinds == "d":
            dimension = MATH_LENGTH.match(src, self.pos)
            if dimension is None:
                return f"\\{word} without a length"
            self.pos = dimension.end()
            return None
        frame.need, frame.needer = kinds.count("m"), f"\\{word}"
        if word == "cfrac" and next_token(src, self.pos, "["):
            return "\\cfrac with ["
        bracket = next_token(src, self.pos, "[") if "o" in kinds else None
        return None if bracket is None else self.optional(bracket)

    def optional(self, pos: int) -> str | None:
        """Open the optional argument whose ``[`` ends at *pos*."""
        end = optional_end(self.src, pos)
        if end < 0:
            return "an unclosed ["
        self.pos = pos
        self.ends.append(end)
        self.stack.append(_MathFrame("[", argument=True))
        return None

    def symbol(self, frame: _MathFrame, symbol: str) -> str | None:
        if symbol == "\\":
            if frame.kind not in MATH_ENV_COLUMNS:
                return "\\\\ outside an environment"
            if next_token(self.src, self.pos, "[*"):
                return "[ or * after \\\\"
            frame.cells, frame.overs = 1, 0
        elif symbol not in MATH_SYMBOLS:
            return f"\\{symbol}"
        frame.nucleus()
        return None

    def char(self, frame: _MathFrame, char: str) -> str | None:
        if char == "{":
            self.stack.append(_MathFrame("{"))
        elif char == "}":
            if frame.kind != "{":
                return "an unbalanced }"
            self.stack.pop()
            if not frame.argument:
                self.stack[-1].nucleus()
        elif char in ("^", "_"):
            return frame.script(char)
        elif char == "'":
            if frame.sup == 2:
                return "a double superscript"
            frame.sup = 1
        elif char == "&":
            return frame.cell()
        elif char in "#%$\\" or not (char.isascii() and char.isprintable()):
            return repr(char)
        else:
            frame.nucleus()
        return None


def typeset_math(src: str) -> tuple[str | Math, list[str]]:
    """Math *src* as the decoder puts it out, and the problems found: its Unicode text
    when it is simple, :class:`~sphinx_pubs.core.model.Math` when LaTeX can typeset
    it, else its plain letters."""
    unsafe = unsafe_math(src)
    if unsafe:
        # Math goes to MathJax and into .tex files as written, so it may only use
        # known math commands: nothing that links, reads or writes files, loops
        # or ends the document.  Shown as its plain letters instead.
        return _as_text(src), [f"math with {unsafe} is not typeset; shown as text"]
    problems: list[str] = []
    if "$" in src and _STRAY_DOLLAR.search(src):  # "$$ $x $$"; "\\$" is fine
        problems.append("stray $ in math")
        src = _STRAY_DOLLAR.sub("", src)
    simple = math_text(src)
    if simple is not None:
        return simple, problems
    if "\\" in src:
        src = LATEX_ALIAS.sub(lambda m: LATEX_ALIASES[m.group(1)], src)
    src = collapse(src)
    why = None if PLAIN_MATH.fullmatch(src) else latex_math_problem(src)
    if why is not None:
        problems.append(f"math with {why} is not typeset; shown as text")
        return _as_text(MATH_ENV_NAME.sub(" ", src)), problems
    return Math(src), problems


def _as_text(src: str) -> str:
    """Math *src* shown as its plain letters: markup dropped, a ``'`` the prime it is
    in math (as simple math shows it: a straight one would be curled by the readers that
    curl the apostrophes of text, the CSL reader, and not by the others)."""
    return collapse(MATH_MARKUP.sub("", src)).replace("'", "′")
