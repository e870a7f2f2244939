"""ref_text's token renderer gives exactly what mwparserfromhell's node tree gives.

``_ref_text_tree`` (``strip_code()`` and ``filter_external_links()`` on the parsed tree) is
the oracle: generated markup and every ref of the shared corpus are rendered both ways, by
the renderer alone (which must follow every generated fragment) and by ``ref_text`` (its
markup-free shortcut, the renderer, or the tree when the renderer gives up).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mwparserfromhell.nodes import ExternalLink, Heading, Tag
from mwparserfromhell.parser import tokens as T

from extractor.parse import parse, plaintext
from extractor.parse.plaintext import decodable, decode_entity, heading_text, plain_text
from tests.paths import require_shared
from tests.strategies import MARKUP_FRAGMENTS, markup_soup

#: Pieces of ref contents: links of every kind, nested in templates, tags, link titles and
#: file captions, with entities, comments, lists, tables, headings and unclosed constructs.
REF_FRAGMENTS = [
    "[http://x.org label]", "[//x y]", "http://a.b/c", "http://a.b/c&amp;d.", "mailto:a@b.c",
    "[mailto:x y]", "[http://x.org]", "[http://x.org/{{a}}&amp;b c]", "[http://x.org<b>y</b>]",
    "[http://x ''it'' [http://in side]]", "http://x.org/{{a|b=c}}d",
    "[http://x.org/{{{a|b}}}<!--c-->d e]", "http://x.org/{{a|[[b|c]]|&#x41;}}",
    "{{cite web|url=http://x|title=[http://y z]}}", "{{a|b=c|d}}", "{{", "}}", "[[a|b]]",
    "[[a]]", "[[File:x|thumb|cap [http://q r]]]",
    "[[:a|''b'']]", "[[", "]]", "[", "]", "|", "=", "<span>", "</span>",
    '<span title="http://t.org a">', "<span class=x>", "<br/>", "<br>", "</br>", "<ref>",
    "</ref>", "<ref name=a/>", "<nowiki>", "</nowiki>", "<math>", "</math>", "<gallery>",
    "</gallery>", "<small>", "</small>", "<b>", "</b>", "&amp;", "&#123;", "&#x41;", "&nbsp;",
    "&bogus;", "<!--", "-->", "<!-- http://c.org -->", "'", "''", "'''", "{{{1|d}}}", "{{{",
    "}}}", "== h ==", "\n", "\n\n\n", "\n*", "\n#", "\n:", "\n;", "\n----", "{|", "\n|-",
    "\n|", "||", "\n!", "\n|}", " ", "x", "{{{1}}}", "[http://x.org {{a}}]", "[http://x.org '']",
    "&#39;", "&#x27;", "&#27;", "&#x9b;", "&#13;", "&#xFFFE;", "[[a|'']]", "[http://x.org ''']",
]  # fmt: skip

#: Constructs wrapped around generated markup (``@``): links' URLs and titles, template
#: parameters, tags, headings, list items, table cells, apostrophes and newlines around it.
WRAPPERS = [
    "[http://w.org @]", "[http://w.org/@ x]", "http://w.org/@", "[//w.org @]", "{{t|@}}",
    "{{t|a=@|b}}", "{{{1|@}}}", "[[w|@]]", "[[@]]", "[[File:f|thumb|@]]", "<span>@</span>",
    '<span title="@">x</span>', "<math>@</math>", "<ref>@</ref>", "<nowiki>@</nowiki>",
    "\n== @ ==\n", "\n*@\n", "\n{|\n|@\n|}\n", "'@'", "''@''", "\n@\n", "<!--@-->",
]  # fmt: skip

_piece = st.one_of(
    st.sampled_from(REF_FRAGMENTS),
    st.sampled_from(MARKUP_FRAGMENTS),
    st.text(alphabet="ab :/.'=|[]{}<>&#;!-*\n", max_size=4),
)
#: Ref-like markup: runs of pieces, nested inside one another by the wrappers.
ref_markup = st.recursive(
    st.lists(_piece, max_size=6).map("".join),
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=4).map("".join),
        st.builds(lambda wrapper, s: wrapper.replace("@", s), st.sampled_from(WRAPPERS), inner),
    ),
    max_leaves=8,
)


def _same_as_tree(raw: str) -> None:
    tree = plaintext._ref_text_tree(raw)
    try:
        assert tree == plaintext._ref_text_tokens(raw)
    except plaintext._Unhandled:  # only a URL holding a tag, link or heading is left to the tree
        urls = [link.url for link in plaintext._parse(raw).filter_external_links()]
        assert any(url.filter(forcetype=(Tag, ExternalLink, Heading)) for url in urls)
    assert tree == plaintext.ref_text(raw)


@settings(max_examples=4000, deadline=None)
@given(raw=ref_markup)
def test_ref_text_equals_the_tree_on_ref_like_markup(raw: str) -> None:
    """Links in templates, tags and captions; entities, comments, tables, lists, headings."""
    _same_as_tree(raw)


@settings(max_examples=2000, deadline=None)
@given(raw=st.one_of(markup_soup, st.text()))
def test_ref_text_equals_the_tree_on_markup_soup(raw: str) -> None:
    """Any text and the shared parser-corner soup."""
    _same_as_tree(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "{{cite web|url=http://x.org/a|title=[http://y.org ''Y'']}} [[a|b]] &#x41;",
        "[http://a.org A [http://b.org B]] http://c.org <!-- http://d.org -->",
        "<span title=http://t.org>s</span><math>x</math>\n\n\n\n<ref>r</ref>",
        "http://a.b/c{{cite web|url=http://x|title=[http://y z]}}",
        "[http://a.org {{x|[http://b.org c]}} d] a'<span>\n'b</span>",
        "[http://a.org [[x|a\n\n\nb]]] {{{1}}}",
    ],
)
def test_ref_text_examples(raw: str) -> None:
    """Hand-picked fragments: a link in a link's title, in an attribute, in a URL."""
    _same_as_tree(raw)


def test_unfollowed_token_streams_fall_back_to_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stream the renderer does not follow is reported, and ref_text reads the tree."""
    with pytest.raises(plaintext._Unhandled):
        plaintext._Renderer([T.TemplateOpen(), T.Text(text="a")]).code(())
    with pytest.raises(plaintext._Unhandled):
        plaintext._Renderer([T.TagOpenClose()]).code(())

    def unfollowed(self: plaintext._Renderer, ends: tuple[type, ...]) -> None:
        raise plaintext._Unhandled

    monkeypatch.setattr(plaintext._Renderer, "code", unfollowed)
    assert plaintext.ref_text("a [http://x.org ''b''] {{c}}") == ("a b", [("http://x.org", "b")])


def test_ref_text_equals_the_tree_on_every_corpus_ref(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ref of every shared corpus page: same text and links, and the renderer follows
    (nearly) all of them without falling back to the tree."""
    corpus = require_shared() / "corpus" / "wikitext"
    tree = plaintext._ref_text_tree
    fallbacks = []

    def counted(raw: str) -> tuple[str, list[tuple[str, str | None]]]:
        fallbacks.append(raw)
        return tree(raw)

    monkeypatch.setattr(plaintext, "_ref_text_tree", counted)
    compared = 0
    for path in sorted([*corpus.glob("en/*.wiki"), *corpus.glob("other/*.wiki")]):
        for ref in parse(path.read_text(encoding="utf-8"), "wikitext").refs:
            raw = ref.content.strip()
            assert tree(raw) == plaintext.ref_text(raw), (path.name, raw)
            compared += 1
    assert compared > 5000
    assert len(fallbacks) <= compared // 100


# --- entities MediaWiki does not decode, and apostrophes that are text (issues 12, 13) ---

#: Sanitizer::validateCodepoint, MediaWiki's list of the code points an entity may name.
_MEDIAWIKI_VALID = [(0x09, 0x09), (0x0A, 0x0A), (0x20, 0x7E), (0xA0, 0xD7FF), (0xE000, 0xFFFD),
                    (0x10000, 0x10FFFF)]  # fmt: skip


@given(st.integers(0, 0x110000))
def test_decodable_is_mediawikis_list(codepoint: int) -> None:
    """An entity is decoded exactly when MediaWiki's sanitizer would decode it."""
    expected = any(low <= codepoint <= high for low, high in _MEDIAWIKI_VALID)
    assert expected == decodable(codepoint)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a&#27;]0;title&#7;b", "a\ufffd]0;title\ufffdb"),
        ("&#x1B;[2J &#150; &#x9F; &#13; &#127;", "\ufffd[2J \ufffd \ufffd \ufffd \ufffd"),
        ("tab&#9;and &#x263A; &amp; &#8211;", "tab and ☺ & –"),
    ],
)
def test_control_entities_become_the_replacement_character(raw: str, expected: str) -> None:
    """In citation text, headings and refs alike: U+FFFD, never the control character."""
    assert expected == plain_text(raw) == heading_text(raw) == plaintext.ref_text(raw)[0]


@pytest.mark.parametrize(
    ("entity", "expected"),
    [("&#27;", "\ufffd"), ("&#x9b;", "\ufffd"), ("&#99999999999;", "\ufffd"), ("&amp;", "&"),
     ("&#x41;", "A"), ("&bogus;", "&bogus;"), ("&#0000000039;", "'"), ("&#0;", "\ufffd")],
)  # fmt: skip
def test_decode_entity(entity: str, expected: str) -> None:
    """One entity, as URLs decode it: HTML's meaning, U+FFFD for what MediaWiki refuses."""
    assert expected == decode_entity(entity)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("by '&#39;Variety'&#39;", "by ''Variety''"),  # Academy Awards, in the shared corpus
        ("&#39;&#39;not italic&#39;&#39;", "''not italic''"),
        ("''real'' &#x27;s", "real 's"),
        ("''[[a|''B'', c]], [[d|E]]''", "B, c, E"),  # runs do not reach across a label
        ("''[http://x.org ''B'']''", "B"),
        ("'''''x'''''", "x"),
    ],
)
def test_apostrophes_that_are_text(raw: str, expected: str) -> None:
    """Apostrophes written as entities are text, never part of an italic or bold run, and a
    link label's runs are its own (MediaWiki reads runs before entities and link labels)."""
    assert expected == plain_text(raw) == plaintext.ref_text(raw)[0]
