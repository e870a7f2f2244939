"""CS1 parity: our citation fields beside Wikipedia's own CS1 module, field by field.

    python benchmarks/fidelity_cs1.py [CORPUS_DIR] [--out FILE] [--show N]

The oracle is wikiciteparser (``pip install -e '.[oracle]'``), which runs a copy of
Module:Citation/CS1 in Lua (lupa) and returns what the module hands to its COinS metadata.
Every citation template of the shared corpus's English pages (``wikitext/en``, the English
pages of ``wikitext/other``, the flat-dialect pages of ``tpl/pages`` and the English dumps,
each distinct page text once) with an English CS1 name whose class the module knows is given
to it with the parameters we read, and its answer is compared with our record.

A field is *compared* when either side has a value.  It *agrees* when both give the same
value once both are normalized alike (white space collapsed, dashes unified); it is a
*documented* difference when it differs in one of the ways registered below with
:func:`documented` (the README says why we differ); else it *differs*.  Agreement is printed
without and with the documented differences; every difference, documented or not, goes to
``--out`` as one JSON line.

This is a measurement printing figures, not a test.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import mwparserfromhell

from extractor import Page, extract_page, read_pages
from extractor.facts.cs1 import _split_full_name, citation_kind
from extractor.records import Citation

try:
    from wikiciteparser.en import citation_template_classes
    from wikiciteparser.parser import parse_citation_dict
except ImportError:  # a usage error, said in one line
    sys.exit("fidelity_cs1: needs wikiciteparser: pip install -e '.[oracle]'")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
OUT = ROOT / "benchmarks" / "_work" / "fidelity_cs1.jsonl"  # benchmarks/_work/ is ignored

#: Normalized template name -> the module's CitationClass: wikiciteparser's own table, and
#: ``cite magazine``, a class its Lua module handles but its table leaves out.
_CLASSES: dict[str, str] = {
    **{name.lower(): cls for name, cls in citation_template_classes.items()},
    "cite magazine": "magazine",
}

#: Identifier kinds the module's ``id_handlers`` know (newer kinds such as s2cid are ours).
_ORACLE_KINDS = frozenset(
    {
        "arxiv", "asin", "bibcode", "doi", "isbn", "ismn", "issn", "jfm", "jstor", "lccn", "mr",
        "oclc", "ol", "osti", "pmc", "pmid", "rfc", "ssrn", "zbl",
    }
)  # fmt: skip

#: The module's answer field for each of ours that some classes leave out.
_ANSWERS = {"volume": "Volume", "issue": "Issue"}
FIELDS = (
    "title", "authors", "date", "url", "archive_url", "work", "publisher", "location",
    "volume", "issue", "pages", "identifiers",
)  # fmt: skip


@attrs.frozen
class Case:
    """One field of one citation: our value, the module's, and what the template said."""

    field: str
    ours: Any
    theirs: Any
    params: dict[str, str]
    cls: str


Documented = Callable[[Case], bool]
_DOCUMENTED: dict[str, list[tuple[str, Documented]]] = {}


def documented(*fields: str, name: str) -> Callable[[Documented], Documented]:
    """Register ``test`` as a documented difference ``name`` of these fields."""

    def register(test: Documented) -> Documented:
        for field in fields:
            _DOCUMENTED.setdefault(field, []).append((name, test))
        return test

    return register


# --- the corpus -------------------------------------------------------------------------------


def corpus_pages(corpus: Path) -> Iterator[tuple[str, Page]]:
    """(where, page) for every English page of the corpus, each distinct text once."""
    seen: set[str] = set()
    manifest = [json.loads(line) for line in (corpus / "MANIFEST.jsonl").open(encoding="utf-8")]
    sources: list[tuple[str, Path, str | None]] = [
        (entry["file"], corpus / entry["file"], "wikitext")
        for entry in manifest
        if entry["lang"] in ("en", "simple") and entry["file"].startswith("wikitext/")
    ]
    sources += [(f"tpl/pages/{p.name}", p, "flat") for p in sorted(corpus.glob("tpl/pages/*"))]
    dumps = json.loads((corpus / "dumps" / "DUMPS.json").read_text(encoding="utf-8"))
    sources += [
        (d["file"], corpus / d["file"], None)
        for d in dumps
        if d.get("lang") == "en" and not d["file"].endswith("-index.txt.bz2")
    ]
    for where, path, dialect in sources:
        for page in read_pages(path):
            digest = hashlib.sha256(page.text.encode("utf-8", "surrogatepass")).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            if dialect is not None:
                page = Page(text=page.text, title=page.title or path.stem, dialect=dialect)
            yield f"{where}#{page.title}", page


def oracle_class(cite: Citation) -> str | None:
    """The module's CitationClass for a citation of an English CS1 template, else None
    (localized templates such as ``Literatur`` have parameter names the module lacks)."""
    if cite.template is None or citation_kind(cite.template) is None:
        return None
    name = cite.template
    if name not in _CLASSES and not name.startswith("vcite "):  # a redirect: its target's
        name = "citation" if cite.kind == "citation" else f"cite {cite.kind}"
    return _CLASSES.get(name)


# --- the two sides, normalized alike --------------------------------------------------------

_DASHES = re.compile(r"\s*[–—−‐-]\s*")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _pages(value: Any) -> str | None:
    text = _text(value)
    return None if text is None else _DASHES.sub("-", text)


def _people(people: Any) -> list[tuple[str | None, str | None]] | None:
    if not people:
        return None
    return [(_text(p.get("last")), _text(p.get("first"))) for p in people]


def ours(cite: Citation) -> dict[str, Any]:
    """Our record's fields in the compared form."""
    return {
        "title": _text(cite.title),
        "authors": [(_text(a.last), _text(a.first)) for a in cite.authors] or None,
        "date": cite.date,
        "url": _text(cite.url),
        "archive_url": _text(cite.archive_url),
        "work": _text(cite.work),
        "publisher": _text(cite.publisher),
        "location": _text(cite.location),
        "volume": _text(cite.volume),
        "issue": _text(cite.issue),
        "pages": _pages(cite.pages),
        "identifiers": {i.kind: i.raw.strip() for i in cite.identifiers if i.kind in _ORACLE_KINDS}
        or None,
    }


def theirs(result: dict[str, Any]) -> dict[str, Any]:
    """The module's answer in the compared form."""
    ids = result.get("ID_list") or {}
    return {
        "title": _text(result.get("Title")),
        "authors": _people(result.get("Authors")),
        "date": _text(result.get("Date")),
        "url": _text(result.get("URL")),
        "archive_url": _text(result.get("ArchiveURL")),
        "work": _text(result.get("Periodical") or result.get("Encyclopedia")),
        "publisher": _text(result.get("PublisherName")),
        "location": _text(result.get("PublicationPlace")),
        "volume": _text(result.get("Volume")),
        "issue": _text(result.get("Issue")),
        "pages": _pages(result.get("Pages")),
        "identifiers": {
            kind.lower(): str(value).strip()
            for kind, value in ids.items()
            if kind.lower() in _ORACLE_KINDS and _text(value)
        }
        or None,
    }


# --- the differences we make on purpose (README, "CS1 parity") ------------------------------

#: Field -> the parameters it is read from, for the tests below.
_PARAMS = {
    "title": ("title",),
    "work": ("website", "work", "journal", "newspaper", "magazine"),
    "publisher": ("publisher",),
    "date": ("date", "year"),
}
_QUOTE_RUNS = re.compile(r"''+")
_CHAPTER_URLS = ("chapter-url", "chapterurl", "contribution-url", "section-url", "entry-url")


def _strip_code(raw: str) -> str | None:
    return _text(mwparserfromhell.parse(raw).strip_code())


@documented("title", "work", "publisher", name="inline template rendered")
def _template_text(case: Case) -> bool:
    """``{{!}}``, ``{{ndash}}``: we show what they render; the module's strip_code drops them."""
    raws = [case.params[p] for p in _PARAMS[case.field] if p in case.params]
    return any("{{" in raw and _strip_code(raw) == case.theirs for raw in raws)


@documented("title", "work", "publisher", name="apostrophes removed as MediaWiki does")
def _inner_italics(case: Case) -> bool:
    """The module strips only outer ``''``; we remove every italic or bold run."""
    return bool(case.theirs) and _text(_QUOTE_RUNS.sub("", case.theirs)) == case.ours


@documented("title", name="title= kept, not the container")
def _container_title(case: Case) -> bool:
    """cite conference/episode: the module's metadata calls the book-title, conference or
    series the title (title= becomes its chapter); we keep title= as the title."""
    containers = ("book-title", "booktitle", "conference", "series")
    return any(
        _strip_code(case.params[p]) == case.theirs for p in containers if p in case.params
    ) and case.ours == _text(case.params.get("title"))


@documented("date", name="a range's start")
def _range_start(case: Case) -> bool:
    """``May–June 2006`` is ``2006-05`` for us, ``2006-05/2006-06`` for the module."""
    return bool(case.theirs) and "/" in case.theirs and case.theirs.split("/")[0] == case.ours


@documented("date", name="a date CS1 rejects for its style only")
def _style_only(case: Case) -> bool:
    """``c. 2006``, ``Oct. 2, 2005``: one date, written in a style CS1 flags; we read it."""
    raws = [case.params[p] for p in _PARAMS["date"] if p in case.params]
    style = re.compile(r"^c\.\s|\b[A-Z][a-z]{2,3}\.\s")
    return case.theirs is None and any(style.search(raw) for raw in raws)


@documented("url", name="PMC link added by CS1")
def _pmc_link(case: Case) -> bool:
    """cite journal without url=: CS1 links the title to the PMC copy; ours stays None (the
    PMC id is in identifiers)."""
    return case.ours is None and "pmc" in case.params and "/pmc/articles/PMC" in case.theirs


@documented("url", name="url= kept over chapter-url=")
def _chapter_url(case: Case) -> bool:
    """Both given: the module's metadata takes the chapter's URL, we keep url=."""
    chapter = [case.params[p] for p in _CHAPTER_URLS if case.params.get(p)]
    return bool(chapter) and case.theirs == _text(chapter[0])


@documented("volume", "issue", name="kept where this class does not show it")
def _not_shown(case: Case) -> bool:
    """cite web's volume, cite book's issue, cite episode's number: this class of the module
    leaves them out of its metadata (asked with a probe); we keep what the editor wrote."""
    return case.theirs is None and not _shows(case.cls, case.field)


@functools.cache
def _shows(cls: str, field: str) -> bool:
    """Whether the module's class ``cls`` gives ``field`` back at all."""
    answer = parse_citation_dict({"title": "T", field: "1"}, template_name=cls)
    return bool(answer.get(_ANSWERS[field]))


@documented("pages", name="brackets kept")
def _brackets(case: Case) -> bool:
    """``246–258 [247]``: the module's metadata drops square brackets."""
    return bool(case.ours) and case.ours.replace("[", "").replace("]", "") == case.theirs


@documented("authors", name='unmistakable "Last, First" split')
def _split(case: Case) -> bool:
    """``author=Cohen, Susan A.``: the module keeps the name whole; we split it, when our
    rule calls it unmistakable (README; every split of the corpus was read by hand)."""
    if not case.ours or not case.theirs or len(case.ours) != len(case.theirs):
        return False
    return all(
        mine == other or (other[1] is None and _split_full_name(other[0]) == mine)
        for mine, other in zip(case.ours, case.theirs, strict=True)
    )


@documented("authors", name="a first name without a last name kept")
def _first_only(case: Case) -> bool:
    """``first2=SB`` without ``last2=``: CS1 drops the name (an error); we keep it, with a
    problem."""
    kept = [person for person in case.ours or () if person[0] is not None]
    return len(kept) < len(case.ours or ()) and (kept or None) == case.theirs


@documented("url", name="a leading ':' kept")
def _leading_colon(case: Case) -> bool:
    """``url=:http://…``: kept as written (with a problem); the module's strip_code reads the
    ``:`` as list markup."""
    return bool(case.ours) and case.ours.startswith(":") and case.ours[1:] == case.theirs


@documented("authors", name="free-form list read")
def _free_list(case: Case) -> bool:
    """authors=, people=, credits=: CS1 shows them as written and puts no names into its
    metadata; we list them (one person per ``;``)."""
    return case.theirs is None and any(p in case.params for p in ("authors", "people", "credits"))


# --- comparison ---------------------------------------------------------------------------


def judge(case: Case) -> str:
    """``agree``, the name of a documented difference, or ``differ``."""
    if case.ours == case.theirs:
        return "agree"
    for name, test in _DOCUMENTED.get(case.field, ()):
        if test(case):
            return name
    return "differ"


def run(corpus: Path, out: Path, show: int) -> dict[str, Counter[str]]:
    """Compare every known citation template; write differences; return counts per field."""
    counts: dict[str, Counter[str]] = {field: Counter() for field in FIELDS}
    skipped: Counter[str] = Counter()
    templates = pages = shown = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as sink:
        for where, page in corpus_pages(corpus):
            pages += 1
            for cite in extract_page(page).citations:
                cls = oracle_class(cite)
                if cls is None:
                    if cite.template is not None and cite.kind not in ("bare", "short", "text"):
                        skipped[cite.template] += 1
                    continue
                params = {name.strip(): value.strip() for name, value in cite.params}
                try:
                    result = parse_citation_dict(dict(params), template_name=cls)
                except Exception as exc:  # the Lua module fails on a few inputs
                    skipped[f"{cite.template} (module error: {type(exc).__name__})"] += 1
                    continue
                templates += 1
                mine, other = ours(cite), theirs(result)
                for field in FIELDS:
                    if mine[field] is None and other[field] is None:
                        continue
                    case = Case(field, mine[field], other[field], params, cls)
                    verdict = judge(case)
                    counts[field][verdict] += 1
                    if verdict == "agree":
                        continue
                    record = {
                        "field": field,
                        "verdict": verdict,
                        "ours": mine[field],
                        "theirs": other[field],
                        "page": where,
                        "template": cite.template,
                        "class": cls,
                        "params": cite.params,
                    }
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                    if verdict == "differ" and shown < show:
                        shown += 1
                        print(json.dumps(record, ensure_ascii=False)[:400], file=sys.stderr)
    print(f"{pages} distinct pages, {templates} citation templates compared")
    if skipped:
        top = ", ".join(f"{name} {n}" for name, n in skipped.most_common(8))
        print(f"not compared (no CS1 class the module knows): {sum(skipped.values())}: {top}")
    return counts


def table(counts: dict[str, Counter[str]]) -> str:
    """Agreement per field as a Markdown table."""
    lines = [
        "| field | compared | agree | documented | differ | agreement | with documented |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for field in FIELDS:
        c = counts[field]
        total, agree, differ = sum(c.values()), c["agree"], c["differ"]
        raw = 100 * agree / total if total else 100.0
        after = 100 * (total - differ) / total if total else 100.0
        lines.append(
            f"| {field} | {total} | {agree} | {total - agree - differ} | {differ} "
            f"| {raw:.1f}% | {after:.1f}% |"
        )
    return "\n".join(lines)


def main() -> None:
    """Compare, then print the table, the documented differences and where they went."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=OUT, help=f"differences (default {OUT})")
    parser.add_argument("--show", type=int, default=0, help="print the first N differences")
    args = parser.parse_args()
    start = time.perf_counter()
    counts = run(args.corpus, args.out, args.show)
    print(table(counts))
    noted: Counter[str] = Counter()
    for c in counts.values():
        noted.update({k: n for k, n in c.items() if k not in ("agree", "differ")})
    for name, n in noted.most_common():
        print(f"documented: {name}: {n}")
    print(f"differences written to {args.out} ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
