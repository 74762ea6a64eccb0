"""The OAI-PMH repository, verb by verb and error by error. Every response is checked
against the official OAI-PMH schema, with oai_dc and JATS record metadata checked strictly
against theirs."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from lxml import etree

from frontiers_de.articles.models import ArticleState, IssueState
from frontiers_de.publishing import oai
from frontiers_de.publishing.oai.protocol import _SET_RE
from tests.conftest import SCHEMA_DIR
from tests.factories import make_journal
from tests.publishing_factories import make_issue, publish_article

NS = {"o": oai.OAI_NS, "dc": oai.DC_NS, "oai_dc": oai.OAI_DC_NS, "j": oai.JATS_OAI_NS}
SECRET = "test-token-secret-0123456789abcdef"
REPO_ID = "fde.example.org"


def at(day: int, hour: int = 9, second: int = 0, micro: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, second, micro, tzinfo=dt.UTC)


@pytest.fixture
def journal(dbsession):
    return make_journal(dbsession)


def repository(db, journal, page_size: int = 2, **kw: Any) -> oai.Repository:
    config = oai.OaiConfig(
        base_url="https://fde.example.org/oai",
        site_url="https://fde.example.org",
        repository_identifier=REPO_ID,
        secret=SECRET,
        page_size=page_size,
        admin_emails=("oai@fde.example.org",),
        **kw,
    )
    return oai.Repository(db, journal, config)


def ask(repo: oai.Repository, *pairs: tuple[str, str], now: dt.datetime | None = None):
    """The response to the request, after checking it against the official schemas."""
    body = oai.respond(list(pairs), repo, now=now)
    errors = oai.validate_response(body, {"fde.schema_dir": str(SCHEMA_DIR)})
    assert errors == [], errors
    return etree.fromstring(body)


def error_of(root) -> tuple[str, dict[str, str]]:
    errors = root.findall("o:error", NS)
    assert len(errors) == 1, etree.tostring(root)
    return errors[0].get("code"), dict(root.find("o:request", NS).attrib)


def texts(root, path: str) -> list[str]:
    return [el.text for el in root.iterfind(path, NS)]


@pytest.fixture
def articles(dbsession, journal):
    """Five articles: four live in two issues and two sections, one retracted."""
    issue1 = make_issue(dbsession, journal, 1, "1")
    issue2 = make_issue(dbsession, journal, 1, "2", state=IssueState.PLANNED)
    made = [
        publish_article(
            dbsession, journal, "10.5555/fde.2026.0001", issue=issue1, updated_at=at(1)
        ),
        publish_article(
            dbsession,
            journal,
            "10.5555/fde.2026.0002",
            issue=issue1,
            section_code="review",
            updated_at=at(2),
        ),
        publish_article(
            dbsession, journal, "10.5555/fde.2026.0003", issue=issue2, updated_at=at(3)
        ),
        publish_article(
            dbsession,
            journal,
            "10.5555/fde.2026.0004",
            updated_at=at(4),
            state=ArticleState.RETRACTED,
        ),
        publish_article(
            dbsession,
            journal,
            "10.5555/fde.2026.0005",
            updated_at=at(5, second=30, micro=500000),
            state=ArticleState.CORRECTED,
        ),
    ]
    # Not harvested: still in production.
    publish_article(dbsession, journal, "10.5555/fde.2026.0099", state=ArticleState.IN_PRODUCTION)
    return made


def identifier(doi: str) -> str:
    return f"oai:{REPO_ID}:{doi}"


# --- Identify, ListMetadataFormats, ListSets -----------------------------------------------


def test_identify(dbsession, journal, articles):
    root = ask(repository(dbsession, journal), ("verb", "Identify"))
    ident = root.find("o:Identify", NS)
    assert ident.findtext("o:repositoryName", namespaces=NS) == journal.title
    assert ident.findtext("o:baseURL", namespaces=NS) == "https://fde.example.org/oai"
    assert ident.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert ident.findtext("o:adminEmail", namespaces=NS) == "oai@fde.example.org"
    assert ident.findtext("o:earliestDatestamp", namespaces=NS) == "2026-03-01T09:00:00Z"
    assert ident.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert ident.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert root.find("o:request", NS).attrib == {"verb": "Identify"}


def test_identify_of_an_empty_repository_dates_from_the_journal(dbsession, journal):
    root = ask(repository(dbsession, journal), ("verb", "Identify"))
    earliest = root.findtext("o:Identify/o:earliestDatestamp", namespaces=NS)
    assert earliest == oai.format_datestamp(journal.created_at)


def test_list_metadata_formats(dbsession, journal, articles):
    repo = repository(dbsession, journal)
    root = ask(repo, ("verb", "ListMetadataFormats"))
    assert texts(root, ".//o:metadataPrefix") == ["oai_dc", "jats"]
    assert texts(root, ".//o:metadataNamespace") == [oai.OAI_DC_NS, oai.JATS_OAI_NS]
    one = ask(repo, ("verb", "ListMetadataFormats"), ("identifier", identifier(articles[0].doi)))
    assert texts(one, ".//o:metadataPrefix") == ["oai_dc", "jats"]
    no_jats = publish_article(dbsession, journal, "10.5555/fde.2026.0010", jats=None)
    root = ask(repo, ("verb", "ListMetadataFormats"), ("identifier", identifier(no_jats.doi)))
    assert texts(root, ".//o:metadataPrefix") == ["oai_dc"]
    root = ask(repo, ("verb", "ListMetadataFormats"), ("identifier", identifier("10.5555/none")))
    assert error_of(root) == (
        "idDoesNotExist",
        {"verb": "ListMetadataFormats", "identifier": identifier("10.5555/none")},
    )


def test_list_sets_has_sections_volumes_and_issues(dbsession, journal, articles):
    make_issue(dbsession, journal, 2, "S/1 ü", state=IssueState.PUBLISHED, title="Special")
    make_issue(dbsession, journal, 2, "9", state=IssueState.PLANNED)  # empty, not shown
    root = ask(repository(dbsession, journal), ("verb", "ListSets"))
    specs = texts(root, ".//o:setSpec")
    assert specs[:6] == [
        "section",
        "section:research-article",
        "section:review",
        "section:perspective",
        "section:editorial",
        "section:case-study",
    ]
    assert specs[6:] == [
        "volume",
        "volume:1",
        "volume:1:1",
        "volume:1:2",
        "volume:2",
        "volume:2:S~2F1~20~C3~BC",
    ]
    names = dict(zip(specs, texts(root, ".//o:setName"), strict=True))
    assert names["volume:2:S~2F1~20~C3~BC"] == "Volume 2, Issue S/1 ü (2026): Special"
    description = root.find(".//o:set[o:setSpec='section:review']//dc:description", NS)
    assert "review-article" in description.text


def test_list_sets_takes_no_resumption_token(dbsession, journal, articles):
    root = ask(repository(dbsession, journal), ("verb", "ListSets"), ("resumptionToken", "x"))
    assert error_of(root) == ("badResumptionToken", {"verb": "ListSets", "resumptionToken": "x"})


def test_a_repository_without_sections_or_issues_has_no_set_hierarchy(dbsession, journal):
    for section in journal.sections:
        section.is_active = False
    repo = repository(dbsession, journal)
    assert error_of(ask(repo, ("verb", "ListSets")))[0] == "noSetHierarchy"
    root = ask(repo, ("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("set", "section"))
    assert error_of(root)[0] == "noSetHierarchy"


@pytest.mark.parametrize("value", ["1", "S/1 ü", "a~b", "x:y", "é", "~"])
def test_set_spec_tokens_round_trip(value):
    token = oai.spec_token(value)
    assert _SET_RE.match(token) and ":" not in token
    assert oai.spec_value(token) == value


@pytest.mark.parametrize("token", ["~", "~G1", "~2", "a b", "~FF", "~2f"])
def test_set_spec_tokens_that_no_value_makes(token):
    assert oai.spec_value(token) in (None, "")


# --- GetRecord -------------------------------------------------------------------------------


def test_get_record_oai_dc(dbsession, journal, articles):
    root = ask(
        repository(dbsession, journal),
        ("verb", "GetRecord"),
        ("identifier", identifier("10.5555/fde.2026.0002")),
        ("metadataPrefix", "oai_dc"),
    )
    header = root.find(".//o:header", NS)
    assert header.get("status") is None
    assert header.findtext("o:identifier", namespaces=NS) == identifier("10.5555/fde.2026.0002")
    assert header.findtext("o:datestamp", namespaces=NS) == "2026-03-02T09:00:00Z"
    assert texts(header, "o:setSpec") == ["section:review", "volume:1:1"]
    dc = root.find(".//oai_dc:dc", NS)
    assert texts(dc, "dc:creator") == ["Wang, Li", "Okafor, Ada"]
    assert texts(dc, "dc:identifier") == [
        "https://doi.org/10.5555/fde.2026.0002",
        "https://fde.example.org/articles/10.5555/fde.2026.0002",
    ]
    assert texts(dc, "dc:date") == ["2026-03-15"]
    assert texts(dc, "dc:language") == ["en"]
    assert "Frontiers of Digital Education; Vol. 1 No. 1 (2026)" in texts(dc, "dc:source")[0]
    zh = dc.find("dc:title[@xml:lang='zh']", NS | {"xml": "http://www.w3.org/XML/1998/namespace"})
    assert zh is not None and zh.text == "农村学校的学习分析"


def test_get_record_jats_is_the_article_in_its_namespace(dbsession, journal, articles):
    root = ask(
        repository(dbsession, journal),
        ("verb", "GetRecord"),
        ("identifier", identifier("10.5555/fde.2026.0001")),
        ("metadataPrefix", "jats"),
    )
    article = root.find(".//o:metadata/j:article", NS)
    assert article is not None and article.get("article-type") == "research-article"
    assert article.findtext(".//j:article-id[@pub-id-type='doi']", namespaces=NS) == (
        "10.5555/fde.2026.0001"
    )
    # MathML keeps its own namespace; the body came along.
    assert article.find(".//{http://www.w3.org/1998/Math/MathML}math") is not None
    assert article.find("j:body", NS) is not None


def test_a_schema_check_of_a_jats_record_fails_on_invalid_jats(dbsession, journal):
    """The validation used above does look inside the record."""
    bad = publish_article(
        dbsession, journal, "10.5555/fde.2026.0011", jats="<article><front/></article>"
    )
    body = oai.respond(
        [("verb", "GetRecord"), ("identifier", identifier(bad.doi)), ("metadataPrefix", "jats")],
        repository(dbsession, journal),
    )
    errors = oai.validate_response(body, {"fde.schema_dir": str(SCHEMA_DIR)})
    assert errors and "front" in errors[0].message


def test_get_record_of_a_retracted_article_is_a_deleted_header(dbsession, journal, articles):
    for prefix in ("oai_dc", "jats"):
        root = ask(
            repository(dbsession, journal),
            ("verb", "GetRecord"),
            ("identifier", identifier("10.5555/fde.2026.0004")),
            ("metadataPrefix", prefix),
        )
        record = root.find(".//o:record", NS)
        assert record.find("o:header", NS).get("status") == "deleted"
        assert record.find("o:metadata", NS) is None


def test_get_record_identifiers(dbsession, journal, articles):
    repo = repository(dbsession, journal)

    def get(ident: str, prefix: str = "oai_dc"):
        return ask(repo, ("verb", "GetRecord"), ("identifier", ident), ("metadataPrefix", prefix))

    # DOIs compare case-insensitively, and so does the repository part.
    upper = get("OAI:FDE.EXAMPLE.ORG:10.5555/FDE.2026.0001")
    assert upper.findtext(".//o:identifier", namespaces=NS) == identifier("10.5555/fde.2026.0001")
    for unknown in (
        identifier("10.5555/none"),
        "oai:other.example.org:10.5555/fde.2026.0001",
        identifier("10.5555/fde.2026.0099"),  # in production, not harvested
        "urn:isbn:123",
    ):
        code, request = error_of(get(unknown))
        assert code == "idDoesNotExist"
        assert request == {"verb": "GetRecord", "identifier": unknown, "metadataPrefix": "oai_dc"}
    no_doi = publish_article(dbsession, journal, None)
    root = get(identifier(f"article-{no_doi.id}"))
    assert root.findtext(".//o:identifier", namespaces=NS) == identifier(f"article-{no_doi.id}")
    assert error_of(get(identifier(f"article-{articles[0].id}")))[0] == "idDoesNotExist"


def test_a_doi_with_unusual_characters_makes_a_valid_identifier(dbsession, journal):
    doi = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"
    publish_article(dbsession, journal, doi, jats=None)
    repo = repository(dbsession, journal)
    listed = ask(repo, ("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"))
    ident = listed.findtext(".//o:identifier", namespaces=NS)
    assert "<" not in ident and ident.endswith("%3C693::AID-ASI4%3E3.0.CO;2-0")
    got = ask(repo, ("verb", "GetRecord"), ("identifier", ident), ("metadataPrefix", "oai_dc"))
    assert texts(got, ".//dc:identifier")[0] == f"https://doi.org/{doi}"


def test_get_record_formats(dbsession, journal, articles):
    repo = repository(dbsession, journal)
    ident = identifier(articles[0].doi)
    root = ask(repo, ("verb", "GetRecord"), ("identifier", ident), ("metadataPrefix", "marc21"))
    assert error_of(root) == (
        "cannotDisseminateFormat",
        {"verb": "GetRecord", "identifier": ident, "metadataPrefix": "marc21"},
    )
    no_jats = publish_article(dbsession, journal, "10.5555/fde.2026.0012", jats=None)
    root = ask(
        repo,
        ("verb", "GetRecord"),
        ("identifier", identifier(no_jats.doi)),
        ("metadataPrefix", "jats"),
    )
    assert error_of(root)[0] == "cannotDisseminateFormat"
    # Without JATS the Dublin Core still has the title and DOI from the database.
    root = ask(
        repo,
        ("verb", "GetRecord"),
        ("identifier", identifier(no_jats.doi)),
        ("metadataPrefix", "oai_dc"),
    )
    assert texts(root, ".//dc:title") == [no_jats.title]


# --- lists, paging and resumption tokens ----------------------------------------------------


def harvest(repo: oai.Repository, verb: str, *args: tuple[str, str]):
    """Every page of a list: (identifiers, resumptionToken elements)."""
    identifiers: list[str] = []
    tokens = []
    root = ask(repo, ("verb", verb), *args)
    while True:
        if root.find("o:error", NS) is not None:
            return identifiers, tokens, error_of(root)[0]
        identifiers += texts(root, ".//o:header/o:identifier")
        token = root.find(f"o:{verb}/o:resumptionToken", NS)
        if token is None:
            return identifiers, tokens, None
        tokens.append(token)
        if not token.text:
            return identifiers, tokens, None
        root = ask(repo, ("verb", verb), ("resumptionToken", token.text))


def test_list_identifiers_pages_through_everything(dbsession, journal, articles):
    repo = repository(dbsession, journal, page_size=2)
    ids, tokens, error = harvest(repo, "ListIdentifiers", ("metadataPrefix", "oai_dc"))
    assert error is None
    assert ids == [identifier(a.doi) for a in articles]
    assert [(t.get("completeListSize"), t.get("cursor")) for t in tokens] == [
        ("5", "0"),
        ("5", "2"),
        ("5", "4"),
    ]
    assert [bool(t.text) for t in tokens] == [True, True, False]
    assert tokens[0].get("expirationDate") and tokens[2].get("expirationDate") is None


def test_list_records_pages_and_marks_deleted_records(dbsession, journal, articles):
    repo = repository(dbsession, journal, page_size=3)
    root = ask(repo, ("verb", "ListRecords"), ("metadataPrefix", "jats"))
    assert len(root.findall(".//o:record", NS)) == 3
    token = root.findtext(".//o:resumptionToken", namespaces=NS)
    root = ask(repo, ("verb", "ListRecords"), ("resumptionToken", token))
    records = root.findall(".//o:record", NS)
    assert [r.find("o:header", NS).get("status") for r in records] == ["deleted", None]
    assert records[0].find("o:metadata", NS) is None
    assert records[1].find("o:metadata/j:article", NS) is not None


def test_a_list_that_fits_one_page_has_no_token(dbsession, journal, articles):
    root = ask(
        repository(dbsession, journal, page_size=10),
        ("verb", "ListRecords"),
        ("metadataPrefix", "oai_dc"),
    )
    assert len(root.findall(".//o:record", NS)) == 5
    assert root.find(".//o:resumptionToken", NS) is None


def test_a_record_changed_during_a_harvest_is_not_lost(dbsession, journal, articles):
    repo = repository(dbsession, journal, page_size=2)
    first = ask(repo, ("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"))
    token = first.findtext(".//o:resumptionToken", namespaces=NS)
    # Article 3 (not yet harvested) is corrected, article 1 (harvested) changes too.
    articles[2].updated_at = at(20)
    articles[0].updated_at = at(21)
    dbsession.flush()
    rest: list[str] = []
    root = ask(repo, ("verb", "ListIdentifiers"), ("resumptionToken", token))
    while True:
        rest += texts(root, ".//o:header/o:identifier")
        token = root.findtext(".//o:resumptionToken", namespaces=NS)
        if not token:
            break
        root = ask(repo, ("verb", "ListIdentifiers"), ("resumptionToken", token))
    seen = texts(first, ".//o:header/o:identifier") + rest
    assert set(seen) == {identifier(a.doi) for a in articles}
    assert rest[-2:] == [identifier(articles[2].doi), identifier(articles[0].doi)]


def test_from_and_until(dbsession, journal, articles):
    repo = repository(dbsession, journal, page_size=10)

    def dois(*args: tuple[str, str]) -> list[str] | str:
        ids, _, error = harvest(repo, "ListIdentifiers", ("metadataPrefix", "oai_dc"), *args)
        return error or [i.rsplit(".", 1)[1] for i in ids]

    assert dois(("from", "2026-03-02")) == ["0002", "0003", "0004", "0005"]
    assert dois(("until", "2026-03-02")) == ["0001", "0002"]  # the whole day
    assert dois(("from", "2026-03-02"), ("until", "2026-03-03")) == ["0002", "0003"]
    assert dois(("from", "2026-03-02T09:00:00Z"), ("until", "2026-03-02T09:00:00Z")) == ["0002"]
    assert dois(("from", "2026-03-02T09:00:01Z")) == ["0003", "0004", "0005"]
    # Article 5 changed at 09:00:30.5; its datestamp says 09:00:30, and both bounds find it.
    assert dois(("from", "2026-03-05T09:00:30Z"), ("until", "2026-03-05T09:00:30Z")) == ["0005"]
    assert dois(("from", "2027-01-01")) == "noRecordsMatch"


@pytest.mark.parametrize(
    "args",
    [
        (("from", "2026-03-02"), ("until", "2026-03-03T00:00:00Z")),  # mixed granularity
        (("from", "2026-03-04"), ("until", "2026-03-02")),  # from after until
        (("from", "2026-02-30"),),  # no such day
        (("from", "2026-3-2"),),
        (("until", "2026-03-02T09:00:00"),),  # no Z
        (("until", "2026-03-02T09:00:00+01:00"),),
        (("from", "yesterday"),),
        (("from", "2026-03-02T25:00:00Z"),),
        (("from", "٢٠٢٦-٠٣-٠٢"),),  # digits, but not the ASCII ones the protocol means
    ],
)
def test_bad_dates_are_bad_arguments(dbsession, journal, articles, args):
    root = ask(
        repository(dbsession, journal), ("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), *args
    )
    assert error_of(root) == ("badArgument", {})


def test_sets_select_records(dbsession, journal, articles):
    repo = repository(dbsession, journal, page_size=10)

    def dois(spec: str) -> list[str] | str:
        ids, _, error = harvest(
            repo, "ListIdentifiers", ("metadataPrefix", "oai_dc"), ("set", spec)
        )
        return error or [i.rsplit(".", 1)[1] for i in ids]

    assert dois("section") == ["0001", "0002", "0003", "0004", "0005"]
    assert dois("section:review") == ["0002"]
    assert dois("section:research-article") == ["0001", "0003", "0004", "0005"]
    assert dois("volume") == ["0001", "0002", "0003"]
    assert dois("volume:1") == ["0001", "0002", "0003"]
    assert dois("volume:1:2") == ["0003"]
    for empty in (
        "volume:2",
        "volume:1:3",
        "section:nonsense",
        "subject",
        "volume:x",
        "volume:1:1:1",
    ):
        assert dois(empty) == "noRecordsMatch", empty
    root = ask(
        repo,
        ("verb", "ListRecords"),
        ("metadataPrefix", "oai_dc"),
        ("set", "volume:1:2"),
        ("from", "2026-03-03"),
    )
    assert texts(root, ".//o:setSpec") == ["section:research-article", "volume:1:2"]


def test_resumption_tokens_cannot_be_forged(dbsession, journal, articles):
    repo = repository(dbsession, journal, page_size=2)
    root = ask(repo, ("verb", "ListRecords"), ("metadataPrefix", "oai_dc"))
    token = root.findtext(".//o:resumptionToken", namespaces=NS)

    def code(value: str, verb: str = "ListRecords") -> str:
        return error_of(ask(repo, ("verb", verb), ("resumptionToken", value)))[0]

    assert code(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) == "badResumptionToken"
    assert code(token, verb="ListIdentifiers") == "badResumptionToken"  # another list
    assert code("x" * 3000) == "badResumptionToken"
    assert code("ünïcode") == "badResumptionToken"
    other = oai.TokenCodec("another-secret-0123456789abcdef", dt.timedelta(hours=1), journal.id)
    forged = other.dump(oai.ListQuery("ListRecords", "oai_dc", after=(at(1), 1), cursor=2))
    assert code(forged) == "badResumptionToken"
    other_journal = oai.TokenCodec(SECRET, dt.timedelta(hours=1), journal.id + 1)
    forged = other_journal.dump(oai.ListQuery("ListRecords", "oai_dc", after=(at(1), 1)))
    assert code(forged) == "badResumptionToken"
    request = error_of(ask(repo, ("verb", "ListRecords"), ("resumptionToken", "nonsense")))[1]
    assert request == {"verb": "ListRecords", "resumptionToken": "nonsense"}


def test_resumption_tokens_expire(dbsession, journal, articles):
    repo = repository(dbsession, journal, page_size=2, token_ttl=dt.timedelta(hours=1))
    old = oai.TokenCodec(
        SECRET, dt.timedelta(hours=1), journal.id, clock=lambda: time.time() - 7200
    )
    token = old.dump(
        oai.ListQuery("ListRecords", "oai_dc", after=(at(2), articles[1].id), cursor=2)
    )
    root = ask(repo, ("verb", "ListRecords"), ("resumptionToken", token))
    code, _ = error_of(root)
    assert code == "badResumptionToken" and "expired" in root.findtext("o:error", namespaces=NS)
    fresh = oai.TokenCodec(SECRET, dt.timedelta(hours=1), journal.id)
    token = fresh.dump(
        oai.ListQuery("ListRecords", "oai_dc", after=(at(2), articles[1].id), cursor=2)
    )
    root = ask(repo, ("verb", "ListRecords"), ("resumptionToken", token))
    assert root.find("o:error", NS) is None
    assert root.find(".//o:resumptionToken", NS).get("cursor") == "2"


def test_an_empty_list_is_no_records_match(dbsession, journal):
    for verb in ("ListIdentifiers", "ListRecords"):
        root = ask(repository(dbsession, journal), ("verb", verb), ("metadataPrefix", "oai_dc"))
        assert error_of(root) == ("noRecordsMatch", {"verb": verb, "metadataPrefix": "oai_dc"})


def test_list_with_an_unknown_format(dbsession, journal, articles):
    root = ask(repository(dbsession, journal), ("verb", "ListRecords"), ("metadataPrefix", "mods"))
    assert error_of(root) == (
        "cannotDisseminateFormat",
        {"verb": "ListRecords", "metadataPrefix": "mods"},
    )


# --- bad verbs and arguments -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("pairs", "code"),
    [
        ([], "badVerb"),
        ([("verb", "Explain")], "badVerb"),
        ([("verb", "identify")], "badVerb"),
        ([("verb", "Identify"), ("verb", "Identify")], "badVerb"),
        ([("verb", "Bad\x01verb")], "badVerb"),
        ([("verb", "Identify"), ("metadataPrefix", "oai_dc")], "badArgument"),
        ([("verb", "ListRecords")], "badArgument"),
        (
            [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("metadataPrefix", "oai_dc")],
            "badArgument",
        ),
        (
            [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("identifier", "x")],
            "badArgument",
        ),
        (
            [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("resumptionToken", "x")],
            "badArgument",
        ),
        ([("verb", "ListIdentifiers"), ("metadataPrefix", "")], "badArgument"),
        ([("verb", "ListIdentifiers"), ("metadataPrefix", "oai dc")], "badArgument"),
        (
            [("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"), ("set", "a::b")],
            "badArgument",
        ),
        (
            [("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"), ("set", "séction")],
            "badArgument",
        ),
        ([("verb", "GetRecord"), ("identifier", "oai:x:1")], "badArgument"),
        ([("verb", "GetRecord"), ("metadataPrefix", "oai_dc")], "badArgument"),
        (
            [("verb", "GetRecord"), ("identifier", "oai:x: 1"), ("metadataPrefix", "oai_dc")],
            "badArgument",
        ),
        (
            [("verb", "GetRecord"), ("identifier", "oai:x:\x00"), ("metadataPrefix", "oai_dc")],
            "badArgument",
        ),
        ([("verb", "ListSets"), ("set", "section")], "badArgument"),
        ([("verb", "ListMetadataFormats"), ("metadataPrefix", "oai_dc")], "badArgument"),
        (
            [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("csrf_token", "x")],
            "badArgument",
        ),
    ],
)
def test_bad_requests(dbsession, journal, pairs, code):
    root = ask(repository(dbsession, journal), *pairs)
    # After badVerb and badArgument the request element has no attributes (the protocol).
    assert error_of(root) == (code, {})
    assert root.findtext("o:request", namespaces=NS) == "https://fde.example.org/oai"


def test_config_from_settings(dbsession, journal):
    config = oai.OaiConfig.from_settings(
        {"fde.token_secret": SECRET, "fde.base_url": "https://fde.example.org:8443/"},
        base_url="https://fde.example.org/oai",
        site_url="https://fde.example.org/",
        journal=journal,
    )
    assert config.repository_identifier == "fde.example.org"
    assert config.page_size == oai.DEFAULT_PAGE_SIZE
    assert config.admin_emails == (journal.depositor_email,)
    config = oai.OaiConfig.from_settings(
        {
            "fde.token_secret": SECRET,
            "oai.repository_identifier": "journal.example.org",
            "oai.page_size": "7",
            "oai.token_ttl_hours": "2",
            "oai.admin_email": "a@example.org b@example.org",
        },
        base_url="x",
        site_url="x",
        journal=journal,
    )
    assert (config.repository_identifier, config.page_size) == ("journal.example.org", 7)
    assert config.token_ttl == dt.timedelta(hours=2)
    assert config.admin_emails == ("a@example.org", "b@example.org")
    with pytest.raises(ValueError, match=r"oai\.page_size"):
        oai.OaiConfig.from_settings(
            {"fde.token_secret": SECRET, "oai.page_size": "0"},
            base_url="x",
            site_url="x",
            journal=journal,
        )
    with pytest.raises(ValueError, match="token_secret"):
        oai.OaiConfig.from_settings({}, base_url="x", site_url="x", journal=journal)


def test_ids_in_jats_records_are_unique_in_the_response_and_references_follow(
    dbsession, journal, articles
):
    root = ask(
        repository(dbsession, journal, page_size=10),
        ("verb", "ListRecords"),
        ("metadataPrefix", "jats"),
    )
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids)) > 20
    assert "_10.5555_fde.2026.0001-aff1" in ids and "_10.5555_fde.2026.0002-aff1" in ids
    known = set(ids)
    refs = [r for el in root.iter() for r in (el.get("rid") or "").split()]
    assert refs and all(r in known for r in refs)
    # GetRecord gives the same record as the list.
    one = ask(
        repository(dbsession, journal),
        ("verb", "GetRecord"),
        ("identifier", identifier("10.5555/fde.2026.0001")),
        ("metadataPrefix", "jats"),
    )
    assert one.find(".//j:aff", NS).get("id") == "_10.5555_fde.2026.0001-aff1"
