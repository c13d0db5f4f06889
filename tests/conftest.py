"""Test configuration: Sphinx's testing fixtures and our test roots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

#: the suite's property tests draw the same examples on every run, so that a run
#: passes or fails by the code alone; ``PUBS_FUZZ_RANDOM=1`` explores new examples
settings.register_profile("suite", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("explore" if os.environ.get("PUBS_FUZZ_RANDOM") == "1" else "suite")

#: Sphinx's fixtures (make_app, app ...) and the browser tests' (chromium, open_page)
pytest_plugins = ("sphinx.testing.fixtures", "browser")

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture
def make_app(make_app):
    """Sphinx's ``make_app``, with warnings naming their type on every Sphinx version
    (``show_warning_types`` is on by default from Sphinx 8): the tests read the
    ``[pubs.subtype]`` at the end of each warning."""

    def make(*args, **kwargs):
        overrides = {"show_warning_types": True, **kwargs.pop("confoverrides", {})}
        return make_app(*args, confoverrides=overrides, **kwargs)

    return make


@pytest.fixture
def strict_pybtex():
    """pybtex raises on every error while the test runs (its default, which another
    test may have changed)."""
    import pybtex.errors

    strict = pybtex.errors.strict
    pybtex.errors.set_strict_mode(True)
    yield
    pybtex.errors.set_strict_mode(strict)
