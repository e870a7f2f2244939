"""How extraction time grows on pathological pages: linear stages grow ~4x for 4x the input.

    python benchmarks/bench_pathological.py

Each construct is timed (CPU, best of 2) at size n and 4n; the ratio is printed.  Known:
mwparserfromhell's tokenizer is quadratic on unclosed templates and external links (those
pages are cut off by ``extractor dump``'s page timeout); our stages should stay ~4x.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from extractor import extract
from extractor.facts.sections import extract_sections
from extractor.parse import parse

CASES: list[tuple[str, Callable[[int], object], int]] = [
    ("sections over n headings",
     lambda n: extract_sections(parse("== H ==\n" * n, "wikitext")), 4000),
    ("extract, n nested <ref>", lambda n: extract("<ref>" * n + "x" + "</ref>" * n), 25),
    ("extract, n templates", lambda n: extract("{{a|b=c}} " * n), 5000),
    ("extract, template with n params", lambda n: extract("{{a" + "|x=y" * n + "}}"), 5000),
    ("extract, n nested {{", lambda n: extract("{{" * n + "x" + "}}" * n), 2000),
    ("parse, n unclosed '{{a|' (tokenizer)", lambda n: parse("{{a|" * n, "wikitext"), 300),
    ("parse, n unclosed '[http://x a ' (tokenizer)",
     lambda n: parse("[http://x.org a " * n, "wikitext"), 500),
]  # fmt: skip


def _best(run: Callable[[int], object], size: int) -> float:
    times = []
    for _ in range(2):
        started = time.process_time()
        run(size)
        times.append(time.process_time() - started)
    return max(min(times), 1e-4)


def main() -> None:
    """Print one line per construct: seconds at n and 4n, and their ratio."""
    print(f"{'construct':48s} {'n':>6s} {'s(n)':>8s} {'s(4n)':>8s} {'ratio':>6s}")
    for name, run, n in CASES:
        small, large = _best(run, n), _best(run, 4 * n)
        print(f"{name:48s} {n:6d} {small:8.3f} {large:8.3f} {large / small:6.1f}")


if __name__ == "__main__":
    main()
