"""ORCID, ROR and DOI checks shared by the house rules, accounts and deposits."""

from __future__ import annotations

import pytest

from frontiers_de.identifiers import (
    doi_url,
    is_funder_doi,
    is_valid_doi,
    is_valid_orcid,
    is_valid_ror,
    normalise_doi,
    normalise_orcid,
    normalise_ror,
    orcid_check_digit,
    orcid_url,
    ror_url,
    strip_doi_resolver,
)


@pytest.mark.parametrize(
    "value",
    [
        "0000-0002-1825-0097",
        "0000-0001-5109-3700",
        "0000-0002-1694-233X",  # check character X
        "0000-0002-1694-233x",
        "000000021825 0097".replace(" ", ""),
        "https://orcid.org/0000-0002-1825-0097",
        "http://orcid.org/0000-0002-1825-0097/",
        "orcid.org/0000-0002-1825-0097",
        " https://sandbox.orcid.org/0000-0002-1825-0097 ",
    ],
)
def test_valid_orcids(value: str) -> None:
    assert is_valid_orcid(value)


@pytest.mark.parametrize(
    "value",
    [
        "0000-0002-1825-0098",  # wrong check digit
        "0000-0002-1825-009",  # too short
        "0000-0002-1825-00977",
        "1234-1234-1234-1234",
        "0000-0002-1825-009Y",
        "https://example.org/0000-0002-1825-0097",
        "javascript:alert(1)",
        "",
        None,
    ],
)
def test_invalid_orcids(value: str | None) -> None:
    assert not is_valid_orcid(value)


def test_orcid_normalised_to_hyphenated_bare_form_and_url() -> None:
    assert normalise_orcid("HTTPS://ORCID.ORG/0000000216942 33x".replace(" ", "")) == (
        "0000-0002-1694-233X"
    )
    assert orcid_url("0000000218250097") == "https://orcid.org/0000-0002-1825-0097"
    assert orcid_url("0000-0002-1825-0098") is None


def test_orcid_check_digit_is_iso_7064_mod_11_2() -> None:
    assert orcid_check_digit("000000021825009") == "7"
    assert orcid_check_digit("000000021694233") == "X"


@pytest.mark.parametrize(
    "value", ["03vek6s52", "https://ror.org/03vek6s52", "ror.org/02mhbdp94", "05DXPS055"]
)
def test_valid_rors(value: str) -> None:
    assert is_valid_ror(value)


@pytest.mark.parametrize(
    "value",
    [
        "03vek6s53",  # wrong check digits
        "13vek6s52",  # must start with 0
        "03vek6l52",  # l is not a Crockford digit
        "03vek6s5",
        "https://example.org/03vek6s52",
        "",
        None,
    ],
)
def test_invalid_rors(value: str | None) -> None:
    assert not is_valid_ror(value)


def test_ror_normalised_and_url() -> None:
    assert normalise_ror("https://ror.org/03VEK6S52/") == "03vek6s52"
    assert ror_url("03vek6s52") == "https://ror.org/03vek6s52"
    assert ror_url("03vek6s53") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.5334/cstp.77", "10.5334/cstp.77"),
        ("https://doi.org/10.1371/journal.pcbi.1004082", "10.1371/journal.pcbi.1004082"),
        ("http://dx.doi.org/10.1000/xyz(1)", "10.1000/xyz(1)"),
        ("doi: 10.1000/ABC", "10.1000/ABC"),
        ("info:doi/10.1000.10/abc", "10.1000.10/abc"),
        ("10.13039/501100001809", "10.13039/501100001809"),
    ],
)
def test_valid_dois(value: str, expected: str) -> None:
    assert is_valid_doi(value)
    assert normalise_doi(value) == expected


@pytest.mark.parametrize(
    "value",
    ["10.111/j.1365-2648", "11.1000/x", "10.1000/", "10.1000/a b", "doi", "", None],
)
def test_invalid_dois(value: str | None) -> None:
    assert not is_valid_doi(value)
    assert normalise_doi(value) is None


def test_doi_url() -> None:
    assert doi_url("doi:10.1000/x") == "https://doi.org/10.1000/x"
    assert doi_url("not a doi") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.13039/501100001809", True),
        ("https://doi.org/10.13039/100000001", True),
        ("10.13039/", False),
        ("10.1000/501100001809", False),
        ("10.13039/5011.0001", False),
        (None, False),
    ],
)
def test_funder_registry_dois(value: str | None, expected: bool) -> None:
    assert is_funder_doi(value) is expected


def test_the_two_doi_contracts() -> None:
    """normalise_doi answers None for what is not a DOI; strip_doi_resolver keeps it, so
    that a caller can say what is wrong with it."""
    assert normalise_doi(" doi:10.1000/x ") == strip_doi_resolver(" doi:10.1000/x ") == "10.1000/x"
    assert normalise_doi("https://doi.org/11.1000/x") is None
    assert strip_doi_resolver("https://doi.org/11.1000/x") == "11.1000/x"
