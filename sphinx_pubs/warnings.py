"""The one way sphinx-pubs emits a warning: :func:`warn`, as ``pubs.<subtype>``.

The subtypes are :class:`sphinx_pubs.core.subtype.Subtype` (in ``core/``, free of
Sphinx, so that a :class:`~sphinx_pubs.core.model.Problem` can carry one).
"""

from __future__ import annotations

from sphinx.util import logging

from sphinx_pubs.core.model import printable
from sphinx_pubs.core.subtype import Subtype

logger = logging.getLogger(__name__)


def warn(message: str, subtype: Subtype, location: str | None = None) -> None:
    """Emit *message* as the Sphinx warning ``pubs.<subtype>`` at *location*, with
    control characters shown as escapes (a warning is one line of the log)."""
    logger.warning(printable(message), location=location, type="pubs", subtype=subtype.value)
