"""The parse stage: located nodes and the prose mask."""

from __future__ import annotations

import mwparserfromhell
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mwparserfromhell.nodes import Text

from extractor.parse import parse, plaintext
from extractor.parse.document import masked

PAGE = (
    'Lead text.<ref name="a" group=g>{{cite web|url=http://x.org|title= T }}</ref>\n'
    "== Head [[Link|shown]] ==\n"
    "Body <ref name=a/> [[Category:Foo_bar|key]] <!-- [[Category:Hidden]] -->"
    "<nowiki>[[Category:No]] {{cite web|title=No}}</nowiki>\n"
    "{{Infobox|born={{Birth date|1909|1|2}}}}\n"
)


def test_template_spans_slice_to_the_template() -> None:
    """Every template's span slices exactly to its source text, nested ones included."""
    doc = parse(PAGE, "wikitext")
    names = [t.name for t in doc.templates]
    assert names == ["cite web", "Infobox", "Birth date"]
    for node in doc.templates:
        assert PAGE[node.start : node.end].startswith("{{" + node.name)
        assert PAGE[node.start : node.end].endswith("}}")


def test_param_spans_slice_to_stripped_values() -> None:
    """A parameter's span covers its value without surrounding white space."""
    doc = parse(PAGE, "wikitext")
    cite = doc.templates[0]
    assert [(p.name, p.value) for p in cite.params] == [("url", "http://x.org"), ("title", "T")]
    assert [PAGE[p.start : p.end] for p in cite.params] == ["http://x.org", "T"]


def test_positional_params_are_numbered() -> None:
    """Positional parameters are named "1", "2", ... and marked unnamed."""
    doc = parse("{{Birth date|1909|1|2}}", "wikitext")
    params = doc.templates[0].params
    assert [(p.name, p.value, p.named) for p in params] == [
        ("1", "1909", False),
        ("2", "1", False),
        ("3", "2", False),
    ]


def test_refs_carry_name_group_and_enclosed_templates() -> None:
    """A ref records its attributes; templates inside it point back to it."""
    doc = parse(PAGE, "wikitext")
    first, reuse = doc.refs
    assert (first.name, first.group, first.self_closing, first.templates) == ("a", "g", False, 1)
    assert (reuse.name, reuse.self_closing) == ("a", True)
    assert doc.templates[0].ref == 0
    assert PAGE[first.content_start : first.content_end] == first.content


def test_comments_and_nowiki_hide_links_and_templates() -> None:
    """Nothing inside comments or nowiki becomes a node."""
    doc = parse(PAGE, "wikitext")
    assert [link.title for link in doc.links] == ["Link", "Category:Foo_bar"]
    assert all(t.name != "cite web" or t.start < PAGE.index("<nowiki>") for t in doc.templates)


def test_heading_titles_are_plain_text() -> None:
    """Heading titles lose their markup; the span covers the heading line."""
    doc = parse(PAGE, "wikitext")
    (heading,) = doc.headings
    assert (heading.level, heading.title) == (2, "Head shown")
    assert PAGE[heading.start : heading.end] == "== Head [[Link|shown]] =="


def test_prose_mask_keeps_length_and_prose_only() -> None:
    """The mask is as long as the text, keeps prose and link labels, blanks markup."""
    doc = parse(PAGE, "wikitext")
    assert len(doc.prose) == len(PAGE)
    assert doc.prose.count("\n") == PAGE.count("\n")
    assert "Lead text." in doc.prose and "shown" in doc.prose
    assert "cite" not in doc.prose and "Category" not in doc.prose and "Hidden" not in doc.prose


def test_text_dialect_is_all_prose() -> None:
    """Plain text is not parsed as wikitext: braces stay prose, no nodes."""
    doc = parse("A {{b}} [[c]]", "text")
    assert (doc.templates, doc.links, doc.prose) == ([], [], "A {{b}} [[c]]")


def test_file_captions_hold_refs_templates_and_prose() -> None:
    """A file link's caption is walked: its refs, templates and prose dates are found."""
    text = "[[File:X.jpg|thumb|Built in 1990.<ref>{{cite web|url=http://a.org|title=T}}</ref>]]"
    doc = parse(text, "wikitext")
    assert (["cite web"], 1) == ([t.name for t in doc.templates], len(doc.refs))
    assert "Built in 1990." in doc.prose


def test_heading_titles_drop_refs_and_leading_colons() -> None:
    """Heading text drops <ref> contents and the ':' of [[:X]] links."""
    doc = parse("== A<ref>B</ref> ==\n===[[:Help]]ful tips===\n", "wikitext")
    assert ["A", "Helpful tips"] == [h.title for h in doc.headings]


def test_apostrophe_formatting_is_not_structure() -> None:
    """'' and ''' never break a template (as in MediaWiki) and vanish from heading text."""
    text = "{{cite web|publisher=''Las Vegas|title=T}} ''x'' \n== ''Juno'' '''(film)''' ==\n"
    doc = parse(text, "wikitext")
    assert ["cite web"] == [t.name for t in doc.templates]
    assert ["Juno (film)"] == [h.title for h in doc.headings]


_NEAR_MARKUP = "ab :/'\"|=!-*#;}]>_~\t\r\n\x00htps"


@given(
    st.one_of(
        st.text(alphabet=_NEAR_MARKUP, max_size=30),
        st.builds("".join, st.lists(st.sampled_from(["http", "://", "mailto:", "x", " "]))),
        st.from_regex(r"(?![*#;:=-])(?:[^\[{<&:\n]|:(?!\S))*", fullmatch=True),
    )
)
@settings(max_examples=2000)
def test_fragments_rendered_without_a_parse_are_plain_text_to_the_parser(raw: str) -> None:
    """Fragments that skip the parser (no markup possible) are Text nodes spelling the whole
    fragment to mwparserfromhell, and the shortcut renders them as the parse would; other
    fragments are not claimed."""
    assume(plaintext._markup_free(raw))
    nodes = mwparserfromhell.parse(raw, skip_style_tags=True).nodes
    assert all(isinstance(node, Text) for node in nodes)
    assert "".join(map(str, nodes)) == raw
    parsed = " ".join(plaintext.unquoted(plaintext._render(plaintext._parse(raw))).split())
    assert parsed == plaintext.heading_text(raw) == plaintext.plain_text(raw)
    assert plaintext._ref_text_tree(raw) == plaintext.ref_text(raw)


@given(st.text(alphabet="ab \n\t", max_size=60), st.data())
def test_the_prose_mask_blanks_exactly_what_is_not_kept(text: str, data: st.DataObject) -> None:
    """``masked``: inside ``[start, end)``, kept spans as written, every other character a
    space but newlines; the same for any choice of sorted spans."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)) | st.none())
    stop = len(text) if end is None else end
    cuts = sorted(data.draw(st.lists(st.integers(start, stop), max_size=8)))
    keep = list(zip(cuts[::2], cuts[1::2], strict=False))
    kept = {i for a, b in keep for i in range(a, b)}
    expected = "".join(
        c if i in kept or c == "\n" else " " for i, c in enumerate(text[start:stop], start)
    )
    assert expected == masked(text, keep, start, end)
