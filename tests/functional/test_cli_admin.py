"""The database commands of ``fde`` through click's CliRunner, on a fresh SQLite file and
on the test database (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles.models import Article
from frontiers_de.cli import fde
from frontiers_de.config import load_settings
from frontiers_de.demo import DEMO_SUBMISSIONS, DEMO_USERS
from frontiers_de.mail.models import OutboxEmail, OutboxState
from frontiers_de.package_files import TEMPLATES_SPEC
from frontiers_de.production import assets
from frontiers_de.production.jats.check import check_article
from frontiers_de.production.jats.meta import read_article_meta
from frontiers_de.review.models import ReviewRound
from frontiers_de.security.roles import Role
from frontiers_de.storage import LocalFileStorage
from frontiers_de.submissions.models import FileKind, Submission, SubmissionState
from frontiers_de.xml.safe import parse_xml
from tests.conftest import _clean_tables
from tests.factories import account_service


def write_ini(path: Path, url: str, **extra: str) -> Path:
    settings = {
        "sqlalchemy.url": url,
        "fde.session_secret": "test-session-secret-0123456789abcdef",
        "fde.token_secret": "test-token-secret-0123456789abcdef",
        "fde.base_url": "http://fde.test",
        # Cheap hashing keeps the demo's seven accounts fast to create in tests.
        "fde.argon2.time_cost": "1",
        "fde.argon2.memory_cost": "1024",
        "fde.argon2.parallelism": "1",
        "mail.backend": "file",
        "mail.outbox_dir": str(path.parent / "mail"),
        "celery.always_eager": "true",
        "celery.broker_url": "memory://",
        "jinja2.directories": TEMPLATES_SPEC,
        **extra,
    }
    body = "\n".join(f"{k} = {v}" for k, v in settings.items())
    path.write_text(f"[app:main]\nuse = egg:frontiers_de\n{body}\n", encoding="utf-8")
    return path


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(fde, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def test_db(engine, database_url, tmp_path):
    """An .ini on the (migrated) test database; the tables are emptied afterwards."""
    files = {"fde.files_dir": str(tmp_path / "files")}  # not the project's var/files
    yield write_ini(tmp_path / "test.ini", database_url, **files), engine
    _clean_tables(engine)


def test_initdb_builds_a_fresh_sqlite_named_by_database_url(tmp_path):
    target = tmp_path / "fresh" / "fde.sqlite"
    ini = write_ini(tmp_path / "other.ini", f"sqlite:///{tmp_path / 'not-this.sqlite'}")
    env = {"DATABASE_URL": f"sqlite:///{target}"}
    first = invoke("initdb", "--config", str(ini), env=env)
    assert first.exit_code == 0, first.output
    assert "is up to date" in first.output
    assert invoke("initdb", "--config", str(ini), env=env).exit_code == 0  # again: harmless
    engine = create_engine(f"sqlite:///{target}")
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"users", "submissions", "outbox_emails", "alembic_version"} <= tables
    assert not (tmp_path / "not-this.sqlite").exists()


def test_missing_config_file_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(fde, ["initdb", "--config", str(tmp_path / "nope.ini")])
    assert result.exit_code == 2
    assert "configuration file not found" in result.output


def test_seed_demo_on_a_fresh_sqlite_then_again_changes_nothing(tmp_path):
    ini = write_ini(tmp_path / "demo.ini", f"sqlite:///{tmp_path / 'demo.sqlite'}")
    first = invoke("seed-demo", "--config", str(ini))
    assert first.exit_code == 0, first.output
    assert "added 7 users" in first.output
    for demo in DEMO_USERS:
        assert demo.email in first.output and demo.password in first.output
    second = invoke("seed-demo", "--config", str(ini))
    assert second.exit_code == 0
    assert "already present; nothing added" in second.output
    engine = create_engine(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    with Session(engine) as db:
        assert db.scalar(select(func.count(User.id))) == len(DEMO_USERS)
        assert db.scalar(select(func.count(Submission.id))) == len(DEMO_SUBMISSIONS)
    engine.dispose()


def test_seed_demo_content_on_the_test_database(test_db):
    ini, engine = test_db
    assert invoke("seed-demo", "--config", str(ini)).exit_code == 0
    with Session(engine) as db:
        states = set(db.scalars(select(Submission.state)))
        assert {
            SubmissionState.DRAFT,
            SubmissionState.SUBMITTED,
            SubmissionState.UNDER_REVIEW,
            SubmissionState.REVISION_REQUESTED,
            SubmissionState.ACCEPTED,
            SubmissionState.PUBLISHED,
            SubmissionState.REJECTED,
        } <= states
        reviewed = db.scalar(
            select(Submission).where(Submission.state == SubmissionState.UNDER_REVIEW)
        )
        (round_,) = db.scalars(select(ReviewRound).where(ReviewRound.submission_id == reviewed.id))
        assert len(round_.assignments) == 2
        assert all(len(s.contributors) == 2 for s in db.scalars(select(Submission)))
        published = db.scalar(select(Submission).where(Submission.state == "published"))
        assert published.funding and published.funding[0].funder_doi == "10.13039/501100001809"
        article = db.scalar(select(Article).where(Article.submission_id == published.id))
        assert article.doi == published.doi and article.issue.volume.number == 1
        # The published demo article went through the real pipeline: valid JATS with its
        # publication date, the reader HTML, and a typeset PDF.
        assert article.published_at is not None
        assert article.published_at <= dt.datetime.now(dt.UTC)
        assert article.jats_xml
        tree = parse_xml(article.jats_xml.encode("utf-8"))
        assert read_article_meta(tree).publication_date is not None
        report = check_article(tree)
        assert report.valid and report.official_validation_skipped is None, report.findings
        assert article.html and "<table" in article.html and "<math" in article.html
        assert article.pdf_sha256 and article.pdf_pages >= 1
        # Its figure (drawn at seed time) is kept, linked from the HTML and in the PDF.
        (figure,) = assets.article_assets(db, article)
        assert figure.href == "retention.png" and figure.file.kind == FileKind.FIGURE
        assert f'src="/articles/id/{article.id}/assets/retention.png"' in article.html
        storage = LocalFileStorage(load_settings(ini)["fde.files_dir"])
        with pikepdf.open(io.BytesIO(storage.get(article.pdf_sha256))) as pdf:
            widths = [
                int(o.get("/Width"))
                for o in pdf.objects
                if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
            ]
        assert 1200 in widths
        # Every role has a user, and the demo password signs them in.
        accounts = account_service(db)
        roles = set()
        for demo in DEMO_USERS:
            user = accounts.authenticate(demo.email, demo.password)
            roles |= {r.role for r in user.roles}
        assert roles == set(Role)


def test_user_create_reads_the_password_from_stdin(test_db):
    ini, engine = test_db
    result = invoke(
        "user",
        "create",
        "Lin.Wang@Example.org",
        "--name",
        "Lin Wang",
        "--role",
        "reviewer",
        "--role",
        "author",
        "--config",
        str(ini),
        input="a long enough secret\n",
    )
    assert result.exit_code == 0, result.output
    assert "Lin.Wang@Example.org: created; roles: reviewer, author" in result.output
    with Session(engine) as db:
        user = account_service(db).authenticate("lin.wang@example.org", "a long enough secret")
        assert (user.given_name, user.family_name, user.is_verified) == ("Lin", "Wang", True)
        assert {r.role for r in user.roles} == {Role.REVIEWER, Role.AUTHOR}
        assert db.scalar(select(func.count(OutboxEmail.id))) == 0


def test_user_create_without_password_emails_a_working_link(test_db, tmp_path, smtp_server):
    _, engine = test_db
    url = engine.url.render_as_string(hide_password=False)
    ini = write_ini(tmp_path / "smtp.ini", url, **smtp_server.settings)
    result = invoke("user", "create", "new@example.org", "--name", "Nu Li", "--config", str(ini))
    assert result.exit_code == 0, result.output
    assert "A link to set the password was emailed to new@example.org." in result.output
    (mail,) = smtp_server.wait_for(1)
    assert mail.rcpt_tos == ["new@example.org"]
    link = re.search(r"http://fde\.test/password/reset/(\S+)", mail.text())
    assert link, mail.text()
    with Session(engine) as db:
        accounts = account_service(db)
        user = accounts.user_for_reset(link.group(1))
        assert user.email == "new@example.org" and user.password_hash is None
        assert db.scalar(select(OutboxEmail.state)) is OutboxState.SENT


def test_create_admin_promotes_an_existing_user(test_db):
    ini, engine = test_db
    invoke("user", "create", "ed@example.org", "--name", "Ed", "--config", str(ini), input="")
    result = invoke("create-admin", "ED@example.org", "--config", str(ini))
    assert result.exit_code == 0, result.output
    assert "ed@example.org: already exists; roles: admin" in result.output
    with Session(engine) as db:
        user = db.scalar(select(User).where(User.email_key == "ed@example.org"))
        assert {r.role for r in user.roles} == {Role.ADMIN}
        assert user.family_name == "Ed"


def test_create_admin_with_a_password(test_db):
    ini, engine = test_db
    result = invoke(
        "create-admin", "root@example.org", "--config", str(ini), input="correct horse staple\n"
    )
    assert result.exit_code == 0, result.output
    with Session(engine) as db:
        user = account_service(db).authenticate("root@example.org", "correct horse staple")
        assert Role.ADMIN in {r.role for r in user.roles}


@pytest.mark.parametrize(
    ("args", "stdin", "code", "message"),
    [
        (["user", "create", "w@example.org", "--name", "W"], "short\n", 1, "at least 10"),
        (["user", "create", "w@example.org", "--name", "W"], "1234567890\n", 1, "only of digits"),
        (["user", "create", "w@example.org", "--name", "W", "--role", "king"], "", 2, "king"),
        (["user", "create", "w@example.org"], "", 2, "--name"),
        (["user", "create", "w@example.org", "--name", "W", "--journal", "nope"], "", 2, "nope"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(test_db, args, stdin, code, message):
    ini, engine = test_db
    result = CliRunner().invoke(fde, [*args, "--config", str(ini)], input=stdin)
    assert result.exit_code == code, result.output
    assert message in result.output
    with Session(engine) as db:
        assert db.scalar(select(User).where(User.email_key == "w@example.org")) is None


def test_duplicate_user_in_another_case_is_refused(test_db):
    ini, _ = test_db
    invoke("user", "create", "dup@example.org", "--name", "D", "--config", str(ini), input="")
    result = CliRunner().invoke(
        fde, ["user", "create", "DUP@example.org", "--name", "D", "--config", str(ini)], input=""
    )
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_mail_drain_sends_what_is_due(test_db, tmp_path, smtp_server):
    _, engine = test_db
    url = engine.url.render_as_string(hide_password=False)
    ini = write_ini(tmp_path / "drain.ini", url, **smtp_server.settings)
    with Session(engine) as db:
        db.add(
            OutboxEmail(
                recipients=["late@example.org"],
                sender="no-reply@fde.example.org",
                subject="Waiting since the broker was down",
                body_text="Hello",
            )
        )
        db.commit()
    result = invoke("mail", "drain", "--config", str(ini))
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 to retry, 0 failed" in result.output
    (mail,) = smtp_server.wait_for(1)
    assert mail.subject == "Waiting since the broker was down"


def test_mail_resend_gives_a_failed_email_another_chance(test_db, tmp_path, smtp_server):
    _, engine = test_db
    ini = write_ini(
        tmp_path / "resend.ini",
        engine.url.render_as_string(hide_password=False),
        **smtp_server.settings,
    )
    with Session(engine) as db:
        row = OutboxEmail(
            recipients=["again@example.org"],
            sender="no-reply@fde.example.org",
            subject="Second chance",
            body_text="Hello",
            state=OutboxState.FAILED,
            attempts=8,
            last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        )
        db.add(row)
        db.commit()
        email_id = row.id
    refused = CliRunner().invoke(fde, ["mail", "resend", "999999", "--config", str(ini)])
    assert refused.exit_code == 1 and "no email 999999 in the outbox" in refused.output
    result = invoke("mail", "resend", str(email_id), "--config", str(ini))
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    assert smtp_server.wait_for(1)[0].subject == "Second chance"
    again = CliRunner().invoke(fde, ["mail", "resend", str(email_id), "--config", str(ini)])
    assert again.exit_code == 1 and "is sent, not failed" in again.output


def test_mail_digest_sends_each_users_digest_once_a_day(test_db, tmp_path, smtp_server):
    from frontiers_de.mail.models import Delivery, DigestItem, NotificationPreference

    _, engine = test_db
    ini = write_ini(
        tmp_path / "digest.ini",
        engine.url.render_as_string(hide_password=False),
        **smtp_server.settings,
    )
    with Session(engine) as db:
        user = User(email="digest@example.org", email_key="digest@example.org", given_name="Dee")
        db.add(user)
        db.flush()
        db.add(
            NotificationPreference(user_id=user.id, kind="editor_reviews", delivery=Delivery.DIGEST)
        )
        for number in (5, 6):
            db.add(
                DigestItem(
                    user_id=user.id,
                    template="review_submitted",
                    kind="editor_reviews",
                    subject=f"Review submitted for submission {number}",
                    link=f"http://fde.test/editorial/submissions/{number}/review",
                )
            )
        db.commit()
    result = invoke("mail", "digest", "--config", str(ini))
    assert result.exit_code == 0, result.output
    assert "1 digest(s) with 2 notification(s) queued" in result.output
    (mail,) = smtp_server.wait_for(1)
    assert mail.rcpt_tos == ["digest@example.org"]
    assert "http://fde.test/editorial/submissions/6/review" in mail.text()
    assert "http://fde.test/account/notifications" in mail.text()
    again = invoke("mail", "digest", "--config", str(ini))
    assert "0 digest(s) with 0 notification(s) queued" in again.output
    assert len(smtp_server.messages) == 1


def test_articles_rebuild_html_brings_stored_pages_up_to_date(test_db):
    ini, engine = test_db
    assert invoke("seed-demo", "--config", str(ini)).exit_code == 0
    with Session(engine) as db:
        article = db.scalars(select(Article).where(Article.jats_xml.is_not(None))).one()
        current = article.html
        # As an article stored before figures had addresses: a relative image link.
        article.html = current.replace(f"/articles/id/{article.id}/assets/", "")
        db.commit()
    result = invoke("articles", "rebuild-html", "--config", str(ini))
    assert result.exit_code == 0, result.output
    assert "1 rebuilt, 0 unchanged" in result.output
    with Session(engine) as db:
        assert db.scalars(select(Article.html)).one() == current
    again = invoke("articles", "rebuild-html", "--config", str(ini))
    assert "0 rebuilt, 1 unchanged" in again.output


def test_articles_rebuild_html_lists_an_article_whose_jats_is_broken(test_db):
    ini, engine = test_db
    assert invoke("seed-demo", "--config", str(ini)).exit_code == 0
    with Session(engine) as db:
        article = db.scalars(select(Article).where(Article.jats_xml.is_not(None))).one()
        html, article_id = article.html, article.id
        article.jats_xml = "<article><front>"
        db.commit()
    result = CliRunner().invoke(fde, ["articles", "rebuild-html", "--config", str(ini)])
    assert result.exit_code == 1
    assert f"article {article_id}:" in result.output
    assert "0 rebuilt, 0 unchanged, 1 failed" in result.output
    with Session(engine) as db:
        assert db.scalars(select(Article.html)).one() == html  # kept


def test_the_demo_article_is_found_and_reindex_search_rewrites_documents(test_db):
    from frontiers_de.publishing import search
    from frontiers_de.publishing.models import ArticleSearchDocument

    ini, engine = test_db
    assert invoke("seed-demo", "--config", str(ini)).exit_code == 0
    with Session(engine) as db:
        article = db.scalars(select(Article).where(Article.jats_xml.is_not(None))).one()
        for words in ("pandemic", "疫情", "数字教育"):
            found = search.search(db, article.journal_id, search.parse_query(words))
            assert [h.article.id for h in found.hits] == [article.id], words
        article_id = article.id
        db.get(ArticleSearchDocument, article_id).title_text = "stale"
        db.commit()
    result = invoke("articles", "reindex-search", "--config", str(ini))
    assert result.exit_code == 0, result.output
    assert "article(s) indexed" in result.output
    with Session(engine) as db:
        assert "pandemic" in db.get(ArticleSearchDocument, article_id).title_text
