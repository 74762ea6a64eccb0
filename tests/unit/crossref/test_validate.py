from __future__ import annotations

from lxml import etree

from frontiers_de.crossref.deposit import CR, build_deposit
from frontiers_de.crossref.validate import format_errors, validate_deposit
from frontiers_de.xml.safe import parse_xml


def test_errors_carry_their_line(article, profile, crossref_schema) -> None:
    data = build_deposit([article], profile).to_bytes()
    # Break it: an ISSN Crossref cannot accept, and a contributor without a sequence.
    data = data.replace(b">2999-0001<", b">29990-01<", 1)
    data = data.replace(b' sequence="first"', b"", 1)
    tree = parse_xml(data)
    errors = validate_deposit(tree)
    assert len(errors) >= 2
    lines = data.decode().splitlines()
    for error in errors:
        assert error.line > 1
    assert any("29990-01" in lines[e.line - 1] for e in errors)
    assert any("person_name" in lines[e.line - 1] and "sequence" in e.message for e in errors)
    printed = format_errors(errors, "deposit.xml")
    assert printed[0].startswith(f"deposit.xml:{errors[0].line}: ")


def test_wrong_root_gets_one_clear_error(crossref_schema) -> None:
    tree = etree.ElementTree(etree.fromstring(b"<article/>"))
    (error,) = validate_deposit(tree)
    assert "not a Crossref 5.4.0 doi_batch" in error.message


def test_older_schema_version_is_named(crossref_schema) -> None:
    root = etree.fromstring(
        b'<doi_batch xmlns="http://www.crossref.org/schema/5.3.1" version="5.3.1"/>'
    )
    (error,) = validate_deposit(root)
    assert "5.3.1" in error.message and CR in error.message
