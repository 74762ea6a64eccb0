"""parse_xml: the standard character entities of JATS/NLM/XHTML documents are resolved from
the standard sets, never from the document's DTD; everything else stays refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from frontiers_de.xml.nodes import elements, is_element, without_comments
from frontiers_de.xml.safe import XMLInputError, parse_xml
from frontiers_de.xml.schemas import validate

JATS_11 = (
    '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange '
    'DTD v1.1 20151215//EN" "JATS-archivearticle1.dtd">'
)


def doc(body: str, doctype: str = JATS_11) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>{doctype}{body}'.encode()


def test_html_named_entities_of_a_jats_1_1_file_become_their_characters() -> None:
    tree = parse_xml(
        doc("<article><p>&iquest;Qui&eacute;n?&nbsp;&mdash; &alpha;&ge;0 &lt;&amp;</p></article>")
    )
    assert tree.getroot().findtext("p") == "¿Quién?\u00a0— α≥0 <&"
    assert not list(tree.getroot().iter(etree.Entity))


def test_entities_in_attribute_values_are_resolved_not_dropped() -> None:
    tree = parse_xml(doc('<article><p content-type="a&nbsp;b&amp;c&AMP;">x</p></article>'))
    assert tree.getroot().find("p").get("content-type") == "a\u00a0b&c&"


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE article PUBLIC "-//NLM//DTD Journal Archiving and Interchange DTD v2.3 '
        '20070202//EN" "archivearticle.dtd">',
        '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.2 '
        '20190208//EN" "JATS-journalpublishing1-mathml3.dtd">',
        '<!DOCTYPE article SYSTEM "JATS-journalpublishing1.dtd">',
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
    ],
    ids=["nlm-2.3", "jats-1.2", "system-only", "xhtml"],
)
def test_every_standard_doctype_gets_the_standard_entities(doctype: str) -> None:
    tree = parse_xml(doc("<article><p>caf&eacute;&hellip;</p></article>", doctype))
    assert tree.getroot().findtext("p") == "café…"


def test_an_entity_outside_the_standard_sets_is_refused_by_name() -> None:
    with pytest.raises(XMLInputError) as exc:
        parse_xml(doc("<article><p>&publisherlogo;</p></article>"))
    assert "&publisherlogo;" in str(exc.value)
    assert "write the character itself" in str(exc.value)


def test_entities_of_an_unknown_dtd_are_refused_with_the_dtd_named() -> None:
    doctype = '<!DOCTYPE article PUBLIC "-//ACME//DTD House Article//EN" "acme.dtd">'
    with pytest.raises(XMLInputError) as exc:
        parse_xml(doc("<article><p>&nbsp;</p></article>", doctype))
    assert "&nbsp;" in str(exc.value) and "-//ACME//DTD House Article//EN" in str(exc.value)


def test_an_entity_without_any_doctype_gets_a_sentence() -> None:
    with pytest.raises(XMLInputError) as exc:
        parse_xml(b"<article><p>&nbsp;</p></article>")
    assert "&nbsp;" in str(exc.value) and "DOCTYPE" in str(exc.value)


def test_billion_laughs_behind_a_jats_public_id_is_still_refused() -> None:
    doctype = JATS_11.replace(
        '.dtd">',
        '.dtd" [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    )
    with pytest.raises(XMLInputError, match="declares its own entities"):
        parse_xml(doc("<article><p>&b;</p></article>", doctype))


def test_the_document_dtd_is_never_read(tmp_path: Path) -> None:
    """XXE: a DTD on disk named by the system id declares a secret; it must not be loaded."""
    dtd = tmp_path / "JATS-archivearticle1.dtd"
    dtd.write_text('<!ENTITY secret "TOP-SECRET">', encoding="utf-8")
    doctype = JATS_11.replace('"JATS-archivearticle1.dtd"', f'"{dtd.as_uri()}"')
    with pytest.raises(XMLInputError) as exc:
        parse_xml(doc("<article><p>&secret;</p></article>", doctype))
    assert "TOP-SECRET" not in str(exc.value)
    # the same file next to the document, by its relative system id
    article = tmp_path / "article.xml"
    article.write_bytes(doc("<article><p>&secret;</p></article>"))
    with pytest.raises(XMLInputError, match="&secret;"):
        parse_xml(article)


def test_external_parameter_entities_are_refused() -> None:
    doctype = JATS_11.replace(
        '.dtd">', '.dtd" [<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]>'
    )
    with pytest.raises(XMLInputError, match="declares its own entities"):
        parse_xml(doc("<article/>", doctype))


def test_validation_of_a_tree_with_an_unresolved_entity_says_why(schema_dir: Path) -> None:
    valid = (Path(__file__).parents[2] / "fixtures" / "jats" / "article-valid.xml").read_text()
    body = valid.split("?>", 1)[1].replace("in rural schools, with", "in rural&foo;schools")
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    root = etree.fromstring(doc(body), parser)
    (error,) = validate(root, "jats-1.3", {"fde.schema_dir": str(schema_dir)})
    assert "&foo;" in error.message and "internal error" not in error.message.lower()


def test_comments_and_pis_are_not_elements() -> None:
    root = parse_xml(b"<a>x<!--c-->y<?pi d?>z<b>q<!--d-->r</b></a>").getroot()
    assert [is_element(n) for n in root] == [False, False, True]
    assert [e.tag for e in elements(root)] == ["b"]
    stripped = without_comments(root)
    assert etree.tostring(stripped) == b"<a>xyz<b>qr</b></a>"
    assert len(root) == 3  # the original is left alone
