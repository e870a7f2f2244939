"""Normalize and validate the identifiers that CS1/CS2 citation templates carry.

Citation templates hold identifiers (``|isbn=``, ``|doi=``, ``|pmid=`` ...) as editors typed
them: with hyphens, URL prefixes, stray punctuation.  :func:`normalize_identifier` turns one
such value into a canonical form that can be compared and joined across pages, and says
whether it is well formed, so a bad ISBN is reported rather than silently kept.

Supported kinds: ``doi isbn issn eissn pmid pmc arxiv oclc jstor bibcode lccn ismn ssrn hdl
s2cid zbl jfm mr osti rfc biorxiv medrxiv citeseerx asin ol sbn``.

The rules follow Module:Citation/CS1/Identifiers where it is strict about shape, and are
more lenient about decoration it would flag but that does not change the identifier: a
leading label such as ``ISBN`` / ``PMID:`` / ``arXiv:`` or a resolver URL prefix is dropped
and the identifier still counts as valid.  Nothing here raises on any input string.

:class:`Identifier` is the record type of :mod:`extractor.records`, re-exported here so that
what this module returns goes into a record unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

from extractor.records import Identifier

__all__ = ["IDENTIFIER_PARAMS", "SUPPORTED_KINDS", "Identifier", "normalize_identifier"]


#: CS1 parameter name (exactly as CS1 accepts it; the uppercase forms are CS1's own
#: aliases) -> identifier kind.  Within one kind, earlier names take precedence, as in
#: CS1's ``id_handlers`` table.  ``eprint`` is the arXiv alias used by ``{{cite arXiv}}``;
#: ``ARXIV``, ``isbn13`` and ``ISBN13`` are retired aliases still found in old revisions.
IDENTIFIER_PARAMS: Mapping[str, str] = MappingProxyType(
    {
        "arxiv": "arxiv",
        "eprint": "arxiv",
        "ARXIV": "arxiv",
        "asin": "asin",
        "ASIN": "asin",
        "bibcode": "bibcode",
        "biorxiv": "biorxiv",
        "citeseerx": "citeseerx",
        "doi": "doi",
        "DOI": "doi",
        "eissn": "eissn",
        "EISSN": "eissn",
        "hdl": "hdl",
        "HDL": "hdl",
        "isbn": "isbn",
        "ISBN": "isbn",
        "isbn13": "isbn",
        "ISBN13": "isbn",
        "ismn": "ismn",
        "ISMN": "ismn",
        "issn": "issn",
        "ISSN": "issn",
        "jfm": "jfm",
        "JFM": "jfm",
        "jstor": "jstor",
        "JSTOR": "jstor",
        "lccn": "lccn",
        "LCCN": "lccn",
        "medrxiv": "medrxiv",
        "mr": "mr",
        "MR": "mr",
        "oclc": "oclc",
        "OCLC": "oclc",
        "ol": "ol",
        "OL": "ol",
        "osti": "osti",
        "OSTI": "osti",
        "pmc": "pmc",
        "PMC": "pmc",
        "pmid": "pmid",
        "PMID": "pmid",
        "rfc": "rfc",
        "RFC": "rfc",
        "s2cid": "s2cid",
        "S2CID": "s2cid",
        "sbn": "sbn",
        "SBN": "sbn",
        "ssrn": "ssrn",
        "SSRN": "ssrn",
        "zbl": "zbl",
        "ZBL": "zbl",
    }
)

# A normalizer returns (normalized value, problem or None).
_Result = tuple[str, str | None]

_WS = re.compile(r"\s+")
_DIGITS = re.compile(r"[0-9]+")


def _squash(text: str) -> str:
    """Drop every whitespace character."""
    return _WS.sub("", text)


def _strip_label(text: str, label: str) -> str:
    """Drop a leading ``LABEL``, ``LABEL:`` or ``LABEL `` (any case) from ``text``."""
    match = re.match(rf"{label}\s*:?\s*", text, re.IGNORECASE)
    return text[match.end() :] if match else text


def _strip_zeros(digits: str) -> str:
    """``"00123"`` -> ``"123"`` without int() (which limits string length); ``"0"`` stays."""
    return digits.lstrip("0") or "0"


def _positive_number(text: str, name: str, max_digits: int | None = None) -> _Result:
    """A positive decimal number; leading zeros are dropped from the normalized value."""
    if not _DIGITS.fullmatch(text):
        return text, f"{name} is not a number"
    value = _strip_zeros(text)
    if value == "0":
        return value, f"{name} must be greater than 0"
    if max_digits is not None and len(value) > max_digits:
        return value, f"{name} has more than {max_digits} digits"
    return value, None


# --- ISBN / ISMN / SBN -------------------------------------------------------------------

_ISBN_CHARS = re.compile(r"[0-9Xx\s-]+")


def _isbn10_ok(digits: str) -> bool:
    """Mod-11 check over ten characters, ``X`` standing for 10 in the last place."""
    total = sum((10 - i) * (10 if ch == "X" else int(ch)) for i, ch in enumerate(digits))
    return total % 11 == 0


def _ean13_ok(digits: str) -> bool:
    """Mod-10 check with weights 1,3,1,3... over 13 digits (ISBN-13, ISMN)."""
    total = sum(int(ch) * (3 if i % 2 else 1) for i, ch in enumerate(digits))
    return total % 10 == 0


def _isbn(text: str) -> _Result:
    """ISBN-10 or ISBN-13; hyphens and spaces allowed; value is digits and ``X`` only."""
    text = re.sub(r"^isbn(?:-1[03])?\s*:?\s*", "", text.strip(), flags=re.IGNORECASE)
    if not _ISBN_CHARS.fullmatch(text):
        return _squash(text), "ISBN has characters other than digits, X, hyphens and spaces"
    value = _squash(text).replace("-", "").upper()
    if len(value) == 10:
        if not re.fullmatch(r"[0-9]{9}[0-9X]", value):
            return value, "ISBN has X other than as the last character"
        return value, None if _isbn10_ok(value) else "ISBN checksum mismatch"
    if len(value) == 13:
        if "X" in value:
            return value, "ISBN-13 has a non-digit"
        if not value.startswith(("978", "979")):
            return value, "ISBN-13 does not start with 978 or 979"
        return value, None if _ean13_ok(value) else "ISBN checksum mismatch"
    return value, f"ISBN has {len(value)} characters; expected 10 or 13"


def _sbn(text: str) -> _Result:
    """A 9-character Standard Book Number: an ISBN-10 without its leading 0."""
    text = _strip_label(text.strip(), "sbn")
    if not _ISBN_CHARS.fullmatch(text):
        return _squash(text), "SBN has characters other than digits, X, hyphens and spaces"
    value = _squash(text).replace("-", "").upper()
    if not re.fullmatch(r"[0-9]{8}[0-9X]", value):
        return value, "SBN is not 9 characters (8 digits and a digit or X)"
    return value, None if _isbn10_ok("0" + value) else "SBN checksum mismatch"


def _ismn(text: str) -> _Result:
    """ISMN: 13 digits starting 9790 (an old ``M`` prefix is read as 9790)."""
    text = _strip_label(text.strip(), "ismn")
    value = _squash(text).replace("-", "").upper()
    if value.startswith("M"):
        value = "9790" + value[1:]
    if not re.fullmatch(r"[0-9]{13}", value):
        return value, "ISMN is not 13 digits"
    if not value.startswith("9790"):
        return value, "ISMN does not start with 979-0"
    return value, None if _ean13_ok(value) else "ISMN checksum mismatch"


# --- ISSN ----------------------------------------------------------------------------------


def _issn(text: str, name: str = "ISSN") -> _Result:
    """ISSN/eISSN ``NNNN-NNNC`` with a mod-11 check character (``X`` = 10)."""
    text = _strip_label(text.strip(), name)
    compact = _squash(text).replace("-", "").upper()
    if not re.fullmatch(r"[0-9]{7}[0-9X]", compact):
        return compact, f"{name} is not 8 characters of the form NNNN-NNNC"
    value = f"{compact[:4]}-{compact[4:]}"
    total = sum((8 - i) * int(ch) for i, ch in enumerate(compact[:7]))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return value, None if compact[7] == expected else f"{name} checksum mismatch"


# --- DOI -------------------------------------------------------------------------------------

_DOI_PREFIX = re.compile(
    r"^(?:doi\s*:\s*|(?:https?:)?//(?:(?:dx|www)\.)?doi\.org/|(?:(?:dx|www)\.)?doi\.org/)",
    re.IGNORECASE,
)
_DOI_JUNK = ("/abstract", "/full", "/pdf", "/epdf", "/meta")
_DOI_SHAPE = re.compile(r"10\.([0-9]+(?:\.[0-9]+)*)/(\S+)")
#: What no registered DOI holds: a double quote, HTML markup (``<`` opening a tag, comment or
#: declaration; SICI DOIs' ``<475::AID-JBM7>`` are fine), an en dash (CS1) or a control
#: character.  ``10.1000/"><script>`` is not a DOI.
_DOI_FORBIDDEN = re.compile(r"[\"–\x00-\x1f\x7f-\x9f]|<[A-Za-z/!?]")


def _doi(text: str) -> _Result:
    """DOI ``10.NNNN/suffix``: resolver/``doi:`` prefixes, ``%2F``, junk suffixes dropped;
    the registrant and suffix checked as CS1 checks them, and against HTML.

    Junk suffixes are path tails that publisher URLs add after the DOI (``/abstract``,
    ``/full``, ``/pdf``, ``/epdf``, ``/meta``); ``.pdf`` is kept because it can belong to a
    real suffix.  Case is kept (DOIs are case-insensitive but are usually compared as typed).
    """
    value = text.strip()
    while True:
        stripped = _DOI_PREFIX.sub("", value, count=1)
        if stripped == value:
            break
        value = stripped.strip()
    value = re.sub("%2f", "/", value, flags=re.IGNORECASE)
    while True:
        before = value
        value = value.rstrip(".,;")
        for junk in _DOI_JUNK:
            if value.lower().endswith(junk) and value.count("/") > 1:
                value = value[: -len(junk)]
        if value == before:
            break
    if not value.startswith("10."):
        return value, "DOI does not start with '10.'"
    if _WS.search(value):
        return value, "DOI contains whitespace"
    shape = _DOI_SHAPE.fullmatch(value)
    if shape is None or len(shape[1].partition(".")[0]) < 4:
        return value, "DOI is not of the form 10.NNNN/suffix"
    if not _registrant_ok(shape[1]):
        return value, f"DOI registrant {shape[1]} is not one CS1 accepts"
    if _DOI_FORBIDDEN.search(shape[2]):
        return value, "DOI suffix has a character no DOI has (quote, markup, dash or control)"
    return value, None


def _registrant_ok(registrant: str) -> bool:
    """A registrant code CS1 accepts: 1000-9999, or 10000-59999 (10000-39999 with a
    subcode such as ``10.10001.5``); never the test registrant 5555."""
    code, subcode, _ = registrant.partition(".")
    if code == "5555" or code.startswith("0"):
        return False
    if len(code) == 4:
        return True
    return len(code) == 5 and int(code) <= (39999 if subcode else 59999)


# --- arXiv -------------------------------------------------------------------------------------

_ARXIV_PREFIX = re.compile(
    r"^(?:arxiv\s*:\s*|(?:https?:)?//(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", re.IGNORECASE
)
_ARXIV_NEW = re.compile(r"([0-9]{2})([0-9]{2})\.([0-9]{4,5})(v[1-9][0-9]*)?")
_ARXIV_OLD = re.compile(
    r"([a-z]+(?:-[a-z]+)*)(\.[A-Z]{2})?/([0-9]{2})([0-9]{2})([0-9]{3})(v[1-9][0-9]*)?"
)


def _arxiv(text: str) -> _Result:
    """arXiv id: ``YYMM.NNNN`` (2007-04..2014-12) / ``YYMM.NNNNN`` (2015-01 on), or old
    style ``archive(.XX)/YYMMNNN`` (1991-08..2007-03); an optional ``vN`` is kept."""
    value = _ARXIV_PREFIX.sub("", text.strip(), count=1).strip()
    if value.lower().endswith(".pdf"):
        value = value[:-4]
    new = _ARXIV_NEW.fullmatch(value)
    if new:
        yymm = int(new.group(1) + new.group(2))
        if not 1 <= int(new.group(2)) <= 12:
            return value, "arXiv id has an invalid month"
        if yymm < 704:
            return value, "arXiv new-style id dated before 2007-04"
        wanted = 4 if yymm <= 1412 else 5
        if len(new.group(3)) != wanted:
            return value, f"arXiv id from {new.group(1)}{new.group(2)} needs {wanted} digits"
        return value, None
    old = _ARXIV_OLD.fullmatch(value)
    if old:
        year, month = int(old.group(3)), int(old.group(4))
        if not 1 <= month <= 12:
            return value, "arXiv id has an invalid month"
        if not (year >= 91 or year <= 7):
            return value, "arXiv old-style id dated outside 1991-2007"
        return value, None
    return value, "arXiv id is neither YYMM.NNNN(N) nor archive/YYMMNNN"


# --- numeric and simply shaped ids ---------------------------------------------------------------


def _pmid(text: str) -> _Result:
    """PubMed id: 1-8 digits, greater than 0."""
    return _positive_number(_squash(_strip_label(text.strip(), "pmid")), "PMID", 8)


def _pmc(text: str) -> _Result:
    """PubMed Central id: digits > 0, an optional ``PMC`` prefix dropped."""
    return _positive_number(_squash(_strip_label(text.strip(), "pmc")), "PMC")


def _oclc(text: str) -> _Result:
    """OCLC number: digits > 0 after dropping ``(OCoLC)`` and ``ocm``/``ocn``/``on``."""
    value = _squash(text)
    value = re.sub(r"^(?:\(ocolc\)|oclc:?)", "", value, flags=re.IGNORECASE)
    value = re.sub(r"^(?:ocm|ocn|on)(?=[0-9])", "", value)
    return _positive_number(value, "OCLC")


def _prefixed_number(label: str, name: str) -> Callable[[str], _Result]:
    """A normalizer for a positive number with an optional leading label."""

    def normalize(text: str) -> _Result:
        return _positive_number(_squash(_strip_label(text.strip(), label)), name)

    return normalize


def _mr(text: str) -> _Result:
    """Mathematical Reviews number: digits, kept as written (leading zeros are customary)."""
    value = _squash(_strip_label(text.strip(), "mr"))
    if not _DIGITS.fullmatch(value):
        return value, "MR is not a number"
    if set(value) == {"0"}:
        return value, "MR must be greater than 0"
    return value, None


def _jstor(text: str) -> _Result:
    """JSTOR stable id: usually digits, but also DOI-like ``10.2307/NNN`` or ``j.ctt...``.

    Permissive on purpose: any run of letters, digits and ``. _ / ( ) -`` without
    whitespace is accepted once a ``jstor.org/stable/`` URL prefix is removed.
    """
    value = re.sub(
        r"^(?:https?:)?//(?:www\.)?jstor\.org/stable/", "", text.strip(), flags=re.IGNORECASE
    )
    value = _strip_label(value, "jstor").strip()
    if _WS.search(value):
        return value, "JSTOR id contains whitespace"
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/()-]*", value):
        return value, "JSTOR id has unexpected characters"
    return value, None


def _bibcode(text: str) -> _Result:
    """ADS bibcode: exactly 19 characters, the first four a year."""
    value = text.strip()
    if len(value) != 19:
        return value, f"bibcode has {len(value)} characters; expected 19"
    if not re.match(r"[0-9]{4}", value):
        return value, "bibcode does not start with a 4-digit year"
    if _WS.search(value):
        return value, "bibcode contains whitespace"
    return value, None


_LCCN_SHAPE = re.compile(r"[a-z]{0,3}[0-9]{8}|[a-z]{0,2}[0-9]{10}")


def _lccn(text: str) -> _Result:
    """LCCN, normalized per the Library of Congress rules.

    Blanks removed, anything from a ``/`` on dropped, and a hyphen removed with the serial
    after it left-padded with zeros to 6 digits (``n78-89035`` -> ``n78089035``).  The
    result must be an optional lowercase prefix, a 2- or 4-digit year and a 6-digit serial.
    """
    value = _squash(text).split("/", 1)[0]
    if "-" in value:
        head, _, serial = value.partition("-")
        if _DIGITS.fullmatch(serial) and len(serial) <= 6:
            serial = serial.zfill(6)
        value = head + serial
    value = value.lower()
    if not _LCCN_SHAPE.fullmatch(value):
        return value, "LCCN is not [prefix]YY+6 digits or [prefix]YYYY+6 digits"
    return value, None


def _hdl(text: str) -> _Result:
    """Handle ``prefix/suffix`` with ``hdl:`` or ``hdl.handle.net/`` prefixes dropped."""
    value = re.sub(
        r"^(?:hdl\s*:\s*|(?:https?:)?//hdl\.handle\.net/)", "", text.strip(), flags=re.IGNORECASE
    )
    if not re.fullmatch(r"[^/\s]+/\S+", value):
        return value, "handle is not of the form prefix/suffix"
    return value, None


_RXIV_SHAPE = re.compile(
    r"10\.1101/(?:[0-9]{6}|[0-9]{4}\.[0-9]{2}\.[0-9]{2}\.[0-9]{6,8})(?:v[1-9][0-9]*)?"
)


def _rxiv(server: str) -> Callable[[str], _Result]:
    """bioRxiv/medRxiv id: a ``10.1101/`` DOI, the prefix added when only the suffix is given."""

    def normalize(text: str) -> _Result:
        value = re.sub(
            rf"^(?:(?:https?:)?//(?:www\.)?{server.lower()}\.org/content/|doi\s*:\s*)",
            "",
            text.strip(),
            flags=re.IGNORECASE,
        )
        value = re.sub(r"^(?:(?:https?:)?//)?(?:dx\.)?doi\.org/", "", value, flags=re.IGNORECASE)
        value = re.sub(r"(?:\.full|\.abstract)?(?:\.pdf)?$", "", value, flags=re.IGNORECASE)
        if not value.startswith("10."):
            value = "10.1101/" + value
        if not _RXIV_SHAPE.fullmatch(value):
            return value, f"{server} id is not 10.1101/NNNNNN or 10.1101/YYYY.MM.DD.NNNNNN"
        return value, None

    return normalize


def _citeseerx(text: str) -> _Result:
    """CiteSeerX id ``10.1.1.N.N`` (a ``...?doi=`` URL prefix is dropped)."""
    value = re.sub(r"^.*[?&]doi=", "", text.strip())
    if not re.fullmatch(r"10\.1\.1\.[1-9][0-9]{0,3}\.[1-9][0-9]{0,3}", value):
        return value, "CiteSeerX id is not of the form 10.1.1.N.N"
    return value, None


def _asin(text: str) -> _Result:
    """Amazon ASIN: 10 letters or digits, uppercased."""
    value = _squash(_strip_label(text.strip(), "asin")).upper()
    if not re.fullmatch(r"[A-Z0-9]{10}", value):
        return value, "ASIN is not 10 letters or digits"
    return value, None


def _zbl(text: str) -> _Result:
    """Zentralblatt MATH id ``NNNN.NNNNN``."""
    value = _squash(_strip_label(text.strip(), "zbl"))
    if not re.fullmatch(r"[0-9]{4}\.[0-9]{5}", value):
        return value, "Zbl id is not of the form NNNN.NNNNN"
    return value, None


def _jfm(text: str) -> _Result:
    """Jahrbuch über die Fortschritte der Mathematik id ``NN.NNNN.NN``."""
    value = _squash(_strip_label(text.strip(), "jfm"))
    if not re.fullmatch(r"[0-9]{2}\.[0-9]{4}\.[0-9]{2}", value):
        return value, "JFM id is not of the form NN.NNNN.NN"
    return value, None


def _ol(text: str) -> _Result:
    """Open Library id ``OLnnnA``/``M``/``W``; the ``OL`` prefix is added when missing."""
    value = _squash(text).upper()
    if not value.startswith("OL"):
        value = "OL" + value
    if not re.fullmatch(r"OL[0-9]+[AMW]", value):
        return value, "OL id is not of the form OLnnnA, OLnnnM or OLnnnW"
    return value, None


_NORMALIZERS: Mapping[str, Callable[[str], _Result]] = MappingProxyType(
    {
        "arxiv": _arxiv,
        "asin": _asin,
        "bibcode": _bibcode,
        "biorxiv": _rxiv("bioRxiv"),
        "citeseerx": _citeseerx,
        "doi": _doi,
        "eissn": lambda text: _issn(text, "eISSN"),
        "hdl": _hdl,
        "isbn": _isbn,
        "ismn": _ismn,
        "issn": _issn,
        "jfm": _jfm,
        "jstor": _jstor,
        "lccn": _lccn,
        "medrxiv": _rxiv("medRxiv"),
        "mr": _mr,
        "oclc": _oclc,
        "ol": _ol,
        "osti": _prefixed_number("osti", "OSTI"),
        "pmc": _pmc,
        "pmid": _pmid,
        "rfc": _prefixed_number("rfc", "RFC"),
        "s2cid": _prefixed_number("s2cid", "S2CID"),
        "sbn": _sbn,
        "ssrn": _prefixed_number("ssrn", "SSRN"),
        "zbl": _zbl,
    }
)

#: Every kind :func:`normalize_identifier` knows.
SUPPORTED_KINDS: frozenset[str] = frozenset(_NORMALIZERS)


def normalize_identifier(kind: str, raw: str) -> Identifier:
    """Normalize and validate ``raw`` as an identifier of ``kind`` (case-insensitive).

    Never raises: an empty value, an unknown kind or any malformed text gives an
    ``Identifier`` with ``valid=False`` and a one-line ``problem``.
    """
    key = kind.strip().lower()
    normalizer = _NORMALIZERS.get(key)
    if normalizer is None:
        return Identifier(key, raw.strip(), raw, False, f"unknown identifier kind {kind!r}")
    if not raw.strip():
        return Identifier(key, "", raw, False, f"empty {key} value")
    value, problem = normalizer(raw)
    return Identifier(key, value, raw, problem is None, problem)
