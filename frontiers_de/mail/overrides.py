"""A journal's own email templates: the admin rewrites the subject and text of any email
(per language) at ``/admin/emails``; :func:`frontiers_de.mail.services.render_email` uses
the journal's override for the recipient's language and falls back to the default file.

An override is text written in a web form, so it is rendered in Jinja's immutable sandbox
(no attribute starting with ``_``, no unsafe method, no mutation of what it is given), with
only the variables the catalogue declares for the template (:mod:`frontiers_de.mail.catalogue`)
and the journal as a plain record of its titles, never the database row. It is checked
before it is saved (syntax, unknown variables, a trial render with the catalogue's
examples), and should it still fail when an email is sent (a value of an unexpected kind),
the default template is used and the failure logged: an admin's mistake never stops mail.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pyramid.i18n import TranslationString
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.db.meta import utcnow
from frontiers_de.i18n import _
from frontiers_de.mail.catalogue import ALWAYS, EMAIL_LANGUAGES, TEMPLATES, EmailTemplate
from frontiers_de.mail.models import EmailTemplateOverride

log = logging.getLogger(__name__)

MAX_SUBJECT = 500
MAX_BODY = 20000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class JournalView:
    """What a template may read of the journal."""

    title: str
    title_zh: str


def journal_view(journal: Any) -> JournalView | None:
    if journal is None:
        return None
    return JournalView(str(getattr(journal, "title", "") or ""), str(journal.title_zh or ""))


class OverrideError(ValueError):
    """The override is refused; ``errors`` by field (``subject``, ``body``), for the form."""

    def __init__(self, errors: dict[str, TranslationString]) -> None:
        super().__init__("; ".join(str(m) for m in errors.values()))
        self.errors = errors


@functools.lru_cache(maxsize=1)
def sandbox() -> ImmutableSandboxedEnvironment:
    """Text, not HTML: no escaping; an undefined name is an error, never a blank."""
    return ImmutableSandboxedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
    )


def email_language(lang: Any) -> str:
    """The language of the template a recipient gets: theirs when the templates come in
    it, else the default (English)."""
    lang = str(lang or "").strip().lower()
    return lang if lang in EMAIL_LANGUAGES else EMAIL_LANGUAGES[0]


def find(db: Session, journal_id: int, template: str, lang: str) -> EmailTemplateOverride | None:
    return db.scalar(
        select(EmailTemplateOverride).where(
            EmailTemplateOverride.journal_id == journal_id,
            EmailTemplateOverride.template == template,
            EmailTemplateOverride.lang == lang,
        )
    )


def customised(db: Session, journal_id: int) -> set[tuple[str, str]]:
    """The (template, language) pairs the journal has its own text for."""
    rows = db.execute(
        select(EmailTemplateOverride.template, EmailTemplateOverride.lang).where(
            EmailTemplateOverride.journal_id == journal_id
        )
    )
    return {(t, lang) for t, lang in rows}


def sandboxed_context(declared: EmailTemplate, context: Mapping[str, Any]) -> dict[str, Any]:
    """Only the declared variables of ``context``, with the journal as a :class:`JournalView`."""
    allowed = declared.names | set(ALWAYS)
    out = {k: v for k, v in context.items() if k in allowed}
    out["journal"] = journal_view(context.get("journal"))
    return out


def render_text(
    template: str, subject: str, body: str, context: Mapping[str, Any]
) -> tuple[str, str]:
    """Subject and body of an override's text, rendered in the sandbox (raises what Jinja
    raises: syntax, undefined and security errors)."""
    env = sandbox()
    values = sandboxed_context(TEMPLATES[template], context)
    return env.from_string(subject).render(values), env.from_string(body).render(values)


def render_override(
    db: Session, template: str, context: Mapping[str, Any]
) -> tuple[str, str] | None:
    """The journal's override of ``template`` for the context's language, rendered; None
    when the journal has none (or it failed: logged, and the default is used)."""
    journal = context.get("journal")
    journal_id = getattr(journal, "id", None)
    if journal_id is None or template not in TEMPLATES:
        return None
    row = find(db, journal_id, template, email_language(context.get("lang")))
    if row is None:
        return None
    try:
        return render_text(template, row.subject, row.body, context)
    except Exception:  # an admin's text must never stop an email: the default goes instead
        log.exception(
            "email template override %s (%s) of journal %s failed", template, row.lang, journal_id
        )
        return None


def example_context(declared: EmailTemplate, journal: Any) -> dict[str, Any]:
    """The catalogue's example of every variable (the journal's titles for ``journal``)."""
    values = {v.name: v.example for v in declared.variables}
    values["journal"] = journal
    return values


def names_read(parsed: nodes.Template) -> set[str]:
    """The names a template reads from its context: those Jinja finds undeclared, less the
    ones it sets itself anywhere (Jinja counts a ``{% set %}`` inside an ``{% if %}`` as
    possibly unset)."""
    stored = {n.name for n in parsed.find_all(nodes.Name) if n.ctx in ("store", "param")}
    return set(meta.find_undeclared_variables(parsed)) - stored


def _problems(text: str, declared: EmailTemplate) -> TranslationString | None:
    """What is wrong with one field's template text: syntax, or a name not declared."""
    env = sandbox()
    try:
        parsed = env.parse(text)
    except jinja2.TemplateSyntaxError as exc:
        return _(
            "Line ${line}: ${error}",
            mapping={"line": exc.lineno, "error": exc.message or str(exc)},
        )
    unknown = sorted(names_read(parsed) - declared.names - set(ALWAYS) - set(env.globals))
    if unknown:
        return _(
            "This email has no variable ${names}. Use the variables listed beside the form.",
            mapping={"names": ", ".join(unknown)},
        )
    return None


def _trial(text: str, values: Mapping[str, Any]) -> TranslationString | None:
    """Render ``text`` with the examples: what only running it shows (a Python internal
    the sandbox refuses, an attribute the value does not have)."""
    try:
        sandbox().from_string(text).render(values)
    except jinja2.exceptions.SecurityError as exc:
        return _("Not allowed in an email template: ${error}", mapping={"error": str(exc)})
    except Exception as exc:  # undefined attribute, a filter on the wrong kind of value …
        return _(
            "The template fails with the example values: ${error}",
            mapping={"error": f"{type(exc).__name__}: {exc}"},
        )
    return None


def check(template: str, subject: str, body: str, journal: Any) -> tuple[str, str]:
    """The override's subject and body, cleaned and checked; :class:`OverrideError` naming
    each field's problem otherwise."""
    declared = TEMPLATES[template]
    subject = _CONTROL.sub("", subject or "").strip()
    body = _CONTROL.sub("", (body or "").replace("\r\n", "\n")).strip() + "\n"
    errors: dict[str, TranslationString] = {}
    if not subject or "\n" in subject or len(subject) > MAX_SUBJECT:
        errors["subject"] = _(
            "Write the subject on one line, at most ${max} characters.",
            mapping={"max": MAX_SUBJECT},
        )
    if not body.strip() or len(body) > MAX_BODY:
        errors["body"] = _(
            "Write the text of the email, at most ${max} characters.", mapping={"max": MAX_BODY}
        )
    values = sandboxed_context(declared, example_context(declared, journal))
    for field, text in (("subject", subject), ("body", body)):
        if field not in errors:
            problem = _problems(text, declared) or _trial(text, values)
            if problem is not None:
                errors[field] = problem
    if errors:
        raise OverrideError(errors)
    return subject, body


def save(
    db: Session, journal: Any, template: str, lang: str, subject: str, body: str, user: Any
) -> EmailTemplateOverride:
    """Store the journal's own text of ``template`` in ``lang`` (checked first: nothing is
    saved when :class:`OverrideError` is raised)."""
    if template not in TEMPLATES or lang not in EMAIL_LANGUAGES:
        raise KeyError(template)
    subject, body = check(template, subject, body, journal_view(journal))
    row = find(db, journal.id, template, lang)
    if row is None:
        row = EmailTemplateOverride(journal_id=journal.id, template=template, lang=lang)
        db.add(row)
    row.subject, row.body = subject, body
    row.updated_by_id = getattr(user, "id", None)
    row.updated_at = utcnow()
    db.flush()
    return row


def restore_default(db: Session, journal_id: int, template: str, lang: str) -> bool:
    """Delete the journal's own text (the default file is used again); False if none."""
    row = find(db, journal_id, template, lang)
    if row is None:
        return False
    db.delete(row)
    db.flush()
    return True
