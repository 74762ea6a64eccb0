"""Production services: the metadata dict, JATS versions and uploads, conversion failures,
proof links and the publish guards — called directly, without HTTP."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select

from frontiers_de.articles import placement
from frontiers_de.articles import services as article_services
from frontiers_de.articles.jats import store_jats
from frontiers_de.articles.models import ArticleState
from frontiers_de.editorial.workflow import TransitionNotAllowed
from frontiers_de.production import assets, services
from frontiers_de.production.jats.frontmatter import validate_metadata
from frontiers_de.production.models import ProofState
from frontiers_de.security.link_tokens import hash_link_token
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.models import FileKind, ManuscriptFile, SubmissionState
from tests.factories import make_journal, make_user
from tests.production_factories import (
    add_manuscript,
    image_bytes,
    make_accepted_submission,
    sample_metadata,
)
from tests.submission_factories import SubmissionFactory

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((ROOT / "schemas" / "submission-metadata.schema.json").read_text("utf-8"))
VALID_JATS = (ROOT / "tests" / "fixtures" / "jats" / "article-valid.xml").read_bytes()
SETTINGS = {"fde.base_url": "http://localhost", "mail.default_sender": "FDE <fde@example.org>"}


@pytest.fixture
def storage(tmp_path):
    return LocalFileStorage(tmp_path / "files")


@pytest.fixture
def setting(dbsession):
    journal = make_journal(dbsession)
    editor = make_user(dbsession, roles=[Role.PRODUCTION_EDITOR], journal=journal)
    author = make_user(dbsession, "wei.zhang@example.edu.cn", roles=[Role.AUTHOR], journal=journal)
    submission = make_accepted_submission(dbsession, journal, author)
    return journal, editor, author, submission


def _article_with_jats(db, storage, setting, jats=VALID_JATS):
    _journal, editor, _author, submission = setting
    article = services.start_production(db, submission, editor)
    store_jats(db, storage, article, jats, filename="article.xml", user_id=editor.id)
    return article


# --- the metadata dict ------------------------------------------------------------------------


def test_metadata_from_the_database_follows_the_json_schema(dbsession, setting):
    *_, submission = setting
    meta = services.submission_metadata(dbsession, submission)
    jsonschema.Draft202012Validator(SCHEMA).validate(meta)
    assert validate_metadata(meta) == []


def test_metadata_round_trips_the_sample(dbsession, setting):
    *_, submission = setting
    sample = sample_metadata()
    meta = services.submission_metadata(dbsession, submission)
    for key in ("language", "title", "subtitle", "trans_titles", "abstracts", "keywords", "doi"):
        assert meta[key] == sample[key], key
    assert meta["article_type"] == "research-article"
    assert [(c["given_names"], c["family_names"]) for c in meta["contributors"]] == [
        ("Wei", "Zhang"),
        ("Amina", "Haddad"),
    ]
    first, second = meta["contributors"]
    assert first["corresponding"] is True and "corresponding" not in second
    assert first["native_name"] == {
        "lang": "zh",
        "name_style": "eastern",
        "family_names": "张",
        "given_names": "伟",
    }
    assert first["credit_roles"] == sample["contributors"][0]["credit_roles"]
    assert second["orcid"] == "0000-0002-1694-233X"
    # Affiliations shared by two authors are listed once and referred to by id.
    assert [a["institution"] for a in meta["affiliations"]] == [
        "East China Normal University",
        "Peking University",
    ]
    assert second["affiliations"] == ["aff1", "aff2"]
    assert meta["affiliations"][0]["country_code"] == "CN"
    assert meta["funding"] == [
        {
            "funder_name": "National Natural Science Foundation of China",
            "funder_doi": "10.13039/501100001809",
            "award_ids": ["62177001"],
        }
    ]
    assert meta["history"] == {"received": "2026-01-12", "accepted": "2026-04-20"}
    assert meta["copyright"] == {"holder": "The Authors", "year": 2026}
    assert meta["license_url"].startswith("https://creativecommons.org/")


def test_metadata_leaves_out_what_the_schema_would_refuse(dbsession, setting):
    *_, submission = setting
    first, second = submission.contributors
    first.orcid = "0000-0002-1825"  # cut short
    first.credit_roles = ["writing - original draft", "Cooking"]
    first.native_name = "欧阳修"  # no space: not split, kept whole
    second.family_name = ""
    second.given_name = "Haddad"
    second.affiliations = [{"name": "  "}, {"name": "Cairo University", "ror": "not-a-ror"}]
    submission.funding[0].funder_doi = "10.1000/not-a-funder"
    submission.translations["x-bad"] = {"title": "ignored"}
    submission.keywords = ["learning", "  "]
    dbsession.flush()
    meta = services.submission_metadata(dbsession, submission)
    jsonschema.Draft202012Validator(SCHEMA).validate(meta)
    assert validate_metadata(meta) == []
    one, two = meta["contributors"]
    assert "orcid" not in one
    assert one["credit_roles"] == ["Writing – original draft"]
    assert one["native_name"]["family_names"] == "欧阳修"
    assert "given_names" not in one["native_name"]
    assert two["family_names"] == "Haddad" and "given_names" not in two
    assert meta["affiliations"][-1] == {"id": "aff2", "institution": "Cairo University"}
    assert "funder_doi" not in meta["funding"][0]
    assert meta["keywords"][0]["terms"] == ["learning"]


def test_metadata_of_a_bare_submission_is_still_valid(dbsession, setting):
    journal, _editor, author, _ = setting
    bare = SubmissionFactory(
        db=dbsession,
        journal=journal,
        submitter=author,
        title="  ",
        abstract="",
        state=SubmissionState.DRAFT,
    )
    meta = services.submission_metadata(dbsession, bare)
    jsonschema.Draft202012Validator(SCHEMA).validate(meta)
    assert meta["title"] == "Untitled"


# --- starting production and JATS versions ----------------------------------------------------


def test_start_production_goes_through_the_workflow(dbsession, setting):
    _journal, editor, author, submission = setting
    with pytest.raises(TransitionNotAllowed):
        services.start_production(dbsession, submission, author)
    article = services.start_production(dbsession, submission, editor)
    assert submission.state == SubmissionState.IN_PRODUCTION
    assert (article.doi, article.title) == (submission.doi, submission.title)
    assert article.state == ArticleState.IN_PRODUCTION
    with pytest.raises(TransitionNotAllowed):  # not twice
        services.start_production(dbsession, submission, editor)


def test_every_jats_version_is_kept_and_the_html_follows(dbsession, storage, setting):
    article = _article_with_jats(dbsession, storage, setting)
    assert "<article" in article.html and "Smith" in article.html
    article.pdf_sha256, article.pdf_pages = storage.put(b"%PDF-1.7 old"), 1
    edited = VALID_JATS.replace(b"rural schools", b"mountain schools")
    services.upload_jats(
        dbsession, storage, article, edited, "C:\\edits\\fixed.xml", setting[1], SETTINGS
    )
    versions = services.jats_versions(dbsession, article.submission_id)
    assert [v.filename for v in versions] == ["fixed.xml", "article.xml"]
    assert storage.get(versions[1].sha256) == VALID_JATS
    assert storage.get(versions[0].sha256) == edited
    assert "mountain schools" in article.html and "mountain schools" in article.jats_xml
    # The PDF was made from the old JATS: it is no longer the article's.
    assert article.pdf_sha256 is None and article.pdf_pages is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not usable XML"),
        (b"PK\x03\x04 a word file", "not usable XML"),
        (b"<html><body><p>Hello<br></body></html>", "not usable XML"),
        (b"", "empty"),
        (b"<?xml version='1.0'?><book><title>x</title></book>", "not a JATS article"),
        (
            b'<?xml version="1.0"?><!DOCTYPE article [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;">]><article><front>&b;</front></article>',
            "entities",
        ),
        (b"<article>" + b"<sec>" * 300 + b"</sec>" * 300 + b"</article>", "depth"),
    ],
)
def test_upload_refuses_what_is_not_a_jats_article(dbsession, storage, setting, data, expected):
    article = _article_with_jats(dbsession, storage, setting)
    before = article.jats_xml
    with pytest.raises(services.ProductionError) as refused:
        services.upload_jats(dbsession, storage, article, data, "x.xml", setting[1], SETTINGS)
    message = str(refused.value.message.interpolate())
    assert expected in message
    if data:
        assert "The previous JATS is kept." in message
    assert article.jats_xml == before
    assert len(services.jats_versions(dbsession, article.submission_id)) == 1


def test_upload_has_a_size_limit(dbsession, storage, setting):
    article = _article_with_jats(dbsession, storage, setting)
    limited = {**SETTINGS, "fde.production.max_jats_bytes": "1000"}
    with pytest.raises(services.ProductionError) as refused:
        services.upload_jats(dbsession, storage, article, VALID_JATS, "x.xml", None, limited)
    assert "at most 1000 bytes" in str(refused.value.message.interpolate())


def test_upload_in_another_encoding_is_stored_as_utf8(dbsession, storage, setting):
    article = _article_with_jats(dbsession, storage, setting)
    latin = VALID_JATS.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"').replace(
        b"rural schools", "écoles rurales".encode("latin-1")
    )
    services.upload_jats(dbsession, storage, article, latin, "latin.xml", None, SETTINGS)
    assert "écoles rurales" in article.jats_xml and "écoles rurales" in article.html


def test_a_failed_conversion_keeps_the_previous_jats(dbsession, storage, setting):
    article = _article_with_jats(dbsession, storage, setting)
    submission = setting[3]
    add_manuscript(dbsession, storage, submission, Path("broken.docx"), data=b"not a zip at all")
    before = article.jats_xml
    with pytest.raises(services.ProductionError) as failed:
        services.convert_manuscript(dbsession, storage, article, SETTINGS)
    assert "broken.docx" in str(failed.value) and "failed" in str(failed.value)
    assert article.jats_xml == before
    assert len(services.jats_versions(dbsession, article.submission_id)) == 1


def test_conversion_without_a_manuscript_says_so(dbsession, storage, setting):
    article = services.start_production(dbsession, setting[3], setting[1])
    with pytest.raises(services.ProductionError, match="no manuscript"):
        services.convert_manuscript(dbsession, storage, article, SETTINGS)


def test_the_latest_round_manuscript_is_converted(dbsession, storage, setting):
    submission = setting[3]
    add_manuscript(dbsession, storage, submission, Path("v1.md"), data=b"# One", round_number=1)
    newest = add_manuscript(
        dbsession, storage, submission, Path("v2.md"), data=b"# Two", round_number=2
    )
    assert services.latest_manuscript(dbsession, submission).id == newest.id


# --- proofs --------------------------------------------------------------------------------------


def _ready_to_proof(dbsession, storage, setting):
    article = _article_with_jats(dbsession, storage, setting)
    article.pdf_sha256, article.pdf_pages = storage.put(b"%PDF-1.7 typeset"), 3
    return article


def test_proof_goes_to_the_corresponding_author_with_a_hashed_token(dbsession, storage, setting):
    from frontiers_de.mail.models import OutboxEmail

    article = _ready_to_proof(dbsession, storage, setting)
    sent = services.send_proof(dbsession, SETTINGS, article, setting[1])
    assert sent.proof.token_hash == hash_link_token(sent.token)
    assert sent.token not in sent.proof.token_hash
    email = dbsession.scalars(
        select(OutboxEmail).where(OutboxEmail.template == "production_proof")
    ).one()
    assert email.recipients == ["wei.zhang@example.edu.cn"]
    assert f"http://localhost/proofs/{sent.token}" in email.body_text
    assert sent.proof.sent_to_id == setting[2].id
    assert services.proof_for_token(dbsession, sent.token, SETTINGS).id == sent.proof.id


def test_proof_links_that_cannot_be_used(dbsession, storage, setting):
    article = _ready_to_proof(dbsession, storage, setting)
    first = services.send_proof(dbsession, SETTINGS, article, setting[1])
    second = services.send_proof(dbsession, SETTINGS, article, setting[1])
    assert first.proof.state == ProofState.SUPERSEDED and second.proof.number == 2

    def reason(token, **kw):
        with pytest.raises(services.ProofLinkError) as err:
            services.proof_for_token(dbsession, token, SETTINGS, **kw)
        return err.value.reason

    assert reason(first.token) == "superseded"
    assert reason(second.token[:-2] + "xx") == "invalid"
    assert reason("") == "invalid"
    assert reason("ü" * 10) == "invalid"
    later = second.proof.sent_at + dt.timedelta(days=services.DEFAULT_PROOF_DAYS, seconds=1)
    assert reason(second.token, now=later) == "expired"
    services.answer_proof(dbsession, second.proof, approve=False, corrections="p. 2: typo")
    assert reason(second.token) == "used"
    assert second.proof.state == ProofState.CORRECTIONS_REQUESTED


def test_corrections_must_be_listed(dbsession, storage, setting):
    article = _ready_to_proof(dbsession, storage, setting)
    sent = services.send_proof(dbsession, SETTINGS, article, setting[1])
    with pytest.raises(services.ProductionError):
        services.answer_proof(dbsession, sent.proof, approve=False, corrections="   ")
    assert sent.proof.state == ProofState.SENT


def test_no_proof_without_a_pdf(dbsession, storage, setting):
    article = _article_with_jats(dbsession, storage, setting)
    with pytest.raises(services.ProductionError):
        services.send_proof(dbsession, SETTINGS, article, setting[1])


def test_a_new_jats_supersedes_the_open_proof(dbsession, storage, setting):
    article = _ready_to_proof(dbsession, storage, setting)
    sent = services.send_proof(dbsession, SETTINGS, article, setting[1])
    services.upload_jats(
        dbsession, storage, article, VALID_JATS.replace(b"Smith", b"Smyth"), "e.xml", None, SETTINGS
    )
    assert sent.proof.state == ProofState.SUPERSEDED


# --- publishing ----------------------------------------------------------------------------------


def _texts(refused):
    return " | ".join(str(r.interpolate()) for r in refused.value.reasons)


def test_publish_needs_jats_pdf_and_an_approved_proof(dbsession, storage, setting):
    editor = setting[1]
    article = services.start_production(dbsession, setting[3], editor)
    with pytest.raises(services.PublishRefused) as refused:
        services.publish(dbsession, storage, article, editor, SETTINGS)
    assert "There is no JATS yet" in _texts(refused) and "typeset" in _texts(refused)

    store_jats(dbsession, storage, article, VALID_JATS, filename="a.xml")
    assets.upload_asset(dbsession, storage, article, "fig1.png", image_bytes("PNG"), editor, {})
    article.pdf_sha256 = storage.put(b"%PDF-1.7 typeset")
    with pytest.raises(services.PublishRefused) as refused:
        services.publish(dbsession, storage, article, editor, SETTINGS)
    assert _texts(refused) == (
        "The author has not approved a proof of the current PDF: send a proof."
    )

    sent = services.send_proof(dbsession, SETTINGS, article, editor)
    services.answer_proof(dbsession, sent.proof, approve=True)
    when = dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC)
    services.publish(dbsession, storage, article, editor, SETTINGS, now=when)
    assert article.state == ArticleState.PUBLISHED and article.published_at == when
    assert setting[3].state == SubmissionState.PUBLISHED
    final = dbsession.scalars(
        select(ManuscriptFile).where(ManuscriptFile.kind == FileKind.FINAL_PDF)
    ).one()
    assert final.sha256 == sent.proof.pdf_sha256 == article.pdf_sha256
    assert article_services.published_article(dbsession, "10.5555/FDE.2026.0012").id == article.id
    # The JATS now carries the publication date (a new version); the approved PDF stays.
    assert 'iso-8601-date="2026-06-01"' in article.jats_xml
    assert 'iso-8601-date="2026-03-15"' not in article.jats_xml  # the planned date it had
    assert services.jats_versions(dbsession, article.submission_id)[0].filename.endswith(
        ".published.xml"
    )


def test_publish_refuses_jats_with_errors(dbsession, storage, setting):
    editor = setting[1]
    broken = VALID_JATS.replace(b'rid="r1"', b'rid="nowhere"')
    article = _article_with_jats(dbsession, storage, setting, jats=broken)
    article.pdf_sha256 = storage.put(b"%PDF-1.7 typeset")
    sent = services.send_proof(dbsession, SETTINGS, article, editor)
    services.answer_proof(dbsession, sent.proof, approve=True)
    with pytest.raises(services.PublishRefused) as refused:
        services.publish(dbsession, storage, article, editor, SETTINGS)
    assert "does not pass the checks" in _texts(refused)
    assert article.state == ArticleState.IN_PRODUCTION


def test_publish_refuses_while_a_figure_the_jats_names_is_missing(dbsession, storage, setting):
    editor = setting[1]
    article = _article_with_jats(dbsession, storage, setting)  # names fig1.png, not kept yet
    article.pdf_sha256 = storage.put(b"%PDF-1.7 typeset")
    sent = services.send_proof(dbsession, SETTINGS, article, editor)
    services.answer_proof(dbsession, sent.proof, approve=True)
    with pytest.raises(services.PublishRefused) as refused:
        services.publish(dbsession, storage, article, editor, SETTINGS)
    assert _texts(refused) == (
        "1 file(s) that the JATS names are missing (fig1.png): upload them under Figures and files."
    )
    assert article.state == ArticleState.IN_PRODUCTION
    assets.upload_asset(dbsession, storage, article, "fig1.png", image_bytes("PNG"), editor, {})
    problems = services.publish_problems(dbsession, storage, article, SETTINGS)
    assert not any("missing" in str(p.interpolate()) for p in problems)


def test_an_approval_of_an_older_pdf_does_not_count(dbsession, storage, setting):
    editor = setting[1]
    article = _ready_to_proof(dbsession, storage, setting)
    sent = services.send_proof(dbsession, SETTINGS, article, editor)
    services.answer_proof(dbsession, sent.proof, approve=True)
    article.pdf_sha256 = storage.put(b"%PDF-1.7 typeset again")  # re-typeset after approval
    with pytest.raises(services.PublishRefused) as refused:
        services.publish(dbsession, storage, article, editor, SETTINGS)
    assert "not approved a proof of the current PDF" in _texts(refused)


def test_check_summary_lists_line_severity_rule_and_message(dbsession, storage, setting):
    broken = VALID_JATS.replace(b'rid="r1"', b'rid="nowhere"')
    article = _article_with_jats(dbsession, storage, setting, jats=broken)
    summary = services.check_jats(article, setting[0], SETTINGS)
    assert summary["errors"] >= 1 and summary["jats_sha256"] == services.jats_sha256(article)
    finding = next(f for f in summary["findings"] if "nowhere" in f["message"])
    assert finding["line"] > 0 and finding["severity"] == "error" and finding["rule_id"]


def test_publication_date_replaces_the_placeholder_in_schema_order():
    from lxml import etree

    tree = etree.ElementTree(
        etree.fromstring(
            b"<article><front><article-meta><title-group/><pub-date-not-available/>"
            b"<volume>3</volume></article-meta></front></article>"
        )
    )
    assert placement.stamp_publication_date(tree, dt.date(2026, 6, 1))
    names = [c.tag for c in tree.getroot().find("front/article-meta")]
    assert names == ["title-group", "pub-date", "volume"]
    assert not placement.stamp_publication_date(tree, dt.date(2026, 6, 1))  # says so already
    assert placement.stamp_publication_date(tree, dt.date(2026, 6, 2))  # the real day wins
    assert [c.tag for c in tree.getroot().find("front/article-meta")] == names
    bare = etree.ElementTree(
        etree.fromstring(
            b"<article><front><article-meta><fpage>1</fpage></article-meta></front></article>"
        )
    )
    placement.stamp_publication_date(bare, dt.date(2026, 6, 1))
    pub = bare.getroot().find("front/article-meta")[0]
    assert pub.tag == "pub-date" and [c.text for c in pub] == ["01", "06", "2026"]


def test_a_lost_job_does_not_block_the_step_for_ever(dbsession, storage, setting):
    from frontiers_de.jobs.services import create_job

    article = _article_with_jats(dbsession, storage, setting)
    job = create_job(dbsession, services.JOB_TYPESET, target_type="articles", target_id=article.id)
    assert services.job_busy(dbsession, article, services.JOB_TYPESET)
    later = job.created_at + services.STALE_JOB_AFTER
    assert not services.job_busy(dbsession, article, services.JOB_TYPESET, now=later)


def test_typesetting_stores_the_pdf_and_supersedes_proofs_of_the_old_one(
    dbsession, storage, setting
):
    article = _ready_to_proof(dbsession, storage, setting)
    sent = services.send_proof(dbsession, SETTINGS, article, setting[1])
    result = services.typeset_current(dbsession, storage, article, SETTINGS)
    assert storage.get(result["pdf_sha256"]).startswith(b"%PDF")
    assert article.pdf_sha256 == result["pdf_sha256"] and article.pdf_pages == result["pages"]
    assert result["jats_sha256"] == services.jats_sha256(article)
    kept = dbsession.scalars(
        select(ManuscriptFile).where(ManuscriptFile.kind == FileKind.PROOF_PDF)
    ).one()
    assert kept.sha256 == article.pdf_sha256
    assert sent.proof.state == ProofState.SUPERSEDED


def test_typesetting_without_jats_says_so(dbsession, storage, setting):
    article = services.start_production(dbsession, setting[3], setting[1])
    with pytest.raises(services.ProductionError, match="no JATS to typeset"):
        services.typeset_current(dbsession, storage, article, SETTINGS)


def test_the_search_document_follows_the_jats_and_publication(dbsession, storage, setting):
    from frontiers_de.publishing import search
    from frontiers_de.publishing.models import ArticleSearchDocument

    journal, editor = setting[0], setting[1]
    article = _article_with_jats(dbsession, storage, setting)
    document = dbsession.get(ArticleSearchDocument, article.id)
    assert "learning analytics" in document.title_text
    query = search.parse_query("dashboards")
    assert search.search(dbsession, journal.id, query).total == 0  # not published yet

    edited = VALID_JATS.replace(b"dashboards change teaching", b"tablets change teaching")
    store_jats(dbsession, storage, article, edited, filename="b.xml")
    assert "tablets" in document.abstract_text and "dashboards" not in document.abstract_text

    # An article whose JATS was stored before search existed gets its document on publication.
    dbsession.delete(document)
    dbsession.flush()
    assets.upload_asset(dbsession, storage, article, "fig1.png", image_bytes("PNG"), editor, {})
    article.pdf_sha256 = storage.put(b"%PDF-1.7 typeset")
    sent = services.send_proof(dbsession, SETTINGS, article, editor)
    services.answer_proof(dbsession, sent.proof, approve=True)
    versions = len(services.jats_versions(dbsession, article.submission_id))
    # Published on the day the JATS already names: no new JATS, publish() itself indexes.
    when = dt.datetime(2026, 3, 15, 8, tzinfo=dt.UTC)
    services.publish(dbsession, storage, article, editor, SETTINGS, now=when)
    assert len(services.jats_versions(dbsession, article.submission_id)) == versions
    hits = search.search(dbsession, journal.id, search.parse_query("tablets")).hits
    assert [h.article.id for h in hits] == [article.id]
