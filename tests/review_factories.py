"""Peer-review test helpers: fixed clock and due date, a good review form, invite and
accept through the services (the ``world`` fixture is in tests/unit/review/conftest.py)."""

from __future__ import annotations

import datetime as dt

from frontiers_de.review import services

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
DUE = "2026-12-15"
SETTINGS: dict[str, str] = {}
GOOD = {
    "recommendation": "minor_revision",
    "score_originality": "4",
    "score_rigour": "3",
    "score_clarity": "5",
    "score_relevance": "4",
    "comments_to_author": "The sampling needs a clearer account.",
    "comments_to_editor": "No ethical concerns.",
}


def invite(db, w, **kw):
    kw.setdefault("reviewer_id", w["reviewer"].id)
    return services.invite(db, w["submission"], w["editor"], due=DUE, now=NOW, **kw)


def accepted(db, w):
    invitation = invite(db, w)
    services.accept(db, invitation.assignment, now=NOW)
    return invitation.assignment
