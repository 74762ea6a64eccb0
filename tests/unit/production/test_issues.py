"""Volumes and issues: creating them, placing articles (and their JATS), ordering, removing,
and every refused input — called directly, without HTTP."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from frontiers_de.articles import issues, placement
from frontiers_de.articles.jats import serialise_jats, store_jats
from frontiers_de.articles.models import ArticleState, IssueState
from frontiers_de.crossref.models import DoiDeposit, DoiRecord, DoiState
from frontiers_de.editorial.models import AuditEvent
from frontiers_de.production import assets, services
from frontiers_de.production import issues as production_issues
from frontiers_de.production.models import Proof, ProofState
from frontiers_de.security.link_tokens import hash_link_token
from frontiers_de.security.roles import Role
from frontiers_de.storage import FileNotStored, LocalFileStorage
from frontiers_de.submissions.models import Submission, SubmissionState
from frontiers_de.xml.safe import parse_xml
from tests.articles_factories import VolumeFactory
from tests.conftest import SCHEMA_DIR
from tests.factories import JournalFactory, make_journal, make_user
from tests.production_factories import image_bytes, make_accepted_submission, sample_metadata
from tests.publishing_factories import jats_with, make_issue, publish_article

ROOT = Path(__file__).resolve().parents[3]
VALID_JATS = (ROOT / "tests" / "fixtures" / "jats" / "article-valid.xml").read_bytes()
NOW = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)


@pytest.fixture
def storage(tmp_path):
    return LocalFileStorage(tmp_path / "files")


@pytest.fixture
def journal(dbsession):
    return make_journal(dbsession)


@pytest.fixture
def editor(dbsession, journal):
    return make_user(dbsession, roles=[Role.PRODUCTION_EDITOR], journal=journal)


def _in_production(db, storage, journal, editor, *, doi_number: int | None = 12):
    author = make_user(db, roles=[Role.AUTHOR], journal=journal)
    submission = make_accepted_submission(db, journal, author)
    submission.doi_number = doi_number
    article = services.start_production(db, submission, editor)
    store_jats(db, storage, article, VALID_JATS, filename="a.xml", user_id=editor.id)
    # Typeset and proofed before it was placed.
    article.pdf_sha256 = storage.put(b"%PDF-1.7 typeset")
    db.add(
        Proof(
            article_id=article.id,
            pdf_sha256=article.pdf_sha256,
            state=ProofState.APPROVED,
            token_hash="a" * 64,
        )
    )
    db.flush()
    return article


def _meta(article) -> etree._Element:
    return etree.fromstring(article.jats_xml.encode("utf-8")).find("front/article-meta")


def _errors(exc) -> dict[str, str]:
    return {k: str(v.interpolate()) for k, v in exc.value.errors.items()}


# --- volumes ----------------------------------------------------------------------------


def test_a_volume_is_created_with_its_number_and_year(dbsession, journal):
    volume = issues.create_volume(dbsession, journal, " 3 ", "2027", now=NOW)
    assert (volume.number, volume.year, volume.journal_id) == (3, 2027, journal.id)


@pytest.mark.parametrize(
    ("number", "year", "field", "words"),
    [
        ("", "2026", "number", "required"),
        ("abc", "2026", "number", "whole number"),
        ("2.5", "2026", "number", "whole number"),
        ("-3", "2026", "number", "not negative"),
        ("0", "2026", "number", "between 1 and"),
        ("1234567890", "2026", "number", "between 1 and"),
        ("٣", "2026", "number", "whole number"),  # an Arabic-Indic digit
        ("4", "", "year", "required"),
        ("4", "twenty", "year", "whole number"),
        ("4", "1850", "year", "between 1900 and 2031"),
        ("4", "3000", "year", "between 1900 and 2031"),
    ],
)
def test_bad_volume_input_is_refused_and_nothing_is_made(
    dbsession, journal, number, year, field, words
):
    with pytest.raises(issues.IssueFormError) as refused:
        issues.create_volume(dbsession, journal, number, year, now=NOW)
    assert words in _errors(refused)[field]
    assert issues.volumes_of(dbsession, journal.id) == []


def test_a_volume_number_is_used_once(dbsession, journal):
    issues.create_volume(dbsession, journal, "1", "2026", now=NOW)
    with pytest.raises(issues.IssueFormError) as refused:
        issues.create_volume(dbsession, journal, "1", "2027", now=NOW)
    assert _errors(refused) == {"number": "Volume 1 exists already."}


# --- issues -----------------------------------------------------------------------------


def test_an_issue_is_created_planned_with_title_and_description(dbsession, journal):
    volume = issues.create_volume(dbsession, journal, "2", "2026", now=NOW)
    issue = issues.create_issue(
        dbsession,
        journal,
        str(volume.id),
        "S1",
        "2026",
        "  AI in classrooms ",
        "Papers from the\nconference.",
        now=NOW,
    )
    assert (issue.number, issue.year, issue.title) == ("S1", 2026, "AI in classrooms")
    assert issue.description == "Papers from the\nconference."
    assert issue.state == IssueState.PLANNED and issue.volume is volume
    row = issues.overview(dbsession, journal.id)[0]
    assert row.volume is volume and [(r.issue, r.articles, r.published) for r in row.issues] == [
        (issue, 0, 0)
    ]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"number": ""}, "number", "required"),
        ({"number": "-1"}, "number", "cannot be negative"),
        ({"number": "0"}, "number", "1 or more"),
        ({"number": "a b"}, "number", "letters, digits or hyphens"),
        ({"number": "1/2"}, "number", "letters, digits or hyphens"),
        ({"number": "x" * 21}, "number", "letters, digits or hyphens"),
        ({"year": "1899"}, "year", "between 1900"),
        ({"year": "soon"}, "year", "whole number"),
        ({"title": "t" * 301}, "title", "at most 300"),
        ({"title": "a\tb"}, "title", "control characters"),
        ({"description": "d" * 5001}, "description", "at most 5000"),
        ({"description": "bell\x07"}, "description", "control characters"),
        ({"volume": "999999"}, "volume", "Choose one of the journal's volumes"),
        ({"volume": "first"}, "volume", "Choose one of the journal's volumes"),
    ],
)
def test_bad_issue_input_is_refused_and_nothing_is_made(dbsession, journal, fields, field, words):
    volume = issues.create_volume(dbsession, journal, "1", "2026", now=NOW)
    values = {"volume": str(volume.id), "number": "1", "year": "2026", "title": ""}
    values.update(fields)
    values.setdefault("description", "")
    with pytest.raises(issues.IssueFormError) as refused:
        issues.create_issue(
            dbsession,
            journal,
            values["volume"],
            values["number"],
            values["year"],
            values["title"],
            values["description"],
            now=NOW,
        )
    assert words in _errors(refused)[field]
    assert volume.issues == []


def test_an_issue_number_is_used_once_in_a_volume_but_again_in_another(dbsession, journal):
    one = issues.create_volume(dbsession, journal, "1", "2026", now=NOW)
    two = issues.create_volume(dbsession, journal, "2", "2027", now=NOW)
    issues.create_issue(dbsession, journal, str(one.id), "1", "2026", now=NOW)
    with pytest.raises(issues.IssueFormError) as refused:
        issues.create_issue(dbsession, journal, str(one.id), "1", "2026", now=NOW)
    assert _errors(refused) == {"number": "Volume 1 already has an issue 1."}
    assert issues.create_issue(dbsession, journal, str(two.id), "1", "2027", now=NOW).number == "1"


def test_a_volume_of_another_journal_is_not_offered(dbsession, journal):
    other = JournalFactory(db=dbsession, code="other", title="Other journal")
    foreign = VolumeFactory(db=dbsession, journal=other, number=1, year=2026)
    with pytest.raises(issues.IssueFormError) as refused:
        issues.create_issue(dbsession, journal, str(foreign.id), "1", "2026", now=NOW)
    assert "volume" in refused.value.errors


def test_editing_a_planned_issue_and_refusing_a_published_one(dbsession, storage, journal, editor):
    planned = make_issue(dbsession, journal, 4, "1", state=IssueState.PLANNED)
    make_issue(dbsession, journal, 4, "2", state=IssueState.PLANNED)
    issues.edit_issue(dbsession, storage, planned, "3", "2027", "New title", "About", editor)
    assert (planned.number, planned.year, planned.title, planned.description) == (
        "3",
        2027,
        "New title",
        "About",
    )
    with pytest.raises(issues.IssueFormError) as refused:
        issues.edit_issue(dbsession, storage, planned, "2", "2027", "", "", editor)
    assert _errors(refused) == {"number": "Volume 4 already has an issue 2."}
    assert planned.number == "3"  # kept

    published = make_issue(dbsession, journal, 4, "9", state=IssueState.PUBLISHED)
    with pytest.raises(issues.IssueError) as refused_published:
        issues.edit_issue(dbsession, storage, published, "10", "2026", "x", "", editor)
    assert "is published" in str(refused_published.value.message.interpolate())
    assert published.number == "9" and published.title == ""


# --- placing articles ---------------------------------------------------------------------


def test_assigning_writes_volume_issue_and_elocation_into_the_jats(
    dbsession, storage, journal, editor
):
    issue = make_issue(dbsession, journal, 7, "2", state=IssueState.PLANNED)
    article = _in_production(dbsession, storage, journal, editor)
    versions_before = len(services.jats_versions(dbsession, article.submission_id))

    issues.assign_article(dbsession, storage, issue, str(article.id), editor, now=NOW)

    assert article.issue_id == issue.id and article.position == 1
    assert article.elocation_id == "e0012"
    meta = _meta(article)
    assert meta.findtext("volume") == "7" and meta.findtext("issue") == "2"
    assert meta.findtext("elocation-id") == "e0012"
    names = [etree.QName(c).localname for c in meta]
    assert names.index("pub-date") < names.index("volume") < names.index("issue")
    assert names.index("issue") < names.index("elocation-id") < names.index("history")
    # A new JATS version through store_jats: the PDF is no longer current, a proof that
    # recorded no JATS (sent before proofs did) is superseded, the HTML is made again.
    assert len(services.jats_versions(dbsession, article.submission_id)) == versions_before + 1
    assert article.pdf_sha256 is None
    assert dbsession.scalars(select(Proof.state)).all() == [ProofState.SUPERSEDED]
    assert services.check_jats(article, journal, {})["errors"] == 0
    event = dbsession.scalars(select(AuditEvent).where(AuditEvent.action == "issue_assigned")).one()
    assert event.detail == {"volume": 7, "issue": "2", "position": 1}


def test_a_second_article_goes_last_and_an_article_without_jats_waits_for_conversion(
    dbsession, storage, journal, editor
):
    issue = make_issue(dbsession, journal, 1, "1", state=IssueState.PLANNED)
    first = _in_production(dbsession, storage, journal, editor)
    author = make_user(dbsession, roles=[Role.AUTHOR], journal=journal)
    metadata = sample_metadata()
    metadata["doi"] = "10.5555/fde.2026.0013"
    submission = make_accepted_submission(dbsession, journal, author, metadata=metadata)
    second = services.start_production(dbsession, submission, editor)
    issues.assign_article(dbsession, storage, issue, first.id, editor)
    issues.assign_article(dbsession, storage, issue, second.id, editor)
    assert [a.id for a in issues.articles_in(dbsession, issue)] == [first.id, second.id]
    assert second.position == 2 and second.jats_xml is None
    # The conversion takes the placement from the database.
    meta = services.submission_metadata(dbsession, submission, second)
    assert (meta["volume"], meta["issue"]) == ("1", "1")


def test_a_journal_without_elocations_keeps_the_jats_e_location(
    dbsession, storage, journal, editor
):
    journal.settings = {"elocation_ids": False}
    issue = make_issue(dbsession, journal, 1, "1", state=IssueState.PLANNED)
    article = _in_production(dbsession, storage, journal, editor)
    issues.assign_article(dbsession, storage, issue, article.id, editor)
    assert article.elocation_id == ""
    assert _meta(article).findtext("elocation-id") == "e0001"  # what the JATS had


@pytest.mark.parametrize("raw", ["", "abc", "999999", "-1"])
def test_assigning_an_unknown_article_is_refused(dbsession, storage, journal, editor, raw):
    issue = make_issue(dbsession, journal, 1, "1", state=IssueState.PLANNED)
    with pytest.raises(issues.IssueFormError) as refused:
        issues.assign_article(dbsession, storage, issue, raw, editor)
    assert _errors(refused) == {"article": "Choose an article of this journal."}


def test_assigning_a_retracted_article_is_refused(dbsession, storage, journal, editor):
    issue = make_issue(dbsession, journal, 1, "1", state=IssueState.PLANNED)
    article = publish_article(
        dbsession, journal, "10.5555/fde.2026.0040", state=ArticleState.RETRACTED
    )
    jats = article.jats_xml
    with pytest.raises(issues.IssueFormError) as refused:
        issues.assign_article(dbsession, storage, issue, article.id, editor)
    assert _errors(refused) == {"article": "A retracted article cannot be put into an issue."}
    assert article.issue_id is None and article.jats_xml == jats


def test_a_published_issue_takes_no_articles_and_keeps_its_own(dbsession, storage, journal, editor):
    published = make_issue(dbsession, journal, 1, "1", state=IssueState.PUBLISHED)
    planned = make_issue(dbsession, journal, 1, "2", state=IssueState.PLANNED)
    inside = publish_article(dbsession, journal, "10.5555/fde.2026.0041", issue=published)
    article = _in_production(dbsession, storage, journal, editor)
    with pytest.raises(issues.IssueError) as refused:
        issues.assign_article(dbsession, storage, published, article.id, editor)
    assert "is published" in str(refused.value.message.interpolate())
    with pytest.raises(issues.IssueFormError) as moved:
        issues.assign_article(dbsession, storage, planned, inside.id, editor)
    assert "Volume 1, Issue 1, which is published" in _errors(moved)["article"]
    assert inside.issue_id == published.id
    with pytest.raises(issues.IssueError):
        issues.remove_article(dbsession, storage, published, inside.id, editor)
    assert inside not in issues.assignable_articles(dbsession, planned)
    assert article in issues.assignable_articles(dbsession, planned)


def test_an_article_moves_from_one_planned_issue_to_another(dbsession, storage, journal, editor):
    first = make_issue(dbsession, journal, 1, "1", state=IssueState.PLANNED)
    second = make_issue(dbsession, journal, 1, "2", state=IssueState.PLANNED)
    article = _in_production(dbsession, storage, journal, editor)
    issues.assign_article(dbsession, storage, first, article.id, editor)
    with pytest.raises(issues.IssueFormError):
        issues.assign_article(dbsession, storage, first, article.id, editor)  # already there
    issues.assign_article(dbsession, storage, second, article.id, editor)
    assert article.issue_id == second.id and _meta(article).findtext("issue") == "2"
    assert issues.articles_in(dbsession, first) == []


def test_a_published_article_keeps_its_pdf_and_its_registered_doi_becomes_stale(
    dbsession, storage, journal, editor
):
    issue = make_issue(dbsession, journal, 3, "1", state=IssueState.PLANNED)
    pdf = storage.put(b"%PDF-1.7 published")
    article = publish_article(
        dbsession,
        journal,
        "10.5555/fde.2026.0042",
        jats=jats_with("10.5555/fde.2026.0042", volume="2", issue="1"),
        pdf_sha256=pdf,
        section_code="research-article",
    )
    record = DoiRecord(
        journal_id=journal.id, doi=article.doi, article_id=article.id, state=DoiState.REGISTERED
    )
    dbsession.add(record)
    dbsession.flush()
    issues.assign_article(dbsession, storage, issue, article.id, editor)
    meta = _meta(article)
    assert (meta.findtext("volume"), meta.findtext("issue")) == ("3", "1")
    assert article.pdf_sha256 == pdf  # readers keep the PDF they have
    assert record.state == DoiState.STALE


def test_a_changed_issue_number_reaches_the_jats_of_its_articles(
    dbsession, storage, journal, editor
):
    issue = make_issue(dbsession, journal, 5, "1", state=IssueState.PLANNED)
    article = _in_production(dbsession, storage, journal, editor)
    issues.assign_article(dbsession, storage, issue, article.id, editor)
    issues.edit_issue(dbsession, storage, issue, "2", "2026", "", "", editor)
    assert _meta(article).findtext("issue") == "2"


# --- order and removal --------------------------------------------------------------------


def test_moving_articles_up_and_down_renumbers_the_issue(dbsession, storage, journal, editor):
    issue = make_issue(dbsession, journal, 1, "1", state=IssueState.PLANNED)
    a, b, c = (
        publish_article(dbsession, journal, f"10.5555/fde.2026.00{n}", title=f"T{n}")
        for n in (51, 52, 53)
    )
    for article in (a, b, c):
        issues.assign_article(dbsession, storage, issue, article.id, editor)
    issues.move_article(dbsession, issue, str(c.id), "up")
    assert [x.title for x in issues.articles_in(dbsession, issue)] == ["T51", "T53", "T52"]
    issues.move_article(dbsession, issue, str(a.id), "up")  # first already: stays
    issues.move_article(dbsession, issue, str(a.id), "down")
    assert [x.title for x in issues.articles_in(dbsession, issue)] == ["T53", "T51", "T52"]
    assert [x.position for x in issues.articles_in(dbsession, issue)] == [1, 2, 3]
    with pytest.raises(issues.IssueError):
        issues.move_article(dbsession, issue, str(a.id), "sideways")
    with pytest.raises(issues.IssueError):
        issues.move_article(dbsession, issue, "999999", "up")


def test_removing_an_article_takes_the_placement_out_of_its_jats(
    dbsession, storage, journal, editor
):
    issue = make_issue(dbsession, journal, 1, "1", state=IssueState.PLANNED)
    first = _in_production(dbsession, storage, journal, editor)
    second = publish_article(dbsession, journal, "10.5555/fde.2026.0060", title="Second")
    issues.assign_article(dbsession, storage, issue, first.id, editor)
    issues.assign_article(dbsession, storage, issue, second.id, editor)
    issues.remove_article(dbsession, storage, issue, str(first.id), editor)
    assert first.issue_id is None
    meta = _meta(first)
    assert meta.find("volume") is None and meta.find("issue") is None
    assert meta.findtext("elocation-id") == "e0012"  # the article's own number stays
    assert [(x.title, x.position) for x in issues.articles_in(dbsession, issue)] == [("Second", 1)]
    with pytest.raises(issues.IssueError):
        issues.remove_article(dbsession, storage, issue, str(first.id), editor)


def test_placement_is_written_in_schema_order_into_a_bare_front_matter():
    tree = etree.ElementTree(
        etree.fromstring(
            b"<article><front><article-meta><title-group/><pub-date-not-available/>"
            b"<history/><permissions/></article-meta></front></article>"
        )
    )
    assert issues.stamp_placement(tree, "2", "3", "e0007")
    names = [etree.QName(c).localname for c in tree.getroot().find("front/article-meta")]
    assert names == [
        "title-group",
        "pub-date-not-available",
        "volume",
        "issue",
        "elocation-id",
        "history",
        "permissions",
    ]
    assert not issues.stamp_placement(tree, "2", "3", "e0007")  # unchanged the second time
    with_pages = etree.ElementTree(
        etree.fromstring(
            b"<article><front><article-meta><pub-date/><fpage>5</fpage></article-meta>"
            b"</front></article>"
        )
    )
    issues.stamp_placement(with_pages, "1", "1", "e0001")
    assert with_pages.getroot().find("front/article-meta/elocation-id") is None


# --- publishing an issue ------------------------------------------------------------------


class VanishingStorage(LocalFileStorage):
    """A file storage that loses one file between the checks and its use (a disk fault)."""

    lost: set[str]

    def get(self, digest: str) -> bytes:
        if digest in getattr(self, "lost", set()):
            raise FileNotStored(digest)
        return super().get(digest)


@pytest.fixture
def deposit_settings():
    return {"fde.schema_dir": str(SCHEMA_DIR), "fde.base_url": "https://fde.example.org"}


@pytest.fixture
def crossref_journal(journal):
    journal.issn_online = "2999-0001"
    journal.doi_prefix = "10.5555"
    return journal


def _ready(db, storage, journal, editor, doi: str, title: str, number: int):
    """An article in production that passes every publishing check."""
    author = make_user(db, roles=[Role.AUTHOR], journal=journal)
    metadata = sample_metadata()
    metadata["doi"] = doi
    submission = make_accepted_submission(db, journal, author, metadata=metadata)
    submission.doi_number = number
    article = services.start_production(db, submission, editor)
    article.title = title
    store_jats(db, storage, article, jats_with(doi, title=title).encode(), filename="a.xml")
    assets.upload_asset(db, storage, article, "fig1.png", image_bytes("PNG"), editor, {})
    return article


def _typeset_and_approve(db, storage, article, label: bytes = b"") -> None:
    article.pdf_sha256 = storage.put(b"%PDF-1.7 typeset " + article.doi.encode() + label)
    db.add(
        Proof(
            article_id=article.id,
            pdf_sha256=article.pdf_sha256,
            state=ProofState.APPROVED,
            token_hash=hash_link_token(article.doi + label.decode()),
        )
    )
    db.flush()


def _placed_and_ready(db, storage, journal, editor, issue, *specs):
    articles = []
    for doi, title, number in specs:
        article = _ready(db, storage, journal, editor, doi, title, number)
        issues.assign_article(db, storage, issue, article.id, editor)
        _typeset_and_approve(db, storage, article)  # again, with the placement
        articles.append(article)
    return articles


def test_an_issue_with_unready_articles_is_refused_with_every_problem(
    dbsession, storage, crossref_journal, editor, deposit_settings
):
    issue = make_issue(dbsession, crossref_journal, 1, "1", state=IssueState.PLANNED)
    with pytest.raises(issues.IssueError) as empty:
        production_issues.publish_issue(dbsession, storage, issue, editor, deposit_settings)
    assert "has no articles yet" in str(empty.value.message.interpolate())

    ready, unready = (
        _ready(dbsession, storage, crossref_journal, editor, doi, title, n)
        for doi, title, n in (
            ("10.5555/fde.2026.0201", "Ready", 201),
            ("10.5555/fde.2026.0202", "Not ready", 202),
        )
    )
    for article in (ready, unready):
        issues.assign_article(dbsession, storage, issue, article.id, editor)
    _typeset_and_approve(dbsession, storage, ready)
    with pytest.raises(production_issues.IssuePublishRefused) as refused:
        production_issues.publish_issue(dbsession, storage, issue, editor, deposit_settings)
    problems = {
        a.title: [str(r.interpolate()) for r in reasons] for a, reasons in refused.value.problems
    }
    assert problems == {"Not ready": ["There is no PDF of the current JATS: typeset the article."]}
    assert ready.state == unready.state == ArticleState.IN_PRODUCTION
    assert issue.state == IssueState.PLANNED and issue.published_at is None
    assert dbsession.scalars(select(DoiDeposit)).all() == []


def test_publishing_an_issue_publishes_its_articles_and_queues_one_deposit(
    dbsession, storage, crossref_journal, editor, deposit_settings
):
    issue = make_issue(dbsession, crossref_journal, 2, "3", state=IssueState.PLANNED)
    early = publish_article(
        dbsession, crossref_journal, "10.5555/fde.2026.0300", title="Published early"
    )
    issues.assign_article(dbsession, storage, issue, early.id, editor)
    first, second = _placed_and_ready(
        dbsession,
        storage,
        crossref_journal,
        editor,
        issue,
        ("10.5555/fde.2026.0301", "First", 301),
        ("10.5555/fde.2026.0302", "Second", 302),
    )
    early_published_at = early.published_at

    done = production_issues.publish_issue(
        dbsession, storage, issue, editor, deposit_settings, now=NOW
    )

    assert done.published == [first, second]
    assert [(level, str(m)) for level, m in done.notices] == [
        ("info", "One Crossref deposit is queued for the issue.")
    ]
    assert issue.state == IssueState.PUBLISHED and issue.published_at == NOW
    for article in (first, second):
        assert article.state == ArticleState.PUBLISHED and article.published_at == NOW
        meta = _meta(article)
        assert (meta.findtext("volume"), meta.findtext("issue")) == ("2", "3")
        assert meta.find("pub-date").get("iso-8601-date") == NOW.date().isoformat()
    assert early.published_at == early_published_at  # continuous publication keeps its date
    deposits = dbsession.scalars(select(DoiDeposit)).all()
    assert len(deposits) == 1
    for doi in (early.doi, first.doi, second.doi):
        assert doi in deposits[0].xml
    assert "<volume>2</volume>" in deposits[0].xml and "<issue>3</issue>" in deposits[0].xml

    with pytest.raises(issues.IssueError) as again:
        production_issues.publish_issue(dbsession, storage, issue, editor, deposit_settings)
    assert "is published" in str(again.value.message.interpolate())


def test_a_failure_part_way_leaves_nothing_published(
    dbsession, tmp_path, crossref_journal, editor, deposit_settings
):
    storage = VanishingStorage(tmp_path / "files")
    issue = make_issue(dbsession, crossref_journal, 1, "4", state=IssueState.PLANNED)
    first, second = _placed_and_ready(
        dbsession,
        storage,
        crossref_journal,
        editor,
        issue,
        ("10.5555/fde.2026.0401", "First", 401),
        ("10.5555/fde.2026.0402", "Second", 402),
    )
    first_jats = first.jats_xml
    storage.lost = {second.pdf_sha256}  # present for the checks, gone when it is read

    with pytest.raises(issues.IssueError) as stopped:
        production_issues.publish_issue(
            dbsession, storage, issue, editor, deposit_settings, now=NOW
        )

    text = str(stopped.value.message.interpolate())
    assert "Publishing stopped at “Second”" in text and "nothing in the issue" in text
    dbsession.expire_all()
    assert first.state == ArticleState.IN_PRODUCTION and first.published_at is None
    assert first.jats_xml == first_jats  # no publication date stamped
    assert issue.state == IssueState.PLANNED
    assert dbsession.get(Submission, first.submission_id).state == SubmissionState.IN_PRODUCTION
    assert dbsession.scalars(select(DoiDeposit)).all() == []


# --- placement only: the approval stands -------------------------------------------------


def test_placement_only_change_is_the_one_rule(dbsession, storage, journal, editor):
    article = _in_production(dbsession, storage, journal, editor)
    before = article.jats_xml
    tree = etree.fromstring(before.encode())
    placed = issues.stamp_placement(etree.ElementTree(tree), "7", "2", "e0099")
    assert placed
    after = etree.tostring(tree, encoding="unicode")
    assert placement.placement_only_change(before, after)
    assert not placement.placement_only_change(before, before)  # no change at all
    retitled = after.replace("<article-title>", "<article-title>Revised: ", 1)
    assert retitled != after
    assert not placement.placement_only_change(before, retitled)
    # A publication date is the journal's too; layout of article-meta does not count.
    dated = parse_xml(after.encode())
    placement.stamp_publication_date(dated, dt.date(2027, 1, 5))
    assert placement.placement_only_change(before, serialise_jats(dated).decode())


def test_placing_keeps_a_recorded_approval_and_tells_the_author(
    dbsession, storage, journal, editor
):
    from frontiers_de.mail.models import OutboxEmail

    issue = make_issue(dbsession, journal, 7, "2", state=IssueState.PLANNED)
    article = _in_production(dbsession, storage, journal, editor)
    for proof in dbsession.scalars(select(Proof)):
        proof.state = ProofState.SUPERSEDED  # the factory's proof recorded no JATS
    sent = services.send_proof(dbsession, {}, article, editor)
    services.answer_proof(dbsession, sent.proof, approve=True)
    assert services.approved_proof(dbsession, article) == sent.proof

    issues.assign_article(dbsession, storage, issue, str(article.id), editor, now=NOW)

    assert sent.proof.state == ProofState.APPROVED
    assert article.pdf_sha256 is None  # typeset again (in the background, after the commit)
    assert services.approval_of_content(dbsession, article) == sent.proof
    assert services.approved_proof(dbsession, article) is None  # until the new PDF exists
    told = dbsession.scalars(
        select(OutboxEmail).where(OutboxEmail.template == "production_placed")
    ).one()
    assert "Volume 7, Issue 2" in told.subject
    assert "placement" in str(production_issues.placement_effect(dbsession, article))
