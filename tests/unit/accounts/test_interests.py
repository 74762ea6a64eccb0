"""The research interests of the profile: a short list, like keywords."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontiers_de.accounts import forms
from frontiers_de.accounts.models import User
from frontiers_de.forms import FieldError
from tests.factories import account_service, make_user


def test_interests_are_split_and_kept_once():
    assert forms.check_interests("Learning analytics， 教育数字化；MOOCs, learning ANALYTICS") == [
        "Learning analytics",
        "教育数字化",
        "MOOCs",
    ]
    assert forms.check_interests(" , ") == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (", ".join(f"t{n}" for n in range(11)), "At most 10 research interests"),
        ("x" * 81, "longer than 80 characters"),
    ],
)
def test_too_many_or_too_long(value, message):
    with pytest.raises(FieldError) as exc:
        forms.check_interests(value)
    assert message in exc.value.message.interpolate()


def test_the_profile_saves_them(dbsession):
    accounts = account_service(dbsession)
    user = make_user(dbsession, "ri@example.org")
    accounts.update_profile(user, {"research_interests": ["MOOCs"]})
    assert user.research_interests == ["MOOCs"]
    accounts.update_profile(user, {"research_interests": ""})
    assert user.research_interests == []


def test_users_with_interests_can_be_selected_distinct(dbsession):
    """Queries that select users DISTINCT (the editors of a journal, the people of a
    discussion) compare every column: on PostgreSQL the interests are JSONB, which has
    equality (plain json does not, and those pages failed)."""
    make_user(dbsession, "one@example.org").research_interests = ["MOOCs", "教育数字化"]
    make_user(dbsession, "two@example.org").research_interests = ["MOOCs", "教育数字化"]
    dbsession.flush()
    found = dbsession.scalars(select(User).distinct().order_by(User.email)).all()
    assert [u.email for u in found if u.email.endswith("@example.org")][-2:] == [
        "one@example.org",
        "two@example.org",
    ]
    assert found[-1].research_interests == ["MOOCs", "教育数字化"]
