"""Peak memory of ``extract(text).to_json()`` per page, relative to the page's size.

    python benchmarks/bench_memory.py [--sizes 1,10] [--cases refs,links] [--no-trace]

Each case runs in a fresh subprocess, so that one case's heap never inflates another's.
The child builds the page, then measures around ``extract(text).to_json()``:

- ``rss``: growth of the peak resident set (``ru_maxrss``) over the peak before the call,
  what the operating system (and a worker's memory limit) sees; ``rss/in`` relates it to
  the page's UTF-8 size.  The goal is under 20.
- ``json``: the size of the record's JSON, and ``rss/(in+out)`` the peak over input plus
  output.  A record has an inherent size: a page of nothing but ``<ref>x</ref>`` gives a
  300-byte citation per 12 input bytes, so its JSON alone is ~35x the input, and the attrs
  records behind it are larger again (``to_json()`` adds only the JSON: orjson asks for
  one record's fields at a time).  For such pages ``rss/(in+out)`` is the figure.
- In a second child, under tracemalloc (which slows the run several times; ``--no-trace``
  skips it): ``extract/in``, the peak of ``extract()`` alone, ``record/in``, what the
  returned record holds, and ``json/in``, the peak of ``to_json()`` on top of the record.
  ``extract/in`` minus ``record/in`` is what the parse and the extractors hold beyond
  their result: it too should stay under 20.

``table`` is a page of one 10 MB wikitable: one construct, read in rows (see
:mod:`extractor.parse.walk_tokens`).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "wikitext" / "en"


def _repeat(unit: str, head: str = "", tail: str = "") -> Callable[[int], str]:
    """A page of ``unit`` repeated to ``size`` bytes (between ``head`` and ``tail``)."""
    return lambda size: head + unit * (size // len(unit.encode("utf-8"))) + tail


def _real(size: int) -> str:
    """The English corpus pages joined (and cycled) up to ``size`` bytes."""
    pages = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.wiki"))]
    if not pages:
        raise SystemExit(f"no pages in {CORPUS}")
    parts: list[str] = []
    total = 0
    while total < size:
        for page in pages:
            parts.append(page)
            total += len(page.encode("utf-8"))
            if total >= size:
                break
    return "\n".join(parts)


CASES: dict[str, Callable[[int], str]] = {
    "refs": _repeat("<ref>x</ref>"),
    "cite refs": _repeat("<ref>{{cite web|url=http://a.b/c|title=t}}</ref>"),
    "categories": _repeat("[[Category:X]]"),
    "prose dates": _repeat("On 3 May 1990 the town grew. "),
    "headings": _repeat("== H ==\n"),
    "links": _repeat("[[link]] "),
    "real pages": _real,
    "table": _repeat("|-\n| [[A b]] || 1990 || x\n", '{| class="wikitable"\n', "|}\n"),
}


def _child(case: str, megabytes: float, trace: bool) -> None:
    """Run one case and print its figures as one JSON line."""
    from extractor import extract

    text = CASES[case](int(megabytes * 1e6))
    size = len(text.encode("utf-8"))
    gc.collect()
    if trace:
        tracemalloc.start()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    article = extract(text)
    traced = tracemalloc.get_traced_memory() if trace else (0, 0)
    if trace:
        tracemalloc.reset_peak()
    output = article.to_json()
    serialized = tracemalloc.get_traced_memory()[1] - traced[0] if trace else 0
    seconds = time.process_time() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = {"input": size, "output": len(output), "rss": (after - before) * 1024}
    traces = {"extract": traced[1], "record": traced[0], "json": serialized}
    print(json.dumps({**figures, **traces, "seconds": seconds}))


def _run(case: str, megabytes: float, trace: bool) -> dict[str, float]:
    """The figures of one case, measured in a fresh interpreter."""
    command = [sys.executable, __file__, "--child", case, str(megabytes)]
    result = subprocess.run(
        [*command, *(["--trace"] if trace else [])], capture_output=True, text=True, check=True
    )
    figures: dict[str, float] = json.loads(result.stdout)
    return figures


def main() -> None:
    """Print one line per case and size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10", help="page sizes in MB, comma-separated")
    parser.add_argument("--cases", default=",".join(CASES), help="cases, comma-separated")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], float(args.child[1]), args.trace)
        return
    print(
        f"{'case':12s} {'in MB':>6s} {'json MB':>8s} {'rss MB':>8s} {'rss/in':>7s}"
        f" {'rss/(in+out)':>12s} {'extract/in':>10s} {'record/in':>9s} {'json/in':>7s}"
        f" {'cpu s':>6s}"
    )
    for case in args.cases.split(","):
        for megabytes in (float(s) for s in args.sizes.split(",")):
            run = _run(case, megabytes, trace=False)
            traced = {} if args.no_trace else _run(case, megabytes, trace=True)
            size, out = run["input"], run["output"]
            ratios = [traced.get(key, 0.0) / size for key in ("extract", "record", "json")]
            print(
                f"{case:12s} {size / 1e6:6.2f} {out / 1e6:8.1f} {run['rss'] / 1e6:8.1f}"
                f" {run['rss'] / size:7.1f} {run['rss'] / (size + out):12.1f}"
                f" {ratios[0]:10.1f} {ratios[1]:9.1f} {ratios[2]:7.1f} {run['seconds']:6.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
