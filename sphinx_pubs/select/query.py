"""The ``:filter:`` language (what a name stands for: :mod:`sphinx_pubs.select.fields`;
:mod:`sphinx_pubs.select.sort` orders entries; the ``%`` searches are
:mod:`sphinx_pubs.select.bounded_regex`).  Pure Python: no Sphinx, no docutils.

A filter is a Python *expression* read with :mod:`ast` and checked against a short
list of allowed constructs; it is compiled into plain functions and never given to
``eval``.  What it may use:

- names, which stand for fields: ``year`` and ``month`` (numbers), ``type`` (the entry
  type), ``key``, ``author`` and ``editor`` (lists of people), ``keywords`` and
  ``tags`` (lists, split on commas and semicolons), ``selected`` (true or false),
  ``title`` and ``abstract`` (their text), and any other field by its name (its text;
  ``field("some-name")`` for names that are not identifiers); a field the entry lacks
  is ``None``, which is false;
- strings, numbers, ``True``/``False``/``None`` and lists or tuples of them;
- ``and``, ``or``, ``not``, comparisons (``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``,
  chained as in ``2019 <= year <= 2021``), ``in`` and ``not in``;
- ``%``, a case-insensitive regular-expression search (``title % "neural|deep"``), as
  in sphinxcontrib-bibtex.

Text compares without regard to case; ``"word" in title`` looks for a substring; a
list (``author``, ``keywords``) matches when any of its items does; a person matches
a name as ``pubs_highlight_authors`` does ("Einstein", "A. Einstein" and "Einstein,
Albert" all match Albert Einstein); a number compares with a string of digits.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable
from typing import Any

from sphinx_pubs.core.model import Person, Publication
from sphinx_pubs.core.names import NameKey, key_of, matches, parse_name, split_mark
from sphinx_pubs.select.bounded_regex import RegexError, regex_finder
from sphinx_pubs.select.fields import (
    Multi,
    People,
    as_number,
    field_value,
)


class QueryError(ValueError):
    """A ``:filter:`` or ``:sort:`` value that cannot be used; the message says why."""


# -- comparing values ------------------------------------------------------------------
@functools.lru_cache(maxsize=1024)
def _name_key(text: str) -> NameKey | None:
    """The key of a name a filter compares authors with, split by pybtex once (a
    filter compares the same few names with every author of every entry)."""
    return parse_name(text)


def _person_matches(person: Person, other: Any) -> bool:
    if not isinstance(other, str):
        return False
    wanted = _name_key(other)
    return wanted is not None and matches(key_of(split_mark(person)[0]), wanted)


def _equal(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is right
    if isinstance(left, People):
        if isinstance(right, (Multi, list, tuple)) and not isinstance(right, People):
            return any(_equal(left, item) for item in right)
        return any(_person_matches(person, right) for person in left)
    if isinstance(right, People):
        return _equal(right, left)
    if isinstance(left, (Multi, list, tuple)):
        return any(_equal(item, right) for item in left)
    if isinstance(right, (Multi, list, tuple)):
        return any(_equal(left, item) for item in right)
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right if isinstance(left, bool) and isinstance(right, bool) else False
    a, b = as_number(left), as_number(right)
    if a is not None and b is not None:
        return a == b
    if isinstance(left, str) and isinstance(right, str):
        return left.strip().casefold() == right.strip().casefold()
    return False


def _contains(container: Any, item: Any) -> bool:
    """``item in container``."""
    if container is None or item is None:
        return False
    if isinstance(container, str):
        if isinstance(item, (Multi, People, list, tuple)):
            return any(_contains(container, part) for part in item)
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            item = str(item)
        return isinstance(item, str) and item.casefold() in container.casefold()
    if isinstance(container, (Multi, People, list, tuple)):
        return _equal(container, item)
    return False


def _ordered(op: str, left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False
    if isinstance(left, (Multi, People, list, tuple)):
        return any(_ordered(op, item, right) for item in left)
    if isinstance(right, (Multi, People, list, tuple)):
        return any(_ordered(op, left, item) for item in right)
    if isinstance(left, Person) or isinstance(right, Person):
        return False
    a: Any = as_number(left)
    b: Any = as_number(right)
    if a is None or b is None:
        if not (isinstance(left, str) and isinstance(right, str)):
            return False
        a, b = left.casefold(), right.casefold()
    if op == "<":
        return bool(a < b)
    if op == "<=":
        return bool(a <= b)
    if op == ">":
        return bool(a > b)
    return bool(a >= b)


def _truth(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def _search(value: Any, find: Callable[[str], bool]) -> bool:
    if value is None:
        return False
    if isinstance(value, People):
        return any(find(person.display) for person in value)
    if isinstance(value, (Multi, list, tuple)):
        return any(_search(item, find) for item in value)
    if isinstance(value, bool):
        return False
    return find(str(value))


# -- the filter language -----------------------------------------------------------------
Evaluator = Callable[[Publication], Any]

_COMPARISONS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}

#: the longest filter accepted (a filter is written by hand), and its deepest nesting
MAX_LENGTH = 10_000
MAX_DEPTH = 64


def _describe(node: ast.AST) -> str:
    kinds = {
        ast.Call: "function calls (other than field(...))",
        ast.Attribute: "attribute access",
        ast.Subscript: "subscripts",
        ast.Lambda: "lambda",
        ast.IfExp: "if-else expressions",
        ast.NamedExpr: "assignment expressions",
        ast.JoinedStr: "f-strings",
        ast.Dict: "dictionaries",
        ast.Set: "sets",
        ast.ListComp: "comprehensions",
        ast.SetComp: "comprehensions",
        ast.DictComp: "comprehensions",
        ast.GeneratorExp: "comprehensions",
        ast.Starred: "starred expressions",
        ast.Await: "await",
    }
    for kind, words in kinds.items():
        if isinstance(node, kind):
            return words
    if isinstance(node, ast.BinOp):
        return "arithmetic (only % for a regular expression match)"
    if isinstance(node, ast.UnaryOp):
        return "unary operators other than not"
    if isinstance(node, ast.Constant):
        return f"the constant {node.value!r}"
    return type(node).__name__


class _Compiler:
    def __init__(self, text: str) -> None:
        self.text = text

    def error(self, node: ast.AST, message: str) -> QueryError:
        column = getattr(node, "col_offset", None)
        where = f" (at column {column + 1})" if column is not None else ""
        return QueryError(f"{message}{where}")

    def value(self, node: ast.AST) -> Evaluator:
        """A function giving the value of *node* for a record."""
        if isinstance(node, ast.Name):
            if node.id in ("True", "False", "None"):  # pragma: no cover (parsed as constants)
                raise self.error(node, f"unexpected name {node.id}")
            name = node.id
            return lambda record: field_value(record, name)
        if isinstance(node, ast.Constant):
            constant = node.value
            if constant is not None and not isinstance(constant, (str, int, float, bool)):
                raise self.error(node, f"not allowed in a filter: {_describe(node)}")
            return lambda record: constant
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            operand = node.operand
            if isinstance(operand, ast.Constant) and isinstance(operand.value, (int, float)):
                number = -operand.value
                return lambda record: number
        if isinstance(node, (ast.List, ast.Tuple)):
            items = []
            for element in node.elts:
                if isinstance(element, ast.Constant) and isinstance(
                    element.value, (str, int, float)
                ):
                    items.append(element.value)
                else:
                    raise self.error(
                        element, "a list in a filter may hold only strings and numbers"
                    )
            frozen = tuple(items)
            return lambda record: frozen
        if isinstance(node, ast.Call):
            if (
                isinstance(node.func, ast.Name)
                and node.func.id == "field"
                and len(node.args) == 1
                and not node.keywords
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                field = node.args[0].value
                return lambda record: field_value(record, field)
            raise self.error(node, "not allowed in a filter: " + _describe(node))
        return self.test(node)

    def test(self, node: ast.AST) -> Evaluator:
        """A function giving the truth of *node* for a record."""
        if isinstance(node, ast.BoolOp):
            parts = [self.truth(value) for value in node.values]
            if isinstance(node.op, ast.And):
                return lambda record: all(part(record) for part in parts)
            return lambda record: any(part(record) for part in parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            operand = self.truth(node.operand)
            return lambda record: not operand(record)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            return self.regex(node)
        if isinstance(node, (ast.Name, ast.Constant, ast.Call, ast.List, ast.Tuple)):
            return self.value(node)
        raise self.error(node, "not allowed in a filter: " + _describe(node))

    def truth(self, node: ast.AST) -> Callable[[Publication], bool]:
        get = self.test(node)
        return lambda record: _truth(get(record))

    def regex(self, node: ast.BinOp) -> Evaluator:
        if not (isinstance(node.right, ast.Constant) and isinstance(node.right.value, str)):
            raise self.error(
                node, 'the right side of % must be a regular expression in quotes, e.g. "^Deep"'
            )
        try:
            find = regex_finder(node.right.value)
        except RegexError as error:
            raise self.error(node.right, str(error)) from None
        left = self.value(node.left)
        return lambda record: _search(left(record), find)

    def compare(self, node: ast.Compare) -> Evaluator:
        operands = [self.value(node.left)] + [self.value(item) for item in node.comparators]
        ops = []
        for op in node.ops:
            symbol = _COMPARISONS.get(type(op))
            if symbol is None:
                raise self.error(node, "only ==, !=, <, <=, >, >=, in and not in compare values")
            ops.append(symbol)

        def check(record: Publication) -> bool:
            left = operands[0](record)
            for symbol, get in zip(ops, operands[1:], strict=True):
                right = get(record)
                if symbol == "==":
                    ok = _equal(left, right)
                elif symbol == "!=":
                    ok = not _equal(left, right)
                elif symbol == "in":
                    ok = _contains(right, left)
                elif symbol == "not in":
                    ok = not _contains(right, left)
                else:
                    ok = _ordered(symbol, left, right)
                if not ok:
                    return False
                left = right
            return True

        return check


def compile_filter(text: str) -> Callable[[Publication], bool]:
    """The filter *text* as a function of a record; :class:`QueryError` if it is not
    a valid filter."""
    source = " ".join(text.split())  # an option value may span lines
    if not source:
        raise QueryError("the filter is empty")
    if len(source) > MAX_LENGTH:
        raise QueryError(f"the filter is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        column = f" (at column {error.offset})" if error.offset else ""
        raise QueryError(f"not a valid expression: {error.msg}{column}") from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise QueryError(f"not a valid expression: {error}") from None
    if _depth(tree.body) > MAX_DEPTH:
        raise QueryError(f"the filter is nested more than {MAX_DEPTH} levels deep")
    return _Compiler(source).truth(tree.body)


def _depth(tree: ast.AST) -> int:
    """How deeply *tree* nests (counted without recursion: the filter is compiled and
    run by recursive functions, which must stay far from Python's recursion limit)."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest
