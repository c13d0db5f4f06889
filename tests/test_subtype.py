"""The warning subtypes (sphinx_pubs/core/subtype.py): documented in the source and on
docs/reference/warnings.rst, and the only subtypes the package gives."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import sphinx_pubs
from sphinx_pubs.core.subtype import Subtype

PACKAGE = Path(sphinx_pubs.__file__).parent
PAGE = PACKAGE.parent / "docs" / "reference" / "warnings.rst"

#: Calls that take a subtype, and the position of it among their arguments.
SUBTYPE_ARGUMENT = {
    "Problem": 2,
    "problem": 2,
    "_error": 2,
    "option_problem": 2,
    "directive_problem": 1,
}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _subtype_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of each string literal given as a subtype in *tree*."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            given = [k.value for k in node.keywords if k.arg == "subtype"]
            at = SUBTYPE_ARGUMENT.get(_name(node))
            if at is not None and len(node.args) > at:
                given.append(node.args[at])
            found += [
                (v.lineno, v.value)
                for v in given
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            ]
    return found


def test_no_subtype_is_given_as_a_string_literal() -> None:
    """Every path names its subtype by a ``Subtype`` member, so a typo is an error at import."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        for line, text in _subtype_literals(ast.parse(path.read_text(encoding="utf-8"))):
            wrong.append(f"{name}:{line}: {text!r}")
    assert wrong == []


def test_the_literal_finder_finds_literals() -> None:
    found = _subtype_literals(ast.parse('Problem("m", "f", "latex")\nwarn(x, subtype="bibtex")'))
    assert found == [(1, "latex"), (2, "bibtex")]


def test_every_member_has_a_docstring() -> None:
    tree = ast.parse((PACKAGE / "core" / "subtype.py").read_text(encoding="utf-8"))
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Subtype"]
    documented = set()
    for stmt, after in zip(cls.body, cls.body[1:], strict=False):
        if (
            isinstance(stmt, ast.Assign)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
        ):
            documented.add(ast.literal_eval(stmt.value))
    assert documented == {member.value for member in Subtype}


def test_the_page_has_a_heading_per_member_and_no_other() -> None:
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("\nSubtypes\n--------\n", 1)[1].split("\nWhen warnings are shown\n", 1)[0]
    headings = [line for line in section.splitlines() if line.startswith("``")]
    named = {sub for line in headings for sub in re.findall(r"``pubs\.([a-z]+)``", line)}
    assert named == {member.value for member in Subtype}
    assert all(
        re.fullmatch(r"``(pubs|ref)\.[a-z]+``(, ``(pubs|ref)\.[a-z]+``)*", line)
        for line in headings
    )


def test_a_member_is_its_value_as_text() -> None:
    assert Subtype.LATEX == "latex"
    assert Subtype("latex") is Subtype.LATEX
    assert Subtype.LATEX.value == "latex"
