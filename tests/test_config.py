"""The ``pubs_*`` settings (sphinx_pubs.config): declared once, checked once.

Whatever a ``conf.py`` gives a setting (None, numbers, nested lists, dicts with
keys that are not strings, objects whose methods raise ...), the build succeeds, with
exactly one ``pubs.config`` warning naming each setting it cannot use, and the list
is the one the defaults make.  Checked by generation: the checks alone over many
values of every setting, and real builds with every setting wrong at once.  Label
templates are filled by a formatter that knows only their placeholders.  And the
reference page documents exactly the settings there are, with their defaults.

A longer campaign: ``PUBS_FUZZ_EXAMPLES=2000 python -m pytest tests/test_config.py``.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import pickle
import re
import string
from pathlib import Path

import pytest
import sphinx
from helpers import soup, text_of, warnings_of
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from sphinx_pubs.config import SETTINGS, PubsConfig, check_value, pubs_config
from sphinx_pubs.config.project import LABEL_KEYS, LABEL_PLACEHOLDERS
from sphinx_pubs.view.format import fill, template_problem
from sphinx_pubs.view.links import LINK_FIELDS

CAMPAIGN = int(os.environ.get("PUBS_FUZZ_EXAMPLES", "0") or 0)
DOCS = Path(__file__).parent.parent / "docs" / "reference"


def fuzz(examples: int, campaign_share: float = 1.0) -> settings:
    return settings(
        max_examples=max(1, int(CAMPAIGN * campaign_share)) if CAMPAIGN else examples,
        deadline=None,
        derandomize=not CAMPAIGN,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.function_scoped_fixture,
        ],
    )


#: what kind of value each setting takes, written out here rather than read from the
#: code, so that a setting added without a test entry fails test_every_setting_is_known
KIND = {
    "pubs_bibfiles": "list",
    "pubs_bib_encoding": "str",
    "pubs_max_authors": "int",
    "pubs_abstracts": "str",
    "pubs_headings": "str",
    "pubs_undated_label": "str",
    "pubs_group_by": "str",
    "pubs_sort": "str",
    "pubs_type_names": "dict",
    "pubs_type_order": "list",
    "pubs_search_abstracts": "bool",
    "pubs_bibtex_show": "bool",
    "pubs_bibtex_hidden_fields": "list",
    "pubs_link_fields": "dict",
    "pubs_link_exclude": "list",
    "pubs_file_dirs": "dict",
    "pubs_highlight_authors": "list",
    "pubs_author_links": "dict",
    "pubs_venues": "dict",
    "pubs_title_link": "str",
    "pubs_paper_pages": "bool",
    "pubs_paper_pages_dir": "str",
    "pubs_downloads": "list",
    "pubs_search": "bool",
    "pubs_search_facets": "list",
    "pubs_json_ld": "bool or None",
    "pubs_marks_legend": "dict",
    "pubs_labels": "dict",
    "pubs_cite_links": "bool",
}


def of_kind(kind: str, value: object) -> bool:
    """Whether *value* has the type a setting of *kind* takes."""
    if kind == "list":
        return isinstance(value, (list, tuple))
    if kind == "dict":
        return isinstance(value, dict)
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    assert kind == "bool or None"
    return value is None or isinstance(value, bool)


def default_of(name: str) -> object:
    return copy.deepcopy(SETTINGS[name].metadata["default"])


# -- arbitrary Python values ----------------------------------------------------------


class Hostile:
    """An object whose special methods all raise."""

    def _fail(self, *args, **kwargs):
        raise RuntimeError("hostile")

    __repr__ = __str__ = __len__ = __iter__ = __bool__ = __index__ = __int__ = _fail
    __eq__ = __lt__ = __getitem__ = __fspath__ = _fail  # type: ignore[assignment]
    __hash__ = object.__hash__


class SneakyStr(str):
    """A str whose own methods lie or raise."""

    def __str__(self):
        raise RuntimeError("sneaky")

    def strip(self, *args):
        raise RuntimeError("sneaky")

    def lower(self):
        return "year"


class SneakyList(list):
    def __iter__(self):
        raise RuntimeError("sneaky")


#: strings that mean something to some setting, or almost do
WORDS = [
    "",
    " ",
    "year",
    "Type",
    "none",
    "venue",
    "bib",
    "csl-json",
    "json",
    "utf-8",
    "latin-1",
    "rot13",
    "base64",
    "zlib",
    "undefined",
    "no-such-codec",
    "collapsed",
    "sideways",
    "section",
    "year desc, title",
    "year sideways",
    ",",
    "Albert Einstein",
    "Einstein, A.",
    "{",
    "}",
    "{n}",
    "{n} more",
    "{n.__class__.__mro__}",
    "{n[0]}",
    "{0}",
    "{n:>999999999}",
    "{shown} of {total}",
    "https://example.org/x",
    "javascript:alert(1)",
    "#fff",
    "red;x",
    "../../etc",
    "/abs",
    "a/b",
    "*",
    "†",
    "pdf",
    "more_authors",
    "abstract",
    "color",
    "url",
    "Undated",
    "x\x1b[31m\x00",
    "a.bib",
]

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.complex_numbers(),
    st.text(max_size=20),
    st.sampled_from(WORDS),
    st.binary(max_size=8),
    st.builds(object),
    st.builds(Hostile),
    st.builds(SneakyStr, st.sampled_from(WORDS)),
    st.just(Path("a.bib")),
    st.just(len),
    st.just(lambda: 0),
    st.just(int),
    st.just(Ellipsis),
    st.builds(SneakyList),
    st.from_type(type),
)
keys = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=8),
    st.integers(),
    st.none(),
    st.tuples(st.integers()),
    st.builds(Hostile),
    st.builds(SneakyStr, st.sampled_from(WORDS)),
)
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.frozensets(st.sampled_from(WORDS), max_size=3),
        st.dictionaries(keys, children, max_size=4),
    ),
    max_leaves=10,
)
#: values close to good ones: lists of meaningful words, dicts of words (or venues)
near = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=4),
    st.tuples(st.sampled_from(WORDS)),
    st.dictionaries(st.sampled_from(WORDS), st.sampled_from(WORDS), max_size=4),
    st.dictionaries(
        st.sampled_from(WORDS),
        st.dictionaries(st.sampled_from(WORDS), st.sampled_from(WORDS), max_size=3),
        max_size=3,
    ),
)
anything = st.one_of(values, near)


def test_every_setting_is_known():
    """A new setting needs its line in KIND (and its entry in the reference)."""
    assert set(SETTINGS) - set(KIND) == set(), "add the new settings to KIND"
    assert set(KIND) - set(SETTINGS) == set()


def test_defaults_are_good():
    for name in SETTINGS:
        default = default_of(name)
        assert check_value(name, default) == (default, None), name
        assert of_kind(KIND[name], default), name
    assert PubsConfig() == PubsConfig(**{f[5:]: default_of(f) for f in SETTINGS})


@fuzz(300, campaign_share=1.0)
@given(name=st.sampled_from(sorted(SETTINGS)), value=anything)
def test_any_value_is_checked_without_raising(name, value):
    used, problem = check_value(name, value)
    note(f"{name} = {used!r}: {problem}")
    # the value used is good (checked again, it is kept as it is, silently), has the
    # setting's type, can be pickled with the environment
    assert check_value(name, used) == (used, None)
    assert of_kind(KIND[name], used)
    assert pickle.loads(pickle.dumps(used)) == used
    if problem is not None:
        assert problem.startswith(f"{name}: ")
        assert "\n" not in problem and "\x1b" not in problem and "\x00" not in problem
        assert len(problem) < 2000
    if not of_kind(KIND[name], value):
        # not even the right type: the default
        assert problem is not None
        assert used == default_of(name)


# -- real builds ----------------------------------------------------------------------

BIB = r"""@article{five,
  title = {Five Authors},
  author = {Albert Einstein* and Boris Podolsky and Nathan Rosen and Ann Other and Bob Else},
  journal = {Phys. Rev.}, year = 1935, abbr = {PR},
  abstract = {An abstract.}, pdf = {https://example.org/five.pdf}, bibtex_show = {true}
}
@inproceedings{talk,
  title = {A Talk}, author = {Jürgen Müller}, booktitle = {Conf}, year = 2001,
  code = {https://example.org/code}
}
@misc{undated, title = {No Year}, author = {Zed Zee}}
"""
PAGE = "Publications\n============\n\n.. publications:: refs.bib\n"
FILES = {"index.rst": PAGE, "refs.bib": BIB}


def _warnings(app) -> list[str]:
    """The build's warnings but the one the bibliography always gives (its undated
    entry)."""
    return [
        w
        for w in warnings_of(app)
        if not w.endswith("listed with the undated entries [pubs.entry]")
    ]


def _lists(app) -> list[str]:
    page = soup(Path(app.outdir) / "index.html")
    return [str(node) for node in page.select("div.pubs")]


def _config_warnings(app, name: str = "") -> list[str]:
    return [w for w in _warnings(app) if "[pubs.config]" in w and f"WARNING: {name}" in w]


_default_lists: list[list[str]] = []


def _defaults(build_project) -> list[str]:
    if not _default_lists:
        app = build_project(FILES)
        app.assert_clean()
        app.cleanup()  # another app is built in the same test
        assert _warnings(app) == []
        _default_lists.append(_lists(app))
    return _default_lists[0]


def _wrong(name: str):
    """Values of every type but the one setting *name* takes."""
    kind = KIND[name]
    lists = st.lists(values, max_size=3) | st.tuples(values)
    dicts = st.dictionaries(keys, values, max_size=3) | near.filter(lambda v: isinstance(v, dict))
    sets = st.frozensets(st.sampled_from(WORDS), max_size=3)
    containers = {"list": dicts | sets, "dict": lists | sets}.get(kind, lists | dicts | sets)
    return leaves.filter(lambda value: not of_kind(kind, value)) | containers


#: the values the next conf.py takes (as they are: no Sphinx conversion on the way)
GIVEN: dict[str, object] = {}
CONF_GIVEN = f"import sys\nglobals().update(sys.modules[{__name__!r}].GIVEN)\n"


def _given(values: dict[str, object]) -> str:
    """conf.py lines setting *values*, whatever they are."""
    GIVEN.clear()
    GIVEN.update(values)
    return CONF_GIVEN


@fuzz(3, campaign_share=0.02)
@given(values=st.fixed_dictionaries({name: _wrong(name) for name in sorted(SETTINGS)}))
def test_every_setting_wrong_at_once(build_project, values):
    """Every setting given a value of the wrong type: one warning each, naming it,
    and the list the defaults make."""
    expected = _defaults(build_project)
    built = build_project(FILES, conf=_given(values))
    built.assert_clean()
    app = built.app  # pubs_config is given the application itself
    app.cleanup()  # the next example builds another app in the same test
    for name in SETTINGS:
        assert len(_config_warnings(app, name + ":")) == 1, name
    # nothing else: not Sphinx's own type checks, nor a warning per list
    assert len(_warnings(app)) == len(SETTINGS), _warnings(app)
    assert _lists(app) == expected
    # the values used are the defaults, in the config the environment pickles
    for name in SETTINGS:
        assert getattr(app.config, name) == default_of(name)
    assert pubs_config(app) == PubsConfig()


@fuzz(4, campaign_share=0.05)
@given(name=st.sampled_from(sorted(SETTINGS)), value=anything)
def test_any_value_of_one_setting(build_project, name, value):
    """One setting given anything: at most one warning (naming it), never a
    traceback, and the warning exactly when the check says the value is bad."""
    app = build_project(FILES, conf=_given({name: value}))
    app.assert_clean()
    app.cleanup()  # the next example builds another app in the same test
    used, problem = check_value(name, value)
    assert len(_config_warnings(app)) == (problem is not None)
    if problem is not None:
        assert _config_warnings(app, name + ":")
    assert getattr(app.config, name) == used


def test_a_bad_setting_warns_once_not_per_list(build_project):
    """``pubs_search_facets = ["venue"]`` once, naming the setting, however many
    lists there are; a bad option is reported at its directive, naming the option."""
    page = PAGE + "\n.. publications:: refs.bib\n   :no-index:\n"
    page += "\n.. publications:: refs.bib\n   :no-index:\n   :facets: year, venue\n"
    conf = 'pubs_search = True\npubs_search_facets = ["venue"]\n'
    app = build_project({**FILES, "index.rst": page}, conf=conf)
    app.assert_clean()
    assert _config_warnings(app) == [
        "WARNING: pubs_search_facets: unknown facet 'venue' (year, type or none); "
        "using the default [] [pubs.config]"
    ]
    options = [w for w in _warnings(app) if "[pubs.option]" in w]
    assert len(options) == 1
    assert re.search(
        r"index\.rst:\d+: WARNING: publications: :facets: unknown facet 'venue'", options[0]
    )
    assert len(_warnings(app)) == 2, _warnings(app)
    page_html = soup(Path(app.outdir) / "index.html")
    lists = page_html.select("div.pubs")
    assert len(lists) == 3
    # the setting's default (no facets) in the first two, the option's year in the last
    facets = [json.loads(node["data-pubs-search"])["facets"] for node in lists]
    assert facets == [[], [], ["year"]]


BAD_ENCODINGS = [
    None,
    5,
    b"utf-8",
    "no-such-codec",
    "rot13",
    "base64",
    "zlib",
    "hex",
    "undefined",
    "",
]


@pytest.mark.parametrize("encoding", BAD_ENCODINGS)
def test_bad_encoding_is_utf8(encoding):
    used, problem = check_value("pubs_bib_encoding", encoding)
    assert used == "utf-8"
    assert problem.startswith("pubs_bib_encoding: ")
    assert problem.endswith("; using the default 'utf-8'")


@pytest.mark.parametrize("encoding", [None, "no-such-codec", "rot13"])
def test_bad_encoding_is_one_warning_and_utf8(build_project, encoding):
    app = build_project(FILES, conf=_given({"pubs_bib_encoding": encoding}))
    app.assert_clean()
    (warning,) = _config_warnings(app)
    assert warning.startswith("WARNING: pubs_bib_encoding: ")
    assert warning.endswith("; using the default 'utf-8' [pubs.config]")
    assert _warnings(app) == [warning]  # no pubs.encoding: the file is read as UTF-8
    assert "Jürgen Müller" in text_of(soup(Path(app.outdir) / "index.html").select_one("#pub-talk"))


def test_command_line_overrides(build_project):
    """``-D name=value`` strings: converted by Sphinx where it can (a number, a list);
    a flag that is not 0 or 1, which Sphinx refuses, is one warning of ours, and the
    build goes on."""
    overrides = {
        "pubs_max_authors": "1",
        "pubs_downloads": "bib,csl-json",
        "pubs_search_abstracts": "maybe",
    }
    app = build_project(FILES, confoverrides=overrides)
    app.assert_clean()
    if sphinx.version_info < (8,):  # Sphinx 7.4 makes any flag text but "0" True itself
        assert _config_warnings(app) == []
        assert pubs_config(app).search_abstracts is True
    else:
        (warning,) = _config_warnings(app)
        assert warning.startswith("WARNING: pubs_search_abstracts: must be True or False, not ")
        assert warning.endswith("; using the default False [pubs.config]")
    assert pubs_config(app).max_authors == 1
    assert pubs_config(app).downloads == ["bib", "csl-json"]
    assert "4 more authors" in text_of(
        soup(Path(app.outdir) / "index.html").select_one("#pub-five")
    )


def test_partly_bad_collections_keep_their_good_items(build_project):
    conf = (
        'pubs_highlight_authors = [None, "Albert Einstein", "{"]\n'
        'pubs_venues = {"PR": {"color": "red;x", "url": "https://example.org/pr"}, 3: {}}\n'
        'pubs_labels = {"pdf": "Paper", "more_authors": "{n.__class__}", "nope": "x"}\n'
    )
    app = build_project(FILES, conf=conf)
    app.assert_clean()
    warnings = _config_warnings(app)
    assert len(warnings) == 3
    assert warnings[0].startswith("WARNING: pubs_highlight_authors: None: ")
    assert "'{'" in warnings[0] and warnings[0].endswith("; left out [pubs.config]")
    assert "'PR': 'color': 'red;x' is not a colour" in warnings[1]
    assert "3: " in warnings[1]
    assert "'more_authors': unknown placeholder {n.__class__}" in warnings[2]
    assert "'nope' is not a label" in warnings[2]
    assert warnings[2].endswith("; using the default labels [pubs.config]")
    entry = soup(Path(app.outdir) / "index.html").select_one("#pub-five")
    assert text_of(entry.select_one(".pub-author-self")).startswith("Albert Einstein")
    badge = entry.select_one(".pub-abbr")
    assert badge.a["href"] == "https://example.org/pr" and not badge.has_attr("style")
    assert "Paper" in [text_of(a) for a in entry.select(".pub-buttons a")]
    assert "2 more authors" in text_of(entry)
    assert "class" not in text_of(entry)


# -- label templates ------------------------------------------------------------------

BAD_TEMPLATES = [
    "{n.__class__.__mro__}",
    "{n.real}",
    "{n[0]}",
    "{0}",
    "{}",
    "{n:>999999999}",
    "{n:{n}}",
    "{n!r}",
    "{count} more",
    "{",
    "}",
    "{n",
    "n}",
]


@pytest.mark.parametrize("template", BAD_TEMPLATES)
def test_bad_label_template_is_left_out(template):
    used, problem = check_value("pubs_labels", {"more_authors": template, "pdf": "Paper"})
    assert used == {"pdf": "Paper"}
    assert problem.startswith("pubs_labels: 'more_authors': ")
    assert problem.endswith("; using the default label")
    assert fill(template, "{n} more authors", n=2) == "2 more authors"


@pytest.mark.parametrize("template", ["{n.__class__.__mro__}", "{n[0]}", "{n:>999999999}"])
def test_bad_label_template_is_one_warning_and_the_default(build_project, template):
    conf = f"pubs_labels = {{'more_authors': {template!r}, 'pdf': 'Paper'}}\n"
    app = build_project(FILES, conf=conf)
    app.assert_clean()
    (warning,) = _warnings(app)
    assert warning.startswith("WARNING: pubs_labels: 'more_authors': ")
    assert warning.endswith("; using the default label [pubs.config]")
    entry = soup(Path(app.outdir) / "index.html").select_one("#pub-five")
    assert "2 more authors" in text_of(entry)
    assert "Paper" in text_of(entry)  # the good label is used
    for leak in ("class", "object", "int", "999"):
        assert leak not in text_of(entry)


def test_good_label_templates(build_project):
    conf = (
        "pubs_labels = {'more_authors': '{{n}}: {n} weitere', 'search_count': '{total}/{shown}'}\n"
    )
    app = build_project(FILES, conf=conf)
    app.assert_clean()
    assert _warnings(app) == []
    assert "{n}: 2 weitere" in text_of(
        soup(Path(app.outdir) / "index.html").select_one("#pub-five")
    )


template_text = st.text(alphabet="{}n!:[]._0rs>x ", max_size=16) | st.sampled_from(BAD_TEMPLATES)


@fuzz(500)
@given(template=template_text, count=st.integers(0, 10**6))
def test_templates_are_filled_safely(template, count):
    """A template is filled only when it holds nothing but its placeholders (then
    exactly as str.format would), else the fallback is; never an attribute, an index,
    a positional argument or a format, never an error, never longer than asked."""
    problem = template_problem(template, ("n",))
    out = fill(template, "{n} more authors", n=count)
    fields = None
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(template)]
    except ValueError:
        assert problem is not None
    if fields is not None:
        plain = all(
            name in (None, "n") and not spec and conv is None for name, spec, conv in fields
        )
        assert (problem is None) == plain
    if problem is None:
        assert out == template.format(n=count)
        assert len(out) <= len(template) + template.count("{n}") * len(str(count))
    else:
        assert out == f"{count} more authors"


def test_every_label_template_has_its_placeholders_documented():
    page = (DOCS / "config.rst").read_text(encoding="utf-8")
    for name, placeholders in LABEL_PLACEHOLDERS.items():
        assert name in LABEL_KEYS
        for placeholder in placeholders:
            assert f"``{{{placeholder}}}``" in page, placeholder


# -- rebuilds and the accessor --------------------------------------------------------

UNPICKLABLE = {
    "pubs_json_ld": object(),
    "pubs_bibfiles": [Path("refs.bib")],
    "pubs_labels": {1: len},
    "pubs_max_authors": lambda: 3,
}


def test_no_op_rebuild_reads_nothing_whatever_the_values(build_project):
    conf = 'pubs_search_facets = ["venue"]\npubs_sort = "year sideways"\n'
    conf += "import pathlib\npubs_venues = {'X': pathlib.Path('x')}\npubs_json_ld = lambda: 1\n"
    files = {**FILES, "index.rst": "P\n=\n\n.. publications::\n"}
    app = build_project(files, conf=conf, freshenv=False, confoverrides=dict(UNPICKLABLE))
    assert app.statuscode == 0
    assert app.read == ["index"]
    # facets, sort, venues, json_ld, labels, max_authors (a path is a good file name)
    assert len(_config_warnings(app)) == 6
    assert not [w for w in _warnings(app) if "unpickleable" in w or "[config" in w]
    app = app.rebuild()
    assert app.statuscode == 0
    assert app.read == []  # the values used are the same: nothing changed
    assert len(_config_warnings(app)) == 6  # warned again: once per build


def test_accessor_is_cached_and_sees_later_changes(build_project):
    built = build_project(FILES)
    built.assert_clean()
    app = built.app  # pubs_config is given the application itself
    checked = pubs_config(app)
    assert pubs_config(app.env) is checked and pubs_config(app.config) is checked
    assert pubs_config(app.builder) is checked
    # a value set after the config was read (by another extension, say) is checked
    app.config.pubs_max_authors = "seven"
    again = pubs_config(app)
    assert again.max_authors == 3 and app.config.pubs_max_authors == 3
    assert len(_config_warnings(app, "pubs_max_authors:")) == 1
    app.config.pubs_max_authors = 7
    assert pubs_config(app).max_authors == 7
    assert pubs_config(app) is pubs_config(app)


def test_registered_with_their_rebuild(build_project):
    app = build_project(FILES)
    app.assert_clean()
    rebuild = {value.name: value.rebuild for value in app.config if value.name in SETTINGS}
    assert rebuild == {name: f.metadata["rebuild"] for name, f in SETTINGS.items()}
    assert rebuild["pubs_json_ld"] == "html"
    assert set(rebuild.values()) == {"env", "html"}


# -- the reference page ---------------------------------------------------------------

_CONFVAL = re.compile(r"^\.\. confval:: (\S+)\n((?:(?:   .*)?\n)*)", re.MULTILINE)


def documented() -> dict[str, str]:
    """Setting -> its documentation, from every page of the reference."""
    found = {}
    for page in sorted(DOCS.glob("*.rst")):
        for match in _CONFVAL.finditer(page.read_text(encoding="utf-8")):
            assert match.group(1) not in found, f"{match.group(1)} documented twice"
            found[match.group(1)] = match.group(2)
    return found


def test_reference_documents_every_setting_with_its_default():
    docs = documented()
    assert set(docs) == set(SETTINGS)
    for name, body in docs.items():
        default = default_of(name)
        option = re.search(r"^   :default: (.+)$", body, re.MULTILINE)
        if option is None:  # in prose: "True (the default)"
            assert f"``{default!r}`` (the default)" in body, name
            continue
        written = option.group(1).strip()
        if written.startswith("``") and written.endswith("``"):
            assert ast.literal_eval(written[2:-2]) == default, name
        else:  # a description: then the text names every item of the default
            assert isinstance(default, list), name
            for item in default:
                assert f"``{item}``" in body, (name, item)
        kind = re.search(r"^   :type: (.+)$", body, re.MULTILINE)
        assert kind is not None, name
        kinds = re.findall(r"``(\w+)", kind.group(1))
        assert kinds[0] == KIND[name].split()[0], name


def test_reference_names_every_label():
    body = documented()["pubs_labels"]
    for name in LABEL_KEYS:
        if name not in dict(LINK_FIELDS):  # those are "a link field (doi, pdf ...)"
            assert f"``{name}``" in body, name
