"""Tests for extractor.facts.identifiers: normalization and validation of citation ids."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.facts.identifiers import (
    IDENTIFIER_PARAMS,
    SUPPORTED_KINDS,
    Identifier,
    normalize_identifier,
)


def _check(kind: str, raw: str, value: str, problem: str | None) -> None:
    """Assert the full Identifier for one table row."""
    expected = Identifier(kind, value, raw, problem is None, problem)
    actual = normalize_identifier(kind, raw)
    assert expected == actual


class TestIsbn:
    @pytest.mark.parametrize(
        ("raw", "value", "problem"),
        [
            ("978-0-306-40615-7", "9780306406157", None),
            ("978-0-306-40615-8", "9780306406158", "ISBN checksum mismatch"),
            ("0-306-40615-2", "0306406152", None),
            ("0-306-40615-3", "0306406153", "ISBN checksum mismatch"),
            ("978 0 306 40615 7", "9780306406157", None),
            ("978-0821369418", "9780821369418", None),
            ("0-8044-2957-x", "080442957X", None),
            ("ISBN 0-306-40615-2", "0306406152", None),
            ("ISBN-13: 978-0-306-40615-7", "9780306406157", None),
            ("030640615", "030640615", "ISBN has 9 characters; expected 10 or 13"),
            ("97803064061577", "97803064061577", "ISBN has 14 characters; expected 10 or 13"),
            ("X306406152", "X306406152", "ISBN has X other than as the last character"),
            ("977-0-306-40615-7", "9770306406157", "ISBN-13 does not start with 978 or 979"),
            ("978-0-306-4061X-7", "97803064061X7", "ISBN-13 has a non-digit"),
            (
                "978–0–306",
                "978–0–306",
                "ISBN has characters other than digits, X, hyphens and spaces",
            ),
        ],
    )
    def test_isbn(self, raw: str, value: str, problem: str | None) -> None:
        """ISBN-10 (mod 11, X) and ISBN-13 (mod 10, 978/979) are checked; value is digits/X."""
        _check("isbn", raw, value, problem)

    @pytest.mark.parametrize(
        ("raw", "value", "problem"),
        [
            ("306-40615-2", "306406152", None),
            ("306-40615-3", "306406153", "SBN checksum mismatch"),
        ],
    )
    def test_sbn(self, raw: str, value: str, problem: str | None) -> None:
        """An SBN is checked as the ISBN-10 it becomes with a leading 0."""
        _check("sbn", raw, value, problem)

    @pytest.mark.parametrize(
        ("raw", "value", "problem"),
        [
            ("979-0-2600-0043-8", "9790260000438", None),
            ("M-2600-0043-8", "9790260000438", None),
            ("979-0-2600-0043-9", "9790260000439", "ISMN checksum mismatch"),
            ("978-0-306-40615-7", "9780306406157", "ISMN does not start with 979-0"),
        ],
    )
    def test_ismn(self, raw: str, value: str, problem: str | None) -> None:
        """ISMN is 13 digits starting 979-0 with an EAN-13 check; an old M prefix is read."""
        _check("ismn", raw, value, problem)


class TestIssn:
    @pytest.mark.parametrize(
        ("kind", "raw", "value", "problem"),
        [
            ("issn", "0378-5955", "0378-5955", None),
            ("issn", "0378-5956", "0378-5956", "ISSN checksum mismatch"),
            ("issn", "03785955", "0378-5955", None),
            ("issn", "2434-561x", "2434-561X", None),
            ("issn", "0301-4428", "0301-4428", None),
            ("issn", "0378-595", "0378595", "ISSN is not 8 characters of the form NNNN-NNNC"),
            ("eissn", "1476-4687", "1476-4687", None),
            ("eissn", "1476-4688", "1476-4688", "eISSN checksum mismatch"),
        ],
    )
    def test_issn(self, kind: str, raw: str, value: str, problem: str | None) -> None:
        """ISSN/eISSN normalize to NNNN-NNNC (uppercase X) and pass a mod-11 check."""
        _check(kind, raw, value, problem)


class TestDoi:
    @pytest.mark.parametrize(
        ("raw", "value", "problem"),
        [
            ("https://doi.org/10.1000/xyz123/abstract", "10.1000/xyz123", None),
            ("http://dx.doi.org/10.1000/xyz123", "10.1000/xyz123", None),
            ("doi:10.1000/xyz123", "10.1000/xyz123", None),
            ("DOI: 10.1000/xyz123.", "10.1000/xyz123", None),
            ("10.1000%2Fxyz123", "10.1000/xyz123", None),
            ("10.1002/anie.201000001/full", "10.1002/anie.201000001", None),
            ("10.1002/anie.201000001/epdf", "10.1002/anie.201000001", None),
            ("10.1002/anie.201000001/pdf;", "10.1002/anie.201000001", None),
            ("10.1111/j.1365-2486.2008.01559.x", "10.1111/j.1365-2486.2008.01559.x", None),
            ("10.1016/s1097-2765(00)80111-2", "10.1016/s1097-2765(00)80111-2", None),
            ("10.1000/report.pdf", "10.1000/report.pdf", None),
            ("10.1000/abstract", "10.1000/abstract", None),
            ("11.1000/xyz", "11.1000/xyz", "DOI does not start with '10.'"),
            ("10.1000/x yz", "10.1000/x yz", "DOI contains whitespace"),
            ("10.12/xyz", "10.12/xyz", "DOI is not of the form 10.NNNN/suffix"),
            ("10.1000/", "10.1000/", "DOI is not of the form 10.NNNN/suffix"),
        ],
    )
    def test_doi(self, raw: str, value: str, problem: str | None) -> None:
        """URL/doi: prefixes, %2F, junk suffixes and trailing .,; go; 10.NNNN/suffix remains."""
        _check("doi", raw, value, problem)

    _BAD_SUFFIX = "DOI suffix has a character no DOI has (quote, markup, dash or control)"

    @pytest.mark.parametrize(
        ("raw", "problem"),
        [
            ('10.1000/"><script>', _BAD_SUFFIX),
            ("10.1000/<script>alert(1)</script>", _BAD_SUFFIX),
            ("10.1000/x<!--y-->", _BAD_SUFFIX),
            ("10.1000/a–b", _BAD_SUFFIX),
            ("10.1000/a\x1bb", _BAD_SUFFIX),
            ("10.123456/x", "DOI registrant 123456 is not one CS1 accepts"),
            ("10.0123/x", "DOI registrant 0123 is not one CS1 accepts"),
            ("10.5555/x", "DOI registrant 5555 is not one CS1 accepts"),
            ("10.60000/x", "DOI registrant 60000 is not one CS1 accepts"),
            ("10.40000.1/x", "DOI registrant 40000.1 is not one CS1 accepts"),
            ("10.1002/(SICI)1097-4636(199706)35:4<475::AID-JBM7>3.0.CO;2-K", None),
            ("10.59999/x", None),
            ("10.1000.10/x", None),
            ("10.39999.1/x", None),
        ],
    )
    def test_doi_syntax(self, raw: str, problem: str | None) -> None:
        """Registrants as CS1 accepts them (4 digits, or 5 up to 59999; subcodes); no quote,
        HTML markup, en dash or control character in the suffix (SICI ``<…>`` is fine)."""
        _check("doi", raw, raw, problem)

    @given(
        suffix=st.text(alphabet="abc019./-()<>:;", max_size=12),
        bad=st.sampled_from(['"', "<s", "</", "<!", "<?", "–"]),
    )
    def test_any_suffix_with_markup_or_a_quote_is_invalid(self, suffix: str, bad: str) -> None:
        """Wherever a quote, a tag's opening or an en dash stands in the suffix, not valid."""
        for cut in range(len(suffix) + 1):
            raw = f"10.1000/{suffix[:cut]}{bad}{suffix[cut:]}x"
            assert not normalize_identifier("doi", raw).valid, raw


class TestNumericIds:
    @pytest.mark.parametrize(
        ("kind", "raw", "value", "problem"),
        [
            ("pmid", "9702189", "9702189", None),
            ("pmid", "PMID 9702189", "9702189", None),
            ("pmid", "0", "0", "PMID must be greater than 0"),
            ("pmid", "123456789", "123456789", "PMID has more than 8 digits"),
            ("pmid", "97a", "97a", "PMID is not a number"),
            ("pmc", "PMC345678", "345678", None),
            ("pmc", "345678", "345678", None),
            ("pmc", "PMC0", "0", "PMC must be greater than 0"),
            ("oclc", "77116846", "77116846", None),
            ("oclc", "ocm77116846", "77116846", None),
            ("oclc", "ocn123456789", "123456789", None),
            ("oclc", "on1234567890", "1234567890", None),
            ("oclc", "(OCoLC)77116846", "77116846", None),
            ("oclc", "7711-6846", "7711-6846", "OCLC is not a number"),
            ("ssrn", "1234567", "1234567", None),
            ("s2cid", "0012345", "12345", None),
            ("osti", "x1", "x1", "OSTI is not a number"),
            ("rfc", "RFC 2616", "2616", None),
            ("mr", "0062777", "0062777", None),
            ("mr", "MR589163", "589163", None),
            ("mr", "000", "000", "MR must be greater than 0"),
        ],
    )
    def test_numeric(self, kind: str, raw: str, value: str, problem: str | None) -> None:
        """Numeric ids are positive digit strings; labels and OCLC prefixes are dropped."""
        _check(kind, raw, value, problem)


class TestArxiv:
    @pytest.mark.parametrize(
        ("raw", "value", "problem"),
        [
            ("0706.0001", "0706.0001", None),
            ("0706.0001v2", "0706.0001v2", None),
            ("arXiv:1501.00001", "1501.00001", None),
            ("https://arxiv.org/abs/1501.00001v3", "1501.00001v3", None),
            ("hep-th/9901001", "hep-th/9901001", None),
            ("hep-th/9901001v1", "hep-th/9901001v1", None),
            ("math.GT/0309136", "math.GT/0309136", None),
            ("0713.0001", "0713.0001", "arXiv id has an invalid month"),
            ("0612.0001", "0612.0001", "arXiv new-style id dated before 2007-04"),
            ("1501.0001", "1501.0001", "arXiv id from 1501 needs 5 digits"),
            ("1412.00001", "1412.00001", "arXiv id from 1412 needs 4 digits"),
            ("hep-th/9913001", "hep-th/9913001", "arXiv id has an invalid month"),
            ("hep-th/0901001", "hep-th/0901001", "arXiv old-style id dated outside 1991-2007"),
            ("12345", "12345", "arXiv id is neither YYMM.NNNN(N) nor archive/YYMMNNN"),
        ],
    )
    def test_arxiv(self, raw: str, value: str, problem: str | None) -> None:
        """New-style YYMM.NNNN(N) with a valid month and era, or old-style archive/YYMMNNN."""
        _check("arxiv", raw, value, problem)


class TestOtherIds:
    @pytest.mark.parametrize(
        ("kind", "raw", "value", "problem"),
        [
            ("jstor", "2308078", "2308078", None),
            ("jstor", "10.2307/2308078", "10.2307/2308078", None),
            ("jstor", "https://www.jstor.org/stable/j.ctt7s8nq", "j.ctt7s8nq", None),
            ("jstor", "23 08078", "23 08078", "JSTOR id contains whitespace"),
            ("bibcode", "1974AJ.....79..819H", "1974AJ.....79..819H", None),
            (
                "bibcode",
                "1974AJ....79..819H",
                "1974AJ....79..819H",
                "bibcode has 18 characters; expected 19",
            ),
            (
                "bibcode",
                "AJ74.......79..819H",
                "AJ74.......79..819H",
                "bibcode does not start with a 4-digit year",
            ),
            ("lccn", "n78-890351", "n78890351", None),
            ("lccn", "n78-89035", "n78089035", None),
            ("lccn", "n 78890351 ", "n78890351", None),
            ("lccn", "85-2", "85000002", None),
            ("lccn", "2001-000002", "2001000002", None),
            ("lccn", "75-425165//r75", "75425165", None),
            ("lccn", "79139101 /AC/r932", "79139101", None),
            ("lccn", "sn 85-1234", "sn85001234", None),
            ("lccn", "1234", "1234", "LCCN is not [prefix]YY+6 digits or [prefix]YYYY+6 digits"),
            ("hdl", "hdl:10013/epic.12345", "10013/epic.12345", None),
            ("hdl", "https://hdl.handle.net/2027/mdp.39015", "2027/mdp.39015", None),
            ("hdl", "2027", "2027", "handle is not of the form prefix/suffix"),
            ("biorxiv", "10.1101/078733", "10.1101/078733", None),
            ("biorxiv", "2019.12.11.123456", "10.1101/2019.12.11.123456", None),
            (
                "biorxiv",
                "10.1101/abc",
                "10.1101/abc",
                "bioRxiv id is not 10.1101/NNNNNN or 10.1101/YYYY.MM.DD.NNNNNN",
            ),
            ("citeseerx", "10.1.1.176.341", "10.1.1.176.341", None),
            (
                "citeseerx",
                "10.1.2.176.341",
                "10.1.2.176.341",
                "CiteSeerX id is not of the form 10.1.1.N.N",
            ),
            ("asin", "b00005n5pf", "B00005N5PF", None),
            ("asin", "B00005N5P", "B00005N5P", "ASIN is not 10 letters or digits"),
            ("zbl", "0472.53010", "0472.53010", None),
            ("zbl", "472.5301", "472.5301", "Zbl id is not of the form NNNN.NNNNN"),
            ("jfm", "53.0144.01", "53.0144.01", None),
            ("ol", "7353617M", "OL7353617M", None),
            ("ol", "OL7353617X", "OL7353617X", "OL id is not of the form OLnnnA, OLnnnM or OLnnnW"),
        ],
    )
    def test_other(self, kind: str, raw: str, value: str, problem: str | None) -> None:
        """JSTOR (permissive), bibcode (19 chars, year), LCCN (LoC rules) and the rest."""
        _check(kind, raw, value, problem)


class TestNormalizeIdentifier:
    def test_unknown_kind(self) -> None:
        """An unknown kind is kept as written and reported, not raised."""
        expected = Identifier("foo", "123", " 123", False, "unknown identifier kind 'foo'")
        assert expected == normalize_identifier("foo", " 123")

    def test_kind_is_case_insensitive(self) -> None:
        """Kinds are matched without regard to case and come back lowercase."""
        assert normalize_identifier("isbn", "0-306-40615-2") == normalize_identifier(
            "ISBN", "0-306-40615-2"
        )

    @pytest.mark.parametrize("kind", sorted(SUPPORTED_KINDS))
    def test_empty_value(self, kind: str) -> None:
        """An empty value is invalid with a problem naming the kind."""
        expected = Identifier(kind, "", "  ", False, f"empty {kind} value")
        assert expected == normalize_identifier(kind, "  ")

    @pytest.mark.parametrize(
        ("kind", "raw"),
        [
            ("isbn", "978-0-306-40615-7"),
            ("issn", "0378-5955"),
            ("doi", "https://doi.org/10.1000/xyz123/abstract"),
            ("arxiv", "arXiv:hep-th/9901001v2"),
            ("lccn", "n78-89035"),
            ("oclc", "ocm77116846"),
            ("pmc", "PMC345678"),
            ("ol", "7353617M"),
            ("biorxiv", "078733"),
        ],
    )
    def test_normalized_value_is_stable(self, kind: str, raw: str) -> None:
        """Normalizing an already normalized value changes nothing."""
        once = normalize_identifier(kind, raw)
        twice = normalize_identifier(kind, once.value)
        assert (once.value, True) == (twice.value, twice.valid)

    @given(st.sampled_from([*sorted(SUPPORTED_KINDS), "nope"]), st.text())
    def test_never_raises(self, kind: str, raw: str) -> None:
        """Any string gives an Identifier whose raw is the input and valid iff no problem."""
        result = normalize_identifier(kind, raw)
        assert (result.raw, result.valid) == (raw, result.problem is None)

    @given(st.text(), st.text())
    def test_never_raises_on_any_kind(self, kind: str, raw: str) -> None:
        """Arbitrary kinds and values never raise."""
        assert isinstance(normalize_identifier(kind, raw), Identifier)


class TestIdentifierParams:
    @pytest.mark.parametrize(
        ("param", "kind"),
        [
            ("isbn", "isbn"), ("ISBN", "isbn"), ("isbn13", "isbn"), ("doi", "doi"),
            ("DOI", "doi"), ("pmid", "pmid"), ("PMID", "pmid"), ("issn", "issn"),
            ("ISSN", "issn"), ("eissn", "eissn"), ("EISSN", "eissn"), ("pmc", "pmc"),
            ("PMC", "pmc"), ("oclc", "oclc"), ("OCLC", "oclc"), ("jstor", "jstor"),
            ("JSTOR", "jstor"), ("lccn", "lccn"), ("LCCN", "lccn"), ("arxiv", "arxiv"),
            ("ARXIV", "arxiv"), ("eprint", "arxiv"), ("bibcode", "bibcode"), ("mr", "mr"),
        ],
    )  # fmt: skip
    def test_param_kind(self, param: str, kind: str) -> None:
        """CS1 parameter names, with their uppercase aliases, map to kinds."""
        assert kind == IDENTIFIER_PARAMS[param]

    def test_no_mixed_case_or_id(self) -> None:
        """Mixed-case spellings and the free-form |id= are not identifier parameters."""
        expected: list[str] = []
        assert expected == [n for n in ("Isbn", "Doi", "id", "ID") if n in IDENTIFIER_PARAMS]

    def test_every_kind_is_supported(self) -> None:
        """Every kind a parameter maps to can be normalized."""
        assert set(IDENTIFIER_PARAMS.values()) == SUPPORTED_KINDS
