"""The uses of citations and the claim each use supports: real text of the samples and the
shared corpus, the citation table's and the report's claim column, and properties: claims
lie inside the prose before their use, and a generated sentence is its ref's claim."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract
from extractor.cites import citation_rows
from extractor.cites.report import REPORT_COLUMNS, render, report_row
from extractor.cites.summary import summarize
from extractor.locales import footnotes
from extractor.records import Article, Citation, Use
from tests.paths import SAMPLES, require_shared
from tests.strategies import markup_soup

CORPUS = require_shared() / "corpus" / "wikitext"


def _sample(name: str) -> tuple[str, Article]:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    return text, extract(text)


def _ref_after(article: Article, text: str, sentence: str) -> tuple[Citation, Use]:
    """The citation, and its use, of the ref right after ``sentence``."""
    end = text.index(sentence) + len(sentence)
    for citation in article.citations:
        for use in citation.uses:
            if use.span[0] == end:
                return citation, use
    raise AssertionError(f"no use after {sentence!r}")


def _claim(use: Use) -> str | None:
    return use.claim.text if use.claim else None


def test_a_refs_claim_is_the_sentence_it_follows_with_its_span_and_section() -> None:
    """Aldous Huxley: the sentence before a <ref>, its span slicing the input."""
    text, article = _sample("Aldous_Huxley.wiki")
    sentence = "He was nominated for the [[Nobel Prize in Literature]] in seven different years."
    _, use = _ref_after(article, text, sentence)
    assert use.claim is not None
    start, end = use.claim.span
    assert text[start:end] == sentence
    assert "He was nominated for the Nobel Prize in Literature in seven different years." \
        == use.claim.text  # fmt: skip
    assert (use.kind, use.claim.section, use.section) == ("ref", 0, 0)


def test_refs_side_by_side_share_a_claim_and_a_mid_sentence_ref_ends_it() -> None:
    """Aldous Huxley: two refs after "... mysticism," cite the sentence up to the comma; the
    {{sfn}} at its end cites the whole sentence."""
    text, article = _sample("Aldous_Huxley.wiki")
    mystic = "He later became interested in spiritual subjects such as [[parapsychology]] and " \
        "philosophical [[mysticism]],"  # fmt: skip
    thody, first = _ref_after(article, text, mystic)
    dunaway = article.citations[thody.index + 1]
    (sfn,) = [c for c in article.citations if c.template == "sfn" and c.span[0] < 6000]
    assert (
        _claim(first)
        == _claim(dunaway.uses[0])
        == (
            "He later became interested in spiritual subjects such as parapsychology and "
            "philosophical mysticism,"
        )
    )
    assert _claim(sfn.uses[0]) == (
        "He later became interested in spiritual subjects such as parapsychology and "
        "philosophical mysticism, in particular Universalism."
    )
    assert sfn.uses[0].kind == "template"


def test_each_reuse_of_a_named_ref_has_its_own_claim() -> None:
    """Aldous Huxley: <ref name=":0"> (Bedford's biography) and its two reuses, three
    sentences."""
    _, article = _sample("Aldous_Huxley.wiki")
    (bedford,) = [c for c in article.citations if c.ref and c.ref.name == ":0"]
    expected = [
        ("ref", "As a child, Huxley's nickname was \"Ogie,\" short for \"Ogre.\""),
        ("name", "He was described by his brother, Julian, as someone who frequently "
                 "\"[contemplated] the strangeness of things.\""),
        ("name", "According to his cousin and contemporary, Gervas Huxley, he had an early "
                 "interest in drawing."),
    ]  # fmt: skip
    assert expected == [(u.kind, _claim(u)) for u in bedford.uses]


def test_initials_and_abbreviations_end_no_sentence() -> None:
    """Aldous Huxley: "J. D. Unwin's" and "U.S." stay inside their sentences."""
    text, article = _sample("Aldous_Huxley.wiki")
    _, use = _ref_after(article, text, "Economic Foundations of a New Society''.")
    assert (_claim(use) or "").startswith("Huxley wrote an introduction to the posthumous "
                                          "publication of J. D. Unwin's 1940 book")  # fmt: skip
    for claim, sentence in [
        ("He met Dr. Smith at St. Louis in c. 1900.", "He met Dr. Smith at St. Louis in c. 1900."),
        ("It was 15 °C. It rained.", "It rained."),
        ("One! Two? Three.", "Three."),
        ("東京は首都である。人口は多い。", "人口は多い。"),
    ]:
        (cite,) = extract(f"{claim}<ref>x</ref>").citations
        assert _claim(cite.uses[0]) == sentence


def test_a_ref_in_a_template_a_table_cell_and_a_caption() -> None:
    """Vagococcus silagei: a ref in the infobox has no claim, its reuse in prose has one;
    Albedo: a table cell's text; 40 Wall Street: a file's caption, without its options."""
    _, article = _sample("Vagococcus_silagei.wiki")
    infobox, prose = article.citations[0].uses
    assert (infobox.claim, (_claim(prose) or "")[:20]) == (None, "Vagococcus silagei i")
    text, article = _sample("Albedo.wiki")
    _, cell = _ref_after(article, text, "| 0.04")
    assert _claim(cell) == "0.04"
    page = (CORPUS / "en" / "40_Wall_Street.wiki").read_text(encoding="utf-8")
    caption = "was the world's tallest completed building for one month."
    _, use = _ref_after(extract(page), page, caption)
    assert _claim(use) == "40 Wall Street " + caption


def test_lines_of_one_paragraph_are_read_together() -> None:
    """Android (robot): a ref on the line after its sentence (MediaWiki joins the lines);
    a blank line, a list item or a heading before it is another paragraph."""
    text, article = _sample("Android_(robot).wiki")
    _, use = _ref_after(article, text, "The robot also mimics their upper body movements.\n")
    assert _claim(use) == "The robot also mimics their upper body movements."
    for page, claim in [
        ("A long sentence\nthat goes on.<ref>x</ref>", "A long sentence that goes on."),
        ("One.\n\n<ref>x</ref>", None),
        ("* An item.\n<ref>x</ref>", None),
        ("* An item.<ref>x</ref>", "An item."),
        ("{{Infobox\n| a = b}}\nText.<ref>x</ref>", "Text."),
    ]:
        (cite,) = extract(page).citations
        assert _claim(cite.uses[0]) == claim, page


def test_claim_text_is_what_a_reader_sees() -> None:
    """Links give their label, bold and italics go, entities are read, a ref or template
    between words leaves no gap, and a template's text is left out."""
    page = (
        "''[[Brave New World]]'' was '''[[Novel|novels]]''', by Huxley&mdash;so "
        "[[Aldous Huxley|he]]<ref name=a>x</ref>'s {{convert|5|km}} rule.<ref>y</ref>"
    )
    second = extract(page).citations[1]
    assert _claim(second.uses[0]) == "Brave New World was novels, by Huxley—so he's rule."


def test_flat_dialect_templates_in_prose_cite_the_sentence_before_them() -> None:
    """Juno (soundtrack): the flattened dialect lost its <ref> tags; each citation template
    stands after the sentence it supports.  A template in a bibliography list is no use."""
    _, article = _sample("Juno_(soundtrack).txt")
    claims = [(c.template, [(u.kind, _claim(u)) for u in c.uses]) for c in article.citations]
    assert claims[1] == ("cite web", [("template", "The album has since become a platinum "
                                                   "record in the U.S. selling over 1,000,000 "
                                                   "copies.")])  # fmt: skip
    assert all(uses and uses[0][1] for _, uses in claims)
    (book,) = extract("Text.\n== Sources ==\n* {{cite book |title=B}}\n").citations
    assert book.uses == ()


def test_marks_that_end_no_sentence() -> None:
    """A mark with only markup after it before the use ends no sentence (a title ending in
    "?"); nor does one a comma or a lower-case word follows past a link's and italics' end;
    a quotation mark closing a title after blanked markup belongs to the sentence before."""
    page = "* 1955 ''[[Who Are We? (album)|Who Are We?]]''{{thinsp}}<ref>x</ref>\n"
    assert _claim(extract(page).citations[0].uses[0]) == "1955 Who Are We?"
    page = (
        "In his novel ''[[Do Androids Dream of Electric Sheep?]]'', the word has seen some "
        "use.<ref>x</ref> It was in ''[[Star Trek]]'' episode \"[[Made Of?]]\" The word "
        "andy followed.<ref>y</ref>"
    )
    first, second = (_claim(c.uses[0]) for c in extract(page).citations)
    assert first == (
        "In his novel Do Androids Dream of Electric Sheep?, the word has seen some use."
    )
    assert second == "The word andy followed."


def test_separators_left_between_flattened_citations_are_in_no_claim() -> None:
    """wiki-example.txt (Building society, Barry Goldwater): the flat dialect lost the refs
    around citations written ``property.[tpl]A[/tpl]; [tpl]B[/tpl] Many`` and
    ``way".[tpl]A[/tpl].[tpl]B[/tpl].Goldberg``: the ``;`` and ``.`` between them end no
    claim and start none."""
    page = (
        "Owners invested in property.[tpl]cite book|last=A|title=B[/tpl]; "
        "[tpl]cite book|last=C|title=D[/tpl] Many of the societies met in taverns."
        '[tpl]cite web|title=E[/tpl] He would "fight them".[tpl]Citation|title=F[/tpl].'
        "[tpl]Citation|title=G[/tpl].Goldberg, p. 315 (According to Dean).[ref]x[/ref]"
    )
    claims = [_claim(u) for c in extract(page, dialect="flat").citations for u in c.uses]
    assert claims == [
        "Owners invested in property.",
        "Owners invested in property.",
        "Many of the societies met in taverns.",
        'He would "fight them".',
        'He would "fight them".',
        "Goldberg, p. 315 (According to Dean).",
    ]


def test_a_claim_read_on_from_the_one_before_reads_as_it_does_whole() -> None:
    """Uses in one sentence share its start: each claim is the one before it, read further
    on.  Markup read as nothing parts apostrophes as MediaWiki's strip markers do, so that
    ``''<ref/>''`` is an empty italic either way (hypothesis found both)."""
    assert _claim(extract("''<ref>x</ref> Some words.<ref>y</ref>").citations[1].uses[0]) \
        == "Some words."  # fmt: skip
    for page, claims in (
        ("a''<ref>x</ref>''<ref>y</ref>", ["a", "a"]),
        ("''J. ''<ref>x</ref>''''<ref>y</ref>", ["J.", "J. '"]),
    ):
        assert [_claim(c.uses[0]) for c in extract(page).citations] == claims


def test_the_citation_table_and_the_report_show_the_claim() -> None:
    """`cites list` rows carry `claim` (the first use's), `uses` and `target`; the report's
    table has a Claim column."""
    record = extract((SAMPLES / "Aldous_Huxley.wiki").read_text(encoding="utf-8")).to_dict()
    rows = list(citation_rows([record]))
    sfn = next(row for row in rows if row["template"] == "sfn")
    assert (sfn["kind"], sfn["uses"]) == ("short", 1)
    assert sfn["target"] is not None and rows[sfn["target"]]["title"] == \
        "Aldous Huxley And Indian Thought"  # fmt: skip
    assert (sfn["claim"] or "").endswith("in particular Universalism.")
    cells = report_row(sfn)
    assert cells[REPORT_COLUMNS.index("claim")] == sfn["claim"]
    page = render(summarize([record]), [report_row(r) for r in rows], title="t", inputs=["x"])
    assert '<th data-key="claim">Claim</th>' in page
    assert "in particular Universalism." in page
    old = dict(record, citations=[{k: v for k, v in c.items() if k != "uses"}
                                  for c in record["citations"]])  # fmt: skip
    assert {None} == {row["claim"] for row in citation_rows([old])}


def test_claims_of_the_corpus() -> None:
    """Over the shared corpus, most uses in prose have a claim, and every claim slices a
    piece of the page before its use whose words it keeps, in order."""
    uses = claims = 0
    for path in sorted(CORPUS.glob("en/*.wiki"))[:60]:
        text = path.read_text(encoding="utf-8")
        for citation in extract(text).citations:
            for use in citation.uses:
                uses += 1
                if use.claim is None:
                    continue
                claims += 1
                start, end = use.claim.span
                assert end <= use.span[0] and use.claim.section <= use.section
                # its ends are characters a reader sees, or the apostrophes of italics
                assert text[start] in (use.claim.text[0], "'")
                assert text[end - 1] in (use.claim.text[-1], "'")
    assert claims / uses > 0.9


# --- properties ---------------------------------------------------------------------------

_ABBREVIATIONS = footnotes().sentence_abbreviations
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8).filter(
    lambda w: w not in _ABBREVIATIONS
)


@st.composite
def _sentence(draw: st.DrawFn) -> tuple[str, str, int]:
    """A sentence as wikitext and as a reader sees it (words, some linked or bold), and
    where its first character a reader sees stands in the wikitext."""
    words = draw(st.lists(_WORD, min_size=1, max_size=8))
    words[0] = words[0].capitalize()
    forms = {"plain": ("{}", 0), "link": ("[[{}]]", 2), "piped": ("[[Target|{}]]", 9),
             "bold": ("'''{}'''", 0)}  # fmt: skip
    wiki, first = [], 0
    for i, word in enumerate(words):
        pattern, offset = forms[draw(st.sampled_from(["plain", "plain", "link", "piped", "bold"]))]
        wiki.append(pattern.format(word))
        first = offset if i == 0 else first
    mark = draw(st.sampled_from([".", ".", "!", "?"]))
    return " ".join(wiki) + mark, " ".join(words) + mark, first


@settings(max_examples=200, deadline=None)
@given(
    paragraphs=st.lists(st.lists(_sentence(), min_size=1, max_size=4), min_size=1, max_size=3),
    data=st.data(),
)
def test_a_generated_sentence_is_the_claim_of_the_use_after_it(
    paragraphs: list[list[tuple[str, str, int]]], data: st.DataObject
) -> None:
    """Paragraphs of sentences, each followed by a ref, a reused name, two refs or an {{sfn}}:
    every use's claim is its sentence as a reader sees it, spanning it from its first
    character a reader sees, before the use."""
    parts: list[str] = []
    expected: list[tuple[int, str, tuple[int, int]]] = []
    pos = 0
    for sentences in paragraphs:
        for wiki, seen, first in sentences:
            start = pos + 1 if parts else pos
            parts.append(" " + wiki if parts else wiki)
            pos += len(parts[-1])
            cite = data.draw(st.sampled_from(["ref", "name", "two", "sfn"]))
            marks = {
                "ref": ["<ref>{{cite web |title=A}}</ref>"],
                "name": ['<ref name="n"/>'],
                "two": ["<ref>x</ref>", "<ref>y</ref>"],
                "sfn": ["{{sfn|Smith|2001}}"],
            }[cite]
            for mark in marks:
                expected.append((pos, seen, (start + first, start + len(wiki))))
                parts.append(mark)
                pos += len(mark)
        parts.append("\n\n")
        pos += 2
    text = "".join(parts) + '<ref name="n">{{cite book |last=Smith |year=2001}}</ref>'
    article = extract(text)
    found = {use.span[0]: use for c in article.citations for use in c.uses}
    for at, seen, span in expected:
        use = found[at]
        assert use.claim is not None
        assert (seen, span) == (use.claim.text, use.claim.span)
        assert use.claim.span[1] <= use.span[0]


_CLAIM_FRAGMENTS = st.sampled_from(
    [" Some words.", " A, b", "<ref>x</ref>", "<ref name=a/>", "<ref name=a>y</ref>", "\n",
     "\n\n", "{{sfn|A|2000}}", "{{rp|5}}", "{{r|a}}", "[[File:X.jpg|thumb|Cap.", "]]", "|",
     "||", "{{cite web|title=T}}", "&amp;", "''", " J. R. ", "。", "{{reflist|refs=", "}}"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(
        markup_soup,
        st.lists(st.one_of(_CLAIM_FRAGMENTS, st.text(max_size=4)), max_size=40).map("".join),
    ),
    dialect=st.sampled_from(["auto", "wikitext", "flat"]),
)
def test_claims_lie_in_the_prose_before_their_use(text: str, dialect: str) -> None:
    """On any text extract() does not raise, and every claim is non-empty text standing in
    the input before its use, in the use's section or an earlier one."""
    article = extract(text, dialect=dialect)
    for citation in article.citations:
        for use in citation.uses:
            assert 0 <= use.span[0] <= use.span[1] <= len(text)
            if use.claim is not None:
                start, end = use.claim.span
                assert 0 <= start < end <= use.span[0]
                assert use.claim.text.strip() == use.claim.text != ""
                assert use.claim.section <= use.section
        if citation.target is not None:
            assert article.citations[citation.target].anchor == citation.anchor


def test_a_claim_is_bounded_and_the_longest_real_sentence_whole() -> None:
    """A page of one endless sentence with a ref every few words repeats no more than the
    longest claim per ref; the corpus's longest real sentence before a ref (Alabama's 937
    characters of occupations) is still whole."""
    text = "Some words here<ref>x</ref> " * 3000
    claims = [u.claim for c in extract(text).citations for u in c.uses if u.claim]
    assert len(claims) == 3000 and max(len(c.text) for c in claims) <= 1500
    assert all(c.text.split()[0] in ("Some", "words", "here") for c in claims)  # at a word
    alabama = (CORPUS / "en" / "Alabama.wiki").read_text(encoding="utf-8")
    longest = max(
        (u.claim for c in extract(alabama).citations for u in c.uses if u.claim),
        key=lambda claim: len(claim.text),
    )
    assert longest.text.startswith("Non-agricultural employment in 2008 was 121,800")
    assert longest.text.endswith("and 167,160 in transportation and material moving.")


def test_captions_cells_files_and_initials_at_the_start() -> None:
    """A table caption's claim has no `+`; a long cell without a sentence end is cut at a
    word; a file's box before a use is in no claim (its options never are); an initial or
    abbreviation at the very start of the text ends no sentence (found in review)."""
    cases = {
        "{|\n|+ Caption words<ref>x</ref>\n|}": ["Caption words"],
        "[[File:x.jpg|thumb|Caption text]] <ref>b</ref>": [None],
        "Some text. [[File:x.jpg|thumb|Caption]] More words<ref>b</ref>": ["More words"],
        "[[File:x.jpg|thumb|A caption here<ref>z</ref>]]": ["A caption here"],
        "J. Smith wrote it.<ref>x</ref>": ["J. Smith wrote it."],
        "c. 1900 it was built.<ref>x</ref>": ["c. 1900 it was built."],
    }
    for page, claims in cases.items():
        assert [_claim(u) for c in extract(page).citations for u in c.uses] == claims, page
    cell = extract("{|\n| " + "word " * 500 + "end<ref>x</ref>\n|}").citations[0].uses[0]
    assert cell.claim is not None and cell.claim.text.startswith("word word")
