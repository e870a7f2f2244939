"""Input dialects: detect them, and rewrite the *flat* corpus dialect to wikitext.

The flat dialect is a 2014 enwiki subset flattened for retrieval research.  A file holds
pages, each opened by a line that is exactly ``[[Title]]``; then an optional
``CATEGORIES: a, b, c`` line, ``==Headings==``, templates flattened to
``[tpl]name|k=v[/tpl]`` (nestable), refs flattened to ``[ref]…[/ref]`` and redirect stubs
``#REDIRECT Target [tpl]R from …[/tpl]`` (target not linked).  Ordinary links are plain
text.

:func:`flat_to_wikitext` rewrites one page to wikitext mwparserfromhell parses, with an
:class:`OffsetMap` taking every span of the rewrite back to the caller's text: a converted
``{{…}}`` maps to its ``[tpl]…[/tpl]``, a ``<ref>…</ref>`` to its ``[ref]…[/ref]``, a
category link to the category name's characters in the CATEGORIES line, copied text to
itself.  The conversion is a single regex scan; the map is sorted anchor arrays (bisect).
"""

from __future__ import annotations

import re
from bisect import bisect_right

import attrs

from extractor.page import ALL_CATEGORY_NAMES

__all__ = [
    "AU_STATES",
    "CA_PROVINCES",
    "COUNTRIES",
    "NAME_SUFFIXES",
    "PLACE_QUALIFIERS",
    "UK_COUNTRIES",
    "US_STATES",
    "FlatPage",
    "OffsetMap",
    "detect_dialect",
    "flat_title",
    "flat_to_wikitext",
    "split_categories",
    "split_flat_pages",
]

# --------------------------------------------------------------------------- place lists

#: US states and other US jurisdictions used as "City, State" qualifiers.
US_STATES: frozenset[str] = frozenset(
    {
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
        "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
        "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan",
        "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
        "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina",
        "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island",
        "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia",
        "Washington", "West Virginia", "Wisconsin", "Wyoming",
        "D.C.", "District of Columbia", "Puerto Rico", "Guam", "U.S. Virgin Islands",
        "American Samoa", "Northern Mariana Islands",
    }
)  # fmt: skip

#: Canadian provinces and territories.
CA_PROVINCES: frozenset[str] = frozenset(
    {
        "Alberta", "British Columbia", "Manitoba", "New Brunswick", "Newfoundland",
        "Newfoundland and Labrador", "Nova Scotia", "Ontario", "Prince Edward Island",
        "Quebec", "Québec", "Saskatchewan", "Northwest Territories", "Nunavut", "Yukon",
    }
)  # fmt: skip

#: Australian states and territories.
AU_STATES: frozenset[str] = frozenset(
    {
        "New South Wales", "Victoria", "Queensland", "South Australia", "Western Australia",
        "Tasmania", "Northern Territory", "Australian Capital Territory",
    }
)  # fmt: skip

#: Constituent countries of the United Kingdom and similar regional qualifiers.
UK_COUNTRIES: frozenset[str] = frozenset(
    {"England", "Scotland", "Wales", "Northern Ireland", "Isle of Man", "Channel Islands"}
)

#: Sovereign states (common English short names and frequent variants).
COUNTRIES: frozenset[str] = frozenset(
    {
        "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Antigua and Barbuda",
        "Argentina", "Armenia", "Australia", "Austria", "Azerbaijan", "Bahamas",
        "The Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belarus", "Belgium", "Belize",
        "Benin", "Bhutan", "Bolivia", "Bosnia and Herzegovina", "Botswana", "Brazil", "Brunei",
        "Bulgaria", "Burkina Faso", "Burma", "Burundi", "Cambodia", "Cameroon", "Canada",
        "Cape Verde", "Central African Republic", "Chad", "Chile", "China", "Colombia",
        "Comoros", "Costa Rica", "Croatia", "Cuba", "Cyprus", "Czech Republic", "Czechia",
        "Democratic Republic of the Congo", "Republic of the Congo", "Denmark", "Djibouti",
        "Dominica", "Dominican Republic", "East Timor", "Ecuador", "Egypt", "El Salvador",
        "Equatorial Guinea", "Eritrea", "Estonia", "Eswatini", "Swaziland", "Ethiopia", "Fiji",
        "Finland", "France", "Gabon", "The Gambia", "Gambia", "Germany", "Ghana", "Greece",
        "Grenada", "Guatemala", "Guinea", "Guinea-Bissau", "Guyana", "Haiti", "Honduras",
        "Hungary", "Iceland", "India", "Indonesia", "Iran", "Iraq", "Ireland",
        "Republic of Ireland", "Israel", "Italy", "Ivory Coast", "Jamaica", "Japan", "Jordan",
        "Kazakhstan", "Kenya", "Kiribati", "Kosovo", "Kuwait", "Kyrgyzstan", "Laos", "Latvia",
        "Lebanon", "Lesotho", "Liberia", "Libya", "Liechtenstein", "Lithuania", "Luxembourg",
        "Macedonia", "Republic of Macedonia", "North Macedonia", "Madagascar", "Malawi",
        "Malaysia", "Maldives", "Mali", "Malta", "Marshall Islands", "Mauritania", "Mauritius",
        "Mexico", "Micronesia", "Moldova", "Monaco", "Mongolia", "Montenegro", "Morocco",
        "Mozambique", "Myanmar", "Namibia", "Nauru", "Nepal", "Netherlands",
        "the Netherlands", "New Zealand", "Nicaragua", "Niger", "Nigeria", "North Korea",
        "Norway", "Oman", "Pakistan", "Palau", "Palestine", "Panama", "Papua New Guinea",
        "Paraguay", "Peru", "Philippines", "the Philippines", "Poland", "Portugal", "Qatar",
        "Romania", "Russia", "Rwanda", "Saint Kitts and Nevis", "Saint Lucia",
        "Saint Vincent and the Grenadines", "Samoa", "San Marino", "São Tomé and Príncipe",
        "Saudi Arabia", "Senegal", "Serbia", "Seychelles", "Sierra Leone", "Singapore",
        "Slovakia", "Slovenia", "Solomon Islands", "Somalia", "South Africa", "South Korea",
        "South Sudan", "Spain", "Sri Lanka", "Sudan", "Suriname", "Sweden", "Switzerland",
        "Syria", "Taiwan", "Tajikistan", "Tanzania", "Thailand", "Togo", "Tonga",
        "Trinidad and Tobago", "Tunisia", "Turkey", "Turkmenistan", "Tuvalu", "Uganda",
        "Ukraine", "United Arab Emirates", "United Kingdom", "the United Kingdom", "UK",
        "United States", "the United States", "USA", "U.S.", "Uruguay", "Uzbekistan",
        "Vanuatu", "Vatican City", "Venezuela", "Vietnam", "Yemen", "Zambia", "Zimbabwe",
        "Hong Kong", "Macau", "Greenland", "Soviet Union", "Yugoslavia",
    }
)  # fmt: skip

#: Every fragment that is glued back as a place qualifier ("Phoenix, Arizona").
PLACE_QUALIFIERS: frozenset[str] = US_STATES | CA_PROVINCES | AU_STATES | UK_COUNTRIES | COUNTRIES

#: Name suffixes glued back like place qualifiers ("Martin Luther King, Jr.").
NAME_SUFFIXES: frozenset[str] = frozenset(
    {"Jr.", "Jr", "Sr.", "Sr", "Inc.", "Inc", "Ltd.", "Ltd", "LLC", "L.P.", "S.A.", "II", "III"}
)

# ------------------------------------------------------------------------------ patterns

#: Namespace prefixes (casefolded) that stop a ``[[X:…]]`` line from opening a page.
_NAMESPACES = frozenset(
    n.casefold()
    for base in (
        "User", "Wikipedia", "WP", "Project", "File", "Image", "MediaWiki", "Template",
        "Help", "Category", "Portal", "Book", "Draft", "TimedText", "Module", "Gadget",
        "Gadget definition", "Education Program", "Topic",
    )
    for n in (base, f"{base} talk")
) | {"media", "special", "talk", "wt"} | {n.casefold() for n in ALL_CATEGORY_NAMES}  # fmt: skip

#: Interlanguage / interwiki prefixes such as ``de``, ``simple``, ``zh-min-nan``.
_LANG_PREFIX = re.compile(r"[a-z]{2,3}(?:-[a-z]{2,8})*|simple|commons|wikt|wiktionary")

#: A line that may open a page: ``[[Title]]`` and nothing else but trailing blanks.
_TITLE_LINE = re.compile(r"^\ufeff?\[\[([^\[\]{}|\n]+)\]\][ \t\r]*$", re.M)
#: A leading title line (after an optional BOM and blank lines).
_LEAD_TITLE = re.compile(r"\A\ufeff?(?:[ \t\r]*\n)*(\[\[([^\[\]{}|\n]+)\]\])[ \t\r]*(?:\n|\Z)")
#: The redirect stub on the first non-blank line: group 1 is the (unlinked) target.
_REDIRECT = re.compile(
    r"(?:[ \t\r]*\n)*[ \t]*#REDIRECT[ \t]*:?[ \t]*(?!\[\[)([^\[\]{}|<>\n]*[^\[\]{}|<>\s])",
    re.I,
)
#: The single scan of :func:`flat_to_wikitext`.
_SCAN = re.compile(
    r"(?P<tpl>\[tpl\])|(?P<etpl>\[/tpl\])"
    r"|(?P<ref>\[ref(?:[ \t][^\]\n<>]*)?\])|(?P<eref>\[/ref\])"
    r"|(?P<blank>\n(?:[ \t\r]*\n)+)"
    r"|^(?P<cat>CATEGORIES:(?P<cbody>[^\n]*))"
    r"|^(?P<title>\[\[[^\[\]{}|\n]+\]\])[ \t\r]*$",
    re.M,
)
_CATEGORIES_LINE = re.compile(r"^CATEGORIES:[ \t]", re.M)
_WIKITEXT_HINT = re.compile(
    r"\{\{|\}\}|\[\[|<ref|''|<!--|^\{\||^=+[^=\n].*=[ \t\r]*$|<br\s*/?>|__[A-Z]+__", re.M
)
_CATEGORY_SEP = re.compile(r",\s+")
_YEARISH = re.compile(r"\d{1,4}(?:s|\s*[–—-]\s*\d{1,4}s?)?(?:\s?(?:BC|BCE|AD|CE))?")
_LOWER_WORD = re.compile(r"[a-z]+(?:[\s\-']|$)")
_NAME_BAD = re.compile(r"[\[\]{}|<>\n]")

_HEAD = 65536


def _is_namespaced(title: str) -> bool:
    """True for ``File:x``, ``:x``, ``de:x`` and the like: never a page-opening title."""
    title = title.strip()
    if title.startswith(":"):
        return True
    prefix, colon, _ = title.partition(":")
    if not colon:
        return False
    prefix = prefix.strip()
    return prefix.casefold() in _NAMESPACES or _LANG_PREFIX.fullmatch(prefix) is not None


# ------------------------------------------------------------------------------ detection


def detect_dialect(text: str) -> str:
    """``'flat'``, ``'wikitext'`` or ``'text'``, judged on the first 64 KB only.

    flat: ``[tpl]``/``[ref]`` markers, a ``CATEGORIES: `` line, or a leading ``[[Title]]``
    line followed by a blank line with no ``{{``/``<ref``/``'''`` in sight.  Flat markers win
    over wikitext ones (the real corpus keeps stray ``}}`` remnants).  wikitext: ``{{ }}``,
    ``[[ ]]``, ``<ref``, ``''``, ``== headings ==``, comments, tables.  text: otherwise.
    """
    head = text[:_HEAD].removeprefix("\ufeff")
    if "[tpl]" in head or "[/tpl]" in head or "[ref]" in head or "[/ref]" in head:
        return "flat"
    if _CATEGORIES_LINE.search(head):
        return "flat"
    m = _LEAD_TITLE.match(head)
    if (
        m is not None
        and not _is_namespaced(m.group(2))
        and re.match(r"[ \t\r]*(?:\n|\Z)", head[m.end() :])
        and "{{" not in head
        and "<ref" not in head
        and "'''" not in head
    ):
        return "flat"
    if _WIKITEXT_HINT.search(head):
        return "wikitext"
    return "text"


# --------------------------------------------------------------------------------- pages


@attrs.frozen
class FlatPage:
    """One page of a flat file: ``text[start:end]`` is the page, title line included."""

    title: str
    start: int
    end: int


def _title_line_opens_page(text: str, start: int) -> bool:
    """A title line opens a page at the start of the text or after a blank line."""
    if start == 0:
        return True
    prev_end = start - 1  # the newline ending the previous line
    prev_start = text.rfind("\n", 0, prev_end) + 1
    return not text[prev_start:prev_end].strip(" \t\r\ufeff")


def split_flat_pages(text: str) -> list[FlatPage]:
    """Pages of a flat-dialect file, in order; ``[]`` when no line opens a page.

    A page opens at a line that is exactly ``[[Title]]`` (trailing blanks allowed) which is
    at the start of the text or preceded by a blank line, and whose title has no namespace
    prefix (``File:``, ``Category:``, ``de:``, a leading ``:`` …).  A page runs to the next
    page's title line, so the pages tile the text from the first title to the end.  Text
    before the first title line belongs to no page: callers that care can check
    ``text[:pages[0].start].strip()``.
    """
    starts: list[tuple[int, str]] = []
    for m in _TITLE_LINE.finditer(text):
        title = m.group(1).strip()
        if title and not _is_namespaced(title) and _title_line_opens_page(text, m.start()):
            starts.append((m.start(), title))
    if not starts:
        return []
    ends = [s for s, _ in starts[1:]] + [len(text)]
    return [FlatPage(title, s, e) for (s, title), e in zip(starts, ends, strict=True)]


def flat_title(text: str) -> str | None:
    """Title from a leading ``[[Title]]`` line (after optional blank lines), else ``None``."""
    m = _LEAD_TITLE.match(text)
    if m is None:
        return None
    title = m.group(2).strip()
    return title if title and not _is_namespaced(title) else None


# ---------------------------------------------------------------------------- categories


def _glues(prev: str, frag: str) -> bool:
    """Whether ``frag`` continues the category ``prev`` rather than starting a new one."""
    return (
        prev.count("(") > prev.count(")")
        or frag in PLACE_QUALIFIERS
        or frag in NAME_SUFFIXES
        or _YEARISH.fullmatch(frag) is not None
        or _LOWER_WORD.match(frag) is not None
    )


def split_categories(line_body: str) -> list[tuple[str, int, int]]:
    """Category names of a CATEGORIES line's body, with ``[start, end)`` offsets in it.

    Rule: split on a comma followed by whitespace (``2,000 Guineas`` stays whole), trim,
    drop empty fragments, then glue a fragment back onto the previous name when the
    previous name has an unclosed ``(``, or the fragment is a place qualifier
    (:data:`PLACE_QUALIFIERS`: US states, Canadian provinces, Australian states, UK
    countries, countries) or a name suffix (``Jr.``), or is a bare year/decade/range
    (``1960``, ``1990s``, ``1914–1918``), or its first word is all lowercase (``iOS`` is
    not).  Limit: a category literally named like a place ("Texas") that is not first on
    the line is glued onto its predecessor.
    """
    frags: list[tuple[int, int]] = []
    pos = 0
    for sep in _CATEGORY_SEP.finditer(line_body):
        frags.append((pos, sep.start()))
        pos = sep.end()
    frags.append((pos, len(line_body)))
    out: list[tuple[str, int, int]] = []
    for a, b in frags:
        frag = line_body[a:b]
        stripped = frag.strip()
        if not stripped:
            continue
        a += len(frag) - len(frag.lstrip())
        b = a + len(stripped)
        if out and _glues(out[-1][0], stripped):
            start = out[-1][1]
            out[-1] = (line_body[start:b], start, b)
        else:
            out.append((stripped, a, b))
    return out


# ----------------------------------------------------------------------------- offset map

_COPIED, _ALIGNED, _REPLACED = 0, 1, 2


class OffsetMap:
    """Maps positions in converted wikitext back to positions in the original flat text.

    The converted text is tiled by segments, each tied to a source range: *copied* (same
    characters), *aligned* (same length, blanked) or *replaced* (markup standing for a
    source range, e.g. ``{{`` for ``[tpl]``, or ``[[Category:`` for the empty range at a
    name's start).  Positions map linearly in copied/aligned segments; in a replaced one the
    first position maps to the range's start and later ones to its end.
    """

    __slots__ = ("_clen", "_cstart", "_kind", "_send", "_slen", "_sstart")

    def __init__(
        self,
        cstart: list[int],
        sstart: list[int],
        send: list[int],
        kind: list[int],
        converted_length: int,
        source_length: int,
    ) -> None:
        self._cstart = cstart
        self._sstart = sstart
        self._send = send
        self._kind = kind
        self._clen = converted_length
        self._slen = source_length

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        """The map of a text converted to itself."""
        if length == 0:
            return cls([], [], [], [], 0, 0)
        return cls([0], [0], [length], [_COPIED], length, length)

    @property
    def converted_length(self) -> int:
        """Length of the converted text."""
        return self._clen

    @property
    def source_length(self) -> int:
        """Length of the original text."""
        return self._slen

    def to_source(self, pos: int) -> int:
        """Source position of converted position ``pos`` (clamped to the text)."""
        if pos >= self._clen:
            return self._slen
        i = bisect_right(self._cstart, max(pos, 0)) - 1
        if i < 0:
            return 0
        cs = self._cstart[i]
        if self._kind[i] != _REPLACED:
            return self._sstart[i] + (max(pos, 0) - cs)
        return self._sstart[i] if pos <= cs else self._send[i]

    def _end_to_source(self, end: int) -> int:
        """Source position of an exclusive span end ``end`` (``0 < end <= length``)."""
        i = bisect_right(self._cstart, end - 1) - 1
        cs = self._cstart[i]
        if self._kind[i] != _REPLACED:
            return self._sstart[i] + (end - cs)
        ce = self._cstart[i + 1] if i + 1 < len(self._cstart) else self._clen
        return self._send[i] if end >= ce else self._sstart[i]

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source span of converted span ``[start, end)``; a whole converted construct maps
        to the whole original construct, copied text to itself."""
        start = min(max(start, 0), self._clen)
        end = min(max(end, 0), self._clen)
        a = self.to_source(start)
        if end <= start:
            return a, a
        return a, max(a, self._end_to_source(end))

    def verbatim_runs(self) -> list[tuple[int, int, int]]:
        """``(conv_start, conv_end, src_start)`` of every run copied unchanged."""
        if not self._cstart:
            return []
        ends = [*self._cstart[1:], self._clen]
        return [
            (cs, ce, ss)
            for cs, ce, ss, k in zip(self._cstart, ends, self._sstart, self._kind, strict=True)
            if k == _COPIED
        ]


# ----------------------------------------------------------------------------- conversion


def flat_to_wikitext(
    text: str, *, category_prefix: str = "Category"
) -> tuple[str, OffsetMap, list[str]]:
    """Rewrite one flat page to wikitext, with its :class:`OffsetMap` and problems.

    - The leading ``[[Title]]`` line is blanked to spaces (offsets stay identity; it yields
      no link).  A later page-opening title line is blanked too, with a problem.
    - A ``CATEGORIES:`` line (at any line start) becomes one ``[[Category:Name]]`` per name
      of :func:`split_categories`; each link maps to exactly the name's characters.  A name
      holding ``[]{}|<>`` is dropped with a problem.
    - ``[tpl]``/``[/tpl]`` become ``{{``/``}}`` and ``[ref]``/``[/ref]`` (also
      ``[ref name=x]``) become ``<ref>``/``</ref>``, matched with one stack, innermost
      first.  A pair never spans a blank line or a CATEGORIES line.  An opener left
      unclosed, or a closer with no opener, stays literal text and gives a problem such as
      ``"unterminated [tpl] at offset 123"``; a closer skipping over open markers closes
      its own kind and leaves those literal.  A space keeps a ``{{`` off a neighbouring
      ``{`` (``{{{{a}}}}`` would parse as ``{{{a}}}``).  Never raises.
    - A first non-blank line ``#REDIRECT Target …`` gets ``[[Target]]``.
    - Everything else is copied verbatim.  Offsets are those of ``text``.
    """
    problems: list[str] = []
    # Events in source order: a source range and its replacement (None: left literal).
    events: list[tuple[int, int]] = []
    repl: list[str | None] = []
    cats: dict[int, list[tuple[int, int]]] = {}  # event index -> name spans
    aligned: set[int] = set()  # event indexes that blank to spaces

    def add(start: int, end: int, replacement: str | None) -> int:
        events.append((start, end))
        repl.append(replacement)
        return len(events) - 1

    pos = 0
    lead = _LEAD_TITLE.match(text)
    if lead is not None and not _is_namespaced(lead.group(2)):
        aligned.add(add(lead.start(1), lead.end(1), " " * (lead.end(1) - lead.start(1))))
        pos = lead.end(1)
    red = _REDIRECT.match(text, pos)
    if red is not None:
        add(red.start(1), red.start(1), "[[")
        add(red.end(1), red.end(1), "]]")
        pos = red.end(1)

    stack: list[tuple[str, int]] = []  # (marker kind, event index)

    def flush() -> None:
        for kind, idx in stack:
            problems.append(f"unterminated [{kind}] at offset {events[idx][0]}")
        stack.clear()

    for m in _SCAN.finditer(text, pos):
        group = m.lastgroup
        if group == "tpl" or group == "ref":
            stack.append((group, add(m.start(), m.end(), None)))
        elif group == "etpl" or group == "eref":
            kind = group[1:]
            j = len(stack) - 1
            while j >= 0 and stack[j][0] != kind:
                j -= 1
            if j < 0:
                problems.append(f"stray [/{kind}] at offset {m.start()}")
                continue
            for inner_kind, idx in stack[j + 1 :]:
                problems.append(f"unterminated [{inner_kind}] at offset {events[idx][0]}")
            opener = stack[j][1]
            del stack[j:]
            if kind == "tpl":
                repl[opener] = "{{"
                add(m.start(), m.end(), "}}")
            else:
                o_start, o_end = events[opener]
                repl[opener] = "<ref" + text[o_start + 4 : o_end - 1] + ">"
                add(m.start(), m.end(), "</ref>")
        elif group == "blank":
            flush()
        elif group == "cat":
            flush()
            body_start = m.start("cbody")
            names: list[tuple[int, int]] = []
            for name, a, b in split_categories(m.group("cbody")):
                if _NAME_BAD.search(name):
                    problems.append(f"category with markup dropped at offset {body_start + a}")
                else:
                    names.append((body_start + a, body_start + b))
            cats[add(m.start(), m.end(), "")] = names
        else:  # a title line inside the page
            if _is_namespaced(m.group("title")[2:-2]) or not _title_line_opens_page(
                text, m.start()
            ):
                continue
            problems.append(f"page title line inside the page at offset {m.start()}")
            s, e = m.start("title"), m.end("title")
            aligned.add(add(s, e, " " * (e - s)))
    flush()

    out: list[str] = []
    cstart: list[int] = []
    sstart: list[int] = []
    send: list[int] = []
    kinds: list[int] = []
    clen = 0
    cur = 0
    link_open = f"[[{category_prefix}:"
    for idx, (start, end) in enumerate(events):
        r = repl[idx]
        if r is None:
            continue
        if start > cur:  # copied text before the event
            out.append(text[cur:start])
            cstart.append(clen)
            sstart.append(cur)
            send.append(start)
            kinds.append(_COPIED)
            clen += start - cur
        if idx in cats:
            for a, b in cats[idx]:
                for piece, s0, s1, k in (
                    (link_open, a, a, _REPLACED),
                    (text[a:b], a, b, _COPIED),
                    ("]]", b, b, _REPLACED),
                ):
                    out.append(piece)
                    cstart.append(clen)
                    sstart.append(s0)
                    send.append(s1)
                    kinds.append(k)
                    clen += len(piece)
        elif r:
            if r == "{{":
                if out and out[-1].endswith("{"):  # "{{{{" would parse as {{{arg}}}
                    out.append(" ")
                    cstart.append(clen)
                    sstart.append(start)
                    send.append(start)
                    kinds.append(_REPLACED)
                    clen += 1
                if text.startswith("{", end):
                    r = "{{ "
            out.append(r)
            cstart.append(clen)
            sstart.append(start)
            send.append(end)
            kinds.append(_ALIGNED if idx in aligned else _REPLACED)
            clen += len(r)
        cur = end
    if cur < len(text):
        out.append(text[cur:])
        cstart.append(clen)
        sstart.append(cur)
        send.append(len(text))
        kinds.append(_COPIED)
        clen += len(text) - cur
    return "".join(out), OffsetMap(cstart, sstart, send, kinds, clen, len(text)), problems
