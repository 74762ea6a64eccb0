"""The submission rules without HTTP: each bad input refused with its own message and
nothing saved, the checks before submission, submitting and withdrawing through the
workflow, and the metadata valid against the JSON Schema."""

from __future__ import annotations

import io
import zipfile

import pytest

from frontiers_de.editorial.workflow import TransitionNotAllowed
from frontiers_de.production.jats.frontmatter import validate_metadata
from frontiers_de.security.roles import Role
from frontiers_de.submissions import services
from frontiers_de.submissions.models import FileKind, SubmissionState
from tests.factories import make_journal, make_user

GOOD_ORCID = "0000-0002-1825-0097"
GOOD_ROR = "02n96ep67"


def text(message) -> str:
    """A message as the reader sees it (English), with its ${…} values filled in."""
    return message.interpolate() if hasattr(message, "interpolate") else str(message)


def problems_of(db, submission) -> list[str]:
    return [text(p.message) for p in services.submission_problems(db, submission)]


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def details(submission, **changes):
    values = services.details_values(submission)
    values.update(changes)
    return values


def complete(db, submission, user, storage) -> None:
    services.save_details(
        db,
        submission,
        details(
            submission,
            title="Learning analytics in blended courses",
            abstract="Short abstract of the study.",
            keywords="learning analytics, blended learning",
            competing_interests="None.",
            data_availability="On request.",
        ),
        user,
    )
    services.add_file(db, storage, submission, "manuscript", "paper.docx", docx_bytes(), user)


# --- starting and the details form -------------------------------------------------------------


def test_start_prefills_the_submitter_as_corresponding_first_author(draft):
    submission, user = draft
    [person] = submission.contributors
    assert (person.given_name, person.family_name, person.email) == ("Wei", "Zhang", user.email)
    assert (person.native_name, person.native_name_lang) == ("张伟", "zh")
    assert person.orcid == GOOD_ORCID and person.is_corresponding
    assert person.affiliations == [
        {"name": "East China Normal University", "ror": GOOD_ROR, "country": "CN"}
    ]
    assert submission.state == SubmissionState.DRAFT


def test_start_needs_a_section_of_the_journal(dbsession):
    journal = make_journal(dbsession)
    user = make_user(dbsession)
    for bad in (None, "", "abc", "999999"):
        with pytest.raises(services.SubmissionError, match="type of article"):
            services.start_submission(dbsession, journal, user, bad)


def test_a_draft_saves_with_an_empty_title_but_cannot_be_submitted(dbsession, draft):
    submission, user = draft
    services.save_details(dbsession, submission, details(submission, title=""), user)
    problems = problems_of(dbsession, submission)
    assert "No title." in problems


def test_keywords_and_the_chinese_translation_are_stored(dbsession, draft):
    submission, user = draft
    services.save_details(
        dbsession,
        submission,
        details(
            submission,
            keywords="a; b, A，c",
            title_zh="标题",
            abstract_zh="摘要",
            keywords_zh="学习分析，混合式学习、高等教育",
        ),
        user,
    )
    assert submission.keywords == ["a", "b", "c"]
    assert submission.translations == {
        "zh": {
            "title": "标题",
            "abstract": "摘要",
            "keywords": ["学习分析", "混合式学习", "高等教育"],
        }
    }


def test_a_stale_version_is_refused_and_nothing_is_saved(dbsession, draft):
    submission, user = draft
    opened = details(submission, title="First")
    services.save_details(dbsession, submission, details(submission, title="Second"), user)
    with pytest.raises(services.StaleDraft) as caught:
        services.save_details(dbsession, submission, opened, user)
    assert caught.value.current_version == submission.version
    assert submission.title == "Second"
    with pytest.raises(services.StaleDraft):
        services.save_details(dbsession, submission, details(submission, version="x"), user)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("language", "fr", "English or Chinese"),
        ("title", "x" * 501, "too long"),
        ("abstract", "bad \x00 byte", "NUL"),
        ("keywords", ", ".join(f"k{i}" for i in range(13)), "At most 12 keywords"),
        ("section_id", "999999", "type of article"),
    ],
)
def test_bad_details_are_refused_field_by_field(dbsession, draft, field, value, message):
    submission, user = draft
    before = submission.version
    with pytest.raises(services.InvalidInput) as caught:
        services.save_details(dbsession, submission, details(submission, **{field: value}), user)
    assert message in text(caught.value.form.errors[field])
    assert submission.version == before


def test_only_the_submitter_may_change_a_draft(dbsession, draft):
    submission, _user = draft
    stranger = make_user(dbsession)
    with pytest.raises(services.SubmissionError):
        services.save_details(dbsession, submission, details(submission), stranger)


# --- contributors ------------------------------------------------------------------------------


def author_form(**changes):
    form = {
        "given_name": "Anna",
        "family_name": "Schmidt",
        "email": "anna@example.de",
        "orcid": "",
        "aff1_name": "University of Hamburg",
    }
    form.update(changes)
    return form


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"orcid": "0000-0002-1825-0098"}, "orcid", "wrong check digit"),
        ({"orcid": "1234"}, "orcid", "Enter an ORCID iD"),
        ({"aff1_ror": "02n96ep68"}, "aff1_ror", "wrong check sum"),
        ({"aff1_ror": "not-a-ror"}, "aff1_ror", "Enter a ROR id"),
        ({"email": "anna-at-example"}, "email", "email address"),
        ({"family_name": ""}, "family_name", "required"),
        ({"native_name": "安娜", "native_name_lang": ""}, "native_name_lang", "language"),
        ({"aff1_name": "", "aff1_ror": GOOD_ROR}, "aff1_name", "name of the institution"),
        ({"aff2_country": "D1"}, "aff2_country", "country"),
    ],
)
def test_bad_author_values_are_refused(dbsession, draft, changes, field, message):
    submission, user = draft
    with pytest.raises(services.InvalidInput) as caught:
        services.save_contributor(dbsession, submission, author_form(**changes), [], user)
    assert message in text(caught.value.form.errors[field])
    assert len(submission.contributors) == 1


def test_unknown_credit_roles_are_refused_and_known_ones_kept_in_order(dbsession, draft):
    submission, user = draft
    with pytest.raises(services.InvalidInput) as caught:
        services.save_contributor(dbsession, submission, author_form(), ["Typing"], user)
    assert "CRediT" in text(caught.value.form.errors["credit_roles"])
    person = services.save_contributor(
        dbsession,
        submission,
        author_form(orcid="https://orcid.org/0000-0001-5109-3700", aff1_ror=GOOD_ROR),
        ["Software", "Conceptualization"],
        user,
    )
    assert person.credit_roles == ["Conceptualization", "Software"]
    assert person.orcid == "0000-0001-5109-3700"
    assert person.affiliations == [{"name": "University of Hamburg", "ror": GOOD_ROR}]
    assert len(services.credit_roles()) == 14


def test_reorder_and_remove_keep_positions_dense(dbsession, draft):
    submission, user = draft
    second = services.save_contributor(dbsession, submission, author_form(), [], user)
    third = services.save_contributor(
        dbsession, submission, author_form(family_name="Third"), [], user
    )
    services.move_contributor(dbsession, submission, third, "up", user)
    services.move_contributor(dbsession, submission, third, "up", user)
    dbsession.refresh(submission)
    assert [c.family_name for c in submission.contributors] == ["Third", "Zhang", "Schmidt"]
    services.move_contributor(dbsession, submission, third, "up", user)  # already first
    services.remove_contributor(dbsession, submission, second, user)
    dbsession.refresh(submission)
    assert [(c.family_name, c.position) for c in submission.contributors] == [
        ("Third", 0),
        ("Zhang", 1),
    ]


def test_two_corresponding_authors_or_none_stop_the_submission(dbsession, draft, storage):
    submission, user = draft
    complete(dbsession, submission, user, storage)
    services.save_contributor(dbsession, submission, author_form(is_corresponding="yes"), [], user)
    problems = problems_of(dbsession, submission)
    assert problems == ["2 authors are marked as corresponding; mark exactly one."]
    for person in submission.contributors:
        person.is_corresponding = False
    problems = problems_of(dbsession, submission)
    assert problems == ["No corresponding author: mark one author as corresponding."]
    with pytest.raises(services.SubmissionError, match="corresponding"):
        services.submit(dbsession, submission, user, submission.version)
    assert submission.state == SubmissionState.DRAFT


# --- funding -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"funder_name": ""}, "funder_name", "required"),
        ({"funder_doi": "not a doi"}, "funder_doi", "Enter the funder's DOI"),
        ({"funder_doi": "10.5555/abc"}, "funder_doi", "not a Funder Registry id"),
    ],
)
def test_bad_funding_is_refused(dbsession, draft, changes, field, message):
    submission, user = draft
    form = {"funder_name": "NSFC", "funder_doi": "", "award_ids": ""} | changes
    with pytest.raises(services.InvalidInput) as caught:
        services.add_funding(dbsession, submission, form, user)
    assert message in text(caught.value.form.errors[field])
    assert submission.funding == []


def test_funding_is_stored_with_the_bare_doi_and_award_list(dbsession, draft):
    submission, user = draft
    grant = services.add_funding(
        dbsession,
        submission,
        {"funder_name": "NSFC", "funder_doi": "doi:10.13039/501100001809", "award_ids": "a1; b2"},
        user,
    )
    assert (grant.funder_doi, grant.award_ids) == ("10.13039/501100001809", ["a1", "b2"])


# --- files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "data", "message"),
    [
        ("manuscript", "paper.pdf", b"%PDF-1.7", "must be one of these file types"),
        ("manuscript", "paper.docx", b"plain text", "not a real DOCX"),
        ("manuscript", "paper.odt", None, "lacks content.xml"),
        ("manuscript", "paper.zip", None, "no .tex file"),
        ("manuscript", "paper.tex", "\\documentclass{article}".encode("utf-16"), "not UTF-8"),
        ("manuscript", "paper.md", b"", "empty"),
        ("figure", "figure.png", b"GIF89a", "not a PNG"),
        ("figure", "figure.jpg", b"\x89PNG\r\n\x1a\n", "not a JPG"),
        ("figure", "script.svg", b"<svg/>", "must be one of these file types"),
        ("nonsense", "paper.docx", None, "Choose what the file is"),
        ("manuscript", "..", b"x", "no usable name"),
        ("manuscript", "../.hidden.md", b"x", "no usable name"),
        ("manuscript", "pa\x01per.md", b"x", "control characters"),
        ("manuscript", "x" * 300 + ".md", b"x", "longer than"),
    ],
)
def test_wrong_files_are_refused(dbsession, draft, storage, kind, name, data, message):
    submission, user = draft
    if data is None:  # a zip that is a docx, not what the name says
        data = docx_bytes()
    with pytest.raises(services.SubmissionError) as caught:
        services.add_file(dbsession, storage, submission, kind, name, data, user)
    assert message in text(caught.value.message)
    assert submission.files == []


def test_a_file_over_the_limit_is_refused(dbsession, draft, storage):
    submission, user = draft
    data = b"# Title\n\n" + b"text " * 300
    with pytest.raises(services.SubmissionError, match="too large"):
        services.add_file(
            dbsession, storage, submission, "manuscript", "paper.md", data, user, max_bytes=1000
        )
    assert submission.files == []
    assert services.max_upload_bytes({services.MAX_UPLOAD_SETTING: "2048"}) == 2048
    with pytest.raises(ValueError):
        services.max_upload_bytes({services.MAX_UPLOAD_SETTING: "0"})


def test_path_traversal_names_keep_only_the_file_name(dbsession, draft, storage):
    submission, user = draft
    for raw in ("../../etc/passwd.md", "C:\\Users\\wei\\paper.md", "/abs/paper.md"):
        row = services.add_file(dbsession, storage, submission, "manuscript", raw, b"# T", user)
        assert "/" not in row.filename and "\\" not in row.filename and ".." not in row.filename
        assert storage.path(row.sha256).is_file()
    assert [f.filename for f in submission.files] == ["passwd.md", "paper.md", "paper.md"]


def test_uploads_are_new_rows_and_the_newest_manuscript_comes_first(dbsession, draft, storage):
    submission, user = draft
    first = services.add_file(dbsession, storage, submission, "manuscript", "v1.md", b"# 1", user)
    second = services.add_file(dbsession, storage, submission, "manuscript", "v2.md", b"# 2", user)
    assert first.id != second.id and first.sha256 != second.sha256
    assert services.current_files(submission)[FileKind.MANUSCRIPT] == [second, first]


# --- the checks, submitting and withdrawing ---------------------------------------------------


def test_every_missing_item_is_listed(dbsession, draft):
    submission, _user = draft
    submission.contributors[0].affiliations = []
    problems = problems_of(dbsession, submission)
    assert "No title." in problems
    assert "No abstract." in problems
    assert "No keywords." in problems
    assert "No manuscript file." in problems
    assert "No data availability statement." in problems
    assert any("competing interests" in p for p in problems)
    assert "Wei Zhang has no affiliation." in problems


def test_the_abstract_limit_is_the_journals(dbsession, draft):
    submission, user = draft
    journal = make_journal(dbsession)
    journal.abstract_word_limit = 5
    services.save_details(
        dbsession, submission, details(submission, abstract="one two three four five six"), user
    )
    problems = problems_of(dbsession, submission)
    assert "The abstract has 6 words; at most 5 are allowed." in problems


def test_submit_goes_through_the_workflow_and_the_metadata_is_valid(dbsession, draft, storage):
    submission, user = draft
    complete(dbsession, submission, user, storage)
    assert services.submission_problems(dbsession, submission) == []
    with pytest.raises(services.StaleDraft):
        services.submit(dbsession, submission, user, submission.version - 1)
    event = services.submit(dbsession, submission, user, submission.version)
    assert (event.action, event.from_state, event.to_state) == ("submit", "draft", "submitted")
    assert submission.state == SubmissionState.SUBMITTED and submission.submitted_at
    assert validate_metadata(services.submission_metadata(dbsession, submission)) == []
    # Submitted: the author can no longer change it here.
    with pytest.raises(services.SubmissionError, match="can no longer be changed"):
        services.add_file(
            dbsession, storage, submission, "figure", "f.png", b"\x89PNG\r\n\x1a\n", user
        )
    with pytest.raises(services.SubmissionError):
        services.submit(dbsession, submission, user, submission.version)


def test_withdraw_by_the_author_or_an_editor_before_acceptance(dbsession, draft, storage):
    submission, user = draft
    complete(dbsession, submission, user, storage)
    services.submit(dbsession, submission, user, submission.version)
    stranger = make_user(dbsession)
    with pytest.raises(TransitionNotAllowed):
        services.withdraw(dbsession, submission, stranger, "")
    event = services.withdraw(dbsession, submission, user, "  wrong journal\x00 ")
    assert event.detail == {"reason": "wrong journal"}
    assert submission.state == SubmissionState.WITHDRAWN
    with pytest.raises(TransitionNotAllowed):
        services.withdraw(dbsession, submission, user, "")


def test_visibility_submitter_always_editors_once_submitted(dbsession, draft, storage):
    submission, user = draft
    journal = make_journal(dbsession)
    editor = make_user(dbsession, roles=[Role.SECTION_EDITOR], journal=journal)
    reviewer = make_user(dbsession, roles=[Role.REVIEWER], journal=journal)
    see = services.may_see
    assert see(submission, user)
    assert not see(submission, editor)
    complete(dbsession, submission, user, storage)
    services.submit(dbsession, submission, user, submission.version)
    assert see(submission, editor)
    assert not see(submission, reviewer)
    assert not see(submission, None)
