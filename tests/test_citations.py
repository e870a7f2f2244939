"""Citations: templates anywhere, refs without templates, reuse counts, fields, problems."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract
from extractor.cites.rows import domain
from extractor.records import Author, RefInfo

SAMPLES = Path(__file__).parent.parent / "samples"
JUNO = (SAMPLES / "Juno_(soundtrack).txt").read_text(encoding="utf-8")


def test_juno_citations_have_normalized_fields() -> None:
    """The seed page's four flattened cite templates give their CS1 fields."""
    cites = extract(JUNO).citations
    assert [(c.template, c.kind) for c in cites] == [
        ("cite journal", "journal"), ("cite web", "web"), ("cite news", "news"),
        ("cite web", "web"),
    ]  # fmt: skip
    journal, riaa, billboard, rhino = cites
    assert (Author("Reitman", "Jason"),) == journal.authors
    assert ("2007-11-04", None) == (journal.date, journal.access_date)
    assert (None, "2011-02-20", "RIAA") == (riaa.date, riaa.access_date, riaa.publisher)
    assert (Author("Hasty", "Katie"),) == billboard.authors
    assert (None, None, "Billboard magazine") == (
        billboard.work,
        billboard.language,
        billboard.publisher,
    )
    assert ("2008-01-30", "2008-01-30") == (billboard.date, billboard.access_date)
    assert "http://www.rhino.com/juno/" == rhino.url


def test_juno_citation_spans_point_at_flat_templates() -> None:
    """Spans index the caller's flat text: each slices to a [tpl]...[/tpl] run."""
    for cite in extract(JUNO).citations:
        raw = JUNO[cite.span[0] : cite.span[1]]
        assert raw.startswith("[tpl]") and raw.endswith("[/tpl]")
        assert raw[len("[tpl]") :].lower().startswith(cite.template or "")


def test_empty_parameter_is_no_value_but_raw_params_are_kept() -> None:
    """`date=` gives no date, while params keep every raw pair in order."""
    riaa = extract(JUNO).citations[1]
    assert ("date", "") in riaa.params
    assert riaa.date is None
    assert [name for name, _ in riaa.params] == ["url", "title", "publisher", "date", "accessdate"]


PAGE = (
    'A<ref name="nyt" group="n">{{cite news |title=One |date=February 30, 2008 '
    "|isbn=978-0-306-40615-8 |title=Two}}</ref> b<ref name=nyt group=n /> "
    "c<ref name=nyt group=n/>. d<ref>http://example.org/page</ref> "
    "e<ref>[http://example.org/x Some page], retrieved 2009.</ref> "
    "f{{efn|Note.<ref>{{cite book|title=Nested|doi=10.1000/182}}</ref>}} "
    "g{{sfn|Smith|2001|p=3}} h<ref>{{sfn|Smith|2001}}</ref>\n"
    "== Bibliography ==\n* {{Citation |last=Smith |first=J. |year=2001 |title=Book}}\n"
)


def test_named_ref_reuse_is_counted_not_duplicated() -> None:
    """A named ref reused twice is one citation with reuses == 2."""
    first = extract(PAGE).citations[0]
    assert RefInfo("nyt", "n", 2) == first.ref


def test_duplicates_impossible_dates_and_checksums_are_problems() -> None:
    """The last duplicate wins and is reported; impossible dates and bad ISBNs too."""
    first = extract(PAGE).citations[0]
    assert "Two" == first.title
    assert first.date is None
    assert any("duplicate" in p and "title" in p for p in first.problems)
    assert any("impossible date" in p for p in first.problems)
    assert any("ISBN" in p for p in first.problems)
    (isbn,) = first.identifiers
    assert (isbn.kind, isbn.valid) == ("isbn", False)


def test_refs_without_citation_templates_are_bare_text_or_short() -> None:
    """A ref holding a URL only is `bare`; free text, even with a link, is `text`; a short
    footnote ({{sfn}}), in a ref or not, is `short` and keeps its template name and
    parameters."""
    kinds = [(c.kind, c.url, c.template) for c in extract(PAGE).citations if c.kind in
             ("bare", "text", "short")]  # fmt: skip
    assert [
        ("bare", "http://example.org/page", None),
        ("text", "http://example.org/x", None),
        ("short", None, "sfn"),
        ("short", None, "sfn"),
    ] == kinds
    bare, in_ref = (c for c in extract(PAGE).citations if c.kind == "short")
    assert (("1", "Smith"), ("2", "2001"), ("p", "3")) == bare.params
    assert (("1", "Smith"), ("2", "2001")) == in_ref.params


def test_citations_anywhere_including_nested_and_bibliography() -> None:
    """Cite templates inside other templates and in bibliography lists are found."""
    article = extract(PAGE)
    titles = [c.title for c in article.citations if c.kind not in ("bare", "text", "short")]
    assert ["Two", "Nested", "Book"] == titles
    nested = article.citations[3]
    assert ("cite book", "10.1000/182", True) == (
        nested.template,
        nested.identifiers[0].value,
        nested.identifiers[0].valid,
    )
    book = article.citations[-1]
    assert (1, "2001", (Author("Smith", "J."),)) == (book.section, book.date, book.authors)


def test_short_citations_in_and_outside_refs_name_the_full_citation() -> None:
    """A bare {{sfn}} in prose is a short citation as much as one inside a ref; both name
    the bibliography's {{Citation}} (CITEREFSmith2001), the first with its page."""
    article = extract(PAGE)
    book = article.citations[-1]
    shorts = [c for c in article.citations if c.template == "sfn"]
    assert [("short", None, "3"), ("short", RefInfo(None, None, 0), None)] == [
        (c.kind, c.ref, c.pages) for c in shorts
    ]
    assert [(book.index, "CITEREFSmith2001", ())] * 2 == [
        (c.target, c.anchor, c.problems) for c in shorts
    ]
    assert "CITEREFSmith2001" == book.anchor


def test_list_defined_refs_and_repeated_definitions() -> None:
    """A definition in <references> is not a use; an identical second definition is a
    reuse, not a second citation; a different one is a problem."""
    listed = extract("Body.<ref name=a/>\n<references><ref name=a>{{cite web|title=A}}</ref>"
                     "</references>")  # fmt: skip
    assert [("A", 0)] == [(c.title, c.ref.reuses) for c in listed.citations if c.ref]
    same = extract("X<ref name=a>one</ref> Y<ref name=a>one</ref>").citations
    assert [("one", 1, ())] == [(c.text, c.ref.reuses, c.problems) for c in same if c.ref]
    (other,) = extract("X<ref name=a>one</ref> Y<ref name=a>two</ref>").citations
    assert ("ref name 'a' is defined again with other content",) == other.problems


def test_spaceless_cite_redirects_and_inline_templates_in_titles() -> None:
    """{{citeweb}} keeps its name and has the web kind; {{pipe}}, {{sub}} keep their text."""
    (cite,) = extract("{{citeweb|title=A {{pipe}} H{{sub|2}}O|url=http://x.org}}").citations
    assert ("citeweb", "web", "A | H2O") == (cite.template, cite.kind, cite.title)


# --- issue 12 and 13: URLs, per-template parameters and control characters in records ---


def test_urls_that_are_no_web_link_have_no_domain() -> None:
    """A template, ``javascript:`` or ``data:`` URL is no URL: null, with no domain (not
    "javascript"), and a problem; a protocol-relative one keeps its host."""
    urls = ["{{google books |id=abc |p=12}}", "javascript:alert(1)", "data:text/html,<b>x</b>"]
    text = "".join(f"<ref>{{{{cite web |url={u} |title=T{i}}}}}</ref>" for i, u in enumerate(urls))
    text += "<ref>{{cite web |url=//example.org/a |title=P}}</ref>"
    cites = extract(text, dialect="wikitext").citations
    assert [None, None, None, "//example.org/a"] == [c.url for c in cites]
    assert [None, None, None, "example.org"] == [domain(c.url) for c in cites]
    assert all(len(c.problems) == 1 for c in cites[:3])


def test_cite_tweet_in_a_page() -> None:
    """The template's kind reaches the fields: a tweet's number makes its URL, not an issue."""
    text = (
        "<ref>{{cite tweet |user=NASA |number=1234567890 |title=Liftoff! |date=2020-05-30}}</ref>"
    )
    (cite,) = extract(text, dialect="wikitext").citations
    assert ("tweet", None) == (cite.kind, cite.issue)
    assert ("https://twitter.com/NASA/status/1234567890", "twitter.com") == (
        cite.url,
        domain(cite.url),
    )


def test_no_date_is_not_a_problem() -> None:
    """``date=n.d.`` gives no date and no "unparseable date" problem; other text still does."""
    nd, bad = extract(
        "{{cite web |title=A |date=n.d.}} {{cite web |title=B |date=someday}}", dialect="wikitext"
    ).citations
    assert (None, ()) == (nd.date, nd.problems)
    assert (None, ("date: unparseable date 'someday'",)) == (bad.date, bad.problems)


_CONTROL = st.one_of(st.integers(0x01, 0x08), st.integers(0x0B, 0x1F), st.integers(0x7F, 0x9F))


@settings(max_examples=200, deadline=None)
@given(
    codepoint=_CONTROL,
    hexadecimal=st.booleans(),
    place=st.sampled_from(
        [
            "{{cite web |title=a@b |url=http://x.org/@ |publisher=[[P@]]}}",
            "<ref>plain @ text [http://x.org label@]</ref>",
            "== Head@ing ==\n",
        ]
    ),
)
def test_control_entities_never_reach_a_record(
    codepoint: int, hexadecimal: bool, place: str
) -> None:
    """``&#27;``, ``&#x7;``, ``&#150;``: a C0 or C1 control character that an entity stands
    for is U+FFFD in every field (MediaWiki does not decode it either), never itself."""
    entity = f"&#x{codepoint:x};" if hexadecimal else f"&#{codepoint};"
    record = json.loads(
        extract(place.replace("@", entity), dialect="wikitext", title="T").to_json()
    )
    texts = list(_strings(record))
    assert not any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for t in texts for ch in t)
    assert any("\ufffd" in t for t in texts)


def _strings(value: object) -> Iterator[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
