"""The symbols of LaTeX math as Unicode, simple math written as text, and the
commands math may use at all.

The tables map LaTeX to look-alike Unicode characters on purpose.
"""

from __future__ import annotations

import re
from typing import Final

from sphinx_pubs.core.latex.plain import WS_RUN

# Math atoms: (text, class); the class decides the spacing of simple math.
_ORD: Final = "ord"
_BIN: Final = "bin"
_REL: Final = "rel"
OP: Final = "op"
_PUNCT: Final = "punct"
_SP: Final = "space"
_NONE: Final = "none"


def _atoms(cls: str, table: str) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for pair in table.split():
        name, _, char = pair.partition("=")
        out[name] = (char, cls)
    return out


MATH: Final[dict[str, tuple[str, str]]] = {
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
        OP,
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
for _name, (_char, _cls) in MATH.items():
    if len(_char) == 1 and ord(_char) > 0xFF and _cls in (_ORD, _BIN, _REL):
        # LaTeX has no \omicron: its omicron is an o
        MATH_COMMAND_OF.setdefault(_char, "o" if _name == "omicron" else "\\" + _name)
#: Math-only symbols that are shown when used (wrongly) outside math.
MATH_IN_TEXT: Final[dict[str, str]] = {
    name: char for name, (char, cls) in MATH.items() if cls in (_ORD, _BIN, _REL) and char
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


#: Commands math may use, besides the symbols of MATH: structure, fonts, accents,
#: delimiters, spacing and operator names, all of them harmless in MathJax and LaTeX.
MATH_COMMANDS: Final = frozenset(MATH) | frozenset(
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
MATH_ENVIRONMENTS: Final = frozenset(
    "matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix cases array aligned "
    "gathered split subarray alignedat".split()
)
_MATH_COMMAND: Final = re.compile(r"\\(?:([A-Za-z]+)|.)|(\^\^)", re.S)
_MATH_ENVIRONMENT: Final = re.compile(r"\\(?:begin|end)\s*\{([^{}]*)\}")


def unsafe_math(src: str) -> str | None:
    """The first command of *src* that math may not use, or None."""
    for m in _MATH_COMMAND.finditer(src):
        if m.group(2):
            return "^^"  # TeX's ^^5c spells a backslash: any command at all
        name = m.group(1)
        if name is None:
            continue  # a control symbol: \, \{ \\ ...
        if name not in MATH_COMMANDS:
            return "\\" + name
        if name in ("begin", "end"):
            env = _MATH_ENVIRONMENT.match(src, m.start())
            if env is None or env.group(1).strip().rstrip("*") not in MATH_ENVIRONMENTS:
                return "\\" + name + (f"{{{env.group(1)}}}" if env else "")
    return None


def math_text(src: str) -> str | None:
    """The Unicode text of simple math *src*, or None when it needs a math renderer."""
    atoms: list[tuple[str, str]] = []
    for m in _MATH_TOKEN.finditer(src):
        kind = m.lastindex
        if kind == 1:
            atom = MATH.get(m.group(1))
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
            if 0 < i < last and atoms[i - 1][1] in (_ORD, OP):
                out.append(f" {char} ")
            else:
                out.append(char)
        elif cls == _PUNCT:
            out.append(char + " " if i < last else char)
        elif cls == OP:
            if out and out[-1][-1:].isalnum():
                out.append(" ")
            out.append(char)
            if i < last and atoms[i + 1][0][:1].isalnum():
                out.append(" ")
        else:
            out.append(char)
    return WS_RUN.sub(" ", "".join(out)).strip(" ")


#: the markup of math, left out when math is shown as its plain letters
MATH_MARKUP: Final = re.compile(r"\\[A-Za-z]+|[\\{}^_$]")
