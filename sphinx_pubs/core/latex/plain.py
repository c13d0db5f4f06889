"""Plain text and LaTeX: the decoder's fast path (a value with nothing to decode) and
the encoder (plain text written as LaTeX that decodes back to it)."""

from __future__ import annotations

import re
from typing import Final

#: Whitespace the decoder collapses (deliberately not ``\s``: no-break spaces stay).
WS_CHARS: Final = " \t\n\r\f\v"
WS_RUN: Final = re.compile(r"[ \t\n\r\f\v]+")


def needs_decoding(text: str) -> bool:
    """Whether *text* holds anything the decoder changes besides whitespace: a
    backslash, a brace, ``$``, ``~``, a backquote, ``--`` or ``''``.

    Written as substring tests, which CPython runs with ``memchr`` (about three times
    faster than one regex search).
    """
    return (
        "\\" in text
        or "{" in text
        or "}" in text
        or "$" in text
        or "~" in text
        or "`" in text
        or "--" in text
        or "''" in text
    )


def collapse(text: str) -> str:
    """*text* with whitespace runs collapsed to one space, stripped."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = WS_RUN.sub(" ", text)
    return text.strip(" ")


def apostrophes(text: str) -> str:
    """A straight ``'`` typesets as a right quote in LaTeX (``don't`` -> "don’t")."""
    return text.replace("'", "’") if "'" in text else text


#: characters that mean something to LaTeX, and how plain text writes them
_SPECIAL = re.compile(r"[\\{}&%#_$~^]")
#: the first character of a ligature (``--``, ``''``): LaTeX joins it to the next
_LIGATURE = re.compile(r"-(?=-)|'(?=')")
_SPECIAL_WRITTEN = {"\\": "\\textbackslash{}", "~": "\\textasciitilde{}", "^": "\\^{}"}


def escape(text: str) -> str:
    """Plain *text* as LaTeX that the decoder reads back as the same text
    (``50% of A&B`` -> ``50\\% of A\\&B``); the ligatures LaTeX would make of it are
    broken (``--`` -> ``-{}-``, ``''`` -> ``'{}'``, a backquote ``\\textasciigrave{}``),
    and a no-break space is ``~``."""
    text = _SPECIAL.sub(lambda m: _SPECIAL_WRITTEN.get(m.group(), "\\" + m.group()), text)
    if "-" in text or "'" in text or "`" in text:
        text = _LIGATURE.sub(lambda m: m.group() + "{}", text).replace("`", "\\textasciigrave{}")
    return text.replace("\xa0", "~")  # a reader may take it for a space and drop it
