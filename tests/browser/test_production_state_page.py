"""The production page and the issue page in a real browser, for an article whose
approved proof stands after it was placed in an issue: each step says its state once, and
the issue page says before the change what placing another article will do. Screenshots
go to the test's tmp_path (FDE_SCREENSHOTS=dir keeps them there instead)."""

from __future__ import annotations

import os
from pathlib import Path

from frontiers_de.articles import issues
from frontiers_de.articles.models import Article, IssueState
from frontiers_de.production import services
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from tests.factories import DEFAULT_PASSWORD, app_session, make_journal, make_user
from tests.functional.test_issue_management import in_production
from tests.publishing_factories import make_issue


def _shots(tmp_path: Path) -> Path:
    return Path(os.environ.get("FDE_SCREENSHOTS") or tmp_path)


def test_an_approval_that_outlives_its_placement_is_shown_once(
    live_server, page, wsgi_app, app_settings, tmp_path
):
    storage = LocalFileStorage(app_settings["fde.files_dir"])
    with app_session(wsgi_app) as db:
        journal = make_journal(db)
        editor = make_user(db, "prod@example.org", roles=[Role.PRODUCTION_EDITOR], journal=journal)
        placed = in_production(db, storage, journal, "10.5555/fde.2026.0701", "Epsilon", 701)
        waiting = in_production(db, storage, journal, "10.5555/fde.2026.0702", "Zeta", 702)
        for article_id in (placed, waiting):
            article = db.get(Article, article_id)
            services.typeset_current(db, storage, article, app_settings)
            sent = services.send_proof(db, app_settings, article, editor)
            if article_id == placed:
                services.answer_proof(db, sent.proof, approve=True)
        issue = make_issue(db, journal, 4, "1", state=IssueState.PLANNED)
        # No transaction manager here: the typesetting after placement waits for a click.
        issues.assign_article(db, storage, issue, str(placed), editor, settings=app_settings)
        issue_id = issue.id

    page.goto(live_server + "/login")
    page.fill("#email", "prod@example.org")
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")

    page.goto(f"{live_server}/production/articles/{placed}")
    assert page.locator(".step-state").count() == 4
    proof = page.locator("#proof-state")
    assert "Proof 1 is approved and stays approved" in proof.inner_text()
    assert "placement changed" in page.locator("#pdf-state").inner_text()
    page.screenshot(path=str(_shots(tmp_path) / "production-state.png"), full_page=True)

    page.goto(f"{live_server}/production/issues/{issue_id}")
    effect = page.locator(f"#placement-effects tr[data-article='{waiting}']")
    assert "No new proof: proof 1 stays open" in effect.inner_text()
    # Taking the placed article out again is a change of placement too: said beforehand.
    assert "the approval of proof 1 stands" in page.locator("#issue-articles").inner_text()
    page.screenshot(path=str(_shots(tmp_path) / "issue-placement.png"), full_page=True)
