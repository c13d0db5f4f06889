"""Where the time of a build goes for inputs that used to cost quadratic work.

Run from the repository root (``PYTHONPATH=$PWD`` so that this checkout is used)::

    PYTHONPATH=$PWD python benchmarks/bench_cost.py ids 8000     # CJK keywords, :group-by: keywords
    PYTHONPATH=$PWD python benchmarks/bench_cost.py papers 2000  # paper pages

Each builds a generated project once under cProfile and prints the build's time and
the cumulative time of the functions that made it quadratic (Renderer.unique_id,
papers._entry_node).  Nothing here is a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

from sphinx.application import Sphinx

WATCHED = ("unique_id", "render", "collect_pages", "_entry_node")


def project(root: Path, count: int, papers: bool) -> Path:
    src = root / "src"
    src.mkdir()
    conf = 'extensions = ["sphinx_pubs"]\n' + ("pubs_paper_pages = True\n" if papers else "")
    (src / "conf.py").write_text(conf, encoding="utf-8")
    # two CJK characters per keyword: every group's label slugs to "group"
    bib = "".join(
        f"@misc{{k{i}, title = {{T {i}}}, year = {2000 + i % 25}, "
        f"keywords = {{{chr(0x4E00 + i % 20000)}{chr(0x4E00 + (i * 7) % 20000)}}}}}\n"
        for i in range(count)
    )
    (src / "refs.bib").write_text(bib, encoding="utf-8")
    group_by = "year" if papers else "keywords"
    (src / "index.rst").write_text(
        f"Pubs\n====\n\n.. publications:: refs.bib\n   :group-by: {group_by}\n", encoding="utf-8"
    )
    return src


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("case", choices=["ids", "papers"])
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp())
    src = project(root, args.count, args.case == "papers")
    app = Sphinx(
        str(src), str(src), str(root / "out"), str(root / "doctrees"), "html",
        status=None, warning=sys.stderr, freshenv=True,
    )  # fmt: skip
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    app.build()
    profile.disable()
    print(f"{args.case} {args.count}: build {time.perf_counter() - start:.2f} s (profiled)")
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    for (filename, _, name), (_, calls, _, cumulative, _) in sorted(stats.items()):
        if name in WATCHED and "sphinx_pubs" in filename:
            print(f"  {name}: {cumulative:.2f} s cumulative, {calls} calls")


if __name__ == "__main__":
    main()
