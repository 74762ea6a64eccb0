"""OAI-PMH 2.0: the journal's articles for harvesters (BASE, OpenAIRE, CORE, DOAJ …).

The six verbs, two metadata formats (``oai_dc`` and the article's own JATS), sets per
section (article type) and per volume and issue, selective harvesting by date with second
granularity, signed resumption tokens, and deleted records for retracted articles.

The protocol lives here and nowhere else: :func:`respond` takes the request's arguments and
returns the response document. The view only hands it the arguments. Records are made from
the article's JATS (:mod:`.citations` for Dublin Core), so they say what the article page
and the citation downloads say.

Decisions a harvester may want to know:

- Identifiers are ``oai:<repository id>:<DOI>`` (``oai.repository_identifier``, by default
  the host name of ``fde.base_url``); an article without a DOI is ``…:article-<id>``.
- A record's datestamp is the last change of the article row (the JATS, its state, its
  issue), so a re-issued JATS or a retraction is harvested again.
- Retracted articles stay as deleted records for good (``deletedRecord`` = persistent).
- JATS has no namespace of its own, but OAI-PMH requires record metadata to be in one
  (``##other`` with strict processing), so the ``jats`` format puts the article's elements
  in the namespace NLM uses for JATS 1.3 in PubMed Central's OAI service. Attributes and
  the MathML, XLink and ALI namespaces are unchanged.
- IDs in a JATS record get a prefix made from the DOI (``_10.5555_fde.2026.0001-aff1``)
  and references to them follow: an ID must be unique in the whole response, and a page
  of ListRecords holds several articles.
- Resumption tokens are signed (``fde.token_secret``) and carry the whole query and the
  last record returned (not an offset), so records changed during a harvest are neither
  skipped nor, unless they changed, repeated. They expire after ``oai.token_ttl_hours``.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from lxml import etree
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from frontiers_de.articles.models import Article, ArticleState, Issue, IssueState, Volume
from frontiers_de.config import JournalProfile, SiteSettings
from frontiers_de.journals.models import Journal, Section
from frontiers_de.mail.settings import MailSettings
from frontiers_de.production.jats.meta import ArticleMeta, read_article_meta
from frontiers_de.production.jats.sanitise import sanitise
from frontiers_de.publishing.citations import Citation, Placement, citation_from_meta
from frontiers_de.publishing.services import placement_of
from frontiers_de.publishing.settings import PublishingSettings
from frontiers_de.submissions.models import Submission
from frontiers_de.xml.safe import XMLInputError, parse_xml
from frontiers_de.xml.schemas import JATS_OAI_NAMESPACE, SchemaError, validate

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
JATS_OAI_NS = JATS_OAI_NAMESPACE
JATS_SCHEMA = "https://jats.nlm.nih.gov/publishing/1.3/xsd/JATS-journalpublishing1-3-mathml3.xsd"

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DEFAULT_PAGE_SIZE = PublishingSettings.oai_page_size
DEFAULT_TOKEN_TTL_HOURS = PublishingSettings.oai_token_ttl_hours
MAX_TOKEN_LENGTH = 2000

# Articles a harvester sees: the live ones, and retracted ones as deleted records.
LIVE_STATES = (ArticleState.PUBLISHED, ArticleState.CORRECTED)
HARVESTED_STATES = (*LIVE_STATES, ArticleState.RETRACTED)


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str


FORMATS: dict[str, MetadataFormat] = {
    "oai_dc": MetadataFormat("oai_dc", OAI_DC_SCHEMA, OAI_DC_NS),
    "jats": MetadataFormat("jats", JATS_SCHEMA, JATS_OAI_NS),
}

# verb -> (required arguments, optional arguments, exclusive argument)
VERBS: dict[str, tuple[frozenset[str], frozenset[str], str | None]] = {
    "Identify": (frozenset(), frozenset(), None),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"}), None),
    "ListSets": (frozenset(), frozenset(), "resumptionToken"),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset(), None),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set"}),
        "resumptionToken",
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set"}),
        "resumptionToken",
    ),
}

# The value syntax the OAI-PMH schema gives each argument.
_PREFIX_RE = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
_SET_RE = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")
_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_SECONDS_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$", re.ASCII)
# An identifier is a URI: printable, no white space.
_IDENTIFIER_RE = re.compile(r"^[^\s\x00-\x1f\x7f<>\"{}|\\^`]+$")
# Characters XML 1.0 cannot carry.
_NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class OaiError(Exception):
    """An OAI-PMH error condition (``code`` from the protocol's list) and its explanation."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


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


# --- arguments ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ListQuery:
    """What a ListIdentifiers/ListRecords harvest asks for; a resumption token carries it."""

    verb: str
    prefix: str
    set_spec: str | None = None
    start: dt.datetime | None = None  # inclusive
    end: dt.datetime | None = None  # exclusive (until + one unit of its granularity)
    after: tuple[dt.datetime, int] | None = None  # the last record already returned
    cursor: int = 0


def parse_arguments(pairs: Iterable[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, or :class:`OaiError` (badVerb, badArgument) for a missing,
    repeated or unknown verb, a repeated, unknown or missing argument, or a value whose
    syntax is wrong."""
    args: dict[str, str] = {}
    repeated: set[str] = set()
    for key, value in pairs:
        if key in args:
            repeated.add(key)
        args[key] = value
    verb = args.pop("verb", None)
    if "verb" in repeated:
        raise OaiError("badVerb", "The verb argument is repeated.")
    if verb is None:
        raise OaiError("badVerb", "The verb argument is missing.")
    if verb not in VERBS:
        raise OaiError("badVerb", f"{_printable(verb)!r} is not an OAI-PMH verb.")
    if repeated:
        raise OaiError("badArgument", f"Repeated argument(s): {', '.join(sorted(repeated))}.")
    required, optional, exclusive = VERBS[verb]
    allowed = required | optional | ({exclusive} if exclusive else set())
    illegal = sorted(set(args) - allowed)
    if illegal:
        names = ", ".join(_printable(n) for n in illegal)
        raise OaiError("badArgument", f"Illegal argument(s) for {verb}: {names}.")
    if exclusive and exclusive in args:
        if len(args) > 1:
            raise OaiError("badArgument", f"{exclusive} is an exclusive argument.")
    else:
        missing = sorted(required - set(args))
        if missing:
            raise OaiError("badArgument", f"Missing argument(s) for {verb}: {', '.join(missing)}.")
    for key, value in args.items():
        if not value:
            raise OaiError("badArgument", f"The {key} argument is empty.")
        if _NOT_XML_RE.search(value):
            raise OaiError("badArgument", f"The {key} argument has control characters.")
    if "metadataPrefix" in args and not _PREFIX_RE.match(args["metadataPrefix"]):
        raise OaiError("badArgument", "The metadataPrefix has characters a prefix cannot have.")
    if "set" in args and not _SET_RE.match(args["set"]):
        raise OaiError("badArgument", "The set argument is not a setSpec.")
    if "identifier" in args and not _IDENTIFIER_RE.match(args["identifier"]):
        raise OaiError("badArgument", "The identifier is not a URI.")
    return verb, args


def _printable(value: str) -> str:
    return _NOT_XML_RE.sub("?", value)[:100]


def parse_datestamp(value: str, *, end: bool = False) -> tuple[dt.datetime, str]:
    """A from/until value as a UTC datetime and its granularity. With ``end``, the first
    instant after it (``until`` is inclusive at its own granularity)."""
    m = _SECONDS_RE.match(value)
    try:
        if m:
            moment = dt.datetime(*map(int, m.groups()), tzinfo=dt.UTC)
            return (moment + dt.timedelta(seconds=1) if end else moment), "seconds"
        m = _DAY_RE.match(value)
        if m:
            moment = dt.datetime(*map(int, m.groups()), tzinfo=dt.UTC)
            return (moment + dt.timedelta(days=1) if end else moment), "day"
    except (ValueError, OverflowError):
        raise OaiError("badArgument", f"{value!r} is not a date.") from None
    raise OaiError(
        "badArgument", f"{_printable(value)!r} is not in the form YYYY-MM-DD or {GRANULARITY}."
    )


def list_query(verb: str, args: Mapping[str, str]) -> ListQuery:
    """The harvest a first ListIdentifiers/ListRecords request asks for."""
    start = end = None
    granularities = set()
    if "from" in args:
        start, g = parse_datestamp(args["from"])
        granularities.add(g)
    if "until" in args:
        end, g = parse_datestamp(args["until"], end=True)
        granularities.add(g)
    if len(granularities) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if start is not None and end is not None and start >= end:
        raise OaiError("badArgument", "from is later than until.")
    return ListQuery(verb, args["metadataPrefix"], args.get("set"), start, end)


def format_datestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- resumption tokens --------------------------------------------------------------------


class TokenCodec:
    """Signed resumption tokens: a harvester can only hand back what we issued."""

    SALT = "fde.publishing.oai-resumption"

    def __init__(
        self,
        secret: str,
        ttl: dt.timedelta,
        journal_id: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # The clock is a parameter so that tests can issue a token in the past.
        class _Signer(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clock())

        self._serializer = URLSafeTimedSerializer(secret, salt=self.SALT, signer=_Signer)
        self.ttl = ttl
        self.journal_id = journal_id

    def dump(self, query: ListQuery) -> str:
        assert query.after is not None
        payload = {
            "j": self.journal_id,
            "v": query.verb,
            "p": query.prefix,
            "s": query.set_spec,
            "f": query.start.isoformat() if query.start else None,
            "u": query.end.isoformat() if query.end else None,
            "a": [query.after[0].isoformat(), query.after[1]],
            "c": query.cursor,
        }
        return str(self._serializer.dumps(payload))

    def load(self, token: str, verb: str) -> ListQuery:
        bad = OaiError("badResumptionToken", "The resumption token is not one of ours.")
        if len(token) > MAX_TOKEN_LENGTH or not token.isascii():
            raise bad
        try:
            payload = self._serializer.loads(token, max_age=int(self.ttl.total_seconds()))
        except SignatureExpired:
            raise OaiError(
                "badResumptionToken", "The resumption token has expired: start the list again."
            ) from None
        except BadSignature:
            raise bad from None
        try:
            if payload["j"] != self.journal_id or payload["v"] != verb:
                raise OaiError(
                    "badResumptionToken", f"The resumption token does not continue a {verb} list."
                )
            after_at, after_id = payload["a"]
            return ListQuery(
                verb=verb,
                prefix=str(payload["p"]),
                set_spec=payload["s"],
                start=dt.datetime.fromisoformat(payload["f"]) if payload["f"] else None,
                end=dt.datetime.fromisoformat(payload["u"]) if payload["u"] else None,
                after=(dt.datetime.fromisoformat(after_at), int(after_id)),
                cursor=int(payload["c"]),
            )
        except (KeyError, TypeError, ValueError):
            raise bad from None


# --- sets ---------------------------------------------------------------------------------


def spec_token(value: str) -> str:
    """``value`` as one part of a setSpec: characters a setSpec cannot hold (and ``~``)
    become ``~`` and two hex digits per UTF-8 byte, so every value has one spec and back."""
    out = []
    for ch in value:
        if re.match(r"[A-Za-z0-9\-_.]", ch):
            out.append(ch)
        else:
            out.extend(f"~{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out) or "~"


def spec_value(token: str) -> str | None:
    """The value :func:`spec_token` made ``token`` from, or None when it cannot be one."""
    if token == "~":
        return ""
    out = bytearray()
    i = 0
    while i < len(token):
        ch = token[i]
        if ch == "~":
            hexa = token[i + 1 : i + 3]
            if not re.fullmatch(r"[0-9A-F]{2}", hexa):
                return None
            out.append(int(hexa, 16))
            i += 3
        elif re.match(r"[A-Za-z0-9\-_.]", ch):
            out += ch.encode("ascii")
            i += 1
        else:
            return None
    try:
        value = out.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return value if spec_token(value) == token else None


@dataclass(frozen=True)
class OaiSet:
    spec: str
    name: str
    description: str = ""


SECTION_SETS = "section"
VOLUME_SETS = "volume"


# --- the records --------------------------------------------------------------------------


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


def _jats_tree(article: Article) -> etree._ElementTree | None:
    if not article.jats_xml:
        return None
    try:
        return parse_xml(article.jats_xml.encode("utf-8"))
    except XMLInputError:
        return None


# Attributes of JATS 1.3 (and its MathML and ALI modules) that hold IDs, and those that
# refer to them (types xsd:ID and xsd:IDREF/IDREFS in the schema).
_ID_ATTRIBUTE = "id"
_IDREF_ATTRIBUTES = (
    "rid",
    "headers",
    "continued-from",
    "glyph-data",
    "pointer-to-explained",
    "pointer-to-question",
)
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def id_prefix(article: Article) -> str:
    """What goes before each ID of the article's JATS in a record: IDs must be unique in
    the whole response, and one ListRecords page holds several articles, each with its
    ``aff1``. Made from the DOI, so it is the same in every response."""
    local = article.doi or f"article-{article.id}"
    return "_" + re.sub(r"[^A-Za-z0-9._-]", "_", local) + "-"


def jats_metadata(root: etree._Element, prefix: str = "") -> etree._Element:
    """A copy of the JATS ``<article>`` with its un-namespaced elements in
    :data:`JATS_OAI_NS` and a schemaLocation, as OAI-PMH record metadata must be; with
    ``prefix`` in front of every ID and every reference to one (``rid``, ``#`` links)."""
    # Published JATS has passed the house rules, but one stored before they refused foreign
    # markup must not reach harvesters with it either.
    root = sanitise(deepcopy(root)).root
    nsmap: dict[str | None, str] = {k: v for k, v in root.nsmap.items() if k}
    nsmap[None] = JATS_OAI_NS
    nsmap.setdefault("xsi", XSI_NS)
    article = etree.Element(f"{{{JATS_OAI_NS}}}article", nsmap=nsmap)
    for name, value in root.attrib.items():
        article.set(name, value)
    article.set(f"{{{XSI_NS}}}schemaLocation", f"{JATS_OAI_NS} {JATS_SCHEMA}")
    article.text = root.text
    for child in root:
        article.append(child)
    for el in article.iter():
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).namespace is None:
            el.tag = f"{{{JATS_OAI_NS}}}{el.tag}"
        if not prefix:
            continue
        if _ID_ATTRIBUTE in el.attrib:
            el.set(_ID_ATTRIBUTE, prefix + el.get(_ID_ATTRIBUTE, "").strip())
        for name in _IDREF_ATTRIBUTES:
            if name in el.attrib:
                el.set(name, " ".join(prefix + ref for ref in el.get(name, "").split()))
        href = el.get(_XLINK_HREF)
        if href and href.startswith("#") and len(href) > 1:
            el.set(_XLINK_HREF, "#" + prefix + href[1:])
    return article


def dublin_core(c: Citation) -> etree._Element:
    """Simple Dublin Core (``oai_dc``) for one article."""
    dc = etree.Element(
        f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    dc.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def put(name: str, value: str, lang: str | None = None) -> None:
        value = " ".join(_NOT_XML_RE.sub("", value).split())
        if value:
            el = etree.SubElement(dc, f"{{{DC_NS}}}{name}")
            el.text = value
            if lang:
                el.set(XML_LANG, lang)

    put("title", c.title, c.language)
    for lang, title in c.trans_titles:
        put("title", title, lang)
    for person in c.authors:
        put("creator", person.inverted_name)
    for keyword in c.keywords:
        put("subject", keyword, c.language)
    put("description", c.abstract, c.language)
    for lang, text in c.trans_abstracts:
        put("description", text, lang)
    put("publisher", c.publisher)
    if c.published is not None:
        put("date", c.published.iso())
    put("type", "Text")
    put("type", "info:eu-repo/semantics/article")
    if c.heading:
        put("type", c.heading)
    if c.pdf_url:
        put("format", "application/pdf")
    if c.doi:
        put("identifier", f"https://doi.org/{c.doi}")
    put("identifier", c.url)
    source = c.journal_title
    if c.volume:
        source += f"; Vol. {c.volume}"
        if c.issue:
            source += f" No. {c.issue}"
        if c.year:
            source += f" ({c.year})"
    if c.locator:
        source += f"; {c.locator}"
    put("source", source)
    for issn in c.issns:
        put("source", f"ISSN {issn}")
    put("language", c.language)
    put("rights", c.licence_url)
    return dc


# --- the response -------------------------------------------------------------------------


def _oai(tag: str) -> str:
    return f"{{{OAI_NS}}}{tag}"


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str | None
) -> etree._Element:
    el = etree.SubElement(parent, _oai(tag), {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = text
    return el


def _envelope(
    now: dt.datetime, base_url: str, verb: str | None, args: Mapping[str, str]
) -> etree._Element:
    root = etree.Element(_oai("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    _sub(root, "responseDate", format_datestamp(now))
    request = _sub(root, "request", base_url)
    if verb is not None:
        request.set("verb", verb)
        for key in sorted(args):
            request.set(key, args[key])
    return root


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _header(parent: etree._Element, repo: Repository, row: RecordRow) -> None:
    header = _sub(parent, "header", status="deleted" if row.deleted else None)
    _sub(header, "identifier", repo.identifier(row.article))
    _sub(header, "datestamp", format_datestamp(row.datestamp))
    for spec in row.set_specs:
        _sub(header, "setSpec", spec)


def _record(parent: etree._Element, repo: Repository, row: RecordRow, prefix: str) -> None:
    record = _sub(parent, "record")
    _header(record, repo, row)
    if not row.deleted:
        _sub(record, "metadata").append(repo.metadata(row, prefix))


def respond(
    pairs: Sequence[tuple[str, str]], repo: Repository, now: dt.datetime | None = None
) -> bytes:
    """The OAI-PMH response document to a request with these arguments (query string or
    form body, in order, repeats kept)."""
    now = now or dt.datetime.now(dt.UTC)
    base_url = repo.config.base_url
    try:
        verb, args = parse_arguments(pairs)
    except OaiError as exc:
        # After badVerb or badArgument the request element carries no attributes.
        root = _envelope(now, base_url, None, {})
        _sub(root, "error", exc.message, code=exc.code)
        return _serialise(root)
    try:
        body = _VERB_HANDLERS[verb](repo, args, now)
    except OaiError as exc:
        bad_request = exc.code in ("badVerb", "badArgument")
        root = _envelope(now, base_url, None if bad_request else verb, args)
        _sub(root, "error", exc.message, code=exc.code)
    else:
        root = _envelope(now, base_url, verb, args)
        root.append(body)
    return _serialise(root)


def _identify(repo: Repository, args: Mapping[str, str], now: dt.datetime) -> etree._Element:
    el = etree.Element(_oai("Identify"))
    _sub(el, "repositoryName", repo.journal.title)
    _sub(el, "baseURL", repo.config.base_url)
    _sub(el, "protocolVersion", "2.0")
    for email in repo.config.admin_emails:
        _sub(el, "adminEmail", email)
    _sub(el, "earliestDatestamp", format_datestamp(repo.earliest_datestamp()))
    _sub(el, "deletedRecord", "persistent")
    _sub(el, "granularity", GRANULARITY)
    return el


def _list_metadata_formats(
    repo: Repository, args: Mapping[str, str], now: dt.datetime
) -> etree._Element:
    formats = list(FORMATS.values())
    if "identifier" in args:
        row = repo.find(args["identifier"])
        if row is None:
            raise OaiError("idDoesNotExist", "No record has this identifier.")
        formats = repo.formats_of(row)
    el = etree.Element(_oai("ListMetadataFormats"))
    for fmt in formats:
        mf = _sub(el, "metadataFormat")
        _sub(mf, "metadataPrefix", fmt.prefix)
        _sub(mf, "schema", fmt.schema)
        _sub(mf, "metadataNamespace", fmt.namespace)
    return el


def _list_sets(repo: Repository, args: Mapping[str, str], now: dt.datetime) -> etree._Element:
    if "resumptionToken" in args:
        # Every set is in the first response, so no token of ours continues this list.
        raise OaiError("badResumptionToken", "ListSets is complete in one response.")
    sets = repo.sets()
    if not sets:
        raise OaiError("noSetHierarchy", "This repository has no sets.")
    el = etree.Element(_oai("ListSets"))
    for s in sets:
        set_el = _sub(el, "set")
        _sub(set_el, "setSpec", s.spec)
        _sub(set_el, "setName", s.name)
        if s.description:
            description = _sub(set_el, "setDescription")
            dc = etree.SubElement(
                description,
                f"{{{OAI_DC_NS}}}dc",
                nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS},
            )
            etree.SubElement(dc, f"{{{DC_NS}}}description").text = s.description
    return el


def _check_prefix(prefix: str) -> None:
    if prefix not in FORMATS:
        raise OaiError(
            "cannotDisseminateFormat",
            f"The metadata formats are {', '.join(FORMATS)}; {prefix!r} is not one of them.",
        )


def _get_record(repo: Repository, args: Mapping[str, str], now: dt.datetime) -> etree._Element:
    row = repo.find(args["identifier"])
    if row is None:
        raise OaiError("idDoesNotExist", "No record has this identifier.")
    prefix = args["metadataPrefix"]
    _check_prefix(prefix)
    if FORMATS[prefix] not in repo.formats_of(row):
        raise OaiError("cannotDisseminateFormat", f"This record is not available as {prefix}.")
    el = etree.Element(_oai("GetRecord"))
    _record(el, repo, row, prefix)
    return el


_Handler = Callable[["Repository", Mapping[str, str], dt.datetime], etree._Element]


def _list(verb: str) -> _Handler:
    def handler(repo: Repository, args: Mapping[str, str], now: dt.datetime) -> etree._Element:
        codec = TokenCodec(repo.config.secret, repo.config.token_ttl, repo.journal.id)
        if "resumptionToken" in args:
            query = codec.load(args["resumptionToken"], verb)
        else:
            query = list_query(verb, args)
            _check_prefix(query.prefix)
            if query.set_spec and not repo.sets():
                raise OaiError("noSetHierarchy", "This repository has no sets.")
        rows, total, more = repo.page(query)
        if not rows:
            raise OaiError("noRecordsMatch", "No records match the arguments.")
        el = etree.Element(_oai(verb))
        for row in rows:
            if verb == "ListRecords":
                _record(el, repo, row, query.prefix)
            else:
                _header(el, repo, row)
        if more or query.after is not None:
            # The last page of a list that took several requests gets an empty token.
            attrs = {
                "completeListSize": str(max(total, query.cursor + len(rows))),
                "cursor": str(query.cursor),
            }
            token = None
            if more:
                last = rows[-1]
                following = ListQuery(
                    verb,
                    query.prefix,
                    query.set_spec,
                    query.start,
                    query.end,
                    (last.datestamp, last.article.id),
                    query.cursor + len(rows),
                )
                token = codec.dump(following)
                attrs["expirationDate"] = format_datestamp(now + codec.ttl)
            _sub(el, "resumptionToken", token, **attrs)
        return el

    return handler


_VERB_HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": _list("ListIdentifiers"),
    "ListRecords": _list("ListRecords"),
}


def validate_response(
    document: bytes | etree._Element, settings: Mapping[str, Any] | None = None
) -> list[SchemaError]:
    """Every schema error of a response (an empty list: valid), against the official
    OAI-PMH schema with its record metadata checked strictly: oai_dc against its schema,
    JATS against the JATS 1.3 schema (``fde.schema_dir``)."""
    root = parse_xml(document).getroot() if isinstance(document, bytes) else document
    return validate(root, "oai-pmh-response", settings)
