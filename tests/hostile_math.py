"""Entry text that MathJax or KaTeX would typeset into script, links or page covers,
made from a small grammar: math delimiters x commands that act x the fields (channels)
entry text reaches a page through.  Shared by tests/test_math_channels.py (the HTML of
every channel) and tests/test_browser_mathjax.py (real MathJax in Chromium).

The payloads are plain text once decoded (the .bib spells them with
``\\textbackslash{}``, ``\\$`` and ``\\{``: :func:`sphinx_pubs.core.latex.plain.escape`),
so the LaTeX decoder's math vetting never sees them as math: only the channels can keep them inert.
"""

from __future__ import annotations

from sphinx_pubs.core.latex.plain import escape

#: (opening, closing) math delimiters of MathJax 2-4 and KaTeX's auto-render, by
#: default or when a site turns them on (``$``: sphinx-math-dollar, myst dollarmath)
DELIMITERS = (
    (r"\(", r"\)"),
    (r"\[", r"\]"),
    ("$$", "$$"),
    ("$", "$"),
    (r"\begin{equation}", r"\end{equation}"),
    (r"\begin{align}", r"\end{align}"),
)

#: a box that covers the whole window
COVER = "position:fixed;top:0;left:0;width:100%;height:100%;z-index:99999"
#: TeX commands (MathJax's html, unicode, require, mmlToken and v4 extensions) that make
#: links, set styles, classes, ids or attributes, or load code
COMMANDS = (
    r"\href{javascript:alert(1)}{\style{" + COVER + "}{X}}",
    r"\href{javascript:alert(2)}{X}",
    r"\style{" + COVER + "}{X}",
    r"\class{pubs-evil}{X}",
    r"\cssId{pubs-evil}{X}",
    r"\unicode{x41}",
    r"\require{html}\href{javascript:alert(3)}{X}",
    r'\mmlToken{mi}[href="javascript:alert(4)"]{X}',
    r'\html{<a href="javascript:alert(5)">X</a>}',
    r"\data{href=javascript:alert(6)}{X}",
)

#: the fields entry text reaches pages through, and where each shows
FIELDS = ("title", "author", "journal", "note", "abstract", "keywords", "abbr")


def payloads() -> list[str]:
    """Every delimiter around every command, in an order in which any few payloads in a
    row have different delimiters and different commands."""
    count = len(DELIMITERS) * len(COMMANDS)
    out = []
    for number in range(count):
        row = number // len(DELIMITERS)
        opening, closing = DELIMITERS[number % len(DELIMITERS)]
        # 7 * row walks every command once per delimiter (7 and 10 share no factor)
        command = COMMANDS[(7 * row + number) % len(COMMANDS)]
        out.append(opening + command + closing)
    assert len(set(out)) == count
    return out


def _field(name: str, text: str) -> str:
    if name == "author":
        # a name: the payload is the family name ("{...}" keeps it whole)
        return "author = {Ann Smith and {" + escape(text) + "}}"
    if name == "keywords":
        # a keyword is split at "," and ";": the label keeps the rest of it
        return "keywords = {" + escape(text.replace(";", " ")) + "}"
    if name == "title":
        # with real, vetted math, which MathJax typesets (and so the pages load it)
        return "title = {" + escape(text) + r" and $x^2_i$}"
    return f"{name} = {{{escape(text)}}}"


def hostile_bib(count: int | None = None, start: int = 0) -> str:
    """A .bib of entries ``evil0``, ``evil1`` ... whose every field holds a payload:
    entry *n* gets payload *start + n + i* in its *i*-th field, so each field sees
    every delimiter and command."""
    texts = payloads()
    total = len(texts) if count is None else count
    entries = []
    for number in range(total):
        fields = [
            _field(name, texts[(start + number + offset) % len(texts)])
            for offset, name in enumerate(FIELDS)
        ]
        entries.append(
            f"@article{{evil{number},\n  "
            + ",\n  ".join(fields)
            + f",\n  year = {{{2000 + number % 5}}}, url = {{https://example.org/{number}}},\n"
            + "}\n"
        )
    return "\n".join(entries)
