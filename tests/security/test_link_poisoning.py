"""Finding 2: password-reset link poisoning.

The attack: ask for a password reset for the editor-in-chief's address with ``Host:
evil.example`` (or, through the proxy production.ini trusted, ``X-Forwarded-Host:
evil.example``). The site mailed a link with a valid reset token to evil.example; the
attacker's server read the token when the editor clicked, and set a new password.

Now every link in every email comes from ``fde.base_url`` (frontiers_de/mail/links.py), the
site refuses host names it does not own with a plain 400 (frontiers_de/security/hosts.py),
and production believes no forwarded host unless told to.
"""

from __future__ import annotations

import html
import http.client
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
import webtest
from pyramid.request import Request
from pyramid.scripting import prepare
from sqlalchemy import select

from frontiers_de import check_production_secrets, main
from frontiers_de.mail.models import OutboxEmail
from frontiers_de.security.hosts import allowed_hosts, host_name
from frontiers_de.security.roles import Role
from tests.factories import app_session, make_journal, make_user
from tests.web import csrf

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://journal.example.org"
HOST = "journal.example.org"
EVIL = "evil.example"
EDITOR = "eic@example.org"
REFUSED = "does not answer to the host name"
# Absolute URLs in a text or HTML body (an HTML attribute ends at its quote).
URL = re.compile(r"""(?:https?:)?//[^\s<>"'()]+""", re.IGNORECASE)


@pytest.fixture
def app_settings(app_settings):
    """The journal lives at https://journal.example.org (not the Host tests usually send)."""
    return {**app_settings, "fde.base_url": BASE}


@pytest.fixture
def editor(wsgi_app) -> str:
    with app_session(wsgi_app) as db:
        make_user(db, EDITOR, roles=[Role.EDITOR_IN_CHIEF], journal=make_journal(db))
    return EDITOR


def client(app, host: str = HOST, **environ: str) -> webtest.TestApp:
    return webtest.TestApp(app, extra_environ={"HTTP_HOST": host, **environ})


def outbox(wsgi_app) -> list[OutboxEmail]:
    with app_session(wsgi_app) as db:
        return list(db.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def urls(mail: OutboxEmail) -> list[str]:
    return URL.findall(mail.body_text) + URL.findall(html.unescape(mail.body_html))


def reset_link(mail: OutboxEmail) -> str:
    assert mail.template == "accounts_reset"
    (link,) = {u for u in urls(mail) if "/password/reset/" in u}
    return link


def test_a_reset_asked_for_under_a_forged_host_is_refused(wsgi_app, editor):
    attacker = client(wsgi_app, EVIL)
    page = attacker.get("/password/reset", status=400)
    assert page.content_type == "text/plain"
    assert REFUSED in page.text and BASE in page.text and EVIL not in page.text
    # A form fetched from the real site and sent under the forged name: refused as well.
    genuine = client(wsgi_app).get("/password/reset")
    attacker.cookiejar = genuine.test_app.cookiejar
    attacker.post(
        "/password/reset",
        {"csrf_token": csrf(genuine), "email": editor},
        headers={"Host": EVIL},
        status=400,
    )
    assert outbox(wsgi_app) == []


def test_the_emailed_link_points_at_base_url_whatever_host_the_request_came_to(
    wsgi_app, app_settings, editor
):
    # Even where the host check is configured too widely, the email does not follow Host.
    lax = main({}, **{**app_settings, "fde.allowed_hosts": f"{HOST} {EVIL}"})
    attacker = client(lax, EVIL)
    page = attacker.get("/password/reset")
    attacker.post("/password/reset", {"csrf_token": csrf(page), "email": editor})
    (mail,) = outbox(wsgi_app)
    link = reset_link(mail)
    assert link.startswith(f"{BASE}/password/reset/"), link
    # The link opens the form on the journal's own site.
    path = link.removeprefix(BASE)
    assert client(wsgi_app).get(path).html.find("input", {"name": "password"}) is not None


def test_a_forwarded_host_is_refused_where_trusted_and_ignored_where_not(
    wsgi_app, app_settings, editor
):
    trusting = main(
        {},
        **{
            **app_settings,
            "fde.trusted_proxies": "127.0.0.1",
            "fde.trust_forwarded_host": "true",
            "fde.trust_forwarded_proto": "true",
        },
    )
    via_proxy = client(trusting, "127.0.0.1:6543", REMOTE_ADDR="127.0.0.1")
    via_proxy.get("/password/reset", headers={"X-Forwarded-Host": EVIL}, status=400)
    # The proxy's own word (its entry is the right-most) for the real name and scheme.
    redirect = via_proxy.get(
        "/account",
        headers={"X-Forwarded-Host": f"{EVIL}, {HOST}", "X-Forwarded-Proto": "https"},
        status=302,
    )
    assert redirect.location.startswith(f"{BASE}/login")
    # From anyone but the proxy the headers mean nothing: the Host header decides.
    stranger = client(trusting, HOST, REMOTE_ADDR="203.0.113.9")
    redirect = stranger.get(
        "/account", headers={"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"}, status=302
    )
    assert redirect.location.startswith(f"http://{HOST}/login")
    # And by default (trust off) not even the proxy is believed about the host.
    default = client(wsgi_app, HOST, REMOTE_ADDR="127.0.0.1")
    page = default.get("/password/reset", headers={"X-Forwarded-Host": EVIL})
    default.post(
        "/password/reset",
        {"csrf_token": csrf(page), "email": editor},
        headers={"X-Forwarded-Host": EVIL},
    )
    assert reset_link(outbox(wsgi_app)[0]).startswith(BASE)


def _ini_section(name: str) -> dict[str, str]:
    import plaster

    loader = plaster.get_loader(str(ROOT / "production.ini"), protocols=["wsgi"])
    return dict(loader.get_settings(name))


@contextmanager
def served(app, options: dict[str, str]):
    """``app`` behind waitress with production.ini's server options, on a free port."""
    import threading

    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, **options)
    stopping = threading.Event()

    def serve() -> None:
        try:
            server.run()
        except (OSError, ValueError):
            if not stopping.is_set():  # closing the sockets under the loop ends it so
                raise

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.effective_port
    finally:
        stopping.set()
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        server.close()
        thread.join(timeout=5)


def _request(port: int, method: str, path: str, headers: dict[str, str], body: str = ""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Set-Cookie") or "", response.read()
    finally:
        conn.close()


# Commits for real: waitress serves the app from threads of its own.
@pytest.mark.commits
def test_production_settings_ignore_x_forwarded_host_through_the_proxy(
    wsgi_app, app_settings, editor
):
    """The attack through production.ini: the reverse proxy on 127.0.0.1 passes on the
    attacker's X-Forwarded-Host; waitress and the app run with production.ini's settings."""
    server = _ini_section("server:main")
    production = _ini_section("app:main")
    proxy_keys = (
        "fde.allowed_hosts",
        "fde.trusted_proxies",
        "fde.trust_forwarded_host",
        "fde.trust_forwarded_proto",
    )
    settings = {**app_settings, **{k: production.get(k, "") for k in proxy_keys}}
    options = {k: v for k, v in server.items() if k not in {"use", "listen", "__file__", "here"}}
    forged = {
        "Host": HOST,
        "X-Forwarded-Host": EVIL,
        "X-Forwarded-For": "203.0.113.5",
    }
    with served(main({}, **settings), options) as port:
        status, cookie, body = _request(port, "GET", "/password/reset", forged)
        assert status == 200
        token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()
        status, _, _ = _request(
            port,
            "POST",
            "/password/reset",
            {
                **forged,
                "Cookie": cookie.split(";", 1)[0],
                "Content-Type": "application/x-www-form-urlencoded",
            },
            urlencode({"csrf_token": token, "email": editor}),
        )
        assert status == 200
        (mail,) = outbox(wsgi_app)
        assert reset_link(mail).startswith(f"{BASE}/password/reset/")
        # A name the site does not own, sent straight to the server: refused.
        status, _, body = _request(port, "GET", "/password/reset", {**forged, "Host": EVIL})
        assert status == 400 and REFUSED.encode() in body
    # Only the proxy on the machine may connect at all.
    assert server["listen"].startswith("127.0.0.1:")


# --- the settings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("journal.example.org", "journal.example.org"),
        ("Journal.Example.ORG.:443", "journal.example.org"),
        ("[::1]:6543", "::1"),
        ("127.0.0.1:6543", "127.0.0.1"),
        ("evil.example/x", None),
        ("user@journal.example.org", None),
        ("journal.example.org:https", None),
        ("a b", None),
        ("", None),
        ("[not-an-address]", None),
        ("x" * 300, None),
    ],
)
def test_host_names_are_read_strictly(value, name):
    assert host_name(value) == name


def test_allowed_hosts_default_to_the_base_url_and_loopback_only_in_development():
    assert allowed_hosts({"fde.base_url": "http://localhost:6543"}) == {
        "localhost",
        "127.0.0.1",
        "::1",
    }
    assert allowed_hosts({"fde.base_url": BASE}) == {HOST}
    assert allowed_hosts({"fde.base_url": BASE, "fde.allowed_hosts": "a.example, B.example"}) == {
        "a.example",
        "b.example",
    }
    with pytest.raises(ValueError, match=r"fde\.allowed_hosts"):
        allowed_hosts({"fde.base_url": BASE, "fde.allowed_hosts": "https://a.example/"})
    with pytest.raises(ValueError, match=r"fde\.base_url"):
        allowed_hosts({"fde.base_url": "journal.example.org"})


def test_production_needs_its_public_address():
    secrets = {
        "fde.require_secrets": "true",
        "fde.session_secret": "s" * 40,
        "fde.token_secret": "t" * 40,
    }
    with pytest.raises(ValueError, match="FDE_BASE_URL"):
        check_production_secrets({**secrets, "fde.base_url": "http://localhost:6543"})
    check_production_secrets({**secrets, "fde.base_url": BASE})
    production = _ini_section("app:main")
    assert production.get("fde.trust_forwarded_host") == "false"
    assert "x-forwarded-host" not in _ini_section("server:main").get("trusted_proxy_headers", "")


# --- every email ---------------------------------------------------------------------------


@contextmanager
def request_for(wsgi_app, host: str):
    """A request to the real app addressed to ``host``, in a transaction committed at the
    end (emails are delivered then), as a view or the command line would run."""
    registry = wsgi_app.registry
    request = Request.blank("/", base_url=f"http://{host}")
    request.registry = registry
    env = prepare(request=request, registry=registry)
    try:
        with request.tm:
            yield request
    finally:
        env["closer"]()


def _send_every_email(request) -> None:
    """Each email of the app once, through the service whose event has it sent (the
    subscribers build their links without the request)."""
    import datetime as dt

    from frontiers_de.accounts.services import AccountService
    from frontiers_de.deadlines import engine as deadlines
    from frontiers_de.discussions import services as discussions
    from frontiers_de.discussions.models import Seat
    from frontiers_de.editorial import handling, workflow
    from frontiers_de.editorial import services as editorial
    from frontiers_de.mail.digest import send_digests
    from frontiers_de.mail.models import Delivery
    from frontiers_de.mail.preferences import set_preferences
    from frontiers_de.production import notifications
    from frontiers_de.production import services as production
    from frontiers_de.review import services as review
    from frontiers_de.storage import LocalFileStorage
    from frontiers_de.submissions.models import Submission
    from tests.production_factories import make_accepted_submission
    from tests.review_factories import DUE, GOOD, NOW

    db, settings = request.db, request.registry.settings
    journal = make_journal(db)
    author = make_user(db, "author@example.org")
    editor = make_user(db, "editor@example.org", roles=[Role.SECTION_EDITOR], journal=journal)
    first, second, third = (
        make_user(db, f"{n}@example.org", roles=[Role.REVIEWER], journal=journal)
        for n in ("first", "second", "third")
    )
    producer = make_user(db, roles=[Role.PRODUCTION_EDITOR], journal=journal)
    request.user = editor

    accounts = AccountService.from_settings(db, settings)
    accounts.send_verification_link(author)
    accounts.send_reset_link(author)
    accounts.send_set_password_link(author)
    author.pending_email = "author.new@example.org"
    accounts.send_email_change_link(author)
    accounts.confirm_email_change(accounts.email_change_token(author))  # the old one is told

    def paper(title: str) -> Submission:
        row = Submission(
            journal_id=journal.id, submitter_id=author.id, title=title, abstract="An abstract."
        )
        db.add(row)
        db.flush()
        workflow.apply(db, row, "submit", author, now=NOW)
        return row

    workflow.apply(db, paper("Out of scope"), "desk_reject", editor, letter="Not for us.")
    tutoring = paper("Tutoring at scale")
    workflow.apply(db, tutoring, "send_to_review", editor)
    chief = make_user(db, "chief@example.org", roles=[Role.EDITOR_IN_CHIEF], journal=journal)
    handling.assign(db, tutoring, chief, editor.id)  # the handling editor is told
    # A message in the paper's discussion: the handling editor is told, with its link.
    discussions.start_thread(
        db,
        LocalFileStorage(settings["fde.files_dir"]),
        discussions.Place(tutoring, author, Seat.AUTHOR),
        "authors",
        "Data",
        "May we share the data later?",
        max_bytes=1000,
    )

    assignment = review.invite(db, tutoring, editor, reviewer_id=first.id, due=DUE, now=NOW)
    assignment = assignment.assignment
    review.accept(db, assignment, now=NOW)
    review.change_due(db, tutoring, assignment, editor, "2026-12-31", now=NOW)
    review.save_review(db, assignment, GOOD, submit=True, now=NOW)
    withdrawn = review.invite(db, tutoring, editor, reviewer_id=second.id, due=DUE, now=NOW)
    review.cancel(db, tutoring, withdrawn.assignment, editor, now=NOW)
    review.invite(db, tutoring, editor, reviewer_id=third.id, due=DUE, now=NOW)
    # The beat's reminders run without a request: the unanswered invitation, six days on.
    assert deadlines.run(db, settings, now=NOW + dt.timedelta(days=6))
    # The decision cancels the unanswered invitation (the reviewer is told); the revision
    # comes in.
    letter = "Please revise the sampling section as the reviewer asks, then send it again."
    editorial.decide(db, tutoring, editor, "minor_revision", letter)
    # The revision long overdue: the author is reminded, the editor-in-chief told.
    assert deadlines.run(db, settings, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=90))
    workflow.apply(db, tutoring, "resubmit", author)

    accepted = make_accepted_submission(db, journal, author)
    article = production.start_production(db, accepted, producer)
    article.pdf_sha256 = LocalFileStorage(settings["fde.files_dir"]).put(b"%PDF-1.7 proof")
    sent = production.send_proof(db, settings, article, producer)
    # Placing the proofed article in an issue tells the author (the approval stands).
    notifications.tell_author_of_placement(db, settings, article, sent.proof)
    # The author's answer goes to the production editors; publication to the author.
    production.answer_proof(db, sent.proof, approve=True)
    article.doi = article.doi or "10.5555/fde.2026.0001"
    notifications.tell_author_of_publication(db, settings, article)
    # An editor who has papers assigned in the daily digest gets it from the digest run.
    set_preferences(db, editor.id, {"editor_papers": Delivery.DIGEST})
    handling.assign(db, paper("Digest"), chief, editor.id)
    assert send_digests(db, settings).sent == 1


DOI_RESOLVER = "https://doi.org/10."


def test_every_email_links_only_to_base_url_under_a_forged_host(wsgi_app):
    """Fails when a sender or a template builds a link from anything but fde.base_url, and
    when a new email template is added without being sent here."""
    with request_for(wsgi_app, EVIL) as request:
        _send_every_email(request)
    mails = outbox(wsgi_app)
    templates = {path.name for path in (ROOT / "templates" / "email").iterdir() if path.is_dir()}
    unsent = templates - {mail.template for mail in mails}
    assert not unsent, f"add the senders of {sorted(unsent)} to _send_every_email"
    for mail in mails:
        found = urls(mail)
        # The one link elsewhere: a published article's DOI, resolved at doi.org (Crossref's
        # display form), built from the DOI alone.
        ours = [url for url in found if not url.startswith(DOI_RESOLVER)]
        assert all(url.startswith(BASE + "/") or url == BASE for url in ours), (
            mail.template,
            found,
        )
        assert EVIL not in mail.body_text + mail.body_html, mail.template
    assert sum(len(urls(mail)) for mail in mails) >= len(templates)


def test_no_email_sender_builds_links_from_the_request():
    """The one way in is mail.links.email_url (request.email_url in a request): a module that
    queues an email never calls route_url (which follows the request's Host) or reads the host."""
    sources = [
        p
        for p in (ROOT / "frontiers_de").rglob("*.py")
        if "migrations" not in p.parts and p.name != "links.py"
    ]
    offenders = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        if not any(f"{sender}(" in text for sender in ("send_email", "queue_email")):
            continue
        for needle in ("route_url(", "application_url", "host_url", "request.host"):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []
