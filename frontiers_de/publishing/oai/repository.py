"""The repository: the journal's harvestable articles (published, corrected, and
retracted ones as deleted records), their sets and pages of a harvest, read through one
session; and its settings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from lxml import etree
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from frontiers_de.articles.models import Article, ArticleState, Issue, IssueState, Volume
from frontiers_de.config import JournalProfile, SiteSettings
from frontiers_de.journals.models import Journal, Section
from frontiers_de.mail.settings import MailSettings
from frontiers_de.production.jats.meta import ArticleMeta, read_article_meta
from frontiers_de.publishing.citations import Placement, citation_from_meta
from frontiers_de.publishing.oai.crosswalks import (
    FORMATS,
    MetadataFormat,
    _jats_tree,
    dublin_core,
    id_prefix,
    jats_metadata,
)
from frontiers_de.publishing.oai.protocol import ListQuery, OaiError, spec_token, spec_value
from frontiers_de.publishing.services import placement_of
from frontiers_de.publishing.settings import PublishingSettings
from frontiers_de.submissions.models import Submission

DEFAULT_PAGE_SIZE = PublishingSettings.oai_page_size
DEFAULT_TOKEN_TTL_HOURS = PublishingSettings.oai_token_ttl_hours

# Articles a harvester sees: the live ones, and retracted ones as deleted records.
LIVE_STATES = (ArticleState.PUBLISHED, ArticleState.CORRECTED)
HARVESTED_STATES = (*LIVE_STATES, ArticleState.RETRACTED)


@dataclass(frozen=True)
class OaiConfig:
    """The repository's settings (``oai.*``), read once per request."""

    base_url: str  # the endpoint, as harvesters call it
    site_url: str  # where the article pages are
    repository_identifier: str
    secret: str
    page_size: int = DEFAULT_PAGE_SIZE
    token_ttl: dt.timedelta = dt.timedelta(hours=DEFAULT_TOKEN_TTL_HOURS)
    admin_emails: tuple[str, ...] = ()

    @classmethod
    def from_settings(
        cls, settings: Mapping[str, Any], *, base_url: str, site_url: str, journal: Journal
    ) -> OaiConfig:
        site, publishing = SiteSettings.of(settings), PublishingSettings.of(settings)
        secret = site.token_secret
        if len(secret) < 16:
            raise ValueError("fde.token_secret (FDE_TOKEN_SECRET) must be at least 16 characters")
        configured = publishing.oai_repository_identifier.strip()
        host = urlsplit(site.base_url or site_url).hostname or "localhost"
        emails = publishing.oai_admin_email.split()
        if not emails:
            sender = MailSettings.of(settings).default_sender
            fallback = journal.depositor_email or _address(sender)
            emails = [fallback] if fallback else []
        return cls(
            base_url=base_url,
            site_url=site_url.rstrip("/"),
            repository_identifier=configured or host,
            secret=secret,
            page_size=publishing.oai_page_size,
            token_ttl=dt.timedelta(hours=publishing.oai_token_ttl_hours),
            admin_emails=tuple(emails),
        )


def _address(sender: Any) -> str:
    """``no-reply@x.org`` from ``Name <no-reply@x.org>``."""
    m = re.search(r"[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+", str(sender or ""))
    return m[0] if m else ""


@dataclass(frozen=True)
class OaiSet:
    spec: str
    name: str
    description: str = ""


SECTION_SETS = "section"
VOLUME_SETS = "volume"


@dataclass
class RecordRow:
    article: Article
    section_code: str | None
    volume_number: int | None
    issue_number: str | None
    issue_year: int | None = None

    @property
    def deleted(self) -> bool:
        return self.article.state is ArticleState.RETRACTED

    @property
    def datestamp(self) -> dt.datetime:
        return self.article.updated_at

    @property
    def set_specs(self) -> list[str]:
        specs = []
        if self.section_code is not None:
            specs.append(f"{SECTION_SETS}:{spec_token(self.section_code)}")
        if self.volume_number is not None and self.issue_number is not None:
            specs.append(f"{VOLUME_SETS}:{self.volume_number}:{spec_token(self.issue_number)}")
        return specs


@dataclass
class Repository:
    """The journal's harvestable articles, read through one session."""

    db: Session
    journal: Journal
    config: OaiConfig
    profile: JournalProfile = field(init=False)

    def __post_init__(self) -> None:
        self.profile = self.journal.profile(self.config.site_url)

    # identifiers

    def identifier(self, article: Article) -> str:
        local = article.doi or f"article-{article.id}"
        return f"oai:{self.config.repository_identifier}:{quote(local, safe=_LOCAL_SAFE)}"

    def _local_id(self, identifier: str) -> str | None:
        prefix = f"oai:{self.config.repository_identifier}:"
        if not identifier.lower().startswith(prefix.lower()):
            return None
        return unquote(identifier[len(prefix) :])

    # queries

    def _joined(self, stmt: Select[Any]) -> Select[Any]:
        return (
            stmt.outerjoin(Submission, Submission.id == Article.submission_id)
            .outerjoin(Section, Section.id == Submission.section_id)
            .outerjoin(Issue, Issue.id == Article.issue_id)
            .outerjoin(Volume, Volume.id == Issue.volume_id)
            .where(Article.journal_id == self.journal.id, Article.state.in_(HARVESTED_STATES))
        )

    def _select(self) -> Select[Any]:
        return self._joined(select(Article, Section.code, Volume.number, Issue.number, Issue.year))

    def find(self, identifier: str) -> RecordRow | None:
        local = self._local_id(identifier)
        if not local:
            return None
        m = re.fullmatch(r"article-(\d{1,18})", local)
        if m:
            condition = and_(Article.id == int(m[1]), Article.doi.is_(None))
        else:
            condition = func.lower(Article.doi) == local.lower()
        row = self.db.execute(self._select().where(condition)).first()
        return RecordRow(*row) if row else None

    def earliest_datestamp(self) -> dt.datetime:
        earliest = self.db.scalar(
            select(func.min(Article.updated_at)).where(
                Article.journal_id == self.journal.id, Article.state.in_(HARVESTED_STATES)
            )
        )
        return earliest or self.journal.created_at

    def sets(self) -> list[OaiSet]:
        """Two hierarchies: ``section:<code>`` (the journal's sections, each an article type)
        and ``volume:<number>:<issue>``; with each hierarchy's parents."""
        out: list[OaiSet] = []
        used = set(
            self.db.scalars(
                select(Submission.section_id)
                .join(Article, Article.submission_id == Submission.id)
                .where(Article.journal_id == self.journal.id, Article.state.in_(HARVESTED_STATES))
            )
        )
        for section in self.journal.sections:
            if section.is_active or section.id in used:
                if not out:
                    out.append(OaiSet(SECTION_SETS, "Articles by section (article type)"))
                out.append(
                    OaiSet(
                        f"{SECTION_SETS}:{spec_token(section.code)}",
                        section.name,
                        f"Articles of the section {section.name} "
                        f"(JATS article-type {section.article_type}).",
                    )
                )
        issues = self.db.execute(
            select(Volume.number, Volume.year, Issue.number, Issue.year, Issue.title)
            .join(Issue, Issue.volume_id == Volume.id)
            .where(
                Volume.journal_id == self.journal.id,
                or_(
                    Issue.state == IssueState.PUBLISHED,
                    Issue.id.in_(
                        select(Article.issue_id).where(Article.state.in_(HARVESTED_STATES))
                    ),
                ),
            )
            .order_by(Volume.number, Issue.id)
        ).all()
        if issues:
            out.append(OaiSet(VOLUME_SETS, "Articles by volume and issue"))
        seen_volumes: set[int] = set()
        for volume, volume_year, issue, issue_year, title in issues:
            if volume not in seen_volumes:
                seen_volumes.add(volume)
                out.append(OaiSet(f"{VOLUME_SETS}:{volume}", f"Volume {volume} ({volume_year})"))
            name = f"Volume {volume}, Issue {issue} ({issue_year})"
            out.append(
                OaiSet(
                    f"{VOLUME_SETS}:{volume}:{spec_token(issue)}",
                    f"{name}: {title}" if title else name,
                )
            )
        return out

    def _set_condition(self, spec: str) -> ColumnElement[bool] | None:
        """The SQL condition for membership of ``spec``; None when no such set can exist."""
        parts = spec.split(":")
        if parts[0] == SECTION_SETS:
            if len(parts) == 1:
                return Section.id.is_not(None)
            code = spec_value(parts[1]) if len(parts) == 2 else None
            return Section.code == code if code else None
        if parts[0] == VOLUME_SETS:
            if len(parts) == 1:
                return Issue.id.is_not(None)
            if not re.fullmatch(r"\d{1,9}", parts[1]) or len(parts) > 3:
                return None
            condition = Volume.number == int(parts[1])
            if len(parts) == 3:
                issue = spec_value(parts[2])
                if issue is None:
                    return None
                condition = and_(condition, Issue.number == issue)
            return condition
        return None

    def _conditions(self, query: ListQuery) -> list[ColumnElement[bool]] | None:
        """The query's filters; None when its set cannot exist."""
        conditions: list[ColumnElement[bool]] = []
        if query.set_spec:
            condition = self._set_condition(query.set_spec)
            if condition is None:
                return None
            conditions.append(condition)
        if query.start is not None:
            conditions.append(Article.updated_at >= query.start)
        if query.end is not None:
            conditions.append(Article.updated_at < query.end)
        return conditions

    def page(self, query: ListQuery) -> tuple[list[RecordRow], int, bool]:
        """The next page of the harvest, the size of the whole list, and whether more
        follow."""
        conditions = self._conditions(query)
        if conditions is None:
            return [], 0, False
        total = self.db.scalar(self._joined(select(func.count(Article.id))).where(*conditions))
        stmt = self._select().where(*conditions)
        if query.after is not None:
            at, last_id = query.after
            stmt = stmt.where(
                or_(
                    Article.updated_at > at,
                    and_(Article.updated_at == at, Article.id > last_id),
                )
            )
        rows = self.db.execute(
            stmt.order_by(Article.updated_at, Article.id).limit(self.config.page_size + 1)
        ).all()
        more = len(rows) > self.config.page_size
        return [RecordRow(*r) for r in rows[: self.config.page_size]], total or 0, more

    # metadata

    def placement(self, row: RecordRow) -> Placement:
        return placement_of(row.article, self.config.site_url, row.volume_number, row.issue_number)

    def formats_of(self, row: RecordRow) -> list[MetadataFormat]:
        if row.article.jats_xml or row.deleted:
            return list(FORMATS.values())
        return [FORMATS["oai_dc"]]

    def metadata(self, row: RecordRow, prefix: str) -> etree._Element:
        tree = _jats_tree(row.article)
        if prefix == "jats":
            if tree is None:
                raise OaiError("cannotDisseminateFormat", "This record has no JATS to disseminate.")
            return jats_metadata(tree.getroot(), id_prefix(row.article))
        meta = read_article_meta(tree) if tree is not None else ArticleMeta()
        return dublin_core(citation_from_meta(meta, self.profile, self.placement(row)))


# The characters an oai-identifier's local part may hold as they are (oai-identifier spec).
_LOCAL_SAFE = "-_.!~*'();/?:@&=+$,"
