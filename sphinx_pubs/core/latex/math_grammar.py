"""What LaTeX's math commands are and take, as the check of
:mod:`sphinx_pubs.core.latex.math_check` needs it.

:func:`~sphinx_pubs.core.latex.math_symbols.unsafe_math` keeps out what could act;
these tables keep out what would stop ``make latexpdf`` (and shows as an error in
MathJax): unbalanced groups and environments, ``\\left`` without ``\\right``,
commands without their arguments, double scripts, ``&`` and ``\\\\`` outside an
alignment, commands LaTeX (with amsmath and amssymb, as Sphinx loads them) does not
define.  Math goes into the .tex file as written, inside ``\\( \\)``.
"""

from __future__ import annotations

import re
from typing import Final

from sphinx_pubs.core.braces import scan
from sphinx_pubs.core.latex.math_symbols import MATH, MATH_COMMANDS, OP

#: MathJax-only spellings, written as LaTeX spells them
LATEX_ALIASES: Final = {
    "lt": "<",
    "gt": ">",
    "bm": "\\boldsymbol",
    "mathscr": "\\mathcal",
    "omicron": "o",
    "degree": "^{\\circ}",
    "textdegree": "^{\\circ}",
}
LATEX_ALIAS: Final = re.compile(r"\\(" + "|".join(LATEX_ALIASES) + r")(?![A-Za-z])")
#: commands LaTeX rejects in inline math
NOT_INLINE: Final = frozenset({"tag", "label"})
#: commands with arguments: m math, o optional math [...], t text, d a dimension
MATH_ARGS: Final[dict[str, str]] = {
    **dict.fromkeys("frac dfrac tfrac binom dbinom tbinom overset underset stackrel".split(), "mm"),
    "cfrac": "mm",
    **dict.fromkeys("sqrt xrightarrow xleftarrow".split(), "om"),
    **dict.fromkeys(
        """mathrm mathbf mathit mathsf mathtt mathcal mathbb mathfrak mathnormal boldsymbol
        pmb operatorname mathop mathbin mathrel mathord hat widehat bar overline underline
        tilde widetilde vec dot ddot dddot breve check acute grave mathring overbrace
        underbrace overrightarrow overleftarrow pmod mod""".split(),
        "m",
    ),
    **dict.fromkeys("text textrm textit textbf textsf texttt textnormal mbox".split(), "t"),
    "hspace": "d",
}
#: commands taking a delimiter: \left( \bigl[ ...
DELIMITED: Final = frozenset(
    "left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr".split()
)
DELIMITER_WORDS: Final = frozenset(
    """langle rangle lfloor rfloor lceil rceil vert Vert lvert rvert lVert rVert uparrow
    downarrow Uparrow Downarrow backslash lbrace rbrace lbrack rbrack""".split()
)
DELIMITER_CHARS: Final = frozenset("()[]./|<>")
#: what \limits and \nolimits may follow
OPERATORS: Final = frozenset(
    """sum prod coprod int oint iint iiint bigcup bigcap bigoplus bigotimes bigodot bigvee
    bigwedge biguplus""".split()
) | frozenset(name for name, (_char, cls) in MATH.items() if cls == OP)
#: arguments that need no braces: one letter or digit, or one of these symbols
BARE_ARGS: Final = frozenset(
    """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda
    mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma
    Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega infty ell partial nabla prime ast
    star circ bullet pm mp times cdot""".split()
)
BARE_CHARS: Final = frozenset("+-=<>()[]|/.,;:!?*")
#: control symbols math may use: spaces, and escaped specials
MATH_SYMBOLS: Final = frozenset(",;:!> \t\n\r\f\v") | frozenset("{}|#$%&_")
#: environments: the most cells a row may have (0: any number; array's from its spec)
MATH_ENV_COLUMNS: Final[dict[str, int]] = {
    **dict.fromkeys("matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix".split(), 10),
    "smallmatrix": 0,
    "aligned": 0,
    "cases": 2,
    "gathered": 1,
    "array": -1,
    "subarray": -1,
    "alignedat": -1,
}
MATH_MAX_NEST: Final = 32
#: math with nothing that could be wrong: letters, digits, operators, parentheses
PLAIN_MATH: Final = re.compile(r"[A-Za-z0-9 +\-=<>()|/.,;:!?*~]*")
#: \begin{name} and \end{name}, left out of math shown as text
MATH_ENV_NAME: Final = re.compile(r"\\(?:begin|end)[ \t\n\r\f\v]*\{[A-Za-z*]*\}")
VET_TOKEN: Final = re.compile(r"[ \t\n\r\f\v]*(?:\\([A-Za-z]+)|\\(.)|(.))", re.S)
ENV_NAME: Final = re.compile(r"[ \t\n\r\f\v]*\{([A-Za-z]*)\}")
ARRAY_SPEC: Final = re.compile(r"[ \t\n\r\f\v]*\{([lcr| ]*)\}")
ALIGNEDAT_SPEC: Final = re.compile(r"[ \t\n\r\f\v]*\{[ \t\n\r\f\v]*([1-9])[ \t\n\r\f\v]*\}")
MATH_LENGTH: Final = re.compile(
    r"[ \t\n\r\f\v]*\{[ \t\n\r\f\v]*-?(?:\d+(?:\.\d*)?|\.\d+)[ \t\n\r\f\v]*"
    r"(?:pt|em|ex|mm|cm|in|bp|pc|dd|cc|sp)[ \t\n\r\f\v]*\}"
)
TEXT_GROUP: Final = re.compile(r"[ \t\n\r\f\v]*\{")
#: what the argument of \text may hold: printable ASCII, escaped specials, groups
#: (one character at a time: a text fails to match in one way only)
TEXT_CONTENT: Final = re.compile(r"(?:[^\\{}^_&#%$\x00-\x1f\x7f-\U0010ffff]|\\[{}&%#_$ ]|[{}])*")

LATEX_MATH_COMMANDS: Final = (MATH_COMMANDS - frozenset(LATEX_ALIASES)) | frozenset(MATH_ARGS)


def is_bare(word: str | None, char: str | None) -> bool:
    """Whether a token may stand as an argument without braces."""
    if word is not None:
        return word in BARE_ARGS
    return char is not None and char.isascii() and (char.isalnum() or char in BARE_CHARS)


def is_delimiter(word: str | None, symbol: str | None, char: str | None) -> bool:
    if word is not None:
        return word in DELIMITER_WORDS
    if symbol is not None:
        return symbol in "{}|"
    return char is not None and char in DELIMITER_CHARS


def text_argument(src: str, pos: int) -> int | None:
    """Where the text argument (``\\text{...}``) starting at *pos* ends; None when it is
    not plain text in balanced braces, or one letter or digit."""
    m = TEXT_GROUP.match(src, pos)
    if m is None:
        token = VET_TOKEN.match(src, pos)
        if token is None or not is_bare(None, token.group(3)) or not token.group(3).isalnum():
            return None
        return token.end()
    close = scan(src, m.end()).at
    if close < 0 or TEXT_CONTENT.fullmatch(src, m.end(), close) is None:
        return None
    return close + 1


def next_token(src: str, pos: int, chars: str) -> int | None:
    """Where the next token after spaces (what LaTeX's optional-argument test looks
    at) ends when it is one of *chars*; None when it is not."""
    token = VET_TOKEN.match(src, pos)
    if token is not None and token.group(3) is not None and token.group(3) in chars:
        return token.end()
    return None


def optional_end(src: str, pos: int) -> int:
    """Where the optional argument whose ``[`` ends at *pos* ends: at the first ``]``
    outside braces, as LaTeX reads it (-1 when there is none)."""
    end = scan(src, pos, stops="]").at
    return end if end >= 0 and src[end] == "]" else -1
