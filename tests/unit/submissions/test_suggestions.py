"""The reviewers the authors suggest or oppose: each bad input refused with its own message
and nothing saved; the list is the draft's own."""

from __future__ import annotations

import pytest

from frontiers_de.submissions import services
from frontiers_de.submissions.models import SubmissionState, SuggestionKind
from tests.factories import make_user


def _add(db, submission, user, **fields):
    return services.add_suggestion(db, submission, fields, user)


def _errors(exc) -> dict[str, str]:
    return {k: v.interpolate() for k, v in exc.value.form.errors.items()}


def test_suggest_and_oppose(dbsession, draft):
    submission, user = draft
    ada = _add(dbsession, submission, user, kind="suggested", name="Ada", email="ada@example.org")
    rex = _add(
        dbsession,
        submission,
        user,
        kind="opposed",
        name="Rex",
        email="rex@example.org",
        affiliation="Rival University",
        reason="Leads a competing study.",
    )
    assert [(s.kind, s.email) for s in submission.reviewer_suggestions] == [
        (SuggestionKind.SUGGESTED, "ada@example.org"),
        (SuggestionKind.OPPOSED, "rex@example.org"),
    ]
    assert (rex.affiliation, ada.reason) == ("Rival University", "")
    services.remove_suggestion(dbsession, submission, ada, user)
    assert submission.reviewer_suggestions == [rex]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "opposed", "reason": "short"}, "reason", "Say why this reviewer"),
        ({"kind": "maybe"}, "kind", "Choose whether you suggest or oppose"),
        ({"email": "not an address"}, "email", "Enter an email address"),
        ({"email": "WEI@example.org"}, "email", "one of the paper's authors"),
        ({"name": ""}, "name", "This field is required."),
        ({"reason": "x\x00"}, "reason", "NUL"),
    ],
)
def test_bad_input_is_refused_by_field(dbsession, draft, fields, field, message):
    submission, user = draft
    user.email, user.email_key = "wei@example.org", "wei@example.org"
    submission.contributors[0].email = "wei@example.org"
    good = {"kind": "suggested", "name": "Ada", "email": "ada@example.org", "reason": ""}
    with pytest.raises(services.InvalidInput) as exc:
        _add(dbsession, submission, user, **{**good, **fields})
    assert message in _errors(exc)[field]
    assert submission.reviewer_suggestions == []


def test_an_address_counts_once_and_each_list_is_limited(dbsession, draft):
    submission, user = draft
    _add(dbsession, submission, user, kind="suggested", name="Ada", email="ada@example.org")
    with pytest.raises(services.InvalidInput) as exc:
        _add(dbsession, submission, user, kind="opposed", name="A", email=" ADA@example.org")
    assert _errors(exc)["email"] == "This address is already in your list."
    for n in range(services.MAX_PER_KIND - 1):
        _add(dbsession, submission, user, kind="suggested", name="P", email=f"p{n}@example.org")
    with pytest.raises(services.SubmissionError):
        _add(dbsession, submission, user, kind="suggested", name="Q", email="q@example.org")
    # the other list has room still
    _add(
        dbsession,
        submission,
        user,
        kind="opposed",
        name="R",
        email="r@x.org",
        reason="A rival group of ours.",
    )


def test_only_the_submitter_changes_the_draft_list(dbsession, draft):
    submission, user = draft
    other = make_user(dbsession, "other@example.org")
    fields = {"kind": "suggested", "name": "Ada", "email": "ada@example.org"}
    with pytest.raises(services.SubmissionError):
        services.add_suggestion(dbsession, submission, fields, other)
    row = services.add_suggestion(dbsession, submission, fields, user)
    submission.state = SubmissionState.SUBMITTED
    with pytest.raises(services.SubmissionError):
        services.add_suggestion(dbsession, submission, {**fields, "email": "b@x.org"}, user)
    with pytest.raises(services.SubmissionError):
        services.remove_suggestion(dbsession, submission, row, user)
    assert len(submission.reviewer_suggestions) == 1
