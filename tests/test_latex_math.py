"""Math goes into the .tex file as written, so only math LaTeX can typeset is math.

Generated from a grammar of commands (the decoder's own tables), braces,
environments, ``\\left``/``\\right``, ``&``, ``\\\\``, ``#``, ``%`` and scripts:
whatever the vetting accepts is built into a LaTeX project and compiled with latexmk,
batched in one document; what it refuses is text, with a ``pubs.latex`` warning.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import best_seconds, lines_run, timing_net, warnings_of, write_project
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_pubs.core.latex.decoder import decode
from sphinx_pubs.core.latex.math_check import latex_math_problem
from sphinx_pubs.core.latex.math_grammar import (
    DELIMITED,
    DELIMITER_WORDS,
    LATEX_ALIASES,
    LATEX_MATH_COMMANDS,
    MATH_ARGS,
    MATH_ENV_COLUMNS,
)
from sphinx_pubs.core.latex.math_symbols import MATH, MATH_COMMANDS, unsafe_math
from sphinx_pubs.core.model import Math
from sphinx_pubs.sources import parse_bytes

#: maths generated for the compiled document (PUBS_LATEX_EXAMPLES for more)
BATCH = int(os.environ.get("PUBS_LATEX_EXAMPLES", "1200"))

_WORD_END = re.compile(r"\\[A-Za-z]+$")


def _join(parts: list[str]) -> str:
    """*parts* one after the other, a space where a command would run into a letter."""
    out = ""
    for part in parts:
        if out and part[:1].isalpha() and _WORD_END.search(out):
            out += " "
        out += part
    return out


def _word(name: str) -> str:
    return "\\" + name


_ENVS = [*sorted(MATH_ENV_COLUMNS), "split", "pmatrix*", "align", "equation"]
_SPECS = ["", "{cc}", "{l|r}", "{c}", "{ccc}", "{p{1cm}}", "{2}", "{1}", "{x}", "[t]"]
_DELIMITERS = [
    *"()[]./|<>",
    "\\{",
    "\\}",
    "\\|",
    *map(_word, sorted(DELIMITER_WORDS)),
    "x",
    "\\alpha",
    "",
]
_ARGUMENT_COMMANDS = sorted(MATH_ARGS)
_ALL_COMMANDS = sorted(MATH_COMMANDS | set(LATEX_ALIASES) | {"foo", "input", "par", "def"})

_ATOMS = [
    [*"abxyzABn0123456789"],
    [*"+-=<>()[]|/.,;:!?*'~\"@`"],
    ["&", "\\\\", "#", "%", "^", "_", "{", "}", "'", "]", "[", "\\\\[2pt]"],
    [*map(_word, _ALL_COMMANDS)],
    [*map(_word, sorted(MATH))],
    ["\\" + c for c in ",;:!> {}|#$%&_()[]'\"^~=.-"],
    ["{1em}", "{-2.5pt}", "{x}", "{}", "*"],
]


def math_of(rng: random.Random, depth: int = 0) -> str:
    """One math from the grammar, its choices made by *rng*."""
    pieces = []
    for _ in range(rng.randint(1, 3)):
        if depth >= 3 or rng.random() < 0.45:
            pieces.append(rng.choice(rng.choice(_ATOMS)))
            continue
        inner = lambda: math_of(rng, depth + 1)  # noqa: E731
        kind = rng.randrange(10)
        if kind == 0:
            pieces.append("{" + inner() + "}")
        elif kind == 1:
            args = "".join("{" + inner() + "}" for _ in range(rng.randint(0, 3)))
            pieces.append(_join([_word(rng.choice(_ARGUMENT_COMMANDS)), args]))
        elif kind == 2:
            script = rng.choice(["^", "_", "'", "^{\\prime}"])
            pieces.append(_join([inner(), script, "{" + inner() + "}"]))
        elif kind == 3:
            left, right = rng.choice(_DELIMITERS), rng.choice(_DELIMITERS)
            pieces.append(_join(["\\left", left, " ", inner(), "\\right", right]))
        elif kind == 4:
            middle = rng.choice(_DELIMITERS)
            pieces.append(_join(["\\left(", inner(), "\\middle", middle, " ", inner(), "\\right)"]))
        elif kind in (5, 6):
            env, spec = rng.choice(_ENVS), rng.choice(_SPECS)
            rows = [
                " & ".join(inner() for _ in range(rng.randint(1, 3)))
                for _ in range(rng.randint(1, 3))
            ]
            end = f"\\end{{{env}}}" if rng.random() < 0.9 else ""
            pieces.append(_join([f"\\begin{{{env}}}{spec}", " \\\\ ".join(rows), end]))
        elif kind == 7:
            pieces.append(_join(["\\sqrt[", inner(), "]{", inner(), "}"]))
        elif kind == 8:
            over = rng.choice(["\\over", "\\atop", "\\choose"])
            pieces.append(_join([inner(), over, " ", inner()]))
        else:
            op = rng.choice(["\\sum", "\\int", "\\lim", "x", "\\mathop{x}"])
            pieces.append(op + "\\limits_{i}^{n}")
    return _join(pieces)


#: maths from the grammar, Hypothesis making the choices
maths = st.randoms(use_true_random=False).map(math_of)


def _title(src: str) -> str:
    """A .bib title showing math *src*: its braces must balance for BibTeX."""
    return f"Math $ {src} $ here"


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:  # BibTeX counts escaped braces too
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _collect(count: int) -> list[str]:
    """About *count* generated maths, different ones, their braces balanced (so that
    a .bib can hold them)."""
    found: dict[str, None] = {}

    @settings(max_examples=5, deadline=None, database=None)
    @given(st.randoms(use_true_random=False))
    def gather(rng: random.Random) -> None:
        # one example's random source seeds a stream of many maths
        stream = random.Random(rng.getrandbits(64))
        for _ in range(count // 4):
            src = math_of(stream).replace("$", "").strip()
            if src and _balanced(src):
                found[src] = None

    gather()
    return list(found)


@settings(max_examples=40, deadline=None)
@given(st.one_of(maths, st.text(max_size=60)))
def test_math_is_vetted_or_text(src: str) -> None:
    """Whatever the input, math the decoder keeps is math the vetting accepts (and
    neither raises)."""
    why = latex_math_problem(src)
    assert why is None or isinstance(why, str)
    src = src.replace("$", "")
    rich, _ = decode(f"${src}$")
    for item in rich:
        if isinstance(item, Math):
            assert latex_math_problem(item.latex) is None
            assert unsafe_math(item.latex) is None


@pytest.mark.parametrize(
    ("src", "why"),
    [
        ("\\tag{1}", "\\tag"),
        ("x \\label{eq}", "\\label"),
        ("\\end{array}", "\\end{array} without \\begin{array}"),
        ("\\left( x", "\\left without \\right"),
        ("x \\right)", "\\right without \\left"),
        ("\\frac", "\\frac without its argument"),
        ("\\frac{1}", "\\frac without its argument"),
        ("x^a^b", "a double superscript"),
        ("x_a_b", "a double subscript"),
        ("x^2'", "a double superscript"),
        ("a & b", "& outside an environment"),
        ("a \\\\ b", "\\\\ outside an environment"),
        ("\\begin{cases} a & b & c \\end{cases}", "more than 2 cells in a row of cases"),
        ("\\begin{array}{cc} a & b & c \\end{array}", "more than 2 cells in a row of array"),
        ("\\begin{array} a \\end{array}", "\\begin{array} without its column letters"),
        ("\\begin{split} a \\end{split}", "\\begin{split}"),
        ("\\begin{matrix} a \\end{pmatrix}", "\\end{pmatrix} without \\begin{pmatrix}"),
        ("\\begin{matrix} {a & b} \\end{matrix}", "& outside an environment"),
        ("\\left( a \\middle| b", "\\left without \\right"),
        ("{\\left( a} \\right)", "an unbalanced }"),
        ("x # y", "'#'"),
        ("x % y", "'%'"),
        ("a \\over b \\over c", "a second \\over in one group"),
        ("x \\limits", "\\limits after no operator"),
        ("\\hspace{wide} x", "\\hspace without a length"),
        ("\\sqrt[3", "an unclosed ["),
        ("{" * 40 + "x" + "}" * 40, "groups nested too deeply"),
        ("x^\\frac12", "^ without its argument"),
        ("\\text{\\alpha}", "\\text without its text"),
        ("x \\) y", "\\)"),
        ("α + x", "'α'"),
    ],
)
def test_math_latex_cannot_typeset_is_text(src: str, why: str) -> None:
    assert latex_math_problem(src) == why
    rich, problems = decode(f"${src}$")
    assert not any(isinstance(item, Math) for item in rich)
    assert problems == [f"math with {why} is not typeset; shown as text"]


@pytest.mark.parametrize(
    ("src", "written"),
    [
        ("\\frac{1}{2} + \\sqrt[3]{x}", None),
        ("\\left( \\frac12 \\middle| x \\right.", None),
        ("\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}", None),
        ("\\begin{array}{c|c} a & b \\end{array}", None),
        ("f(x) = \\begin{cases} 1 & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}", None),
        ("x'^2 + x''", None),
        ("\\sum\\limits_{i=1}^n a_i", None),
        ("\\operatorname*{arg\\,max}_x f", None),
        ("a \\lt b", "a < b"),
        ("\\bm{x}", "\\boldsymbol{x}"),
        ("x \\in \\mathscr{L}", "x \\in \\mathcal{L}"),
    ],
)
def test_math_latex_can_typeset(src: str, written: str | None) -> None:
    assert decode(f"${src}$") == ((Math(written or src),), [])


_SPECIAL = {
    "begin",
    "end",
    "left",
    "right",
    "limits",
    "nolimits",
    "over",
    "atop",
    "choose",
    "tag",
    "label",
}


def every_command() -> list[str]:
    """Each command of the tables once, as the math (or text) it makes: every symbol
    (simple math is text, its symbols written as math), then each command LaTeX is
    said to know, with arguments where it takes them."""
    out = [" ".join(map(_word, sorted(MATH)))]
    argument = {"m": "{x}", "o": "", "t": "{x}", "d": "{1em}"}
    for name in sorted(LATEX_MATH_COMMANDS - _SPECIAL):
        if name in DELIMITED:
            out.append(f"\\left( x \\{name}| y \\right)" if name == "middle" else f"\\{name}( x")
        else:
            args = "".join(argument[kind] for kind in MATH_ARGS.get(name, ""))
            out.append(f"x \\{name}{args}")
    return out


def _has_latexmk() -> bool:
    return shutil.which("latexmk") is not None and shutil.which("pdflatex") is not None


def _first_error(outdir: Path) -> str:
    """The first error of the LaTeX log and the .tex line it points at."""
    for log in outdir.glob("*.log"):
        text = log.read_text(encoding="utf-8", errors="replace")
        start = text.find("\n! ")
        if start < 0:
            continue
        excerpt = text[start : start + 600]
        line = re.search(r"\nl\.(\d+)", excerpt)
        if line:
            tex = next(outdir.glob("*.tex")).read_text(encoding="utf-8").splitlines()
            excerpt += "\n.tex line: " + tex[int(line.group(1)) - 1]
        return excerpt
    return "(no error in the log)"


@pytest.mark.skipif(not _has_latexmk(), reason="latexmk and pdflatex are not installed")
def test_accepted_math_compiles(make_app, tmp_path: Path) -> None:
    """Generated math in one .bib: what is math compiles, what is not is text; the
    document builds with latexmk as ``make latexpdf`` does."""
    generated = _collect(BATCH)
    fixed = [
        "\\tag{1}",
        "\\end{array}",
        "\\left( x",
        "\\frac",
        "x^a^b",
        "a & b",
        "x % y \\\\ z # w",
    ]
    sources = fixed + every_command() + generated
    bib = "".join(
        f"@misc{{m{number},\n  title = {{{_title(src)}}},\n  year = {{2020}},\n}}\n\n"
        for number, src in enumerate(sources)
    )
    content = parse_bytes("math.bib", bib.encode("utf-8"), "utf-8")
    typeset = [
        item.latex for record in content.records for item in record.title if isinstance(item, Math)
    ]
    assert len(content.records) == len(sources)
    # the grammar makes both: many maths LaTeX can typeset, many it could not
    assert len(generated) // 10 <= len(typeset) <= len(generated) - len(generated) // 10

    srcdir = write_project(
        tmp_path / "src",
        {
            "conf.py": 'extensions = ["sphinx_pubs"]\nlatex_documents = '
            '[("index", "math.tex", "Math", "Test", "howto")]\n',
            "index.rst": "Math\n====\n\n.. publications:: math.bib\n",
            "math.bib": bib,
        },
    )
    app = make_app("latex", srcdir=srcdir)
    app.build()
    outdir = Path(app.outdir)
    tex = (outdir / "math.tex").read_text(encoding="utf-8")
    for src in typeset:
        assert f"\\({src}\\)" in tex
    for src in every_command()[1:]:
        assert f"\\({src}\\)" in tex, src
    warned = [line for line in warnings_of(app) if "[pubs.latex]" in line]
    for number, src in enumerate(fixed):
        line = bib.count("\n", 0, bib.index(f"@misc{{m{number},")) + 1
        assert any(f"math.bib:{line + 1}: " in w and "is not typeset" in w for w in warned), (
            src,
            warned[:3],
        )

    run = subprocess.run(
        [
            "make",
            "-C",
            str(outdir),
            "all-pdf",
            "LATEXMKOPTS=-interaction=nonstopmode -halt-on-error -quiet",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, _first_error(outdir)
    assert (outdir / "math.pdf").is_file()


#: shapes of math whose vetting must cost linearly
MATH_UNITS = {
    "groups": "{\\sqrt[{x}]{\\left( a \\middle| b \\right)}}^{2} ",
    "matrix": "\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix} ",
    "nested-optional": "\\sqrt[{\\sqrt[{\\sqrt[{x}]{y}}]{y}}]{y}",
    "open-optional": "\\sqrt[",
    "deep": "{" * 20 + "x" + "}" * 20,
    "scripts": "x^{a}_{b}'",
}


@pytest.mark.parametrize("unit", MATH_UNITS.values(), ids=MATH_UNITS.keys())
def test_vetting_work_grows_linearly(unit: str) -> None:
    """Eight times the input runs at most about eight times the lines of Python,
    whatever the shape of the math."""
    small, large = (
        lines_run(lambda times=times: latex_math_problem(unit * times)) for times in (300, 2400)
    )
    assert large <= 8.5 * small + 1_000, (small, large)


@timing_net
@pytest.mark.parametrize("unit", MATH_UNITS.values(), ids=MATH_UNITS.keys())
def test_vetting_time_grows_linearly(unit: str) -> None:
    """The same in processor time (a ratio, with room for a busy machine), which also
    sees the work inside regular expressions."""

    def cost(times: int) -> float:
        src = unit * times
        return best_seconds(lambda: latex_math_problem(src))

    small, large = cost(300), cost(2400)
    assert large < 8 * 4 * max(small, 1e-4)
