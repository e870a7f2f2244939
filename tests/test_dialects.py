"""Tests for extractor.parse.dialects: dialect detection and the flat corpus dialect."""

from __future__ import annotations

import json
import re
from pathlib import Path

import mwparserfromhell
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mwparserfromhell.nodes import Tag, Template, Wikilink
from mwparserfromhell.wikicode import Wikicode

from extractor.parse.dialects import (
    PLACE_QUALIFIERS,
    FlatPage,
    OffsetMap,
    detect_dialect,
    flat_title,
    flat_to_wikitext,
    split_categories,
    split_flat_pages,
)
from tests.paths import SAMPLES, require_shared

SEED = SAMPLES / "Juno_(soundtrack).txt"
TPL_DIR = require_shared() / "corpus" / "tpl"
WIKI_EXAMPLE = SAMPLES / "wiki-example.txt"


def read(path: Path) -> str:
    """A sample file's exact text."""
    with path.open(encoding="utf-8", newline="") as f:
        return f.read()


def tpl_meta() -> list[dict[str, object]]:
    """The page list of TPL.json, in file order."""
    path = TPL_DIR / "TPL.json"
    pages: list[dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))["pages"]
    return pages


JUNO = read(SEED)
WIKI = read(WIKI_EXAMPLE)
META = tpl_meta()


def page_text(title: str) -> str:
    """The text of one page of wiki-example.txt."""
    (page,) = [p for p in split_flat_pages(WIKI) if p.title == title]
    return WIKI[page.start : page.end]


def categories_body(text: str) -> tuple[str, int]:
    """A page's CATEGORIES line body and its offset in ``text``."""
    m = re.search(r"^CATEGORIES:(.*)$", text, re.M)
    assert m is not None
    return m.group(1), m.start(1)


def located(code: Wikicode, base: int = 0) -> list[tuple[object, int, int]]:
    """(node, start, end) of every Template, Tag and Wikilink, recursing into templates/tags."""
    out: list[tuple[object, int, int]] = []
    pos = base
    for node in code.nodes:
        end = pos + len(str(node))
        if isinstance(node, Template):
            out.append((node, pos, end))
            p = pos + 2
            out.extend(located(node.name, p))
            p += len(str(node.name))
            for param in node.params:
                p += 1
                if param.showkey:
                    out.extend(located(param.name, p))
                    p += len(str(param.name)) + 1
                out.extend(located(param.value, p))
                p += len(str(param.value))
        elif isinstance(node, Tag):
            out.append((node, pos, end))
            closing = f"</{node.closing_tag}>"
            if node.contents is not None and not node.self_closing and str(node).endswith(closing):
                inner = end - len(closing) - len(str(node.contents))
                out.extend(located(node.contents, inner))
        elif isinstance(node, Wikilink):
            out.append((node, pos, end))
        pos = end
    return out


def templates_of(wikitext: str) -> list[tuple[Template, int, int]]:
    """Located templates of a converted text."""
    code = mwparserfromhell.parse(wikitext)
    return [(n, s, e) for n, s, e in located(code) if isinstance(n, Template)]


# ------------------------------------------------------------------------ detect_dialect


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x [tpl]a|b[/tpl] y", "flat"),
        ("x [ref]a[/ref] y", "flat"),
        ("CATEGORIES: A, B\n\nBody", "flat"),
        ("[[Title]]\n\nPlain body.\n\n==Heading==\n", "flat"),
        ("\ufeff[[Title]]\n\n#REDIRECT Other\n", "flat"),
        ("[[Title]]\n\n'''Bold''' lead {{Infobox}}", "wikitext"),
        ("'''Foo''' is a [[bar]].", "wikitext"),
        ("{{Infobox person}}\nText", "wikitext"),
        ("Intro\n== History ==\nText", "wikitext"),
        ("#REDIRECT [[Target]]", "wikitext"),
        ("Claim.<ref>Source</ref>", "wikitext"),
        ("[[File:x.jpg]]\n\ntext", "wikitext"),
        ("Hello world, plain [prose] here.", "text"),
        ("", "text"),
        ("a" * 70000 + " [tpl]x[/tpl]", "text"),
    ],
)
def test_detect_dialect_table(text: str, expected: str) -> None:
    """Markers, title lines and wikitext hints decide the dialect (first 64 KB only)."""
    assert expected == detect_dialect(text)


def test_detect_dialect_real_flat_pages() -> None:
    """The Juno seed, the whole file and each of its 20 pages are all 'flat'."""
    texts = [JUNO, WIKI, *(WIKI[p.start : p.end] for p in split_flat_pages(WIKI))]
    expected = ["flat"] * 22
    assert expected == [detect_dialect(t) for t in texts]


# ---------------------------------------------------------------------- split_flat_pages


def test_split_flat_pages_titles_match_tpl_json() -> None:
    """wiki-example.txt splits into exactly the 20 titles of TPL.json, in order."""
    expected = [str(p["title"]) for p in META]
    assert (expected, len(expected)) == ([p.title for p in split_flat_pages(WIKI)], 20)


def test_split_flat_pages_texts_equal_page_files() -> None:
    """Each page's text equals its tpl/pages file exactly, and the pages tile the file."""
    pages = split_flat_pages(WIKI)
    expected = [read(TPL_DIR / str(p["file"]).removeprefix("tpl/")) for p in META]
    assert expected == [WIKI[p.start : p.end] for p in pages]
    assert [0, *(p.end for p in pages)] == [*(p.start for p in pages), len(WIKI)]


def test_split_flat_pages_file_link_line_does_not_open_page() -> None:
    """The multi-line [[File:…]] of the Barry Goldwater page stays inside that page."""
    text = page_text("Barry Goldwater")
    assert "\n[[File:1964RepublicanPresidentialPrimaries.svg" in text
    assert [FlatPage("Barry Goldwater", 0, len(text))] == split_flat_pages(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("no title line\n", []),
        ("[[A]]\n\nbody\n", [FlatPage("A", 0, 12)]),
        ("[[A]]\n\nx\n\n[[B]]\n\ny\n", [FlatPage("A", 0, 10), FlatPage("B", 10, 19)]),
        ("junk\n\n[[A]]\nx", [FlatPage("A", 6, 13)]),
        ("\n\n[[A]]  \nx", [FlatPage("A", 2, 11)]),
        ("[[A]]\nx\n[[B]]\ny", [FlatPage("A", 0, 15)]),
        ("[[A]]\n\n[[File:x.jpg]]\n\n[[image:y.png]]\n\n[[Category:C]]\n", [FlatPage("A", 0, 55)]),
        ("[[A]]\n\n[[de:A]]\n\n[[:B]]\n\n[[Template talk:T]]\n", [FlatPage("A", 0, 45)]),
        ("[[Star Wars: Episode IV]]\n", [FlatPage("Star Wars: Episode IV", 0, 26)]),
        ("[[A|b]]\n\n[[A]] tail\n", []),
    ],
)
def test_split_flat_pages_table(text: str, expected: list[FlatPage]) -> None:
    """Only un-namespaced [[Title]] lines at the start or after a blank line open pages."""
    assert expected == split_flat_pages(text)


# ----------------------------------------------------------------------------- flat_title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[Juno (soundtrack)]]\n\nCATEGORIES: A", "Juno (soundtrack)"),
        ("\n[[A]]", "A"),
        ("\ufeff[[A]]\r\n", "A"),
        ("[[File:x.jpg]]\n", None),
        ("[[A]] and more\n", None),
        ("text\n[[A]]\n", None),
        ("", None),
    ],
)
def test_flat_title_table(text: str, expected: str | None) -> None:
    """The title comes from a leading bare [[Title]] line only."""
    assert expected == flat_title(text)


# ----------------------------------------------------------------------- split_categories

GOLDWATER_CATEGORIES = [
    "Barry Goldwater", "1909 births", "1998 deaths", "20th-century American writers",
    "Amateur radio people", "American anti-communists", "American Episcopalians",
    "American libertarians", "American memoirists", "American people of British-Jewish descent",
    "American people of English descent", "American political writers",
    "American pro-choice activists", "Arizona Republicans",
    "Cardiovascular disease deaths in Arizona", "Classical liberals",
    "Christians of Jewish descent", "Conservatism in the United States", "Deaths from stroke",
    "Harmon Trophy winners", "LGBT rights activists from the United States",
    "Neurological disease deaths in the United States", "New Right (United States)",
    "People associated with the Watergate scandal", "Politicians from Phoenix, Arizona",
    "Presidential Medal of Freedom recipients", "Recipients of the Langley Medal",
    "Republican Party United States Senators",
    "Republican Party (United States) presidential nominees", "UFO conspiracy theorists",
    "United States Air Force generals", "United States Army Air Forces officers",
    "United States Army Air Forces pilots of World War II",
    "United States presidential candidates, 1960", "United States presidential candidates, 1964",
    "United States Senators from Arizona", "University of Arizona alumni",
    "Writers from Phoenix, Arizona",
]  # fmt: skip
BOB_YOUNG_CATEGORIES = [
    "Year of birth missing (living people)", "Living people", "Open source people",
    "Red Hat people", "University of Toronto alumni", "People from Hamilton, Ontario",
    "Hamilton Tiger-Cats owners",
]  # fmt: skip
JUNO_CATEGORIES = [
    "Film soundtracks", "2008 soundtracks", "English-language soundtracks",
    "Indie rock soundtracks", "Rhino Entertainment soundtracks", "2008 compilation albums",
    "English-language compilation albums", "Indie rock compilation albums",
    "Rhino Entertainment compilation albums",
]  # fmt: skip


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Barry Goldwater", GOLDWATER_CATEGORIES), ("Bob Young (businessman)", BOB_YOUNG_CATEGORIES)],
)
def test_split_categories_real_hard_lines(title: str, expected: list[str]) -> None:
    """The Goldwater and Bob Young lines keep 'Phoenix, Arizona', ', 1960', 'Hamilton, Ontario'."""
    body, _ = categories_body(page_text(title))
    assert expected == [name for name, _, _ in split_categories(body)]


def test_split_categories_juno_seed() -> None:
    """The Juno seed's line gives its 9 categories."""
    body, _ = categories_body(JUNO)
    expected = JUNO_CATEGORIES
    assert expected == [name for name, _, _ in split_categories(body)]


def test_split_categories_all_real_lines() -> None:
    """Every real line: spans slice the names, no name is a lone place, comma-free lines split
    exactly like a plain ', ' split."""
    bodies = [m.group(1) for m in re.finditer(r"^CATEGORIES:(.*)$", WIKI, re.M)]
    expected_count = 12
    no_names: list[str] = []
    assert expected_count == len(bodies)
    for body in bodies:
        found = split_categories(body)
        assert no_names == [name for name, _, _ in found if name in PLACE_QUALIFIERS]
        assert [name for name, _, _ in found] == [body[a:b] for _, a, b in found]
        if "Arizona" not in body and "Ontario" not in body:
            assert [s.strip() for s in body.split(", ")] == [name for name, _, _ in found]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (" A, B", [("A", 1, 2), ("B", 4, 5)]),
        ("", []),
        (" A ,  , B , ", [("A", 1, 2), ("B", 8, 9)]),
        ("Unincorporated communities in Jones County, Texas, X", [
            ("Unincorporated communities in Jones County, Texas", 0, 49), ("X", 51, 52)]),
        ("People from Sydney, New South Wales", [("People from Sydney, New South Wales", 0, 35)]),
        ("People from Cardiff, Wales, Welsh poets", [
            ("People from Cardiff, Wales", 0, 26), ("Welsh poets", 28, 39)]),
        ("Alumni, 1990s", [("Alumni, 1990s", 0, 13)]),
        ("Battles, 1914–1918", [("Battles, 1914–1918", 0, 18)]),
        ("1909 births, 1998 deaths", [("1909 births", 0, 11), ("1998 deaths", 13, 24)]),
        ("Martin Luther King, Jr., X", [("Martin Luther King, Jr.", 0, 23), ("X", 25, 26)]),
        ("Works (Smith, Jones, Brown), X", [("Works (Smith, Jones, Brown)", 0, 27), ("X", 29, 30)]),
        ("Orders, first class", [("Orders, first class", 0, 19)]),
        ("Video games, iOS games", [("Video games", 0, 11), ("iOS games", 13, 22)]),
        ("2,000 Guineas winners, X", [("2,000 Guineas winners", 0, 21), ("X", 23, 24)]),
        ("Arizona, States of the West", [("Arizona", 0, 7), ("States of the West", 9, 27)]),
        ("Music, Texas", [("Music, Texas", 0, 12)]),  # documented limit
    ],
)  # fmt: skip
def test_split_categories_table(body: str, expected: list[tuple[str, int, int]]) -> None:
    """Glue rules: places, years, suffixes, lowercase words, open parentheses; the limit."""
    assert expected == split_categories(body)


@given(
    st.lists(st.sampled_from(["A", "b", " ", ",", ", ", "(", ")", "1960", "T", "Texas"])).map(
        "".join
    )
)
def test_split_categories_properties(body: str) -> None:
    """Names are their spans' text, trimmed, non-empty and in order without overlap."""
    found = split_categories(body)
    assert [body[a:b] for _, a, b in found] == [name for name, _, _ in found]
    assert all(name and name == name.strip() for name, _, _ in found)
    bounds = [x for _, a, b in found for x in (a, b)]
    assert sorted(bounds) == bounds


# ------------------------------------------------------------------------ flat_to_wikitext


def test_flat_to_wikitext_juno_templates_and_categories() -> None:
    """The Juno seed gives its cite templates and 9 category links, with no problems."""
    wikitext, _, problems = flat_to_wikitext(JUNO)
    code = mwparserfromhell.parse(wikitext)
    names = [str(t.name).strip() for t in code.filter_templates()]
    links = [str(link.title) for link in code.filter_wikilinks()]
    expected: tuple[list[str], list[str]] = (
        [],
        ["Cite journal", "cite web", "cite news", "cite web"],
    )
    assert expected == (problems, names)
    expected_names = {"Cite journal", "cite web", "cite news"}
    assert expected_names == set(names)
    expected_links = [f"Category:{c}" for c in JUNO_CATEGORIES]
    assert expected_links == links


@pytest.mark.parametrize("title", ["(Juno seed)", *(str(p["title"]) for p in META)])
def test_flat_to_wikitext_templates_map_to_tpl_markers(title: str) -> None:
    """Every template of every converted real page maps to a '[tpl]…[/tpl]' slice."""
    text = JUNO if title == "(Juno seed)" else page_text(title)
    wikitext, omap, _ = flat_to_wikitext(text)
    found = templates_of(wikitext)
    assert len(mwparserfromhell.parse(wikitext).filter_templates()) == len(found)
    for _, start, end in found:
        a, b = omap.span_to_source(start, end)
        expected = ("[tpl]", "[/tpl]")
        assert expected == (text[a : a + 5], text[b - 6 : b])


def test_flat_to_wikitext_juno_template_spans_exact() -> None:
    """The Juno templates map to exactly their original [tpl]…[/tpl] texts."""
    wikitext, omap, _ = flat_to_wikitext(JUNO)
    expected = re.findall(r"\[tpl\].*?\[/tpl\]", JUNO)
    mapped = [JUNO[slice(*omap.span_to_source(s, e))] for _, s, e in templates_of(wikitext)]
    assert expected == mapped


@pytest.mark.parametrize("title", ["(Juno seed)", "Barry Goldwater", "Bob Young (businessman)"])
def test_flat_to_wikitext_category_links_map_to_names(title: str) -> None:
    """Each category link maps to exactly its name's characters in the CATEGORIES line."""
    text = JUNO if title == "(Juno seed)" else page_text(title)
    body, offset = categories_body(text)
    wikitext, omap, _ = flat_to_wikitext(text)
    code = mwparserfromhell.parse(wikitext)
    links = [
        (str(n.title), s, e)
        for n, s, e in located(code)
        if isinstance(n, Wikilink) and str(n.title).startswith("Category:")
    ]
    expected = [(name, offset + a, offset + b) for name, a, b in split_categories(body)]
    actual = [(name.removeprefix("Category:"), *omap.span_to_source(s, e)) for name, s, e in links]
    assert expected == actual
    assert all(text[a:b] == name for name, a, b in actual)


def test_flat_to_wikitext_refs_map_to_ref_markers() -> None:
    """The Benzodiazepine page's ref becomes a <ref> tag mapping to '[ref]…[/ref]'."""
    text = page_text("Benzodiazepine")
    wikitext, omap, problems = flat_to_wikitext(text)
    refs = [(s, e) for n, s, e in located(mwparserfromhell.parse(wikitext)) if isinstance(n, Tag)]
    slices = [text[slice(*omap.span_to_source(s, e))] for s, e in refs]
    expected: tuple[list[str], int, bool, bool] = ([], 1, True, True)
    assert expected == (
        problems,
        len(slices),
        slices[0].startswith("[ref][tpl]Cite journal"),
        slices[0].endswith("}}[/ref]"),
    )


def test_flat_to_wikitext_real_unterminated_ref() -> None:
    """British Standards holds a real unterminated [ref]: a problem, the text kept literal."""
    text = page_text("British Standards")
    wikitext, _, problems = flat_to_wikitext(text)
    offset = text.index("[ref]")
    assert [f"unterminated [ref] at offset {offset}"] == problems
    assert "[ref]{{cite conference|" in wikitext


def test_flat_to_wikitext_title_line_blanked() -> None:
    """The title line becomes spaces of the same length and yields no wikilink."""
    wikitext, omap, _ = flat_to_wikitext("[[BBS]]\n\nBBS may refer to:\n")
    expected: tuple[str, list[object], list[int]] = (
        "       \n\nBBS may refer to:\n",
        [],
        [0, 3, 7, 8],
    )
    assert expected == (
        wikitext,
        mwparserfromhell.parse(wikitext).filter_wikilinks(),
        [omap.to_source(p) for p in (0, 3, 7, 8)],
    )


@pytest.mark.parametrize(
    ("text", "expected_wikitext", "link", "link_source"),
    [
        (
            "[[Balfour declaration]]\n\n#REDIRECT Balfour Declaration "
            "[tpl]R from other capitalisation[/tpl]\n\n",
            " " * 23 + "\n\n#REDIRECT [[Balfour Declaration]] {{R from other capitalisation}}\n\n",
            "Balfour Declaration",
            (35, 54),
        ),
        ("[[B]]\n\n#REDIRECT German Navy\n", "     \n\n#REDIRECT [[German Navy]]\n", "German Navy",
         (17, 28)),
        ("#redirect: X (y)\n", "#redirect: [[X (y)]]\n", "X (y)", (11, 16)),
    ],
)  # fmt: skip
def test_flat_to_wikitext_redirect(
    text: str, expected_wikitext: str, link: str, link_source: tuple[int, int]
) -> None:
    """A redirect stub gets its target linked; the link maps to the bare target."""
    wikitext, omap, problems = flat_to_wikitext(text)
    links = [
        (n, s, e)
        for n, s, e in located(mwparserfromhell.parse(wikitext))
        if isinstance(n, Wikilink)
    ]
    node, start, end = links[0]
    assert (expected_wikitext, [], link) == (wikitext, problems, str(node.title))
    assert link_source == omap.span_to_source(start, end)


@pytest.mark.parametrize(
    "text", ["#REDIRECT [[Target]]\n", "[[A]]\n\nBody.\n#REDIRECT Not first\n", "x #REDIRECT Y"]
)
def test_flat_to_wikitext_redirect_left_alone(text: str) -> None:
    """Linked targets and '#REDIRECT' off the first non-blank line are copied verbatim."""
    wikitext, _, _ = flat_to_wikitext(text)
    assert text.replace("[[A]]", "     ") == wikitext


@pytest.mark.parametrize(
    ("text", "expected_wikitext", "expected_problems"),
    [
        ("a [tpl]b|c", "a [tpl]b|c", ["unterminated [tpl] at offset 2"]),
        ("a[/tpl]b", "a[/tpl]b", ["stray [/tpl] at offset 1"]),
        ("[tpl]a|[tpl]b[/tpl][/tpl]", "{{a|{{b}}}}", []),
        ("[tpl]x [tpl]a[/tpl] b", "[tpl]x {{a}} b", ["unterminated [tpl] at offset 0"]),
        ("[tpl]a\n\nb[/tpl]", "[tpl]a\n\nb[/tpl]",
         ["unterminated [tpl] at offset 0", "stray [/tpl] at offset 9"]),
        ("[tpl]a\nb[/tpl]", "{{a\nb}}", []),
        ("[ref]x", "[ref]x", ["unterminated [ref] at offset 0"]),
        ("[ref name=n]x[/ref]", "<ref name=n>x</ref>", []),
        ("[tpl]a[ref]b[/tpl]", "{{a[ref]b}}", ["unterminated [ref] at offset 6"]),
        ("[ref][tpl]a[/ref]", "<ref>[tpl]a</ref>", ["unterminated [tpl] at offset 5"]),
        ("[tpl][tpl]a[/tpl][/tpl]", "{{ {{a}}}}", []),
        ("{[tpl]a[/tpl]}", "{ {{a}}}", []),
        ("[tpl]{x}[/tpl]", "{{ {x}}}", []),
        ("[tpl]a\nCATEGORIES: B\n[/tpl]", "[tpl]a\n[[Category:B]]\n[/tpl]",
         ["unterminated [tpl] at offset 0", "stray [/tpl] at offset 21"]),
        ("CATEGORIES: A, B [[x]]\n", "[[Category:A]]\n",
         ["category with markup dropped at offset 15"]),
        ("CATEGORIES:\n", "\n", []),
        ("[[A]]\n\nx\n\n[[B]]\n", "     \n\nx\n\n     \n",
         ["page title line inside the page at offset 10"]),
        ("[[A]]\n\nx\n[[B]]\n", "     \n\nx\n[[B]]\n", []),
        ("Plain ==H== text, with [x] and ''it''.", "Plain ==H== text, with [x] and ''it''.", []),
    ],
)  # fmt: skip
def test_flat_to_wikitext_table(
    text: str, expected_wikitext: str, expected_problems: list[str]
) -> None:
    """Markers, nesting, unterminated and stray markers, blank-line limits, inner titles."""
    wikitext, _, problems = flat_to_wikitext(text)
    assert (expected_wikitext, expected_problems) == (wikitext, problems)


def test_flat_to_wikitext_unterminated_tpl_in_page() -> None:
    """An unterminated [tpl] in a real page gives one problem and no exception."""
    text = JUNO.replace("accessdate=2011-02-20[/tpl]", "accessdate=2011-02-20", 1)
    wikitext, _, problems = flat_to_wikitext(text)
    offset = text.index("[tpl]cite web")
    assert [f"unterminated [tpl] at offset {offset}"] == problems
    expected_templates = 3
    assert expected_templates == len(mwparserfromhell.parse(wikitext).filter_templates())


def test_flat_to_wikitext_nested_templates_parse() -> None:
    """Nested templates, also name-position ones, parse as nested templates."""
    text = "x [tpl][tpl]a[/tpl]|k=[tpl]b|[tpl]c[/tpl][/tpl][/tpl] y"
    wikitext, omap, _ = flat_to_wikitext(text)
    slices = [text[slice(*omap.span_to_source(s, e))] for _, s, e in templates_of(wikitext)]
    expected = [
        "[tpl][tpl]a[/tpl]|k=[tpl]b|[tpl]c[/tpl][/tpl][/tpl]",
        "[tpl]a[/tpl]",
        "[tpl]b|[tpl]c[/tpl][/tpl]",
        "[tpl]c[/tpl]",
    ]
    assert expected == slices


def test_flat_to_wikitext_category_prefix() -> None:
    """category_prefix names the namespace of the generated links."""
    wikitext, _, _ = flat_to_wikitext("CATEGORIES: A, B", category_prefix="Kategorie")
    expected = "[[Kategorie:A]][[Kategorie:B]]"
    assert expected == wikitext


# ------------------------------------------------------------------------------ OffsetMap


def test_offset_map_positions() -> None:
    """Positions map linearly in copied text, to marker bounds inside markup."""
    text = "x[tpl]a[/tpl]y"
    wikitext, omap, _ = flat_to_wikitext(text)
    expected_positions = [0, 1, 6, 6, 7, 13, 13, 14]
    expected_spans = [(1, 13), (6, 7), (0, 1), (6, 6), (13, 14)]
    expected_bounds = (0, 14, 7, 14)
    assert ("x{{a}}y", expected_positions) == (wikitext, [omap.to_source(p) for p in range(8)])
    assert expected_spans == [
        omap.span_to_source(*s) for s in [(1, 6), (3, 4), (0, 1), (3, 3), (6, 7)]
    ]
    assert expected_bounds == (
        omap.to_source(-5),
        omap.to_source(99),
        omap.converted_length,
        omap.source_length,
    )


def test_offset_map_category_and_empty_spans() -> None:
    """A category link maps to its name; its inner title too; empty spans stay empty."""
    text = "CATEGORIES: People from Hamilton, Ontario, Owners\n"
    wikitext, omap, _ = flat_to_wikitext(text)
    expected_text = "[[Category:People from Hamilton, Ontario]][[Category:Owners]]\n"
    assert expected_text == wikitext
    first = wikitext.index("]]") + 2
    expected = [(12, 41), (12, 41), (43, 49), (41, 41)]
    assert expected == [
        omap.span_to_source(0, first),
        omap.span_to_source(2, first - 2),
        omap.span_to_source(first, len(wikitext) - 1),
        omap.span_to_source(first - 1, first - 1),
    ]


def test_offset_map_identity() -> None:
    """OffsetMap.identity maps every position and span to itself."""
    omap = OffsetMap.identity(5)
    empty = OffsetMap.identity(0)
    expected = ([0, 1, 2, 3, 4, 5], (1, 4), [(0, 5, 0)], 0, (0, 0))
    assert expected == (
        [omap.to_source(p) for p in range(6)],
        omap.span_to_source(1, 4),
        omap.verbatim_runs(),
        empty.to_source(3),
        empty.span_to_source(0, 2),
    )


# ---------------------------------------------------------------------- hypothesis properties

FRAGMENTS = [
    "[tpl]", "[/tpl]", "[ref]", "[/ref]", "[ref name=r]", "|", "=", "==", "==H==\n",
    "CATEGORIES: ", "CATEGORIES: A, B", ", ", "[[X]]\n", "[[File:F]]\n", "\n", "\n\n", " ",
    "a", "Texas", "#REDIRECT ", "T", "<", "'",
]  # fmt: skip
flat_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
brace_texts = st.lists(st.sampled_from([*FRAGMENTS, "{", "}", "{{", "}}"]), max_size=40).map(
    "".join
)
any_texts = st.one_of(st.text(), flat_texts, brace_texts)


def check_map(text: str) -> tuple[str, OffsetMap, list[str]]:
    """Convert and check the map invariants that hold for every input."""
    wikitext, omap, problems = flat_to_wikitext(text)
    assert all(isinstance(p, str) and "\n" not in p for p in problems)
    assert (len(wikitext), len(text)) == (omap.converted_length, omap.source_length)
    mapped = [omap.to_source(p) for p in range(len(wikitext) + 1)]
    assert mapped == sorted(mapped)
    assert all(0 <= m <= len(text) for m in mapped)
    for cs, ce, ss in omap.verbatim_runs():
        assert text[ss : ss + ce - cs] == wikitext[cs:ce]
        assert list(range(ss, ss + ce - cs)) == mapped[cs:ce]
    return wikitext, omap, problems


@settings(max_examples=300, deadline=None)
@given(any_texts)
def test_property_never_raises_and_map_monotonic(text: str) -> None:
    """Any text converts; to_source is monotonic, in range, identity on copied text."""
    check_map(text)


@settings(max_examples=200, deadline=None)
@given(any_texts, st.data())
def test_property_spans_ordered_and_in_range(text: str, data: st.DataObject) -> None:
    """span_to_source gives an ordered span within the original text."""
    wikitext, omap, _ = flat_to_wikitext(text)
    start = data.draw(st.integers(-2, len(wikitext) + 2))
    end = data.draw(st.integers(start, len(wikitext) + 3))
    a, b = omap.span_to_source(start, end)
    assert 0 <= a <= b <= len(text)


@settings(max_examples=300, deadline=None)
@given(flat_texts)
def test_property_templates_map_to_markers(text: str) -> None:
    """Without literal braces, every template parsed maps to a '[tpl]…[/tpl]' slice."""
    wikitext, omap, _ = check_map(text)
    for _, start, end in templates_of(wikitext):
        a, b = omap.span_to_source(start, end)
        expected = ("[tpl]", "[/tpl]")
        assert expected == (text[a : a + 5], text[b - 6 : b])


@given(st.text(alphabet=st.characters(blacklist_characters="[#:")))
def test_property_plain_text_is_identity(text: str) -> None:
    """Text with no markers, title, redirect or CATEGORIES line is copied unchanged."""
    wikitext, omap, problems = flat_to_wikitext(text)
    assert (text, []) == (wikitext, problems)
    assert list(range(len(text) + 1)) == [omap.to_source(p) for p in range(len(text) + 1)]
