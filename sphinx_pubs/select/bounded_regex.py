"""Regular expressions with bounded work, for the filter language's ``%``: a pattern
is refused when it could take more than linear time (nested or adjacent open-ended
repetitions), and a search looks at the first characters of a field only.  Pure
Python: no Sphinx, no docutils.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

try:  # the parser of the re module
    import re._parser as _sre_parse  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef,unused-ignore]

#: the longest regular expression accepted, and the characters of a field it searches
REGEX_MAX_LENGTH = 200
REGEX_TEXT_LIMIT = 4_000
#: a repetition of at most this many counts ({2,5}) is a small choice, not open-ended
_SMALL_REPEAT = 16
#: the most ways a pattern may have to match at one place: ``c0 + c1 * n`` for a text
#: of n characters (see regex_problem)
_MAX_FIXED_WAYS = 64
_MAX_OPEN_WAYS = 2

_SINGLE = frozenset({"LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"})
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})


class RegexError(ValueError):
    """A pattern that cannot be read, or that could take too long; the message says why."""


class _Refused(Exception):
    pass


def regex_problem(pattern: str) -> str | None:
    """Why the regular expression *pattern* could make Python's backtracking matcher
    work for long, else None.

    Accepted are the patterns whose number of ways to match at one place of a text of
    n characters is at most ``64 + 2 n`` (with no backreference):

    - no backreference (``\\1``, ``(?P=name)``, ``(?(1)...)``);
    - a repetition of more than one count (``*``, ``+``, ``{2,}``, ``{2,5}``) repeats
      single characters only (a character, a class, ``.``, in groups: ``(ab)+``): no
      repetition (not even ``?``) and no alternatives inside it, and not nothing; so
      each count ends at one place, and it has at most n + 1 ways (``{m,k}`` with
      k - m < 16: k - m + 1);
    - ways multiply along the pattern and add up over alternatives (``?`` is two
      ways); two open-ended repetitions one after the other (``\\d+-\\d+``) would
      be n², and are refused;
    - lookarounds hold no open-ended repetition.

    With a field searched up to :data:`REGEX_TEXT_LIMIT` characters, one search
    then takes at most about ``limit * (64 + 2 * limit)`` steps of the pattern.
    """
    return _analyse(pattern)[0]


def _analyse(pattern: str) -> tuple[str | None, bool, bool]:
    """(why *pattern* is refused or None, whether it has an open-ended repetition,
    whether it has an end anchor)."""
    if len(pattern) > REGEX_MAX_LENGTH:
        return f"it is longer than {REGEX_MAX_LENGTH} characters", False, False
    try:
        parsed = _sre_parse.parse(pattern, re.IGNORECASE)
    except re.error as error:
        return str(error), False, False
    try:
        fixed, open_ended, _ = _ways(list(parsed), False)
    except _Refused as refused:
        return str(refused), False, False
    if open_ended > _MAX_OPEN_WAYS or fixed > _MAX_FIXED_WAYS:
        problem = "it has too many ways to match (alternatives and repetitions multiply)"
        return problem, False, False
    return None, open_ended > 0, _has_end_anchor(list(parsed))


def _has_end_anchor(items: Any) -> bool:
    """Whether the parsed pattern *items* holds ``$`` or ``\\Z`` anywhere."""
    if isinstance(items, (list, tuple)):
        if len(items) == 2 and str(items[0]) == "AT":
            return str(items[1]) in ("AT_END", "AT_END_STRING", "AT_END_LINE")
        return any(_has_end_anchor(item) for item in items)
    if isinstance(items, _sre_parse.SubPattern):
        return _has_end_anchor(list(items))
    return False


def regex_finder(pattern: str) -> Callable[[str], bool]:
    """A case-insensitive search for *pattern* in a text, with bounded work; raises
    :class:`QueryError` when the pattern is bad or could take too long (see
    :func:`regex_problem`).

    A pattern without open-ended repetition costs work in proportion to the text and
    searches all of it; one with an open-ended repetition (``*``, ``+``, ``{n,}``)
    searches the first :data:`REGEX_TEXT_LIMIT` characters (and, when it has an end
    anchor, does not match a longer text: its end was cut)."""
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise RegexError(f"bad regular expression {pattern!r}: {error}") from None
    problem, open_ended, end_anchor = _analyse(pattern)
    if problem is not None:
        raise RegexError(f"regular expression {pattern!r} could take too long: {problem}")
    if not open_ended:
        return lambda text: compiled.search(text) is not None
    limit = REGEX_TEXT_LIMIT

    def find(text: str) -> bool:
        if len(text) > limit and end_anchor:
            return False
        return compiled.search(text[:limit]) is not None

    return find


def _ways(items: list[Any], in_repeat: bool) -> tuple[int, int, int]:
    """(c0, c1, width) of a sequence: at most ``c0 + c1 * n`` ways to match at one
    place, and, inside a repetition (*in_repeat*: only single characters, anchors and
    groups of them), the number of characters it matches."""
    c0, c1, width = 1, 0, 0
    for op, argument in items:
        a0, a1, w = _item_ways(str(op), argument, in_repeat)
        if c1 and a1:
            raise _Refused(
                "two open-ended repetitions (*, +, {n,}) follow each other (as in \\d+-\\d+)"
            )
        c0, c1 = c0 * a0, c0 * a1 + c1 * a0
        width += w
    return c0, c1, width


def _item_ways(name: str, argument: Any, in_repeat: bool) -> tuple[int, int, int]:
    """(c0, c1, width) of one item of a sequence, the operation *name* on *argument*."""
    if name in _SINGLE:
        return 1, 0, 1
    if name == "AT":
        return 1, 0, 0
    if name == "SUBPATTERN":
        return _ways(list(argument[-1]), in_repeat)
    if name == "ATOMIC_GROUP":
        return _ways(list(argument), in_repeat)
    if name == "BRANCH":
        if in_repeat:
            raise _Refused("a repetition holds alternatives (write a class: [ab]+)")
        a0 = a1 = 0
        for alternative in argument[1]:
            b0, b1, _ = _ways(list(alternative), False)
            a0, a1 = a0 + b0, a1 + b1
        return a0, a1, 0
    if name in _REPEATS:
        if in_repeat:  # (a+)+, (a?a)+: the counts would not end at one place
            raise _Refused("a repetition is repeated (as in (a+)+)")
        return (*_repeat_ways(*argument), 0)  # not a single width; never inside a repetition
    if name in ("ASSERT", "ASSERT_NOT"):
        a0, a1, _ = _ways(list(argument[1]), in_repeat)
        if a1:
            raise _Refused("a lookaround holds an open-ended repetition")
        return a0, a1, 0
    if name in ("GROUPREF", "GROUPREF_EXISTS", "GROUPREF_IGNORE"):
        raise _Refused("backreferences are not allowed")
    raise _Refused(f"{name.lower().replace('_', ' ')} is not allowed")


def _repeat_ways(low: int, high: int, body: Any) -> tuple[int, int]:
    """(c0, c1) of *body* repeated *low* to *high* times."""
    if high <= 1:  # ? or {0,1}: the body, or not
        b0, b1, _ = _ways(list(body), False)
        return (high - low + 1) * b0, (high - low + 1) * b1
    _, _, w = _ways(list(body), True)
    if w == 0:
        raise _Refused("a repetition repeats something that can be empty")
    counts = high - low + 1
    if high == _sre_parse.MAXREPEAT or counts > _SMALL_REPEAT:
        return 1, 1
    return counts, 0
