"""Short citations ({{sfn}}, {{harvnb}}, {{sfnm}}, ...) linked to the full citations they name,
{{rp}} and {{r}}, list-defined references: real text of the shared corpus and the samples where
it occurs, and a property: a generated short/full pair always links."""

from __future__ import annotations

import copy
import json
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract
from extractor.locales import LocaleError, _parse_footnotes, footnotes
from extractor.records import Article, Citation
from tests.paths import SAMPLES, require_shared

CORPUS = require_shared() / "corpus" / "wikitext"


def _page(path: str) -> tuple[str, Article]:
    text = (CORPUS / path).read_text(encoding="utf-8")
    return text, extract(text)


def _at(article: Article, text: str, piece: str) -> list[Citation]:
    """The citations standing in the first occurrence of ``piece``."""
    start = text.index(piece)
    return [c for c in article.citations if start <= c.span[0] < start + len(piece)]


def test_sfn_outside_refs_links_to_the_cite_book_of_its_name_and_year() -> None:
    """Aldous Huxley: {{sfn|Roy|2003}} in prose names {{citation |last=Roy |year=2003}}."""
    text = (SAMPLES / "Aldous_Huxley.wiki").read_text(encoding="utf-8")
    article = extract(text)
    first, second = (c for c in article.citations if c.template == "sfn")
    target = article.citations[first.target or 0]
    assert ("short", None, "CITEREFRoy2003", ()) == (
        first.kind, first.ref, first.anchor, first.problems
    )  # fmt: skip
    assert first.target == second.target
    assert ("citation", "CITEREFRoy2003", "Roy", "2003") == (
        target.template, target.anchor, target.authors[0].last, target.date
    )  # fmt: skip
    assert text[first.span[0] : first.span[1]] == "{{sfn|Roy|2003}}"


def test_harvnb_in_a_named_ref_links_and_keeps_its_page() -> None:
    """Aardwolf: <ref name=mh33>{{harvnb|Mills|Harvey|2001|p=33}}</ref>, cited by name once
    before and once after, names {{cite book |last1=Mills |last2=Harvey |year=2001 ...}}."""
    text, article = _page("en/Aardwolf.wiki")
    (short,) = _at(article, text, "{{harvnb|Mills|Harvey|2001|p=33}}")
    assert ("harvnb", "CITEREFMillsHarvey2001", "33", "mh33", 2) == (
        short.template, short.anchor, short.pages, short.ref and short.ref.name,
        short.ref and short.ref.reuses,
    )  # fmt: skip
    assert "African Predators" == article.citations[short.target or 0].title
    assert ["name", "ref", "name"] == [use.kind for use in short.uses]


def test_several_short_citations_in_one_ref_are_several_citations_of_it() -> None:
    """Ayn Rand: <ref>{{harvnb|Branden|1986|p=71}}; {{harvnb|Gladstein|1999|p=9}}</ref> is two
    citations of one ref, each linked, sharing the ref's one use and its claim."""
    text, article = _page("en/Ayn_Rand.wiki")
    piece = "<ref>{{harvnb|Branden|1986|p=71}}; {{harvnb|Gladstein|1999|p=9}}</ref>"
    first, second = _at(article, text, piece)
    titles = [article.citations[c.target or 0].title for c in (first, second)]
    assert ["The Passion of Ayn Rand", "The New Ayn Rand Companion"] == titles
    assert [("71", ()), ("9", ())] == [(c.pages, c.problems) for c in (first, second)]
    assert first.uses == second.uses and len(first.uses) == 1
    assert text[first.uses[0].span[0] : first.uses[0].span[1]] == piece


def test_ref_harvid_gives_a_specific_source_template_its_anchor() -> None:
    """Aardvark: {{MSW3 Tubulidentata |ref={{harvid|Schlitter|2005}}}} is a citation (kind
    other) that {{harvnb|Schlitter|2005|p=86}} names."""
    text, article = _page("en/Aardvark.wiki")
    (short,) = _at(article, text, "{{harvnb|Schlitter|2005|p=86}}")
    target = article.citations[short.target or 0]
    assert ("msw3 tubulidentata", "other", "CITEREFSchlitter2005") == (
        target.template, target.kind, target.anchor
    )  # fmt: skip
    assert (short.pages, short.problems) == ("86", ())


def test_publication_date_gives_the_year_when_date_and_year_are_not_set() -> None:
    """Aristotle: {{cite book |last=Cicero |publication-date=1874 |ref=harv}} is what
    {{sfn|Cicero|1874|loc=§ 119}} names (CS1 promotes publication-date to date)."""
    text, article = _page("en/Aristotle.wiki")
    (short,) = _at(article, text, "{{sfn|Cicero|1874|loc=§ 119}}")
    assert ("CITEREFCicero1874", "§ 119", ()) == (short.anchor, short.pages, short.problems)
    assert "The Academica of Cirero" == article.citations[short.target or 0].title


def test_a_short_citation_naming_no_anchor_is_a_problem() -> None:
    """Abortion: {{sfn|Doan|2007}} names CITEREFDoan2007, but the book has
    author=Alesha E. Doan (CITEREFAlesha_E._Doan2007): Wikipedia's harv check reports it."""
    text, article = _page("en/Abortion.wiki")
    (short,) = _at(article, text, "{{sfn|Doan|2007|p=57}}")
    assert (None, ("sfn target not found: CITEREFDoan2007",)) == (short.target, short.problems)
    (book,) = [c for c in article.citations if c.anchor == "CITEREFAlesha_E._Doan2007"]
    assert "Opposition and Intimidation:The abortion wars and strategies of political harassment" \
        == book.title  # fmt: skip


def test_an_anchor_of_two_citations_is_a_problem_and_the_first_is_the_target() -> None:
    """Ayn Rand: two books of Rand 1995 (We the Living, Letters of Ayn Rand)."""
    _, article = _page("en/Ayn_Rand.wiki")
    owners = [c.index for c in article.citations if c.anchor == "CITEREFRand1995"
              and c.kind != "short"]  # fmt: skip
    shorts = [c for c in article.citations if c.anchor == "CITEREFRand1995" and c.kind == "short"]
    assert len(owners) == 2 and shorts
    for short in shorts:
        assert short.target == owners[0]
        assert "sfn multiple targets (2×): CITEREFRand1995" in short.problems


def test_sfnm_names_each_source_with_its_own_pages() -> None:
    """{{sfnm}} (no use in the corpus): source N is |Na1=..|Ny=|Np=."""
    text = (
        "A claim.{{sfnm|1a1=Smith|1y=2006|1p=5|2a1=Jones|2a2=Roe|2y=2001|2pp=3–4}}\n"
        "== Sources ==\n* {{cite book |last=Smith |year=2006 |title=A}}\n"
        "* {{cite book |last1=Jones |last2=Roe |date=May 2001 |title=B}}\n"
    )
    citations = extract(text).citations
    assert [("CITEREFSmith2006", 2, "5"), ("CITEREFJonesRoe2001", 3, "3–4")] == [
        (c.anchor, c.target, c.pages) for c in citations if c.kind == "short"
    ]
    assert (("2a1", "Jones"), ("2a2", "Roe"), ("2y", "2001"), ("2pp", "3–4")) == citations[1].params
    assert citations[0].span == citations[1].span


@pytest.mark.parametrize(
    ("params", "anchor"),
    [
        ("last=Smith |date=2007a", "CITEREFSmith2007a"),
        ("last=Smith |date=n.d.", "CITEREFSmithn.d."),
        ("last=Smith |date=c. 1900", "CITEREFSmithc._1900"),
        ("last=Smith |date=1999–2000", "CITEREFSmith1999–2000"),
        ("last=Smith |date=2007-05-01", "CITEREFSmith2007"),
        ("last=Smith |date=2007-05-01 |year=2007b", "CITEREFSmith2007b"),
        ("last=Smith |date=5 May 2007", "CITEREFSmith2007"),
        ("editor-last=Smith |year=2007", "CITEREFSmith2007"),
        ("last1=A |last2=B |last3=C |last4=D |last5=E |year=2007", "CITEREFABCD2007"),
        ("last=van der Berg |year=2007", "CITEREFvan_der_Berg2007"),
        ("author=Reitman, Jason |date=2007-11-04", "CITEREFReitman,_Jason2007"),
        ("author=Jason Reitman |date=2007-11-04", "CITEREFJason_Reitman2007"),
        ("last=Smith |year=2007 |ref=none", None),
        ("last=Smith |year=2007 |ref=harv", "CITEREFSmith2007"),
        ("last=Smith |year=2007 |ref=CITEREFSmithAlone", "CITEREFSmithAlone"),
        ("last=Smith |year=2007 |ref={{sfnref|Anon|2007}}", "CITEREFAnon2007"),
        ("title=Untitled", None),
    ],
)
def test_cs1_anchors(params: str, anchor: str | None) -> None:
    """The CITEREF anchor as Module:Citation/CS1 makes it."""
    (cite,) = extract(f"{{{{cite book |{params}}}}}").citations
    assert anchor == cite.anchor


def test_rp_gives_its_pages_to_the_ref_use_right_before_it() -> None:
    """ASCII: <ref name=kenz>...</ref>{{rp|223}}, and its reuses with their own {{rp}}."""
    text, article = _page("en/ASCII.wiki")
    (kenz,) = [c for c in article.citations if c.ref and c.ref.name == "kenz"]
    pages = [use.pages for use in kenz.uses]
    assert kenz.ref is not None and len(kenz.uses) == kenz.ref.reuses + 1
    first = kenz.uses[0]
    assert ("ref", "223") == (first.kind, first.pages)
    assert text[first.span[1] : first.span[1] + 10] == "{{rp|223}}"
    assert "211" in pages and "215, 236 § 4" in pages


def test_r_template_is_a_use_of_the_named_ref() -> None:
    """{{r|a|p=5}} (no use in the corpus) is <ref name=a /> with page 5."""
    (cite,) = extract('One.<ref name="a">{{cite web |title=A}}</ref> Two.{{r|a|p=5}}').citations
    assert [("ref", None, "One."), ("name", "5", "Two.")] == [
        (u.kind, u.pages, u.claim and u.claim.text) for u in cite.uses
    ]


def test_list_defined_refs_are_defined_where_listed_and_used_where_named() -> None:
    """Albedo: {{Reflist|refs=<ref name="Goode">...}}: the definition is no use, so the one
    <ref name="Goode"/> in prose is its only use (reuses 0, as MediaWiki shows it)."""
    text = (SAMPLES / "Albedo.wiki").read_text(encoding="utf-8")
    (goode,) = [c for c in extract(text).citations if c.ref and c.ref.name == "Goode"]
    (use,) = goode.uses
    assert (0, "name") == (goode.ref and goode.ref.reuses, use.kind)
    assert text[use.span[0] : use.span[1]] == '<ref name="Goode"/>'
    assert use.claim is not None and use.claim.text == "The average albedo of Earth is about 0.3."
    listed = extract("Body.<ref name=a/>\n<references><ref name=a>{{cite web|title=A}}</ref>"
                     "</references>").citations  # fmt: skip
    assert [("name", "Body.")] == [(u.kind, u.claim and u.claim.text) for u in listed[0].uses]


def test_short_citations_of_the_corpus_mostly_link() -> None:
    """Over the shared corpus, at least 95% of short citations find their target (the rest
    are the ones Wikipedia's harv check reports too: wrong year, wrong name, no bibliography)."""
    found = linked = 0
    for path in sorted(CORPUS.glob("*/*.wiki")):
        for c in extract(path.read_text(encoding="utf-8")).citations:
            if c.kind == "short":
                found += 1
                linked += c.target is not None
                assert (c.target is None) == any("not found" in p for p in c.problems)
    assert found > 700
    assert linked / found >= 0.95


# --- the data file ----------------------------------------------------------------------


def _data() -> dict[str, object]:
    text = resources.files("extractor.locales").joinpath("footnotes.json").read_text("utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def test_footnotes_data_is_read_and_checked() -> None:
    """footnotes.json's names are normalized; a file that breaks the format names the key."""
    fn = footnotes()
    assert {"sfn", "harvnb", "harvard citation no brackets"} <= fn.short_citations.names
    assert ("rp" in fn.page_templates, "reflist" in fn.reference_lists) == (True, True)
    for key, value, message in [
        ("short_citations", {"names": []}, "short_citations.names"),
        ("numbered_short_citations", {"names": ["sfnm"], "pages": [["p"]]}, "last"),
        ("page_templates", {"names": ["rp"], "pages": []}, "page_templates.pages"),
        ("sentence_abbreviations", ["St."], "sentence_abbreviations"),
        ("sources", {}, "sources"),
    ]:
        data = copy.deepcopy(_data())
        data[key] = value
        with pytest.raises(LocaleError, match=message):
            _parse_footnotes("footnotes.json", data)


# --- property -----------------------------------------------------------------------------

_LAST = st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-z]{1,6})?", fullmatch=True)
_YEAR = st.builds(lambda y, letter: f"{y}{letter}", st.integers(1500, 2030),
                  st.sampled_from(["", "", "a", "b"]))  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    lasts=st.lists(_LAST, min_size=1, max_size=5, unique=True),
    year=_YEAR,
    template=st.sampled_from(sorted(footnotes().short_citations.names - {"citeref"})),
    date_form=st.sampled_from(["year", "date", "date ymd", "date mdy", "publication-date"]),
    in_ref=st.booleans(),
    before=st.booleans(),
)
def test_a_generated_short_citation_always_links_to_its_full_citation(
    lasts: list[str], year: str, template: str, date_form: str, in_ref: bool, before: bool
) -> None:
    """A short citation naming up to four of a citation's last names and its year links to
    it, whatever the template, the date parameter, and where either stands."""
    names = "".join(f"|last{i} = {last} " for i, last in enumerate(lasts, 1))
    plain = year.rstrip("ab")
    date = {
        "year": f"|year={year}",
        "date": f"|date={year}",
        "date ymd": f"|date={plain}-04-05 |year={year}",
        "date mdy": f"|date=April 5, {year}",
        "publication-date": f"|publication-date={year}",
    }[date_form]
    full = f"{{{{cite book {names}{date} |title=T}}}}"
    short = f"{{{{{template}|{'|'.join(lasts[:4])}|{year}|p=7}}}}"
    if in_ref:
        short = f"<ref>{short}</ref>"
    body = f"A statement.{short} More text."
    text = f"{full}\n\n{body}" if before else f"{body}\n== Sources ==\n* {full}\n"
    citations = extract(text).citations
    (link,) = [c for c in citations if c.kind == "short"]
    (book,) = [c for c in citations if c.kind == "book"]
    assert (book.index, (), "7") == (link.target, link.problems, link.pages)
    assert link.anchor == book.anchor


def test_odd_positional_names_never_raise() -> None:
    """A superscript digit (``²=``) or a name of 5,000 digits is no position: no int() of
    it escapes extract() (found in review)."""
    huge = "9" * 5000
    for page in (
        "{{sfn|²=x}}",
        "x<ref>{{cite book |last=A |year=2000 |ref={{harvid|²=x}}}}</ref>",
        f"{{{{sfnm|{huge}a1=x}}}}",
        f"{{{{sfn|{huge}=x}}}}",
        f"{{{{Film date|{huge}=x}}}}",
    ):
        extract(page)
    (sfn,) = extract("{{sfn|Smith|²=Jones|2006}}").citations
    assert sfn.anchor == "CITEREFSmith2006"
