"""What the LaTeX decoder does with each control word it knows by name: the
:class:`Action` of a command and its data (a style, a case, a mark)."""

from __future__ import annotations

from enum import IntEnum
from typing import Final


class Action(IntEnum):
    """What a command does; the actions up to :attr:`QUOTE` open a frame (a group
    whose output is put out when it closes, see :mod:`sphinx_pubs.core.latex.reader`)."""

    # kinds of frame
    GROUP = 0
    STYLE = 1
    LINK = 2
    CASE = 3
    ACCENT = 4
    DROP = 5
    QUOTE = 6
    ROOT = 7
    # actions that are not frames
    SWITCH = 10
    IGNORE = 11
    SPACE = 12
    URL = 13
    HREF = 14
    DOI = 15
    ENSUREMATH = 16
    SKIP_ARG = 17
    SKIP_THEN_PASS = 18
    DIMEN = 19
    RAISEBOX = 20
    RULE = 21


#: command name -> (action, data)
COMMANDS: Final[dict[str, tuple[Action, str]]] = {
    # styled arguments
    "emph": (Action.STYLE, "emph"),
    "textit": (Action.STYLE, "emph"),
    "textsl": (Action.STYLE, "emph"),
    "textbf": (Action.STYLE, "strong"),
    "texttt": (Action.STYLE, "code"),
    "textsc": (Action.STYLE, "smallcaps"),
    "textsuperscript": (Action.STYLE, "sup"),
    "textsubscript": (Action.STYLE, "sub"),
    # declarations that style the rest of the group
    "em": (Action.SWITCH, "emph"),
    "it": (Action.SWITCH, "emph"),
    "itshape": (Action.SWITCH, "emph"),
    "sl": (Action.SWITCH, "emph"),
    "slshape": (Action.SWITCH, "emph"),
    "bf": (Action.SWITCH, "strong"),
    "bfseries": (Action.SWITCH, "strong"),
    "tt": (Action.SWITCH, "code"),
    "ttfamily": (Action.SWITCH, "code"),
    "sc": (Action.SWITCH, "smallcaps"),
    "scshape": (Action.SWITCH, "smallcaps"),
    # commands that return their argument
    "textrm": (Action.GROUP, ""),
    "textnormal": (Action.GROUP, ""),
    "textup": (Action.GROUP, ""),
    "textmd": (Action.GROUP, ""),
    "textsf": (Action.GROUP, ""),
    "mbox": (Action.GROUP, ""),
    "hbox": (Action.GROUP, ""),
    "text": (Action.GROUP, ""),
    "NoCaseChange": (Action.GROUP, ""),
    "autocap": (Action.GROUP, ""),
    "enquote": (Action.QUOTE, ""),
    "mkbibquote": (Action.QUOTE, ""),
    "underline": (Action.GROUP, ""),
    "protect": (Action.IGNORE, ""),
    "MakeUppercase": (Action.CASE, "upper"),
    "uppercase": (Action.CASE, "upper"),
    "MakeLowercase": (Action.CASE, "lower"),
    "lowercase": (Action.CASE, "lower"),
    # commands whose argument is not shown
    "noopsort": (Action.DROP, ""),
    "SortNoop": (Action.DROP, ""),
    "sortnoop": (Action.DROP, ""),
    "hspace": (Action.DROP, ""),
    "vspace": (Action.DROP, ""),
    "label": (Action.DROP, ""),
    "phantom": (Action.DROP, ""),
    "vphantom": (Action.DROP, ""),
    "hphantom": (Action.DROP, ""),
    "cite": (Action.DROP, ""),
    "citep": (Action.DROP, ""),
    "citet": (Action.DROP, ""),
    "index": (Action.DROP, ""),
    "color": (Action.SKIP_ARG, ""),
    "textcolor": (Action.SKIP_THEN_PASS, ""),
    # layout: their dimensions are not shown (\\raisebox{-0.5ex}{~} is "~")
    "raisebox": (Action.RAISEBOX, ""),
    "rule": (Action.RULE, ""),
    "kern": (Action.DIMEN, ""),
    "mkern": (Action.DIMEN, ""),
    "hskip": (Action.DIMEN, ""),
    "vskip": (Action.DIMEN, ""),
    "mskip": (Action.DIMEN, ""),
    "raise": (Action.DIMEN, ""),
    "lower": (Action.DIMEN, ""),
    "moveleft": (Action.DIMEN, ""),
    "moveright": (Action.DIMEN, ""),
    # declarations without a visible effect here
    "rm": (Action.IGNORE, ""),
    "sf": (Action.IGNORE, ""),
    "md": (Action.IGNORE, ""),
    "up": (Action.IGNORE, ""),
    "normalfont": (Action.IGNORE, ""),
    "rmfamily": (Action.IGNORE, ""),
    "sffamily": (Action.IGNORE, ""),
    "mdseries": (Action.IGNORE, ""),
    "upshape": (Action.IGNORE, ""),
    "relax": (Action.IGNORE, ""),
    "tiny": (Action.IGNORE, ""),
    "scriptsize": (Action.IGNORE, ""),
    "footnotesize": (Action.IGNORE, ""),
    "small": (Action.IGNORE, ""),
    "normalsize": (Action.IGNORE, ""),
    "large": (Action.IGNORE, ""),
    "Large": (Action.IGNORE, ""),
    "LARGE": (Action.IGNORE, ""),
    "huge": (Action.IGNORE, ""),
    "Huge": (Action.IGNORE, ""),
    "noindent": (Action.IGNORE, ""),
    "xspace": (Action.IGNORE, ""),
    "nobreak": (Action.IGNORE, ""),
    "allowbreak": (Action.IGNORE, ""),
    "null": (Action.IGNORE, ""),
    "hfill": (Action.IGNORE, ""),
    "unskip": (Action.IGNORE, ""),
    "smallskip": (Action.IGNORE, ""),
    "medskip": (Action.IGNORE, ""),
    "bigskip": (Action.IGNORE, ""),
    "sloppy": (Action.IGNORE, ""),
    "textcompwordmark": (Action.IGNORE, ""),
    # spaces and line breaks
    "newline": (Action.SPACE, ""),
    "par": (Action.SPACE, ""),
    "linebreak": (Action.SPACE, ""),
    "quad": (Action.SPACE, ""),
    "qquad": (Action.SPACE, ""),
    "enspace": (Action.SPACE, ""),
    "thinspace": (Action.SPACE, ""),
    # links and math
    "url": (Action.URL, ""),
    "href": (Action.HREF, ""),
    "doi": (Action.DOI, ""),
    "ensuremath": (Action.ENSUREMATH, ""),
}
