"""Decode the LaTeX of BibTeX field values into :data:`~sphinx_pubs.core.model.RichText`.

BibTeX fields hold a small, well known subset of LaTeX: accents (``\\"u``), special
letters (``\\ss``), escapes (``\\&``), ligatures (``--``), protective braces, a few
font commands (``\\emph``, ``{\\bf ...}``), links (``\\url``, ``\\href``, ``\\doi``)
and inline math.  :func:`decode` turns such a value into rich text; anything it does
not understand is dropped (keeping the text of its arguments) and reported.

The decoder never raises, runs in time linear in its input, and keeps its own stack
(no recursion over the input), so hostile values such as ten thousand nested braces
are harmless.  Most field values contain no LaTeX at all; :func:`needs_decoding` is a
single precompiled regex search that lets callers skip the decoder for them.
"""

# The tables below map LaTeX to look-alike Unicode characters on purpose.

from __future__ import annotations

import re
import unicodedata
from typing import Final

from sphinx_pubs.core.model import Inline, Link, Math, RichText, Styled, plain

__all__ = ["decode", "decode_plain", "needs_decoding"]

# -- fast path -------------------------------------------------------------------------

#: Anything the decoder would change besides whitespace (see needs_decoding).
_NEEDS: Final = re.compile(r"[\\{}$~`]|--|''")
#: Whitespace the decoder collapses (deliberately not ``\s``: no-break spaces stay).
_WS_CHARS: Final = " \t\n\r\f\v"
_WS_RUN: Final = re.compile(r"[ \t\n\r\f\v]+")


def needs_decoding(text: str) -> bool:
    """Whether *text* holds anything :func:`decode` changes besides whitespace.

    The same test as ``_NEEDS.search(text)``, written as substring tests, which
    CPython runs with ``memchr`` (about three times faster than the regex).
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


def _collapse(text: str) -> str:
    """*text* with whitespace runs collapsed to one space, stripped."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _WS_RUN.sub(" ", text)
    return text.strip(" ")


def _apostrophes(text: str) -> str:
    """A straight ``'`` typesets as a right quote in LaTeX (``don't`` -> "don’t")."""
    return text.replace("'", "’") if "'" in text else text


def decode(text: str) -> tuple[RichText, list[str]]:
    """Decode one BibTeX field value to rich text and a list of problems found.

    Whitespace runs collapse to one space and the result is stripped.  The problems
    are short messages without a location (``"unbalanced braces"``, ...).
    """
    if not needs_decoding(text):
        text = _apostrophes(_collapse(text))
        return ((text,) if text else ()), []
    return _Decoder(text).run()


#: characters that mean something to LaTeX, and how plain text writes them
_SPECIAL = re.compile(r"[\\{}&%#_$~^]")
#: the first character of a ligature (``--``, ``''``): LaTeX joins it to the next
_LIGATURE = re.compile(r"-(?=-)|'(?=')")
_SPECIAL_WRITTEN = {"\\": "\\textbackslash{}", "~": "\\textasciitilde{}", "^": "\\^{}"}


def escape(text: str) -> str:
    """Plain *text* as LaTeX that :func:`decode` reads back as the same text
    (``50% of A&B`` -> ``50\\% of A\\&B``); the ligatures LaTeX would make of it are
    broken (``--`` -> ``-{}-``, ``''`` -> ``'{}'``, a backquote ``\\textasciigrave{}``),
    and a no-break space is ``~``."""
    text = _SPECIAL.sub(lambda m: _SPECIAL_WRITTEN.get(m.group(), "\\" + m.group()), text)
    if "-" in text or "'" in text or "`" in text:
        text = _LIGATURE.sub(lambda m: m.group() + "{}", text).replace("`", "\\textasciigrave{}")
    return text.replace("\xa0", "~")  # a reader may take it for a space and drop it


def brace_scan(text: str) -> tuple[list[int], list[int], list[int]]:
    """Where *text*'s braces are, read as LaTeX reads them: a backslash escapes the
    character after it (``\\{``, ``\\}`` are text, ``\\\\`` is one command), other
    braces group.  Returns the positions of the escaped braces, of the ``{`` never
    closed and of the ``}`` that close nothing; all three are empty for a value whose
    braces are balanced both for LaTeX and for BibTeX (which ignores escapes)."""
    escaped: list[int] = []
    unclosed: list[int] = []  # positions of "{" still open
    stray: list[int] = []  # positions of "}" that close nothing
    pos, end = 0, len(text)
    while pos < end:
        char = text[pos]
        if char == "\\":
            if pos + 1 < end and text[pos + 1] in "{}":
                escaped.append(pos + 1)
            pos += 2
            continue
        if char == "{":
            unclosed.append(pos)
        elif char == "}":
            if unclosed:
                unclosed.pop()
            else:
                stray.append(pos)
        pos += 1
    if escaped and not unclosed and not stray:
        # escaped braces that pair up among themselves and with the others in the
        # order BibTeX counts them are harmless to BibTeX: "\\{x\\}" stays
        depth = 0
        for char in text:
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth < 0:
                    break
        if depth == 0:
            escaped = []
    return escaped, unclosed, stray


def _is_escape(text: str, pos: int) -> bool:
    """Whether the backslash at *pos* starts an escape (an even number of backslashes
    stands before it)."""
    start = pos
    while start and text[start - 1] == "\\":
        start -= 1
    return (pos - start) % 2 == 0


def balance_braces(text: str, name_list: bool = False) -> str:
    """*text* with braces that BibTeX and LaTeX both read as balanced and that decode
    as before: when :func:`brace_scan` finds anything, escaped braces and braces that
    pair with nothing are written ``\\textbraceleft{}`` and ``\\textbraceright{}``
    (which :func:`decode` reads as ``{`` and ``}``).  Balanced text is returned as
    it is.

    *name_list*: *text* is a BibTeX name list, where a brace group hides the commas
    and ``and`` in it from BibTeX even when LaTeX escapes the brace; every escaped
    brace is written as a command then.
    """
    if "{" not in text and "}" not in text:
        return text
    escaped, unclosed, stray = brace_scan(text)
    if name_list and not escaped:
        escaped = [
            pos + 1
            for pos in range(len(text) - 1)
            if text[pos] == "\\" and text[pos + 1] in "{}" and _is_escape(text, pos)
        ]
    if not escaped and not unclosed and not stray:
        return text
    drop = {pos - 1 for pos in escaped}  # the backslash of an escaped brace
    bad = {pos: "\\textbraceleft{}" for pos in unclosed}
    bad.update({pos: "\\textbraceright{}" for pos in stray})
    for pos in escaped:
        bad[pos] = "\\textbraceleft{}" if text[pos] == "{" else "\\textbraceright{}"
    return "".join(bad.get(pos, char) for pos, char in enumerate(text) if pos not in drop)


def decode_plain(text: str) -> tuple[str, list[str]]:
    """Decode *text* and flatten it to a plain string (math keeps its LaTeX source)."""
    if not needs_decoding(text):
        return _apostrophes(_collapse(text)), []
    rich, problems = _Decoder(text).run()
    if any(isinstance(item, Math) for item in rich):
        # plain text cannot typeset math (names, years): keep its letters and digits
        rich = tuple(
            _MATH_MARKUP.sub("", item.latex) if isinstance(item, Math) else item for item in rich
        )
    return plain(rich), problems


# -- tables -----------------------------------------------------------------------------

#: Special letters; a space after them is swallowed, as TeX does.
_LETTERS: Final[dict[str, str]] = {
    "ss": "ß",
    "hyphen": "-",
    "SS": "SS",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "dj": "đ",
    "DJ": "Đ",
    "S": "§",
    "P": "¶",  # "\\S 3" is "§3"
    "lq": "‘",
    "rq": "’",
}

#: Text symbols; a space after them is kept (``\\LaTeX is`` reads "LaTeX is").
_SYMBOLS: Final[dict[str, str]] = {
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotestraightbase": "‚",
    "textquotestraightdblbase": "„",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "quotesinglbase": "‚",
    "quotedblbase": "„",
    "textquotesingle": "'",
    "textquotedbl": '"',
    "guillemotleft": "«",
    "guillemotright": "»",
    "guillemetleft": "«",
    "guillemetright": "»",
    "guilsinglleft": "‹",
    "guilsinglright": "›",
    "textregistered": "®",
    "texttrademark": "™",
    "copyright": "©",
    "textcopyright": "©",
    "textdegree": "°",
    "degree": "°",
    "textsection": "§",
    "textparagraph": "¶",
    "dag": "†",
    "textdagger": "†",
    "ddag": "‡",
    "textdaggerdbl": "‡",
    "textbullet": "•",
    "textperiodcentered": "·",
    "pounds": "£",
    "textsterling": "£",
    "euro": "€",
    "texteuro": "€",
    "textcent": "¢",
    "textyen": "¥",
    "textexclamdown": "¡",
    "textquestiondown": "¿",
    "textmu": "µ",
    "textonehalf": "½",
    "textonequarter": "¼",
    "textthreequarters": "¾",
    "textperthousand": "‰",
    "textnumero": "№",
    "checkmark": "✓",
    "texttimes": "×",
    "textdiv": "÷",
    "textordfeminine": "ª",
    "textordmasculine": "º",
    "textvisiblespace": "␣",
    "textasteriskcentered": "∗",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "BibTeX": "BibTeX",
    "LaTeXe": "LaTeX2ε",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textunderscore": "_",
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textdollar": "$",
    "textasciigrave": "`",
    "textasciiacute": "´",
    "textasciidieresis": "¨",
    "textasciimacron": "¯",
    "slash": "/",
    "nobreakspace": "\xa0",
}

#: Journal macros of NASA ADS exports (``journal = {\\apj}``), as the AAS/ADS
#: ``aas_macros.sty`` defines them.
_AAS_JOURNALS: Final[dict[str, str]] = {
    "aj": "AJ",
    "actaa": "Acta Astron.",
    "araa": "ARA&A",
    "apj": "ApJ",
    "apjl": "ApJ",
    "apjlett": "ApJ",
    "apjs": "ApJS",
    "apjsupp": "ApJS",
    "ao": "Appl. Opt.",
    "applopt": "Appl. Opt.",
    "apss": "Ap&SS",
    "aap": "A&A",
    "astap": "A&A",
    "aapr": "A&A Rev.",
    "aaps": "A&AS",
    "azh": "AZh",
    "baas": "BAAS",
    "bac": "Bull. astr. Inst. Czechosl.",
    "caa": "Chinese Astron. Astrophys.",
    "cjaa": "Chinese J. Astron. Astrophys.",
    "icarus": "Icarus",
    "jcap": "J. Cosmology Astropart. Phys.",
    "jrasc": "JRASC",
    "memras": "MmRAS",
    "mnras": "MNRAS",
    "na": "New A",
    "nar": "New A Rev.",
    "pra": "Phys. Rev. A",
    "prb": "Phys. Rev. B",
    "prc": "Phys. Rev. C",
    "prd": "Phys. Rev. D",
    "pre": "Phys. Rev. E",
    "prl": "Phys. Rev. Lett.",
    "pasa": "PASA",
    "pasp": "PASP",
    "pasj": "PASJ",
    "psj": "PSJ",
    "rmxaa": "Rev. Mexicana Astron. Astrofis.",
    "qjras": "QJRAS",
    "skytel": "S&T",
    "solphys": "Sol. Phys.",
    "sovast": "Soviet Ast.",
    "ssr": "Space Sci. Rev.",
    "zap": "ZAp",
    "nat": "Nature",
    "iaucirc": "IAU Circ.",
    "aplett": "Astrophys. Lett.",
    "apspr": "Astrophys. Space Phys. Res.",
    "bain": "Bull. Astron. Inst. Netherlands",
    "fcp": "Fund. Cosmic Phys.",
    "gca": "Geochim. Cosmochim. Acta",
    "grl": "Geophys. Res. Lett.",
    "jcp": "J. Chem. Phys.",
    "jgr": "J. Geophys. Res.",
    "jqsrt": "J. Quant. Spec. Radiat. Transf.",
    "memsai": "Mem. Soc. Astron. Italiana",
    "nphysa": "Nucl. Phys. A",
    "physrep": "Phys. Rep.",
    "physscr": "Phys. Scr",
    "planss": "Planet. Space Sci.",
    "procspie": "Proc. SPIE",
}

#: Accents written as a control symbol (``\\"u``).
_SYMBOL_ACCENTS: Final[dict[str, str]] = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    '"': "\u0308",
    "=": "\u0304",
    ".": "\u0307",
}
#: Accents written as a control word (``\\v{c}``, ``\\v c``).
_LETTER_ACCENTS: Final[dict[str, str]] = {
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
    "t": "\u0361",
    "G": "\u030f",
}
#: What an accent with an empty argument (``\\~{}``) prints.
_SPACING_ACCENTS: Final[dict[str, str]] = {
    "\u0301": "´",
    "\u0300": "`",
    "\u0302": "^",
    "\u0303": "~",
    "\u0308": "¨",
    "\u0304": "¯",
    "\u0307": "˙",
    "\u0306": "˘",
    "\u030c": "ˇ",
    "\u030b": "˝",
    "\u0327": "¸",
    "\u0328": "˛",
    "\u030a": "˚",
}
#: Accents below the letter (they keep the dot of ``\\i``, ``\\j``).
_BELOW: Final = frozenset({"\u0327", "\u0328", "\u0323", "\u0331"})

_ESCAPES: Final = frozenset("&%$#_{}")

# Command actions (kinds of frame, see _Decoder).
_GROUP: Final = 0
_STYLE: Final = 1
_LINK: Final = 2
_CASE: Final = 3
_ACCENT: Final = 4
_DROP: Final = 5
_QUOTE: Final = 6
_ROOT: Final = 7
# Actions that are not frames.
_SWITCH: Final = 10
_IGNORE: Final = 11
_SPACE: Final = 12
_URL: Final = 13
_HREF: Final = 14
_DOI: Final = 15
_ENSUREMATH: Final = 16
_SKIP_ARG: Final = 17
_SKIP_THEN_PASS: Final = 18
_DIMEN: Final = 19
_RAISEBOX: Final = 20
_RULE: Final = 21

_COMMANDS: Final[dict[str, tuple[int, str]]] = {
    # styled arguments
    "emph": (_STYLE, "emph"),
    "textit": (_STYLE, "emph"),
    "textsl": (_STYLE, "emph"),
    "textbf": (_STYLE, "strong"),
    "texttt": (_STYLE, "code"),
    "textsc": (_STYLE, "smallcaps"),
    "textsuperscript": (_STYLE, "sup"),
    "textsubscript": (_STYLE, "sub"),
    # declarations that style the rest of the group
    "em": (_SWITCH, "emph"),
    "it": (_SWITCH, "emph"),
    "itshape": (_SWITCH, "emph"),
    "sl": (_SWITCH, "emph"),
    "slshape": (_SWITCH, "emph"),
    "bf": (_SWITCH, "strong"),
    "bfseries": (_SWITCH, "strong"),
    "tt": (_SWITCH, "code"),
    "ttfamily": (_SWITCH, "code"),
    "sc": (_SWITCH, "smallcaps"),
    "scshape": (_SWITCH, "smallcaps"),
    # commands that return their argument
    "textrm": (_GROUP, ""),
    "textnormal": (_GROUP, ""),
    "textup": (_GROUP, ""),
    "textmd": (_GROUP, ""),
    "textsf": (_GROUP, ""),
    "mbox": (_GROUP, ""),
    "hbox": (_GROUP, ""),
    "text": (_GROUP, ""),
    "NoCaseChange": (_GROUP, ""),
    "autocap": (_GROUP, ""),
    "enquote": (_QUOTE, ""),
    "mkbibquote": (_QUOTE, ""),
    "underline": (_GROUP, ""),
    "protect": (_IGNORE, ""),
    "MakeUppercase": (_CASE, "upper"),
    "uppercase": (_CASE, "upper"),
    "MakeLowercase": (_CASE, "lower"),
    "lowercase": (_CASE, "lower"),
    # commands whose argument is not shown
    "noopsort": (_DROP, ""),
    "SortNoop": (_DROP, ""),
    "sortnoop": (_DROP, ""),
    "hspace": (_DROP, ""),
    "vspace": (_DROP, ""),
    "label": (_DROP, ""),
    "phantom": (_DROP, ""),
    "vphantom": (_DROP, ""),
    "hphantom": (_DROP, ""),
    "cite": (_DROP, ""),
    "citep": (_DROP, ""),
    "citet": (_DROP, ""),
    "index": (_DROP, ""),
    "color": (_SKIP_ARG, ""),
    "textcolor": (_SKIP_THEN_PASS, ""),
    # layout: their dimensions are not shown (\\raisebox{-0.5ex}{~} is "~")
    "raisebox": (_RAISEBOX, ""),
    "rule": (_RULE, ""),
    "kern": (_DIMEN, ""),
    "mkern": (_DIMEN, ""),
    "hskip": (_DIMEN, ""),
    "vskip": (_DIMEN, ""),
    "mskip": (_DIMEN, ""),
    "raise": (_DIMEN, ""),
    "lower": (_DIMEN, ""),
    "moveleft": (_DIMEN, ""),
    "moveright": (_DIMEN, ""),
    # declarations without a visible effect here
    "rm": (_IGNORE, ""),
    "sf": (_IGNORE, ""),
    "md": (_IGNORE, ""),
    "up": (_IGNORE, ""),
    "normalfont": (_IGNORE, ""),
    "rmfamily": (_IGNORE, ""),
    "sffamily": (_IGNORE, ""),
    "mdseries": (_IGNORE, ""),
    "upshape": (_IGNORE, ""),
    "relax": (_IGNORE, ""),
    "tiny": (_IGNORE, ""),
    "scriptsize": (_IGNORE, ""),
    "footnotesize": (_IGNORE, ""),
    "small": (_IGNORE, ""),
    "normalsize": (_IGNORE, ""),
    "large": (_IGNORE, ""),
    "Large": (_IGNORE, ""),
    "LARGE": (_IGNORE, ""),
    "huge": (_IGNORE, ""),
    "Huge": (_IGNORE, ""),
    "noindent": (_IGNORE, ""),
    "xspace": (_IGNORE, ""),
    "nobreak": (_IGNORE, ""),
    "allowbreak": (_IGNORE, ""),
    "null": (_IGNORE, ""),
    "hfill": (_IGNORE, ""),
    "unskip": (_IGNORE, ""),
    "smallskip": (_IGNORE, ""),
    "medskip": (_IGNORE, ""),
    "bigskip": (_IGNORE, ""),
    "sloppy": (_IGNORE, ""),
    "textcompwordmark": (_IGNORE, ""),
    # spaces and line breaks
    "newline": (_SPACE, ""),
    "par": (_SPACE, ""),
    "linebreak": (_SPACE, ""),
    "quad": (_SPACE, ""),
    "qquad": (_SPACE, ""),
    "enspace": (_SPACE, ""),
    "thinspace": (_SPACE, ""),
    # links and math
    "url": (_URL, ""),
    "href": (_HREF, ""),
    "doi": (_DOI, ""),
    "ensuremath": (_ENSUREMATH, ""),
}

# Math atoms: (text, class); the class decides the spacing of simple math.
_ORD: Final = "ord"
_BIN: Final = "bin"
_REL: Final = "rel"
_OP: Final = "op"
_PUNCT: Final = "punct"
_SP: Final = "space"
_NONE: Final = "none"


def _atoms(cls: str, table: str) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for pair in table.split():
        name, _, char = pair.partition("=")
        out[name] = (char, cls)
    return out


_MATH: Final[dict[str, tuple[str, str]]] = {
    **_atoms(
        _ORD,
        """
        alpha=α beta=β gamma=γ delta=δ epsilon=ϵ varepsilon=ε zeta=ζ eta=η theta=θ
        vartheta=ϑ iota=ι kappa=κ varkappa=ϰ lambda=λ mu=μ nu=ν xi=ξ omicron=ο pi=π
        varpi=ϖ rho=ρ varrho=ϱ sigma=σ varsigma=ς tau=τ upsilon=υ phi=ϕ varphi=φ chi=χ
        psi=ψ omega=ω Gamma=Γ Delta=Δ Theta=Θ Lambda=Λ Xi=Ξ Pi=Π Sigma=Σ Upsilon=Υ
        Phi=Φ Psi=Ψ Omega=Ω
        infty=∞ ell=ℓ partial=∂ nabla=∇ sum=∑ prod=∏ coprod=∐ int=∫ oint=∮ forall=∀
        exists=∃ nexists=∄ emptyset=∅ varnothing=∅ neg=¬ lnot=¬ hbar=ℏ aleph=ℵ
        angle=∠ triangle=△ top=⊤ bot=⊥ dagger=† ddagger=‡ prime=′ degree=° textdegree=°
        cdots=⋯ ldots=… dots=… vdots=⋮ ddots=⋱ langle=⟨ rangle=⟩ lceil=⌈ rceil=⌉
        lfloor=⌊ rfloor=⌋ lvert=| rvert=| vert=| Vert=‖ lVert=‖ rVert=‖ uparrow=↑
        downarrow=↓ Uparrow=⇑ Downarrow=⇓ checkmark=✓ Re=ℜ Im=ℑ wp=℘ surd=√
        sharp=♯ flat=♭ natural=♮ clubsuit=♣ diamondsuit=♢ heartsuit=♡ spadesuit=♠
        not≠
        """,
    ),
    **_atoms(
        _BIN,
        """
        times=× pm=± mp=∓ cdot=· div=÷ ast=∗ star=⋆ circ=∘ bullet=• oplus=⊕ ominus=⊖
        otimes=⊗ odot=⊙ cup=∪ cap=∩ setminus=∖ smallsetminus=∖ wedge=∧ land=∧ vee=∨
        lor=∨ bmod=mod
        """,
    ),
    **_atoms(
        _REL,
        """
        leq=≤ le=≤ geq=≥ ge=≥ neq=≠ ne=≠ approx=≈ sim=∼ simeq=≃ equiv=≡ propto=∝
        to=→ rightarrow=→ leftarrow=← gets=← Rightarrow=⇒ Leftarrow=⇐
        leftrightarrow=↔ Leftrightarrow=⇔ longrightarrow=⟶ longleftarrow=⟵
        Longrightarrow=⟹ implies=⟹ iff=⟺ mapsto=↦ in=∈ notin=∉ ni=∋ subset=⊂
        subseteq=⊆ supset=⊃ supseteq=⊇ ll=≪ gg=≫ mid=| cong=≅ asymp=≍ lesssim=≲
        gtrsim=≳ approxeq=≊ prec=≺ succ=≻ preceq=⪯ succeq=⪰ perp=⊥ parallel=∥
        lt=< gt=> leqslant=⩽ geqslant=⩾ nless=≮ ngtr=≯ models=⊨ vdash=⊢
        """,
    ),
    **_atoms(
        _OP,
        """
        log=log ln=ln lg=lg exp=exp sin=sin cos=cos tan=tan cot=cot sec=sec csc=csc
        arcsin=arcsin arccos=arccos arctan=arctan sinh=sinh cosh=cosh tanh=tanh
        coth=coth max=max min=min sup=sup inf=inf lim=lim limsup=lim\u00a0sup
        liminf=lim\u00a0inf det=det dim=dim arg=arg deg=deg gcd=gcd ker=ker hom=hom Pr=Pr
        """,
    ),
    **_atoms(
        _NONE,
        """
        left= right= big= Big= bigg= Bigg= bigl= bigr= Bigl= Bigr= biggl= biggr=
        displaystyle= textstyle= scriptstyle= limits= nolimits= nonumber= relax=
        """,
    ),
    "quad": (" ", _SP),
    "qquad": (" ", _SP),
    "enspace": (" ", _SP),
    "thinspace": (" ", _SP),
}
#: Unicode symbol -> the math command that writes it, for LaTeX output: pdflatex
#: has no glyph for most of them in text (Latin-1 it has)
MATH_COMMAND_OF: Final[dict[str, str]] = {}
for _name, (_char, _cls) in _MATH.items():
    if len(_char) == 1 and ord(_char) > 0xFF and _cls in (_ORD, _BIN, _REL):
        # LaTeX has no \omicron: its omicron is an o
        MATH_COMMAND_OF.setdefault(_char, "o" if _name == "omicron" else "\\" + _name)
#: Math-only symbols that are shown when used (wrongly) outside math.
_MATH_IN_TEXT: Final[dict[str, str]] = {
    name: char for name, (char, cls) in _MATH.items() if cls in (_ORD, _BIN, _REL) and char
}
_MATH_CHARS: Final[dict[str, tuple[str, str]]] = {
    "+": ("+", _BIN),
    "-": ("-", _BIN),
    "=": ("=", _REL),
    "<": ("<", _REL),
    ">": (">", _REL),
    ":": (":", _REL),
    ",": (",", _PUNCT),
    ";": (";", _PUNCT),
    "'": ("′", _ORD),
    "~": ("\xa0", _ORD),
}
_MATH_SYMBOL_CHARS: Final[dict[str, tuple[str, str]]] = {
    ",": (" ", _SP),
    ";": (" ", _SP),
    ":": (" ", _SP),
    " ": (" ", _SP),
    "\t": (" ", _SP),
    "\n": (" ", _SP),
    "\r": (" ", _SP),
    "!": ("", _NONE),
    "%": ("%", _ORD),
    "$": ("$", _ORD),
    "#": ("#", _ORD),
    "&": ("&", _ORD),
    "_": ("_", _ORD),
    "{": ("{", _ORD),
    "}": ("}", _ORD),
    "|": ("‖", _ORD),
}
#: Characters that make math "not simple" (variables, scripts, groups).
_NOT_SIMPLE: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ^_{}\\&#")

_MATH_TOKEN: Final = re.compile(
    r"\\([A-Za-z]+)"  # 1 control word
    r"|\\(.)"  # 2 control symbol
    r"|(\^[ \t\n\r\f\v]*(?:\\circ(?![A-Za-z])|\{[ \t\n\r\f\v]*\\circ[ \t\n\r\f\v]*\}))"  # 3 °
    r"|(\{[ \t\n\r\f\v]*\})"  # 4 empty group
    r"|[ \t\n\r\f\v]+"  # whitespace, ignored in math
    r"|(.)",  # 5 anything else
    re.S,
)


#: Commands math may use, besides the symbols of _MATH: structure, fonts, accents,
#: delimiters, spacing and operator names, all of them harmless in MathJax and LaTeX.
_MATH_COMMANDS: Final = frozenset(_MATH) | frozenset(
    """
    frac dfrac tfrac cfrac sqrt binom dbinom tbinom choose over atop
    mathrm mathbf mathit mathsf mathtt mathcal mathbb mathfrak mathscr mathnormal
    boldsymbol bm pmb text textrm textit textbf textsf texttt textnormal mbox
    operatorname mathop mathbin mathrel mathord
    left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr
    hat widehat bar overline underline tilde widetilde vec dot ddot dddot breve check
    acute grave mathring overbrace underbrace overset underset stackrel
    overrightarrow overleftarrow xrightarrow xleftarrow
    quad qquad enspace thinspace negthinspace medspace thickspace hspace
    displaystyle textstyle scriptstyle scriptscriptstyle limits nolimits
    pmod bmod mod colon lbrace rbrace lbrack rbrack backslash
    iint iiint bigcup bigcap bigoplus bigotimes bigodot bigvee bigwedge biguplus
    sqcup sqcap uplus amalg wr diamond triangleleft triangleright bigtriangleup
    bigtriangledown lhd rhd unlhd unrhd leftharpoonup rightharpoonup rightleftharpoons
    nearrow searrow swarrow nwarrow hookrightarrow hookleftarrow longmapsto
    Longleftarrow Longleftrightarrow longleftrightarrow leadsto dashv vDash Vdash
    nleq ngeq nsubseteq nsupseteq subsetneq supsetneq sqsubset sqsupset sqsubseteq
    sqsupseteq bowtie smile frown doteq mho Finv Game beth gimel daleth eth
    imath jmath complement lozenge blacklozenge square blacksquare varkappa digamma
    ldotp cdotp vdots dotsb dotsc dotsi dotsm dotso tag label begin end
    """.split()
)
#: Environments math may open with \begin.
_MATH_ENVIRONMENTS: Final = frozenset(
    "matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix cases array aligned "
    "gathered split subarray alignedat".split()
)
_MATH_COMMAND: Final = re.compile(r"\\(?:([A-Za-z]+)|.)|(\^\^)", re.S)
_MATH_ENVIRONMENT: Final = re.compile(r"\\(?:begin|end)\s*\{([^{}]*)\}")


def _unsafe_math(src: str) -> str | None:
    """The first command of *src* that math may not use, or None."""
    for m in _MATH_COMMAND.finditer(src):
        if m.group(2):
            return "^^"  # TeX's ^^5c spells a backslash: any command at all
        name = m.group(1)
        if name is None:
            continue  # a control symbol: \, \{ \\ ...
        if name not in _MATH_COMMANDS:
            return "\\" + name
        if name in ("begin", "end"):
            env = _MATH_ENVIRONMENT.match(src, m.start())
            if env is None or env.group(1).strip().rstrip("*") not in _MATH_ENVIRONMENTS:
                return "\\" + name + (f"{{{env.group(1)}}}" if env else "")
    return None


# -- math LaTeX can typeset ------------------------------------------------------------
# _unsafe_math keeps out what could act; this keeps out what would stop `make
# latexpdf` (and shows as an error in MathJax): unbalanced groups and environments,
# \left without \right, commands without their arguments, double scripts, & and \\
# outside an alignment, commands LaTeX (with amsmath and amssymb, as Sphinx loads
# them) does not define.  Math goes into the .tex file as written, inside \( \).

#: MathJax-only spellings, written as LaTeX spells them
_LATEX_ALIASES: Final = {
    "lt": "<",
    "gt": ">",
    "bm": "\\boldsymbol",
    "mathscr": "\\mathcal",
    "omicron": "o",
    "degree": "^{\\circ}",
    "textdegree": "^{\\circ}",
}
_LATEX_ALIAS: Final = re.compile(r"\\(" + "|".join(_LATEX_ALIASES) + r")(?![A-Za-z])")
#: commands LaTeX rejects in inline math
_NOT_INLINE: Final = frozenset({"tag", "label"})
#: commands with arguments: m math, o optional math [...], t text, d a dimension
_MATH_ARGS: Final[dict[str, str]] = {
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
_DELIMITED: Final = frozenset(
    "left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr".split()
)
_DELIMITER_WORDS: Final = frozenset(
    """langle rangle lfloor rfloor lceil rceil vert Vert lvert rvert lVert rVert uparrow
    downarrow Uparrow Downarrow backslash lbrace rbrace lbrack rbrack""".split()
)
_DELIMITER_CHARS: Final = frozenset("()[]./|<>")
#: what \limits and \nolimits may follow
_OPERATORS: Final = frozenset(
    """sum prod coprod int oint iint iiint bigcup bigcap bigoplus bigotimes bigodot bigvee
    bigwedge biguplus""".split()
) | frozenset(name for name, (_char, cls) in _MATH.items() if cls == _OP)
#: arguments that need no braces: one letter or digit, or one of these symbols
_BARE_ARGS: Final = frozenset(
    """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda
    mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma
    Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega infty ell partial nabla prime ast
    star circ bullet pm mp times cdot""".split()
)
_BARE_CHARS: Final = frozenset("+-=<>()[]|/.,;:!?*")
#: control symbols math may use: spaces, and escaped specials
_MATH_SYMBOLS: Final = frozenset(",;:!> \t\n\r\f\v") | frozenset("{}|#$%&_")
_SPACE_SYMBOLS: Final = frozenset(",;:!> \t\n\r\f\v")
#: environments: the most cells a row may have (0: any number; array's from its spec)
_MATH_ENV_COLUMNS: Final[dict[str, int]] = {
    **dict.fromkeys("matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix".split(), 10),
    "smallmatrix": 0,
    "aligned": 0,
    "cases": 2,
    "gathered": 1,
    "array": -1,
    "subarray": -1,
    "alignedat": -1,
}
_MATH_MAX_NEST: Final = 32
#: math with nothing that could be wrong: letters, digits, operators, parentheses
_PLAIN_MATH: Final = re.compile(r"[A-Za-z0-9 +\-=<>()|/.,;:!?*~]*")
#: \begin{name} and \end{name}, left out of math shown as text
_MATH_ENV_NAME: Final = re.compile(r"\\(?:begin|end)[ \t\n\r\f\v]*\{[A-Za-z*]*\}")
_VET_TOKEN: Final = re.compile(r"[ \t\n\r\f\v]*(?:\\([A-Za-z]+)|\\(.)|(.))", re.S)
_ENV_NAME: Final = re.compile(r"[ \t\n\r\f\v]*\{([A-Za-z]*)\}")
_ARRAY_SPEC: Final = re.compile(r"[ \t\n\r\f\v]*\{([lcr| ]*)\}")
_ALIGNEDAT_SPEC: Final = re.compile(r"[ \t\n\r\f\v]*\{[ \t\n\r\f\v]*([1-9])[ \t\n\r\f\v]*\}")
_MATH_LENGTH: Final = re.compile(
    r"[ \t\n\r\f\v]*\{[ \t\n\r\f\v]*-?(?:\d+(?:\.\d*)?|\.\d+)[ \t\n\r\f\v]*"
    r"(?:pt|em|ex|mm|cm|in|bp|pc|dd|cc|sp)[ \t\n\r\f\v]*\}"
)
_OPTIONAL_PART: Final = re.compile(r"\\(?:[A-Za-z]+|.)|[{}\]]", re.S)
_TEXT_GROUP: Final = re.compile(r"[ \t\n\r\f\v]*\{")
_TEXT_PART: Final = re.compile(r"[^\\{}^_&#%$\x00-\x1f\x7f-\U0010ffff]+|\\[{}&%#_$ ]|[{}]")


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


def _bare(word: str | None, char: str | None) -> bool:
    """Whether a token may stand as an argument without braces."""
    if word is not None:
        return word in _BARE_ARGS
    return char is not None and char.isascii() and (char.isalnum() or char in _BARE_CHARS)


def _delimiter(word: str | None, symbol: str | None, char: str | None) -> bool:
    if word is not None:
        return word in _DELIMITER_WORDS
    if symbol is not None:
        return symbol in "{}|"
    return char is not None and char in _DELIMITER_CHARS


def _text_argument(src: str, pos: int) -> int | None:
    """Where the text argument (``\\text{...}``) starting at *pos* ends; None when it is
    not plain text in balanced braces, or one letter or digit."""
    m = _TEXT_GROUP.match(src, pos)
    if m is None:
        token = _VET_TOKEN.match(src, pos)
        if token is None or not _bare(None, token.group(3)) or not token.group(3).isalnum():
            return None
        return token.end()
    depth, pos = 1, m.end()
    while depth:
        part = _TEXT_PART.match(src, pos)
        if part is None:
            return None
        text = part.group()
        depth += 1 if text == "{" else -1 if text == "}" else 0
        pos = part.end()
    return pos


def _next_is(src: str, pos: int, chars: str) -> bool:
    """Whether the next token after spaces (what LaTeX's optional-argument test looks
    at) is one of *chars*."""
    token = _VET_TOKEN.match(src, pos)
    return token is not None and token.group(3) is not None and token.group(3) in chars


def _optional_end(src: str, pos: int) -> int:
    """Where the optional argument whose ``[`` ends at *pos* ends: at the first ``]``
    outside braces, as LaTeX reads it (-1 when there is none)."""
    depth = 0
    for m in _OPTIONAL_PART.finditer(src, pos):
        char = m.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return -1
        elif char == "]" and not depth:
            return m.start()
    return -1


def latex_math_problem(src: str) -> str | None:
    """Why LaTeX could not typeset the inline math *src* (``"\\\\frac without its
    arguments"``), or None when it can.

    One pass with an explicit stack: time linear in *src*, nesting bounded.
    """
    stack = [_MathFrame("")]
    ends: list[int] = []  # where the open optional arguments end
    pos = 0
    while True:
        frame = stack[-1]
        if ends and pos > ends[-1]:
            return "a ] inside an optional argument"
        m = _VET_TOKEN.match(src, pos)
        if m is not None and ends and m.end() - 1 == ends[-1]:  # the "]" that ends it
            if frame.kind != "[" or frame.need:
                return "a ] inside an optional argument"
            stack.pop()
            ends.pop()
            pos = m.end()
            continue
        if m is None:
            if frame.need:
                return f"{frame.needer} without its argument"
            if frame.kind == "{":
                return "an unclosed {"
            if frame.kind == "[":
                return "an unclosed ["
            if frame.kind == "left":
                return "\\left without \\right"
            if frame.kind:
                return f"\\begin{{{frame.kind}}} without \\end{{{frame.kind}}}"
            return None
        word, symbol, char = m.groups()
        pos = m.end()
        if frame.need:  # the next token is an argument
            frame.need -= 1
            if char == "{":
                stack.append(_MathFrame("{", argument=True))
            elif not _bare(word, char):
                return f"{frame.needer} without its argument"
            if len(stack) > _MATH_MAX_NEST:
                return "groups nested too deeply"
            continue
        if frame.sup == 1 and char not in ("'", "^"):
            frame.sup = 2  # a prime is a superscript
        if word is not None:
            if word in _NOT_INLINE or word not in _LATEX_MATH_COMMANDS:
                return f"\\{word}"
            if word == "begin":
                name = _ENV_NAME.match(src, pos)
                if name is None or name.group(1) not in _MATH_ENV_COLUMNS:
                    return "\\begin" + (f"{{{name.group(1)}}}" if name else "")
                env = name.group(1)
                pos = name.end()
                columns = _MATH_ENV_COLUMNS[env]
                if env in ("array", "subarray"):
                    spec = _ARRAY_SPEC.match(src, pos)
                    columns = sum(spec.group(1).count(c) for c in "lcr") if spec else 0
                    if spec is None or not columns or (env == "subarray" and columns > 1):
                        return f"\\begin{{{env}}} without its column letters"
                    pos = spec.end()
                elif env == "alignedat":
                    spec = _ALIGNEDAT_SPEC.match(src, pos)
                    if spec is None:
                        return "\\begin{alignedat} without its number of columns"
                    columns = 2 * int(spec.group(1))
                    pos = spec.end()
                if env in ("aligned", "gathered", "alignedat") and _next_is(src, pos, "["):
                    return f"[ after \\begin{{{env}}}"
                stack.append(_MathFrame(env, columns=columns))
            elif word == "end":
                name = _ENV_NAME.match(src, pos)
                env = name.group(1) if name else ""
                if frame.kind not in _MATH_ENV_COLUMNS or env != frame.kind:
                    return f"\\end{{{env}}} without \\begin{{{env}}}"
                pos = name.end() if name else pos
                stack.pop()
                stack[-1].nucleus()
            elif word in _DELIMITED:
                token = _VET_TOKEN.match(src, pos)
                if token is None or not _delimiter(*token.groups()):
                    return f"\\{word} without a delimiter"
                pos = token.end()
                if word == "left":
                    stack.append(_MathFrame("left"))
                elif word == "right":
                    if frame.kind != "left":
                        return "\\right without \\left"
                    stack.pop()
                    stack[-1].nucleus()
                elif word == "middle":
                    if frame.kind != "left":
                        return "\\middle outside \\left and \\right"
                else:
                    frame.nucleus()
            elif word in ("limits", "nolimits"):
                if not frame.op:
                    return f"\\{word} after no operator"
            elif word in ("over", "atop", "choose"):
                frame.overs += 1
                if frame.overs > 1:
                    return f"a second \\{word} in one group"
                frame.nucleus()
            elif word in _MATH_ARGS:
                frame.nucleus(op=word in ("operatorname", "mathop"))
                kinds = _MATH_ARGS[word]
                if word == "operatorname" and _next_is(src, pos, "*"):
                    pos = _VET_TOKEN.match(src, pos).end()  # type: ignore[union-attr]
                if kinds == "t":
                    end = _text_argument(src, pos)
                    if end is None:
                        return f"\\{word} without its text"
                    pos = end
                elif kinds == "d":
                    dimension = _MATH_LENGTH.match(src, pos)
                    if dimension is None:
                        return f"\\{word} without a length"
                    pos = dimension.end()
                else:
                    frame.need, frame.needer = kinds.count("m"), f"\\{word}"
                    if word == "cfrac" and _next_is(src, pos, "["):
                        return "\\cfrac with ["
                    if "o" in kinds and _next_is(src, pos, "["):
                        pos = _VET_TOKEN.match(src, pos).end()  # type: ignore[union-attr]
                        end = _optional_end(src, pos)
                        if end < 0:
                            return "an unclosed ["
                        ends.append(end)
                        stack.append(_MathFrame("[", argument=True))
            else:
                frame.nucleus(op=word in _OPERATORS)
        elif symbol is not None:
            if symbol == "\\":
                if frame.kind not in _MATH_ENV_COLUMNS:
                    return "\\\\ outside an environment"
                if _next_is(src, pos, "[*"):
                    return "[ or * after \\\\"
                frame.cells, frame.overs = 1, 0
                frame.nucleus()
            elif symbol not in _MATH_SYMBOLS:
                return f"\\{symbol}"
            else:
                frame.nucleus()
        elif char == "{":
            stack.append(_MathFrame("{"))
        elif char == "}":
            if frame.kind != "{":
                return "an unbalanced }"
            stack.pop()
            if not frame.argument:
                stack[-1].nucleus()
        elif char in ("^", "_"):
            if (frame.sup == 2) if char == "^" else frame.sub:
                return "a double superscript" if char == "^" else "a double subscript"
            if char == "^":
                frame.sup = 2
            else:
                frame.sub = True
            frame.need, frame.needer = 1, char
        elif char == "'":
            if frame.sup == 2:
                return "a double superscript"
            frame.sup = 1
        elif char == "&":
            if frame.kind not in _MATH_ENV_COLUMNS:
                return "& outside an environment"
            frame.cells += 1
            if frame.columns and frame.cells > frame.columns:
                return f"more than {frame.columns} cells in a row of {frame.kind}"
            frame.overs = 0
            frame.nucleus()
        elif char in "#%$\\" or not (char.isascii() and char.isprintable()):
            return repr(char)
        else:
            frame.nucleus()
        if len(stack) > _MATH_MAX_NEST:
            return "groups nested too deeply"


_LATEX_MATH_COMMANDS: Final = (_MATH_COMMANDS - frozenset(_LATEX_ALIASES)) | frozenset(_MATH_ARGS)


def _math_text(src: str) -> str | None:
    """The Unicode text of simple math *src*, or None when it needs a math renderer."""
    atoms: list[tuple[str, str]] = []
    for m in _MATH_TOKEN.finditer(src):
        kind = m.lastindex
        if kind == 1:
            atom = _MATH.get(m.group(1))
            if atom is None:
                return None
        elif kind == 2:
            atom = _MATH_SYMBOL_CHARS.get(m.group(2))
            if atom is None:
                return None
        elif kind == 3:
            atom = ("°", _ORD)
        elif kind == 5:
            char = m.group(5)
            if char in _NOT_SIMPLE:
                return None
            atom = _MATH_CHARS.get(char, (char, _ORD))
        else:
            continue
        if atom[1] != _NONE:
            atoms.append(atom)
    out: list[str] = []
    last = len(atoms) - 1
    for i, (char, cls) in enumerate(atoms):
        if cls in (_BIN, _REL):
            # TeX spaces binary operators and relations that stand between operands
            if 0 < i < last and atoms[i - 1][1] in (_ORD, _OP):
                out.append(f" {char} ")
            else:
                out.append(char)
        elif cls == _PUNCT:
            out.append(char + " " if i < last else char)
        elif cls == _OP:
            if out and out[-1][-1:].isalnum():
                out.append(" ")
            out.append(char)
            if i < last and atoms[i + 1][0][:1].isalnum():
                out.append(" ")
        else:
            out.append(char)
    return _WS_RUN.sub(" ", "".join(out)).strip(" ")


# -- helpers on rich text ---------------------------------------------------------------


def _merge(items: list[Inline]) -> RichText:
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


def _change_case(rich: RichText, upper: bool) -> RichText:
    out: list[Inline] = []
    for item in rich:
        if isinstance(item, str):
            out.append(item.upper() if upper else item.lower())
        elif isinstance(item, Styled) or (isinstance(item, Link) and item.children != (item.url,)):
            out.append(item._replace(children=_change_case(item.children, upper)))
        else:
            out.append(item)
    return tuple(out)


def _strip_end(rich: RichText, left: bool) -> RichText:
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
            children = _strip_end(item.children, left)
            if isinstance(item, Link):
                out[index] = item._replace(children=children or (item.url,))
                break
            if children:
                out[index] = item._replace(children=children)
                break
            del out[index]
    return tuple(out)


def _accent(base: str, mark: str) -> str:
    """*base* with the combining *mark* on its first character, composed (NFC)."""
    base = base.lstrip(" ")
    if not base:
        return _SPACING_ACCENTS.get(mark, "")
    first = base[0]
    if mark not in _BELOW:
        first = {"ı": "i", "ȷ": "j"}.get(first, first)
    end = 1
    while end < len(base) and unicodedata.combining(base[end]):
        end += 1
    return unicodedata.normalize("NFC", first + base[1:end] + mark + base[end:])


def _unescape_url(url: str) -> str:
    return _URL_ESCAPE.sub(r"\1", url).strip(_WS_CHARS)


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

# -- the decoder ------------------------------------------------------------------------

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
_MATH_MARKUP: Final = re.compile(r"\\[A-Za-z]+|[\\{}^_$]")
#: what follows a dollar sign in a currency amount: "$1,700", "$ 5", "$.50", "$2.5M"
_AMOUNT: Final = re.compile(r"[ \t]?[.,]?\d")
_STRAY_DOLLAR: Final = re.compile(r"(?<!\\)\$")
_CONTROL_WORD: Final = re.compile(r"\\([A-Za-z]+)")
_BRACES: Final = re.compile(r"\\.|[{}]", re.S)
#: The rest of math up to and including its closing delimiter.
_MATH_END: Final[dict[str, re.Pattern[str]]] = {
    "$": re.compile(r"[^\\$]*(?:\\.[^\\$]*)*\$", re.S),
    "$$": re.compile(r"[^\\$]*(?:(?:\\.|\$(?!\$))[^\\$]*)*\$\$", re.S),
    "\\)": re.compile(r"[^\\]*(?:\\[^)][^\\]*)*\\\)", re.S),
    "\\]": re.compile(r"[^\\]*(?:\\[^\]][^\\]*)*\\\]", re.S),
}
#: Styled, link, case, accent and dropped groups nest at most this deep; deeper
#: ones are plain groups (keeps the output shallow enough for recursive consumers).
_MAX_NEST: Final = 48


class _Frame:
    """An open group: its kind, its output, and what to do with it when it closes."""

    __slots__ = ("brace", "data", "items", "kind", "space")

    def __init__(self, kind: int, items: list[Inline], data: str, brace: bool, space: bool) -> None:
        self.kind = kind
        self.items = items
        self.data = data
        #: closed by "}" (a declaration like {\em ...} is closed by its group's "}")
        self.brace = brace
        #: the decoder's ``space`` flag when the frame opened (restored by _DROP)
        self.space = space


class _Decoder:
    """One decoding run over *text*: a loop over tokens with an explicit frame stack."""

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
        root = _Frame(_ROOT, [], "", False, True)
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
    def push(self, kind: int, data: str, brace: bool) -> None:
        if kind != _GROUP:
            if self.nest >= _MAX_NEST:
                self.problem("LaTeX groups nested too deeply")
                if not brace:
                    return
                kind = _GROUP
            else:
                self.nest += 1
                if kind == _STYLE and data == "code":
                    self.code += 1
        if brace:
            self.braces += 1
        items = self.items if kind == _GROUP else []
        self.stack.append(_Frame(kind, items, data, brace, self.space))
        self.items = items

    def pop(self) -> _Frame:
        frame = self.stack.pop()
        self.items = self.stack[-1].items
        if frame.brace:
            self.braces -= 1
        if frame.kind != _GROUP:
            self.nest -= 1
            if frame.kind == _STYLE and frame.data == "code":
                self.code -= 1
            self.finish(frame.kind, frame.data, frame.items, frame.space)
        return frame

    def finish(self, kind: int, data: str, items: list[Inline], space: bool) -> None:
        """Put out the content *items* of a closed frame of *kind*."""
        if kind == _DROP:
            self.space = space
            return
        children = _merge(items)
        if kind == _STYLE:
            if children == (" ",):
                self.items.append(" ")
            elif children:
                self.items.append(Styled(data, children))
        elif kind == _LINK:
            if children or data:
                self.items.append(Link(data, children or (data,)))
                self.space = False
        elif kind == _CASE:
            self.items.extend(_change_case(children, data == "upper"))
        elif kind == _QUOTE:
            self.items.extend(("“", *children, "”"))
        elif kind == _ACCENT:
            # the accent goes on the first letter; markup in the argument is kept
            if children and isinstance(children[0], str):
                out = (_accent(children[0], data), *children[1:])
            else:
                out = (_SPACING_ACCENTS.get(data, ""), *children)
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
        m = _WS_RUN.match(self.text, pos)
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
        depth = 0
        for m in _BRACES.finditer(text, pos):
            char = m.group()
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if not depth:
                    return text[pos + 1 : m.start()], m.end()
        self.problem("unbalanced braces")
        return text[pos + 1 :], len(text)

    def argument(self, kind: int, data: str, pos: int) -> int:
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
        if kind == _GROUP:
            self.emit(char)
        else:
            self.space = False
            self.finish(kind, data, [char], space)
        return pos + 1

    # -- the main loop --
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
                self.items.append(word if self.code else _apostrophes(word))
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
                self.push(_GROUP, "", True)
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
        if self.braces:
            self.problem("unbalanced braces")
        while len(self.stack) > 1:
            self.pop()
        rich = _strip_end(_strip_end(_merge(self.items), True), False)
        return rich, list(dict.fromkeys(self.problems))

    def control_symbol(self, char: str, pos: int) -> int:
        if char in _SYMBOL_ACCENTS:
            return self.accent(_SYMBOL_ACCENTS[char], pos)
        if char in _ESCAPES:
            self.emit(char)
        elif char in _WS_CHARS or char.isspace() or char in ",;:\\":
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
        letter = _LETTERS.get(name)
        if letter is not None:
            self.emit(letter)
            return self.skip_space(pos)
        symbol = _SYMBOLS.get(name) or _AAS_JOURNALS.get(name)
        if symbol is not None:
            self.emit(symbol)
            return pos
        mark = _LETTER_ACCENTS.get(name)
        if mark is not None:
            return self.accent(mark, pos)
        action = _COMMANDS.get(name)
        if action is None:
            symbol = _MATH_IN_TEXT.get(name)
            if symbol is not None:
                self.emit(symbol)
                return pos
            self.problem(f"unknown LaTeX command \\{name}")
            return self.skip_space(pos)
        kind, data = action
        if kind <= _QUOTE:
            return self.argument(kind, data, pos)
        if kind == _SWITCH:
            self.push(_STYLE, data, False)
        elif kind == _SPACE:
            self.emit_space()
        elif kind in (_URL, _DOI):
            url, pos = self.raw_group(pos, name)
            if url is not None:
                url = _unescape_url(url)
                if url and kind == _DOI:
                    doi = _DOI_PREFIX.sub("", url)
                    self.append(Link("https://doi.org/" + doi, (doi,)))
                elif url:
                    self.append(Link(url, (url,)))
            return pos
        elif kind == _HREF:
            url, pos = self.raw_group(pos, name)
            if url is None:
                return pos
            url = _unescape_url(url)
            after = self.skip_space(pos)
            if self.text.startswith("{", after):
                self.push(_LINK, url, True)
                return after + 1
            if url:
                self.append(Link(url, (url,)))
            return pos
        elif kind == _ENSUREMATH:
            src, pos = self.raw_group(pos, name)
            if src is not None:
                self.put_math(src)
            return pos
        elif kind == _SKIP_ARG:
            return self.raw_group(pos, name)[1]
        elif kind == _SKIP_THEN_PASS:
            return self.argument(_GROUP, "", self.raw_group(pos, name)[1])
        elif kind == _DIMEN:
            if self.text.startswith("{", self.skip_space(pos)):
                return self.raw_group(pos, name)[1]
            m = _DIMENSION.match(self.text, pos)
            return m.end() if m else pos
        elif kind == _RAISEBOX:  # \raisebox{lift}[height][depth]{text}
            pos = self.raw_group(pos, name)[1]
            for _ in range(2):
                m = _OPTIONAL.match(self.text, pos)
                pos = m.end() if m else pos
            return self.argument(_GROUP, "", pos)
        elif kind == _RULE:  # \rule[lift]{width}{height}: nothing to read
            m = _OPTIONAL.match(self.text, pos)
            pos = self.raw_group(m.end() if m else pos, name)[1]
            return self.raw_group(pos, name)[1]
        return self.skip_space(pos)  # _IGNORE, _SWITCH, _SPACE

    def accent(self, mark: str, pos: int) -> int:
        text = self.text
        pos = self.skip_space(pos)
        char = text[pos] if pos < len(text) else ""
        if char == "{":
            self.push(_ACCENT, mark, True)
            return pos + 1
        if char == "\\":
            m = _CONTROL_WORD.match(text, pos)
            letter = _LETTERS.get(m.group(1)) if m else None
            if m and letter is not None:
                self.emit(_accent(letter, mark))
                return self.skip_space(m.end())
            char = ""
        if char in ("", "}", "$"):
            self.emit(_SPACING_ACCENTS.get(mark, ""))
            return pos
        self.emit(_accent(char, mark))
        return pos + 1

    def math(self, closing: str, pos: int) -> int:
        """Math that starts at *pos* and ends with *closing*; returns where it ends."""
        if pos < self.no_close.get(closing, len(self.text) + 1):
            m = _MATH_END[closing].match(self.text, pos)
            if m is not None:
                src = self.text[pos : m.end() - len(closing)]
                if src.strip(_WS_CHARS) not in ("\\{", "\\}"):
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
        unsafe = _unsafe_math(src)
        if unsafe:
            # Math goes to MathJax and into .tex files as written, so it may only use
            # known math commands: nothing that links, reads or writes files, loops
            # or ends the document.  Shown as its plain letters instead.
            self.problem(f"math with {unsafe} is not typeset; shown as text")
            self.emit(_collapse(_MATH_MARKUP.sub("", src)))
            return
        if "$" in src and _STRAY_DOLLAR.search(src):  # "$$ $x $$"; "\\$" is fine
            self.problem("stray $ in math")
            src = _STRAY_DOLLAR.sub("", src)
        simple = _math_text(src)
        if simple is not None:
            self.emit(simple)
            return
        if "\\" in src:
            src = _LATEX_ALIAS.sub(lambda m: _LATEX_ALIASES[m.group(1)], src)
        src = _collapse(src)
        why = None if _PLAIN_MATH.fullmatch(src) else latex_math_problem(src)
        if why is not None:
            self.problem(f"math with {why} is not typeset; shown as text")
            self.emit(_collapse(_MATH_MARKUP.sub("", _MATH_ENV_NAME.sub(" ", src))))
            return
        self.append(Math(src))
