"""Demo content for a fresh installation (``fde seed-demo``, run by ``make serve``).

The demo journal is the installation's default journal; beside it: one user for every role
(with known passwords, printed by the command), submissions in the main workflow states
with their contributors, funding, review rounds, reviews and decisions, and a published
volume/issue with one article. Seeding is idempotent: what exists (users by email,
submissions by title, volumes and issues by number) is left as it is, so a second run adds
nothing and never overwrites what someone changed while trying the demo.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontiers_de.accounts.models import User
from frontiers_de.articles import placement
from frontiers_de.articles.models import Article, ArticleState, Issue, IssueState, Volume
from frontiers_de.editorial.models import DecisionKind
from frontiers_de.journals.models import Journal, Section
from frontiers_de.mail.services import mail_held
from frontiers_de.review.models import (
    AssignmentState,
    Recommendation,
    Review,
    ReviewAssignment,
    ReviewRound,
)
from frontiers_de.security.roles import Role
from frontiers_de.submissions.models import Contributor, Funding, Submission, SubmissionState

DEMO_YEAR = 2026


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoUser:
    key: str
    email: str
    given_name: str
    family_name: str
    roles: tuple[Role, ...]
    password: str
    native_name: str = ""
    preferred_language: str = "en"
    affiliation: str = ""
    interests: tuple[str, ...] = ()  # research interests: what the reviewer finder matches

    @property
    def role_label(self) -> str:
        return ", ".join(r.label for r in self.roles)


# The demo passwords are public (README, `make serve` prints them): a demo database must
# never hold real data.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "admin@fde.example.org", "Ada", "Okafor", (Role.ADMIN,), "fde-demo-admin"),
    DemoUser(
        "eic",
        "eic@fde.example.org",
        "Wei",
        "Zhang",
        (Role.EDITOR_IN_CHIEF,),
        "fde-demo-chief",
        native_name="张伟",
        preferred_language="zh",
        affiliation="Tsinghua University",
    ),
    DemoUser(
        "editor",
        "editor@fde.example.org",
        "Maria",
        "Santos",
        (Role.SECTION_EDITOR,),
        "fde-demo-editor",
        affiliation="University of Lisbon",
    ),
    DemoUser(
        "production",
        "production@fde.example.org",
        "Lena",
        "Fischer",
        (Role.PRODUCTION_EDITOR,),
        "fde-demo-production",
    ),
    DemoUser(
        "reviewer",
        "reviewer@fde.example.org",
        "Kwame",
        "Mensah",
        (Role.REVIEWER,),
        "fde-demo-reviewer",
        affiliation="University of Ghana",
        interests=("learning analytics", "mobile learning", "teacher education"),
    ),
    DemoUser(
        "reviewer2",
        "reviewer2@fde.example.org",
        "Na",
        "Li",
        (Role.REVIEWER,),
        "fde-demo-reviewer2",
        native_name="李娜",
        preferred_language="zh",
        affiliation="East China Normal University",
        interests=("教育数字化", "online learning", "educational assessment"),
    ),
    DemoUser(
        "author",
        "author@fde.example.org",
        "Amira",
        "Haddad",
        (Role.AUTHOR,),
        "fde-demo-author",
        affiliation="American University of Beirut",
    ),
)

# Funder Registry DOI of the National Natural Science Foundation of China.
NSFC = ("National Natural Science Foundation of China", "10.13039/501100001809")


@dataclass(frozen=True)
class DemoSubmission:
    title: str
    state: SubmissionState
    section: str
    abstract: str
    keywords: tuple[str, ...]
    title_zh: str = ""
    funded: bool = False


DEMO_SUBMISSIONS: tuple[DemoSubmission, ...] = (
    DemoSubmission(
        "Teacher dashboards in rural primary schools: a design study",
        SubmissionState.DRAFT,
        "research-article",
        "We describe the co-design of a learning-analytics dashboard with teachers in rural "
        "primary schools and report what they used it for during one school term.",
        ("learning analytics", "dashboards", "rural education"),
    ),
    DemoSubmission(
        "Generative AI feedback on undergraduate essays: a randomised trial",
        SubmissionState.SUBMITTED,
        "research-article",
        "Students in a first-year writing course received feedback on drafts from a "
        "generative model or from peers; we compare revision quality and time on task.",
        ("generative AI", "feedback", "academic writing"),
        title_zh="生成式人工智能对本科论文的反馈：一项随机试验",
        funded=True,
    ),
    DemoSubmission(
        "Massive open online courses ten years on: a systematic review of completion",
        SubmissionState.UNDER_REVIEW,
        "review",
        "A systematic review of 142 studies on completion and persistence in MOOCs "
        "published between 2014 and 2024, with a meta-analysis of intervention effects.",
        ("MOOC", "completion", "systematic review"),
    ),
    DemoSubmission(
        "Blended learning in vocational education: evidence from Shanghai",
        SubmissionState.REVISION_REQUESTED,
        "research-article",
        "A mixed-methods study of blended courses in twelve vocational colleges, linking "
        "platform logs to examination results and interviews with instructors.",
        ("blended learning", "vocational education", "mixed methods"),
        title_zh="职业教育中的混合式学习：来自上海的证据",
        funded=True,
    ),
    DemoSubmission(
        "Data governance for school learning platforms: a perspective",
        SubmissionState.ACCEPTED,
        "perspective",
        "Schools collect more learning data than they can govern. We argue for shared "
        "data stewardship between schools, districts and platform providers.",
        ("data governance", "privacy", "schools"),
    ),
    DemoSubmission(
        "Digital education after the pandemic: what stayed and what went",
        SubmissionState.PUBLISHED,
        "research-article",
        "Survey data from 3,400 teachers in five countries show which digital practices "
        "adopted during school closures remained in use two years later.",
        ("digital education", "teacher practice", "survey"),
        title_zh="疫情之后的数字教育：留下了什么，放弃了什么",
        funded=True,
    ),
    DemoSubmission(
        "A gamified spelling app and reading outcomes: a pilot",
        SubmissionState.REJECTED,
        "case-study",
        "A twelve-pupil pilot of a gamified spelling application in one classroom.",
        ("gamification", "literacy"),
    ),
)

# The path of workflow moves from draft to each demo state (DESIGN.md, "Workflow"), so that
# the audit trail of a demo submission reads like a real one.
_PATHS: dict[SubmissionState, tuple[tuple[str, SubmissionState], ...]] = {
    SubmissionState.DRAFT: (),
    SubmissionState.SUBMITTED: (("submit", SubmissionState.SUBMITTED),),
    SubmissionState.UNDER_REVIEW: (
        ("submit", SubmissionState.SUBMITTED),
        ("send_to_review", SubmissionState.UNDER_REVIEW),
    ),
    SubmissionState.REVISION_REQUESTED: (
        ("submit", SubmissionState.SUBMITTED),
        ("send_to_review", SubmissionState.UNDER_REVIEW),
        ("decide", SubmissionState.REVISION_REQUESTED),
    ),
    SubmissionState.ACCEPTED: (
        ("submit", SubmissionState.SUBMITTED),
        ("send_to_review", SubmissionState.UNDER_REVIEW),
        ("decide", SubmissionState.ACCEPTED),
    ),
    SubmissionState.PUBLISHED: (
        ("submit", SubmissionState.SUBMITTED),
        ("send_to_review", SubmissionState.UNDER_REVIEW),
        ("decide", SubmissionState.ACCEPTED),
        ("start_production", SubmissionState.IN_PRODUCTION),
        ("publish", SubmissionState.PUBLISHED),
    ),
    SubmissionState.REJECTED: (
        ("submit", SubmissionState.SUBMITTED),
        ("desk_reject", SubmissionState.REJECTED),
    ),
}


@dataclass
class SeedReport:
    journal: str = ""
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def __str__(self) -> str:
        if not self.created:
            return f"Demo data for journal {self.journal!r} already present; nothing added."
        added = ", ".join(f"{n} {what}" for what, n in self.created.items())
        return f"Demo data for journal {self.journal!r}: added {added}."


def seed(db: Session, settings: Mapping[str, Any], now: dt.datetime | None = None) -> SeedReport:
    """Add whatever of the demo content is missing (see the module docstring)."""
    from frontiers_de.accounts.services import AccountService
    from frontiers_de.deadlines.rules import seed_rules
    from frontiers_de.journals.services import ensure_default_journal

    now = now or dt.datetime.now(dt.UTC)
    journal = ensure_default_journal(db, settings)
    report = SeedReport(journal=journal.code)
    accounts = AccountService.from_settings(db, settings)
    users: dict[str, User] = {}
    for demo in DEMO_USERS:
        user = accounts.find_by_email(demo.email)
        if user is None:
            user = accounts.create_user(
                demo.email,
                demo.password,
                given_name=demo.given_name,
                family_name=demo.family_name,
                preferred_language=demo.preferred_language,
                verified=True,
            )
            user.native_name = demo.native_name
            user.affiliation = demo.affiliation
            user.research_interests = list(demo.interests)
            report.add("users")
        for role in demo.roles:
            if role not in user.roles_in(journal.id):
                accounts.grant_role(user, journal.id, role)
                report.add("role assignments")
        users[demo.key] = user
    # Authors also review and reviewers also write: the author can be invited, too.
    if Role.AUTHOR not in users["reviewer2"].roles_in(journal.id):
        accounts.grant_role(users["reviewer2"], journal.id, Role.AUTHOR)
        report.add("role assignments")

    _complete_journal_settings(journal, report)
    if seed_rules(db, journal.id):
        report.add("deadline rules")
    sections = {s.code: s for s in journal.sections}
    issue = _ensure_issue(db, journal, now, report)
    for index, demo in enumerate(DEMO_SUBMISSIONS):
        exists = db.scalar(
            select(Submission.id).where(
                Submission.journal_id == journal.id, Submission.title == demo.title
            )
        )
        if exists is None:
            # The demo's papers move through the workflow's own transitions, whose
            # subscribers would email its people: seeding tells nobody anything.
            with mail_held(db):
                _add_submission(db, settings, journal, sections, users, demo, index, issue, now)
            report.add("submissions")
    _ensure_site_content(db, settings, journal, issue, users["eic"], report)
    db.flush()
    return report


DEMO_NEWS = (
    (
        "en",
        "Call for papers: learning analytics in schools",
        "The journal invites papers for a special issue on learning analytics in primary and "
        "secondary schools: what teachers do with the data, and what it does to them.\n\n"
        "- Full papers by 30 June\n- Reviews of the evidence are welcome too\n\n"
        "See the [author guidelines](/about/author-guidelines) before you submit.",
    ),
    (
        "zh",
        "征稿：中小学学习分析专刊",
        "本刊现为中小学学习分析专刊征稿，关注教师如何使用数据，以及数据如何影响教师。\n\n"
        "- 全文截稿日期：6 月 30 日\n- 亦欢迎证据综述类文章\n\n"
        "投稿前请阅读[作者指南](/about/author-guidelines)。",
    ),
)


def _ensure_site_content(
    db: Session,
    settings: Mapping[str, Any],
    journal: Journal,
    issue: Issue,
    chief: User,
    report: SeedReport,
) -> None:
    """Two announcements (English and Chinese) and a cover for the demo's issue."""
    from frontiers_de.articles.covers import set_cover
    from frontiers_de.site import news
    from frontiers_de.storage import storage_from_settings

    if not news.all_posts(db, journal.id):
        for language, title, body in DEMO_NEWS:
            news.post(db, journal.id, chief, title, body, language)
            report.add("announcements")
    if issue.cover_sha256 is None:
        set_cover(db, storage_from_settings(dict(settings)), issue, demo_cover(), None)
        report.add("issue covers")


def demo_cover() -> bytes:
    """A plain cover for the demo's issue: the journal's colours and name, drawn here."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (600, 800), (18, 52, 86))
    draw = ImageDraw.Draw(image)
    for y in range(520, 800, 14):  # a band of lines, for something to look at
        draw.line([(0, y), (600, y - 120)], fill=(40, 110, 150), width=5)
    big, small = ImageFont.load_default(size=46), ImageFont.load_default(size=28)
    for i, line in enumerate(("Frontiers of", "Digital", "Education")):
        draw.text((48, 80 + i * 58), line, font=big, fill=(255, 255, 255))
    draw.text((48, 300), f"Volume 1 · Issue 1 · {DEMO_YEAR}", font=small, fill=(190, 220, 240))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# ISSNs for the demo journal when the installation configured none (fde.journal.issn_*):
# valid numbers in a range no registered journal of ours uses, and the Crossref test prefix
# for DOIs. A real installation sets its own in the admin pages.
DEMO_ISSN_PRINT = "2999-0009"
DEMO_ISSN_ONLINE = "2999-0017"
DEMO_DOI_PREFIX = "10.5555"


def _complete_journal_settings(journal: Journal, report: SeedReport) -> None:
    """The settings production needs (ISSN, DOI prefix), through the journal service."""
    from frontiers_de.journals.services import update_journal

    values: dict[str, str] = {}
    if not journal.issn_print and not journal.issn_online:
        values.update(issn_print=DEMO_ISSN_PRINT, issn_online=DEMO_ISSN_ONLINE)
    if not journal.doi_prefix:
        values["doi_prefix"] = DEMO_DOI_PREFIX
    if values:
        update_journal(journal, values)
        report.add("journal settings", len(values))


def _ensure_issue(db: Session, journal: Journal, now: dt.datetime, report: SeedReport) -> Issue:
    volume = db.scalar(select(Volume).where(Volume.journal_id == journal.id, Volume.number == 1))
    if volume is None:
        volume = Volume(journal_id=journal.id, number=1, year=DEMO_YEAR)
        db.add(volume)
        db.flush()
        report.add("volumes")
    issue = db.scalar(select(Issue).where(Issue.volume_id == volume.id, Issue.number == "1"))
    if issue is None:
        issue = Issue(
            journal_id=journal.id,
            volume_id=volume.id,
            number="1",
            year=DEMO_YEAR,
            title="Digital education after the pandemic",
            state=IssueState.PUBLISHED,
            published_at=now,
        )
        db.add(issue)
        db.flush()
        report.add("issues")
    return issue


def _token_hash() -> str:
    # Invitation tokens are only ever stored hashed; the demo's are never sent to anyone.
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def _add_submission(
    db: Session,
    settings: Mapping[str, Any],
    journal: Journal,
    sections: dict[str, Section],
    users: dict[str, User],
    demo: DemoSubmission,
    index: int,
    issue: Issue,
    now: dt.datetime,
) -> Submission:
    author, editor = users["author"], users["editor"]
    started = now - dt.timedelta(days=120 - 10 * index)
    section = sections.get(demo.section) or next(iter(sections.values()), None)
    submission = Submission(
        journal_id=journal.id,
        section_id=section.id if section else None,
        submitter_id=author.id,
        state=SubmissionState.DRAFT,  # the workflow moves it to demo.state below
        title=demo.title,
        abstract=demo.abstract,
        keywords=list(demo.keywords),
        translations={"zh": {"title": demo.title_zh}} if demo.title_zh else {},
        cover_letter="Dear Editor, please consider our manuscript for publication.",
        data_availability="The data are available from the authors on reasonable request.",
        competing_interests="The authors declare no competing interests.",
        created_at=started,
    )
    if demo.state not in (SubmissionState.DRAFT, SubmissionState.SUBMITTED):
        submission.handling_editor_id = editor.id
    submission.contributors = [
        Contributor(
            position=0,
            user_id=author.id,
            given_name=author.given_name,
            family_name=author.family_name,
            email=author.email,
            affiliations=[
                {"name": "American University of Beirut", "country": "LB"},
            ],
            credit_roles=["conceptualization", "writing-original-draft"],
            is_corresponding=True,
        ),
        Contributor(
            position=1,
            given_name="Jun",
            family_name="Chen",
            native_name="陈军",
            native_name_lang="zh",
            email="jun.chen@example.edu.cn",
            # The ORCID iD used in ORCID's own documentation (valid check digit).
            orcid="0000-0002-1825-0097",
            affiliations=[
                {"name": "Tsinghua University", "ror": "https://ror.org/03cve4549", "country": "CN"}
            ],
            credit_roles=["formal-analysis", "writing-review-editing"],
        ),
    ]
    if demo.funded:
        submission.funding = [
            Funding(position=0, funder_name=NSFC[0], funder_doi=NSFC[1], award_ids=["62277001"])
        ]
    db.add(submission)
    db.flush()

    _move_through_workflow(db, settings, submission, users, demo, issue, started, now)
    return submission


_DEMO_DECISIONS = {
    SubmissionState.REVISION_REQUESTED: DecisionKind.MAJOR_REVISION,
    SubmissionState.ACCEPTED: DecisionKind.ACCEPT,
    SubmissionState.PUBLISHED: DecisionKind.ACCEPT,
}


def _move_through_workflow(
    db: Session,
    settings: Mapping[str, Any],
    submission: Submission,
    users: dict[str, User],
    demo: DemoSubmission,
    issue: Issue,
    started: dt.datetime,
    now: dt.datetime,
) -> None:
    """Take the submission from draft to ``demo.state`` by the workflow's own transitions,
    so every rule they carry holds for the demo too: the review round opened on sending to
    review, the decision recorded, the DOI assigned on acceptance (the journal's DOI
    formatter), the article made when production starts."""
    from frontiers_de.articles.issues import elocation_for
    from frontiers_de.editorial import workflow
    from frontiers_de.production import services as production

    author, editor, producer = users["author"], users["editor"], users["production"]
    at = started
    # Every event the transitions record is dated ``at`` and marked as demo data.
    demo_detail = {"demo": True}
    for action, state in _PATHS[demo.state]:
        # reviews take their time: the decision comes forty days after sending to review
        at += dt.timedelta(days=40 if action == "decide" else 10)
        if action == "submit":
            workflow.apply(db, submission, action, author, detail=demo_detail, now=at)
        elif action == "decide":
            kind = _DEMO_DECISIONS[state]
            workflow.apply(
                db,
                submission,
                action,
                editor,
                decision=kind,
                letter=_LETTERS[kind],
                detail=demo_detail,
                now=at,
            )
        elif action == "desk_reject":
            letter = _LETTERS[DecisionKind.DESK_REJECT]
            workflow.apply(
                db, submission, action, editor, letter=letter, detail=demo_detail, now=at
            )
        elif action == "start_production":
            article = production.start_production(
                db, submission, producer, detail=demo_detail, now=at
            )
            article.issue_id, article.position = issue.id, 1
            article.elocation_id = elocation_for(db, article)
        elif action == "publish":
            published_at = min(at, now - dt.timedelta(days=3))
            article = production.article_of(db, submission)
            assert article is not None
            _produce_full_text(db, settings, submission, article, published_at)
            # The demo registers nothing with Crossref (no ArticlePublished is announced):
            # the DOI waits, unregistered.
            workflow.apply(db, submission, action, producer, detail=demo_detail, now=at)
        else:
            workflow.apply(db, submission, action, editor, detail=demo_detail, now=at)
        assert submission.state is state, (action, submission.state)
        if action == "send_to_review":
            review_round = _fill_round(db, submission, users, demo.state, at)
            if demo.state is SubmissionState.UNDER_REVIEW:
                _discuss(db, settings, submission, users, review_round, at)


DEMO_MANUSCRIPT = Path(__file__).resolve().parent / "demo_content" / "published-article.md"
DEMO_FIGURE = "retention.png"  # the href the demo manuscript gives its figure
# Retention rates of the demo article's Table 1 (practice, share kept two years later).
DEMO_RETENTION = (
    ("Video lessons", 0.22),
    ("Online quizzes", 0.82),
    ("Shared documents", 0.94),
    ("Messaging parents", 0.80),
)


def retention_chart(width: int = 1200, height: int = 700) -> bytes:
    """The demo article's Figure 1, drawn with Pillow: a bar chart of the retention rates
    in its Table 1, as a PNG."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=30)
    small = ImageFont.load_default(size=24)
    left, right, top, bottom = 120, width - 40, 50, height - 110
    for step in range(0, 101, 25):  # grid lines and the percentage axis
        y = bottom - (bottom - top) * step / 100
        draw.line((left, y, right, y), fill=(215, 215, 215), width=2)
        draw.text((left - 16, y), f"{step}%", fill=(60, 60, 60), font=small, anchor="rm")
    draw.line((left, top, left, bottom), fill="black", width=3)
    draw.line((left, bottom, right, bottom), fill="black", width=3)
    slot = (right - left) / len(DEMO_RETENTION)
    for i, (label, share) in enumerate(DEMO_RETENTION):
        x0 = left + slot * i + slot * 0.2
        x1 = left + slot * (i + 1) - slot * 0.2
        y = bottom - (bottom - top) * share
        draw.rectangle((x0, y, x1, bottom), fill=(31, 96, 160))
        centre = (x0 + x1) / 2
        draw.text((centre, y - 10), f"{share:.0%}", fill="black", font=font, anchor="md")
        draw.text((centre, bottom + 20), label, fill="black", font=small, anchor="ma")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _produce_full_text(
    db: Session,
    settings: Mapping[str, Any],
    submission: Submission,
    article: Article,
    published_at: dt.datetime,
) -> None:
    """Give the published demo article what production would: the manuscript file, its JATS
    (converted, with the publication date), the reader HTML and the typeset PDF. Done with
    the production services themselves, so the demo shows the real pipeline's output."""
    from frontiers_de.articles.jats import serialise_jats, store_jats
    from frontiers_de.production import assets as production_assets
    from frontiers_de.production import services as production
    from frontiers_de.storage import storage_from_settings
    from frontiers_de.submissions.models import FileKind, ManuscriptFile

    storage = storage_from_settings(dict(settings))
    data = DEMO_MANUSCRIPT.read_bytes()
    db.add(
        ManuscriptFile(
            submission_id=submission.id,
            round_number=1,
            kind=FileKind.MANUSCRIPT,
            filename=DEMO_MANUSCRIPT.name,
            media_type="text/markdown",
            size=len(data),
            sha256=storage.put(data),
            uploaded_by_id=submission.submitter_id,
            created_at=published_at - dt.timedelta(days=80),
        )
    )
    db.flush()
    try:
        production.convert_manuscript(db, storage, article, settings)
        # The manuscript's figure, as a production editor would upload it: Markdown carries
        # no images, and the conversion lists retention.png as missing until then.
        production_assets.upload_asset(
            db, storage, article, DEMO_FIGURE, retention_chart(), None, settings
        )
        tree = production.read_jats(article.jats_xml.encode("utf-8"))
        placement.stamp_publication_date(tree, published_at.date())
        store_jats(
            db,
            storage,
            article,
            serialise_jats(tree),
            filename="published.xml",
            tree=tree,
        )
        production.typeset_current(db, storage, article, settings)
    except production.ProductionError as exc:
        # The demo still works without full text (say, without the schemas); say why.
        log.warning("demo article left without full text: %s", exc)
    article.state = ArticleState.PUBLISHED
    article.published_at = published_at


_LETTERS = {
    DecisionKind.MAJOR_REVISION: "The reviewers found the study promising but ask for a "
    "clearer account of the sampling and a comparison group. Please revise and resubmit.",
    DecisionKind.ACCEPT: "I am pleased to accept your manuscript for publication.",
    DecisionKind.DESK_REJECT: "The manuscript is too small in scope for a research article "
    "in this journal; we encourage a larger study.",
}


def _discuss(
    db: Session,
    settings: Mapping[str, Any],
    submission: Submission,
    users: dict[str, User],
    review_round: ReviewRound,
    opened: dt.datetime,
) -> None:
    """The paper under review is being discussed: the editor asks the author about the
    data, who answers; the editor asks the reviewer who has accepted about a figure."""
    from frontiers_de.discussions import services as discussions
    from frontiers_de.discussions.models import Seat
    from frontiers_de.storage import storage_from_settings

    storage = storage_from_settings(dict(settings))
    editor = discussions.Place(submission, users["editor"], Seat.EDITOR)
    author = discussions.Place(submission, users["author"], Seat.AUTHOR)
    thread = discussions.start_thread(
        db,
        storage,
        editor,
        "authors",
        "Sharing the interview data",
        "Your data availability statement says the transcripts are available on request. "
        "Could they be deposited in a repository once the paper is published?",
        max_bytes=1,
        now=opened + dt.timedelta(days=3),
    )
    discussions.reply(
        db,
        storage,
        thread,
        author,
        "Yes: our ethics approval allows it after publication. We will name the repository "
        "in the revised statement.",
        max_bytes=1,
        now=opened + dt.timedelta(days=4),
    )
    accepted = db.scalars(
        select(ReviewAssignment).where(
            ReviewAssignment.round_id == review_round.id,
            ReviewAssignment.state == AssignmentState.ACCEPTED,
        )
    ).first()
    if accepted is None:
        return
    discussions.start_thread(
        db,
        storage,
        editor,
        "reviewer",
        "Figure 2 in your copy",
        "Is figure 2 readable in the anonymised PDF you received?",
        assignment_id=accepted.id,
        max_bytes=1,
        now=opened + dt.timedelta(days=5),
    )


def _fill_round(
    db: Session,
    submission: Submission,
    users: dict[str, User],
    state: SubmissionState,
    opened: dt.datetime,
) -> ReviewRound:
    """Invitations and reviews in the round that sending to review opened."""
    from frontiers_de.editorial import workflow

    review_round = workflow.current_round(db, submission)
    assert review_round is not None
    finished = state is not SubmissionState.UNDER_REVIEW  # the decision will close it
    review_round.opened_at = opened
    recommendation = {
        SubmissionState.REVISION_REQUESTED: Recommendation.MAJOR_REVISION,
        SubmissionState.ACCEPTED: Recommendation.ACCEPT,
        SubmissionState.PUBLISHED: Recommendation.MINOR_REVISION,
    }.get(state)
    for n, key in enumerate(("reviewer", "reviewer2")):
        if finished:
            assignment_state = AssignmentState.SUBMITTED
        else:
            # Under review: one reviewer has accepted, the other not yet answered.
            assignment_state = AssignmentState.ACCEPTED if n == 0 else AssignmentState.INVITED
        assignment = ReviewAssignment(
            round_id=review_round.id,
            reviewer_id=users[key].id,
            invited_by_id=users["editor"].id,
            state=assignment_state,
            token_hash=_token_hash(),
            invited_at=opened,
            responded_at=opened + dt.timedelta(days=2)
            if assignment_state is not AssignmentState.INVITED
            else None,
            due_at=opened + dt.timedelta(days=30),
        )
        db.add(assignment)
        db.flush()
        if recommendation is not None:
            db.add(
                Review(
                    assignment_id=assignment.id,
                    recommendation=recommendation,
                    scores={"originality": 4, "rigour": 3 + n, "clarity": 4},
                    comments_to_author="The research question is well motivated. The "
                    "methods section should say how participants were recruited.",
                    comments_to_editor="No concerns about research ethics.",
                    submitted_at=opened + dt.timedelta(days=25 + n),
                )
            )
    return review_round
