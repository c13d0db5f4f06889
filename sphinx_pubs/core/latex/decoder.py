"""Decode the LaTeX of BibTeX field values into :data:`~sphinx_pubs.core.model.RichText`.

BibTeX fields hold a small, well known subset of LaTeX: accents (``\\"u``), special
letters (``\\ss``), escapes (``\\&``), ligatures (``--``), protective braces, a few
font commands (``\\emph``, ``{\\bf ...}``), links (``\\url``, ``\\href``, ``\\doi``)
and inline math.  :func:`decode` turns such a value into rich text; anything it does
not understand is dropped (keeping the text of its arguments) and reported.

The decoder never raises and runs in time linear in its input.  Most field values
contain no LaTeX at all; :func:`~sphinx_pubs.core.latex.plain.needs_decoding` lets
callers skip the decoder for them.
"""

from __future__ import annotations

import re
from typing import Final

from sphinx_pubs.core.latex.commands import COMMANDS, Action
from sphinx_pubs.core.latex.math_check import typeset_math
from sphinx_pubs.core.latex.math_symbols import MATH_IN_TEXT, MATH_MARKUP
from sphinx_pubs.core.latex.plain import WS_CHARS, apostrophes, collapse, needs_decoding
from sphinx_pubs.core.latex.reader import Reader
from sphinx_pubs.core.latex.symbols import (
    AAS_JOURNALS,
    ESCAPES,
    LETTER_ACCENTS,
    LETTERS,
    SPACING_ACCENTS,
    SYMBOL_ACCENTS,
    SYMBOLS,
    accent,
)
from sphinx_pubs.core.markup import merge, strip_end
from sphinx_pubs.core.model import Link, Math, RichText, plain


def decode(text: str) -> tuple[RichText, list[str]]:
    """Decode one BibTeX field value to rich text and a list of problems found.

    Whitespace runs collapse to one space and the result is stripped.  The problems
    are short messages without a location (``"unbalanced braces"``, ...).
    """
    if not needs_decoding(text):
        text = apostrophes(collapse(text))
        return ((text,) if text else ()), []
    return Decoder(text).run()


def decode_plain(text: str) -> tuple[str, list[str]]:
    """Decode *text* and flatten it to a plain string (math keeps its LaTeX source)."""
    if not needs_decoding(text):
        return apostrophes(collapse(text)), []
    rich, problems = Decoder(text).run()
    if any(isinstance(item, Math) for item in rich):
        # plain text cannot typeset math (names, years): keep its letters and digits
        rich = tuple(
            MATH_MARKUP.sub("", item.latex) if isinstance(item, Math) else item for item in rich
        )
    return plain(rich), problems


#: A TeX dimension after \\kern, \\hskip...: ``-0.5ex``, ``= 2pt plus 1fil``, ``\\fill``
_DIMENSION: Final = re.compile(
    r"[ \t\n\r\f\v]*=?[ \t\n\r\f\v]*(?:[-+][ \t]*)*(?:\d+(?:[.,]\d*)?|[.,]\d+)[ \t]*"
    r"(?:pt|em|ex|mm|cm|in|bp|sp|pc|mu|dd|cc|px|true[ \t]*[a-z]{2}|fil+)?"
    r"(?:[ \t]+(?:plus|minus)[ \t]*[-+]?(?:\d+(?:\.\d*)?|\.\d+)[ \t]*[a-z]{0,4})*"
    r"|[ \t\n\r\f\v]*\\[A-Za-z]+"
)
#: LaTeX's optional argument ``[...]`` (no nesting)
_OPTIONAL: Final = re.compile(r"[ \t\n\r\f\v]*\[[^\[\]{}]*\]")
_URL_ESCAPE: Final = re.compile(r"\\([%#&_~$\\])")
_DOI_PREFIX: Final = re.compile(r"(?i)^(?:doi:|https?://(?:dx\.)?doi\.org/)")

_TOKEN: Final = re.compile(
    # 1 text: words joined by single spaces, hyphens and apostrophes
    r"([^\\{}$~`'\- \t\n\r\f\v]+(?:(?: |-(?!-)|'(?!'))[^\\{}$~`'\- \t\n\r\f\v]+)*)"
    r"|([ \t\n\r\f\v]+)"  # 2 whitespace
    r"|\\([A-Za-z]+)"  # 3 control word
    r"|\\(.)"  # 4 control symbol
    r"|(\\)"  # 5 backslash at the end
    r"|(\{)"  # 6
    r"|(\})"  # 7
    r"|(\$\$?)"  # 8
    r"|(---?|``|''|[`'~-])",  # 9 ligatures
    re.S,
)
_LIGATURES: Final[dict[str, str]] = {
    "---": "—",
    "--": "–",
    "``": "“",
    "''": "”",
    "`": "‘",
    "'": "’",
    "-": "-",
    "~": "\xa0",
}
#: what follows a dollar sign in a currency amount: "$1,700", "$ 5", "$.50", "$2.5M"
_AMOUNT: Final = re.compile(r"[ \t]?[.,]?\d")
_CONTROL_WORD: Final = re.compile(r"\\([A-Za-z]+)")
#: The rest of math up to and including its closing delimiter.
_MATH_END: Final[dict[str, re.Pattern[str]]] = {
    "$": re.compile(r"[^\\$]*(?:\\.[^\\$]*)*\$", re.S),
    "$$": re.compile(r"[^\\$]*(?:(?:\\.|\$(?!\$))[^\\$]*)*\$\$", re.S),
    "\\)": re.compile(r"[^\\]*(?:\\[^)][^\\]*)*\\\)", re.S),
    "\\]": re.compile(r"[^\\]*(?:\\[^\]][^\\]*)*\\\]", re.S),
}
#: commands whose arguments are skipped (see Decoder.skip)
_SKIPS: Final = frozenset(
    {Action.SKIP_ARG, Action.SKIP_THEN_PASS, Action.DIMEN, Action.RAISEBOX, Action.RULE}
)


def _unescape_url(url: str) -> str:
    return _URL_ESCAPE.sub(r"\1", url).strip(WS_CHARS)


class Decoder(Reader):
    """One decoding run over *text*: a loop over tokens, each read by the step for
    its kind."""

    __slots__ = ()

    def run(self) -> tuple[RichText, list[str]]:
        text = self.text
        n = len(text)
        match = _TOKEN.match
        pos = 0
        while pos < n:
            m = match(text, pos)
            if m is None:  # pragma: no cover - the token pattern matches every character
                self.emit(text[pos])
                pos += 1
                continue
            pos = m.end()
            kind = m.lastindex
            if kind == 1:
                word = m.group(1)
                self.items.append(word if self.code else apostrophes(word))
                self.space = False
            elif kind == 2:
                if not self.space:
                    self.items.append(" ")
                    self.space = True
            elif kind == 3:
                pos = self.control_word(m.group(3), pos)
            elif kind == 4:
                pos = self.control_symbol(m.group(4), pos)
            elif kind == 5:
                self.problem("lone backslash at the end")
            elif kind == 6:
                self.push(Action.GROUP, "", True)
            elif kind == 7:
                self.close_brace()
            elif kind == 8:
                pos = self.math(m.group(8), pos)
            else:
                token = m.group(9)
                if self.code and token != "~":
                    self.emit(token)
                else:
                    self.emit(_LIGATURES[token])
        return self.result()

    def result(self) -> tuple[RichText, list[str]]:
        """The rich text and problems of the run: open groups closed, ends stripped."""
        if self.braces:
            self.problem("unbalanced braces")
        while len(self.stack) > 1:
            self.pop()
        rich = strip_end(strip_end(merge(self.items), True), False)
        return rich, list(dict.fromkeys(self.problems))

    def control_symbol(self, char: str, pos: int) -> int:
        if char in SYMBOL_ACCENTS:
            return self.accent(SYMBOL_ACCENTS[char], pos)
        if char in ESCAPES:
            self.emit(char)
        elif char in WS_CHARS or char.isspace() or char in ",;:\\":
            self.emit_space()  # control space (after any white space), thin spaces, line break
        elif char in "!/-@":
            pass  # negative thin space, italic correction, hyphenation point, ...
        elif char == "(":
            return self.math("\\)", pos)
        elif char == "[":
            return self.math("\\]", pos)
        elif char in ")]":
            self.problem(f"unbalanced math delimiter \\{char}")
        else:
            self.problem(f"unknown LaTeX command \\{char}")
        return pos

    def control_word(self, name: str, pos: int) -> int:
        letter = LETTERS.get(name)
        if letter is not None:
            self.emit(letter)
            return self.skip_space(pos)
        symbol = SYMBOLS.get(name) or AAS_JOURNALS.get(name)
        if symbol is not None:
            self.emit(symbol)
            return pos
        mark = LETTER_ACCENTS.get(name)
        if mark is not None:
            return self.accent(mark, pos)
        action = COMMANDS.get(name)
        if action is not None:
            return self.command(name, *action, pos)
        symbol = MATH_IN_TEXT.get(name)
        if symbol is not None:
            self.emit(symbol)
            return pos
        self.problem(f"unknown LaTeX command \\{name}")
        return self.skip_space(pos)

    def command(self, name: str, kind: Action, data: str, pos: int) -> int:
        """Read command *name* (its *kind* and *data* from the table of commands)."""
        if kind <= Action.QUOTE:
            return self.argument(kind, data, pos)
        if kind in (Action.URL, Action.DOI, Action.HREF):
            return self.link(name, kind, pos)
        if kind in _SKIPS:
            return self.skip(name, kind, pos)
        if kind == Action.ENSUREMATH:
            src, pos = self.raw_group(pos, name)
            if src is not None:
                self.put_math(src)
            return pos
        if kind == Action.SWITCH:
            self.push(Action.STYLE, data, False)
        elif kind == Action.SPACE:
            self.emit_space()
        return self.skip_space(pos)  # IGNORE, SWITCH, SPACE

    def link(self, name: str, kind: Action, pos: int) -> int:
        """``\\url{...}``, ``\\doi{...}``, ``\\href{url}{text}``."""
        url, pos = self.raw_group(pos, name)
        if url is None:
            return pos
        url = _unescape_url(url)
        if kind == Action.HREF:
            after = self.skip_space(pos)
            if self.text.startswith("{", after):
                self.push(Action.LINK, url, True)
                return after + 1
        if url and kind == Action.DOI:
            doi = _DOI_PREFIX.sub("", url)
            self.append(Link("https://doi.org/" + doi, (doi,)))
        elif url:
            self.append(Link(url, (url,)))
        return pos

    def skip(self, name: str, kind: Action, pos: int) -> int:
        """Commands whose arguments are not text: skipped (the text of
        ``\\raisebox`` and of the argument after a skipped one is read)."""
        if kind == Action.SKIP_ARG:
            return self.raw_group(pos, name)[1]
        if kind == Action.SKIP_THEN_PASS:
            return self.argument(Action.GROUP, "", self.raw_group(pos, name)[1])
        if kind == Action.DIMEN:
            if self.text.startswith("{", self.skip_space(pos)):
                return self.raw_group(pos, name)[1]
            m = _DIMENSION.match(self.text, pos)
            return m.end() if m else pos
        if kind == Action.RAISEBOX:  # \raisebox{lift}[height][depth]{text}
            pos = self.raw_group(pos, name)[1]
            for _ in range(2):
                m = _OPTIONAL.match(self.text, pos)
                pos = m.end() if m else pos
            return self.argument(Action.GROUP, "", pos)
        # Action.RULE: \rule[lift]{width}{height}, nothing to read
        m = _OPTIONAL.match(self.text, pos)
        pos = self.raw_group(m.end() if m else pos, name)[1]
        return self.raw_group(pos, name)[1]

    def accent(self, mark: str, pos: int) -> int:
        text = self.text
        pos = self.skip_space(pos)
        char = text[pos] if pos < len(text) else ""
        if char == "{":
            self.push(Action.ACCENT, mark, True)
            return pos + 1
        if char == "\\":
            m = _CONTROL_WORD.match(text, pos)
            letter = LETTERS.get(m.group(1)) if m else None
            if m and letter is not None:
                self.emit(accent(letter, mark))
                return self.skip_space(m.end())
            char = ""
        if char in ("", "}", "$"):
            self.emit(SPACING_ACCENTS.get(mark, ""))
            return pos
        self.emit(accent(char, mark))
        return pos + 1

    def math(self, closing: str, pos: int) -> int:
        """Math that starts at *pos* and ends with *closing*; returns where it ends."""
        if pos < self.no_close.get(closing, len(self.text) + 1):
            m = _MATH_END[closing].match(self.text, pos)
            if m is not None:
                src = self.text[pos : m.end() - len(closing)]
                if src.strip(WS_CHARS) not in ("\\{", "\\}"):
                    self.put_math(src)
                # else Google Scholar's "$\{$USENIX$\}$": its protective braces, no text
                return m.end()
            self.no_close[closing] = pos
        if closing == "$":
            # a dollar that opens no math is a dollar ("The <$1,700 machine"); only
            # one that is not a currency amount may be a mistake worth a warning
            self.emit("$")
            if not _AMOUNT.match(self.text, pos):
                self.problem("unterminated math; the $ is shown as is")
            return pos
        self.problem("unterminated math")
        return pos

    def put_math(self, src: str) -> None:
        item, problems = typeset_math(src)
        self.problems.extend(problems)
        if isinstance(item, Math):
            self.append(item)
        else:
            self.emit(item)
