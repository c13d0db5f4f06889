"""Build-time benchmark: sphinx-pubs against sphinxcontrib-bibtex on the same files.

Run from the repository root::

    python benchmarks/bench_build.py                 # 100, 1,000, 10,000 entries
    python benchmarks/bench_build.py --sizes 1000 --runs 5
    python benchmarks/bench_build.py --bib path/to/real.bib

Each build runs in a fresh Python process (``python -m sphinx -E``), the two tools
alternating, ``--runs`` times; the table shows medians of wall time and of the
process's peak memory (max RSS), and the ratio sphinx-pubs / sphinxcontrib-bibtex.
For reference it also times pybtex's own parse of each file and an empty Sphinx
build, and for sphinx-pubs a no-op rebuild and a rebuild after touching an unrelated
page.  Nothing here is a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

WORK = Path(__file__).parent / "_work"

WORDS = (
    "learning neural model graph data network theory quantum sparse robust adaptive "
    "efficient scalable language vision retrieval attention transformer kernel bayesian "
    "inference optimisation gradient descent stochastic convex embedding"
).split()
FIRST = "Ann Bob Cy Di Eve Fay Gus Hal Ida Jan Kai Lea Max Noa Oli Pia".split()
LAST = 'Author Builder Coder Dev Example Friend Grant Hope M{\\"u}ller Nakamura Okafor'.split()

# Runs in the child process: build, then report time and peak memory as JSON.
CHILD = """
import json, resource, sys, time
from sphinx.cmd.build import build_main
start = time.perf_counter()
code = build_main(sys.argv[1:])
elapsed = time.perf_counter() - start
print(json.dumps({"code": code, "seconds": elapsed,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PYBTEX_CHILD = """
import json, resource, sys, time
import pybtex.errors
from pybtex.database import parse_file
pybtex.errors.set_strict_mode(False)  # real files have duplicate keys and worse
start = time.perf_counter()
data = parse_file(sys.argv[1])
print(json.dumps({"code": 0, "seconds": time.perf_counter() - start, "entries": len(data.entries),
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def generate(path: Path, count: int, abstracts: bool, seed: int = 1) -> None:
    rng = random.Random(seed)
    out = []
    for index in range(count):
        authors = " and ".join(
            f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 9))
        )
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 12))).capitalize()
        fields = [
            f"  title = {{{title}}}",
            f"  author = {{{authors}}}",
            f"  journal = {{Journal of {rng.choice(WORDS).capitalize()}}}",
            f"  year = {{{rng.randint(1990, 2025)}}}",
            f"  month = {rng.choice(['jan', 'apr', 'jul', 'oct'])}",
            f"  volume = {{{rng.randint(1, 60)}}}",
            f"  pages = {{{rng.randint(1, 500)}--{rng.randint(501, 900)}}}",
            f"  doi = {{10.1000/bench.{index}}}",
        ]
        if abstracts:
            sentences = [
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."
                for _ in range(rng.randint(5, 10))
            ]
            if index % 10 == 0:
                sentences.append(r"It is $5\times$ faster, see \emph{the appendix}.")
            fields.append(f"  abstract = {{{' '.join(sentences)}}}")
        out.append(f"@article{{bench{index},\n" + ",\n".join(fields) + ",\n}\n")
    path.write_text("\n".join(out), encoding="utf-8")


def make_project(root: Path, bib: Path, tool: str) -> Path:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copy(bib, root / "refs.bib")
    if tool == "pubs":
        conf = 'extensions = ["sphinx_pubs"]\n'
        body = ".. publications:: refs.bib\n"
    elif tool == "bibtex":
        conf = 'extensions = ["sphinxcontrib.bibtex"]\nbibtex_bibfiles = ["refs.bib"]\n'
        body = ".. bibliography::\n   :all:\n"
    else:  # an empty project, the floor of any build
        conf = "extensions = []\n"
        body = "Nothing here.\n"
    (root / "conf.py").write_text(conf, encoding="utf-8")
    (root / "index.rst").write_text(
        "Publications\n============\n\n" + body + "\n.. toctree::\n\n   other\n", encoding="utf-8"
    )
    (root / "other.rst").write_text("Other\n=====\n\nAn unrelated page.\n", encoding="utf-8")
    return root


def run_child(code: str, *args: str) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"benchmark child failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    result: dict[str, float] = json.loads(lines[-1])
    if result["code"] != 0:
        raise SystemExit(f"build failed:\n{proc.stderr[-2000:]}")
    return result


def build(project: Path, fresh: bool = True) -> dict[str, float]:
    args = ["-q", "-b", "html", str(project), str(project / "_build")]
    if fresh:
        shutil.rmtree(project / "_build", ignore_errors=True)
        args.insert(0, "-E")
    return run_child(CHILD, *args)


def median(results: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in results)


def bench_file(name: str, bib: Path, runs: int) -> dict[str, float]:
    projects = {
        tool: make_project(WORK / f"{name}-{tool}", bib, tool)
        for tool in ("pubs", "bibtex", "empty")
    }
    results: dict[str, list[dict[str, float]]] = {tool: [] for tool in projects}
    parse: list[dict[str, float]] = []
    for _ in range(runs):
        for tool in ("pubs", "bibtex", "empty"):  # alternate the tools
            results[tool].append(build(projects[tool]))
        parse.append(run_child(PYBTEX_CHILD, str(bib)))
    # incremental builds of sphinx-pubs: nothing changed, then an unrelated page
    noop = [build(projects["pubs"], fresh=False) for _ in range(runs)]
    touched = []
    for _ in range(runs):
        other = projects["pubs"] / "other.rst"
        other.write_text(other.read_text() + "\nMore.\n", encoding="utf-8")
        touched.append(build(projects["pubs"], fresh=False))
    row = {
        "pubs_s": median(results["pubs"], "seconds"),
        "bibtex_s": median(results["bibtex"], "seconds"),
        "empty_s": median(results["empty"], "seconds"),
        "pybtex_s": median(parse, "seconds"),
        "pubs_mb": median(results["pubs"], "maxrss_mb"),
        "bibtex_mb": median(results["bibtex"], "maxrss_mb"),
        "noop_s": median(noop, "seconds"),
        "touched_s": median(touched, "seconds"),
    }
    row["ratio"] = row["pubs_s"] / row["bibtex_s"]
    row["vs_floor"] = row["pubs_s"] / (row["pybtex_s"] + row["empty_s"])
    row["mem_ratio"] = row["pubs_mb"] / row["bibtex_mb"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bib", type=Path, nargs="*", default=[], help="real files too")
    parser.add_argument("--no-abstracts-only", action="store_true")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    cases: list[tuple[str, Path]] = []
    for size in args.sizes:
        for abstracts in (False, True):
            if abstracts and args.no_abstracts_only:
                continue
            name = f"gen{size}{'-abs' if abstracts else ''}"
            path = WORK / f"{name}.bib"
            generate(path, size, abstracts)
            cases.append((name, path))
    cases += [(path.stem, path) for path in args.bib]
    header = (
        f"{'file':<16}{'pubs s':>8}{'bibtex s':>10}{'ratio':>7}{'pybtex s':>10}"
        f"{'empty s':>9}{'/floor':>7}{'noop s':>8}{'touch s':>8}{'pubs MB':>9}"
        f"{'bibtex MB':>10}{'mem':>6}"
    )
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.runs} runs, medians")
    print(header)
    for name, path in cases:
        r = bench_file(name, path, args.runs)
        print(
            f"{name:<16}{r['pubs_s']:>8.2f}{r['bibtex_s']:>10.2f}{r['ratio']:>7.2f}"
            f"{r['pybtex_s']:>10.2f}{r['empty_s']:>9.2f}{r['vs_floor']:>7.2f}"
            f"{r['noop_s']:>8.2f}{r['touched_s']:>8.2f}{r['pubs_mb']:>9.0f}"
            f"{r['bibtex_mb']:>10.0f}{r['mem_ratio']:>6.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
