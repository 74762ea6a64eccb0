"""Every JATS article in the shared corpus gives a Crossref 5.4.0 deposit that the official
XSD accepts and that carries the article's DOI, contributors, abstracts and references.

The deposit is built from the metadata, so an article that is not valid JATS 1.3 still
counts. Known failures are listed in KNOWN_FAILURES with their reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from frontiers_de.config import JournalProfile
from frontiers_de.crossref.deposit import (
    AI,
    CR,
    JATS,
    DepositError,
    DepositSettings,
    build_deposit,
)
from frontiers_de.crossref.doi import is_valid_doi
from frontiers_de.crossref.validate import validate_deposit
from frontiers_de.identifiers import strip_doi_resolver
from frontiers_de.production.jats.meta import read_article_meta
from frontiers_de.xml.safe import parse_xml
from tests.conftest import corpus_files
from tests.corpus import publisher_fixtures, real_articles

NS = {"c": CR, "jats": JATS, "ai": AI}
ARTICLES = corpus_files("jats") + publisher_fixtures() + real_articles()
KNOWN_FAILURES: dict[str, str] = {
    "elife__poa-e06828.xml": (
        "eLife's publish-on-accept XML has no pub-date and Crossref needs one: the deposit is "
        "refused with that sentence; once the publish step dates it, it deposits "
        "(test_corpus_real)"
    ),
}
PROFILE = JournalProfile(issn_online="2999-0001", issn_print="2999-000X", journal_doi="10.5555/fde")


def test_corpus_has_jats_articles() -> None:
    assert len(ARTICLES) >= 10


@pytest.fixture(scope="module")
def schema(schema_dir: Path) -> etree.XMLSchema:
    from frontiers_de.xml.schemas import load_schema

    return load_schema("crossref-5.4.0", {"fde.schema_dir": str(schema_dir)})


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            marks=pytest.mark.xfail(
                reason=KNOWN_FAILURES[p.name], strict=True, raises=DepositError
            ),
        )
        if p.name in KNOWN_FAILURES
        else p
        for p in ARTICLES
    ],
    ids=lambda p: p.name,
)
@pytest.mark.parametrize("crossmark", [False, True], ids=["plain", "crossmark"])
def test_deposit_validates_and_carries_the_article(
    path: Path, crossmark: bool, schema: etree.XMLSchema
) -> None:
    tree = parse_xml(path)
    meta = read_article_meta(tree)
    cfg = DepositSettings(crossmark_policy="10.5555/crossmark" if crossmark else "")
    deposit = build_deposit([tree], PROFILE, cfg)
    # Re-parse the bytes so schema errors point at lines of the file we would send.
    sent = etree.ElementTree(etree.fromstring(deposit.to_bytes()))
    errors = validate_deposit(sent)
    assert errors == [], "\n".join(f"{e.line}: {e.message}" for e in errors[:10])

    article = sent.getroot().find(".//c:journal_article", NS)
    assert article.findtext("c:doi_data/c:doi", namespaces=NS) == meta.doi
    assert "".join(article.find("c:titles/c:title", NS).itertext()) == meta.title

    named = [
        c
        for c in meta.contributors
        if c.contrib_type in ("", "author", "editor", "translator")
        and (c.surname or c.given_names or c.collab)
    ]
    contributors = article.findall("c:contributors/*", NS)
    assert len(contributors) == len(named)
    if named:
        assert contributors[0].get("sequence") == "first"
        first = named[0]
        if first.surname and not first.collab:
            assert contributors[0].findtext("c:surname", namespaces=NS) == first.surname[:60]
    orcids = {c.orcid for c in named if c.orcid}
    deposited = {o.text.rsplit("/", 1)[1] for o in article.iterfind(".//c:ORCID", NS)}
    assert deposited == orcids

    with_text = [a for a in meta.abstracts if a.text and a.abstract_type not in ("graphical",)]
    abstracts = article.findall("jats:abstract", NS)
    assert len(abstracts) == len([a for a in with_text if a.abstract_type not in ("teaser", "toc")])
    assert all("".join(a.itertext()).strip() for a in abstracts)

    references = [r for r in meta.references if r.text or r.doi]
    citations = article.findall("c:citation_list/c:citation", NS)
    assert len(citations) == len(references)
    for citation, ref in zip(citations, references, strict=True):
        if ref.doi and is_valid_doi(ref.doi):
            assert citation.findtext("c:doi", namespaces=NS) == strip_doi_resolver(ref.doi)
        if ref.text:
            assert (citation.findtext("c:unstructured_citation", namespaces=NS) or "").strip()
    licence = article.find(".//ai:license_ref", NS)
    assert licence is not None and licence.text.startswith("http")
