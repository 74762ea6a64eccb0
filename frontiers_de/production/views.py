"""Production pages: the queue, an article's JATS, checks, PDF, proofs and publishing, and
the author's proof page. Thin: load the context, call one service, redirect or render."""

from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.renderers import render_to_response
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from frontiers_de.articles import services as article_services
from frontiers_de.articles.models import Article, ArticleState
from frontiers_de.db.meta import utcnow
from frontiers_de.deadlines.engine import open_deadlines
from frontiers_de.deadlines.rules import DeadlineKind
from frontiers_de.editorial.workflow import TransitionNotAllowed, may
from frontiers_de.forms import Field, read_form, translate_errors
from frontiers_de.i18n import _
from frontiers_de.i18n import translate as _t
from frontiers_de.jobs.services import start_job
from frontiers_de.production import assets, figure_descriptions, figures, services, tasks
from frontiers_de.production.models import Proof
from frontiers_de.production.settings import ProductionSettings
from frontiers_de.responses import (
    asset_response,
    file_response,
    link_not_usable,
    stored_bytes,
    token_link,
)
from frontiers_de.security.permissions import Permission
from frontiers_de.submissions.models import FileKind, ManuscriptFile, Submission
from frontiers_de.templating import flash
from frontiers_de.throttling.services import ThrottleScope

PRODUCE = Permission.PRODUCE


def _article(request: Request) -> Article:
    """The route's article of the journal (resources.article_factory; else 404)."""
    article: Article = request.context.obj
    return article


def _to_article(request: Request, article: Article, anchor: str | None = None) -> HTTPFound:
    extra = {"_anchor": anchor} if anchor else {}
    return HTTPFound(request.route_path("production.article", article_id=article.id, **extra))


@view_config(
    route_name="production.dashboard",
    request_method="GET",
    renderer="production/dashboard.html",
    permission=PRODUCE,
)
def dashboard(request: Request) -> dict[str, Any]:
    queue = services.production_queue(request.db, request.journal.id)
    proofs = open_deadlines(
        request.db,
        journal_id=request.journal.id,
        kinds=[DeadlineKind.PROOF],
        settings=request.registry.settings,
    )
    return {
        "queue": queue,
        # The proofs waiting for their authors, with their due dates (the journal's rules).
        "proof_due": {d.submission_id: d for d in proofs},
        "now": utcnow(),
        "published": services.recently_published(request.db, request.journal.id),
        "may_start": {s.id: may(s, "start_production", request.user) for s, _a in queue},
    }


@view_config(route_name="production.start", request_method="POST", permission=PRODUCE)
def start(request: Request) -> Response:
    submission = request.context.submission  # one of the journal's (else 404)
    try:
        article = services.start_production(request.db, submission, request.user)
    except TransitionNotAllowed:
        flash(request, _t(request, _("Production cannot start for this submission now.")), "error")
        return HTTPFound(request.route_path("production.dashboard"))
    flash(request, _t(request, _("Production has started.")), "success")
    return _to_article(request, article)


@view_config(
    route_name="production.article",
    request_method="GET",
    renderer="production/article.html",
    permission=PRODUCE,
)
def article_page(request: Request) -> dict[str, Any]:
    article = _article(request)
    db = request.db
    submission = db.get(Submission, article.submission_id) if article.submission_id else None
    state = services.production_state(db, article)
    return {
        "article": article,
        "submission": submission,
        "manuscript": services.latest_manuscript(db, submission) if submission else None,
        "versions": services.jats_versions(db, submission.id) if submission else [],
        "state": state,
        "busy": state.busy,
        "proofs": services.proofs_of(db, article),
        "editable": article.state == ArticleState.IN_PRODUCTION,
        "assets": assets.article_assets(db, article),
        "figures": figures.figure_panels(db, request.storage, article),
        "max_asset_bytes": assets.max_asset_bytes(request.registry.settings),
        "max_jats_bytes": ProductionSettings.of(request.registry.settings).max_jats_bytes,
    }


def _start(request: Request, task: Any, kind: str, done: Any) -> Response:
    article = _article(request)
    if article.state != ArticleState.IN_PRODUCTION:
        flash(request, _t(request, _("The article is no longer in production.")), "error")
    elif services.job_busy(request.db, article, kind):
        flash(request, _t(request, _("This step is already queued or running.")), "warning")
    else:
        start_job(request, task, kind=kind, target=article)
        flash(request, _t(request, done), "info")
    return _to_article(request, article)


@view_config(route_name="production.convert", request_method="POST", permission=PRODUCE)
def convert(request: Request) -> Response:
    return _start(
        request, tasks.convert_jats, services.JOB_CONVERT, _("The conversion to JATS is queued.")
    )


@view_config(route_name="production.check", request_method="POST", permission=PRODUCE)
def check(request: Request) -> Response:
    return _start(request, tasks.check_jats, services.JOB_CHECK, _("The checks are queued."))


@view_config(route_name="production.typeset", request_method="POST", permission=PRODUCE)
def typeset(request: Request) -> Response:
    return _start(request, tasks.typeset_article, services.JOB_TYPESET, _("Typesetting is queued."))


@view_config(route_name="production.jats", request_method="GET", permission=PRODUCE)
def download_jats(request: Request) -> Response:
    article = _article(request)
    if not article.jats_xml:
        raise HTTPNotFound()
    name = article_services.pdf_filename(article).removesuffix(".pdf") + ".xml"
    return file_response(article.jats_xml.encode("utf-8"), "application/xml", name)


@view_config(route_name="production.jats_version", request_method="GET", permission=PRODUCE)
def download_jats_version(request: Request) -> Response:
    article = _article(request)
    record = request.context.part(ManuscriptFile, "file_id", submission_id=article.submission_id)
    if record.kind != FileKind.JATS:
        raise HTTPNotFound()
    body = stored_bytes(request.storage, record.sha256)
    return file_response(body, "application/xml", f"v{record.id}-{record.filename}")


@view_config(route_name="production.jats", request_method="POST", permission=PRODUCE)
def upload_jats(request: Request) -> Response:
    article = _article(request)
    upload = request.POST.get("jats")
    if upload is None or not hasattr(upload, "file"):
        flash(request, _t(request, _("Choose a JATS XML file to upload.")), "error")
        return _to_article(request, article)
    limit = ProductionSettings.of(request.registry.settings).max_jats_bytes
    data = upload.file.read(limit + 1)  # one byte more than allowed is enough to refuse
    warnings: list[str] = []
    try:
        services.upload_jats(
            request.db,
            request.storage,
            article,
            data,
            upload.filename or "article.xml",
            request.user,
            request.registry.settings,
            warnings=warnings,
        )
    except services.ProductionError as exc:
        flash(request, _t(request, exc.message), "error")
        return _to_article(request, article)
    start_job(request, tasks.check_jats, kind=services.JOB_CHECK, target=article)
    flash(request, _t(request, _("The new JATS is saved; the checks are queued.")), "success")
    if warnings:
        message = _(
            "The reader page shows ${count} formula(s) as TeX: ${first}",
            mapping={"count": len(warnings), "first": warnings[0]},
        )
        flash(request, _t(request, message), "warning")
    return _to_article(request, article)


@view_config(route_name="production.asset", request_method="GET", permission=PRODUCE)
def download_asset(request: Request) -> Response:
    """A figure or supplement of an article in any state, for the production editor."""
    article = _article(request)
    served = assets.served_asset(request.db, request.storage, article, request.matchdict["name"])
    if served is None:
        raise HTTPNotFound()
    return asset_response(request, served, public=False)


@view_config(route_name="production.assets", request_method="POST", permission=PRODUCE)
def upload_asset(request: Request) -> Response:
    """A file for one of the names the JATS uses (a missing figure, a better version)."""
    article = _article(request)
    name = str(request.POST.get("name", "")).strip()
    upload = request.POST.get("file")
    if not name:
        flash(request, _t(request, _("Choose which file of the JATS you are uploading.")), "error")
        return _to_article(request, article, "assets")
    if upload is None or not hasattr(upload, "file"):
        flash(request, _t(request, _("Choose a file to upload.")), "error")
        return _to_article(request, article, "assets")
    limit = assets.max_asset_bytes(request.registry.settings)
    data = upload.file.read(limit + 1)  # one byte more than allowed is enough to refuse
    try:
        assets.upload_asset(
            request.db,
            request.storage,
            article,
            name,
            data,
            request.user,
            request.registry.settings,
        )
    except services.ProductionError as exc:
        flash(request, _t(request, exc.message), "error")
        return _to_article(request, article, "assets")
    flash(request, _t(request, _("${name} is saved.", mapping={"name": name})), "success")
    return _to_article(request, article, "assets")


_FIG_ID = Field("fig_id", max_length=200, required=True)
_CHOICE = Field("choice", max_length=40, required=True)


@view_config(route_name="production.figures", request_method="POST", permission=PRODUCE)
def choose_figure(request: Request) -> Response:
    """The production editor's choice of image for one figure."""
    article = _article(request)
    form = read_form(request.POST, (_FIG_ID, _CHOICE))
    if not form.ok:
        flash(request, _t(request, _("Choose an image for the figure.")), "error")
        return _to_article(request, article, "figures")
    try:
        chosen = figures.choose(
            request.db,
            request.storage,
            article,
            form.values["fig_id"],
            form.values["choice"],
            request.user,
            request.registry.settings,
        )
    except services.ProductionError as exc:
        flash(request, _t(request, exc.message), "error")
        return _to_article(request, article, "figures")
    message = (
        _("The manuscript's image is used for this figure; typeset the PDF again.")
        if chosen.source == "manuscript"
        else _("The uploaded file is used for this figure; typeset the PDF again.")
    )
    flash(request, _t(request, message), "success")
    return _to_article(request, article, f"figure-{chosen.fig_id}")


_ALT_TEXT = Field(figure_descriptions.ALT_TEXT_FIELD, max_length=2_000, multiline=True)
_LONG_DESC = Field(figure_descriptions.LONG_DESC_FIELD, max_length=40_000, multiline=True)


@view_config(route_name="production.figure_description", request_method="POST", permission=PRODUCE)
def describe_figure(request: Request) -> Response:
    """The production editor's alt text and long description of one figure of the JATS.
    A figure the JATS does not have is a 404; refused text shows the page again with the
    text as sent and the error at its field."""
    article = _article(request)
    fig_id = request.matchdict["fig_id"]
    form = read_form(request.POST, (_ALT_TEXT, _LONG_DESC))
    try:
        if not form.ok:
            name, message = next(iter(form.errors.items()))
            raise figure_descriptions.DescriptionError(message, name)
        changed = figure_descriptions.describe_figure(
            request.db,
            request.storage,
            article,
            fig_id,
            form.values[figure_descriptions.ALT_TEXT_FIELD],
            form.values[figure_descriptions.LONG_DESC_FIELD],
            request.user,
            request.registry.settings,
        )
    except figure_descriptions.FigureNotFound as exc:
        raise HTTPNotFound() from exc
    except figure_descriptions.DescriptionError as exc:
        page = article_page(request)
        page["description_form"] = {
            "fig_id": fig_id,
            "values": form.sent,
            "errors": {exc.field: _t(request, exc.message)},
        }
        response = render_to_response("production/article.html", page, request=request)
        response.status_int = 400
        return response
    except services.ProductionError as exc:
        flash(request, _t(request, exc.message), "error")
        return _to_article(request, article, f"figure-{fig_id}")
    message = (
        _("The figure's description is saved; typeset the PDF again.")
        if changed
        else _("The figure's description is unchanged.")
    )
    flash(request, _t(request, message), "success")
    return _to_article(request, article, f"describe-{fig_id}")


@view_config(route_name="production.figure_thumbnail", request_method="GET", permission=PRODUCE)
def figure_thumbnail(request: Request) -> Response:
    """A small PNG of a figure image shown on the production page."""
    article = _article(request)
    served = figures.thumbnail(
        request.db, request.storage, article, int(request.matchdict["file_id"])
    )
    if served is None:
        raise HTTPNotFound()
    return asset_response(request, served, public=False)


@view_config(route_name="production.pdf", request_method="GET", permission=PRODUCE)
def download_pdf(request: Request) -> Response:
    article = _article(request)
    if not article.pdf_sha256:
        raise HTTPNotFound()
    body = stored_bytes(request.storage, article.pdf_sha256)
    return file_response(body, "application/pdf", article_services.pdf_filename(article))


@view_config(route_name="production.send_proof", request_method="POST", permission=PRODUCE)
def send_proof(request: Request) -> Response:
    article = _article(request)
    try:
        sent = services.send_proof(request.db, request.registry.settings, article, request.user)
    except services.ProductionError as exc:
        flash(request, _t(request, exc.message), "error")
        return _to_article(request, article)
    flash(
        request,
        _t(request, _("Proof ${number} was sent.", mapping={"number": sent.proof.number})),
        "success",
    )
    return _to_article(request, article)


@view_config(route_name="production.publish", request_method="POST", permission=PRODUCE)
def publish(request: Request) -> Response:
    article = _article(request)
    try:
        services.publish(
            request.db, request.storage, article, request.user, request.registry.settings
        )
    except services.PublishRefused as exc:
        for reason in exc.reasons:
            flash(request, _t(request, reason), "error")
        return _to_article(request, article)
    except TransitionNotAllowed:
        flash(request, _t(request, _("The article cannot be published from its state.")), "error")
        return _to_article(request, article)
    # Publishing added the publication date to the JATS: check that version too.
    start_job(request, tasks.check_jats, kind=services.JOB_CHECK, target=article)
    flash(request, _t(request, _("The article is published.")), "success")
    return _to_article(request, article)


# --- the author's proof page (no sign-in: the link's token is the key) -----------------------

LINK_MESSAGES = {
    "invalid": (404, _("This proof link is not valid. Please use the link in the latest email.")),
    "expired": (
        410,
        _("This proof link has expired. Please ask the production editor for a new one."),
    ),
    "used": (410, _("This proof has already been answered. Thank you.")),
    "superseded": (
        410,
        _("A newer proof replaces this one. Please use the link in the latest email."),
    ),
}

_CORRECTIONS = Field("corrections", max_length=services.MAX_CORRECTIONS_LENGTH, multiline=True)
_ACTION = Field("action", max_length=20, required=True)


def _proof(request: Request) -> Proof | Response:
    # A client that keeps sending links that do not work is guessing: it waits (HTTP 429).
    request.throttle.check(ThrottleScope.LINK, request.client_addr)
    try:
        return services.proof_for_token(
            request.db, request.matchdict["token"], request.registry.settings
        )
    except services.ProofLinkError as exc:
        request.throttle.record(ThrottleScope.LINK, request.client_addr)
        status, message = LINK_MESSAGES[exc.reason]
        return link_not_usable(request, _("Proof link not usable"), message, status)


def _proof_page(request: Request, proof: Proof, errors: dict[str, str], values: dict[str, str]):
    article = request.db.get(Article, proof.article_id)
    response = render_to_response(
        "production/proof.html",
        {"proof": proof, "article": article, "errors": errors, "values": values},
        request=request,
    )
    return token_link(response)


@view_config(route_name="production.proof", request_method="GET", permission=Permission.VIEW)
def proof_page(request: Request) -> Response:
    proof = _proof(request)
    if isinstance(proof, Response):
        return proof
    return _proof_page(request, proof, {}, {})


@view_config(route_name="production.proof", request_method="POST", permission=Permission.VIEW)
def answer_proof(request: Request) -> Response:
    proof = _proof(request)
    if isinstance(proof, Response):
        return proof
    form = read_form(request.POST, (_ACTION, _CORRECTIONS))
    action = form.values.get("action")
    if form.ok and action not in ("approve", "corrections"):
        form.errors["action"] = _("Choose whether to approve the proof or send corrections.")
    if form.ok:
        try:
            services.answer_proof(
                request.db,
                proof,
                approve=action == "approve",
                corrections=form.values.get("corrections", ""),
            )
        except services.ProductionError as exc:
            form.errors["corrections"] = exc.message
    if not form.ok:
        return _proof_page(
            request,
            proof,
            translate_errors(request, form.errors),
            {"corrections": str(request.POST.get("corrections", ""))[:20000]},
        )
    response = render_to_response(
        "production/proof_done.html",
        {"approved": action == "approve", "proof": proof},
        request=request,
    )
    return token_link(response)


@view_config(route_name="production.proof_pdf", request_method="GET", permission=Permission.VIEW)
def proof_pdf(request: Request) -> Response:
    proof = _proof(request)
    if isinstance(proof, Response):
        return proof
    article = request.db.get(Article, proof.article_id)
    body = stored_bytes(request.storage, proof.pdf_sha256)
    stem = article_services.pdf_filename(article).removesuffix(".pdf")
    name = f"{stem}-proof-{proof.number}.pdf"
    return token_link(file_response(body, "application/pdf", name))
