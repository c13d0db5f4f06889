"""The ``conf.py`` lines and the page ``sphinx-pubs alfolio`` writes: Python with
:func:`repr` of plain values only (str, int, bool, list, dict), so no text from the site
can become code."""

from __future__ import annotations

from typing import Any

#: the settings :func:`conf_text` may write, in this order
SETTING_NAMES = (
    "pubs_bibfiles",
    "pubs_highlight_authors",
    "pubs_max_authors",
    "pubs_bibtex_hidden_fields",
    "pubs_venues",
    "pubs_author_links",
)


def _literal(value: Any, indent: int = 0) -> str:
    """*value* (str, int, bool, list, dict of them) as Python source: repr of each
    plain value, one item a line."""
    pad = " " * indent
    if type(value) is dict:
        if not value:
            return "{}"
        items = "".join(
            f"{pad}    {_literal(k)}: {_literal(v, indent + 4)},\n" for k, v in value.items()
        )
        return "{\n" + items + pad + "}"
    if type(value) is list:
        if not value:
            return "[]"
        if all(type(v) in (str, int, bool) for v in value):
            # plain items: as many a line as fit in 88 columns
            words = [_literal(v) + "," for v in value]
            if len(" ".join(words)) + indent <= 78:
                return "[" + " ".join(words)[:-1] + "]"
            lines: list[str] = []
            for word in words:
                if lines and len(lines[-1]) + 1 + len(word) <= 88 - indent - 4:
                    lines[-1] += " " + word
                else:
                    lines.append(word)
            return "[\n" + "".join(f"{pad}    {line}\n" for line in lines) + pad + "]"
        items = "".join(f"{pad}    {_literal(v, indent + 4)},\n" for v in value)
        return "[\n" + items + pad + "]"
    if type(value) in (str, int, bool):
        return repr(value)
    raise TypeError(f"not a plain value: {type(value).__name__}")


def conf_text(settings: dict[str, Any]) -> str:
    """The ``conf.py`` lines of *settings* (names of :data:`SETTING_NAMES` only)."""
    lines = [
        "# sphinx-pubs settings from an al-folio site (made by: sphinx-pubs alfolio)",
        '# conf.py also needs: extensions = [..., "sphinx_pubs"]',
    ]
    for name in SETTING_NAMES:
        if name in settings:
            lines.append(f"{name} = {_literal(settings[name])}")
    return "\n".join(lines) + "\n"


def page_text(markdown: bool) -> str:
    """The publications page: the directive without argument reads pubs_bibfiles."""
    if markdown:
        return "# Publications\n\n```{publications}\n```\n"
    return "Publications\n============\n\n.. publications::\n"
