"""Form reading (limits, control characters) and the identifier checks."""

from __future__ import annotations

import pytest
from webob.multidict import MultiDict

from frontiers_de.accounts import forms
from frontiers_de.forms import Field, read_form
from frontiers_de.identifiers import (
    check_orcid,
    check_ror,
    normalise_doi_prefix,
    normalise_issn,
)


def test_read_form_rules():
    fields = (
        Field("a", max_length=5, required=True),
        Field("b", max_length=50, multiline=True),
        Field("c"),
    )
    ok = read_form(MultiDict(a=" abc ", b="line 1\r\n\tline 2"), fields)
    assert ok.ok and ok.values == {"a": "abc", "b": "line 1\r\n\tline 2", "c": ""}
    bad = read_form(MultiDict([("a", "toolong"), ("b", "x\x00y"), ("c", "1"), ("c", "2")]), fields)
    assert set(bad.errors) == {"a", "b", "c"}
    assert "at most 5" in bad.errors["a"].interpolate()
    assert "NUL" in bad.errors["b"].interpolate()
    assert "more than once" in bad.errors["c"].interpolate()
    assert "required" in read_form(MultiDict(), fields).errors["a"].interpolate()
    assert "control" in read_form(MultiDict(a="a\nb"), fields).errors["a"].interpolate()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://orcid.org/0000-0002-1694-233x", "0000-0002-1694-233X"),
        ("0000000218250097", "0000-0002-1825-0097"),
    ],
)
def test_orcid_accepted(value, expected):
    assert check_orcid(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("0000-0002-1825-0098", "checksum"),
        ("0000-0002-1825-009", "format"),
        ("0000-0002-1825-00X7", "format"),
        ("https://example.org/0000-0002-1825-0097", "format"),
    ],
)
def test_orcid_refused(value, reason):
    with pytest.raises(ValueError, match=reason):
        check_orcid(value)


def test_ror():
    assert check_ror("https://ror.org/03VEK6S52") == "03vek6s52"
    assert check_ror("042nb2s44") == "042nb2s44"
    with pytest.raises(ValueError, match="checksum"):
        check_ror("042nb2s45")
    with pytest.raises(ValueError, match="format"):
        check_ror("142nb2s44")  # must start with 0
    with pytest.raises(ValueError, match="format"):
        check_ror("0ilou2s44")  # i, l, o, u are not Crockford base32


def test_issn_and_doi_prefix():
    assert normalise_issn("0317-8471") == "0317-8471"
    assert normalise_issn("2434561x") == "2434-561X"
    with pytest.raises(ValueError, match="checksum"):
        normalise_issn("0317-8472")
    with pytest.raises(ValueError, match="format"):
        normalise_issn("317-8471")
    assert normalise_doi_prefix("10.5555") == "10.5555"
    for bad in ("10.55", "11.5555", "10.5555/x", "doi:10.5555"):
        with pytest.raises(ValueError):
            normalise_doi_prefix(bad)


def test_profile_form_normalises_and_refuses():
    good = read_form(
        MultiDict(
            given_name="Wu",
            orcid="0000-0002-1694-233x",
            ror_id="ror.org/03vek6s52",
            country="cn",
            preferred_language="zh",
        ),
        forms.PROFILE_FIELDS,
    )
    assert good.ok, good.errors
    assert (good.values["orcid"], good.values["ror_id"], good.values["country"]) == (
        "0000-0002-1694-233X",
        "03vek6s52",
        "CN",
    )
    bad = read_form(
        MultiDict(given_name="Wu", orcid="1234", country="ZZ", preferred_language="de"),
        forms.PROFILE_FIELDS,
    )
    assert set(bad.errors) == {"orcid", "country", "preferred_language"}


def test_email_check():
    for good in ("a@b.org", "Zhang.Wei+fde@mail.example.cn"):
        assert read_form(MultiDict(email=good), (forms.EMAIL,)).ok
    for bad in ("a@b", "a b@c.org", "<a@b.org>", "a@b.org, c@d.org", "@b.org"):
        assert not read_form(MultiDict(email=bad), (forms.EMAIL,)).ok, bad


def test_sent_values_are_bounded_and_without_nul():
    result = read_form(MultiDict(a="x\x00" + "y" * 1000), (Field("a", max_length=10),))
    assert not result.ok
    assert "\x00" not in result.sent["a"] and len(result.sent["a"]) <= 110
