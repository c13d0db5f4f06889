"""Reading an al-folio site for :mod:`sphinx_pubs.alfolio`: its YAML files (PyYAML's
safe loader, size and alias limits), the values in them, and the bibliography files
``scholar:`` names."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sphinx_pubs.config.values import shown

#: YAML files larger than this are not read (al-folio's own _config.yml is 25 KB)
MAX_YAML_BYTES = 4 * 1024 * 1024

#: aliases (``*name``) a YAML file may use
MAX_ALIASES = 100

_GLOB_CHARS = "*?["


class NotASite(Exception):
    """SITE cannot be read as an al-folio site (exit status 2)."""


class NoYaml(NotASite):
    """PyYAML is not installed."""


@dataclass
class Migration:
    """What :func:`migrate` found."""

    #: pubs_* setting -> value, each accepted by its check
    settings: dict[str, Any] = field(default_factory=dict)
    #: the site's bibliography files (real paths, inside the site)
    bibs: list[str] = field(default_factory=list)
    #: problems with the site's files: one line each, for stderr
    warnings: list[str] = field(default_factory=list)
    #: what does not carry over, and what to do instead
    notes: list[str] = field(default_factory=list)


def yaml_loader() -> Callable[[str], Any]:
    """PyYAML's safe loader (plain values only), refusing more than
    :data:`MAX_ALIASES` aliases: each ``*name`` can stand for a whole subtree, so a
    small file with many could make the checks' work grow far beyond its size."""
    try:
        import yaml
    except ImportError:
        raise NoYaml(
            "reading an al-folio site needs PyYAML: pip install 'sphinx-pubs[alfolio]' "
            "(or: pip install pyyaml)"
        ) from None

    def load(text: str) -> Any:
        loader = yaml.SafeLoader(text)  # plain values only
        compose_node = loader.compose_node
        aliases = 0

        def counted(parent: Any, index: Any) -> Any:
            nonlocal aliases
            if loader.check_event(yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    mark = loader.peek_event().start_mark
                    raise yaml.composer.ComposerError(
                        None, None, f"more than {MAX_ALIASES} aliases", mark
                    )
            return compose_node(parent, index)

        loader.compose_node = counted  # the composer calls it for every node
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()

    return load


def read_yaml(site: str, name: str, migration: Migration, load: Callable[[str], Any]) -> Any:
    """The data of SITE/*name*; None (with a warning) when it cannot be read, and
    None (quietly) when there is no such file."""
    path = os.path.join(site, name)
    if not os.path.isfile(path):
        return None
    try:
        size = os.path.getsize(path)
        if size > MAX_YAML_BYTES:
            migration.warnings.append(
                f"{name}: {size} bytes, more than {MAX_YAML_BYTES} bytes: not read"
            )
            return None
        with open(path, "rb") as stream:
            data = stream.read()
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        migration.warnings.append(f"{name}:{line}: not UTF-8 ({error.reason}): not read")
        return None
    except OSError as error:
        migration.warnings.append(f"{name}: cannot be read ({error.strerror or error}): not read")
        return None
    try:
        return load(text)
    except RecursionError:
        migration.warnings.append(f"{name}: nested too deeply: not read")
    except Exception as error:  # yaml.YAMLError, and whatever else the parser raises
        mark = getattr(error, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        problem = getattr(error, "problem", None) or type(error).__name__
        migration.warnings.append(f"{where}: not valid YAML ({problem}): not read")
    return None


def as_mapping(value: Any, name: str, migration: Migration) -> dict[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        migration.warnings.append(f"{name}: must be a mapping, not {shown(value)}: not read")
        return {}
    return value


def as_strings(value: Any, where: str, migration: Migration) -> list[str]:
    """A YAML list of strings, or one string (``last_name: Einstein``)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, str) and item.strip():
            out.append(str.__str__(item).strip())
        else:
            migration.warnings.append(f"{where}: {shown(item)} is not a name: left out")
    return out


def bibliographies(site: str, scholar: dict[Any, Any], migration: Migration) -> list[str]:
    """The bibliography files scholar.source/scholar.bibliography name (jekyll-scholar's
    defaults: ./_bibliography, references.bib; a name without .bib, or a glob)."""
    source = scholar.get("source", "./_bibliography")
    name = scholar.get("bibliography", "references.bib")
    if (
        not isinstance(source, str)
        or not isinstance(name, str)
        or not name.strip()
        or "\x00" in source + name
    ):
        migration.warnings.append(
            f"_config.yml: scholar.source {shown(source)} / scholar.bibliography "
            f"{shown(name)} do not name a file: using _bibliography/papers.bib"
        )
        source, name = "_bibliography", "papers.bib"
    real_site = os.path.realpath(site)
    folder = os.path.join(real_site, source.strip().lstrip("/"))
    pattern = os.path.join(folder, name.strip())
    if any(char in name for char in _GLOB_CHARS):
        candidates = sorted(glob.glob(pattern))
    else:
        candidates = [pattern if os.path.exists(pattern) else pattern + ".bib"]
    found = []
    for candidate in candidates:
        real = os.path.realpath(candidate)
        if os.path.commonpath([real, real_site]) != real_site:
            migration.warnings.append(
                f"_config.yml: the bibliography {shown(candidate)} is outside the site: left out"
            )
        elif os.path.isfile(real):
            found.append(real)
    if not found:
        missing = os.path.relpath(pattern, real_site)
        migration.warnings.append(
            f"_config.yml: no bibliography file {shown(missing)} in the site (scholar.source, "
            "scholar.bibliography)"
        )
    return found


def config_value(config: dict[Any, Any], scholar: dict[Any, Any], key: str) -> tuple[bool, Any]:
    """Whether *key* is set (at the top level, where al-folio has it, or under scholar:)
    and its value."""
    if key in config:
        return True, config[key]
    if key in scholar:
        return True, scholar[key]
    return False, None
