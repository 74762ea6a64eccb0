"""Who is an author of a paper (the matching rule), the workflow's guard against an author
acting on their own paper through a journal role, and the warnings before inviting a
reviewer."""

from __future__ import annotations

import pytest

from frontiers_de.editorial import conflicts, workflow
from frontiers_de.editorial.models import DecisionKind
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Submission, SubmissionState
from tests.factories import make_journal, make_user
from tests.submission_factories import SubmissionFactory

ORCID = "0000-0002-1825-0097"


def paper(db, journal, submitter, people, state=SubmissionState.SUBMITTED) -> Submission:
    return SubmissionFactory(
        db=db, journal=journal, submitter=submitter, title="T", state=state, authors=people
    )


# --- the matching rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contributor", "user", "how"),
    [
        ({"email": "Ann@Example.org"}, {"email": "ann@example.org"}, "email"),
        ({"email": "  ann@example.org "}, {"email": "ANN@EXAMPLE.ORG"}, "email"),
        # (The column holds 19 characters: no URL forms are stored.)
        ({"orcid": ORCID.replace("-", "")}, {"orcid": ORCID}, "orcid"),
        ({"orcid": "0000-0001-5109-018x"}, {"orcid": "000000015109018X"}, "orcid"),
        ({"email": ""}, {"email": "someone@example.org"}, None),
        ({"orcid": None}, {"orcid": None}, None),
        # Malformed iDs are nobody's: two equal typos do not make two people one.
        ({"orcid": "0000-0002-1825-0098"}, {"orcid": "0000-0002-1825-0098"}, None),
        ({"email": "ann@example.org.evil"}, {"email": "ann@example.org"}, None),
    ],
)
def test_author_matching(dbsession, contributor, user, how):
    journal = make_journal(dbsession)
    submitter = make_user(dbsession)
    fields = {"given_name": "Ann", "family_name": "Author", **contributor}
    s = paper(dbsession, journal, submitter, [fields])
    email = user.pop("email", None)
    person = make_user(dbsession, email, **user)
    ident = conflicts.user_identity(person)
    assert conflicts.author_match(s, ident) == how
    assert conflicts.is_author(s, person) == (how is not None)


def test_the_submitter_and_a_linked_account_are_authors(dbsession):
    journal = make_journal(dbsession)
    submitter = make_user(dbsession, "sub@example.org")
    linked = make_user(dbsession, "other-address@example.org")
    s = paper(dbsession, journal, submitter, [{"family_name": "L", "user_id": linked.id}])
    assert conflicts.author_match(s, conflicts.user_identity(submitter)) == "submitter"
    assert conflicts.author_match(s, conflicts.user_identity(linked)) == "account"
    assert not conflicts.is_author(s, make_user(dbsession))
    assert not conflicts.is_author(s, None)
    assert conflicts.author_match(s, conflicts.address_identity(" SUB@example.org")) is None


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Beijing Normal University", "  beijing normal   UNIVERSITY. ", True),
        ("The University of Hong Kong", "University of Hong Kong", True),
        ("Texas A&M University", "Texas A and M University", True),
        ("北京师范大学", "北京师范大学 ", True),
        ("ＢＮＵ", "BNU", True),  # full-width letters (NFKC)
        ("Beijing Normal University", "Beijing University", False),
        ("", "", False),
    ],
)
def test_institution_names_are_compared_normalised(a, b, same):
    ka, kb = conflicts.institution_key(a), conflicts.institution_key(b)
    assert (bool(ka) and ka == kb) == same


# --- the workflow guard ----------------------------------------------------------------------


@pytest.fixture
def roles_world(dbsession):
    journal = make_journal(dbsession)
    everything = [Role.SECTION_EDITOR, Role.EDITOR_IN_CHIEF, Role.PRODUCTION_EDITOR, Role.ADMIN]
    submitter = make_user(dbsession, "boss@example.org", roles=everything, journal=journal)
    coauthor = make_user(
        dbsession, "co@example.org", roles=everything, journal=journal, orcid=ORCID
    )
    editor = make_user(dbsession, roles=everything, journal=journal)
    s = paper(
        dbsession,
        journal,
        submitter,
        [
            {"family_name": "Boss", "email": "boss@example.org"},
            {"family_name": "Co", "orcid": ORCID},
        ],
    )
    return s, submitter, coauthor, editor


@pytest.mark.parametrize(
    ("state", "name"),
    [
        (SubmissionState.SUBMITTED, "send_to_review"),
        (SubmissionState.SUBMITTED, "desk_reject"),
        (SubmissionState.UNDER_REVIEW, "decide"),
        (SubmissionState.ACCEPTED, "start_production"),
        (SubmissionState.IN_PRODUCTION, "publish"),
        (SubmissionState.PUBLISHED, "correct"),
        (SubmissionState.PUBLISHED, "retract"),
    ],
)
def test_no_author_makes_a_move_through_a_role(dbsession, roles_world, state, name):
    s, submitter, coauthor, editor = roles_world
    s.state = state
    for author in (submitter, coauthor):
        assert not workflow.may(s, name, author)
        with pytest.raises(workflow.AuthorConflict, match="author of this submission"):
            workflow.apply(dbsession, s, name, author, decision=DecisionKind.ACCEPT)
        assert s.state == state
    assert workflow.may(s, name, editor)


def test_the_submitter_keeps_their_own_moves(dbsession, roles_world):
    s, submitter, coauthor, editor = roles_world
    assert workflow.available(s, submitter) == ["withdraw"]
    # A co-author who is not the submitter withdraws only through a role: refused.
    assert workflow.available(s, coauthor) == []
    assert set(workflow.available(s, editor)) == {"send_to_review", "desk_reject", "withdraw"}
    workflow.apply(dbsession, s, "withdraw", submitter)
    assert s.state == SubmissionState.WITHDRAWN


def test_a_stranger_gets_the_plain_refusal(dbsession, roles_world):
    s, _submitter, _coauthor, _editor = roles_world
    stranger = make_user(dbsession)
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.apply(dbsession, s, "send_to_review", stranger)
    assert not isinstance(refused.value, workflow.AuthorConflict)


# --- warnings before an invitation -----------------------------------------------------------


def test_reviewer_warnings(dbsession):
    journal = make_journal(dbsession)
    submitter = make_user(dbsession, "sub@example.org", given_name="Sue", family_name="Bmitter")
    mei = {
        "given_name": "Mei",
        "family_name": "Zhou",
        "email": "mei@example.cn",
        "affiliations": [{"name": "Beijing Normal University", "ror": "02v51f717"}],
    }
    s = paper(dbsession, journal, submitter, [mei])
    by_ror = make_user(dbsession, affiliation="BNU", ror_id="https://ror.org/02v51f717")
    by_name = make_user(dbsession, affiliation="beijing normal university")
    nothing = make_user(dbsession, affiliation="Peking University", ror_id="")
    assert [w.kind for w in conflicts.reviewer_warnings(dbsession, s, by_ror)] == ["institution"]
    assert [w.kind for w in conflicts.reviewer_warnings(dbsession, s, by_name)] == ["institution"]
    assert conflicts.reviewer_warnings(dbsession, s, nothing) == []

    # Co-authorship: listed with the submitter (matched by account) on a submitted paper.
    friend = make_user(dbsession, "friend@example.org")
    other = paper(
        dbsession,
        journal,
        submitter,
        [{"family_name": "Friend", "email": "FRIEND@example.org"}, {"family_name": "X"}],
        state=SubmissionState.REJECTED,
    )
    other.contributors[1].user_id = submitter.id
    dbsession.flush()
    (warning,) = conflicts.reviewer_warnings(dbsession, s, friend)
    assert warning.kind == "coauthorship"
    record = warning.record()
    assert f"submission {other.id}" in record["text"] and "Sue Bmitter" in record["text"]
    # Known only by address: the same.
    assert len(conflicts.reviewer_warnings(dbsession, s, " Friend@Example.org")) == 1
    # A draft is its authors' own: no warning from it.
    lone = make_user(dbsession, "lone@example.org")
    paper(
        dbsession,
        journal,
        submitter,
        [{"family_name": "Lone", "email": "lone@example.org"}, mei],
        state=SubmissionState.DRAFT,
    )
    assert conflicts.reviewer_warnings(dbsession, s, lone) == []
    # Someone in no record: nothing to say.
    assert conflicts.reviewer_warnings(dbsession, s, "nobody@example.org") == []
