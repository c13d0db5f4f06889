"""LaTeX, as BibTeX field values hold it, to rich text and back.

- :mod:`~sphinx_pubs.core.latex.decoder`: ``decode``, ``decode_plain``, the token loop;
  :mod:`~sphinx_pubs.core.latex.reader`: its output and frame stack;
- :mod:`~sphinx_pubs.core.latex.plain`: the fast path (``needs_decoding``) and the
  encoder (``escape``);
- :mod:`~sphinx_pubs.core.latex.symbols` and :mod:`~sphinx_pubs.core.latex.commands`:
  the letters, symbols, accents and commands of text mode;
- :mod:`~sphinx_pubs.core.latex.math_symbols`, :mod:`~sphinx_pubs.core.latex.math_grammar`
  and :mod:`~sphinx_pubs.core.latex.math_check`: the symbols of math, what its commands
  take, and whether LaTeX can typeset a piece of it.

Balanced braces are counted by :mod:`sphinx_pubs.core.braces`.
"""
